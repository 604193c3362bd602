"""Live lists for choice steps (GET /v1/options/{source}) and free slots (GET /v1/slots)."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, select

from hub.auth import authenticate
from hub.db import Booking, ListOption
from hub.errors import invalid, not_found
from hub.records import slot_capacity
from hub.routes import hub_of

router = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@router.get("/options/{source}")
def options(source: str, request: Request) -> list[dict]:
    with hub_of(request).db.read() as session:
        rows = session.scalars(select(ListOption).where(ListOption.source == source)
                               .order_by(ListOption.position, ListOption.id)).all()
    if not rows:
        raise not_found(f"There is no list called {source!r}.")
    parent_param = rows[0].parent_param
    if parent_param:
        wanted = request.query_params.get(parent_param, "")
        rows = [row for row in rows if row.parent_value == wanted]
    return [{"value": row.value, "label": row.label, "icon": row.icon} for row in rows]


@router.get("/slots")
def slots(request: Request, hospital: str = Query(), department: str = Query(),
          day: str = Query()) -> list[dict]:
    if not DAY.fullmatch(day):
        raise invalid("day must be a date written YYYY-MM-DD.")
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise invalid("day must be a real date written YYYY-MM-DD.") from None
    with hub_of(request).db.read() as session:
        known = session.scalar(select(func.count()).select_from(ListOption).where(
            ListOption.source == "departments", ListOption.parent_value == hospital,
            ListOption.value == department))
        if not known:
            return []
        schedule = slot_capacity(hospital, department, when)
        taken = dict(session.execute(
            select(Booking.slot_id, func.count()).where(
                Booking.slot_id.in_([slot_id for slot_id, _, _ in schedule]))
            .group_by(Booking.slot_id)).all())
    return [{"id": slot_id, "start": start.isoformat(), "free": places - taken.get(slot_id, 0)}
            for slot_id, start, places in schedule if places - taken.get(slot_id, 0) > 0]
