"""Open311 GeoReport v2, JSON flavour: problem reports for third-party civic apps.

The services are report_problem's categories; a report filed here is a report_problem
submission (and one filed at a kiosk shows up here), its service_request_id the reference.
No authentication; jurisdiction_id is accepted and ignored; posting is rate limited and may
need an api_key (hub.open311_guard).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hub import idempotency
from hub.db import Open311Request, Submission, iso, utcnow
from hub.errors import ApiError
from hub.open311_guard import guard_open311_post
from hub.published import english
from hub.records import new_reference
from hub.reports import file_report, open311_status
from hub.routes import hub_of

if TYPE_CHECKING:
    from hub.app import Hub

router = APIRouter(prefix="/open311/v2")

SERVICE = "report_problem"
MAX_DESCRIPTION = 4000
LIST_LIMIT = 1000
STATUSES = re.compile(r"(open|closed)(,(open|closed))*")
W3C_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})")


def _bad(description: str) -> ApiError:
    return ApiError(400, "bad_request", description)


def _missing(description: str) -> ApiError:
    return ApiError(404, "not_found", description)


def _service(hub: Hub) -> dict[str, Any]:
    return hub.catalogue.get(SERVICE) or {"steps": []}


def _categories(hub: Hub) -> list[dict[str, Any]]:
    return list(hub.catalogue.step(SERVICE, "category").get("options", []))


def _attributes(hub: Hub) -> list[dict[str, Any]]:
    """The report's common places and sentences, offered as single-choice attributes."""
    attributes = []
    for order, (code, step_id, what) in enumerate(
            [("place", "place", "A common place (or give address_string or lat/long)"),
             ("detail", "description", "A common sentence about the problem")], start=1):
        step = hub.catalogue.step(SERVICE, step_id)
        phrases = [english(p) for p in step.get("phrases", [])]
        if phrases:
            attributes.append({
                "variable": True, "code": code, "datatype": "singlevaluelist",
                "required": False, "datatype_description": what, "order": order,
                "description": english(step.get("title")),
                "values": [{"key": p, "name": p} for p in phrases]})
    return attributes


@router.get("/services.json")
def services(request: Request) -> list[dict[str, Any]]:
    service = _service(hub_of(request))
    return [{"service_code": option["value"], "service_name": english(option.get("label")),
             "description": english(service.get("summary")), "metadata": True, "type": "realtime",
             "keywords": ",".join(v for k, v in option.get("label", {}).items() if k != "en"),
             "group": english(service.get("title"))}
            for option in _categories(hub_of(request))]


@router.get("/services/{service_code}.json")
def service_definition(service_code: str, request: Request) -> dict[str, Any]:
    hub = hub_of(request)
    if service_code not in {o["value"] for o in _categories(hub)}:
        raise _missing(f"There is no service {service_code!r}.")
    return {"service_code": service_code, "attributes": _attributes(hub)}


@router.api_route("/requests.json", methods=["GET", "POST"],
                  dependencies=[Depends(guard_open311_post)])
async def requests_json(request: Request) -> Response:
    """One route for both methods, so a 405 lists both in its Allow header."""
    if request.method == "GET":
        return JSONResponse(await run_in_threadpool(list_requests, request))
    return await create_request(request)


async def create_request(request: Request) -> Response:
    key = idempotency.header_key(request, required=False, as_uuid=False)
    raw = await request.body()
    hub = hub_of(request)

    def prepare() -> dict[str, Any]:
        return _read_form(hub, request.headers.get("content-type", ""), raw)

    if key is None:
        def once() -> tuple[int, Any]:
            fields = prepare()
            with hub.db.write() as session, session.begin():
                return _file(session, hub, fields)

        status, payload = await run_in_threadpool(once)
        return JSONResponse(payload, status_code=status)
    outcome = await run_in_threadpool(
        idempotency.run, hub.db, key, "open311/requests", raw, prepare,
        lambda session, fields: _file(session, hub, fields), hub.settings.stale_after_s)
    return idempotency.response(outcome)


def _read_form(hub: Hub, content_type: str, raw: bytes) -> dict[str, Any]:
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise _bad("Send the request form-encoded (application/x-www-form-urlencoded).")
    try:
        form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except (UnicodeDecodeError, ValueError):
        raise _bad("The form could not be read as UTF-8.") from None
    code = form.get("service_code", "")
    if code not in {o["value"] for o in _categories(hub)}:
        raise _bad("service_code is missing or not one of the services in services.json.")
    lat, long = _coordinates(form)
    address = form.get("address_string", "").strip()
    attributes = {k[len("attribute["):-1]: v for k, v in form.items()
                  if k.startswith("attribute[") and k.endswith("]")}
    known = {a["code"]: {v["key"] for v in a["values"]} for a in _attributes(hub)}
    for name, value in list(attributes.items()):
        if name not in known:
            del attributes[name]  # attributes this service does not define are ignored
        elif value not in known[name]:
            raise _bad(f"attribute[{name}] must be one of the values in the service "
                       "definition.")
    address = address or attributes.get("place", "") or form.get("address_id", "").strip()
    if not address and lat is None:
        raise _bad("Say where the problem is: lat and long, address_string or address_id.")
    description = form.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise _bad(f"description must be at most {MAX_DESCRIPTION} characters.")
    contact = {k: form[k] for k in ("email", "phone", "first_name", "last_name", "device_id",
                                    "account_id") if form.get(k)}
    return {"service_code": code, "lat": lat, "long": long, "address_string": address,
            "description": description, "attributes": attributes, "contact": contact,
            "media_url": form.get("media_url", "")[:1000]}


