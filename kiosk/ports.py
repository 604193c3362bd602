"""The interfaces the kiosk needs from outside, one per capability, so that no part of the kiosk
asks an object what it can do (`hasattr`): every kiosk has every port, and where a capability is
absent a null version says so in the port's own terms.

  CitizenData  identity, live lists, lookups, submissions      kiosk.backend.base.Backend
  HelpDesk     calling a member of staff to the kiosk, and a remote desk's live channel
  Uplink       liveness, heartbeat, usage figures, the catalogue, the sending policy
  QueueAdmin   the outbox the admin's Queue tab and `diagnose` look at

Which concrete class stands behind each port is decided in one place, the composition root
(ui/composition.py): the real hub (kiosk.backend.http), the demo (kiosk.backend.demo), or a
kiosk that does not know its hub (kiosk.backend.no_hub). The null versions are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from kiosk.backend.base import Backend, Unavailable

if TYPE_CHECKING:
    from kiosk.sync.outbox import Outbox
    from kiosk.sync.sender import Sender

LONG_POLL_S = 20.0  # the hub holds a remote desk's `down` poll this long at most

CitizenData = Backend  # the journey's port: kiosk.backend.base says what each call does


class HelpDesk(Protocol):
    """No personal data: only where the citizen is stuck."""

    def call_help(self, service_id: str | None, step_id: str | None) -> str:
        """The request's id; Unavailable when no desk can be reached."""

    def help_status(self, request_id: str) -> dict:
        """{"id", "state": open|acknowledged|closed, "helper_name", ...}."""

    def cancel_help(self, request_id: str) -> None: ...

    def remote_down(self, request_id: str, after: int) -> dict:
        """A remote desk's messages after seq `after` (a long poll, off the GUI thread):
        {"messages": [...], "state": ...}. NotFound when the call is gone."""

    def remote_up(self, request_id: str, messages: list[dict]) -> int:
        """Messages for the remote desk; how many were accepted. NotFound when gone."""


class Uplink(Protocol):
    """What the kiosk tells its hub, and hears back, in the background."""

    def status(self) -> tuple[bool, int]:
        """(online, submissions waiting): may take a moment, call it off the GUI thread."""

    def heartbeat(self, version: str = "") -> dict:
        """Alive, and what waits; the hub's answer (settings, catalogue version) or {}."""

    def send_usage(self, records: list[dict]) -> int:
        """Anonymous visit records; how many the other end now holds of them."""

    def catalogue(self) -> dict:
        """The services the hub publishes: {"version": ..., "services": [...]}."""

    def configure(self, policy: str, sync_every_s: float) -> None:
        """The admin's sending policy (automatic, offline, online) and how often to send."""


class QueueAdmin(Protocol):
    """The kiosk's outbox, for the admin: None where the kiosk keeps no queue (the demo)."""

    outbox: Outbox | None
    sender: Sender | None
    policy: str
    kiosk_id: str

    def public_key_pem(self) -> str:
        """The hub's sealing key as kept in the outbox (fetched now if never fetched and the
        hub answers); "" when the kiosk has never had it."""


@dataclass(frozen=True)
class Ports:
    citizen_data: CitizenData
    help_desk: HelpDesk
    uplink: Uplink
    queue: QueueAdmin


def _unavailable(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise Unavailable()


class NullHelpDesk:
    """No desk to call (a kiosk that does not know its hub): the citizen hears that nobody can
    be called from here, and asks at the counter."""

    call_help = help_status = remote_down = remote_up = _unavailable

    def cancel_help(self, request_id: str) -> None:
        """Nothing was called: nothing to cancel."""


class NullUplink:
    """Nobody to tell: offline, nothing sent, nothing pushed back."""

    def __init__(self, waiting: int = 0) -> None:
        self.waiting = waiting

    def status(self) -> tuple[bool, int]:
        return False, self.waiting

    heartbeat = send_usage = catalogue = _unavailable

    def configure(self, policy: str, sync_every_s: float) -> None:
        """Nothing sends: nothing to configure."""


class NullQueue:
    """No outbox (the demo files in memory): the Queue tab says so."""

    outbox = None
    sender = None
    policy = ""
    kiosk_id = ""

    def public_key_pem(self) -> str:
        return ""
