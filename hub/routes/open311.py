"""Open311 GeoReport v2 and its service discovery: problem reports for third-party civic apps.

Every method answers in XML (`.xml`, the format the spec requires) and JSON (`.json`), errors
too. The services are report_problem's categories; a report filed here is a report_problem
submission (and one filed at a kiosk shows up here), its service_request_id the reference.
What a request record shows is hub.published's decision (a citizen's own words only once the
centre has published them). jurisdiction_id is accepted and ignored; posting is rate limited
and may need an api_key (hub.open311_guard).
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hub import idempotency
from hub.db import Open311Request, Submission, iso, utcnow
from hub.errors import ApiError
from hub.open311_format import MEDIA_TYPES, render
from hub.open311_guard import guard_open311_post
from hub.published import REPORT_SERVICE, english, public_request
from hub.records import new_reference
from hub.reports import CLOSED, file_report
from hub.routes import hub_of

if TYPE_CHECKING:
    from hub.app import Hub

router = APIRouter(prefix="/open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
LIST_LIMIT = 1000
DEFAULT_DAYS = 90
STATUSES = re.compile(r"(open|closed)(,(open|closed))*")
W3C_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})")
W3C_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The longest value each form field may have (within the database's columns; the spec sets
# none); openapi.yaml gives the same maxLength, and tests/hub/test_openapi.py holds them equal.
LIMITS = {"description": 4000, "address_string": 500, "address_id": 100, "zipcode": 20,
          "media_url": 1000, "email": 254, "phone": 40, "first_name": 100, "last_name": 100,
          "device_id": 100, "account_id": 100, "service_code": 50, "jurisdiction_id": 100,
          "api_key": 200}
CONTACT = ("email", "phone", "first_name", "last_name", "device_id", "account_id")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BLANK = " \t\r\n"  # what openapi.yaml's "[^ \t\r\n]" pattern calls blank, exactly
MEDIA_URL = re.compile(  # exactly the pattern openapi.yaml gives media_url
    r"[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f/?#]+([/?#][^\x00-\x20\x7f]*)?")


def _bad(description: str) -> ApiError:
    return ApiError(400, "bad_request", description)


def _missing(description: str) -> ApiError:
    return ApiError(404, "not_found", description)


def _format(format: str) -> str:
    if format not in MEDIA_TYPES:
        raise _missing("Open311 answers in xml or json: end the address in .xml or .json.")
    return format


def _categories(hub: Hub) -> list[dict[str, Any]]:
    return list(hub.catalogue.step(REPORT_SERVICE, "category").get("options", []))


def _notice(hub: Hub) -> str:
    return english((hub.catalogue.get(REPORT_SERVICE) or {}).get("next_steps"))


def _attributes(hub: Hub) -> list[dict[str, Any]]:
    """The report's common places and sentences, offered as single-choice attributes."""
    attributes = []
    for order, (code, step_id, what) in enumerate(
            [("place", "place", "A common place (or give address_string or lat/long)"),
             ("detail", "description", "A common sentence about the problem")], start=1):
        step = hub.catalogue.step(REPORT_SERVICE, step_id)
        phrases = [english(p) for p in step.get("phrases", [])]
        if phrases:
            attributes.append({
                "variable": True, "code": code, "datatype": "singlevaluelist",
                "required": False, "datatype_description": what, "order": order,
                "description": english(step.get("title")),
                "values": [{"key": p, "name": p} for p in phrases]})
    return attributes


@router.get("/discovery.{format}")
def discovery(format: str, request: Request) -> Response:
    """Service discovery (wiki.open311.org/Service_Discovery): where the v2 endpoint is."""
    hub = hub_of(request)
    changeset = iso(hub.catalogue.changed)
    return render(_format(format), "discovery", {
        "changeset": changeset,
        "contact": "The community centre that runs this hub.",
        "key_service": "No API key is needed to read or to report.",
        "endpoints": [{"specification": SPECIFICATION,
                       "url": str(request.base_url).rstrip("/") + "/open311/v2",
                       "changeset": changeset,
                       "type": "test" if hub.settings.demo else "production",
                       "formats": [MEDIA_TYPES["xml"].split(";")[0], MEDIA_TYPES["json"]]}]})


@router.get("/v2/services.{format}")
def services(format: str, request: Request) -> Response:
    hub = hub_of(request)
    service = hub.catalogue.get(REPORT_SERVICE) or {}
    return render(_format(format), "services", [
        {"service_code": option["value"], "service_name": english(option.get("label")),
         "description": english(service.get("summary")), "metadata": True, "type": "realtime",
         "keywords": ",".join(v for k, v in option.get("label", {}).items() if k != "en"),
         "group": english(service.get("title"))}
        for option in _categories(hub)])


