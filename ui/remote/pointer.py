"""The clerk's pointer: a large pulsing ring round one control of the kiosk's screen.

Drawn over the window and transparent to taps (the citizen taps the button inside it), in
orange with a dark edge: it reads on both themes and is a shape, not a colour alone. It
follows the control while it stays visible, and goes after a while or when the screen
changes."""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

RING = QColor("#E35205")  # orange; the dark edge keeps it visible on white and on black
EDGE = QColor("#0B0C0C")
WIDTH = 14
GAP = 18  # between the control and the ring, so the ring covers none of its words
SHOWN_MS = 12000
FRAME_MS = 50
PULSE_MS = 1200


class PointerRing(QWidget):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("remote-pointer")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.target: QWidget | None = None
        self.clock = QElapsedTimer()
        self.frames = QTimer(self)
        self.frames.setInterval(FRAME_MS)
        self.frames.timeout.connect(self._frame)
        self.hide()

    def point_at(self, target: QWidget) -> None:
        self.target = target
        self.clock.start()
        self.frames.start()
        self._frame()
        self.show()
        self.raise_()

    def clear(self) -> None:
        self.target = None
        self.frames.stop()
        self.hide()

    def ring_rect(self) -> QRect:
        """Where the ring is drawn, in the window's coordinates (around the target)."""
        if self.target is None:
            return QRect()
        top_left = self.target.mapTo(self.parentWidget(), self.target.rect().topLeft())
        return QRect(top_left, self.target.size()).adjusted(-GAP, -GAP, GAP, GAP)

    def _frame(self) -> None:
        target = self.target
        if target is None or not target.isVisible() or self.clock.elapsed() > SHOWN_MS:
            return self.clear()
        margin = WIDTH * 2
        self.setGeometry(self.ring_rect().adjusted(-margin, -margin, margin, margin))
        self.update()

    def pulse(self) -> float:
        """0..1, a slow breath: the ring grows and shrinks a little."""
        return (1 - math.cos(2 * math.pi * (self.clock.elapsed() % PULSE_MS) / PULSE_MS)) / 2

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        grow = WIDTH * self.pulse()
        inset = WIDTH * 2 - grow
        rect = QRectF(self.rect()).adjusted(inset, inset, -inset, -inset)
        radius = min(rect.width(), rect.height()) / 4
        for colour, width in ((EDGE, WIDTH + 6), (RING, WIDTH)):
            painter.setPen(QPen(colour, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, radius, radius)
