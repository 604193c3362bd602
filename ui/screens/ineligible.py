"""Not for you, and why: said plainly before any time is spent on a form, with what to do."""

from __future__ import annotations

from kiosk.i18n import tr
from ui.screens.base import Nav, Screen, label


class IneligibleScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("heading")
        self.reasons = label("body")
        self.instead_heading = label("heading")
        self.instead = label("body")
        for widget in (self.heading, self.reasons, self.instead_heading, self.instead):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def nav(self) -> Nav:
        return Nav(back=False, next_key="nav.other_service")

    def title(self, lang: str) -> str:
        journey = self.kiosk.session.journey
        return journey.service.title.get(lang) if journey else ""

    def retranslate(self, lang: str) -> None:
        journey = self.kiosk.session.journey
        if journey is None:
            return
        reasons = journey.ineligible_reasons(lang)
        self.heading.setText(tr(lang, "ineligible.heading"))
        self.reasons.setText("\n".join(reason for reason, _ in reasons))
        self.instead_heading.setText(tr(lang, "ineligible.instead"))
        self.instead.setText("\n".join(instead for _, instead in reasons))

    def clear(self) -> None:
        self.reasons.clear()
        self.instead.clear()

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.heading.text(), self.reasons.text(),
                self.instead_heading.text(), self.instead.text()]

    def on_next(self) -> None:
        self.kiosk.go_menu()
