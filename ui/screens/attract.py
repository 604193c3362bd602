"""The attract screen: a welcome in every offered language; a touch anywhere begins."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.i18n import tr
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.screens.base import Nav, Screen
from ui.widgets.big_button import BigButton


class AttractScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.touch = BigButton(role="primary", scale="display")
        self.touch.setObjectName("begin")
        self.touch.setSizePolicy(self.touch.sizePolicy().Policy.Expanding,
                                 self.touch.sizePolicy().Policy.Expanding)
        self.touch.clicked.connect(kiosk.begin)
        self.box.addWidget(self.touch, 1)
        self.box.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def nav(self) -> Nav:
        return Nav(back=False, next_key=None, bars=False)

    def _lines(self) -> list[str]:
        return [tr(code, "attract.welcome") for code in self.kiosk.offered_languages()]

    def retranslate(self, lang: str) -> None:
        self.touch.setText("\n\n".join(self._lines()))

    def script(self, lang: str) -> Script:
        return [speech.in_language(tr(code, "attract.welcome"), code)
                for code in self.kiosk.offered_languages()]
