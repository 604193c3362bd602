"""Desks and escalation: who may see and take which help call.

A centre's own desk serves its centre. A regional desk (`python -m hub add-desk --region NAME
--serves c1,c2`) serves many centres and lists their calls once they reach `level` "region":
when the centre's own desk has not taken them within the centre's `help_escalate_after_s`
(hub.fleet.HUB_ONLY; 120 s unless set), or at once when the centre has no desk of its own.
The level is decided when calls are read (no timer per call) and kept once it is "region".
A desk never learns anything of a kiosk it does not serve: 404, as for an unknown id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db import Database, Desk, HelpRequest, Kiosk, iso
from hub.errors import ApiError, not_found
from hub.remote.escalation import Centres, escalate
from hub.routes.help_requests import helper_name_of, waiting_seconds

ACTIVE = ("open", "acknowledged")
LIST_LIMIT = 200
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class DeskScope:
    """A signed-in desk: its id, the name a kiosk shows, the centres it serves."""

    desk_id: str
    name: str
    centres: tuple[str, ...]
    regional: bool


def scope_of(db: Database, desk_id: str) -> DeskScope | None:
    with db.read() as session:
        desk = session.get(Desk, desk_id)
        if desk is None:
            return None
        if desk.region:
            return DeskScope(desk.desk_id, desk.region, tuple(desk.serves or ()), True)
        return DeskScope(desk.desk_id, desk.centre or desk.desk_id, (desk.centre,), False)


def regional(db: Database, desk_id: str) -> bool:
    scope = scope_of(db, desk_id)
    return scope is not None and scope.regional


def add_regional_desk(db: Database, desk_id: str, region: str, serves: list[str],
                      hashed_token: str) -> None:
    with db.write() as session, session.begin():
        session.merge(Desk(desk_id=desk_id, centre="", region=region, serves=serves,
                           token_hash=hashed_token))


# --- what a desk sees -----------------------------------------------------------------------


def call_json(row: HelpRequest, kiosk: Kiosk, level: str, now: datetime) -> dict[str, Any]:
    return {"id": row.id, "kiosk_id": row.kiosk_id, "centre": kiosk.centre,
            "service": row.service_id, "step": row.step_id,
            "waited_s": waiting_seconds(row, now), "created": iso(row.created),
            "level": level, "state": row.state, "clerk": row.clerk or row.helper_name,
            "desk": row.desk, "remote": row.taken_by is not None}


def calls_for(db: Database, scope: DeskScope, now: datetime) -> list[dict[str, Any]]:
    """The calls this desk may see, the longest waiting first: a centre desk all of its
    centre's; a regional desk the open ones escalated to the region and those it took."""
    with db.read() as session:
        found = session.execute(
            select(HelpRequest, Kiosk).join(Kiosk, Kiosk.kiosk_id == HelpRequest.kiosk_id)
            .where(Kiosk.centre.in_(scope.centres), HelpRequest.state.in_(ACTIVE))
            .order_by(HelpRequest.created, HelpRequest.id).limit(LIST_LIMIT)).all()
        centres = Centres.read(session, set(scope.centres))
    calls, escalated = [], []
    for row, kiosk in found:
        level = centres.level(row, kiosk, now)
        if level != row.level:
            escalated.append(row.id)
        if scope.regional and row.taken_by != scope.desk_id and (
                level != "region" or row.state != "open"):
            continue
        calls.append(call_json(row, kiosk, level, now))
    escalate(db, escalated)
    return calls


def _served_row(session: Session, scope: DeskScope, call_id: str) -> HelpRequest:
    row = session.get(HelpRequest, call_id) if _UUID.fullmatch(call_id) else None
    if row is not None:
        kiosk = session.get(Kiosk, row.kiosk_id)
        if kiosk is not None and kiosk.centre in scope.centres:
            return row
    raise not_found("This desk serves no help call with this id.")


def take(db: Database, scope: DeskScope, call_id: str, clerk: str,
         now: datetime) -> dict[str, Any]:
    """This desk's clerk takes the call (again: another clerk of the same desk takes over)."""
    name = helper_name_of(clerk)
    with db.write() as session, session.begin():
        row = _served_row(session, scope, call_id)
        if row.state == "closed":
            raise ApiError(409, "closed", "This help call has ended: the citizen no longer "
                           "waits.")
        if row.state == "acknowledged" and row.taken_by != scope.desk_id:
            who = ", ".join(part for part in (row.clerk or row.helper_name, row.desk) if part)
            raise ApiError(409, "taken", f"This help call was already taken by {who}.")
        row.state, row.helper_name, row.clerk = "acknowledged", name, name
        row.desk, row.taken_by = scope.name, scope.desk_id
        row.acknowledged = row.acknowledged or now
        return {"id": row.id, "kiosk_id": row.kiosk_id, "clerk": name, "desk": scope.name}


def end(db: Database, scope: DeskScope, call_id: str, now: datetime) -> str:
    """The clerk ends the help: the call is closed. Returns the kiosk's id."""
    with db.write() as session, session.begin():
        row = _served_row(session, scope, call_id)
        if row.state != "closed":
            row.state, row.closed = "closed", now
        return row.kiosk_id


def kiosk_call(db: Database, call_id: str, kiosk_id: str) -> HelpRequest | None:
    """The kiosk's own call (None: not this kiosk's, or unknown)."""
    with db.read() as session:
        row = session.get(HelpRequest, call_id) if _UUID.fullmatch(call_id) else None
        return row if row is not None and row.kiosk_id == kiosk_id else None
