"""A hub run as an operator runs it, at --log-level debug, writes no secret and no citizen's data.

`python -m hub --demo` in a subprocess, on SQLite and on PostgreSQL, answers every kind of call
with tokens where they belong (headers, the sign-in form, the session cookie) and where they do
not (query strings), the demo citizens' data in bodies, hostile bodies, and two server errors
with a citizen's data in the failing row (a table dropped under the running hub: the case where
SQLAlchemy used to print the SQL parameters). Then everything the process wrote (uvicorn's
access and error logs, the hub's and the libraries' loggers, stdout) is searched for every
token used and every demo citizen's name, ID number, phone, address and birth date.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from kiosk.backend.demo_data import CITIZENS
from tests.hub.conftest import Client, desk_browser, served_hub
from tests.log_audit import leaks, secret

NAME, ADDRESS, PHONE = CITIZENS[0][1], CITIZENS[0][3], CITIZENS[0][4]
DESK_TOKEN = "demo-desk-token"
API_KEY = secret("open311-api-key-of-a-civic-app")


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request, tmp_path, private_key_file):
    database_url = None
    if request.param == "postgresql":
        database_url = request.getfixturevalue("database")  # a fresh PostgreSQL database
    with served_hub(tmp_path / "hub", private_key_file, database_url) as hub:
        hub.database_url = database_url or f"sqlite:///{tmp_path / 'hub' / 'hub.sqlite3'}"
        yield hub


@pytest.fixture
def database(request, pg_server):
    """Only the PostgreSQL half of tests/hub/conftest.py's `database`."""
    from hub.testing import drop_database, fresh_database

    name = f"hub_logs_{uuid.uuid4().hex[:8]}"
    yield fresh_database(pg_server, name)
    drop_database(pg_server, name)


def test_a_served_hub_logs_no_token_and_no_citizens_data(served):
    kiosk = Client(served)
    _kiosk_calls(kiosk)
    _open311_calls(served)
    _desk_calls(served)
    _remote_calls(kiosk, served)
    _hostile_calls(kiosk, served)
    _server_errors(kiosk, served)

    written = served.stop()
    assert "Logging error" not in written and "Traceback" not in written
    assert "GET /v1/catalogue?[query hidden]" in written  # access lines are there, scrubbed
    assert "GET /desk?[query hidden]" in written and "GET /usage.csv?[query hidden]" in written
    assert "500 on POST /open311/v2/requests.{format}:" in written  # the errors are logged
    assert "500 on POST /v1/submissions:" in written
    found = leaks(written)
    lines = [line for line in written.splitlines() if leaks(line)]
    assert found == [], "\n".join(lines[:20])


def _kiosk_calls(kiosk: Client) -> None:
    assert kiosk.get("/v1/catalogue").status_code == 200
    assert kiosk.get("/v1/catalogue", params={"token": "demo-token"}).status_code == 200
    for number, _name, _birth, _address, _phone in CITIZENS:
        assert kiosk.post("/v1/identity/card", json={"id_number": number}).status_code == 200
    number = CITIZENS[1][0]
    assert kiosk.post("/v1/identity/code", json={"id_number": number}).status_code == 200
    assert kiosk.post("/v1/identity/verify",
                      json={"id_number": number, "code": "000000x"}).status_code == 422
    code = kiosk.get("/v1/demo/last-code").json()["code"]
    assert kiosk.post("/v1/identity/verify",
                      json={"id_number": number, "code": code}).status_code == 200
    assert kiosk.post("/v1/lookups/insurance",
                      json={"params": {}, "citizen_id": number}).status_code == 200
    assert kiosk.post("/v1/lookups/bill", json={"params": {"utility": "water", "account":
                                                           "10012345"}}).status_code == 200
    beat = {"kiosk_id": "demo-kiosk", "queue_waiting": 0, "queue_quarantined": 0,
            "version": "1"}
    assert kiosk.post("/v1/heartbeat", json=beat).status_code == 200
    sealed = kiosk.envelope("pay_bill", {"utility": "water", "account": "10012345",
                                         "holder_name": NAME}, citizen_id=number)
    assert kiosk.submit(sealed).status_code == 201
    assert kiosk.post("/v1/help-requests", json={"service_id": "pay_bill",
                                                 "step_id": "account"}).status_code == 201


