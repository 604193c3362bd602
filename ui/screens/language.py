"""Choose a language: each is named in itself, so a speaker finds their own."""

from __future__ import annotations

from kiosk.i18n import language, tr
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.screens.base import Nav, Screen, label
from ui.widgets.big_button import BigButton


class LanguageScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.return_to: Screen | None = None  # where to go back to when switched mid-way
        self.heading = label("heading")
        self.box.addWidget(self.heading)
        self.buttons: dict[str, BigButton] = {}
        for code in kiosk.offered_languages():
            button = BigButton(language(code).name, role="option")
            button.setObjectName(f"lang-{code}")
            button.clicked.connect(lambda _=False, c=code: self.choose(c))
            self.buttons[code] = button
            self.box.addWidget(button)
        self.box.addStretch(1)

    def nav(self) -> Nav:
        return Nav(back=self.return_to is not None, next_key=None)

    def title(self, lang: str) -> str:
        return " / ".join(tr(code, "language.title") for code in self.kiosk.offered_languages())

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "language.question"))
        for code, button in self.buttons.items():
            button.set_selected(code == lang)

    def script(self, lang: str) -> Script:
        """The title, then each language invites its speakers in its own voice."""
        return [self.title(lang), *(speech.in_language(tr(code, "language.say"), code)
                                    for code in self.kiosk.offered_languages())]

    def choose(self, code: str) -> None:
        self.kiosk.set_language(code)
        back_to, self.return_to = self.return_to, None
        if back_to is not None:
            self.kiosk.show(back_to)
        else:
            self.kiosk.go_menu()

    def on_back(self) -> None:
        if self.return_to is not None:
            self.kiosk.show(self.return_to)
