"""A PIN pad: what to type, the typed digits hidden as dots, a plain error, and the keypad.

The helper sign-in and the admin sign-in both use it. Nothing typed here is ever spoken: the
keypad is not connected to the kiosk's key echo.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.screens.base import ErrorText, label
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard


class PinPad(QWidget):
    submitted = Signal()  # Enter on a physical keyboard (the screen's own button does the same)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "page")
        self.prompt = label("body")
        self.entry = BigEntry()
        self.entry.setObjectName("pin")
        self.entry.setEchoMode(BigEntry.EchoMode.Password)
        self.keys = OnScreenKeyboard("digits")
        self.entry.attach(self.keys)
        self.entry.returnPressed.connect(self.submitted)
        self.error = ErrorText()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        for widget in (self.prompt, self.entry, self.error):
            box.addWidget(widget)
        self.beside_keys = QHBoxLayout()  # a screen may put its own buttons right of the keypad
        self.beside_keys.setSpacing(24)
        self.beside_keys.addWidget(self.keys, 3)
        box.addLayout(self.beside_keys)

    def set_prompt(self, text: str) -> None:
        self.prompt.setText(text)
        self.entry.setAccessibleName(text)

    def text(self) -> str:
        return self.entry.text()

    def clear(self) -> None:
        self.entry.setText("")

    def set_locked(self, locked: bool) -> None:
        """While entry is refused (too many wrong PINs) nothing can be typed."""
        self.entry.setEnabled(not locked)
        self.keys.setEnabled(not locked)
