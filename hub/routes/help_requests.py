"""Help requests: a kiosk calls a helper; the centre's helper desk sees, acknowledges, closes.

No personal data anywhere: only the kiosk, where the citizen is stuck (service and step ids),
times, and the display name of the helper who comes. The kiosk side authenticates with the
kiosk's token, the desk side with a desk's token (`python -m hub add-desk`). add_routes() puts
the routes on hub.routes.kiosks' /v1 router; the desk's HTML page is hub.routes.desk_page.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hub.auth import authenticate, authenticate_desk
from hub.db import HelpRequest, Kiosk, aware, iso, utcnow
from hub.errors import ApiError, invalid, not_found
from hub.remote.escalation import kiosk_view
from hub.routes import hub_of
from hub.routes.models import Ident, _Body

if TYPE_CHECKING:
    from hub.db import Database


STATES = ("open", "acknowledged", "closed")
ACTIVE = ("open", "acknowledged")
ONLINE_WITHIN = timedelta(minutes=2)
LIST_LIMIT = 200
MAX_HELPER_NAME = 60
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

class HelpCall(_Body):
    service_id: Ident | None = None
    step_id: Ident | None = None


class Acknowledge(_Body):
    helper_name: str = Field(min_length=1, max_length=MAX_HELPER_NAME)


def printable(text: str | None) -> str | None:
    """Control characters dropped (a database may refuse NUL; nobody can read them anyway)."""
    if text is None:
        return None
    return "".join(ch for ch in text if ch.isprintable() or ch == " ").strip()


def helper_name_of(text: str) -> str:
    name = printable(text) or ""
    if not name or len(name) > MAX_HELPER_NAME:
        raise invalid(f"helper_name must be 1 to {MAX_HELPER_NAME} readable characters.")
    return name


def _closed_request() -> ApiError:
    return ApiError(409, "closed", "This help request is already closed.")


# --- what a request looks like ------------------------------------------------------------


def kiosk_json(row: HelpRequest) -> dict[str, Any]:
    return {"id": row.id, "state": row.state, "helper_name": row.helper_name,
            "created": iso(row.created),
            "acknowledged": iso(row.acknowledged) if row.acknowledged else None,
            "closed": iso(row.closed) if row.closed else None}


def waiting_seconds(row: HelpRequest, now: datetime) -> int:
    until = aware(row.closed) if row.closed else now
    return max(0, int((until - aware(row.created)).total_seconds()))


def desk_json(row: HelpRequest, centre: str, now: datetime) -> dict[str, Any]:
    return {"id": row.id, "kiosk_id": row.kiosk_id, "centre": centre,
            "service_id": row.service_id, "step_id": row.step_id, "state": row.state,
            "helper_name": row.helper_name, "waiting_seconds": waiting_seconds(row, now),
            "created": iso(row.created),
            "acknowledged": iso(row.acknowledged) if row.acknowledged else None,
            "closed": iso(row.closed) if row.closed else None,
            "clerk": row.clerk, "desk": row.desk}


# --- the work, shared by the JSON routes and the desk's HTML page -------------------------


def desk_requests(db: Database, centre: str, states: tuple[str, ...]) -> list[dict[str, Any]]:
    """The centre's requests in these states, the longest waiting first."""
    now = utcnow()
    with db.read() as session:
        rows = session.scalars(
            select(HelpRequest).join(Kiosk, Kiosk.kiosk_id == HelpRequest.kiosk_id)
            .where(Kiosk.centre == centre, HelpRequest.state.in_(states))
            .order_by(HelpRequest.created, HelpRequest.id).limit(LIST_LIMIT)).all()
    return [desk_json(row, centre, now) for row in rows]


def desk_kiosks(db: Database, centre: str) -> list[dict[str, Any]]:
    now = utcnow()
    with db.read() as session:
        kiosks = session.scalars(select(Kiosk).where(Kiosk.centre == centre)
                                 .order_by(Kiosk.kiosk_id)).all()
    return [{"kiosk_id": k.kiosk_id, "centre": k.centre,
             "online": k.last_seen is not None and now - aware(k.last_seen) <= ONLINE_WITHIN,
             "last_seen": iso(k.last_seen) if k.last_seen else None,
             "queue_waiting": k.queue_waiting, "queue_quarantined": k.queue_quarantined,
             "version": k.version or "", "problems": list(k.problems or ()),
             "problems_checked": iso(k.problems_checked) if k.problems_checked else None,
             "audit_seq": k.audit_seq or 0, "update_problem": k.update_problem or ""}
            for k in kiosks]


def _desk_row(session: Session, request_id: str, centre: str) -> HelpRequest:
    row = session.get(HelpRequest, request_id) if _UUID.fullmatch(request_id) else None
    if row is not None:
        kiosk = session.get(Kiosk, row.kiosk_id)
        if kiosk is not None and kiosk.centre == centre:
            return row
    raise not_found("This desk's centre has no help request with this id.")


