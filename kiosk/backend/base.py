"""The backend interface: identity, live lists, lookups and submissions.

Screens never talk to a backend directly; the journey does, through this interface, so the demo
backend and the real hub are interchangeable. Every error a citizen may meet is a BackendError
with an i18n key, so the screen can say it in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kiosk.citizen import Citizen
from kiosk.service import Option


class BackendError(Exception):
    key = "backend.error"


class NotFound(BackendError):
    key = "backend.not_found"


class WrongCode(BackendError):
    key = "backend.wrong_code"


class SlotFull(BackendError):
    """The appointment's time was taken by someone else meanwhile: nothing was filed, and the
    journey asks the citizen to choose another time."""

    key = "backend.slot_full"


class Unavailable(BackendError):
    """The backend cannot be reached, or the data needs a connection the kiosk does not have."""

    key = "backend.unavailable"


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    free: int


@dataclass(frozen=True)
class Submission:
    service_id: str
    idempotency_key: str  # made once when Submit is pressed; a retry sends the same key
    answers: dict[str, Any]
    citizen_id: str | None
    language: str
    created: str  # ISO time on the kiosk
    assistance: dict[str, Any] = field(default_factory=dict)  # helper, notes, proxy: if any


@dataclass(frozen=True)
class SubmitResult:
    reference: str
    provisional: bool = False  # an offline reference, mapped to an official one on upload
    extra: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    def citizen_by_card(self, id_number: str) -> Citizen:
        """The record for an ID card the reader has read; NotFound if unknown."""

    def send_code(self, id_number: str) -> str:
        """Send a one-time code to the phone on record; returns that phone, masked."""

    def verify_code(self, id_number: str, code: str) -> Citizen:
        """The record when the code is right; WrongCode otherwise."""

    def options(self, source: str, params: dict[str, Any]) -> list[Option]:
        """A live list for a choice step (hospitals, departments, ...)."""

    def slots(self, params: dict[str, Any]) -> list[Slot]:
        """Free appointment slots for the answers named in the step's params."""

    def lookup(self, query: str, params: dict[str, Any], citizen: Citizen | None) -> dict:
        """A live answer (bill amount, insurance balance, application status)."""

    def submit(self, submission: Submission) -> SubmitResult:
        """Take a submission in at once (a provisional reference if it still has to travel);
        the same idempotency key never files twice."""

    def settle(self, idempotency_key: str) -> SubmitResult | None:
        """Try to file a taken-in submission now (may wait on the network: off the GUI); its
        official result, or None while it still waits."""

    def status(self) -> tuple[bool, int]:
        """(online, submissions waiting to be sent): may take a moment, call it off the GUI."""

    def remote_down(self, request_id: str, after: int) -> dict:
        """A remote desk's messages after seq `after` (a long poll, off the GUI thread):
        {"messages": [...], "state": ...}. NotFound when the call is gone."""

    def remote_up(self, request_id: str, messages: list[dict]) -> int:
        """Messages for the remote desk; how many were accepted. NotFound when gone."""
