"""Before you start: what the service does, what to bring, and whether the kiosk can finish it."""

from __future__ import annotations

from kiosk.i18n import tr
from ui.screens.base import ErrorText, Nav, Screen, label


class BeforeStartScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.summary = label("body")
        self.need_heading = label("heading")
        self.needs = label("body")
        self.identity = label("hint")
        self.offline = ErrorText()
        for widget in (self.offline, self.summary, self.need_heading, self.needs, self.identity):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def can_start(self) -> bool:
        """Balances, bills and appointment times need the office: not while offline."""
        service = self.kiosk.chosen
        return service is None or not service.needs_live_data or self.kiosk.connection[0]

    def nav(self) -> Nav:
        return Nav(next_key="nav.start" if self.can_start() else None)

    def title(self, lang: str) -> str:
        service = self.kiosk.chosen
        return service.title.get(lang) if service else ""

    def retranslate(self, lang: str) -> None:
        service = self.kiosk.chosen
        if service is None:
            return
        self.summary.setText(service.summary.get(lang))
        self.need_heading.setText(tr(lang, "start.you_will_need"))
        needs = [f"•  {item.get(lang)}" for item in service.you_will_need]
        self.needs.setText("\n".join(needs) or tr(lang, "start.nothing_needed"))
        key = "start.identity" if service.needs_identity else "start.no_identity"
        self.identity.setText(tr(lang, key))
        self.offline.say("" if self.can_start() else tr(lang, "start.offline"))

    def script(self, lang: str) -> list[str]:
        service = self.kiosk.chosen
        needs = [item.get(lang) for item in service.you_will_need] if service else []
        return [self.title(lang), self.offline.message(), self.summary.text(),
                self.need_heading.text(), *(needs or [self.needs.text()]),
                self.identity.text()]

    def on_next(self) -> None:
        self.kiosk.start_chosen()
