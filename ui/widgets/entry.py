"""A one-line entry showing what was typed in large text, fed by the on-screen keyboard.

It stays an ordinary QLineEdit, so a helper's physical keyboard (typing, arrows, Backspace,
Enter -> returnPressed) works as usual. No placeholder text: Qt draws it in a faded colour that
would fail the contrast rule. No context menu: it would open on a long press.
"""

from __future__ import annotations

from PySide6.QtCore import QMetaObject, Qt
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QWidget

from kiosk.i18n import tr
from ui import theme
from ui.widgets.keyboard import OnScreenKeyboard


class BigEntry(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "body")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setMinimumHeight(theme.MIN_TARGET + 32)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._keyboard: OnScreenKeyboard | None = None
        self._connections: list[QMetaObject.Connection] = []
        self._named = False

    def attach(self, keyboard: OnScreenKeyboard) -> None:
        """Type what `keyboard` sends into this entry (replacing any keyboard attached before)."""
        self.detach()
        self._keyboard = keyboard
        self._connections = [
            keyboard.typed.connect(self._typed),
            keyboard.backspace.connect(self._backspace),
            keyboard.cleared.connect(self._cleared),
        ]

    def detach(self) -> None:
        if self._keyboard is not None:
            for connection in self._connections:
                self._keyboard.disconnect(connection)
        self._keyboard = None
        self._connections = []

    def keyboard(self) -> OnScreenKeyboard | None:
        return self._keyboard

    def setAccessibleName(self, name: str) -> None:
        self._named = True
        super().setAccessibleName(name)

    def retranslate(self, lang: str) -> None:
        """Screens usually name the entry after their question; this is the fallback name."""
        if not self._named:
            super().setAccessibleName(tr(lang, "widget.entry.name"))

    def _editable(self) -> bool:
        return self.isEnabled() and not self.isReadOnly()

    def _typed(self, text: str) -> None:
        if self._editable():
            self.insert(text)

    def _backspace(self) -> None:
        if self._editable():
            self.backspace()

    def _cleared(self) -> None:
        if self._editable():
            self.selectAll()
            self.del_()
