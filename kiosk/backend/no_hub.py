"""The backend of a kiosk that does not know its hub (kiosk/config.py `needs_staff`, or no hub
token): it files nothing anywhere, least of all into the demo, and keeps the queue it had so
the admin sees it (Queue tab, diagnose) until the settings are put right."""

from __future__ import annotations

from typing import Any, NoReturn

from kiosk.backend.base import Slot, Submission, SubmitResult, Unavailable
from kiosk.citizen import Citizen
from kiosk.service import Option
from kiosk.sync.outbox import Outbox
from kiosk.sync.sender import Sender


class NoHubBackend:
    policy = "offline"  # nothing is sent: the Queue tab says so

    def __init__(self, outbox: Outbox, kiosk_id: str) -> None:
        self.outbox = outbox
        self.kiosk_id = kiosk_id
        self.sender = Sender(outbox, "http://hub.invalid", "")  # never started: for the
        self.sender.paused = True  # Queue tab's own checks, which find it offline

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise Unavailable()

    def citizen_by_card(self, id_number: str) -> Citizen:
        self._refuse()

    def send_code(self, id_number: str) -> str:
        self._refuse()

    def verify_code(self, id_number: str, code: str) -> Citizen:
        self._refuse()

    def options(self, source: str, params: dict[str, Any]) -> list[Option]:
        self._refuse()

    def slots(self, params: dict[str, Any]) -> list[Slot]:
        self._refuse()

    def lookup(self, query: str, params: dict[str, Any], citizen: Citizen | None) -> dict:
        self._refuse()

    def submit(self, submission: Submission) -> SubmitResult:
        self._refuse()

    def public_key(self, checked: bool = False) -> NoReturn:
        self._refuse()

    def remote_down(self, request_id: str, after: int) -> dict:
        self._refuse()

    def remote_up(self, request_id: str, messages: list[dict]) -> int:
        self._refuse()

    def status(self) -> tuple[bool, int]:
        return False, self.outbox.waiting_count()
