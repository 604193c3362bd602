"""The admin screen closes itself after a quiet spell: an admin who walks away must not leave
the settings open to the next passer-by."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin)


class AdminIdle(QObject):
    timed_out = Signal()

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.quiet = QTimer(self)
        self.quiet.setSingleShot(True)
        self.quiet.timeout.connect(self._time_out)
        self.set_timeout(seconds)

    def set_timeout(self, seconds: float) -> None:
        self.quiet.setInterval(int(seconds * 1000))

    @property
    def watching(self) -> bool:
        return self.quiet.isActive()

    def start(self) -> None:
        """Watch every touch and key in the application from now on."""
        QApplication.instance().installEventFilter(self)
        self.quiet.start()

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self.quiet.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.quiet.isActive():
            self.quiet.start()
        return False

    def _time_out(self) -> None:
        self.stop()
        self.timed_out.emit()
