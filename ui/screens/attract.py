"""The attract screen: a welcome in every offered language; a touch anywhere begins. On a
kiosk that needs a member of staff (it does not know its hub) it says so instead, in every
offered language, aloud too, and a touch only says it again."""

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

    @property
    def _key(self) -> str:
        return "attract.needs_staff" if self.kiosk.needs_staff is not None else "attract.welcome"

    def _lines(self) -> list[str]:
        return [tr(code, self._key) for code in self.kiosk.offered_languages()]

    def retranslate(self, lang: str) -> None:
        self.touch.setObjectName("needs-staff" if self.kiosk.needs_staff is not None
                                 else "begin")
        self.touch.setText("\n\n".join(self._lines()))

    def script(self, lang: str) -> Script:
        return [speech.in_language(tr(code, self._key), code)
                for code in self.kiosk.offered_languages()]
