"""A clerk at a remote desk helping the citizen: the kiosk's side of the session.

The help call (ui/help_call.py) says when a remote desk took it; from then on this object asks
for consent, runs the live channel (ui/remote/link.py), sends the screen model within a moment
of every change, and carries out what the desk asks (kiosk/remote/desk.py decides what it may):
point with a ring, speak, fill a field through the citizen's own checks, change the language or
text size, pause the idle timer. The citizen ends it with one large button; it ends itself when
the visit ends or the link is lost, and the kiosk carries on where it was.

Speech follows the one rule (kiosk/speech/script.py): a clerk's sentence is not personal and is
said; a value the clerk fills is shown as it is typed, never said through the loudspeaker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from kiosk.i18n import language, tr
from kiosk.remote import desk
from kiosk.remote.hooks import VoiceHandler, VoiceLink, VoiceOpener, voice_opener
from kiosk.remote.screen import build, encode
from kiosk.remote.session import LINK_LOST_AFTER_S, LinkWatch, RemoteSession
from ui.remote.bar import RemoteBar
from ui.remote.consent import RemoteConsentScreen
from ui.remote.fill import FieldFiller
from ui.remote.link import ChannelLink, wait_for_long_polls
from ui.remote.pointer import PointerRing
from ui.remote.view import current_view
from ui.tasks import wait_for_background

if TYPE_CHECKING:
    from ui.screens.context import KioskContext as Kiosk

SHARE_EVERY_MS = 250  # a change the hooks miss (a calendar's month) is seen this soon
AFTER_INPUT_MS = 30  # a tap or a key: the screen it changed, shared as soon as it is drawn
INPUT = (QEvent.Type.MouseButtonRelease, QEvent.Type.KeyRelease, QEvent.Type.TouchEnd)


class RemoteHelp(QObject):
    changed = Signal()
    _voice_live = Signal(bool)  # from the voice part's thread to the GUI thread
    _voice_audit = Signal(str)

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.session: RemoteSession | None = None  # the live one, or the last of this visit
        self.link: ChannelLink | None = None
        self.voice: VoiceHandler | None = None
        # the voice part's opener; None: the installed one, looked up (aiortc imported) only
        # when a citizen first lets a clerk help, never at the kiosk's start
        self.open_voice: VoiceOpener | None = None
        self.call_live = False
        self.lost_after = LINK_LOST_AFTER_S
        self.last_sent = b""
        self.ended_words = ""  # what the kiosk said when the last session ended
        self._shown: tuple = ()
        self.filler = FieldFiller(kiosk)
        self.bar = RemoteBar()
        kiosk.window.remote_slot.addWidget(self.bar)
        self.bar.end.clicked.connect(lambda: self.end("citizen"))
        self.bar.details.clicked.connect(self.toggle_details)
        self.bar.hang_up.clicked.connect(self.hang_up)
        self.ring = PointerRing(kiosk.window)
        self.consent = RemoteConsentScreen(kiosk, self.answer_consent)
        self.tick = QTimer(self)
        self.tick.setInterval(SHARE_EVERY_MS)
        self.tick.timeout.connect(self.share)
        kiosk.screen_shown.connect(self._screen_changed)
        kiosk.session_ended.connect(self._visit_ended)
        self._voice_live.connect(self._set_call_live)
        self._voice_audit.connect(self._audit_call)
        self.changed.connect(kiosk.refresh)  # the help strip gives way to the remote bar

    @property
    def active(self) -> bool:
        return self.session is not None and self.session.active

    @property
    def sharing(self) -> bool:
        return self.active and self.session.sharing

    # the call is taken
    def begin(self, request_id: str, clerk: str, desk_name: str) -> None:
        if self.active:
            return
        kiosk = self.kiosk
        self.session = RemoteSession(request_id, clerk, desk_name, kiosk.assisted.audit,
                                     kiosk.settings.kiosk_id, service_id=self._service_id)
        self.session.taken()
        self.link = ChannelLink(kiosk.ports.help_desk, request_id, self.session.outgoing,
                                LinkWatch(self.lost_after))
        self.link.received.connect(self._received)
        self.link.lost.connect(self._lost)
        self.link.start()
        self.session.ask_consent()
        names = {"clerk": clerk, "desk": desk_name}
        self.consent.ask(clerk, desk_name)  # its own words follow who has the call
        kiosk.say([tr(kiosk.session.language, "remote.taken", **names),
                   *self.consent.script(kiosk.session.language)[1:]], cue="help")

    def _service_id(self) -> str:
        journey = self.kiosk.session.journey
        return journey.service.id if journey is not None else ""

    def answer_consent(self, see: bool) -> None:
        if not self.active:
            return
        self.session.answer_consent(see)
        self.link.flush()
        if not see:
            self.kiosk.say([tr(self.kiosk.session.language, "remote.refused_said")])
            return self.end("citizen", quietly=True)
        self._open_voice()
        self.tick.start()
        QApplication.instance().installEventFilter(self)
        self.changed.emit()
        self.share()

    def toggle_details(self) -> None:
        if not self.sharing:
            return
        on = not self.session.personal
        self.session.show_details(on)
        lang = self.kiosk.session.language
        self.kiosk.say([tr(lang, "remote.details_shown" if on else "remote.details_hidden",
                           clerk=self.session.clerk)])
        self.share()

    # the screen, for the desk
    def _screen_changed(self, _screen) -> None:
        self.ring.clear()  # the control pointed at belongs to the screen that was
        if self.sharing:
            QTimer.singleShot(0, self, self.share)  # after the screen has drawn itself

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT and self.sharing:
            QTimer.singleShot(AFTER_INPUT_MS, self, self.share)
        return False

    def share(self) -> None:
        """The screen model, sent when it differs from the last one sent."""
        if not self.sharing:
            return
        self._keep_bar()
        model = build(current_view(self.kiosk), self.session.personal)
        sent = encode(model)
        if sent != self.last_sent and self.session.screen(model):
            self.last_sent = sent
            self.link.flush()

    def _keep_bar(self) -> None:
        """The bar in the screen's language and state; shown wherever the bars are."""
        session, lang = self.session, self.kiosk.session.language
        size = self.kiosk.session.text_size
        shown = (lang, size, session.personal, self.call_live,
                 self.kiosk.current().nav().bars)
        if shown != self._shown:
            self._shown = shown
            self.bar.retranslate(lang, size, session.clerk, session.desk_name,
                                 session.personal, self.call_live)
            self.bar.setVisible(shown[-1])

    # what the desk asks
    def _received(self, message: dict) -> None:
        session, kiosk = self.session, self.kiosk
        if not self.active:
            return
        lang = kiosk.session.language
        command = session.receive(message, list(self._spoken_languages()), lang)
        if command is None:
            return self.link.flush()
        done = tr(lang, "remote.done")
        match command:
            case desk.End(by=by):
                return self.end(by)
            case desk.Taken():
                return
            case desk.Point(target=target, words=words):
                widget = self._control(target)
                if widget is None:
                    session.done(message, False, tr(lang, "remote.refused.no_control"))
                else:
                    _bring_into_view(widget)
                    self.ring.point_at(widget)
                    session.pointed(target)
                    self._speak(words)
                    session.done(message, True, done)
            case desk.Say(words=words):
                session.said(words)
                self._speak(words)
                session.done(message, True, done)
            case desk.Fill():
                return self._fill(message, command)
            case desk.Language(lang=code):
                session.language_switched(code)
                self._switch_language(code)
                session.done(message, True, done)
            case desk.TextSize(size=size):
                session.text_size(size)
                kiosk.set_text_size(size)
                session.done(message, True, done)
            case desk.PauseIdle(on=on):
                session.timeout_paused(on)
                kiosk.idle.pause(on)
                session.done(message, True, done)
            case desk.Voice(message=voice_message):
                if self.voice is None:
                    session.done(message, False, tr(lang, "remote.refused.kind"))
                else:
                    self.voice.handle(voice_message)
        self.share()
        self.link.flush()

    def _spoken_languages(self) -> dict[str, str]:
        """Each language the kiosk offers, and each spoken dialect of one (yue): the written
        language it is shown in."""
        found = {}
        for code in self.kiosk.offered_languages():
            found[code] = code
            for dialect in language(code).dialects or {}:
                found[dialect] = code
        return found

    def _switch_language(self, code: str) -> None:
        """A written language, or a dialect: its written language shown, the dialect said."""
        kiosk = self.kiosk
        written = self._spoken_languages()[code]
        if kiosk.voice is not None:
            kiosk.voice.prefs.dialect = "" if code == written else code
        if written != kiosk.session.language:
            kiosk.set_language(written)
        else:
            kiosk.refresh()
            kiosk.repeat()

    def _control(self, name: str) -> QWidget | None:
        """A visible control of the kiosk's window by its name (not the remote bar's own)."""
        for widget in self.kiosk.window.findChildren(QWidget, name):
            if widget.isVisible() and not self.bar.isAncestorOf(widget):
                return widget
        return None

    def _speak(self, words: str) -> None:
        """A clerk's sentence: shown in the bar, said aloud (it is not personal)."""
        if not words:
            return
        shown = tr(self.kiosk.session.language, "remote.words", clerk=self.session.clerk,
                   words=words)
        self.bar.show_words(shown)
        self.consent.show_words(shown)  # before the citizen answers, the bar is not there yet
        self.kiosk.say([words])

    def _fill(self, message: dict, command: desk.Fill) -> None:
        """Typed where the citizen sees it, then the citizen's own checks (ui/remote/fill.py);
        the desk gets the outcome in the same words, the audit the step id only."""
        session = self.session

        def finished(outcome: str, words: str) -> None:
            if not session.active:
                return
            taken = outcome == "taken"
            if outcome != "not_here":
                session.filled(command.field, taken)
            if taken:
                words = tr(self.kiosk.session.language, "remote.filled", clerk=session.clerk,
                           field=words)
            session.done(message, taken, words)
            self.share()
            self.link.flush()

        self.filler.fill(command.field, command.value, finished)

    # the voice call (kiosk/remote/hooks.py)
    def _open_voice(self) -> None:
        opener = self.open_voice or voice_opener()
        if opener is None:
            return  # no voice part installed: help without a call
        session, link = self.session, self.link

        def send(message: dict) -> None:
            session.outgoing.put(message)
            link.wake.emit()

        self.voice = opener(VoiceLink(send=send, live=self.show_call,
                                      audit=self._voice_audit.emit, clerk=session.clerk,
                                      desk=session.desk_name))

    def show_call(self, live: bool) -> None:
        """The voice part says a call is live, or over (any thread: VoiceLink.live)."""
        self._voice_live.emit(live)

    def _set_call_live(self, live: bool) -> None:
        self.call_live = live and self.active
        if self.sharing:
            self._keep_bar()
        self.changed.emit()

    def _audit_call(self, what: str) -> None:
        if self.session is not None:
            self.session.call(what)

    def hang_up(self) -> None:
        if self.voice is not None:
            self.voice.hang_up()

    # the end
    def end(self, by: str, quietly: bool = False) -> None:
        """`by`: citizen (the large button), clerk, visit (the visit ended), link (lost)."""
        if not self.active:
            return
        session, kiosk = self.session, self.kiosk
        session.end(by)
        self.link.send_last()
        if by == "link" and self.voice is not None:
            self.voice.link_lost()  # a call on ends without a bye nobody would receive
        self._tear_down()
        if by in ("citizen", "visit"):
            kiosk.help_call.cancel()  # the call is over at the desk too
        else:
            kiosk.help_call.reset()
        lang = kiosk.session.language
        self.bar.show_words("")
        if not quietly and by != "visit":
            self.ended_words = tr(lang, f"remote.ended.{by}", clerk=session.clerk)
            kiosk.say([self.ended_words], cue="help")
        if by == "citizen" and not quietly:
            lines = self.slip_lines(lang)
            if lines:
                kiosk.slip.show_for(lines, kiosk.current())
        self.changed.emit()

    def _lost(self) -> None:
        self.end("link")

    def _tear_down(self) -> None:
        self.tick.stop()
        QApplication.instance().removeEventFilter(self)
        self.filler.stop()
        if self.voice is not None:
            self.voice.close()
            self.voice = None
        self.call_live = False
        self.ring.clear()
        self.bar.hide()
        self._shown = ()
        self.last_sent = b""
        if self.kiosk.current() is self.consent:
            self.consent.on_back()  # asked and never answered: back where the citizen was
        self.kiosk.idle.pause(False)

    def _visit_ended(self) -> None:
        self.end("visit")
        self.session = None  # nothing of this visit is kept for the next citizen

    def shutdown(self) -> None:
        """The kiosk closes: the desk is told, and the poll in flight comes back first."""
        self.end("visit")
        wait_for_background()  # the last words went
        wait_for_long_polls(3000)

    # on paper
    def slip_lines(self, lang: str) -> list[str]:
        session = self.session
        if session is None:
            return []
        names = {"clerk": session.clerk, "desk": session.desk_name}
        return [tr(lang, f"slip.remote.{action}", what=self._question(subject, lang), **names)
                for action, subject in session.done_acts]

    def _question(self, step_id: str, lang: str) -> str:
        journey = self.kiosk.session.journey
        if journey is None or not step_id:
            return step_id
        try:
            return journey.service.step(step_id).title.get(lang)
        except KeyError:
            return step_id

    def submission_extra(self) -> dict:
        """"Helped remotely by <clerk>, <desk>" on the submission and the receipt."""
        return self.session.submission_extra() if self.session is not None else {}


def _bring_into_view(widget: QWidget) -> None:
    """A control scrolled off the page is scrolled into it first: the ring must be seen."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget, 48, 48)
