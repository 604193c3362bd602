"""A field widget: shows one step's question body and hands the raw answer to the journey."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.journey import Journey
from kiosk.service import Step

if TYPE_CHECKING:
    from ui.widgets.keyboard import OnScreenKeyboard


class FieldWidget(QWidget):
    keys: OnScreenKeyboard | None = None  # the on-screen keyboard, for a field typed on one
    changed = Signal()
    submitted = Signal()  # Enter in an entry: the same as pressing Next
    announce = Signal(object)  # a short script to say now (the month a calendar turned to)
    _released = False  # its kept parts handed back (release)

    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__()
        self.step = step
        self.journey = journey
        self.setProperty("role", "page")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(20)

    def value(self) -> Any:
        return None

    def set_value(self, value: Any) -> None:
        """Start from an earlier answer or from what the government holds."""

    def retranslate(self, lang: str) -> None:
        pass

    def script(self, lang: str) -> list[str]:
        """The spoken form of what this field shows (options, values), after the question."""
        return []

    def parts(self) -> list[QWidget]:
        """Kept parts (ui.fields.kept) that the screen lays out right under this field, in
        this order; placed before `set_value`, which may show or hide them."""
        return []

    def release(self) -> None:
        """Leaving its screen: the kept parts are set aside clean for the next step."""

    def clear(self) -> None:
        self.set_value(None)
