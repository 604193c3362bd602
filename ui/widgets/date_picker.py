"""A calendar: one month per page, weekday names over large day buttons, a day chosen by one tap.

Only the days in the allowed range can be tapped; in a week shown, the others keep their place
(a dashed, greyed button that cannot be tapped), so the week reads as on a wall calendar. Weeks
with no day that can be chosen are left out. "Previous month" and "next month" turn the page
across the year (December -> January of the next year) and are disabled only where no allowed
day lies that way. A range longer than a year adds "previous year" / "next year". The chosen day
is repeated as one readable line with its weekday.
"""

from __future__ import annotations

import calendar
import warnings
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import FALLBACK, tr
from ui import theme
from ui.widgets.big_button import BigButton

DEFAULT_FIRST = date(1900, 1, 1)
DEFAULT_LAST = date(2100, 12, 31)
WEEKS = 6  # the most weeks a month touches
_WEEK = calendar.Calendar(firstweekday=calendar.MONDAY)


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def moved(page: tuple[int, int], months: int) -> tuple[int, int]:
    """The (year, month) `months` pages away: December + 1 is January of the next year."""
    index = page[0] * 12 + page[1] - 1 + months
    return index // 12, index % 12 + 1


def weeks(year: int, month: int) -> list[list[date | None]]:
    """The month's weeks, Monday first; None where a day belongs to another month."""
    return [[day if day.month == month else None for day in week]
            for week in _WEEK.monthdatescalendar(year, month)]


