"""The tour: a PNG of every screen of every service in every language, rendered headless.

Centres print these as training handbooks; we use them to review the interface.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.backend.demo_data import CITIZENS
from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, demo_kiosk
from ui.walker import Walker

TOUR_DAY = date(2026, 11, 23)  # a fixed day, so every handbook shows the same dates
ELDEST, YOUNGER = CITIZENS[0][0], CITIZENS[1][0]


def run_tour(out: Path, size: str = "largest", languages: tuple[str, ...] = ()) -> int:
    settings = Settings(default_text_size=size, idle_timeout_s=3600)
    kiosk = demo_kiosk(settings, today=TOUR_DAY)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    count = 0
    for lang in languages or settings.languages:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()

        def shot(name: str, folder: Path = folder, taken: set[str] = taken) -> None:
            nonlocal count
            QApplication.processEvents()
            if name in taken:
                return
            taken.add(name)
            count += 1
            kiosk.window.grab().save(str(folder / f"{len(taken):03d}-{name}.png"))

        walker = Walker(kiosk, shot)
        for service in kiosk.catalogue.services:
            kiosk.end_session()
            kiosk.set_text_size(size)
            walker.begin(lang)
            card = ELDEST if service.needs_identity else None
            walker.complete(service.id, card=card)
        # the screens a walk through the services does not reach
        kiosk.end_session()
        walker.begin(lang)
        kiosk.set_text_size(size)
        walker.open_service("senior_allowance")
        walker.identify_by_code(YOUNGER)
        shot("senior_allowance-ineligible")
        kiosk.show_help()
        shot("help")
        kiosk.idle.warn()
        shot("timeout-warning")
        kiosk.end_session()
    print(f"{count} screens written to {out}")
    return 0