@router.get("/v2/services/{service_code}.{format}")
def service_definition(service_code: str, format: str, request: Request) -> Response:
    hub = hub_of(request)
    fmt = _format(format)
    if service_code not in {o["value"] for o in _categories(hub)}:
        raise _missing(f"There is no service {service_code!r}.")
    return render(fmt, "service_definition",
                  {"service_code": service_code, "attributes": _attributes(hub)})


@router.api_route("/v2/requests.{format}", methods=["GET", "POST"],
                  dependencies=[Depends(guard_open311_post)])
async def requests_list_or_create(format: str, request: Request) -> Response:
    """One route for both methods, so a 405 lists both in its Allow header."""
    fmt = _format(format)
    if request.method == "GET":
        found = await run_in_threadpool(list_requests, request)
        return render(fmt, "service_requests", found)
    return await create_request(fmt, request)


async def create_request(fmt: str, request: Request) -> Response:
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
        return render(fmt, "service_requests", payload, status)
    outcome = await run_in_threadpool(
        idempotency.run, hub.db, key, "open311/requests", raw, prepare,
        lambda session, fields: _file(session, hub, fields), hub.settings.stale_after_s)
    # Stored as JSON; shown in the format this call asked for.
    return render(fmt, "service_requests", json.loads(outcome.body), outcome.status,
                  {"Idempotent-Replayed": "true"} if outcome.replayed else None)


def _read_form(hub: Hub, content_type: str, raw: bytes) -> dict[str, Any]:
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise _bad("Send the request form-encoded (application/x-www-form-urlencoded).")
    try:
        form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except (UnicodeDecodeError, ValueError):
        raise _bad("The form could not be read as UTF-8.") from None
    _check_text(form)
    code = form.get("service_code", "")
    if code not in {o["value"] for o in _categories(hub)}:
        raise _bad("service_code is missing or not one of the services in services.json.")
    lat, long = _coordinates(form)
    attributes = {k[len("attribute["):-1]: v for k, v in form.items()
                  if k.startswith("attribute[") and k.endswith("]")}
    known = {a["code"]: {v["key"] for v in a["values"]} for a in _attributes(hub)}
    for name, value in list(attributes.items()):
        if name not in known:
            del attributes[name]  # attributes this service does not define are ignored
        elif value not in known[name]:
            raise _bad(f"attribute[{name}] must be one of the values in the service "
                       "definition.")
    address = form.get("address_string", "").strip(BLANK) or attributes.get("place", "")
    address_id = form.get("address_id", "").strip(BLANK)
    if not address and not address_id and lat is None:
        raise _bad("Say where the problem is: lat and long, address_string or address_id.")
    return {"service_code": code, "lat": lat, "long": long, "address_string": address,
            "address_id": address_id, "zipcode": form.get("zipcode", "").strip(BLANK),
            "description": form.get("description", ""), "attributes": attributes,
            "contact": {k: form[k] for k in CONTACT if form.get(k)},
            "media_url": _media_url(form.get("media_url", ""))}


def _check_text(form: dict[str, str]) -> None:
    """Lengths the database can hold; no control characters (a NUL cannot even be stored).
    Fields the spec does not name are ignored, so they are not checked either."""
    for name, value in form.items():
        limit = LIMITS.get(name, 200 if name.startswith("attribute[") else None)
        if limit is None:
            continue
        if len(value) > limit:
            raise _bad(f"{name} must be at most {limit} characters.")
        if CONTROL.search(value):  # tab, CR and LF are allowed
            raise _bad(f"{name} holds a control character (such as NUL); send plain text.")


def _media_url(url: str) -> str:
    """Only a web address: a javascript: or data: URL would be published to every client."""
    if url and not MEDIA_URL.fullmatch(url):
        raise _bad("media_url must be a web address starting with http:// or https://.")
    return url


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
    reference = new_reference(session, REPORT_SERVICE)
    detail = fields["description"] or fields["attributes"].get("detail", "")
    place = fields["address_string"] or (
        f"address_id {fields['address_id']}" if fields["address_id"] else "")
    answers = {"category": fields["service_code"], "place": place, "description": detail}
    if fields["contact"].get("phone"):
        answers["contact_phone"] = fields["contact"]["phone"]
    session.add(Submission(
        reference=reference, service_id=REPORT_SERVICE, kiosk_id=None, source="open311",
        plaintext={"service_id": REPORT_SERVICE, "answers": answers, "created": iso(now),
                   "open311": fields},
        submitted=now, status="received", updated=now))
    session.flush()
    token = file_report(session, reference, service_code=fields["service_code"],
                        description=detail, address_string=fields["address_string"],
                        lat=fields["lat"], long=fields["long"],
                        attributes=fields["attributes"], contact=fields["contact"],
                        media_url=fields["media_url"], address_id=fields["address_id"],
                        zipcode=fields["zipcode"], requested=now)
    return 200, [{"service_request_id": reference, "token": token,
                  "service_notice": _notice(hub), "account_id": None}]


