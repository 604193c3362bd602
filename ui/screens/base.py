"""What every screen shares: it is told the language, says what the bars show, and has a script.

The window owns the bars (Back, Repeat aloud, Next, Help always in the same place); a screen
only says which of them apply and what Next is called here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.app import Kiosk


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
    size nothing is cut off: it scrolls (with big arrow buttons, single taps) instead."""

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setProperty("role", "page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll)
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

    def script(self, lang: str) -> list[str]:
        """What is said aloud for this screen, from the same data that draws it."""
        return [self.title(lang)]

    def help_text(self, lang: str) -> str:
        from kiosk.i18n import tr

        return tr(lang, "help.general")

    def clear(self) -> None:
        """Forget anything personal this screen shows; called when the session ends."""

    def on_next(self) -> None:
        """Next was pressed (or Enter)."""

    def on_back(self) -> None:
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
