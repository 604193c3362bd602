"""Help, over any screen: what this step means, and the offer to call a member of staff.

A person is called only when the citizen says yes; the call can be cancelled, and closing help
closes it. The question, then the call's progress, stay in one place: nothing moves under a finger.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from kiosk.i18n import tr
from ui.screens.base import Nav, OverlayScreen, label
from ui.widgets.big_button import BigButton


def _keep_room(widget: QWidget) -> QWidget:
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
    return widget


class HelpScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.status = label("heading")  # "Call a member of staff?", then how the call goes
        self.status.setObjectName("help-status")
        self.call_yes = BigButton(role="primary", icon="yes")
        self.call_yes.setObjectName("call-staff")
        self.call_yes.clicked.connect(self.call_staff)
        self.call_no = BigButton(role="secondary", icon="no")
        self.call_no.setObjectName("no-call")
        self.call_no.clicked.connect(self.on_back)
        self.cancel = BigButton(role="secondary", icon="no")
        self.cancel.setObjectName("cancel-help")
        self.cancel.clicked.connect(self.no_longer_needed)
        self.answer = QStackedWidget()  # yes / no, then "cancel the call" in the same place
        self.answer.addWidget(self._row(self.call_yes, self.call_no))
        self.answer.addWidget(self._row(self.cancel))
        self.person = _keep_room(label("hint"))
        self.text = label("body")
        self.helper = BigButton(role="secondary", icon="person")
        self.helper.setObjectName("helper-sign-in")
        self.helper.clicked.connect(kiosk.helper_arrives)
        for widget in (self.status, self.answer, self.person, self.text, self.helper):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    @staticmethod
    def _row(*buttons: BigButton) -> QWidget:
        row = QWidget()
        row.setProperty("role", "page")
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(32)
        for button in buttons:
            line.addWidget(button, 1)
        if len(buttons) == 1:
            line.addStretch(1)
        return row

    def call_staff(self) -> None:
        """The citizen said yes: the call goes out, and they hear that it is on its way."""
        self.kiosk.call_staff()
        self.kiosk.say([self.kiosk.help_call.message(self.lang)], cue="help")

    def no_longer_needed(self) -> None:
        self.on_back()

    def on_back(self) -> None:
        """Closing help closes the call: nobody walks over to an empty kiosk."""
        self.kiosk.help_call.cancel()
        super().on_back()

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.close_help")

    def title(self, lang: str) -> str:
        return tr(lang, "help.title")

    def retranslate(self, lang: str) -> None:
        call = self.kiosk.help_call
        self.status.setText(call.message(lang) if call.active else tr(lang, "help.ask"))
        self.answer.setCurrentIndex(1 if call.active else 0)
        self.call_yes.setText(tr(lang, "help.call_yes"))
        self.call_no.setText(tr(lang, "help.call_no"))
        self.cancel.setText(tr(lang, "help.cancel"))
        self.person.setText(tr(lang, "help.person"))
        self.person.setVisible(call.active)
        about = self.under.help_text(lang) if self.under else tr(lang, "help.general")
        self.text.setText(about)
        self.helper.setText(tr(lang, "assist.i_am_helper"))
        self.helper.setVisible(not self.kiosk.assisted.helping)

    def script(self, lang: str) -> list[str]:
        if self.kiosk.help_call.active:
            return [self.title(lang), self.status.text(), self.cancel.text(), self.text.text()]
        return [self.title(lang), self.status.text(), self.call_yes.text(),
                self.call_no.text(), self.text.text()]
