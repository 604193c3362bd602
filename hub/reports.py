"""Problem reports as Open311 sees them, whether they came from a kiosk or an Open311 client."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from hub.db import Open311Request

CLOSED = {"approved", "rejected", "done", "closed", "resolved"}


def file_report(session: Session, reference: str, *, service_code: str, description: str,
                address_string: str, requested: datetime, lat: float | None = None,
                long: float | None = None, attributes: dict[str, str] | None = None,
                contact: dict[str, str] | None = None, media_url: str = "") -> str:
    """Add the Open311 view of submission `reference`; returns its token."""
    token = str(uuid.uuid4())
    session.add(Open311Request(
        service_request_id=reference, token=token, service_code=service_code,
        description=description, address_string=address_string, lat=lat, long=long,
        attributes=attributes or {}, contact=contact or {}, media_url=media_url,
        requested=requested))
    return token


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED else "open"
