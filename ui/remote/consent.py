"""Asked before a remote clerk sees anything: on screen and aloud, with the clerk's name and
desk. Yes shares the screen (details stay masked); No sends nothing but the refusal."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.i18n import tr
from ui.screens.base import Nav, OverlayScreen, label
from ui.widgets.big_button import BigButton


class RemoteConsentScreen(OverlayScreen):
    def __init__(self, kiosk, answered: Callable[[bool], None]) -> None:
        super().__init__(kiosk)
        self.answered = answered
        self.clerk = self.desk = ""
        self.question = label("heading")
        self.question.setObjectName("remote-consent-question")
        self.explain = label("body")
        self.yes = BigButton(role="option", icon="yes", min_height=160)
        self.no = BigButton(role="option", icon="no", min_height=160)
        self.yes.setObjectName("remote-consent-yes")
        self.no.setObjectName("remote-consent-no")
        self.yes.clicked.connect(lambda: self.answer(True))
        self.no.clicked.connect(lambda: self.answer(False))
        self.words = label("banner")  # what the clerk says meanwhile ("Hello, I am ...")
        self.words.setObjectName("remote-consent-words")
        self.words.hide()
        for widget in (self.question, self.explain, self.words, self.yes, self.no):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def ask(self, clerk: str, desk: str) -> None:
        self.clerk, self.desk = clerk, desk
        self.show_words("")
        here, help_screen = self.kiosk.current(), self.kiosk.help
        if here is help_screen:  # asked for help there: the answer goes back to the task
            here = help_screen.under or self.kiosk.menu
            help_screen.close_quietly()
        self.open_over(here)

    def show_words(self, text: str) -> None:
        self.words.setText(text)
        self.words.setVisible(bool(text))

    def answer(self, see: bool) -> None:
        self.on_back()  # back where the citizen was, before anything is shared
        self.answered(see)

    def nav(self) -> Nav:
        return Nav(back=False, next_key=None)

    def title(self, lang: str) -> str:
        return tr(lang, "remote.consent_title")

    def retranslate(self, lang: str) -> None:
        names = {"clerk": self.clerk, "desk": self.desk}
        self.question.setText(tr(lang, "remote.consent_question", **names))
        self.explain.setText(tr(lang, "remote.consent_explain", **names))
        self.yes.setText(tr(lang, "remote.consent_yes", **names))
        self.no.setText(tr(lang, "remote.consent_no"))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.question.text(), self.explain.text(), self.yes.text(),
                self.no.text()]
