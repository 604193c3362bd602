"""Who is at the kiosk: by ID card, or by a one-time code sent to the phone on record."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select, update

from hub.auth import authenticate
from hub.db import Citizen, IdentityCode, utcnow
from hub.errors import ApiError, not_found
from hub.records import citizen_json
from hub.routes import hub_of
from hub.routes.models import CodeCheck, IdNumber

log = logging.getLogger(__name__)

MAX_CODE_TRIES = 3
CODE_VALID_FOR = timedelta(minutes=10)

router = APIRouter(prefix="/v1/identity", dependencies=[Depends(authenticate)])
demo_router = APIRouter(prefix="/v1/demo", dependencies=[Depends(authenticate)])


def _unknown() -> ApiError:
    return not_found("No citizen has this ID number.")


def _wrong_code() -> ApiError:
    return ApiError(422, "wrong_code", "The code is not right, or it is no longer valid.")


@router.post("/card", response_model=None)
def by_card(body: IdNumber, request: Request) -> dict:
    hub = hub_of(request)
    with hub.db.read() as session:
        citizen = session.get(Citizen, body.id_number)
        if citizen is None:
            raise _unknown()
        return citizen_json(citizen, hub.settings.today_date())


@router.post("/code", response_model=None)
def send_code(body: IdNumber, request: Request, kiosk_id: str = Depends(authenticate)) -> dict:
    hub = hub_of(request)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with hub.db.write() as session, session.begin():
        citizen = session.get(Citizen, body.id_number)
        if citizen is None:
            raise _unknown()
        session.merge(IdentityCode(id_number=citizen.id_number, code=code, kiosk_id=kiosk_id,
                                   tries_left=MAX_CODE_TRIES, sent=utcnow()))
        phone = citizen.phone
    if hub.settings.demo:
        log.info("demo one-time code made (GET /v1/demo/last-code shows it)")
    return {"phone_ending": phone[-4:]}


@router.post("/verify", response_model=None)
def verify(body: CodeCheck, request: Request, kiosk_id: str = Depends(authenticate)) -> dict:
    """Only at the kiosk that asked for the code, within CODE_VALID_FOR. Another kiosk's tries
    neither succeed nor burn the citizen's tries."""
    hub = hub_of(request)
    answer = None
    mine = (IdentityCode.id_number == body.id_number, IdentityCode.kiosk_id == kiosk_id,
            IdentityCode.tries_left > 0, IdentityCode.sent > utcnow() - CODE_VALID_FOR)
    with hub.db.write() as session, session.begin():
        # Each update is conditional, so two requests racing cannot win more tries than three.
        right = session.execute(
            update(IdentityCode).where(*mine, IdentityCode.code == body.code.strip())
            .values(tries_left=0))  # a right code works once
        if right.rowcount == 1:
            citizen = session.get(Citizen, body.id_number)
            answer = citizen_json(citizen, hub.settings.today_date()) if citizen else None
        else:
            session.execute(update(IdentityCode).where(*mine)
                            .values(tries_left=IdentityCode.tries_left - 1))
    if answer is None:  # committed first: the wrong try counts
        raise _wrong_code()
    return answer


@demo_router.get("/last-code")
def last_code(request: Request, kiosk_id: str = Depends(authenticate)) -> dict:
    """The demo's stand-in for the citizen's phone: the last code this kiosk asked for."""
    with hub_of(request).db.read() as session:
        code = session.scalar(select(IdentityCode.code).where(IdentityCode.kiosk_id == kiosk_id)
                              .order_by(IdentityCode.sent.desc()).limit(1))
    if code is None:
        raise not_found("No code has been sent yet.")
    return {"code": code}
