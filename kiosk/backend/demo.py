"""An in-process backend with demo data, so the kiosk works out of the box with no network.

It behaves like a real one where the citizen would notice: codes expire after three wrong
tries, booked slots fill up, a repeated idempotency key returns the first reference.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import secrets
from datetime import date, datetime, time
from typing import Any

from kiosk.backend import demo_data
from kiosk.backend.base import NotFound, Slot, Submission, SubmitResult, WrongCode
from kiosk.citizen import Citizen, age_on
from kiosk.remote.relay import Relay
from kiosk.service import Option

log = logging.getLogger(__name__)

REFERENCE_PREFIX = {
    "pension_check": "YL", "doctor_appointment": "GH", "senior_allowance": "GL",
    "pay_bill": "JF", "report_problem": "BX",
}
SERVICE_NAMES = {
    "pension_check": {"en": "Your pension check", "zh_CN": "养老金资格认证"},
    "senior_allowance": {"en": "Senior allowance", "zh_CN": "高龄津贴"},
    "report_problem": {"en": "Problem report", "zh_CN": "问题报修"},
    "doctor_appointment": {"en": "Doctor appointment", "zh_CN": "预约挂号"},
    "pay_bill": {"en": "Bill payment", "zh_CN": "缴费"},
}
MAX_CODE_TRIES = 3
# What the demo remembers of each kind (submissions, the references they were given, usage
# records, booked slots, help calls): the latest this many. A demo kiosk in a showroom runs
# for months; a hub keeps everything on disk, an in-memory stand-in must not.
KEPT = 200


def remember(mapping: dict, key: Any, value: Any) -> None:
    """`mapping[key] = value`, forgetting the oldest entries beyond KEPT."""
    mapping[key] = value
    while len(mapping) > KEPT:
        del mapping[next(iter(mapping))]


def normalise_reference(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


class DemoBackend:
    def __init__(self, today: date | None = None, practice: bool = False) -> None:
        self.today = today or date.today()
        self.practice = practice  # references read PRACTICE 0042: never taken for real ones
        self.records = {c[0]: c for c in demo_data.CITIZENS}
        self.codes: dict[str, tuple[str, int]] = {}  # id number -> (code, tries left)
        self.last_code = ""  # shown on the helper's screen in demo mode
        self.booked: dict[str, int] = {}  # slot id -> places taken
        self.submissions: dict[str, tuple[Submission, SubmitResult]] = {}
        # references given here (besides the demo's own, demo_data.APPLICATIONS): their status
        self.applications: dict[str, tuple] = {}
        self.help_requests: dict[str, dict] = {}
        self._help_numbers = itertools.count(1)
        self.relays: dict[str, Relay] = {}  # calls a remote desk took
        self.usage: dict[str, dict] = {}  # visit records sent, by id (kiosk.usage)

    # identity
    def _citizen(self, id_number: str) -> Citizen:
        record = self.records.get(id_number)
        if record is None:
            raise NotFound()
        number, name, birth, address, phone = record
        return Citizen(number, name, birth, address, phone, age_on(birth, self.today))

    def citizen_by_card(self, id_number: str) -> Citizen:
        return self._citizen(id_number)

    def send_code(self, id_number: str) -> str:
        citizen = self._citizen(id_number)
        code = f"{secrets.randbelow(1_000_000):06d}"
        self.codes[id_number] = (code, MAX_CODE_TRIES)
        self.last_code = code
        log.info("demo one-time code sent: %s", code)  # a demo code, not personal data
        return citizen.phone[-4:]

    def verify_code(self, id_number: str, code: str) -> Citizen:
        expected, tries = self.codes.get(id_number, ("", 0))
        if tries <= 0:
            raise WrongCode()
        if code.strip() != expected:
            self.codes[id_number] = (expected, tries - 1)
            raise WrongCode()
        del self.codes[id_number]
        return self._citizen(id_number)

    # live lists
    def options(self, source: str, params: dict[str, Any]) -> list[Option]:
        if source == "hospitals":
            return list(demo_data.HOSPITALS)
        if source == "departments":
            return list(demo_data.DEPARTMENTS.get(str(params.get("hospital")), ()))
        raise NotFound()

    def slots(self, params: dict[str, Any]) -> list[Slot]:
        day = date.fromisoformat(str(params.get("day")))
        base = f"{params.get('hospital')}/{params.get('department')}/{day.isoformat()}"
        found = []
        for minutes in range(8 * 60 + 30, 11 * 60 + 31, 30):
            start = datetime.combine(day, time(minutes // 60, minutes % 60))
            slot_id = f"{base}/{start:%H%M}"
            places = int(hashlib.sha256(slot_id.encode()).hexdigest(), 16) % 5
            free = places - self.booked.get(slot_id, 0)
            if free > 0:
                found.append(Slot(slot_id, start, free))
        return found

    # lookups
    def lookup(self, query: str, params: dict[str, Any], citizen: Citizen | None) -> dict:
        # plain JSON, as the hub answers: texts in several languages are {lang: text} objects
        if query == "bill":
            bill = demo_data.BILLS.get((str(params.get("utility")), str(params.get("account"))))
            if bill is None:
                raise NotFound()
            holder, period, amount, due = bill
            return {"holder": holder, "period": period, "amount": amount,
                    "due": due.isoformat()}
        if query == "insurance":
            if citizen is None or citizen.id_number not in demo_data.INSURANCE:
                raise NotFound()
            balance, spent, when, amount, place = demo_data.INSURANCE[citizen.id_number]
            return {"balance": balance, "spent_this_year": spent,
                    "last_claim_date": when.isoformat(), "last_claim_amount": amount,
                    "last_claim_place": place}
        if query == "application_status":
            ref = normalise_reference(str(params.get("reference", "")))
            application = self.applications.get(ref) or demo_data.APPLICATIONS.get(ref)
            if application is None:
                raise NotFound()
            service, submitted, status, updated = application
            return {"service": SERVICE_NAMES.get(service, {"en": service}),
                    "submitted": submitted.isoformat(), "status": status,
                    "updated": updated.isoformat(),
                    "next": {"en": "We will phone you when there is news.",
                             "zh_CN": "有进展时我们会给您打电话。"}}
        raise NotFound()

    def status(self) -> tuple[bool, int]:
        return True, 0  # in-process: always there, nothing ever waits

    def demo_code(self) -> str:
        return self.last_code

    # the uplink: in-process, nothing to tell and nothing pushed back
    def heartbeat(self, version: str = "") -> dict:
        return {}

    def catalogue(self) -> dict:
        raise NotFound()  # the demo offers the services shipped with the kiosk

    def configure(self, policy: str, sync_every_s: float) -> None:
        """Nothing is sent anywhere: no policy to apply."""

    def send_usage(self, records: list[dict]) -> int:
        """Kept in memory, each record once, as the hub would."""
        for record in records:
            if record["id"] not in self.usage:
                remember(self.usage, record["id"], record)
        return len(records)

    # help requests (no personal data: where the citizen is stuck, nothing about them)
    def call_help(self, service_id: str | None, step_id: str | None) -> str:
        request_id = f"H{next(self._help_numbers)}"
        remember(self.help_requests, request_id, {"id": request_id, "state": "open",
                                                  "helper_name": None,
                                                  "service_id": service_id,
                                                  "step_id": step_id})
        return request_id

    def help_status(self, request_id: str) -> dict:
        if request_id not in self.help_requests:
            raise NotFound()
        return dict(self.help_requests[request_id])

    def cancel_help(self, request_id: str) -> None:
        self.help_requests.get(request_id, {})["state"] = "closed"

    def desk_acknowledge(self, request_id: str, helper_name: str) -> None:
        """What the helper desk does (the hub's desk page, for the real thing)."""
        self.help_requests[request_id].update(state="acknowledged", helper_name=helper_name)

    # a remote desk's live channel (the hub's relay, in memory: kiosk.remote.relay)
    def desk_take_remote(self, request_id: str, clerk: str, desk: str) -> Relay:
        """A clerk at a remote desk takes the call (the hub's desk page, for the real thing)."""
        self.help_requests[request_id].update(state="acknowledged", helper_name=clerk,
                                              clerk=clerk, desk=desk, remote=True)
        relay = Relay()
        remember(self.relays, request_id, relay)
        relay.to_kiosk({"kind": "taken", "clerk": clerk, "desk": desk})
        return relay

    def remote_down(self, request_id: str, after: int) -> dict:
        if request_id not in self.relays:
            raise NotFound()
        return self.relays[request_id].after(after)

    def remote_up(self, request_id: str, messages: list[dict]) -> int:
        if request_id not in self.relays:
            raise NotFound()
        return self.relays[request_id].to_desk(messages)

    # submissions
    def submit(self, submission: Submission) -> SubmitResult:
        if submission.idempotency_key in self.submissions:
            return self.submissions[submission.idempotency_key][1]
        prefix = REFERENCE_PREFIX.get(submission.service_id, "KS")
        reference = f"PRACTICE{secrets.randbelow(10**4):04d}" if self.practice \
            else f"{prefix}{secrets.randbelow(10**8):08d}"
        if submission.service_id == "doctor_appointment":
            slot = str(submission.answers.get("slot"))
            remember(self.booked, slot, self.booked.get(slot, 0) + 1)
        result = SubmitResult(reference)
        remember(self.submissions, submission.idempotency_key, (submission, result))
        remember(self.applications, reference, (submission.service_id, self.today, "received",
                                         self.today))
        log.info("demo submission filed for %s", submission.service_id)
        return result

    def settle(self, idempotency_key: str) -> SubmitResult | None:
        filed = self.submissions.get(idempotency_key)
        return filed[1] if filed else None
