"""Pieces the admin's tabs share: the page every tab is, a table that shows every row (the admin
screen pages up and down as a whole, so nothing scrolls inside it), a bar chart that can be
read back (tests read its values and labels, never pixels), a row of USB-stick buttons, the
line that says how the last act went, and a service's title in the admin's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import tr
from kiosk.usb import sticks
from ui.screens.base import ErrorText, discard, label
from ui.theme import BORDER, THEMES, text_px
from ui.widgets.big_button import BigButton

CHART_MIN_PX = 28  # axis words never below the kiosk's smallest body text


def local_time(iso: str) -> str:
    """An ISO time as the admin reads it: local, to the minute."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return (moment.astimezone() if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")


def duration(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return tr(lang, "view.seconds", s=whole)
    return tr(lang, "view.minutes", m=whole // 60, s=whole % 60)


class Table(QTableWidget):
    """Every row shown at its full height; words wrap in the widest column."""

    def __init__(self, name: str, wide_column: int = -1) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", "body")
        self.wide_column = wide_column
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().hide()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.horizontalHeader().sectionResized.connect(self._fit)  # wider: fewer lines a row

    def fill(self, headers: list[str], rows: list[list[str]]) -> None:
        self.clear()
        self.setColumnCount(len(headers))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels(headers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        header = self.horizontalHeader()
        wide = self.wide_column % len(headers) if headers else 0
        for c in range(len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == wide
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self._fit()

    def cells(self) -> list[list[str]]:
        """What the table shows, row by row (for tests, and for reading aloud one day)."""
        return [[self.item(r, c).text() for c in range(self.columnCount())]
                for r in range(self.rowCount())]

    def headers(self) -> list[str]:
        return [self.horizontalHeaderItem(c).text() for c in range(self.columnCount())]

    def restyle(self, theme: str) -> None:
        colours = THEMES[theme]
        fg, bg = colours.roles["body"]
        self.setStyleSheet(
            f"QTableWidget {{ gridline-color: {colours.edge}; border: {BORDER}px solid "
            f"{colours.edge}; }} QHeaderView::section {{ color: {fg}; background-color: {bg}; "
            f"font-weight: 700; padding: 8px 12px; border: 0px; "
            f"border-bottom: {BORDER}px solid {colours.edge}; }} "
            "QTableWidget::item { padding: 8px 12px; }")
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self, *_args) -> None:
        self.resizeRowsToContents()
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)


class BarChart(QChartView):
    """Bars with their values written on them; horizontal for long category names."""

    def __init__(self, name: str, horizontal: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self.horizontal = horizontal
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(420)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._categories: list[str] = []
        self._values: list[float] = []
        self.setChart(QChart())

    def categories(self) -> list[str]:
        return list(self._categories)

    def values(self) -> list[float]:
        return list(self._values)

    def show_bars(self, title: str, categories: list[str], values: list[float], *,
                  theme: str, size: str, unit: str = "", maximum: float | None = None) -> None:
        """`categories` and `values` in reading order: left to right, or top to bottom."""
        self._categories, self._values = list(categories), [float(v) for v in values]
        if self.horizontal:  # Qt draws the first category at the bottom
            categories, values = categories[::-1], values[::-1]
        colours = THEMES[theme]
        fg, bg = colours.roles["page"]
        font = QFont(self.font())
        font.setPixelSize(max(CHART_MIN_PX, round(text_px(size) * 0.8)))
        bold = QFont(font)
        bold.setPixelSize(text_px(size))
        bold.setBold(True)

        chart = QChart()
        chart.setTitle(title)
        chart.setTitleFont(bold)
        chart.setTitleBrush(QColor(fg))
        chart.setBackgroundBrush(QColor(bg))
        chart.legend().hide()
        chart.setMargins(QMargins(8, 8, 24, 8))
        bars = QBarSet(title)
        bars.append([float(v) for v in values])
        bars.setColor(QColor(colours.mark))
        bars.setBorderColor(QColor(colours.mark))
        bars.setLabelColor(QColor(fg))
        bars.setLabelFont(font)
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat(f"@value{unit}")
        chart.addSeries(series)

        names = QBarCategoryAxis()
        names.append(list(categories))
        top, step = _scale(max([*values, 0.0]), maximum)
        scale = QValueAxis()
        scale.setRange(0, top)
        scale.setLabelFormat("%g")
        scale.setTickType(QValueAxis.TickType.TicksDynamic)  # whole steps: no "2.25 visits"
        scale.setTickAnchor(0)
        scale.setTickInterval(step)
        for axis in (names, scale):
            axis.setLabelsFont(font)
            axis.setLabelsColor(QColor(fg))
            axis.setLinePenColor(QColor(colours.edge))
            axis.setGridLineVisible(axis is scale)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if self.horizontal
                      else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(scale, Qt.AlignmentFlag.AlignBottom if self.horizontal
                      else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        series.attachAxis(scale)
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()
        row = font.pixelSize() * 2.2  # one bar (with its label) per line of words, at least
        needed = 160 + row * len(categories) if self.horizontal else 420
        self.setFixedHeight(max(420, round(needed)))


def _scale(value: float, maximum: float | None) -> tuple[float, float]:
    """(top, step) of a value axis: a round step, at most five of them, and room above the
    tallest bar for its label."""
    if maximum is not None:
        return maximum, maximum / 4
    wanted = max(value * 1.2, 1.0)
    step = 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if wanted / step <= 5:
            break
    return step * max(1, -(-wanted // step)), float(step)


def service_title(kiosk, service_id: str, lang: str) -> str:
    """A service's title; its id for a service this kiosk no longer offers (it says enough)."""
    try:
        return kiosk.catalogue.get(service_id).title.get(lang)
    except KeyError:
        return service_id


class AdminPage(QWidget):
    """A tab's page of the admin screen. The screen tells every page when it opens and when its
    tab is shown; a page that keeps nothing between visits ignores it."""

    running = False  # work in the background whose results the page will show

    def forget(self) -> None:
        """The admin screen opens afresh: what the last visit did is not news."""

    def refresh(self) -> None:
        """Its tab is shown: what the page shows is read again."""


class OutcomeLine(QWidget):
    """How the last act went: a ✓ line when it worked, an error in plain words when not; kept
    as a key and its parameters, so it is said again in the admin's language."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.setProperty("role", "page")
        self.lang = "en"
        self._said: tuple[str, str, dict] | None = None  # (role, key, params)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.done: QLabel = label("ok")
        self.done.setObjectName(f"{prefix}-done")
        self.error = ErrorText()
        self.error.setObjectName(f"{prefix}-error")
        box.addWidget(self.done)
        box.addWidget(self.error)
        self._say()

    def tell(self, role: str, key: str, **params) -> None:
        """`role` is "ok" or "error"."""
        self._said = (role, key, params)
        self._say()

    def forget(self) -> None:
        self._said = None
        self._say()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self._say()

    def _say(self) -> None:
        role, key, params = self._said or ("", "", {})
        self.done.setText(tr(self.lang, key, **params) if role == "ok" else "")
        self.done.setVisible(role == "ok")
        self.error.say(tr(self.lang, key, **params) if role == "error" else "")


class DrivePicker(QWidget):
    """Where to save: one button per USB stick plugged in (or words saying to plug one in), and
    a button to look again after plugging a stick in. `chosen(folder, name)` says which. No
    folder dialog: the kiosk is touch only, and a dialog would outlive the admin screen."""

    chosen = Signal(object, str)

    def __init__(self, prefix: str, finder: Callable[[], list[Path]] = sticks) -> None:
        super().__init__()
        self.setProperty("role", "page")
        self.prefix = prefix
        self.finder = finder
        self.lang = "en"
        self.enabled = True
        self.drives: list[Path] = []
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(24)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.none = label("hint")
        self.none.setObjectName(f"{prefix}-no-usb")
        box.addWidget(self.none)
        box.addLayout(self.row)
        self.buttons: list[BigButton] = []
        self.again = BigButton(role="secondary")
        self.again.setObjectName(f"{prefix}-look-again")
        self.again.clicked.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.drives = self.finder()
        for button in self.buttons:
            discard(button)
        self.buttons = []
        for i, drive in enumerate(self.drives[:3]):
            button = BigButton(role="primary")
            button.setObjectName(f"{self.prefix}-usb-{i}")
            button.clicked.connect(lambda _=False, d=drive: self.chosen.emit(d, d.name))
            button.setEnabled(self.enabled)
            self.buttons.append(button)
        while self.row.count():
            self.row.takeAt(0)
        for button in [*self.buttons, self.again]:
            self.row.addWidget(button)
        self.row.addStretch(1)
        self.none.setVisible(not self.buttons)
        self.retranslate(self.lang)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        for button in self.buttons:
            button.setEnabled(enabled)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        for button, drive in zip(self.buttons, self.drives, strict=False):
            button.setText(tr(lang, "view.usb.save", name=drive.name))
        self.none.setText(tr(lang, "view.usb.none"))
        self.again.setText(tr(lang, "view.usb.look_again"))
