"""Usage records: kiosks send anonymous visit records; a centre sees its figures.

POST /v1/usage (kiosk token) stores each record once per kiosk: a resend, whole or in part,
stores nothing twice (the primary key decides, also between hub instances). GET
/v1/usage/summary (desk token) gives the figures of every kiosk of the desk's centre, computed
by kiosk.usage_stats.summarise, the same code as the kiosk's own dashboard. The manager's HTML
page is hub.routes.usage_page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from hub.auth import authenticate, authenticate_desk
from hub.db import Kiosk, UsageRecord, utcnow
from hub.routes import hub_of
from hub.routes.models import _whole_float
from kiosk.usage_stats import (
    IDENT_PATTERN,
    MAX_HELP_CALLS,
    MAX_RECORDS,
    MAX_SECONDS,
    MAX_TASKS,
    Summary,
    summarise,
)

if TYPE_CHECKING:
    from hub.db import Database

router = APIRouter(prefix="/v1")

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def a_day(value: object) -> date:
    """A day written YYYY-MM-DD, and nothing else: not a number (pydantic would read 0 as
    1970-01-01), not 20261101, not a time. The one check of a day: records, the summary's
    from/to, the usage page."""
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # 2026-02-30
            pass
    raise ValueError("must be a day written YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(a_day)]
Seconds = Annotated[int, BeforeValidator(_whole_float), Field(ge=0, le=MAX_SECONDS)]
Score = Annotated[int, BeforeValidator(_whole_float), Field(ge=1, le=5)]
Ident = Annotated[str, Field(pattern=IDENT_PATTERN)]


class _Strict(BaseModel):
    """Nothing but the fields below: a record never carries anything else (nothing personal)."""

    model_config = ConfigDict(strict=True, extra="forbid")


class HelpCall(_Strict):
    wait_s: Seconds | None


class Task(_Strict):
    service_id: Ident
    outcome: Literal["completed", "gave_up", "ineligible"]
    last_step: Ident | None
    seconds: Seconds
    rating: Score | None
    comment: Ident | None


class Visit(_Strict):
    id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    day: Day
    seconds: Seconds
    help: list[HelpCall] = Field(max_length=MAX_HELP_CALLS)
    tasks: list[Task] = Field(max_length=MAX_TASKS)


class UsageBatch(_Strict):
    records: list[Visit] = Field(max_length=MAX_RECORDS)


# --- the work, shared by the JSON routes and the centre's HTML page -----------------------


def store(db: Database, kiosk_id: str, records: list[Visit]) -> dict[str, int]:
    """Each record once per kiosk; {"received", "stored" (new), "already_stored"}."""
    rows, seen = [], set()
    now = utcnow()
    for record in records:
        if record.id not in seen:
            seen.add(record.id)
            rows.append({"kiosk_id": kiosk_id, "id": record.id,
                         "day": record.day,
                         "record": record.model_dump(mode="json"), "received": now})
    stored = 0
    if rows:
        with db.write() as session, session.begin():
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            statement = (dialect.insert(UsageRecord).values(rows)
                         .on_conflict_do_nothing(index_elements=["kiosk_id", "id"])
                         .returning(UsageRecord.id))
            stored = len(session.execute(statement).all())  # the rows new to the table
    return {"received": len(records), "stored": stored,
            "already_stored": len(records) - stored}


@dataclass(frozen=True)
class CentreUsage:
    centre: str
    first: date | None  # the days counted, both included; None: no limit
    last: date | None
    kiosks: dict[str, int]  # each kiosk of the centre -> its visits counted
    summary: Summary

    def as_json(self) -> dict[str, Any]:
        return {"centre": self.centre, "from": self.first.isoformat() if self.first else None,
                "to": self.last.isoformat() if self.last else None, "kiosks": self.kiosks,
                **self.summary.as_json()}


def centre_usage(db: Database, centre: str, first: date | None = None,
                 last: date | None = None) -> CentreUsage:
    """The figures of all the centre's kiosks over the days first..last."""
    query = (select(UsageRecord.kiosk_id, UsageRecord.record)
             .join(Kiosk, Kiosk.kiosk_id == UsageRecord.kiosk_id).where(Kiosk.centre == centre))
    if first is not None:
        query = query.where(UsageRecord.day >= first)
    if last is not None:
        query = query.where(UsageRecord.day <= last)
    with db.read() as session:
        found = session.execute(query).all()
        kiosks = session.scalars(select(Kiosk.kiosk_id).where(Kiosk.centre == centre)
                                 .order_by(Kiosk.kiosk_id)).all()
    sessions = dict.fromkeys(kiosks, 0)
    for kiosk_id, _record in found:
        sessions[kiosk_id] += 1
    return CentreUsage(centre, first, last, sessions,
                       summarise(record for _kiosk, record in found))


# --- the routes -----------------------------------------------------------------------------


@router.post("/usage", response_model=None)
def send_usage(body: UsageBatch, request: Request,
               kiosk_id: str = Depends(authenticate)) -> dict[str, int]:
    return store(hub_of(request).db, kiosk_id, body.records)


@router.get("/usage/summary")
def usage_summary(request: Request,
                  first: Annotated[Day | None, Query(alias="from")] = None,
                  last: Annotated[Day | None, Query(alias="to")] = None,
                  desk: tuple[str, str] = Depends(authenticate_desk)) -> dict[str, Any]:
    return centre_usage(hub_of(request).db, desk[1], first, last).as_json()
