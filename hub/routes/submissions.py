"""POST /v1/submissions (sealed, idempotent) and GET /v1/applications/{reference}; file_sealed()
also files the items of a USB bundle (hub/bundle_import.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hub import idempotency
from hub.auth import authenticate
from hub.db import Submission, utcnow
from hub.errors import ApiError, invalid, not_found
from hub.records import application_json, find_submission, new_reference
from hub.reports import file_report
from hub.routes import hub_of
from hub.routes.lists import take_place
from hub.routes.models import plain
from kiosk.backend.demo import normalise_reference
from kiosk.sync.sealing import SealError, open_envelope

if TYPE_CHECKING:
    from hub.app import Hub

router = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])

SEALED_FIELDS = ("alg", "key", "nonce", "ciphertext")


@dataclass(frozen=True)
class Opened:
    service_id: str
    provisional_reference: str | None
    submitted: datetime
    plaintext: dict[str, Any]


@router.post("/submissions")
async def submit(request: Request, kiosk_id: str = Depends(authenticate)) -> Response:
    key = idempotency.header_key(request, required=True, as_uuid=True)
    assert key is not None
    raw = await request.body()
    outcome = await run_in_threadpool(file_sealed, hub_of(request), kiosk_id, key, raw)
    return idempotency.response(outcome)


def file_sealed(hub: Hub, kiosk_id: str, key: str, raw: bytes) -> idempotency.Outcome:
    """File one sealed envelope under its idempotency key, once: the POST above and the import
    of a USB bundle (hub/bundle_import.py) both come here. ApiError when it is refused."""
    return idempotency.run(
        hub.db, key, "v1/submissions", raw,
        lambda: _open(hub, raw), lambda session, opened: _file(session, opened, kiosk_id),
        hub.settings.stale_after_s)


def _open(hub: Hub, raw: bytes) -> Opened:
    try:
        envelope = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "The body is not JSON.") from None
    if not isinstance(envelope, dict):
        raise invalid("The body must be a sealed envelope (a JSON object).", "invalid_envelope")
    service_id = envelope.get("service_id")
    provisional = envelope.get("provisional_reference")
    sealed = envelope.get("sealed")
    if (not isinstance(service_id, str) or not isinstance(envelope.get("created"), str)
            or not (provisional is None or isinstance(provisional, str))
            or not isinstance(sealed, dict)
            or not all(isinstance(sealed.get(name), str) for name in SEALED_FIELDS)):
        raise invalid("The envelope needs service_id, created, provisional_reference and "
                      "sealed {alg, key, nonce, ciphertext}.", "invalid_envelope")
    if provisional is not None and not 0 < len(provisional) <= 200:
        raise invalid("provisional_reference must be 1 to 200 characters.", "invalid_envelope")
    try:
        plain(provisional or "")
    except ValueError as problem:
        raise invalid(f"provisional_reference {problem}.", "invalid_envelope") from None
    submitted = _when(envelope["created"])
    if service_id not in hub.catalogue.ids:
        raise invalid(f"There is no service {service_id!r} in the hub's catalogue.",
                      "unknown_service")
    try:
        plaintext = open_envelope(hub.private_key, envelope)
    except SealError:
        raise invalid("The submission could not be opened with this hub's key.",
                      "unreadable_envelope") from None
    if (not isinstance(plaintext, dict) or plaintext.get("service_id") != service_id
            or not isinstance(plaintext.get("answers"), dict)):
        raise invalid("The sealed submission does not match its envelope.", "invalid_plaintext")
    return Opened(service_id, provisional, submitted, plaintext)


def _when(created: str) -> datetime:
    """The kiosk's time of submission (queued while offline, it may be days old)."""
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        raise invalid("created must be an ISO date and time.", "invalid_envelope") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    now = utcnow()
    return now if moment > now + timedelta(minutes=5) else moment


def _file(session: Session, opened: Opened, kiosk_id: str) -> tuple[int, dict[str, Any]]:
    reference = new_reference(session, opened.service_id)
    provisional = opened.provisional_reference
    session.add(Submission(
        reference=reference, provisional_reference=provisional,
        provisional_search=normalise_reference(provisional) if provisional else None,
        service_id=opened.service_id, kiosk_id=kiosk_id, source="kiosk",
        plaintext=opened.plaintext, submitted=opened.submitted, status="received",
        updated=utcnow()))
    session.flush()
    answers = opened.plaintext["answers"]
    if opened.service_id == "doctor_appointment" and isinstance(answers.get("slot"), str):
        take_place(session, answers["slot"], reference)  # 409 slot_full: nothing is filed
    if opened.service_id == "report_problem":
        file_report(session, reference, service_code=str(answers.get("category") or "other"),
                    description=str(answers.get("description") or ""),
                    address_string=str(answers.get("place") or ""),
                    contact={"phone": str(answers["contact_phone"])}
                    if answers.get("contact_phone") else {},
                    requested=opened.submitted)
    return 201, {"reference": reference, "provisional_reference": provisional}


@router.get("/applications/{reference}")
def application(reference: str, request: Request) -> dict[str, Any]:
    with hub_of(request).db.read() as session:
        found = find_submission(session, reference)
        if found is None:
            raise not_found("No application has this reference.")
        return application_json(found)
