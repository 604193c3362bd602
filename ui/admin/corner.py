"""The hidden admin entry: a 3-second press on the welcome screen's top-left corner.

A transparent square over that corner. Let go before 3 seconds and it is an ordinary touch of
the welcome screen (the visit begins, as anywhere else); hold on and the admin PIN screen opens
instead. Nothing is said or shown while holding: a passer-by learns nothing from trying.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

SIZE = 120  # px: a fingertip finds the corner without aiming
HOLD_MS = 3000


class CornerHold(QWidget):
    def __init__(self, parent: QWidget, on_tap: Callable[[], None],
                 on_hold: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("admin-corner")
        self.on_tap = on_tap
        self.on_hold = on_hold
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(HOLD_MS)
        self.timer.timeout.connect(self._held)
        self._holding = False
        self.setGeometry(0, 0, SIZE, SIZE)
        self.raise_()

    def set_hold_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._holding = True
            self.timer.start()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
        if event.button() != Qt.MouseButton.LeftButton or not self._holding:
            return
        self._holding = False
        if self.timer.isActive():  # a short tap: the welcome screen's own meaning
            self.timer.stop()
            if self.rect().contains(event.position().toPoint()):
                self.on_tap()

    def _held(self) -> None:
        self._holding = False
        self.on_hold()

    def hideEvent(self, event) -> None:
        self.timer.stop()
        self._holding = False
        super().hideEvent(event)
