"""Help requests: a kiosk calls a helper, the centre's helper desk (JSON and its HTML page)
sees, acknowledges and closes it; on SQLite and PostgreSQL."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import requests
from sqlalchemy import update

from hub.auth import token_hash
from hub.db import Desk, HelpRequest, Kiosk, utcnow
from hub.seed import DEMO_CENTRE, DEMO_DESK_TOKEN
from tests.hub.conftest import Client, desk_browser

OTHER_KIOSK, OTHER_TOKEN = "centre-kiosk-b", "kiosk-b-token"
FAR_DESK_TOKEN = "far-desk-token"


@pytest.fixture
def db(hub):
    return hub.app.state.hub.db


@pytest.fixture
def kiosk(hub) -> Client:
    return Client(hub)


@pytest.fixture
def other_kiosk(hub, db) -> Client:
    """A second kiosk in the demo centre."""
    with db.write() as session, session.begin():
        session.add(Kiosk(kiosk_id=OTHER_KIOSK, centre=DEMO_CENTRE,
                          token_hash=token_hash(OTHER_TOKEN)))
    return Client(hub, token=OTHER_TOKEN)


@pytest.fixture
def desk(hub) -> Client:
    return Client(hub, token=DEMO_DESK_TOKEN)


def call(client: Client, service_id: str | None = "pay_bill",
         step_id: str | None = "account") -> str:
    response = client.post("/v1/help-requests", json={"service_id": service_id,
                                                      "step_id": step_id})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "state", "created"} and body["state"] == "open"
    return body["id"]


def age(db, request_id: str, minutes: int) -> None:
    with db.write() as session, session.begin():
        session.execute(update(HelpRequest).where(HelpRequest.id == request_id)
                        .values(created=utcnow() - timedelta(minutes=minutes)))


def listed(desk: Client, state: str = "open") -> list[dict]:
    response = desk.get("/v1/desk/help-requests", params={"state": state})
    assert response.status_code == 200, response.text
    return response.json()


def page(hub, token: str = DEMO_DESK_TOKEN) -> requests.Response:
    return desk_browser(hub, token).get(f"{hub.url}/desk", timeout=30)


def test_a_request_goes_from_kiosk_to_desk_and_back(kiosk, other_kiosk, desk, db):
    newer = call(other_kiosk, "report_problem", None)
    older = call(kiosk)
    age(db, older, 5)
    found = listed(desk)
    assert [r["id"] for r in found] == [older, newer]  # the longest waiting first
    first = found[0]
    assert first["kiosk_id"] == "demo-kiosk" and first["centre"] == DEMO_CENTRE
    assert (first["service_id"], first["step_id"], first["state"]) == ("pay_bill", "account",
                                                                       "open")
    assert first["waiting_seconds"] >= 300 and first["helper_name"] is None
    assert found[1]["step_id"] is None and found[1]["kiosk_id"] == OTHER_KIOSK

    acked = desk.post(f"/v1/desk/help-requests/{older}/acknowledge",
                      json={"helper_name": "Wang"})
    assert acked.status_code == 200, acked.text
    assert acked.json()["state"] == "acknowledged"
    seen = kiosk.get(f"/v1/help-requests/{older}").json()
    assert seen["state"] == "acknowledged" and seen["helper_name"] == "Wang"
    assert seen["acknowledged"] and seen["closed"] is None
    assert [r["id"] for r in listed(desk)] == [newer]
    assert [r["id"] for r in listed(desk, "acknowledged")] == [older]
    assert [r["id"] for r in listed(desk, "active")] == [older, newer]

    closed = desk.post(f"/v1/desk/help-requests/{older}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert older not in [r["id"] for r in listed(desk, "active")]
    assert [r["id"] for r in listed(desk, "closed")] == [older]
    seen = kiosk.get(f"/v1/help-requests/{older}").json()
    assert seen["state"] == "closed" and seen["closed"] and seen["helper_name"] == "Wang"
    again = desk.post(f"/v1/desk/help-requests/{older}/acknowledge", json={"helper_name": "Li"})
    assert again.status_code == 409 and again.json()["error"] == "closed"


def test_a_kiosk_sees_only_its_own_requests(kiosk, other_kiosk):
    mine = call(kiosk)
    assert other_kiosk.get(f"/v1/help-requests/{mine}").status_code == 404
    assert other_kiosk.post(f"/v1/help-requests/{mine}/cancel").status_code == 404
    assert kiosk.get(f"/v1/help-requests/{mine}").json()["state"] == "open"
    assert kiosk.get("/v1/help-requests/not-an-id").status_code == 404


def test_kiosk_and_desk_tokens_are_not_interchangeable(hub, kiosk, desk):
    mine = call(kiosk)
    for path, method in [("/v1/desk/help-requests", "get"), ("/v1/desk/kiosks", "get"),
                         (f"/v1/desk/help-requests/{mine}/close", "post")]:
        response = getattr(kiosk, method)(path)
        assert response.status_code == 401 and response.json()["error"] == "unauthorized"
        assert getattr(Client(hub, token=None), method)(path).status_code == 401
    refused = kiosk.post(f"/v1/desk/help-requests/{mine}/acknowledge",
                         json={"helper_name": "Wang"})
    assert refused.status_code == 401
    assert desk.post("/v1/help-requests", json={"service_id": None,
                                                "step_id": None}).status_code == 401
    assert desk.get(f"/v1/help-requests/{mine}").status_code == 401
    assert desk.post(f"/v1/help-requests/{mine}/cancel").status_code == 401
    assert kiosk.get(f"/v1/help-requests/{mine}").json()["state"] == "open"
    assert page(hub, "demo-token").status_code == 401  # the page wants a desk's token


def test_a_desk_sees_only_its_own_centre(hub, db, kiosk):
    with db.write() as session, session.begin():
        session.add(Desk(desk_id="far-desk", centre="Another centre",
                         token_hash=token_hash(FAR_DESK_TOKEN)))
    far = Client(hub, token=FAR_DESK_TOKEN)
    mine = call(kiosk)
    assert listed(far) == [] and far.get("/v1/desk/kiosks").json() == []
    assert far.post(f"/v1/desk/help-requests/{mine}/close").status_code == 404


def test_the_kiosk_cancels(kiosk, desk):
    mine = call(kiosk, None, None)
    response = kiosk.post(f"/v1/help-requests/{mine}/cancel")
    assert response.status_code == 200 and response.json()["state"] == "closed"
    assert listed(desk) == [] and listed(desk, "active") == []
    assert kiosk.post(f"/v1/help-requests/{mine}/cancel").json()["state"] == "closed"


def test_bad_bodies_are_422(kiosk, desk):
    assert kiosk.post("/v1/help-requests", json={"service_id": 3}).status_code == 422
    mine = call(kiosk)
    for name in ["", "   ", "x" * 61]:
        response = desk.post(f"/v1/desk/help-requests/{mine}/acknowledge",
                             json={"helper_name": name})
        assert response.status_code == 422, name
    assert desk.get("/v1/desk/help-requests", params={"state": "lost"}).status_code == 422


def test_the_desk_page_shows_requests_and_acknowledges_through_its_form(hub, kiosk, db):
    mine = call(kiosk, "doctor_appointment", "department")
    age(db, mine, 7)
    shown = page(hub)
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    text = shown.text
    assert '<meta http-equiv="refresh" content="5">' in text
    assert "doctor_appointment" in text and "department" in text and "7 minutes" in text
    assert 'action="/desk/acknowledge"' in text and 'action="/desk/close"' in text
    assert f'name="id" value="{mine}"' in text

    browser = desk_browser(hub)
    done = browser.post(f"{hub.url}/desk/acknowledge", timeout=30, data={
        "id": mine, "helper_name": "Wang"})
    assert done.status_code == 200 and done.history and done.history[0].status_code == 303
    assert "Wang is going" in done.text
    seen = kiosk.get(f"/v1/help-requests/{mine}").json()
    assert seen["state"] == "acknowledged" and seen["helper_name"] == "Wang"

    done = browser.post(f"{hub.url}/desk/close", timeout=30, data={"id": mine})
    assert done.status_code == 200 and "No one is waiting for help" in done.text
    assert kiosk.get(f"/v1/help-requests/{mine}").json()["state"] == "closed"
    for stranger in (requests.Session(), desk_browser(hub, "demo-token")):  # no desk cookie
        refused = stranger.post(f"{hub.url}/desk/close", timeout=30,
                                data={"token": DEMO_DESK_TOKEN, "id": mine})
        assert refused.status_code == 401 and 'action="/desk/sign-in"' in refused.text


def test_the_desk_sees_which_kiosks_are_online(hub, kiosk, desk, db):
    beat = kiosk.post("/v1/heartbeat", json={"kiosk_id": "demo-kiosk", "queue_waiting": 2,
                                             "queue_quarantined": 1, "version": "1"})
    assert beat.status_code == 200
    kiosks = desk.get("/v1/desk/kiosks").json()
    assert [k["kiosk_id"] for k in kiosks] == ["demo-kiosk"]
    assert kiosks[0]["online"] is True and kiosks[0]["last_seen"]
    assert (kiosks[0]["queue_waiting"], kiosks[0]["queue_quarantined"]) == (2, 1)
    assert "online" in page(hub).text and "2 waiting to send" in page(hub).text

    with db.write() as session, session.begin():
        session.execute(update(Kiosk).where(Kiosk.kiosk_id == "demo-kiosk")
                        .values(last_seen=utcnow() - timedelta(minutes=3)))
    assert desk.get("/v1/desk/kiosks").json()[0]["online"] is False
    assert "OFFLINE" in page(hub).text


def test_the_desk_page_escapes_everything(hub, kiosk, desk):
    hostile = '<script>alert("x")</script>'
    mine = call(kiosk, "<b>svc</b>", "a&b")
    acked = desk.post(f"/v1/desk/help-requests/{mine}/acknowledge",
                      json={"helper_name": hostile})
    assert acked.status_code == 200
    text = page(hub).text
    assert hostile not in text and "<b>svc</b>" not in text
    assert html.escape(hostile) in text and html.escape("<b>svc</b>") in text
    assert "a&amp;b" in text
    assert kiosk.get(f"/v1/help-requests/{mine}").json()["helper_name"] == hostile


def test_add_desk_prints_a_working_token(tmp_path):
    from hub.config import sqlite_url
    from hub.testing import running_hub
    from tests.hub.test_cli import hub_command

    url = sqlite_url(tmp_path / "hub.sqlite3")
    assert hub_command("migrate", "--database-url", url).returncode == 0
    added = hub_command("add-desk", "centre-12-desk", "--centre", "Centre 12",
                        "--database-url", url)
    assert added.returncode == 0, added.stderr
    token = added.stdout.split("token ", 1)[1].split()[0]
    with running_hub(url, demo=True, data_dir=tmp_path) as hub:
        answer = requests.get(f"{hub.url}/v1/desk/kiosks", timeout=30,
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.json() == []