@router.get("/v2/requests/{service_request_id}.{format}")
def get_request(service_request_id: str, format: str, request: Request) -> Response:
    hub = hub_of(request)
    fmt = _format(format)
    with hub.db.read() as session:
        found = session.execute(
            select(Open311Request, Submission).join(Submission)
            .where(Open311Request.service_request_id == service_request_id.upper())).first()
    if found is None:
        raise _missing(f"There is no service request {service_request_id!r}.")
    return render(fmt, "service_requests", [public_request(*found, hub.catalogue)])


def list_requests(request: Request) -> list[dict[str, Any]]:
    """Newest first, at most 1000, every filter applied in SQL before the limit.

    service_request_id (comma list) overrides the other filters, as the spec says; otherwise
    service_code, status and the dates (the last 90 days unless given) all apply.
    """
    hub = hub_of(request)
    query = request.query_params
    statement = select(Open311Request, Submission).join(Submission)
    filters = _filters(query)  # a malformed date or status is refused even when ignored
    if query.get("service_request_id"):
        wanted = [i.strip().upper() for i in query["service_request_id"].split(",")]
        statement = statement.where(Open311Request.service_request_id.in_(wanted))
    else:
        statement = statement.where(*filters)
    statement = statement.order_by(Open311Request.requested.desc()).limit(LIST_LIMIT)
    with hub.db.read() as session:
        rows = session.execute(statement).all()
    return [public_request(report, submission, hub.catalogue) for report, submission in rows]


def _filters(query) -> list[Any]:
    end = _moment(query.get("end_date"), end_of_day=True) or utcnow()
    start = _moment(query.get("start_date"), end_of_day=False) or _days_before(end, DEFAULT_DAYS)
    filters = [Open311Request.requested >= start, Open311Request.requested <= end]
    if query.get("service_code"):
        codes = [c.strip() for c in query["service_code"].split(",")]
        filters.append(Open311Request.service_code.in_(codes))
    if "status" in query:
        if not STATUSES.fullmatch(query["status"]):
            raise _bad("status must be open or closed (or both, comma separated).")
        statuses = set(query["status"].split(","))
        if statuses == {"open"}:
            filters.append(Submission.status.not_in(CLOSED))
        elif statuses == {"closed"}:
            filters.append(Submission.status.in_(CLOSED))
    return filters


def _days_before(moment: datetime, days: int) -> datetime:
    """`days` before `moment`, or the first moment there is (an end_date in year 1 is valid)."""
    try:
        return moment - timedelta(days=days)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


def _moment(text: str | None, end_of_day: bool) -> datetime | None:
    """A W3C date-time (with Z or an offset) in UTC, or a date alone: a whole UTC day, from
    its first moment (start_date) or to its last (end_date)."""
    if text is None:
        return None
    try:
        if W3C_DATE.fullmatch(text):
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max if end_of_day else time.min, UTC)
        if not W3C_DATETIME.fullmatch(text):
            raise ValueError(text)
        text = text.upper()  # RFC 3339 allows "t" and "z"
        leap = text[17:19] == "60"  # a leap second: RFC 3339 allows it, Python does not
        moment = datetime.fromisoformat(text[:17] + "59" + text[19:] if leap else text)
        moment += timedelta(seconds=1 if leap else 0)
    except ValueError:
        raise _bad("Dates must be written like 2026-11-23T00:00:00Z, "
                   "2026-11-23T08:00:00+08:00 or 2026-11-23.") from None
    try:
        return moment.astimezone(UTC)  # SQLite compares text: every time must be UTC
    except OverflowError:  # an offset that takes year 1 or 9999 out of range
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


@router.get("/v2/tokens/{token}.{format}")
def get_token(token: str, format: str, request: Request) -> Response:
    fmt = _format(format)
    with hub_of(request).db.read() as session:
        reference = session.scalar(select(Open311Request.service_request_id)
                                   .where(Open311Request.token == token))
    if reference is None:
        raise _missing("There is no request with this token.")
    return render(fmt, "service_requests", [{"service_request_id": reference, "token": token}])
