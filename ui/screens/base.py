"""What every screen shares: it is told the language, says what the bars show, and has a script.

The window owns the bars (Back, Repeat aloud, Next, Help always in the same place); a screen
only says which of them apply and what Next is called here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.speech.script import withholds
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.screens.context import KioskContext


@dataclass(frozen=True)
class Nav:
    back: bool = True
    next_key: str | None = "nav.next"  # i18n key of the Next button's words; None hides it
    bars: bool = True  # the attract screen is one big touch target with no bars


def label(role: str, text: str = "", wrap: bool = True) -> QLabel:
    """A text on a page: every text carries a colour role so its contrast can be checked."""
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class Screen(QWidget):
    """A page of the kiosk. Its content lives in one scroll area, so that at the largest text
    size nothing is cut off: it pages up and down with two big buttons (single taps; a thin
    scroll bar would need dragging), shown only when the page is taller than the screen."""

    shows_step = False  # the top bar says "step 2 of 5" while this screen is shown in a journey

    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setProperty("role", "page")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 16, 0)
        outer.setSpacing(0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll, 1)
        self.pager = Pager(self.scroll)
        outer.addWidget(self.pager)
        self.body = QWidget()
        self.body.setProperty("role", "page")
        self.box = QVBoxLayout(self.body)
        self.box.setContentsMargins(48, 24, 48, 24)
        self.box.setSpacing(24)
        self.scroll.setWidget(self.body)

    @property
    def lang(self) -> str:
        return self.kiosk.session.language

    def nav(self) -> Nav:
        return Nav()

    def title(self, lang: str) -> str:
        """Shown in the top bar and spoken first."""
        return ""

    def retranslate(self, lang: str) -> None:
        """Called when shown and whenever the language changes."""

    def retranslate_all(self, lang: str) -> None:
        self.retranslate(lang)
        self.pager.retranslate(lang)

    def script(self, lang: str) -> list[str]:
        """What is said aloud for this screen, from the same data that draws it."""
        return [self.title(lang)]

    def withholds_personal(self, lang: str) -> bool:
        """Does the loudspeaker leave out something of this screen (kiosk.speech.script)?"""
        return withholds(self.script(lang))

    def help_text(self, lang: str) -> str:
        return tr(lang, "help.general")

    def clear(self) -> None:
        """Forget anything personal this screen shows; called when the session ends."""

    def on_next(self) -> None:
        """Next was pressed (or Enter)."""

    def on_back(self) -> None:
        self.kiosk.go_menu()


class OverlayScreen(Screen):
    """A screen opened over another (help, sound settings): Back or Next returns to it."""

    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__(kiosk)
        self.under: Screen | None = None

    def open_over(self, screen: Screen) -> None:
        if screen is not self:
            self.under = screen
            self.kiosk.show(self)

    def close_quietly(self) -> None:
        self.under = None

    def on_next(self) -> None:
        self.on_back()

    def on_back(self) -> None:
        under, self.under = self.under, None
        if under is not None:
            self.kiosk.show(under)
        else:
            self.kiosk.go_menu()


class ErrorText(QLabel):
    """An error in plain words, marked with a sign as well as colour; hidden when empty."""

    MARK = "⚠ "

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setObjectName("error")
        self.hide()

    def say(self, text: str) -> None:
        self.setText(self.MARK + text if text else "")
        self.setVisible(bool(text))
        self.setAccessibleName(text)

    def message(self) -> str:
        return self.text().removeprefix(self.MARK)


def discard(widget: QWidget | None) -> None:
    """Take a widget off the screen now and destroy it soon: detached at once, so whatever it
    showed is gone from the window even before Qt gets round to deleting it."""
    if widget is not None:
        widget.hide()
        widget.setParent(None)
        widget.deleteLater()


class Pager(QWidget):
    """Page up / page down for a scroll area, as two big buttons at its side."""

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__()
        self.bar = scroll.verticalScrollBar()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 24, 0, 24)
        self.up = BigButton("▲", role="secondary", min_width=96, min_height=120)
        self.down = BigButton("▼", role="secondary", min_width=96, min_height=120)
        self.up.setObjectName("page-up")
        self.down.setObjectName("page-down")
        self.up.clicked.connect(lambda: self.bar.setValue(self.bar.value() - self.bar.pageStep()))
        self.down.clicked.connect(
            lambda: self.bar.setValue(self.bar.value() + self.bar.pageStep()))
        box.addWidget(self.up)
        box.addStretch(1)
        box.addWidget(self.down)
        self._busy = self._stale = False
        self.bar.rangeChanged.connect(self._update)
        self.bar.valueChanged.connect(self._update)
        self._update()

    def _update(self, *_args) -> None:
        # Showing or hiding the pager lays the page out again, which can change the range and
        # call here again from inside setVisible: note that, and look at the range once more.
        if self._busy:
            self._stale = True
            return
        self._busy = True
        try:
            for _ in range(3):
                self._stale = False
                self.setVisible(self.bar.maximum() > 0)
                if not self._stale:
                    break
        finally:
            self._busy = False
        self.up.setEnabled(self.bar.value() > self.bar.minimum())
        self.down.setEnabled(self.bar.value() < self.bar.maximum())

    def retranslate(self, lang: str) -> None:
        self.up.setAccessibleName(tr(lang, "nav.page_up"))
        self.down.setAccessibleName(tr(lang, "nav.page_down"))
