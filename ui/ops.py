"""The one way a screen does I/O (like Anki's CollectionOp / QueryOp).

    Op(screen, lambda: session.send_code(number), done=..., failed=...).run()

`work` runs on the thread pool (ui.tasks.run_in_background), never on the GUI thread. While it
runs the screen shows and says "one moment", its widgets take no taps, and a second Next starts
nothing (`run()` returns False). A result that comes after the citizen has left the screen, or
after the wait was given up, is dropped. When the hub does not answer within `WAIT_S`, or cannot
be reached, the screen says so in plain words and offers a choice: try again, or ask a helper.
`failed` gets only the refusals the screen explains itself (a wrong code, an unknown number;
`explains` names their kinds when they are not the backend's, such as a wrong helper PIN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.backend import BackendError, Unavailable
from kiosk.i18n import tr
from kiosk.message import KioskError
from ui.screens.base import Screen, label
from ui.tasks import run_in_background
from ui.widgets.big_button import BigButton

WAIT_S = 8.0  # a 2 s link answers well within it; a hung hub is named before its 10 s read timeout

_running: set[Op] = set()
_notices: WeakKeyDictionary[Screen, OpNotice] = WeakKeyDictionary()


def busy(quiet_too: bool = False) -> bool:
    """Whether any op the citizen waits for still runs (a robot citizen waits, as a person
    would); `quiet_too`: or any quiet one (an upgrade nobody waits for)."""
    return any(quiet_too or not op.quiet for op in _running)


class OpNotice(QWidget):
    """"One moment" while an op runs; after a timeout, what happened and the two ways on."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("op-notice")
        self.parent_screen: QWidget | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.words = label("banner")
        self.words.setObjectName("op-words")
        row = QHBoxLayout()
        row.setSpacing(24)
        self.retry = BigButton(role="primary", icon="next")
        self.retry.setObjectName("op-retry")
        self.ask = BigButton(role="secondary", icon="help")
        self.ask.setObjectName("op-help")
        row.addWidget(self.retry)
        row.addWidget(self.ask)
        box.addWidget(self.words)
        box.addLayout(row)
        self.again: Callable[[], None] | None = None  # what "try again" repeats
        self.retry.clicked.connect(lambda: self.again() if self.again else None)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the citizen left the screen: a stale "try again" is not waiting for them on return
        if event.type() == QEvent.Type.Hide and watched is self.parent_screen \
                and not any(op.screen is watched for op in _running):
            self.again = None
            self.hide()
        return False

    def waiting(self, text: str) -> None:
        self.words.setText(text)
        self.retry.hide()
        self.ask.hide()
        self.show()

    def stuck(self, text: str, lang: str) -> None:
        self.words.setText(text)
        self.retry.setText(tr(lang, "ops.retry"))
        self.ask.setText(tr(lang, "ops.ask_helper"))
        self.retry.show()
        self.ask.show()
        self.show()


def notice_for(screen: Screen) -> OpNotice:
    """The screen's one notice, at the top of its page (made on first use)."""
    if screen not in _notices:
        notice = OpNotice()
        notice.parent_screen = screen
        screen.installEventFilter(notice)
        notice.ask.clicked.connect(screen.kiosk.show_help)
        screen.box.insertWidget(0, notice)
        _notices[screen] = notice
    return _notices[screen]


class Op:
    def __init__(self, screen: Screen, work: Callable[[], Any], done: Callable[[Any], None],
                 failed: Callable[[KioskError], None] | None = None, *,
                 quiet: bool = False, wait_s: float | None = None,
                 explains: tuple[type[KioskError], ...] = (BackendError,),
                 wait_key: str = "ops.wait", local: bool = False) -> None:
        """`quiet`: no "one moment" and no choice on a timeout (an upgrade the citizen does not
        wait for, such as a provisional reference becoming official). `wait_key`: the "one
        moment" words, when the work asks something other than the hub. `local`: the work
        waits on nothing outside this machine (ui.tasks: it never queues behind the hub)."""
        self.screen, self.work, self.done, self.failed, self.quiet = \
            screen, work, done, failed, quiet
        self.wait_s = WAIT_S if wait_s is None else wait_s
        self.explains, self.wait_key, self.local = explains, wait_key, local
        self._timer: QTimer | None = None
        self._over = False

    def run(self) -> bool:
        if any(op.screen is self.screen and not op.quiet for op in _running) and not self.quiet:
            return False  # a second tap while the first still waits: swallowed
        _running.add(self)
        if not self.quiet:
            lang = self.screen.lang
            notice = notice_for(self.screen)
            notice.again = None
            notice.waiting(tr(lang, self.wait_key))
            self.screen.scroll.ensureWidgetVisible(notice)  # a long page may be scrolled down
            self.screen.body.setEnabled(False)
            # said once the screen is shown (a question loads before it is shown, and showing
            # a screen starts its own words)
            QTimer.singleShot(0, self._say_wait)
        self._timer = QTimer(self.screen)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._timer.start(int(self.wait_s * 1000))
        run_in_background(self.work, self._finished, self._problem, local=self.local)
        return True

    def _say_wait(self) -> None:
        if not self._over and self.screen.kiosk.current() is self.screen:
            self.screen.kiosk.say([tr(self.screen.lang, self.wait_key)])

    def _end(self) -> bool:
        """False when this op is already over (timed out, or the citizen moved on)."""
        if self._over:
            return False
        self._over = True
        _running.discard(self)
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
        if not self.quiet:
            notice_for(self.screen).hide()
            self.screen.body.setEnabled(True)
        return not self.screen.kiosk.closed and self.screen.kiosk.current() is self.screen

    def _finished(self, result: Any) -> None:
        if self._end():
            self.done(result)

    def _problem(self, problem: Exception) -> None:
        if not self._end():
            return
        if self.failed is not None and isinstance(problem, self.explains) \
                and not isinstance(problem, Unavailable):
            return self.failed(problem)
        said = problem if isinstance(problem, KioskError) else BackendError()
        self._stuck(said.text(self.screen.lang))

    def _timed_out(self) -> None:
        if self._end():
            self._stuck(tr(self.screen.lang, "ops.timeout", seconds=round(self.wait_s)))

    def _stuck(self, text: str) -> None:
        if self.quiet:
            return
        lang = self.screen.lang
        notice = notice_for(self.screen)
        notice.again = self._again
        notice.stuck(text, lang)
        self.screen.scroll.ensureWidgetVisible(notice)
        self.screen.kiosk.say([text, notice.retry.text(), notice.ask.text()], cue="error")

    def _again(self) -> None:
        Op(self.screen, self.work, self.done, self.failed, wait_s=self.wait_s,
           explains=self.explains, wait_key=self.wait_key, local=self.local).run()
