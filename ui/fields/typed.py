"""Answers typed on the big on-screen keyboard (a helper's physical keyboard works too), with
common phrases to tap instead of typing: the keyboard's first tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk import formatting
from kiosk.fields import check
from kiosk.i18n import tr
from kiosk.journey import Journey
from kiosk.service import Step
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.fields import kept
from ui.fields.base import FieldWidget
from ui.widgets.big_button import BigButton
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard

DIGIT_TYPES = ("phone", "id_number", "number")


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
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.entry = BigEntry()
        self.entry.setObjectName("entry")
        self.entry.textChanged.connect(self.changed)
        self.entry.returnPressed.connect(self.submitted)
        self.box.addWidget(self.entry)
        self.phrases: list[BigButton] = []
        self.keys = kept.take(self._kind()) or OnScreenKeyboard(keyboard_for(step))
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

    def _kind(self) -> str:
        return f"keyboard-{keyboard_for(self.step)}"  # as ui.fields.part_for

    def parts(self) -> list[QWidget]:
        return [self.keys]  # shown or hidden by set_value

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        self.entry.detach()
        self.keys.set_aside()
        kept.keep(self._kind(), self.keys)

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

    def clear(self) -> None:
        self.entry.setText("")  # the keyboard is set aside clean with the field (release)

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
