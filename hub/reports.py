"""Problem reports as Open311 sees them, whether they came from a kiosk or an Open311 client.

A report's free text (the description and a typed address) is the citizen's own words: it is
published only once the centre has reviewed it (`review`); hub.published decides what shows.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db import Open311Request, utcnow

CLOSED = {"approved", "rejected", "done", "closed", "resolved"}
PENDING, PUBLISHED, WITHHELD = "pending", "published", "withheld"
MAX_STATUS_NOTES = 1000


def file_report(session: Session, reference: str, *, service_code: str, description: str,
                address_string: str, requested: datetime, lat: float | None = None,
                long: float | None = None, attributes: dict[str, str] | None = None,
                contact: dict[str, str] | None = None, media_url: str = "",
                address_id: str = "", zipcode: str = "") -> str:
    """Add the Open311 view of submission `reference`; returns its token."""
    token = str(uuid.uuid4())
    session.add(Open311Request(
        service_request_id=reference, token=token, service_code=service_code,
        description=description, address_string=address_string, lat=lat, long=long,
        attributes=attributes or {}, contact=contact or {}, media_url=media_url,
        address_id=address_id, zipcode=zipcode, review=PENDING,
        # Stored in UTC: SQLite keeps no offset, so every time compared must be UTC.
        requested=requested.astimezone(UTC) if requested.tzinfo else requested))
    return token


def review(session: Session, reference: str, publish: bool,
           status_notes: str | None = None) -> bool:
    """The centre's decision on a report's free text; False when there is no such report."""
    report = session.get(Open311Request, reference.strip().upper())
    if report is None:
        return False
    report.review = PUBLISHED if publish else WITHHELD
    report.reviewed = utcnow()
    if status_notes is not None:
        report.status_notes = status_notes.strip()[:MAX_STATUS_NOTES] or None
    return True


def awaiting_review(session: Session) -> list[Open311Request]:
    return list(session.scalars(select(Open311Request).where(Open311Request.review == PENDING)
                                .order_by(Open311Request.requested)))


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED else "open"
