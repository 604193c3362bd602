"""Filing for someone else (亲友代办): who the filer is to the citizen, their name, and a
declaration. The banner then says whom it is filed for; the receipt names both people."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.assist.assistance import RELATIONSHIPS
from kiosk.i18n import tr
from ui.screens.base import ErrorText, Nav, OverlayScreen, label
from ui.widgets.big_button import BigButton
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard


class ProxyScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.relationship = ""
        self.agreed = False
        self.for_whom = label("heading")
        self.ask_relation = label("body")
        host = QWidget()
        host.setProperty("role", "page")
        grid = QGridLayout(host)
        grid.setSpacing(16)
        self.tiles: dict[str, BigButton] = {}
        for n, kind in enumerate(RELATIONSHIPS):
            tile = BigButton(role="option")
            tile.setObjectName(f"relation-{kind}")
            tile.clicked.connect(lambda _=False, k=kind: self.choose(k))
            self.tiles[kind] = tile
            grid.addWidget(tile, n // 4, n % 4)
        self.ask_name = label("body")
        self.name = BigEntry()
        self.name.setObjectName("filer-name")
        self.keys = OnScreenKeyboard("text")
        self.keys.offered.connect(lambda words: kiosk.offer(words, personal=True))
        self.name.attach(self.keys)
        self.declaration = label("body")
        self.agree = BigButton(role="option", icon="yes")
        self.agree.setObjectName("declare")
        self.agree.clicked.connect(self.toggle)
        self.error = ErrorText()
        for widget in (self.for_whom, self.ask_relation, host, self.ask_name, self.name,
                       self.keys, self.declaration, self.agree, self.error):
            self.box.addWidget(widget)

    def choose(self, kind: str) -> None:
        self.relationship = kind
        for key, tile in self.tiles.items():
            tile.set_selected(key == kind)

    def toggle(self) -> None:
        self.agreed = not self.agreed
        self.agree.set_selected(self.agreed)

    def _whom(self) -> str:
        citizen = self.kiosk.session.citizen
        return citizen.name[0] + "*" * (len(citizen.name) - 1) if citizen else ""

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.next")

    def title(self, lang: str) -> str:
        return tr(lang, "proxy.title")

    def retranslate(self, lang: str) -> None:
        self.for_whom.setText(tr(lang, "proxy.for_whom", whom=self._whom() or "—"))
        self.ask_relation.setText(tr(lang, "proxy.relation"))
        for kind, tile in self.tiles.items():
            tile.setText(tr(lang, f"proxy.rel.{kind}"))
        self.ask_name.setText(tr(lang, "proxy.name"))
        self.name.setAccessibleName(tr(lang, "proxy.name"))
        self.keys.retranslate(lang)
        self.declaration.setText(tr(lang, "proxy.declaration"))
        self.agree.setText(tr(lang, "field.agree"))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.ask_relation.text(), self.declaration.text()]

    def clear(self) -> None:
        self.name.setText("")
        self.keys.reset()
        self.choose("")
        self.agreed = True
        self.toggle()
        self.error.say("")

    def on_next(self) -> None:
        lang = self.lang
        filer = " ".join(self.name.text().split())
        if not self.relationship or not filer or not self._whom():
            return self.error.say(tr(lang, "proxy.missing"))
        if not self.agreed:
            return self.error.say(tr(lang, "error.consent"))
        self.kiosk.assisted.proxy(self.relationship, filer, self._whom())
        self.clear()
        self.on_back()
