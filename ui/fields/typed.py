"""Answers typed on the big on-screen keyboard (a helper's physical keyboard works too), with
common phrases to tap instead of typing: the keyboard's first tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QGridLayout, QWidget
from shiboken6 import isValid

from kiosk import formatting
from kiosk.fields import check
from kiosk.i18n import tr
from kiosk.journey import Journey
from kiosk.service import Step
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.fields.base import FieldWidget
from ui.widgets.big_button import BigButton
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard

DIGIT_TYPES = ("phone", "id_number", "number")
# The keyboard of the last step that had one, kept for the next step of the same layout: a
# question with a keyboard (40 to 90 keys) shows in a fraction of the time when its keyboard
# needs no building. Only one: every live widget is restyled when the text size changes.
_SPARE: dict[str, OnScreenKeyboard] = {}


def _keyboard(layout: str) -> OnScreenKeyboard:
    spare = _SPARE.pop(layout, None)
    return spare if spare is not None and isValid(spare) else OnScreenKeyboard(layout)


def keyboard_for(step: Step) -> str:
    if step.type == "id_number":
        return "id"
    if step.type in ("number", "phone"):
        return "digits"
    if step.type == "money":
        return "decimal"
    if step.type == "text" and step.keyboard in ("digits", "alnum"):
        return step.keyboard
    return "text"


class EntryField(FieldWidget):
    _placed = False  # on a screen once (events arrive before __init__ is through)
    _kept = False  # its keyboard set aside for the next step
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.entry = BigEntry()
        self.entry.setObjectName("entry")
        self.entry.textChanged.connect(self.changed)
        self.entry.returnPressed.connect(self.submitted)
        self.box.addWidget(self.entry)
        self.phrases: list[BigButton] = []
        self.keys = _keyboard(keyboard_for(step))
        if step.phrases:
            host = QWidget()
            host.setProperty("role", "page")
            grid = QGridLayout(host)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(16)
            for i, phrase in enumerate(step.phrases):
                chip = BigButton(role="secondary")
                chip.setObjectName(f"phrase-{i}")
                chip.clicked.connect(lambda _=False, p=phrase: self.add_phrase(p))
                self.phrases.append(chip)
                grid.addWidget(chip, i // 2, i % 2)
            self.keys.add_phrases(host)
        self.entry.attach(self.keys)
        self.change = BigButton(role="secondary", icon="keypad")
        self.change.setObjectName("change-it")
        self.change.clicked.connect(self.open_keyboard)
        self.change.hide()
        self.box.addWidget(self.change)
        if self.keys.parentWidget() is None:  # a kept one waits in its screen, which places
            self.box.addWidget(self.keys)  # it under this field (ui.screens.question)
        self.keys.setVisible(True)  # a kept one was hidden when set aside

    def event(self, event: QEvent) -> bool:
        """Taken off its screen (ui.screens.base.discard) or deleted: the keyboard is kept,
        clean, for the next step, which is built at once."""
        kind = event.type()
        if kind == QEvent.Type.ParentChange and self.parentWidget() is not None:
            self._placed = True
        elif (self._placed and kind == QEvent.Type.ParentAboutToChange) \
                or kind == QEvent.Type.DeferredDelete:  # out first: the field leaves lighter
            self._keep_keyboard()
        return super().event(event)

    def _keep_keyboard(self) -> None:
        if self._kept:
            return
        self._kept = True
        self.entry.detach()
        self.keys.set_aside(self.parentWidget())  # still on its screen: kept there
        for other in _SPARE.values():
            if isValid(other) and other is not self.keys:
                other.deleteLater()
        _SPARE.clear()
        _SPARE[keyboard_for(self.step)] = self.keys

    def open_keyboard(self) -> None:
        self.change.hide()
        self.keys.show()
        self.keys.bring_into_view()
        self.entry.setFocus()

    def add_phrase(self, phrase) -> None:
        words = phrase.get(self.journey.language)
        current = self.entry.text().strip()
        joiner = "" if not current or self.journey.language.startswith("zh") else " "
        self.entry.setText(f"{current}{joiner}{words}" if current else words)
        self.entry.setFocus()

    def value(self) -> Any:
        return self.entry.text()

    def set_value(self, value: Any) -> None:
        if value is None:
            self.entry.setText("")  # unlike clear(), this also drops the undo history
        elif self.step.type == "phone":
            self.entry.setText(formatting.phone(str(value)))
        else:
            self.entry.setText(str(value))
        # shown to confirm: the keyboard waits until it is asked for
        waiting = bool(self.step.prefill and value)
        self.change.setVisible(waiting)
        self.keys.setVisible(not waiting)

    def retranslate(self, lang: str) -> None:
        self.keys.retranslate(lang)
        self.change.setText(tr(lang, "field.change_it" if self.step.prefill else "field.type_own"))
        self.entry.setAccessibleName(self.step.title.get(lang))
        for chip, phrase in zip(self.phrases, self.step.phrases, strict=True):
            chip.setText(phrase.get(lang))

    def script(self, lang: str) -> Script:
        """What is written now (a personal answer by the rule), then the phrases to tap; a
        phrase that is the answer is marked as chosen rather than said twice."""
        raw = self.value().strip()
        phrases = [chip.text() for chip in self.phrases]
        said: Script = [speech.framed(p, tr(lang, "speech.chosen_option", option=speech.VALUE))
                        if p == raw else p for p in phrases]
        if raw and raw not in phrases:
            checked = check(self.step, raw, self.journey.today)
            if checked.ok and checked.value is not None:
                written = speech.answer(self.journey, self.step, checked.value, lang)
            else:  # half typed: said as it stands
                kind = "digits" if self.step.type in DIGIT_TYPES else "text"
                written = speech.Part(kind, raw, self.step.is_personal)
            said.insert(0, speech.framed(written, tr(lang, "speech.entered", value=speech.VALUE)))
        return said

    def showEvent(self, event) -> None:
        self.entry.setFocus()
        super().showEvent(event)