def _open311_calls(served) -> None:
    report = {"service_code": "rubbish", "address_string": ADDRESS, "description": NAME,
              "email": "wang.xiuying@example.org", "first_name": NAME, "phone": PHONE}
    posted = requests.post(f"{served.url}/open311/v2/requests.json", data=report,
                           params={"api_key": API_KEY}, timeout=30)
    assert posted.status_code == 200, posted.text
    listed = requests.get(f"{served.url}/open311/v2/requests.json",
                          params={"api_key": API_KEY, "service_code": "rubbish"}, timeout=30)
    assert listed.status_code == 200


def _desk_calls(served) -> None:
    for path in ("/desk", "/usage", "/usage.csv"):  # an old bookmark: refused, and hidden
        refused = requests.get(served.url + path, params={"token": DESK_TOKEN}, timeout=30)
        assert refused.status_code == 400
    browser = desk_browser(served)
    secret(browser.cookies["hub_desk"])  # a session is a credential too
    assert browser.get(f"{served.url}/desk", timeout=30).status_code == 200
    assert browser.get(f"{served.url}/usage.csv", timeout=30).status_code == 200
    desk = Client(served, token=DESK_TOKEN)
    assert desk.get("/v1/desk/help-requests").status_code == 200
    assert desk.get("/v1/usage/summary", params={"from": "2026-01-01"}).status_code == 200


def _remote_calls(kiosk: Client, served) -> None:
    """Remote help: the centre's desk takes the kiosk's call; the citizen lets the clerk see
    their details; a screen with them goes up, a clerk's sentence and filled value go down."""
    called = kiosk.post("/v1/help-requests", json={"service_id": "pay_bill"}).json()["id"]
    browser = desk_browser(served)
    desk = f"{served.url}/desk/calls/{called}"
    assert browser.post(f"{desk}/take", json={"clerk": "Li Ming"}, timeout=30).ok
    channel = f"/v1/help-requests/{called}/remote"
    screen = {"title": "Pay a bill", "fields": [
        {"id": "name", "label": "Name", "value": NAME, "masked": False},
        {"id": "address", "label": "Address", "value": ADDRESS, "masked": False}]}
    assert kiosk.post(f"{channel}/up", json={"messages": [
        {"kind": "consent", "see": True, "personal": True},
        {"kind": "screen", "model": screen}]}).json() == {"accepted": 2}
    for message in ({"kind": "say", "words": f"{NAME}, tap the green button"},
                    {"kind": "fill", "field": "phone", "value": PHONE}):
        assert browser.post(f"{desk}/send", json=message, timeout=30).ok
    got = kiosk.get(f"{channel}/down", params={"after": 1}).json()["messages"]
    assert [m["kind"] for m in got] == ["say", "fill"]
    assert browser.post(f"{desk}/end", timeout=30).ok


def _hostile_calls(kiosk: Client, served) -> None:
    number = CITIZENS[2][0]
    for body in (f'{{"id_number": "{number}\\ud800"}}', f'{{"id_number": "{number}\\u0000"}}',
                 "[" * 1000 + "]" * 1000, f'{{"id_number": "{number}", "x": {"[" * 50}'):
        answer = kiosk.post("/v1/identity/card", data=body.encode(),
                            headers={"Content-Type": "application/json"})
        assert 400 <= answer.status_code < 500, answer.text
    answer = kiosk.post("/v1/lookups/insurance", json={"params": {}, "citizen_id": number * 2})
    assert answer.status_code == 422
    wrong = requests.post(f"{served.url}/open311/v2/requests.json", timeout=30, data={
        "service_code": "rubbish", "address_string": ADDRESS * 40, "email": PHONE})
    assert wrong.status_code == 400


def _server_errors(kiosk: Client, served) -> None:
    """Drop the reports' table under the running hub: filing a report then fails in SQL whose
    parameters are a reporter's e-mail and name, and a kiosk's decrypted answers."""
    if served.database_url.startswith("sqlite"):
        with sqlite3.connect(served.database_url.removeprefix("sqlite:///")) as connection:
            connection.execute("DROP TABLE open311_requests")
    else:
        engine = create_engine(served.database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE open311_requests"))
        engine.dispose()
    failed = requests.post(f"{served.url}/open311/v2/requests.json", timeout=30, data={
        "service_code": "rubbish", "address_string": ADDRESS, "first_name": NAME,
        "email": f"{PHONE}@example.org", "phone": PHONE})
    assert failed.status_code == 500 and NAME not in failed.text
    answers = {"category": "rubbish", "place": ADDRESS, "description": f"{NAME} {PHONE}",
               "contact_phone": PHONE}
    failed = kiosk.submit(kiosk.envelope("report_problem", answers))
    assert failed.status_code == 500 and json.loads(failed.text)["error"] == "internal_error"
