"""Read my details aloud: how a citizen who cannot read hears what they confirm without
headphones. Offered wherever the loudspeaker leaves details out (kiosk.speech.script holds the
rule); it asks first, with a spoken warning that people nearby may hear. The choice lasts until
the visit ends (the voice resets it with the other sound settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.screens.context import KioskContext

STATES = ("offer", "warn", "on")


class AloudOffer(QWidget):
    """A strip of words and at most two buttons; its height is the same in every state, so
    answering it moves nothing on the page. "Yes" never comes where the finger that asked
    was: a second tap on the same place says no."""

    def __init__(self, kiosk: KioskContext, name: str, steady: bool = True) -> None:
        """`steady`: keep the height of the tallest state (a strip over the page does; a row
        at the end of a settings page need not)."""
        super().__init__()
        self.kiosk = kiosk
        self.steady = steady
        self.setObjectName(name)
        self.setProperty("role", "banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.warning = False  # the question is on screen, waiting for yes or no
        row = QHBoxLayout(self) if steady else QGridLayout(self)  # a row, or words over buttons
        row.setContentsMargins(24, 14, 24, 6)  # a finger's gap from the page's last button
        row.setSpacing(20)
        self.words = label("banner")
        self.words.setObjectName("aloud-words")
        self.words.setStyleSheet("border: none; padding: 0px;")  # the strip is the box
        self.first = BigButton(role="secondary", icon="speaker", min_height=72)
        self.first.setObjectName("aloud-first")
        self.first.clicked.connect(self.press_first)
        self.second = BigButton(role="secondary", icon="yes", min_height=72)
        self.second.setObjectName("aloud-yes")
        self.second.clicked.connect(self.press_yes)
        policy = self.second.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.second.setSizePolicy(policy)
        if steady:
            row.addWidget(self.words, 1)
            row.addWidget(self.first)
            row.addWidget(self.second)
        else:
            row.addWidget(self.words, 0, 0, 1, 2)
            row.addWidget(self.first, 1, 0)
            row.addWidget(self.second, 1, 1)

    @property
    def state(self) -> str:
        prefs = self.kiosk.voice.prefs
        return "on" if prefs.aloud else "warn" if self.warning else "offer"

    def press_first(self) -> None:
        """Read my details aloud (then the warning, shown and said) / No / Stop."""
        lang = self.kiosk.session.language
        state = self.state
        if state == "offer":
            self.warning = True
            self.kiosk.say([tr(lang, "aloud.warning")])
        elif state == "warn":
            self.warning = False
            self.kiosk.stop_speaking()
        else:
            self.kiosk.set_aloud(False)
        self.retranslate(lang)

    def press_yes(self) -> None:
        self.warning = False
        self.kiosk.set_aloud(True)
        self.retranslate(self.kiosk.session.language)

    def reset(self) -> None:
        """A new screen: a question left unanswered is not carried over."""
        self.warning = False

    def retranslate(self, lang: str) -> None:
        if self.steady:
            self.setFixedHeight(self._tallest(lang))
        self._show(self.state, lang)

    def _show(self, state: str, lang: str) -> None:
        words, first, second = {
            "offer": ("aloud.withheld", "aloud.offer", ""),
            "warn": ("aloud.warning", "aloud.no", "aloud.yes"),
            "on": ("aloud.on", "aloud.stop", ""),
        }[state]
        self.words.setText(tr(lang, words))
        self.first.setText(tr(lang, first))
        self.first.set_icon("no" if state == "warn" else "speaker")
        self.second.setText(tr(lang, second) if second else "")
        self.second.setVisible(bool(second))

    def _tallest(self, lang: str) -> int:
        """The height the strip needs in its tallest state, at this width and text size."""
        self.ensurePolished()
        width = self.window().width()  # the strip spans the window
        tallest = 0
        for state in STATES:
            self._show(state, lang)
            tallest = max(tallest, self.layout().totalHeightForWidth(width))
        return tallest
