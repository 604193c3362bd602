"""POST /v1/lookups/{query}: bill, insurance, application_status (the demo backend's keys)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from hub.auth import authenticate
from hub.db import Bill, Insurance
from hub.errors import not_found
from hub.records import application_status, find_submission
from hub.routes import hub_of
from hub.routes.models import LookupRequest

router = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])


def _bill(session: Session, params: dict[str, Any], _citizen: str | None) -> dict | None:
    bill = session.get(Bill, (str(params.get("utility")), str(params.get("account"))))
    if bill is None:
        return None
    return {"holder": bill.holder, "period": bill.period, "amount": bill.amount,
            "due": bill.due.isoformat()}


def _insurance(session: Session, _params: dict[str, Any], citizen: str | None) -> dict | None:
    account = session.get(Insurance, citizen) if citizen else None
    if account is None:
        return None
    return {"balance": account.balance, "spent_this_year": account.spent_this_year,
            "last_claim_date": account.last_claim_date.isoformat(),
            "last_claim_amount": account.last_claim_amount,
            "last_claim_place": account.last_claim_place}


def _application(session: Session, params: dict[str, Any], _citizen: str | None) -> dict | None:
    submission = find_submission(session, str(params.get("reference", "")))
    return None if submission is None else application_status(submission)


QUERIES = {"bill": _bill, "insurance": _insurance, "application_status": _application}


@router.post("/lookups/{query}", response_model=None)
def lookup(query: str, body: LookupRequest, request: Request) -> dict:
    answer_for = QUERIES.get(query)
    if answer_for is None:
        raise not_found(f"There is no lookup called {query!r}.")
    with hub_of(request).db.read() as session:
        answer = answer_for(session, body.params, body.citizen_id)
    if answer is None:
        raise not_found("Nothing was found for these details.")
    return answer
