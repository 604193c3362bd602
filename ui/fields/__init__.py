"""One widget family per kind of answer; `make_field` picks it from the step's type."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kiosk.journey import Journey
from kiosk.service import Step
from ui.fields.base import FieldWidget
from ui.fields.dates import DateField
from ui.fields.pages import ConsentField, InfoField, LookupField
from ui.fields.tiles import ChoiceField, SlotField, YesNoField
from ui.fields.typed import EntryField, keyboard_for
from ui.widgets.date_picker import DatePicker
from ui.widgets.keyboard import OnScreenKeyboard

WIDGETS: dict[str, type[FieldWidget]] = {
    "choice": ChoiceField,
    "yesno": YesNoField,
    "slot": SlotField,
    "date": DateField,
    "info": InfoField,
    "consent": ConsentField,
    "lookup": LookupField,
    **{kind: EntryField for kind in ("number", "money", "text", "id_number", "phone", "address")},
}


def make_field(step: Step, journey: Journey) -> FieldWidget:
    return WIDGETS[step.type](step, journey)


def part_for(step: Step) -> tuple[str, Callable[[], QWidget]] | None:
    """The kind of kept part (ui.fields.kept) this step's field takes, and how to build one."""
    if WIDGETS[step.type] is EntryField:
        layout = keyboard_for(step)
        return f"keyboard-{layout}", lambda: OnScreenKeyboard(layout)
    if WIDGETS[step.type] is DateField:
        return "calendar", DatePicker
    return None
