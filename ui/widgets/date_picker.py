"""A date chosen with big + and - buttons under Year, Month and Day: no typing, no wheels.

Each column is an ordinary bounded number (month 1-12, day 1 to the month's length; no wrap
round, no carrying into the next column), clamped into the allowed range. A button that cannot
change its column is disabled. When the range spans ten years or more the year column also gets
+10 and -10, so a birth year is a few taps away rather than seventy. The whole date is repeated
as one readable line, so nobody has to put three boxes together in their head.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import MAXYEAR, MINYEAR, date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import FALLBACK, tr
from ui import theme
from ui.widgets.big_button import BigButton

FIELDS = ("year", "month", "day")
DEFAULT_FIRST = date(1900, 1, 1)
DEFAULT_LAST = date(2100, 12, 31)


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def stepped(current: date, field: str, delta: int, first: date, last: date) -> date | None:
    """`current` with one column moved by `delta` and the day clamped to the month, kept inside
    [first, last]; None when that column cannot move that way."""
    y, m, d = current.year, current.month, current.day
    if field == "year":
        y += delta
        if not MINYEAR <= y <= MAXYEAR:
            return None
    elif field == "month":
        m += delta
        if not 1 <= m <= 12:
            return None
    else:
        d += delta
        if not 1 <= d <= month_length(y, m):
            return None
    candidate = min(max(date(y, m, min(d, month_length(y, m))), first), last)
    if getattr(candidate, field) == getattr(current, field):
        return None
    return candidate


class _ValueLabel(QLabel):
    """A boxed value that is always as wide as its widest possible text, so the columns do not
    jump about when "May" becomes "September"."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "body")
        self.setProperty("scale", "heading")
        self.setProperty("box", True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._samples: list[str] = []

    def set_samples(self, samples: list[str]) -> None:
        self._samples = samples
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        shown = metrics.horizontalAdvance(self.text())
        widest = max((metrics.horizontalAdvance(s) for s in self._samples), default=shown)
        return QSize(hint.width() + max(0, widest - shown), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class DatePicker(QWidget):
    changed = Signal(object)  # datetime.date

    def __init__(self, parent: QWidget | None = None, *, value: date | None = None) -> None:
        super().__init__(parent)
        self._lang = FALLBACK
        self._first, self._last = DEFAULT_FIRST, DEFAULT_LAST
        self._value = self._clamp(value or date.today())
        self._order = ""

        self.headers: dict[str, QLabel] = {}
        self.values: dict[str, _ValueLabel] = {}
        self.up: dict[str, BigButton] = {}
        self.down: dict[str, BigButton] = {}
        self.up10 = self._button("year", +10)
        self.down10 = self._button("year", -10)
        self._columns: dict[str, QWidget] = {}
        for field in FIELDS:
            header = QLabel()
            header.setProperty("role", "body")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.headers[field] = header
            self.values[field] = _ValueLabel()
            self.up[field] = self._button(field, +1)
            self.down[field] = self._button(field, -1)
            self._columns[field] = self._column(field)

        self.full = QLabel()
        self.full.setObjectName("full-date")
        self.full.setProperty("role", "body")
        self.full.setProperty("scale", "heading")
        self.full.setWordWrap(True)
        self.full.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._row = QHBoxLayout()
        self._row.setSpacing(theme.GAP * 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(theme.GAP * 2)
        outer.addLayout(self._row)
        outer.addWidget(self.full)
        self.retranslate(self._lang)

    # ---- building ----------------------------------------------------------------------------
    def _button(self, field: str, delta: int) -> BigButton:
        text = ("+" if delta > 0 else "−") + ("10" if abs(delta) == 10 else "")
        button = BigButton(text, role="secondary", min_width=120, min_height=96, scale="heading")
        button.setObjectName(f"{field}-{'up' if delta > 0 else 'down'}{abs(delta)}")
        button.clicked.connect(lambda _=False: self.step(field, delta))
        return button

    def _column(self, field: str) -> QWidget:
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(theme.GAP)
        ups, downs = QHBoxLayout(), QHBoxLayout()
        for row in (ups, downs):
            row.setSpacing(theme.GAP)
        ups.addWidget(self.up[field])
        downs.addWidget(self.down[field])
        if field == "year":  # +10 / -10 beside + / -, hidden for short ranges
            ups.addWidget(self.up10)
            downs.addWidget(self.down10)
        box.addWidget(self.headers[field])
        box.addLayout(ups)
        box.addWidget(self.values[field])
        box.addLayout(downs)
        return column

    def _arrange(self, order: str) -> None:
        """Put the columns in the language's reading order (year-month-day in Chinese)."""
        if order == self._order:
            return
        self._order = order
        fields = [{"y": "year", "m": "month", "d": "day"}[c] for c in order]
        while self._row.count():
            self._row.takeAt(0)
        for field in fields:
            self._row.addWidget(self._columns[field], 1)
        chain: list[QWidget] = []
        for field in fields:
            chain.append(self.up[field])
            if field == "year":
                chain.append(self.up10)
            chain.append(self.down[field])
            if field == "year":
                chain.append(self.down10)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # ---- value -------------------------------------------------------------------------------
    def value(self) -> date:
        return self._value

    def set_value(self, value: date) -> None:
        self._set(self._clamp(value))

    def range(self) -> tuple[date, date]:
        return self._first, self._last

    def set_range(self, first: date, last: date) -> None:
        if first > last:
            raise ValueError(f"empty date range {first} .. {last}")
        self._first, self._last = first, last
        wide = last.year - first.year >= 10
        self.up10.setVisible(wide)
        self.down10.setVisible(wide)
        if not self._set(self._clamp(self._value)):
            self._refresh()

    def step(self, field: str, delta: int) -> bool:
        """Move one column by `delta` (what the + and - buttons do); False if it cannot move."""
        candidate = stepped(self._value, field, delta, self._first, self._last)
        return candidate is not None and self._set(candidate)

    def _clamp(self, value: date) -> date:
        return min(max(value, self._first), self._last)

    def _set(self, value: date) -> bool:
        if value == self._value:
            return False
        self._value = value
        self._refresh()
        self.changed.emit(value)
        return True

    # ---- text --------------------------------------------------------------------------------
    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self._arrange(tr(lang, "widget.date.order"))
        self.setAccessibleName(tr(lang, "widget.date.name"))
        for field in FIELDS:
            self.headers[field].setText(tr(lang, f"widget.date.{field}"))
            for buttons, way in ((self.up, "up"), (self.down, "down")):
                buttons[field].setAccessibleName(tr(lang, f"widget.date.{field}_{way}"))
                buttons[field].retranslate(lang)
        self.up10.setAccessibleName(tr(lang, "widget.date.year_up10"))
        self.down10.setAccessibleName(tr(lang, "widget.date.year_down10"))
        self.values["month"].set_samples([self._month_text(m) for m in range(1, 13)])
        self.values["day"].set_samples([tr(lang, "widget.date.day_value", day=28)])
        self.values["year"].set_samples([tr(lang, "widget.date.year_value", year=2000)])
        self._refresh()

    def _month_text(self, month: int) -> str:
        name = tr(self._lang, f"widget.date.month_name.{month}")
        return tr(self._lang, "widget.date.month_value", month=month, month_name=name)

    def full_text(self) -> str:
        v = self._value
        return tr(
            self._lang,
            "widget.date.full",
            year=v.year,
            month=v.month,
            day=v.day,
            month_name=tr(self._lang, f"widget.date.month_name.{v.month}"),
            weekday=tr(self._lang, f"widget.date.weekday.{v.weekday()}"),
        )

    def _refresh(self) -> None:
        v = self._value
        shown = {
            "year": tr(self._lang, "widget.date.year_value", year=v.year),
            "month": self._month_text(v.month),
            "day": tr(self._lang, "widget.date.day_value", day=v.day),
        }
        for field, text in shown.items():
            label = self.values[field]
            label.setText(text)
            label.setAccessibleName(f"{self.headers[field].text()} {text}")
        self.full.setText(self.full_text())
        for field in FIELDS:
            self.up[field].setEnabled(self._can(field, +1))
            self.down[field].setEnabled(self._can(field, -1))
        self.up10.setEnabled(self._can("year", +10))
        self.down10.setEnabled(self._can("year", -10))

    def _can(self, field: str, delta: int) -> bool:
        return stepped(self._value, field, delta, self._first, self._last) is not None
