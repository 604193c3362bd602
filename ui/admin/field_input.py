"""One setting on the admin form: the right input for its kind, already showing the current
value, and its plain error right under it.

Kinds (kiosk.config.FieldSpec): text (a line), number (a line with big - and + buttons),
choice (one tile chosen of several), switch (Yes / No tiles), several (tiles ticked on and off).
Tiles rather than combo boxes and spin arrows: those are small targets that open pop-ups.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.config import FieldSpec
from kiosk.i18n import tr
from ui.screens.base import ErrorText, label
from ui.widgets.big_button import BigButton
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard

Namer = Callable[[str, str], str]  # (value, lang) -> what its tile says
WRITTEN = ("centre_name",)  # settings written in words: the keyboard offers Chinese too
SHORT_LABEL, LONG_LABEL = 20, 40  # characters (English): longer names, fewer tiles a row


def _host() -> tuple[QWidget, QGridLayout]:
    host = QWidget()
    host.setProperty("role", "page")
    grid = QGridLayout(host)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(16)
    return host, grid


class FieldInput(QWidget):
    def __init__(self, spec: FieldSpec, choices: tuple[str, ...] = (),
                 namer: Namer | None = None, secret: bool = False,
                 label_key: str | None = None) -> None:
        super().__init__()
        self.spec = spec
        self.label_key = label_key or spec.label_key
        self.kind = spec.kind
        self.choices = choices
        self.namer = namer or (lambda value, lang: value)
        self.setProperty("role", "page")
        self.setObjectName(f"field-{spec.name}")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        self.entry: BigEntry | None = None
        self.keyboard: OnScreenKeyboard | None = None  # built when first asked for
        self.tiles: dict[object, BigButton] = {}
        self._order = list(choices)
        if self.kind in ("text", "number"):
            self.entry = BigEntry()
            self.entry.setObjectName(f"entry-{spec.name}")
            if secret:
                self.entry.setEchoMode(BigEntry.EchoMode.Password)
            box.addWidget(self._number_row() if self.kind == "number" else self._text_row())
        else:
            host, grid = _host()
            values: tuple[object, ...] = (True, False) if self.kind == "switch" else choices
            longest = max((len(self.namer(v, "en")) for v in choices), default=0)
            columns = 1 if longest > LONG_LABEL else 2 if longest > SHORT_LABEL else 3
            for n, value in enumerate(values):
                tile = BigButton(role="option")
                tile.setObjectName(f"{spec.name}-{str(value).lower()}")
                tile.clicked.connect(lambda _=False, v=value: self.press(v))
                self.tiles[value] = tile
                grid.addWidget(tile, n // columns, n % columns)
            box.addWidget(host)
        self.error = ErrorText()
        self.error.setObjectName(f"error-{spec.name}")
        box.addWidget(self.error)
        box.addStretch(1)  # a tall label beside it must not stretch the tiles
        self.fault = None  # what is wrong with the value given (anything with .text(lang))
        self._lang = "en"

    def _text_row(self) -> QWidget:
        """The line, and under it a button that opens a keyboard: a touch-only kiosk has no
        other way to type a hub address or token."""
        host = QWidget()
        host.setProperty("role", "page")
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        self.keys_button = BigButton(role="secondary")
        self.keys_button.setObjectName(f"keys-{self.spec.name}")
        self.keys_button.clicked.connect(self.toggle_keyboard)
        column.addWidget(self.entry)
        column.addWidget(self.keys_button, 0, Qt.AlignmentFlag.AlignLeft)
        return host

    def toggle_keyboard(self) -> None:
        if self.keyboard is None:
            # a centre's name is written in Chinese; addresses, ids and tokens are not
            self.keyboard = OnScreenKeyboard("address", writing=self.spec.name in WRITTEN)
            self.keyboard.setObjectName(f"keyboard-{self.spec.name}")
            self.keyboard.retranslate(self._lang)
            self.entry.attach(self.keyboard)
            self.keyboard.hide()
            self.place_keyboard(self.keyboard)
        shown = not self.keyboard.isVisible()
        self.keyboard.setVisible(shown)
        self.keys_button.set_selected(shown)

    def place_keyboard(self, keyboard: QWidget) -> None:
        """Right under the line it types into; the settings form gives it the whole width."""
        self.layout().insertWidget(1, keyboard)

    def _number_row(self) -> QWidget:
        host = QWidget()
        host.setProperty("role", "page")
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.less = BigButton("−", role="secondary", min_width=120)
        self.more = BigButton("+", role="secondary", min_width=120)
        self.less.setObjectName(f"less-{self.spec.name}")
        self.more.setObjectName(f"more-{self.spec.name}")
        self.less.clicked.connect(lambda: self.step(-1))
        self.more.clicked.connect(lambda: self.step(+1))
        self.unit = label("body", wrap=False)
        row.addWidget(self.less)
        row.addWidget(self.entry, 1)
        row.addWidget(self.more)
        row.addWidget(self.unit)
        return host

    # the value
    def set_value(self, value: object) -> None:
        if self.entry is not None:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            self.entry.setText(str(value))
        elif self.kind == "several":
            chosen = tuple(value) or self.choices  # () means every one
            # kept in the order given: the first language is the one welcomed in first
            self._order = [*chosen, *(c for c in self.choices if c not in chosen)]
            for key, tile in self.tiles.items():
                tile.set_selected(key in chosen)
        else:
            for key, tile in self.tiles.items():
                tile.set_selected(key == value)
        self.show_fault(None)

    def show_fault(self, fault) -> None:
        """A plain reason under the input (None: the value is fine)."""
        self.fault = fault
        self.error.say(fault.text(self._lang) if fault is not None else "")

    def value(self) -> object:
        """What the admin gave, raw, for kiosk.config.parse to check."""
        if self.entry is not None:
            return self.entry.text()
        chosen = [key for key, tile in self.tiles.items() if tile.is_selected()]
        if self.kind == "several":
            return sorted(chosen, key=self._order.index)
        return chosen[0] if chosen else ""

    def press(self, value: object) -> None:
        if self.kind == "several":
            self.tiles[value].set_selected(not self.tiles[value].is_selected())
        else:
            for key, tile in self.tiles.items():
                tile.set_selected(key == value)

    def step(self, direction: int) -> None:
        low, high = self.spec.minimum or 0, self.spec.maximum or 0
        span = high - low
        size = 1 if span <= 20 else 10 if span <= 1000 else 30
        text = self.entry.text().strip()
        current = int(text) if text.isdigit() else low
        self.entry.setText(str(min(high, max(low, current + direction * size))))

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        if self.fault is not None:
            self.error.say(self.fault.text(lang))
        self.setAccessibleName(tr(lang, self.label_key))
        if self.entry is not None:
            self.entry.setAccessibleName(tr(lang, self.label_key))
        if self.kind == "text":
            self.keys_button.setText(tr(lang, "admin.keyboard"))
            self.keys_button.retranslate(lang)
            if self.keyboard is not None:
                self.keyboard.retranslate(lang)
        if self.kind == "number":
            self.unit.setText(tr(lang, "admin.seconds") if self.spec.unit == "seconds" else "")
            self.unit.setVisible(self.spec.unit == "seconds")
            self.less.setAccessibleName(tr(lang, "admin.less"))
            self.more.setAccessibleName(tr(lang, "admin.more"))
        for key, tile in self.tiles.items():
            if self.kind == "switch":
                tile.setText(tr(lang, "admin.switch_on" if key else "admin.switch_off"))
            else:
                tile.setText(self.namer(str(key), lang))
            tile.retranslate(lang)