def acknowledge(db: Database, centre: str, request_id: str, helper_name: str) -> dict[str, Any]:
    """A helper is coming. Acknowledging again changes the helper (someone else goes)."""
    name = helper_name_of(helper_name)
    with db.write() as session, session.begin():
        row = _desk_row(session, request_id, centre)
        if row.state == "closed":
            raise _closed_request()
        now = utcnow()
        row.state, row.helper_name = "acknowledged", name
        row.acknowledged = row.acknowledged or now
        return desk_json(row, centre, now)


def close(db: Database, centre: str, request_id: str) -> dict[str, Any]:
    """Done (closing a closed request changes nothing)."""
    with db.write() as session, session.begin():
        row = _desk_row(session, request_id, centre)
        now = utcnow()
        if row.state != "closed":
            row.state, row.closed = "closed", now
        return desk_json(row, centre, now)


# --- the kiosk's side -----------------------------------------------------------------------


def _kiosk_row(session: Session, request_id: str, kiosk_id: str) -> HelpRequest:
    row = session.get(HelpRequest, request_id) if _UUID.fullmatch(request_id) else None
    if row is None or row.kiosk_id != kiosk_id:  # another kiosk's request is not there
        raise not_found("This kiosk has no help request with this id.")
    return row


def call_help(body: HelpCall, request: Request,
              kiosk_id: str = Depends(authenticate)) -> dict[str, Any]:
    row = HelpRequest(id=str(uuid.uuid4()), kiosk_id=kiosk_id,
                      service_id=printable(body.service_id) or None,
                      step_id=printable(body.step_id) or None, state="open", created=utcnow())
    with hub_of(request).db.write() as session, session.begin():
        session.add(row)
    return {"id": row.id, "state": row.state, "created": iso(row.created)}


def help_status(request_id: str, request: Request,
                kiosk_id: str = Depends(authenticate)) -> dict[str, Any]:
    """Also its level, and the clerk and desk that took it remotely (hub.remote)."""
    db = hub_of(request).db
    with db.read() as session:
        answer = kiosk_json(_kiosk_row(session, request_id, kiosk_id))
    answer.update(kiosk_view(db, request_id, kiosk_id, request.app.state.relay.clock.now()))
    return answer


def _cancel(db: Database, request_id: str, kiosk_id: str) -> dict[str, Any]:
    with db.write() as session, session.begin():
        row = _kiosk_row(session, request_id, kiosk_id)
        if row.state != "closed":
            row.state, row.closed = "closed", utcnow()
        return kiosk_json(row)


async def cancel_help(request_id: str, request: Request,
                      kiosk_id: str = Depends(authenticate)) -> dict[str, Any]:
    """The citizen no longer needs help (cancelling a closed request changes nothing); a
    remote session of the call ends (hub.remote.relay, on this event loop)."""
    answer = await run_in_threadpool(_cancel, hub_of(request).db, request_id, kiosk_id)
    request.app.state.relay.end(request_id, "citizen")
    return answer


# --- the desk's side ------------------------------------------------------------------------


def list_for_desk(request: Request, state: str = "open",
                  desk: tuple[str, str] = Depends(authenticate_desk)) -> list[dict[str, Any]]:
    if state not in (*STATES, "active"):
        raise invalid("state must be open, acknowledged, closed or active (open and "
                      "acknowledged).")
    states = ACTIVE if state == "active" else (state,)
    return desk_requests(hub_of(request).db, desk[1], states)


def acknowledge_for_desk(request_id: str, body: Acknowledge, request: Request,
                         desk: tuple[str, str] = Depends(authenticate_desk)) -> dict[str, Any]:
    return acknowledge(hub_of(request).db, desk[1], request_id, body.helper_name)


async def close_for_desk(request_id: str, request: Request,
                         desk: tuple[str, str] = Depends(authenticate_desk)) -> dict[str, Any]:
    answer = await run_in_threadpool(close, hub_of(request).db, desk[1], request_id)
    request.app.state.relay.end(request_id, "clerk")  # a remote session of it ends too
    return answer


def kiosks_for_desk(request: Request,
                    desk: tuple[str, str] = Depends(authenticate_desk)) -> list[dict[str, Any]]:
    return desk_kiosks(hub_of(request).db, desk[1])


def add_routes(router: APIRouter) -> None:
    """On the kiosks router (prefix /v1), so the routes are that module's, like the heartbeat."""
    router.add_api_route("/help-requests", call_help, methods=["POST"], status_code=201)
    router.add_api_route("/help-requests/{request_id}", help_status, methods=["GET"],
                         response_model=None)
    router.add_api_route("/help-requests/{request_id}/cancel", cancel_help, methods=["POST"])
    router.add_api_route("/desk/help-requests", list_for_desk, methods=["GET"])
    router.add_api_route("/desk/help-requests/{request_id}/acknowledge", acknowledge_for_desk,
                         methods=["POST"])
    router.add_api_route("/desk/help-requests/{request_id}/close", close_for_desk,
                         methods=["POST"])
    router.add_api_route("/desk/kiosks", kiosks_for_desk, methods=["GET"])
