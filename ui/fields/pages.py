"""Steps that are mostly reading: information, a declaration to agree to, a looked-up answer."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk import formatting
from kiosk.i18n import tr
from kiosk.journey import Journey
from kiosk.service import Step
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.fields.base import FieldWidget
from ui.screens.base import label
from ui.widgets.big_button import BigButton


class InfoField(FieldWidget):
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.body = label("body")
        self.box.addWidget(self.body)

    def retranslate(self, lang: str) -> None:
        self.body.setText(self.step.body.get(lang) if self.step.body else "")

    def script(self, lang: str) -> list[str]:
        return [self.body.text()]


class ConsentField(InfoField):
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.agreed = False
        self.agree = BigButton(role="option", icon="yes")
        self.agree.setObjectName("agree")
        self.agree.clicked.connect(self.toggle)
        self.box.addWidget(self.agree)

    def toggle(self) -> None:
        self.set_value(not self.agreed)
        self.changed.emit()

    def value(self) -> Any:
        return self.agreed

    def set_value(self, value: Any) -> None:
        self.agreed = bool(value)
        self.agree.set_selected(self.agreed)

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.agree.setText(tr(lang, "field.agree"))

    def script(self, lang: str) -> list[str]:
        return [self.body.text(), self.agree.text()]


class LookupField(FieldWidget):
    """Runs the step's lookup when built; a failure propagates for the screen to explain."""

    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.result = journey.lookup_for(step)
        host = QWidget()
        host.setProperty("role", "page")
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(16)
        self.rows = []
        for i, item in enumerate(step.shown):
            name, value = label("hint"), label("heading")
            value.setObjectName(f"shown-{item.key}")
            grid.addWidget(name, i, 0)
            grid.addWidget(value, i, 1)
            self.rows.append((item, name, value))
        grid.setColumnStretch(1, 1)
        self.box.addWidget(host)

    def retranslate(self, lang: str) -> None:
        for item, name, value in self.rows:
            name.setText(item.label.get(lang))
            value.setText(formatting.shown(item.format, self.result.get(item.key), lang))

    def script(self, lang: str) -> Script:
        """Each value in one sentence with its label; personal ones by the rule."""
        said: Script = []
        for item, name, _ in self.rows:
            value = self.result.get(item.key)
            personal = self.step.shows_personal(item)
            if value in (None, "") or item.format not in ("money", "date"):
                text = formatting.shown(item.format, value, lang)
                part = speech.Part("text", text, personal)
            elif item.format == "money":
                part = speech.money(str(value), personal)
            else:
                part = speech.day(str(value), personal)
            said.append(speech.labelled(name.text(), part, lang))
        return said

    def clear(self) -> None:
        for _, _, value in self.rows:
            value.clear()
