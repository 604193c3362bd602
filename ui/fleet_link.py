"""Settings and a catalogue pushed by the hub reach the kiosk between visits, never during one.

kiosk.fleet.Fleet takes them from a heartbeat's answer off the GUI thread (it writes
settings.toml and fetches the catalogue); here, on the GUI thread, they wait until the welcome
screen shows (a visit ended, or none began) and are then applied as the admin form's are
(Kiosk.apply_settings: some at once, the defaults a visit starts with from the next visit).
The kiosk also checks itself now and then (ui.self_check), and the heartbeat tells the hub what
it found, for the centre page.
A release downloaded and checked (kiosk.update) is handed to the updater at the same moment:
the updater restarts the kiosk with it, so never during a visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.catalogue import Catalogue
from kiosk.fleet import Fleet
from kiosk.settings import Settings
from ui.self_check import self_check
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from ui.admin.context import AdminContext

FIRST_CHECK_MS = 60_000  # once the kiosk has settled after its start
CHECK_EVERY_MS = 6 * 3600_000  # a check asks the speech engine and the hub: now and then


class FleetLink(QObject):
    def __init__(self, kiosk: AdminContext, fleet: Fleet) -> None:
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.fleet = fleet
        self.pending_settings: Settings | None = None
        self.pending_catalogue: Catalogue | None = None
        kiosk.screen_shown.connect(self._shown)
        self.checking = False
        self.self_checks = 0  # finished self-checks (tests wait for the next one)
        self._check_timer = QTimer(self)
        self._check_timer.timeout.connect(self.check_now)
        self._check_timer.start(FIRST_CHECK_MS)

    def check_now(self) -> None:
        """The kiosk checks itself in the background (what `diagnose` checks); the next
        heartbeat tells the hub what it found, for the centre page."""
        self._check_timer.start(CHECK_EVERY_MS)
        if self.checking or self.kiosk.closed:
            return
        self.checking = True
        run_in_background(self_check(self.kiosk), self._checked, self._not_checked)

    def _checked(self, checks: list) -> None:
        self.fleet.note_checks(checks)
        self._not_checked(None)

    def _not_checked(self, _problem: Exception | None) -> None:
        self.checking = False
        self.self_checks += 1

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
        if screen is self.kiosk.attract and (self.pending_settings or self.pending_catalogue
                                             or self._update_ready()):
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
        if self._update_ready():
            self.fleet.updates.hand_over()

    def _update_ready(self) -> bool:
        return self.fleet.updates is not None and self.fleet.updates.ready()
