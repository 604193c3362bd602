"""Usage records on a real hub (SQLite and PostgreSQL): kiosks of two centres send their visits
(one batch twice), and a centre's helper desk sees exactly its own kiosks' figures, as JSON,
as the manager's HTML page and as CSV; a bad record is refused whole, in plain words."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime

import pytest

from hub.auth import token_hash
from hub.db import Kiosk
from hub.seed import DEMO_CENTRE, DEMO_DESK_TOKEN
from kiosk.backend.http import HttpBackend
from kiosk.usage import UsageLog, send_pending
from tests.hub.conftest import Client, desk_browser

SECOND_KIOSK, SECOND_TOKEN = "centre-kiosk-b", "kiosk-b-token"
FAR_KIOSK, FAR_TOKEN = "far-kiosk", "far-kiosk-token"
DAY1, DAY2 = "2026-11-22", "2026-11-23"  # the hub's today is DAY2
FIRST_SHOWN, BEFORE = "2026-10-25", "2026-10-24"  # the page's default: the last 30 days


def visit(day: str, seconds: int, *tasks: dict, help_waits: tuple = ()) -> dict:
    return {"id": str(uuid.uuid4()), "day": day, "seconds": seconds,
            "help": [{"wait_s": wait} for wait in help_waits], "tasks": list(tasks)}


def done(service: str, seconds: int, rating: int | None = None,
         comment: str | None = None) -> dict:
    return {"service_id": service, "outcome": "completed", "last_step": "confirm",
            "seconds": seconds, "rating": rating, "comment": comment}


def gave_up(service: str, step: str | None, seconds: int) -> dict:
    return {"service_id": service, "outcome": "gave_up", "last_step": step,
            "seconds": seconds, "rating": None, "comment": None}


DEMO_KIOSK_VISITS = [
    visit(DAY1, 130, done("pay_bill", 120, 5, "usage.comment.easy")),
    visit(DAY1, 40),  # looked, started nothing
    visit(DAY2, 300, gave_up("pay_bill", "account", 60), done("pension_check", 200, 3),
          help_waits=(50,)),
]
SECOND_KIOSK_VISITS = [
    visit(DAY2, 100, done("pay_bill", 90, 4, "usage.comment.too_long"), help_waits=(20, None)),
    visit(DAY2, 30, gave_up("pay_bill", "utility", 30)),
]
FAR_KIOSK_VISITS = [
    visit(DAY1, 500, done("doctor_appointment", 400, 1), help_waits=(600,)),
]


@pytest.fixture
def db(hub):
    return hub.app.state.hub.db


@pytest.fixture
def kiosks(hub, db) -> dict[str, Client]:
    """The demo kiosk, a second kiosk of its centre, and a kiosk of another centre."""
    with db.write() as session, session.begin():
        session.add(Kiosk(kiosk_id=SECOND_KIOSK, centre=DEMO_CENTRE,
                          token_hash=token_hash(SECOND_TOKEN)))
        session.add(Kiosk(kiosk_id=FAR_KIOSK, centre="Far centre",
                          token_hash=token_hash(FAR_TOKEN)))
    return {"demo-kiosk": Client(hub), SECOND_KIOSK: Client(hub, SECOND_TOKEN),
            FAR_KIOSK: Client(hub, FAR_TOKEN)}


@pytest.fixture
def desk(hub) -> Client:
    return Client(hub, token=DEMO_DESK_TOKEN)


def send(client: Client, records: list[dict]) -> dict:
    response = client.post("/v1/usage", json={"records": records})
    assert response.status_code == 200, response.text
    return response.json()


def summary(desk: Client, **days: str) -> dict:
    response = desk.get("/v1/usage/summary", params=days)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_centre_sees_exactly_its_kiosks_figures_and_a_resend_counts_once(kiosks, desk):
    assert send(kiosks["demo-kiosk"], DEMO_KIOSK_VISITS) == {
        "received": 3, "stored": 3, "already_stored": 0}
    assert send(kiosks["demo-kiosk"], DEMO_KIOSK_VISITS) == {  # the answer was lost: again
        "received": 3, "stored": 0, "already_stored": 3}
    assert send(kiosks[SECOND_KIOSK], [SECOND_KIOSK_VISITS[0]] * 2) == {
        "received": 2, "stored": 1, "already_stored": 1}
    assert send(kiosks[SECOND_KIOSK], SECOND_KIOSK_VISITS)["stored"] == 1
    send(kiosks[FAR_KIOSK], FAR_KIOSK_VISITS)

    figures = summary(desk)
    assert figures == {
        "centre": DEMO_CENTRE, "from": None, "to": None,
        "kiosks": {SECOND_KIOSK: 2, "demo-kiosk": 3},
        "sessions": 5, "sessions_per_day": {DAY1: 2, DAY2: 3},
        "per_service": {
            "pay_bill": {"started": 4, "completed": 2, "gave_up": 2, "ineligible": 0,
                         "completion_rate": 0.5, "average_seconds": 105.0,
                         "give_up_steps": {"account": 1, "utility": 1}},
            "pension_check": {"started": 1, "completed": 1, "gave_up": 0, "ineligible": 0,
                              "completion_rate": 1.0, "average_seconds": 200.0,
                              "give_up_steps": {}},
        },
        "help_requests": 3, "help_answered": 2, "average_help_wait_s": 35.0,
        "ratings": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}, "average_rating": 4.0,
        "comments": {"usage.comment.easy": 1, "usage.comment.too_long": 1},
    }

    one_day = summary(desk, **{"from": DAY2, "to": DAY2})
    assert (one_day["from"], one_day["to"], one_day["sessions"], one_day["kiosks"]) == (
        DAY2, DAY2, 3, {SECOND_KIOSK: 2, "demo-kiosk": 1})
    assert summary(desk, to=DAY1)["sessions_per_day"] == {DAY1: 2}


def test_a_kiosk_sends_its_log_through_the_backend(hub, desk, tmp_path):
    with UsageLog(tmp_path / "usage.sqlite3", now=lambda: datetime(2026, 11, 23, 10)) as log:
        log.visit_started()
        log.task_started("pay_bill")
        log.step_reached("account")
        log.visit_ended()
        backend = HttpBackend(hub.url, hub.token, tmp_path / "outbox.sqlite3", "demo-kiosk",
                              policy="online")
        assert send_pending(log, backend) == 1
        assert log.unsent_count() == 0
        assert backend.send_usage(log.records()) == 1  # a resend: held once, not twice
    figures = summary(desk)
    assert figures["sessions"] == 1
    assert figures["per_service"]["pay_bill"]["give_up_steps"] == {"account": 1}


def test_the_managers_page_and_csv_show_the_figures(hub, kiosks):
    send(kiosks["demo-kiosk"], [*DEMO_KIOSK_VISITS, visit(BEFORE, 60)])  # one visit long ago
    send(kiosks[SECOND_KIOSK], SECOND_KIOSK_VISITS)
    send(kiosks[FAR_KIOSK], FAR_KIOSK_VISITS)
    browser = desk_browser(hub)
    page = browser.get(f"{hub.url}/usage", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert f"Usage figures: {DEMO_CENTRE}" in text
    assert f"5 sessions on 2 of 2 kiosks, {FIRST_SHOWN} to {DAY2}." in text  # the last 30 days
    assert (f'name="from" value="{FIRST_SHOWN}"' in text  # the form shows the days shown
            and f'name="to" value="{DAY2}"' in text)
    assert ("<td>Pay a water or electricity bill (pay_bill)</td><td>4</td><td>2</td>"
            "<td>50%</td><td>2</td><td>0</td><td>1 min 45 s</td>") in text
    assert "<td>3</td><td>2</td><td>35 s</td>" in text  # help calls, answered, average wait
    assert "It took too long" in text  # comments in words, not keys
    assert "doctor_appointment" not in text and FAR_KIOSK not in text

    only_day1 = browser.get(f"{hub.url}/usage", params={"from": DAY1, "to": DAY1}, timeout=30)
    assert "2 sessions on 1 of 2 kiosks, 2026-11-22 to 2026-11-22." in only_day1.text
    every_day = browser.get(f"{hub.url}/usage", params={"from": "", "to": ""},  # emptied
                            timeout=30)
    assert "6 sessions on 2 of 2 kiosks, all days." in every_day.text

    assert f'href="/usage.csv?from={FIRST_SHOWN}&amp;to={DAY2}"' in text  # no token in it
    got = browser.get(f"{hub.url}/usage.csv", timeout=30)
    assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbf")
    rows = {tuple(r[:3]): r[3] for r in csv.reader(io.StringIO(got.content.decode("utf-8-sig")))}
    assert rows[("sessions", "", "")] == "5"  # the same last 30 days
    assert rows[("completion_rate", "pay_bill", "")] == "0.5"
    assert rows[("given_up_at_step", "pay_bill", "utility")] == "1"
    got = browser.get(f"{hub.url}/usage.csv", params={"from": "", "to": ""}, timeout=30)
    assert ["sessions", "", "", "6"] in csv.reader(io.StringIO(got.content.decode("utf-8-sig")))

    for token in ("", "demo-token", "nonsense"):  # no desk token, a kiosk's, an unknown one
        for path in ("/usage", "/usage.csv"):
            refused = desk_browser(hub, token).get(f"{hub.url}{path}", timeout=30)
            assert refused.status_code == 401 and 'action="/desk/sign-in"' in refused.text
            assert 'name="next" value="/usage"' in refused.text
    for bad in ("last week", "20261101", "0", "2026-02-30"):
        bad_day = browser.get(f"{hub.url}/usage", params={"from": bad}, timeout=30)
        assert bad_day.status_code == 422 and "2026-11-01" in bad_day.text, bad
        assert "sessions on" not in bad_day.text, bad


SPOILED = [
    ("citizen_id", lambda r: r.update(citizen_id="110101194501011234")),  # nothing personal
    ("rating", lambda r: r["tasks"][0].update(rating=6)),
    ("comment", lambda r: r["tasks"][0].update(comment="Mrs Li at the desk was rude")),
    ("day", lambda r: r.update(day="23/11/2026")),
    ("day", lambda r: r.update(day="20261123")),
    ("day", lambda r: r.update(day=0)),  # not a timestamp
    ("day", lambda r: r.update(day="2026-11-31")),
]


def test_a_bad_record_is_refused_whole_in_plain_words(kiosks, desk):
    for field, spoil in SPOILED:
        good, bad = visit(DAY1, 10), visit(DAY1, 20, done("pay_bill", 15, 4))
        spoil(bad)
        response = kiosks["demo-kiosk"].post("/v1/usage", json={"records": [good, bad]})
        assert response.status_code == 422, field
        body = response.json()
        assert body["error"] == "invalid_request"
        assert body["message"].startswith("The request is not written the right way: "
                                          "records.1."), body["message"]
        assert field in body["message"]
    assert summary(desk)["sessions"] == 0  # not even the good ones


def test_a_body_that_is_not_json_is_400(kiosks, desk):
    kiosk = kiosks["demo-kiosk"]
    for body, kind in [(b"{records: [", "application/json"), (b"\xff\xfe", "application/json"),
                       (b'{"records": []}', "text/plain")]:  # JSON, not sent as JSON
        response = kiosk.post("/v1/usage", data=body, headers={"Content-Type": kind})
        assert response.status_code == 400, (body, response.text)
        assert response.json() == {"error": "invalid_json",
                                   "message": "The body could not be read as JSON."}
    assert summary(desk)["sessions"] == 0


def test_each_side_needs_its_own_token(hub, kiosks, desk):
    assert desk.post("/v1/usage", json={"records": []}).status_code == 401
    assert kiosks["demo-kiosk"].get("/v1/usage/summary").status_code == 401
    for bad in ("yesterday", "0", "20261101", "2026-11-31", "2026-11-01T00:00:00"):
        for name in ("from", "to"):  # never a timestamp, never a day written another way
            refused = desk.get("/v1/usage/summary", params={name: bad})
            assert refused.status_code == 422, (name, bad, refused.text)
            assert refused.json()["error"] == "invalid_request"
            assert "YYYY-MM-DD" in refused.json()["message"]