class DatePicker(QWidget):
    changed = Signal(object)  # datetime.date
    page_changed = Signal()  # another month is shown (the field says it aloud)

    def __init__(self, parent: QWidget | None = None, *, value: date | None = None) -> None:
        super().__init__(parent)
        self._lang = FALLBACK
        self._first, self._last = DEFAULT_FIRST, DEFAULT_LAST
        self._value = self._clamp(value or date.today())
        self._page = (self._value.year, self._value.month)
        self._drawn: tuple | None = None  # what the page shows now (_refresh)

        self.previous = self._turn("month-previous", -1, "‹")
        self.next = self._turn("month-next", +1, "›")
        self.previous_year = self._turn("year-previous", -12, "«")
        self.next_year = self._turn("year-next", +12, "»")
        self.month = QLabel()
        self.month.setObjectName("month-shown")
        self.month.setProperty("role", "heading")
        self.month.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.month.setWordWrap(True)
        header = QHBoxLayout()
        header.setSpacing(theme.GAP)
        for widget in (self.previous_year, self.previous):
            header.addWidget(widget)
        header.addWidget(self.month, 1)
        for widget in (self.next, self.next_year):
            header.addWidget(widget)

        grid = QGridLayout()
        grid.setSpacing(theme.GAP)
        self.weekdays: list[QLabel] = []
        for column in range(7):
            name = QLabel()
            name.setProperty("role", "body")
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(name, 0, column)
            grid.setColumnStretch(column, 1)
            self.weekdays.append(name)
        self.days: list[BigButton] = []  # WEEKS x 7, row by row
        for index in range(WEEKS * 7):
            button = BigButton(role="option", min_height=theme.MIN_TARGET, min_width=72)
            button.clicked.connect(lambda _=False, i=index: self._tapped(i))
            grid.addWidget(button, 1 + index // 7, index % 7)
            self.days.append(button)
        self._shown: list[date | None] = [None] * (WEEKS * 7)

        self.full = QLabel()
        self.full.setObjectName("full-date")
        self.full.setProperty("role", "body")
        self.full.setWordWrap(True)
        self.full.setAlignment(Qt.AlignmentFlag.AlignCenter)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(theme.GAP)
        outer.addLayout(header)
        outer.addLayout(grid)
        outer.addWidget(self.full)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.retranslate(self._lang)

    def _turn(self, name: str, months: int, mark: str) -> BigButton:
        button = BigButton(mark, role="secondary", min_width=96, scale="heading")
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: self.turn(months))
        return button

    # ---- value and page -------------------------------------------------------------------------
    def value(self) -> date:
        return self._value

    def set_value(self, value: date) -> None:
        """Choose a day (clamped into the range) and show its month."""
        self._page = (self._clamp(value).year, self._clamp(value).month)
        if not self._set(self._clamp(value)):
            self._refresh()

    def range(self) -> tuple[date, date]:
        return self._first, self._last

    def set_range(self, first: date, last: date, value: date | None = None) -> None:
        """The days that can be chosen; `value` (else the day chosen now) is chosen, clamped."""
        if first > last:
            raise ValueError(f"empty date range {first} .. {last}")
        self._first, self._last = first, last
        self.set_value(value or self._value)

    def set_aside(self) -> None:
        """Made ready for another question (ui.fields.kept): no one hears it any more, the day
        chosen is no longer marked or written, and it waits hidden where it is."""
        for signal in (self.changed, self.page_changed):
            with warnings.catch_warnings():  # PySide6 warns when there was nothing to cut
                warnings.simplefilter("ignore", RuntimeWarning)
                signal.disconnect()
        self.hide()
        if self._value in self._shown:
            self.day_button(self._value).set_selected(False)
        self.full.setText("")
        self._drawn = None

    def page(self) -> tuple[int, int]:
        """The (year, month) on show."""
        return self._page

    def allowed(self, day: date) -> bool:
        return self._first <= day <= self._last

    def _target(self, months: int) -> tuple[int, int]:
        """The page `months` away, kept within the months that hold allowed days."""
        first = (self._first.year, self._first.month)
        last = (self._last.year, self._last.month)
        return min(max(moved(self._page, months), first), last)

    def can_turn(self, months: int) -> bool:
        return self._target(months) != self._page

    def turn(self, months: int) -> bool:
        """Show another month (what the arrows do); False where no allowed day lies that way.
        A year's jump past the range stops at its first or last month."""
        if not self.can_turn(months):
            return False
        self._page = self._target(months)
        self._refresh()
        self.page_changed.emit()
        return True

    def day_button(self, day: date) -> BigButton:
        """The button of `day` on the page shown."""
        if day not in self._shown:
            raise KeyError(f"{day} is not on the page shown")
        return self.days[self._shown.index(day)]

    def _tapped(self, index: int) -> None:
        day = self._shown[index]
        if day is not None and self.allowed(day):
            self._set(day)

    def _clamp(self, value: date) -> date:
        return min(max(value, self._first), self._last)

    def _set(self, value: date) -> bool:
        if value == self._value:
            return False
        self._value = value
        self._refresh()
        self.changed.emit(value)
        return True

    # ---- text ---------------------------------------------------------------------------------
    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.setAccessibleName(tr(lang, "widget.date.name"))
        for column, name in enumerate(self.weekdays):
            name.setText(tr(lang, f"widget.date.weekday_short.{column}"))
            name.setAccessibleName(tr(lang, f"widget.date.weekday.{column}"))
        for button in (self.previous, self.next, self.previous_year, self.next_year):
            button.retranslate(lang)
        self._refresh()

    def day_text(self, day: date) -> str:
        """A day as people read it: "Tuesday 24 November 2026", 2026年11月24日 星期二."""
        return tr(self._lang, "widget.date.full", year=day.year, month=day.month, day=day.day,
                  month_name=tr(self._lang, f"widget.date.month_name.{day.month}"),
                  weekday=tr(self._lang, f"widget.date.weekday.{day.weekday()}"))

    def full_text(self) -> str:
        return self.day_text(self._value)

    def month_text(self) -> str:
        year, month = self._page
        return tr(self._lang, "widget.date.month_page", year=year, month=month,
                  month_name=tr(self._lang, f"widget.date.month_name.{month}"))

    def _refresh(self) -> None:
        drawn = (self._page, self._value, self._first, self._last, self._lang)
        if drawn == self._drawn:
            return  # a screen shown again retranslates: the same page in the same words
        self._drawn = drawn
        year, month = self._page
        self.month.setText(self.month_text())
        self._shown = [day for week in weeks(year, month) for day in week]
        self._shown += [None] * (WEEKS * 7 - len(self._shown))
        # A week with no day that can be chosen is left out: the choosable days fit on the
        # page without scrolling, and a long range (a birth date) still shows whole months.
        useful = [any(d is not None and self.allowed(d) for d in self._shown[i:i + 7])
                  for i in range(0, len(self._shown), 7)]
        for index, (button, day) in enumerate(zip(self.days, self._shown, strict=True)):
            button.setVisible(day is not None and useful[index // 7])
            if day is None:
                button.set_selected(False)  # hidden, and no day marked from another page
                continue
            button.setObjectName(f"day-{day.isoformat()}")
            button.setText(str(day.day))
            button.setEnabled(self.allowed(day))
            button.set_selected(day == self._value)
            button.setAccessibleName(self.day_text(day) if self.allowed(day) else
                                     tr(self._lang, "widget.date.not_allowed",
                                        when=self.day_text(day)))
        self.full.setText(tr(self._lang, "widget.date.chosen", when=self.full_text()))
        wide = (self._last.year - self._first.year) * 12 + self._last.month - self._first.month
        for button, months in ((self.previous, -1), (self.next, +1),
                               (self.previous_year, -12), (self.next_year, +12)):
            button.setEnabled(self.can_turn(months))
        self.previous_year.setVisible(wide >= 12)
        self.next_year.setVisible(wide >= 12)
        # the arrows name the month they turn to: "‹ November", "January ›"; years likewise
        before, after = (tr(self._lang, f"widget.date.month_name.{moved(self._page, n)[1]}")
                         for n in (-1, +1))
        self.previous.setText(f"‹ {before}")
        self.next.setText(f"{after} ›")
        self.previous_year.setText(f"« {self._page[0] - 1}")  # the year it turns to
        self.next_year.setText(f"{self._page[0] + 1} »")
        for button, key in ((self.previous, "widget.date.month_previous"),
                            (self.next, "widget.date.month_next"),
                            (self.previous_year, "widget.date.year_previous"),
                            (self.next_year, "widget.date.year_next")):
            button.setAccessibleName(tr(self._lang, key))  # after its text, which sets one
