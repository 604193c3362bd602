"""Help, over any screen: what this step means, and that a person is always there to help."""

from __future__ import annotations

from kiosk.i18n import tr
from ui.screens.base import Nav, OverlayScreen, label
from ui.widgets.big_button import BigButton


class HelpScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.status = label("heading")
        self.status.setObjectName("help-status")
        self.text = label("body")
        self.person = label("hint")
        self.cancel = BigButton(role="secondary", icon="no")
        self.cancel.setObjectName("cancel-help")
        self.cancel.clicked.connect(self.no_longer_needed)
        self.helper = BigButton(role="secondary", icon="person")
        self.helper.setObjectName("helper-sign-in")
        self.helper.clicked.connect(kiosk.helper_arrives)
        for widget in (self.status, self.text, self.person, self.cancel, self.helper):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def no_longer_needed(self) -> None:
        self.kiosk.help_call.cancel()
        self.on_back()

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.close_help")

    def title(self, lang: str) -> str:
        return tr(lang, "help.title")

    def retranslate(self, lang: str) -> None:
        call = self.kiosk.help_call
        self.status.setText(call.message(lang))
        self.status.setVisible(call.active)
        about = self.under.help_text(lang) if self.under else tr(lang, "help.general")
        self.text.setText(about)
        self.person.setText(tr(lang, "help.person"))
        self.cancel.setText(tr(lang, "help.cancel"))
        self.cancel.setVisible(call.active)
        self.helper.setText(tr(lang, "assist.i_am_helper"))
        self.helper.setVisible(not self.kiosk.assisted.helping)

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.status.text(), self.text.text(), self.person.text()]
