"""The tour: a PNG of every screen of every service in every language, rendered headless.

Centres print these as training handbooks; we use them to review the interface, and the
accessibility test walks the very same screens.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import keyring

from kiosk import credentials
from kiosk.admin_pin import AdminPin
from kiosk.backend.demo_data import CITIZENS
from kiosk.i18n import language
from kiosk.settings import Settings
from kiosk.speech.player import Player
from kiosk.speech.service import SpeechService
from ui.admin.admin_screen import TABS
from ui.app import Kiosk
from ui.assisted import DEMO_HELPER
from ui.launch import WINDOW_SIZE, demo_kiosk
from ui.screens.base import ErrorText
from ui.tasks import wait_for_background
from ui.tour_index import Picture, write_index
from ui.tour_remote import visit_remote
from ui.voice import QtVoice
from ui.walker import DEMO_ANSWERS, Walker, settle

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


def branch_answers(service) -> list[tuple[str, dict[str, Any]]]:
    """Both sides of every `when` in a service: (label, answers) for each answer its
    conditions test, and for one answer that fails them."""
    steps = {step.id: step for step in service.steps}
    found: list[tuple[str, dict[str, Any]]] = []

    def leaves(condition):
        if condition.field:
            yield condition
        for part in (*condition.all_of, *condition.any_of):
            yield from leaves(part)

    for step in service.steps:
        for leaf in leaves(step.when) if step.when else ():
            asked = steps.get(leaf.field.removeprefix("answers."))
            if asked is None:  # a test on the citizen, not an answer: nothing to choose
                continue
            if asked.type == "yesno":
                values = [True, False]
            elif asked.options:
                values = [option.value for option in asked.options]
            else:
                continue
            for value in values:
                branch = (f"{asked.id}-{str(value).lower()}", {asked.id: value})
                if branch not in found:
                    found.append(branch)
    return found


def visit_branches(kiosk: Kiosk, lang: str, size: str, once: Callable[[str], None]) -> None:
    """Every service with conditions, down each branch to its check-your-answers page."""
    for service in kiosk.catalogue.services:
        for label, answers in branch_answers(service):
            kiosk.end_session()
            walker = Walker(kiosk)
            walker.begin(lang)
            kiosk.set_text_size(size)

            def shot(name: str, label: str = label, prefix: str = f"{service.id}-") -> None:
                if name.startswith(prefix):  # the service's own pages, not the way in
                    once(f"branch-{label}-{name}")

            walker.shot = shot
            walker.complete(service.id, answers, card=ELDEST if service.needs_identity
                            else None, submit=False)
    kiosk.end_session()


def showing_error(kiosk: Kiosk, name: str) -> str:
    """The error on screen now; the tour stops if the state it means to show was not reached."""
    shown = [e.message() for e in kiosk.current().findChildren(ErrorText)
             if e.isVisible() and e.message()]
    if not shown:
        raise RuntimeError(f"the tour expected an error on screen for {name!r}")
    return shown[0]


def visit_errors(kiosk: Kiosk, lang: str, size: str, once: Callable[[str], None]) -> None:
    """What a person sees when something is wrong: an ID number that cannot be, a wrong code,
    a required answer left empty (a choice and a typed one)."""
    walker = Walker(kiosk)
    kiosk.end_session()
    walker.begin(lang)
    kiosk.set_text_size(size)
    service = next(s for s in kiosk.catalogue.services if s.needs_identity)
    walker.open_service(service.id)
    walker.tap("type-id")
    last = ELDEST[-1]
    walker.type(ELDEST[:-1] + ("1" if last != "1" else "2"))  # the check digit cannot match
    walker.tap("next")
    showing_error(kiosk, "error-id-number")
    once("error-id-number")
    walker.clear_typing()
    walker.type(ELDEST)
    walker.tap("next")
    code = kiosk.code.demo_code
    walker.type("".join("1" if c != "1" else "2" for c in code))  # every digit wrong
    walker.tap("next")
    showing_error(kiosk, "error-code")
    once("error-code")
    kiosk.end_session()
    walker.begin(lang)
    kiosk.set_text_size(size)
    walker.open_service("pay_bill")
    for _ in range(2):  # the utility (a choice), then the account number (typed)
        step = kiosk.question.step
        walker.tap("next")  # nothing chosen or typed yet
        showing_error(kiosk, f"error-empty-{step.id}")
        once(f"error-empty-{step.id}")
        walker.answer_current(DEMO_ANSWERS["pay_bill"])
    kiosk.end_session()


def visit_looks(kiosk: Kiosk, lang: str, size: str, once: Callable[[str], None]) -> None:
    """High contrast, then the spoken words shown (captions on, sound off), in Cantonese where
    the language has it: a short journey each, its words shown as the repeat button shows them."""
    walker = Walker(kiosk)
    kiosk.end_session()
    walker.begin(lang)
    kiosk.set_text_size(size)
    kiosk.toggle_theme()
    walker.shot = lambda name: once(f"contrast-{name}")
    walker.snap("menu")
    walker.complete("pay_bill")
    walker.shot = None
    kiosk.toggle_theme()
    dialects = ["", *(language(lang).dialects or {})]
    service = next(s for s in kiosk.catalogue.services if s.needs_identity)
    written: dict[str, str] = {}  # the captions in the written language, by screen
    for dialect in dialects:
        kiosk.end_session()
        walker.begin(lang)
        kiosk.set_text_size(size)
        kiosk.show_sound()
        walker.tap("captions")
        walker.tap("mute")
        if dialect:
            walker.tap(f"dialect-{dialect}")
        tag = f"captions-{dialect or lang}"
        once(f"{tag}-sound")
        walker.tap("next")  # close the sound settings

        def shot(name: str, tag: str = tag, dialect: str = dialect) -> None:
            kiosk.repeat()  # the screen's words, as the repeat button shows them
            words = kiosk.window.caption.text()
            if not dialect:
                written[name] = words
            elif written.get(name) == words:
                return  # the dialect says this screen as it is written: nothing new to see
            once(f"{tag}-{name}")

        walker.shot = shot
        walker.snap("menu")
        walker.complete(service.id, code=ELDEST)
        walker.shot = None
    kiosk.end_session()


TOUR_PIN = "2580"


def visit_admin(kiosk: Kiosk, lang: str, once: Callable[[str], None]) -> None:
    """The PIN screen (asking, and a wrong PIN), then each tab of the admin screen, in the
    language the admin screens were opened in."""
    kiosk.end_session()
    kiosk.session.language = lang
    walker = Walker(kiosk)
    admin = kiosk.admin
    admin.open_pin()
    settle()
    once("admin-pin")
    screen = admin.pin_screen

    def enter(digits: str) -> None:
        walker.type(digits)
        walker.tap("admin-ok")
        while screen.working:  # checked in the background, as on the kiosk
            settle()

    enter("1111")
    showing_error(kiosk, "admin-pin-wrong")
    once("admin-pin-wrong")
    enter(TOUR_PIN)
    for tab in TABS:
        walker.tap(f"tab-{tab}")
        page = admin.screen.pages[tab]
        while page.running:  # the diagnostics' checks: their results, please
            settle()
        once(f"admin-{tab}")
    admin.leave()
    settle()


# The tour's passes, in order: every screen (the one the accessibility walks check too), then
# the looks, branches, error states and admin screens only the tour photographs.
PASSES = ("screens", "looks", "branches", "errors", "admin", "remote")
PASS_TITLES = {"screens": "Every screen", "looks": "High contrast and captions",
               "branches": "Both sides of every condition", "errors": "When something is wrong",
               "admin": "The admin PIN and screens",
               "remote": "Help from a remote desk"}


def run_tour(out: Path, size: str = "largest", languages: tuple[str, ...] | None = None,
             passes: tuple[str, ...] = PASSES) -> int:
    # a voice that is never asked to speak, with a player that would play nothing: the sound
    # screen is drawn, nothing is synthesised, and no captions stand in for a missing speaker
    settings = Settings(default_text_size=size, idle_timeout_s=3600, speak_on_open=False,
                        headset_fitted=True, data_dir=tempfile.mkdtemp(prefix="kiosk-tour-"))
    voice = QtVoice(SpeechService(player=Player(["true"])))
    emit = voice.service.on_event
    # that player's silence is not a kiosk without sound: were "unavailable" let through, every
    # picture after the first "one moment" would show the no-sound caption column
    voice.service.on_event = lambda event: event.kind == "unavailable" or emit(event)
    kiosk = demo_kiosk(settings, today=TOUR_DAY, voice=voice)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    before = keyring.get_keyring()
    keyring.set_keyring(credentials.DemoMemoryKeyring())  # the tour's PIN lives in memory only
    kiosk.admin.pin = AdminPin(Path(settings.data_dir) / "admin-lock.json")
    kiosk.admin.pin.set_pin(TOUR_PIN)
    pictures: list[Picture] = []
    for lang in languages or settings.languages:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        for part in passes:
            def save(name: str, folder: Path = folder, part: str = part, lang: str = lang) -> None:
                settle()  # as between two taps: a new look or page is laid out first
                path = folder / f"{len(pictures) + 1:03d}-{name}.png"
                kiosk.window.grab().save(str(path))
                theme = "high_contrast" if name.startswith("contrast-") else "standard"
                pictures.append(Picture(path.relative_to(out).as_posix(), lang, PASS_TITLES[part],
                                        name, size, theme))

            visit(part, kiosk, lang, size, save)
    kiosk.shutdown()
    voice.close()
    keyring.set_keyring(before)
    write_index(out, pictures)
    print(f"{len(pictures)} screens written to {out}, listed in {out / 'index.html'}")
    return 0


def visit(part: str, kiosk: Kiosk, lang: str, size: str, save: Callable[[str], None]) -> None:
    if part == "screens":
        visit_every_screen(kiosk, lang, size, save)
    elif part == "admin":
        visit_admin(kiosk, lang, save)
    elif part == "remote":
        visit_remote(kiosk, lang, size, save)
    else:
        {"looks": visit_looks, "branches": visit_branches, "errors": visit_errors}[part](
            kiosk, lang, size, save)
