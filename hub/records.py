"""Reading and writing the hub's records the way the contract shows them."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db import Citizen, Submission, aware, iso
from kiosk.backend.demo import REFERENCE_PREFIX, DemoBackend, normalise_reference
from kiosk.citizen import age_on


def citizen_json(citizen: Citizen, today: date) -> dict[str, Any]:
    return {"id_number": citizen.id_number, "name": citizen.name,
            "birth_date": citizen.birth_date.isoformat(), "address": citizen.address,
            "phone": citizen.phone, "age": age_on(citizen.birth_date, today)}


def find_submission(session: Session, reference: str) -> Submission | None:
    """By official reference, or by the provisional one a kiosk gave while offline."""
    wanted = normalise_reference(reference)
    if not wanted:
        return None
    found = session.get(Submission, wanted)
    if found is not None:
        return found
    return session.scalars(select(Submission).where(Submission.provisional_search == wanted)
                           .order_by(Submission.submitted).limit(1)).first()


def new_reference(session: Session, service_id: str) -> str:
    prefix = REFERENCE_PREFIX.get(service_id, "KS")
    while True:
        reference = f"{prefix}{secrets.randbelow(10**8):08d}"
        if session.get(Submission, reference) is None:
            return reference


def application_json(submission: Submission) -> dict[str, Any]:
    return {"reference": submission.reference, "service_id": submission.service_id,
            "submitted": iso(submission.submitted), "status": submission.status,
            "updated": iso(submission.updated)}


def application_status(submission: Submission) -> dict[str, Any]:
    """The application_status lookup, in exactly the kiosk demo backend's words and keys."""
    backend = DemoBackend()
    backend.applications = {submission.reference: (
        submission.service_id, aware(submission.submitted).date(), submission.status,
        aware(submission.updated).date())}
    return backend.lookup("application_status", {"reference": submission.reference}, None)


def slot_capacity(hospital: str, department: str, day: date) -> list[tuple[str, datetime, int]]:
    """The demo schedule (the kiosk demo backend's), before any booking: (id, start, places)."""
    slots = DemoBackend(day).slots({"hospital": hospital, "department": department, "day": day})
    return [(slot.id, slot.start, slot.free) for slot in slots]
