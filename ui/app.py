"""The kiosk: one session, the screens, and the routes between them.

Routing lives here and nowhere else; the journey decides what comes next inside a service, and
`show_journey()` turns its stage into a screen.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.backend import BackendError
from kiosk.i18n import language, tr
from kiosk.identity import CardReader
from kiosk.journey import Stage
from kiosk.ports import Ports
from kiosk.service import Service
from kiosk.session import Move, Outcome, Session
from kiosk.settings import Settings
from kiosk.speech.script import Part, Script, render
from ui.admin.admin import Admin
from ui.assisted import Assisted
from ui.card_watch import CardWatch
from ui.help_call import HelpCall
from ui.idle import IdleWatcher
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen, discard
from ui.screens.context import Voice
from ui.tasks import run_in_background, wait_for_background
from ui.theme import THEMES, stylesheet
from ui.usage_tracking import UsageTracking

if TYPE_CHECKING:
    from kiosk.catalogue import Catalogue
    from kiosk.diagnostics import Check
    from ui.fleet_link import FleetLink
    from ui.remote.help import RemoteHelp
    from ui.screens.assist import ConsentScreen, HelperSignInScreen
    from ui.screens.before_start import BeforeStartScreen
    from ui.screens.confirmation import ConfirmationScreen
    from ui.screens.help import HelpScreen
    from ui.screens.helper_tools import HelperToolsScreen, SlipScreen
    from ui.screens.identity import CardScreen, CodeScreen, IdNumberScreen, WhoScreen
    from ui.screens.ineligible import IneligibleScreen
    from ui.screens.language import LanguageScreen
    from ui.screens.menu import MenuScreen
    from ui.screens.proxy import ProxyScreen
    from ui.screens.question import QuestionScreen
    from ui.screens.rating import RatingScreen
    from ui.screens.review import ReviewScreen
    from ui.screens.sound import SoundScreen
from ui.window import KioskWindow

HEARTBEAT_EVERY = 12  # status polls (5 s apart by default) between two heartbeats


class Later:
    """A screen (or another part with widgets) of the kiosk, built, and its module imported,
    when first used: the welcome screen comes up without waiting for the screens a citizen
    has not reached (main.py builds them right after the first frame: `Kiosk.build_later`),
    and a helper's screens wait for a helper. Every widget alive is restyled on each
    text-size change, so unused ones cost too."""

    def __init__(self, where: str,
                 built: Callable[[Kiosk, Screen], None] | None = None) -> None:
        """`where`: module.Class; `built`: what the kiosk does with it once it exists."""
        self.module, self.name = where.rsplit(".", 1)
        self.built = built

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __get__(self, kiosk: Kiosk | None, owner: type | None = None):
        if kiosk is None:
            return self
        kind = getattr(importlib.import_module(self.module), self.name)
        screen = kind(kiosk)
        vars(kiosk)[self.attr] = screen  # from now on a plain attribute: this is not called
        if self.built is not None:
            self.built(kiosk, screen)
        return screen


class Kiosk(QObject):
    screen_shown = Signal(object)
    session_ended = Signal()

    def __init__(self, settings: Settings, ports: Ports,
                 catalogue: Catalogue | Callable[[], Catalogue],
                 reader: CardReader, voice: Voice | None = None,
                 today: date | None = None, needs_staff: object | None = None,
                 later: bool = False) -> None:
        """`needs_staff`: why this kiosk cannot serve citizens (it does not know its hub; a
        kiosk.config.Problem): the welcome screen then says, and speaks, that a member of
        staff is needed, and nothing begins; the admin's corner still opens. `catalogue`: the
        services, or what loads them when first needed (main.py: after the first frame).
        `later` (main.py): what the welcome screen does without waits for `finish_start()`,
        which the caller makes after the first frame."""
        super().__init__()
        self.needs_staff = needs_staff
        self.settings = settings
        self._catalogue = catalogue
        self.reader = reader
        self.voice = voice
        self.ports = ports  # built by the composition root (ui.composition)
        self.session = Session(settings, ports.citizen_data, today)
        self._style_sheet()  # before any widget exists: each is styled once, not restyled
        self.chosen: Service | None = None
        self._saying: set[int] = set()  # utterances of what is being said now
        # no sound can come out (no player, or the engine failed): the words are shown instead
        self.silent = voice is not None and not voice.can_sound()
        self.connection: tuple[bool, int] = (True, 0)  # (online, submissions waiting)
        self._polls = 0
        self.closed = False
        self.window = KioskWindow(self, bars_later=later)
        self.attract = AttractScreen(self)
        self.idle = IdleWatcher(self, settings.idle_timeout_s, settings.idle_warning_s)
        self.help_call = HelpCall(self)
        self.help_call.changed.connect(self.refresh)
        # a clerk at a remote desk took the help call: built by then, if not before
        self.help_call.taken_remotely.connect(lambda *taken: self.remote.begin(*taken))
        self.assisted = Assisted(self)
        self.assisted.changed.connect(self.refresh)
        self.usage = UsageTracking(self)  # anonymous figures for the usage dashboard
        self.admin = Admin(self)  # the hidden corner on the welcome screen, the PIN, settings
        self.cards = CardWatch(self)  # card read on the card screen; card taken out: wipe
        self.fleet_link: FleetLink | None = None  # a real hub's kiosk: what it pushes (launch)
        if voice is not None:
            voice.event.connect(self._heard)
            self._speech_defaults(reset=True)
        self.apply_look()
        self._greeting_owed = later  # main.py: the welcome is said once the screen is up
        self.show(self.attract)
        self._poll = QTimer(self)
        self._poll.setInterval(int(settings.status_every_s * 1000))
        self._poll.timeout.connect(self.check_connection)
        self._poll.start()
        if not later:
            self.finish_start()

    def finish_start(self) -> None:
        """The welcome said (main.py: once its first frame is up, so the speech starts while
        nothing else is being drawn), the first status poll, and the helpers' accounts read (a
        damaged file set aside, the demo's helper seeded or removed)."""
        if self._greeting_owed:
            self._greeting_owed = False
            if self.current() is self.attract and self.settings.speak_on_open:
                self.repeat()
        self.check_connection()
        self.assisted.accounts  # noqa: B018 - read now, not at a helper's first tap

    @property
    def catalogue(self) -> Catalogue:
        if callable(self._catalogue):
            self._catalogue = self._catalogue()
        return self._catalogue

    @catalogue.setter
    def catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    remote: RemoteHelp = Later("ui.remote.help.RemoteHelp")  # a remote desk's help
    languages: LanguageScreen = Later("ui.screens.language.LanguageScreen")
    menu: MenuScreen = Later("ui.screens.menu.MenuScreen")
    before_start: BeforeStartScreen = Later("ui.screens.before_start.BeforeStartScreen")
    card: CardScreen = Later("ui.screens.identity.CardScreen")
    id_number: IdNumberScreen = Later("ui.screens.identity.IdNumberScreen")
    code: CodeScreen = Later("ui.screens.identity.CodeScreen")
    who: WhoScreen = Later("ui.screens.identity.WhoScreen")
    ineligible: IneligibleScreen = Later("ui.screens.ineligible.IneligibleScreen")
    question: QuestionScreen = Later("ui.screens.question.QuestionScreen")
    review: ReviewScreen = Later("ui.screens.review.ReviewScreen")
    confirmation: ConfirmationScreen = Later("ui.screens.confirmation.ConfirmationScreen")
    rating: RatingScreen = Later("ui.screens.rating.RatingScreen",  # its faces: usage figures
                                 built=lambda kiosk, screen: kiosk.usage.follow_rating(screen))
    help: HelpScreen = Later("ui.screens.help.HelpScreen")
    sound: SoundScreen = Later("ui.screens.sound.SoundScreen")
    helper_sign_in: HelperSignInScreen = Later("ui.screens.assist.HelperSignInScreen")
    consent: ConsentScreen = Later("ui.screens.assist.ConsentScreen")
    # a helper's screens: most visits never need them
    proxy: ProxyScreen = Later("ui.screens.proxy.ProxyScreen")
    helper_tools: HelperToolsScreen = Later("ui.screens.helper_tools.HelperToolsScreen")
    slip: SlipScreen = Later("ui.screens.helper_tools.SlipScreen")
    # what a citizen may reach, in the order main.py builds it after the first frame
    REACHABLE = ("languages", "menu", "before_start", "card", "id_number", "code", "who",
                 "ineligible", "question", "review", "confirmation", "rating", "help", "sound",
                 "helper_sign_in", "consent", "remote")

    def build_later(self, then: Callable[[], None] | None = None) -> None:
        """The window's bars and the screens a citizen may reach, built one per turn of the
        event loop (main.py: right after the first frame, so that no tap pays for building
        one, and a tap in between waits for one at most); then `then`."""
        names = [name for name in self.REACHABLE if name not in vars(self)]
        parts = [self.window.build_bars, *(partial(getattr, self, name) for name in names)]

        def build_one() -> None:
            if self.closed:
                return
            if parts:
                parts.pop(0)()
                QTimer.singleShot(0, build_one)
            elif then is not None:
                then()

        QTimer.singleShot(0, build_one)

    def self_checked(self, checks: list[Check]) -> None:
        """What a self-check found (ui.self_check): the next heartbeat tells the hub."""
        if self.fleet_link is not None:
            self.fleet_link.fleet.note_checks(checks)

    def check_connection(self) -> None:
        """Asks the backend off the GUI thread (it may wait on the network); about once a
        minute also tells the hub this kiosk is alive and how much waits in its queue, and
        takes what the hub pushes back (ui.fleet_link applies it between visits)."""
        uplink = self.ports.uplink
        self._polls += 1
        beat = self._polls % HEARTBEAT_EVERY == 1
        fleet = self.fleet_link.fleet if self.fleet_link is not None else None

        def ask() -> tuple[bool, int, tuple | None]:
            online, waiting = uplink.status()
            taken = None
            if online and beat:
                with contextlib.suppress(BackendError):
                    answer = uplink.heartbeat()
                    if fleet is not None:  # settings saved, a catalogue fetched: off the GUI
                        taken = fleet.take(answer, uplink)
            return online, waiting, taken

        run_in_background(ask, self._connection_known)

    def _connection_known(self, known: tuple[bool, int, tuple | None]) -> None:
        if self.closed:
            return
        *connection, taken = known
        connection = tuple(connection)
        if taken is not None and self.fleet_link is not None:
            self.fleet_link.arrived(taken)
        if connection != self.connection:
            self.connection = connection
            self.refresh()

    def shutdown(self) -> None:
        """Stop timers and filters and close the window (tests start many kiosks in one run)."""
        self.idle.stop()
        self.admin.stop()
        self._poll.stop()
        if "remote" in vars(self):
            self.remote.shutdown()
        self.help_call.reset()
        self.cards.close()
        wait_for_background()
        QApplication.processEvents()  # results of finished tasks arrive while all still exists
        self.assisted.flush()  # no audit entry is left waiting in memory
        self.usage.close()
        self.closed = True  # and any later one finds the kiosk closed
        self.session.end()
        if self.voice is not None:
            self.voice.stop()
        self.window.close()
        self.window.deleteLater()
        # screens never shown are not in the window yet
        for part in vars(self).values():
            if isinstance(part, QWidget) and part.parentWidget() is None:
                part.deleteLater()
        # Deleted now, not at some later loop turn: every widget still alive is restyled on
        # each stylesheet change, so leftovers would slow every later kiosk in the process.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def apply_settings(self, settings: Settings) -> None:
        """The admin saved new settings: the kiosk behaves by them from now on. Defaults a
        visit starts with (text size, theme, speech) apply from the next visit, or at once on
        the welcome screen."""
        old, self.settings = self.settings, settings
        self.session.settings = settings
        if self.fleet_link is not None:
            self.fleet_link.settled(settings)
        self.ports.uplink.configure(settings.offline_policy, settings.sync_every_s)
        self.check_connection()  # the indicator shows the new policy now, not in a few seconds
        self.idle.warning_s = settings.idle_warning_s
        self.idle.set_timeout(settings.idle_timeout_s)
        self.window.practice.setVisible(settings.practice)
        if (old.services, old.languages) != (settings.services, settings.languages):
            self._rebuild("menu", "languages", "sound")
        self._speech_defaults(reset=False)
        if self.current() is self.attract:
            self.session.reset_preferences()
            self._speech_defaults(reset=True)
            self.apply_look()
        self.refresh()

    def use_catalogue(self, catalogue: Catalogue) -> None:
        """A newer catalogue from the hub, between visits: the menu offers its services."""
        self.catalogue = catalogue
        self._rebuild("menu")

    def _rebuild(self, *names: str) -> None:
        """Screens built from the offered services and languages are built again (one not
        built yet will be built from them when first used)."""
        for name in names:
            old = vars(self).pop(name, None)
            if old is not None:
                getattr(self, name)
                discard(old)

    def _speech_defaults(self, reset: bool) -> None:
        """The centre's speaking speed and volume: what every visit starts with."""
        if self.voice is not None:
            self.voice.set_defaults(self.settings.speech_rate, self.settings.speech_volume)
            if reset:
                self.voice.reset()

    # showing
    def show(self, screen: Screen, cue: str = "") -> None:
        if self.voice is not None:
            self.voice.stop()  # the old screen's words end the moment the screen changes
        self.window.reset_aloud()
        self.window.show_screen(screen)
        screen.setFocus()
        self.screen_shown.emit(screen)
        if screen is not self.attract:
            self._greeting_owed = False  # a tap came first: this screen speaks
        if self.settings.speak_on_open and not self._greeting_owed:
            self.say(screen.script(self.session.language), cue)
        elif cue:
            self.cue(cue)

    def current(self) -> Screen:
        return self.window.current()

    def refresh(self) -> None:
        self.window.refresh()

    def repeat(self) -> None:
        self.say(self.current().script(self.session.language))

    def say(self, script: Script, cue: str = "") -> None:
        """Say this now, instead of anything still being said."""
        script = [p for p in script if p]
        if script:  # a key's tick keeps the words of the screen in the captions
            self.window.caption.clear_caption()
        if self.voice is None:
            return
        self._saying = set(self.voice.say(script, self.session.language, cue))
        prefs = self.voice.prefs
        if prefs.muted and self.captions_on():  # nothing is said: the words are still shown
            for line in render(script, self.session.language, prefs.personal_aloud,
                               prefs.dialect):
                self.window.caption.add(line)

    def stop_speaking(self) -> None:
        if self.voice is not None:
            self.voice.stop()
        self.window.caption.clear_caption()

    def cue(self, name: str) -> None:
        if self.voice is not None:
            self.voice.cue(name)

    def captions_on(self) -> bool:
        """Words shown as they are said: asked for on the sound screen, or there is no sound."""
        if self.voice is None:
            return False
        prefs = self.voice.prefs
        return prefs.captions or prefs.muted or self.silent

    def set_aloud(self, on: bool) -> None:
        """The citizen chose (after the warning) to hear their details through the loudspeaker,
        or stopped it; the screen is said again with them."""
        self.voice.prefs.aloud = on
        self.refresh()
        lang = self.session.language
        screen = self.current()
        said: Script = [tr(lang, "aloud.on")] if on else []
        if on and screen.withholds_personal(lang):
            said += screen.script(lang)
        self.say(said)

    def _heard(self, event) -> None:
        # events cross threads: one for a screen already left may still arrive, and is dropped
        if self.closed or event.utterance not in self._saying or not event.text:
            return
        if event.kind == "unavailable" and not self.silent:
            self.silent = True  # once: from now on the caption keeps its room
            self.refresh()
        if event.kind == "started" and self.captions_on():
            self.window.caption.now(event.text)
        elif event.kind == "unavailable" and self.captions_on():
            self.window.caption.add(event.text)

    # look and language
    def apply_look(self) -> None:
        self._style_sheet()
        self.refresh()

    def _style_sheet(self) -> None:
        app = QApplication.instance()
        sheet = stylesheet(THEMES[self.session.theme], self.session.text_size)
        if app.styleSheet() != sheet:  # restyling every widget costs ~300 ms: only on change
            kept = sys.modules.get("ui.fields.kept")  # loaded with the first question, if yet
            if kept is not None:
                kept.drop_all()  # rebuilt when next needed rather than restyled now
            app.setStyleSheet(sheet)

    def set_text_size(self, size: str) -> None:
        self.session.text_size = size
        self.apply_look()

    def toggle_theme(self) -> None:
        self.session.theme = "standard" if self.session.theme == "high_contrast" \
            else "high_contrast"
        self.apply_look()

    def set_language(self, code: str) -> None:
        self.assisted.language_switched(code)
        self.session.language = code
        if self.session.journey is not None:
            self.session.journey.language = code
        self.refresh()
        self.repeat()

    def offered_languages(self) -> list[str]:
        return [code for code in self.settings.languages if _known(code)]

    def other_language_name(self) -> str:
        """The language button names the language it switches to, in that language."""
        offered = self.offered_languages()
        if len(offered) == 2:
            other = offered[1 - offered.index(self.session.language)] \
                if self.session.language in offered else offered[0]
            return language(other).name
        return " / ".join(language(code).name for code in offered[:3])

    def next_language(self) -> None:
        offered = self.offered_languages()
        if len(offered) == 2 and self.session.language in offered:
            self.set_language(offered[1 - offered.index(self.session.language)])
        else:
            self.languages.return_to = self.current()
            self.show(self.languages)

    # routes
    def back(self) -> None:
        self.current().on_back()

    def next(self) -> None:
        self.current().on_next()

    def show_help(self) -> None:
        """Help for this step, and the question whether to call a member of staff: a person is
        called only when the citizen says yes."""
        self.help.open_over(self.current())

    def call_staff(self) -> None:
        """Yes on the help screen: a request to the desk, saying where the citizen is stuck."""
        screen = self.help.under or self.current()
        journey = self.session.journey
        step = self.question.step if screen is self.question else None
        chosen = self.chosen.id if self.chosen is not None else None
        self.help_call.call(journey.service.id if journey else chosen,
                            step.id if step is not None else type(screen).__name__)

    def helper_arrives(self) -> None:
        """From the help screen: the helper signs in over the citizen's own screen."""
        self.helper_sign_in.open_over(self.help.under or self.menu)

    def open_helper_tools(self) -> None:
        self.helper_tools.open_over(self.current())

    def end_assistance(self) -> None:
        """The citizen (or helper) ends the help: a slip of what was done, to keep."""
        lines = self.assisted.slip_lines(self.session.language)
        here = self.current()
        self.assisted.end("citizen")
        if lines:
            self.slip.show_for(lines, here)

    def show_sound(self) -> None:
        self.sound.open_over(self.current())

    def echo(self, key: str, personal: bool) -> None:
        """A key typed on the on-screen keyboard, said back; a personal one only ticks."""
        if not self.settings.echo_keys or self.voice is None:
            return
        if personal and not self.voice.prefs.personal_aloud:
            self.say([], cue="key")
        else:
            self.say([Part("digits" if key.isdigit() else "text", key.lower())])

    def offer(self, words: list[str], personal: bool) -> None:
        """Handwriting candidates, said so a person who reads poorly hears which is which;
        while writing something personal, only as the one rule allows (headset, or aloud by
        choice)."""
        if not words or self.voice is None or (personal and not self.voice.prefs.personal_aloud):
            return
        lang = self.session.language
        joiner = "、" if lang.startswith("zh") else ", "
        self.say([tr(lang, "widget.pad.offered", choices=joiner.join(words))])

    def begin(self) -> None:
        """The attract screen was touched."""
        if self.needs_staff is not None:
            return self.repeat()  # nothing to begin: the staff message, once more
        self.session.begin()
        self.apply_look()
        if len(self.offered_languages()) > 1:
            self.languages.return_to = None
            self.show(self.languages)
        else:
            self.go_menu()

    def go_menu(self) -> None:
        self.session.leave_service()
        self.chosen = None
        self.show(self.menu)

    def choose_service(self, service: Service) -> None:
        self.chosen = service
        self.show(self.before_start)
        self.question.prepare(service)

    def start_chosen(self) -> None:
        """After "before you start": prove identity if needed, then the service itself."""
        if self.chosen is None:
            return self.go_menu()
        self.route(self.session.choose(self.chosen))

    def identity_start(self) -> Screen:
        """The card screen, or typing the ID number where no card reader is fitted."""
        return self.card if self.reader.prompt else self.id_number

    def show_journey(self, cue: str = "") -> None:
        """The screen for where the journey is now (after a submission, or its settling)."""
        self.route(self.session.announce(), cue)

    def route(self, outcome: Outcome, cue: str = "") -> None:
        """The screen for what a citizen's action led to (kiosk.session.Outcome). A refused
        answer stays on its step: the step's screen says why."""
        if outcome.move is Move.REFUSED:
            return
        if outcome.move is Move.IDENTIFY:
            return self.show(self.identity_start())
        journey = self.session.journey
        if outcome.move is Move.LEFT or journey is None:
            return self.go_menu()
        stage = outcome.stage
        if stage is Stage.INELIGIBLE:
            self.show(self.ineligible, cue="error")
        elif stage is Stage.REVIEW:
            self.show(self.review, cue)
        elif stage is Stage.DONE:
            if journey.result is not None:
                self.show(self.confirmation, cue)
            else:
                self.ask_rating()  # a query's last page was read: that task is done too
        else:
            self.question.load(journey.current)
            self.show(self.question, cue)

    def ask_rating(self) -> None:
        """After a task: everything personal is forgotten now, then "How was it?" in the
        citizen's own language and text size; that screen (or the idle timeout) ends the visit."""
        self.help.close_quietly()
        self.assisted.end("citizen")
        for screen in self.window.stack.findChildren(Screen):
            screen.clear()
        self.session.leave_service()
        self.session.citizen = None
        self.chosen = None
        self.show(self.rating)

    def end_session(self) -> None:
        """Finish, timeout or walking away: forget everyone and go back to the start."""
        self.help.close_quietly()
        self.help_call.cancel()  # the citizen has gone: nobody needs to come
        self.assisted.end("timeout" if self.idle.warning_shown else "citizen")
        self.idle.dismiss()
        for screen in self.window.stack.findChildren(Screen):
            screen.clear()
        self.session.end()
        if self.voice is not None:
            self.voice.reset()  # rate, volume, mute and headphones back to defaults
        self.chosen = None
        self.apply_look()
        self.show(self.attract)
        self.session_ended.emit()


def _known(code: str) -> bool:
    try:
        language(code)
    except KeyError:
        return False
    return True
