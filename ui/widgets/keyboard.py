"""The on-screen keyboard: big keys, alphabetical order, one tap per character.

Letters are in A-Z order rather than QWERTY: most users have never typed and look for a letter
the way they would in a list. Delete sits top right where Backspace always is; Clear all sits
bottom left, away from Delete, so a shaky tap on one is not a tap on the other. Keys take focus
from Tab only, so tapping a key leaves the text cursor in the entry.

For free text (names, addresses, notes) the keyboard also writes Chinese: large tabs offer
common phrases (when the field has them), handwriting, pinyin, letters and numbers. Chinese
sessions start on handwriting, as most elderly Chinese people write by hand; a tab's page is
built the first time it is shown. `reset()` forgets everything between two people.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import FALLBACK, tr
from ui import theme
from ui.widgets.big_button import BigButton

SPACE, DELETE, CLEAR, SHIFT = "space", "delete", "clear", "shift"
_COMMANDS = (SPACE, DELETE, CLEAR, SHIFT)
# Characters whose key shows a symbol that a screen reader would not say well.
_SPOKEN = {"-": "hyphen", ".": "dot", "'": "apostrophe", "@": "at", ":": "colon", "/": "slash",
           "_": "underscore"}


@dataclass(frozen=True)
class Key:
    token: str  # the character typed, or one of SPACE / DELETE / CLEAR
    row: int
    col: int
    rows: int = 1
    cols: int = 1


def _row(chars: str, row: int, start: int = 0) -> list[Key]:
    return [Key(c, row, start + i) for i, c in enumerate(chars)]


def _keypad(extra: str | None) -> tuple[Key, ...]:
    """Phone-style 1-9 with 0 in the middle of the bottom row; `extra` (X or .) right of 0."""
    keys = [*_row("123", 0), *_row("456", 1), *_row("789", 2), Key("0", 3, 1)]
    if extra:
        keys.append(Key(extra, 3, 2))
    keys += [Key(DELETE, 0, 3, rows=2), Key(CLEAR, 3, 0)]
    return tuple(keys)


# Laid out for the reference screen, a 1920 x 1080 landscape panel: A-M and N-Z on two rows of
# thirteen read like the alphabet and keep the keyboard four rows high.
_LETTERS = (
    *_row("1234567890", 0),
    Key(DELETE, 0, 10, cols=3),
    *_row("ABCDEFGHIJKLM", 1),
    *_row("NOPQRSTUVWXYZ", 2),
    Key(CLEAR, 3, 0, cols=3),
)
# For the centre admin's hub address, token and kiosk id: small letters (Capitals switches), and
# the signs web addresses and tokens use.
_ADDRESS = (
    *_row("1234567890", 0),
    Key(DELETE, 0, 10, cols=3),
    *_row("abcdefghijklm", 1),
    *_row("nopqrstuvwxyz", 2),
    Key(CLEAR, 3, 0, cols=2),
    Key(SHIFT, 3, 2, cols=2),
    *_row(".:/-_@", 3, start=4),
    Key(SPACE, 3, 10, cols=3),
)
LAYOUTS: dict[str, tuple[Key, ...]] = {
    "text": (*_LETTERS, *_row("'-.@", 3, start=3), Key(SPACE, 3, 7, cols=6)),
    "address": _ADDRESS,
    "alnum": _LETTERS,
    "digits": _keypad(None),
    "id": _keypad("X"),
    "decimal": _keypad("."),
}
_KEYPADS = ("digits", "id", "decimal")


class KeyGrid(QWidget):
    """One layout's keys; emits what a key means."""

    typed = Signal(str)
    backspace = Signal()
    cleared = Signal()

    def __init__(self, layout: str = "text", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = FALLBACK
        self._name = ""
        self._capitals = False  # Capitals pressed: letter keys type (and show) capitals
        self._keys: dict[str, BigButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(theme.GAP)
        self.set_layout(layout)

    def layout_name(self) -> str:
        return self._name

    def set_layout(self, name: str) -> None:
        if name not in LAYOUTS:
            raise ValueError(f"no keyboard layout {name!r}; have {sorted(LAYOUTS)}")
        if name == self._name:
            return
        for button in self._keys.values():
            self._grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._keys = {}
        for col in range(self._grid.columnCount()):
            self._grid.setColumnStretch(col, 0)
        self._name = name
        keypad = name in _KEYPADS
        for key in LAYOUTS[name]:
            command = key.token in _COMMANDS
            button = BigButton(
                role="secondary" if command and key.token != SPACE else "key",
                min_width=120 if keypad else 80,
                min_height=96 if keypad else 80,
                scale=("heading" if keypad else "key") if not command else None,
                padding=(8, 4),
            )
            button.setObjectName(f"key-{key.token}")
            button.setProperty("key", key.token)
            button.clicked.connect(lambda _=False, t=key.token: self._press(t))
            self._grid.addWidget(button, key.row, key.col, key.rows, key.cols)
            self._keys[key.token] = button
        columns = 1 + max(k.col + k.cols - 1 for k in LAYOUTS[name])
        for col in range(columns):
            self._grid.setColumnStretch(col, 1)
        self.retranslate(self._lang)
        self.updateGeometry()

    def keys(self) -> list[BigButton]:
        return list(self._keys.values())

    def key(self, token: str) -> BigButton:
        """The button for a character ("A", "7") or for SPACE, DELETE or CLEAR."""
        return self._keys[token]

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.setAccessibleName(tr(lang, "widget.keyboard.name"))
        for token, button in self._keys.items():
            if token in _COMMANDS:
                button.setText(tr(lang, f"widget.key.{token}"))
            else:
                button.setText(self._character(token))
                if token in _SPOKEN:
                    spoken = "decimal" if token == "." and self._name == "decimal" else None
                    button.setAccessibleName(tr(lang, f"widget.key.{spoken or _SPOKEN[token]}"))
            button.retranslate(lang)

    def _character(self, token: str) -> str:
        return token.upper() if self._capitals else token

    def _press(self, token: str) -> None:
        if token == SHIFT:
            self._capitals = not self._capitals
            self._keys[SHIFT].set_selected(self._capitals)
            self.retranslate(self._lang)
        elif token == DELETE:
            self.backspace.emit()
        elif token == CLEAR:
            self.cleared.emit()
        else:
            self.typed.emit(" " if token == SPACE else self._character(token))


PHRASES, HANDWRITING, PINYIN = "phrases", "handwriting", "pinyin"
LETTERS, DIGITS = "letters", "digits"
_WRITING_TABS = (HANDWRITING, PINYIN, LETTERS, DIGITS)


class OnScreenKeyboard(QWidget):
    """Emits what a key means; a BigEntry (or anything) connected to it does the typing.

    `writing` (default: for the free-text layout) adds the tabs for phrases, handwriting,
    pinyin, letters and digits. `offered` carries the handwriting candidates just shown, for a
    host that speaks them."""

    typed = Signal(str)
    backspace = Signal()
    cleared = Signal()
    offered = Signal(list)

    def __init__(self, layout: str = "text", parent: QWidget | None = None, *,
                 writing: bool | None = None) -> None:
        super().__init__(parent)
        self._lang = FALLBACK
        self._layout = layout
        self._writing = layout == "text" if writing is None else writing
        self._pages: dict[str, QWidget] = {}
        self._tab_buttons: dict[str, BigButton] = {}
        self._current = ""
        self._picked = False  # the person chose a tab: a language switch does not move them
        self._letters: KeyGrid | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(theme.GAP)
        if not self._writing:
            self._letters = self._grid_of(layout)
            box.addWidget(self._letters)
            return
        self._tab_row = QHBoxLayout()
        self._tab_row.setSpacing(theme.GAP)
        for name in _WRITING_TABS:
            self._add_tab_button(name)
        self._stack = QStackedWidget()
        box.addLayout(self._tab_row)
        box.addWidget(self._stack)  # its first page is built when the language is known

    def showEvent(self, event) -> None:
        if self._writing:
            self._show_page(self._current or self.default_tab())
        super().showEvent(event)

    # ---- tabs -------------------------------------------------------------------------------
    def _add_tab_button(self, name: str, first: bool = False) -> None:
        button = BigButton(role="secondary", min_height=80, padding=(8, 4))
        button.setObjectName(f"tab-{name}")
        button.clicked.connect(lambda _=False, n=name: self._pick(n))
        self._tab_buttons[name] = button
        if first:
            self._tab_row.insertWidget(0, button, 1)
        else:
            self._tab_row.addWidget(button, 1)

    def tabs(self) -> list[str]:
        """The tabs offered, in order ([] for a keyboard without them)."""
        order = (PHRASES, *_WRITING_TABS)
        return [name for name in order if name in self._tab_buttons]

    def tab(self) -> str:
        return self._current

    def default_tab(self) -> str:
        if PHRASES in self._tab_buttons:
            return PHRASES
        return HANDWRITING if self._lang.startswith("zh") else LETTERS

    def add_phrases(self, page: QWidget) -> None:
        """The field's common phrases, as the first tab (and the one shown first)."""
        if not self._writing or PHRASES in self._pages:
            return
        self._add_tab_button(PHRASES, first=True)
        self._pages[PHRASES] = page
        self._stack.addWidget(page)
        self.retranslate(self._lang)
        if not self._picked:
            self.show_tab(PHRASES)

    def _pick(self, name: str) -> None:
        self._picked = True
        self.show_tab(name)
        self.bring_into_view()

    def bring_into_view(self) -> None:
        """Scroll the page so the whole keyboard shows: at the largest text size a pad half
        under the fold cannot be written on. Once the layout has settled, after the tap."""
        QTimer.singleShot(0, self, self._into_view)  # dropped if the keyboard is deleted first

    def _into_view(self) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and self.isVisible():
            for _ in range(3):  # a page just built relayouts in steps: measure the final one
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            parent.ensureWidgetVisible(self, 0, 0)

    def show_tab(self, name: str) -> None:
        """Open a tab; a hidden keyboard builds its page when it is shown (a kept keyboard set
        aside, or one under a prefilled answer, may never show that tab)."""
        if not self._writing:
            return
        self._current = name
        for tab, button in self._tab_buttons.items():
            button.set_selected(tab == name)
        if self.isVisible():
            self._show_page(name)

    def _show_page(self, name: str) -> None:
        shown = self._page(name)
        for page in self._pages.values():  # the keyboard is as tall as the page it shows
            fits = QSizePolicy.Policy.Preferred if page is shown else QSizePolicy.Policy.Ignored
            page.setSizePolicy(fits, fits)
        self._stack.setCurrentWidget(shown)

    def _page(self, name: str) -> QWidget:
        if name not in self._pages:
            if name == LETTERS:
                page = self._letters = self._grid_of(self._layout)
            elif name == DIGITS:
                page = self._grid_of("digits")
            elif name == HANDWRITING:
                from ui.widgets.writing import HandwritingPanel

                page = HandwritingPanel()
                page.chosen.connect(self.typed)
                page.backspace.connect(self.backspace)
                page.offered.connect(self.offered)
            elif name == PINYIN:
                from ui.widgets.writing import PinyinPanel

                page = PinyinPanel()
                page.chosen.connect(self.typed)
                page.backspace.connect(self.backspace)
                page.cleared.connect(self.cleared)
            else:
                raise ValueError(f"no keyboard tab {name!r}; have {self.tabs()}")
            page.retranslate(self._lang)
            self._pages[name] = page
            self._stack.addWidget(page)
        return self._pages[name]

    def page(self, name: str) -> QWidget:
        """A tab's page (built if it was not yet shown), for tests and hosts."""
        return self._page(name)

    def _grid_of(self, layout: str) -> KeyGrid:
        grid = KeyGrid(layout)
        grid.typed.connect(self.typed)
        grid.backspace.connect(self.backspace)
        grid.cleared.connect(self.cleared)
        grid.retranslate(self._lang)
        return grid

    def set_aside(self) -> None:
        """Made ready for another field (ui.fields.typed, ui.fields.kept): its phrases tab
        (the field's) goes, no one outside hears it any more, everything typed or drawn is
        forgotten, and it waits, hidden, where it is."""
        page = self._pages.pop(PHRASES, None)
        button = self._tab_buttons.pop(PHRASES, None)
        if page is not None:
            self._stack.removeWidget(page)
        if button is not None:
            self._tab_row.removeWidget(button)
        for gone in (page, button):  # taken out of the layouts; moving them out of the
            if gone is not None:  # window would restyle them first
                gone.hide()
                gone.deleteLater()
        for signal in (self.typed, self.backspace, self.cleared, self.offered):
            with warnings.catch_warnings():  # PySide6 warns when there was nothing to cut
                warnings.simplefilter("ignore", RuntimeWarning)
                signal.disconnect()
        if self._letters is not None and self._letters._capitals:
            self._letters._press(SHIFT)
        self.hide()  # first: the tab opened next is built when it is shown
        self.reset()

    def reset(self) -> None:
        """Forget everything: ink, pinyin, candidates, and the tab chosen."""
        for page in self._pages.values():
            if hasattr(page, "reset"):
                page.reset()
        self._picked = False
        self.show_tab(self.default_tab())

    # ---- the letters keys (tests, the walker, hosts) ----------------------------------------
    def _keys_grid(self) -> KeyGrid:
        if self._letters is None:
            self._page(LETTERS)
        return self._letters

    def layout_name(self) -> str:
        return self._keys_grid().layout_name()

    def set_layout(self, name: str) -> None:
        self._keys_grid().set_layout(name)

    def keys(self) -> list[BigButton]:
        return self._keys_grid().keys()

    def key(self, token: str) -> BigButton:
        """The button for a character ("A", "7") or for SPACE, DELETE or CLEAR."""
        return self._keys_grid().key(token)

    def tab_with(self, token: str) -> str:
        """The tab whose page holds this key ("" when there are no tabs)."""
        return LETTERS if self._writing else ""

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.setAccessibleName(tr(lang, "widget.keyboard.name"))
        for name, button in self._tab_buttons.items():
            button.setText(tr(lang, f"widget.tab.{name}"))
            button.retranslate(lang)
        for page in self._pages.values():
            if hasattr(page, "retranslate"):
                page.retranslate(lang)
        if self._letters is not None and self._letters not in self._pages.values():
            self._letters.retranslate(lang)
        if self._writing and not self._picked and self._current != self.default_tab():
            self.show_tab(self.default_tab())  # Chinese: handwriting first; English: letters
