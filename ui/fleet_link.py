"""Settings and a catalogue pushed by the hub reach the kiosk between visits, never during one.

kiosk.fleet.Fleet takes them from a heartbeat's answer off the GUI thread (it writes
settings.toml and fetches the catalogue); here, on the GUI thread, they wait until the welcome
screen shows (a visit ended, or none began) and are then applied as the admin form's are
(Kiosk.apply_settings: some at once, the defaults a visit starts with from the next visit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.catalogue import Catalogue
from kiosk.fleet import Fleet
from kiosk.settings import Settings

if TYPE_CHECKING:
    from ui.admin.context import AdminContext


class FleetLink(QObject):
    def __init__(self, kiosk: AdminContext, fleet: Fleet) -> None:
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.fleet = fleet
        self.pending_settings: Settings | None = None
        self.pending_catalogue: Catalogue | None = None
        kiosk.screen_shown.connect(self._shown)

    def arrived(self, taken: tuple[Settings | None, Catalogue | None]) -> None:
        """What a heartbeat brought (Fleet.take's result), on the GUI thread."""
        settings, catalogue = taken
        self.pending_settings = settings or self.pending_settings
        self.pending_catalogue = catalogue or self.pending_catalogue
        self.apply()

    def settled(self, settings: Settings) -> None:
        """The kiosk now runs on `settings` (the admin saved them): pushes build on them."""
        self.fleet.settings = settings
        self.pending_settings = None

    def _shown(self, screen: object) -> None:
        if screen is self.kiosk.attract and (self.pending_settings or self.pending_catalogue):
            QTimer.singleShot(0, self.apply)  # once the welcome screen is up, not inside show()

    def apply(self) -> None:
        """Now, if no visit is under way; else when the welcome screen shows again."""
        kiosk = self.kiosk
        if kiosk.closed or kiosk.current() is not kiosk.attract:
            return
        settings, self.pending_settings = self.pending_settings, None
        catalogue, self.pending_catalogue = self.pending_catalogue, None
        if catalogue is not None:
            kiosk.use_catalogue(catalogue)
        if settings is not None:
            kiosk.apply_settings(settings)
