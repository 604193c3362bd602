"""A shared machine forgets: after a quiet spell, warn (shown and said) with a very large
"I need more time" button; if nobody answers, end the session and wipe everything."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.screens.context import KioskContext

ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin)
WINDOW_MADE = (QEvent.Type.Show, QEvent.Type.WinIdChange)


class TimeoutWarning(QWidget):
    """Covers the whole window while it asks; nothing behind it can be touched by mistake."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("role", "page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self)
        box.setContentsMargins(96, 96, 96, 96)
        box.setSpacing(48)
        self.heading = label("heading")
        self.heading.setObjectName("timeout-heading")
        self.countdown = label("body")
        self.countdown.setObjectName("timeout-countdown")
        self.more = BigButton(role="primary", icon="clock")
        self.more.setObjectName("more-time")
        self.more.setMinimumHeight(200)
        box.addStretch(1)
        box.addWidget(self.heading)
        box.addWidget(self.countdown)
        box.addWidget(self.more)
        box.addStretch(1)
        self.hide()

    def retranslate(self, lang: str, seconds: int) -> None:
        self.heading.setText(tr(lang, "idle.heading"))
        self.countdown.setText(tr(lang, "idle.countdown", seconds=seconds))
        self.more.setText(tr(lang, "idle.more_time"))


class IdleWatcher(QObject):
    def __init__(self, kiosk: KioskContext, timeout_s: float, warning_s: float) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.warning_s = warning_s
        self.quiet = QTimer(self)
        self.quiet.setSingleShot(True)
        self.quiet.setInterval(int(timeout_s * 1000))
        self.quiet.timeout.connect(self.warn)
        self.tick = QTimer(self)
        self.tick.setInterval(250)
        self.tick.timeout.connect(self.count_down)
        self.clock = QElapsedTimer()
        self._warning: TimeoutWarning | None = None  # built when first needed
        self._paused = False
        self._window = None  # the QWindow watched: every touch and key of the kiosk passes it
        kiosk.window.installEventFilter(self)  # only to find that QWindow once it exists
        self.quiet.start()

    @property
    def warning(self) -> TimeoutWarning:
        if self._warning is None:
            self._warning = TimeoutWarning(self.kiosk.window)
            self._warning.more.clicked.connect(self.dismiss)
        return self._warning

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self, paused: bool) -> None:
        """A helper explaining a step: the screen must not clear meanwhile."""
        self._paused = paused
        if paused:
            self.quiet.stop()
            self.tick.stop()
            if self._warning is not None:
                self._warning.hide()
        else:
            self.quiet.start()

    def stop(self) -> None:
        self.kiosk.window.removeEventFilter(self)
        if self._window is not None:
            self._window.removeEventFilter(self)
        self.quiet.stop()
        self.tick.stop()

    def set_timeout(self, seconds: float) -> None:
        self.quiet.setInterval(int(seconds * 1000))
        self.dismiss()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Input reaches the window's QWindow before any widget: watching it costs a call per
        window event, where watching the application cost one per event of every widget."""
        kind = event.type()
        if kind in ACTIVITY:
            if not self.warning_shown and not self._paused:
                self.quiet.start()
        elif kind in WINDOW_MADE:  # shown, or its native window made again
            handle = self.kiosk.window.windowHandle()
            if handle is not None and handle is not self._window:
                self._window = handle
                handle.installEventFilter(self)
        return False

    @property
    def warning_shown(self) -> bool:
        return self._warning is not None and self._warning.isVisible()

    def warn(self) -> None:
        if self.kiosk.current() is self.kiosk.attract:
            return self.quiet.start()
        self.clock.start()
        self.warning.setGeometry(self.kiosk.window.rect())
        self._update()
        self.warning.show()
        self.warning.raise_()
        self.warning.more.setFocus()
        self.tick.start()
        self.kiosk.say(self.script(self.kiosk.session.language), cue="idle")

    def script(self, lang: str) -> list[str]:
        return [self.warning.heading.text(), self.warning.countdown.text(),
                tr(lang, "idle.say_button")]

    def _remaining(self) -> float:
        return self.warning_s - self.clock.elapsed() / 1000

    def _update(self) -> None:
        self.warning.retranslate(self.kiosk.session.language, max(0, math.ceil(self._remaining())))

    def count_down(self) -> None:
        if self._remaining() <= 0:
            self.kiosk.end_session()
        else:
            self._update()

    def dismiss(self) -> None:
        self.tick.stop()
        if self._warning is not None:
            self._warning.hide()
        if not self._paused:
            self.quiet.start()
