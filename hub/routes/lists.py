"""Live lists for choice steps (GET /v1/options/{source}) and free slots (GET /v1/slots);
take_place() books a place in a slot inside the filing transaction."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hub.auth import authenticate
from hub.db import Booking, ListOption, SlotPlaces
from hub.errors import ApiError, invalid, not_found
from hub.records import slot_capacity
from hub.routes import hub_of

router = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@router.get("/options/{source}", response_model=None)
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


@router.get("/slots", response_model=None)
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


def slot_full() -> ApiError:
    return ApiError(409, "slot_full", "Every place at this time has been taken; "
                    "please choose another time.")


def places_in(slot_id: str) -> int:
    """A slot's capacity from its id (hospital/department/YYYY-MM-DD/HHMM); 0 for no slot."""
    hospital, _, rest = slot_id.partition("/")
    department, _, rest = rest.partition("/")
    day, _, _ = rest.partition("/")
    try:
        when = date.fromisoformat(day) if DAY.fullmatch(day) else None
    except ValueError:
        when = None
    if when is None:
        return 0
    return next((places for found, _, places in slot_capacity(hospital, department, when)
                 if found == slot_id), 0)


def take_place(session: Session, slot_id: str, reference: str) -> None:
    """One place in `slot_id` for `reference`, in the caller's transaction; slot_full (409)
    when none is left. The conditional UPDATE is the guard: PostgreSQL re-checks `taken`
    after waiting for a concurrent booking's row lock, SQLite writers queue (BEGIN IMMEDIATE).
    """
    places = places_in(slot_id)
    if places <= 0:
        raise slot_full()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(SlotPlaces).values(slot_id=slot_id, taken=0)
                    .on_conflict_do_nothing(index_elements=[SlotPlaces.slot_id]))
    taken = session.execute(update(SlotPlaces)
                            .where(SlotPlaces.slot_id == slot_id, SlotPlaces.taken < places)
                            .values(taken=SlotPlaces.taken + 1))
    if taken.rowcount != 1:
        raise slot_full()
    session.add(Booking(slot_id=slot_id, reference=reference))
