"""What screens and their controllers may ask of the kiosk: the narrow view they get instead of
`ui.app.Kiosk` (which satisfies it; tests/ui/test_context.py checks that, and that nothing under
ui/screens uses more than is listed here).

Screens are below ui.app in the import layers (pyproject [tool.importlinter]): they only render
and forward taps, through these calls; which concrete parts stand behind them is the composition
root's business (ui/composition.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from kiosk.catalogue import Catalogue
    from kiosk.identity import CardReader
    from kiosk.ports import Ports
    from kiosk.service import Service
    from kiosk.session import Outcome, Session
    from kiosk.settings import Settings
    from kiosk.speech.script import Script
    from kiosk.speech.service import Preferences
    from ui.assisted import Assisted
    from ui.card_watch import CardWatch
    from ui.help_call import HelpCall
    from ui.idle import IdleWatcher
    from ui.screens.assist import ConsentScreen
    from ui.screens.attract import AttractScreen
    from ui.screens.base import OverlayScreen, Screen
    from ui.screens.before_start import BeforeStartScreen
    from ui.screens.confirmation import ConfirmationScreen
    from ui.screens.help import HelpScreen
    from ui.screens.identity import CardScreen, CodeScreen, IdNumberScreen, WhoScreen
    from ui.screens.ineligible import IneligibleScreen
    from ui.screens.language import LanguageScreen
    from ui.screens.menu import MenuScreen
    from ui.screens.proxy import ProxyScreen
    from ui.screens.question import QuestionScreen
    from ui.screens.rating import RatingScreen
    from ui.screens.review import ReviewScreen


class Voice(Protocol):
    """What the kiosk needs of a voice (ui.voice.QtVoice is the real one)."""

    prefs: Preferences
    event: SignalInstance

    def say(self, script: Script, lang: str, cue: str = "") -> list[int]: ...

    def cue(self, name: str) -> None: ...

    def stop(self) -> None: ...

    def reset(self) -> None: ...

    def set_defaults(self, rate: str, volume: int) -> None: ...

    def can_sound(self) -> bool:
        """False when no sound can come out (no player, or the engine failed)."""

    def synthesiser(self) -> object | None:
        """The kiosk's own speech engine, for the admin's checks (None: it has none)."""


@runtime_checkable
class Speech(Protocol):
    """Saying things: one place decides what is spoken, and what is only shown."""

    voice: Voice | None

    def say(self, script: Script, cue: str = "") -> None: ...

    def cue(self, name: str) -> None: ...

    def repeat(self) -> None: ...

    def stop_speaking(self) -> None: ...

    def echo(self, key: str, personal: bool) -> None: ...

    def offer(self, words: list[str], personal: bool) -> None: ...

    def captions_on(self) -> bool: ...

    def set_aloud(self, on: bool) -> None: ...


@runtime_checkable
class Routes(Protocol):
    """Where a tap leads: the screens forward taps here, the kiosk shows what comes next."""

    def show(self, screen: Screen, cue: str = "") -> None: ...

    def current(self) -> Screen: ...

    def refresh(self) -> None: ...

    def back(self) -> None: ...

    def next(self) -> None: ...

    def begin(self) -> None: ...

    def go_menu(self) -> None: ...

    def choose_service(self, service: Service) -> None: ...

    def start_chosen(self) -> None: ...

    def identity_start(self) -> Screen: ...

    def show_journey(self, cue: str = "") -> None: ...

    def route(self, outcome: Outcome, cue: str = "") -> None: ...

    def ask_rating(self) -> None: ...

    def end_session(self) -> None: ...

    def show_help(self) -> None: ...

    def call_staff(self) -> None: ...

    def helper_arrives(self) -> None: ...

    def open_helper_tools(self) -> None: ...

    def end_assistance(self) -> None: ...

    def show_sound(self) -> None: ...

    def next_language(self) -> None: ...


@runtime_checkable
class Look(Protocol):
    """Text size, contrast and language: the citizen's own, for this visit."""

    def apply_look(self) -> None: ...

    def set_text_size(self, size: str) -> None: ...

    def toggle_theme(self) -> None: ...

    def set_language(self, code: str) -> None: ...

    def offered_languages(self) -> list[str]: ...

    def other_language_name(self) -> str: ...


class RemoteHelpView(Protocol):
    """What screens ask of a remote desk's help (ui.remote.help.RemoteHelp, a layer above)."""

    sharing: bool  # the citizen lets a remote clerk see this screen

    def submission_extra(self) -> dict: ...


@runtime_checkable
class KioskContext(Speech, Routes, Look, Protocol):
    """Everything a screen or a screen-level controller may use."""

    session: Session
    ports: Ports  # what lies outside the kiosk: citizen data, help desk, uplink, queue
    settings: Settings
    catalogue: Catalogue
    reader: CardReader
    chosen: Service | None
    connection: tuple[bool, int]  # (online, submissions waiting)
    needs_staff: object | None
    closed: bool
    window: QWidget  # a parent for what floats over every screen (the timeout warning)
    screen_shown: SignalInstance
    session_ended: SignalInstance

    # the controllers screens talk to
    assisted: Assisted
    help_call: HelpCall
    idle: IdleWatcher
    cards: CardWatch
    remote: RemoteHelpView

    # the screens one screen may lead to
    attract: AttractScreen
    languages: LanguageScreen
    menu: MenuScreen
    before_start: BeforeStartScreen
    card: CardScreen
    id_number: IdNumberScreen
    code: CodeScreen
    who: WhoScreen
    ineligible: IneligibleScreen
    question: QuestionScreen
    review: ReviewScreen
    confirmation: ConfirmationScreen
    rating: RatingScreen
    help: HelpScreen
    sound: OverlayScreen
    consent: ConsentScreen
    proxy: ProxyScreen
