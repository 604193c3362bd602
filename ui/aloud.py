"""Read my details aloud: how a citizen who cannot read hears what they confirm without
headphones. Offered wherever the loudspeaker leaves details out (kiosk.speech.script holds the
rule); it asks first, with a spoken warning that people nearby may hear. The choice lasts until
the visit ends (the voice resets it with the other sound settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.app import Kiosk

STATES = ("offer", "warn", "on")


class AloudOffer(QWidget):
    """A strip of words and at most two buttons; its height is the same in every state, so
    answering it moves nothing on the page."""

    def __init__(self, kiosk: Kiosk, name: str) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setObjectName(name)
        self.setProperty("role", "banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.warning = False  # the question is on screen, waiting for yes or no
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 16, 24, 12)  # a finger's gap from the page's last button
        row.setSpacing(20)
        self.words = label("banner")
        self.words.setObjectName("aloud-words")
        self.first = BigButton(role="secondary", icon="speaker")
        self.first.setObjectName("aloud-first")
        self.first.clicked.connect(self.press_first)
        self.second = BigButton(role="secondary", icon="no")
        self.second.setObjectName("aloud-no")
        self.second.clicked.connect(self.press_no)
        policy = self.second.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.second.setSizePolicy(policy)
        row.addWidget(self.words, 1)
        row.addWidget(self.first)
        row.addWidget(self.second)

    @property
    def state(self) -> str:
        prefs = self.kiosk.voice.prefs
        return "on" if prefs.aloud else "warn" if self.warning else "offer"

    def press_first(self) -> None:
        lang = self.kiosk.session.language
        state = self.state
        if state == "offer":  # first the warning, shown and said
            self.warning = True
            self.kiosk.say([tr(lang, "aloud.warning")])
        elif state == "warn":
            self.warning = False
            self.kiosk.set_aloud(True)
        else:
            self.kiosk.set_aloud(False)
        self.retranslate(lang)

    def press_no(self) -> None:
        self.warning = False
        self.kiosk.stop_speaking()
        self.retranslate(self.kiosk.session.language)

    def reset(self) -> None:
        """A new screen: a question left unanswered is not carried over."""
        self.warning = False

    def retranslate(self, lang: str) -> None:
        self._show(self.state, lang)
        self.setFixedHeight(self._tallest(lang))
        self._show(self.state, lang)

    def _show(self, state: str, lang: str) -> None:
        words, first, second = {
            "offer": ("", "aloud.offer", ""),
            "warn": ("aloud.warning", "aloud.yes", "aloud.no"),
            "on": ("aloud.on", "aloud.stop", ""),
        }[state]
        self.words.setText(tr(lang, words) if words else "")
        self.first.setText(tr(lang, first))
        self.first.set_icon("yes" if state == "warn" else "speaker")
        self.second.setText(tr(lang, second) if second else "")
        self.second.setVisible(bool(second))

    def _tallest(self, lang: str) -> int:
        """The height the strip needs in its tallest state, at this width and text size."""
        self.ensurePolished()
        width = self.width() if self.width() > 200 else self.window().width()
        tallest = 0
        for state in STATES:
            self._show(state, lang)
            tallest = max(tallest, self.layout().totalHeightForWidth(width))
        return tallest