def _coordinates(form: dict[str, str]) -> tuple[float | None, float | None]:
    if "lat" not in form and "long" not in form:
        return None, None
    try:
        lat, long = float(form.get("lat", "")), float(form.get("long", ""))
    except ValueError:
        raise _bad("lat and long must both be numbers (WGS84 degrees).") from None
    if not (math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90
            and -180 <= long <= 180):
        raise _bad("lat must be within -90..90 and long within -180..180.")
    return lat, long


def _file(session: Session, hub: Hub, fields: dict[str, Any]) -> tuple[int, Any]:
    now = utcnow()
    reference = new_reference(session, SERVICE)
    detail = fields["description"] or fields["attributes"].get("detail", "")
    answers = {"category": fields["service_code"], "place": fields["address_string"],
               "description": detail}
    if fields["contact"].get("phone"):
        answers["contact_phone"] = fields["contact"]["phone"]
    session.add(Submission(
        reference=reference, service_id=SERVICE, kiosk_id=None, source="open311",
        plaintext={"service_id": SERVICE, "answers": answers, "created": iso(now),
                   "open311": fields},
        submitted=now, status="received", updated=now))
    session.flush()
    token = file_report(session, reference, service_code=fields["service_code"],
                        description=detail, address_string=fields["address_string"],
                        lat=fields["lat"], long=fields["long"],
                        attributes=fields["attributes"], contact=fields["contact"],
                        media_url=fields["media_url"], requested=now)
    notice = english(_service(hub).get("next_steps"))
    return 200, [{"service_request_id": reference, "service_notice": notice,
                  "account_id": None, "token": token}]


def _request_json(report: Open311Request, submission: Submission,
                  names: dict[str, str]) -> dict[str, Any]:
    return {"service_request_id": report.service_request_id,
            "status": open311_status(submission.status),
            "service_code": report.service_code,
            "service_name": names.get(report.service_code, report.service_code),
            "description": report.description,
            "requested_datetime": iso(report.requested),
            "updated_datetime": iso(submission.updated),
            "address": report.address_string, "lat": report.lat, "long": report.long,
            "media_url": report.media_url or None}


def _names(hub: Hub) -> dict[str, str]:
    return {o["value"]: english(o.get("label")) for o in _categories(hub)}


@router.get("/requests/{service_request_id}.json")
def get_request(service_request_id: str, request: Request) -> list[dict[str, Any]]:
    hub = hub_of(request)
    with hub.db.read() as session:
        found = session.execute(
            select(Open311Request, Submission).join(Submission)
            .where(Open311Request.service_request_id == service_request_id.upper())).first()
    if found is None:
        raise _missing(f"There is no service request {service_request_id!r}.")
    return [_request_json(*found, _names(hub))]


def list_requests(request: Request) -> list[dict[str, Any]]:
    """Recent requests: service_request_id, service_code, status (comma lists), dates."""
    hub = hub_of(request)
    query = request.query_params
    end = _date_param(query.get("end_date")) or utcnow()
    start = _date_param(query.get("start_date")) or _days_before(end, 90)
    statement = select(Open311Request, Submission).join(Submission)
    if query.get("service_request_id"):
        wanted = [i.strip().upper() for i in query["service_request_id"].split(",")]
        statement = statement.where(Open311Request.service_request_id.in_(wanted))
    else:
        statement = statement.where(Open311Request.requested >= start,
                                    Open311Request.requested <= end)
        if query.get("service_code"):
            codes = [c.strip() for c in query["service_code"].split(",")]
            statement = statement.where(Open311Request.service_code.in_(codes))
    statuses = set()
    if "status" in query:
        if not STATUSES.fullmatch(query["status"]):
            raise _bad("status must be open or closed (or both, comma separated).")
        statuses = set(query["status"].split(","))
    statement = statement.order_by(Open311Request.requested.desc()).limit(LIST_LIMIT)
    with hub.db.read() as session:
        rows = session.execute(statement).all()
    names = _names(hub)
    found = [_request_json(report, submission, names) for report, submission in rows]
    return [r for r in found if not statuses or r["status"] in statuses]


def _days_before(moment: datetime, days: int) -> datetime:
    """`days` before `moment`, or the first moment there is (an end_date in year 1 is valid)."""
    try:
        return moment - timedelta(days=days)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


def _date_param(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        if not W3C_DATETIME.fullmatch(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad("Dates must be written like 2026-11-23T00:00:00Z.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/tokens/{token}.json")
def get_token(token: str, request: Request) -> list[dict[str, str]]:
    with hub_of(request).db.read() as session:
        reference = session.scalar(select(Open311Request.service_request_id)
                                   .where(Open311Request.token == token))
    if reference is None:
        raise _missing("There is no request with this token.")
    return [{"service_request_id": reference, "token": token}]


