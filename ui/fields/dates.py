"""Dates picked on a calendar, one month per page: no typing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.i18n import tr
from kiosk.journey import Journey
from kiosk.service import Step
from kiosk.speech import script as speech
from kiosk.speech import spoken
from kiosk.speech.script import Script
from ui.fields import kept
from ui.fields.base import FieldWidget
from ui.widgets.date_picker import DatePicker


class DateField(FieldWidget):
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        today = journey.today
        first = today + timedelta(days=int(step.min if step.min is not None else -43800))
        last = today + timedelta(days=int(step.max if step.max is not None else 0))
        self.first, self.last = first, last
        self.picker = kept.take("calendar") or DatePicker()
        self.picker.set_range(first, last, first if first > today else min(today, last))
        self.picker.changed.connect(lambda _d: self.changed.emit())
        self.picker.page_changed.connect(lambda: self.announce.emit([self.picker.month_text()]))
        self.hide()  # nothing of its own: the screen lays its calendar out in its place

    def parts(self) -> list[QWidget]:
        return [self.picker]

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        self.picker.set_aside()
        kept.keep("calendar", self.picker)

    def value(self) -> Any:
        return self.picker.value().isoformat()

    def set_value(self, value: Any) -> None:
        if value:
            self.picker.set_value(date.fromisoformat(str(value)))
        self.picker.show()  # a kept one was hidden when set aside

    def retranslate(self, lang: str) -> None:
        self.picker.retranslate(lang)

    def script(self, lang: str) -> Script:
        """Which days can be chosen, then the day chosen now: each a whole sentence."""
        first, last = (spoken.day(day, lang, weekday=True) for day in (self.first, self.last))
        return [tr(lang, "speech.date_range", first=first, last=last),
                speech.day(self.picker.value()).framed(tr(lang, "speech.date_now",
                                                          day=speech.VALUE))]
