"""The service menu: large tiles with icons, two to a row."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.i18n import tr
from kiosk.service import Service
from ui.screens.base import Nav, Screen, label
from ui.widgets.big_button import BigButton

COLUMNS = 2


class MenuScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("heading")
        self.box.addWidget(self.heading)
        inner = QWidget()
        inner.setProperty("role", "page")
        self._grid = QGridLayout(inner)
        self._grid.setSpacing(24)
        self._tiles: dict[str, tuple[Service, BigButton]] | None = None
        self.box.addWidget(inner)
        self.box.addStretch(1)

    @property
    def tiles(self) -> dict[str, tuple[Service, BigButton]]:
        """Built when first needed (main.py: just after the first frame): with a region's
        hundreds of services they would be most of a start."""
        if self._tiles is None:
            self._tiles = {}
            for i, service in enumerate(self._services()):
                tile = BigButton(role="option", icon=service.icon)
                tile.setObjectName(f"service-{service.id}")
                tile.clicked.connect(lambda _=False, s=service: self.kiosk.choose_service(s))
                self._tiles[service.id] = (service, tile)
                self._grid.addWidget(tile, i // COLUMNS, i % COLUMNS)
        return self._tiles

    def _services(self) -> list[Service]:
        wanted = self.kiosk.settings.services
        return [s for s in self.kiosk.catalogue.services if not wanted or s.id in wanted]

    def nav(self) -> Nav:
        return Nav(back=False, next_key=None)

    def title(self, lang: str) -> str:
        return tr(lang, "menu.title")

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "menu.question"))
        for service, tile in self.tiles.values():
            tile.setText(service.title.get(lang))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), tr(lang, "menu.question"),
                *(service.title.get(lang) for service, _ in self.tiles.values())]
