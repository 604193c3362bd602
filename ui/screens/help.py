"""Help, over any screen: what this step means, and that a person is always there to help."""

from __future__ import annotations

from kiosk.i18n import tr
from ui.screens.base import Nav, OverlayScreen, label


class HelpScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.text = label("body")
        self.person = label("banner")
        self.box.addWidget(self.text)
        self.box.addWidget(self.person)
        self.box.addStretch(1)

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.close_help")

    def title(self, lang: str) -> str:
        return tr(lang, "help.title")

    def retranslate(self, lang: str) -> None:
        about = self.under.help_text(lang) if self.under else tr(lang, "help.general")
        self.text.setText(about)
        self.person.setText(tr(lang, "help.person"))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.text.text(), self.person.text()]
