"""The tour: a PNG of every screen of every service in every language, rendered headless.

Centres print these as training handbooks; we use them to review the interface, and the
accessibility test walks the very same screens.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from kiosk.backend.demo_data import CITIZENS
from kiosk.settings import Settings
from kiosk.speech.player import Player
from kiosk.speech.service import SpeechService
from ui.app import Kiosk
from ui.assisted import DEMO_HELPER
from ui.launch import WINDOW_SIZE, demo_kiosk
from ui.tasks import wait_for_background
from ui.voice import QtVoice
from ui.walker import Walker, settle

TOUR_DAY = date(2026, 11, 23)  # a fixed day, so every handbook shows the same dates
ELDEST, YOUNGER = CITIZENS[0][0], CITIZENS[1][0]


def visit_every_screen(kiosk: Kiosk, lang: str, size: str,
                       on_screen: Callable[[str], None]) -> None:
    """Walk every service to its end, then the screens a walk does not reach (refusal, help,
    the timeout warning), calling `on_screen(name)` once per distinct screen."""
    seen: set[str] = set()

    def once(name: str) -> None:
        settle()
        if name not in seen:
            seen.add(name)
            on_screen(name)

    walker = Walker(kiosk, once)
    for service in kiosk.catalogue.services:
        kiosk.end_session()
        walker.begin(lang)
        kiosk.set_text_size(size)
        walker.complete(service.id, card=ELDEST if service.needs_identity else None)
    if kiosk.current() is kiosk.confirmation:
        walker.tap("next")  # Finish
    if kiosk.current() is kiosk.rating:  # "How was it?" after the last service
        once("rating")
        walker.tap("face-4")
        walker.tap("comment-easy")
        once("rating-chosen")
    kiosk.end_session()
    walker.begin(lang)
    kiosk.set_text_size(size)
    walker.open_service("senior_allowance")
    walker.identify_by_code(YOUNGER)
    once("senior_allowance-ineligible")
    kiosk.show_help()
    once("help")
    walker.tap("helper-sign-in")
    walker.tap("helper-wang")
    walker.type(DEMO_HELPER[2])
    once("helper-sign-in")
    walker.tap("next")
    once("consent")
    walker.tap("consent-yes")
    once("assisted")
    walker.tap("helper-tools")
    walker.type("CALL AFTER 5PM")
    walker.tap("save-note")
    once("helper-tools")
    walker.tap("file-for-someone")
    once("proxy")
    walker.tap("tab-handwriting")  # the relative's name, written by hand or in pinyin
    once("proxy-handwriting")
    walker.tap("tab-pinyin")
    for letter in "wang":
        walker.tap(f"pinyin-{letter}")
    wait_for_background()  # the candidates are looked up off the GUI thread
    once("proxy-pinyin")
    walker.tap("back")
    walker.tap("end-help")
    once("helper-slip")
    walker.tap("next")
    if kiosk.voice is not None:
        kiosk.show_sound()
        once("sound")
    kiosk.idle.warn()
    once("timeout-warning")
    kiosk.end_session()


def run_tour(out: Path, size: str = "largest") -> int:
    # a voice that is never asked to speak, with a player that would play nothing: the sound
    # screen is drawn, nothing is synthesised, and no captions stand in for a missing speaker
    settings = Settings(default_text_size=size, idle_timeout_s=3600, speak_on_open=False,
                        headset_fitted=True, data_dir=tempfile.mkdtemp(prefix="kiosk-tour-"))
    voice = QtVoice(SpeechService(player=Player(["true"])))
    kiosk = demo_kiosk(settings, today=TOUR_DAY, voice=voice)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    count = 0
    for lang in settings.languages:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)

        def save(name: str, folder: Path = folder) -> None:
            nonlocal count
            count += 1
            kiosk.window.grab().save(str(folder / f"{count:03d}-{name}.png"))

        visit_every_screen(kiosk, lang, size, save)
    kiosk.shutdown()
    voice.close()
    print(f"{count} screens written to {out}")
    return 0
