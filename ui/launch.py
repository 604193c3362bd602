"""Putting the kiosk together: the Qt application, the catalogue, the backend and the reader.
main.py, the tour, the tests and the benchmarks all start the kiosk through here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.backend.demo import DemoBackend
from kiosk.catalogue import load_catalogue
from kiosk.identity import DemoCardReader
from kiosk.settings import OUTBOX_FILE, Settings, embedded_folder, outbox_path
from kiosk.sync.catalogue_cache import best_catalogue, refresh
from ui.app import Kiosk, Voice

# Latin first so English reads in its own face; the CJK face covers Chinese. Both from Debian's
# fonts-noto-cjk (its Latin glyphs too), so the look is the same on every kiosk.
FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"]
WINDOW_SIZE = (1920, 1080)  # the reference kiosk screen: a 21.5 inch full-HD touch panel


def qt_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    available = set(QFontDatabase.families())
    font = QFont()
    font.setFamilies([f for f in FONT_FAMILIES if f in available] or FONT_FAMILIES)
    app.setFont(font)
    return app


def demo_kiosk(settings: Settings | None = None, today: date | None = None,
               voice: Voice | None = None) -> Kiosk:
    """The in-process demo backend: for tests and the tour, where no network is wanted."""
    qt_app()
    return Kiosk(settings or Settings(), DemoBackend(today), load_catalogue(),
                 DemoCardReader(), voice=voice, today=today)


class EmbeddedHub:
    """The embedded default: the reference hub with demo data on loopback, and the kiosk
    talking to it over HTTP through its outbox, exactly as it would to a real one."""

    def __init__(self, folder: Path | None = None, policy: str = "automatic") -> None:
        from hub.config import Settings as HubSettings
        from hub.testing import RunningHub
        from kiosk.backend.http import PROBE_EVERY_S, HttpBackend

        self.folder = folder or embedded_folder(Settings())
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.hub = RunningHub(HubSettings(data_dir=self.folder / "hub", demo=True,
                                          migrate_on_start=True))
        self.hub.start()
        self.backend = HttpBackend(self.hub.url, self.hub.token, self.folder / OUTBOX_FILE,
                                   kiosk_id="demo-kiosk", policy=policy,
                                   alive_every=PROBE_EVERY_S)  # one kiosk: no fleet to spare
        self.backend.sender.start()

    def close(self) -> None:
        self.backend.sender.stop()
        self.hub.stop()


def configured_kiosk(config_file: Path, voice: Voice | None = None,
                     folder: Path | None = None) -> tuple[Kiosk, Callable[[], None]]:
    """The kiosk as main.py opens it, and what to call when the program ends.

    Settings come from the settings file; whatever is wrong in it becomes a problem on the
    admin screen, never a kiosk that does not start. With a hub address and a token in the
    store for secrets, the kiosk talks to that hub; otherwise it runs on the embedded demo hub
    (and the admin screen says why when a hub address was set). `folder`: where the kiosk
    keeps its data (default: the platform's data folder)."""
    from kiosk import config, credentials
    from kiosk.backend.http import HttpBackend

    qt_app()
    loaded = config.load(config_file)
    settings = loaded.settings
    credentials.choose_store(demo=settings.hub_url == "")
    if folder is not None:  # everything the kiosk keeps goes there (tests, a second kiosk)
        settings = replace(settings, data_dir=str(folder))
    token = credentials.load_token(settings.kiosk_id) if settings.hub_url else None
    start_problems = []
    if token:
        queue = outbox_path(settings, has_token=True)
        folder = queue.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        backend = HttpBackend(settings.hub_url, token, queue,
                              kiosk_id=settings.kiosk_id, policy=settings.offline_policy)
        backend.sender.interval = settings.sync_every_s
        backend.sender.start()
        cache = folder / "catalogue"
        refresh(backend, cache)
        kiosk = Kiosk(replace(settings, demo=False), backend, best_catalogue(cache),
                      DemoCardReader(), voice=voice)
        close: Callable[[], None] = backend.sender.stop
    else:
        if settings.hub_url:
            start_problems.append(config.Problem("admin.problem.no_token",
                                                 kiosk_id=settings.kiosk_id))
        # its queue is outbox_path(settings, has_token=False), where `diagnose` looks
        kiosk, embedded = embedded_kiosk(settings, voice, embedded_folder(settings))
        close = embedded.close
    kiosk.admin.file_problems = list(loaded.problems)
    kiosk.admin.start_problems = start_problems
    return kiosk, close


def embedded_kiosk(settings: Settings | None = None, voice: Voice | None = None,
                   folder: Path | None = None) -> tuple[Kiosk, EmbeddedHub]:
    qt_app()
    settings = settings or Settings()
    embedded = EmbeddedHub(folder, policy=settings.offline_policy)
    cache = embedded.folder / "catalogue"
    refresh(embedded.backend, cache)  # offline: the copy from last time, or the shipped one
    kiosk = Kiosk(settings, embedded.backend, best_catalogue(cache), DemoCardReader(),
                  voice=voice)
    return kiosk, embedded
