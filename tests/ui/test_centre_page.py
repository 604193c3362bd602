"""The centre page: a kiosk configured for a real hub checks itself, its heartbeat tells the hub
what it found, and the centre's signed-in desk sees it with the version, the last time seen and
the queue. A real hub on loopback, the kiosk as main.py opens one, real HTTP for the page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import requests

from hub.db import utcnow
from hub.routes.centre_page import ago, render
from hub.seed import DEMO_DESK_TOKEN
from kiosk.version import version
from tests.keyrings import memory_keyring  # noqa: F401 - fixture
from tests.ui.test_fleet_link import hub, hub_kiosk  # noqa: F401 - fixture

MISSING_PRINTER = "Front desk printer"


@pytest.fixture
def kiosk(hub, tmp_path, monkeypatch, qtbot, memory_keyring):  # noqa: F811
    made, close = hub_kiosk(hub, tmp_path, monkeypatch, printer=MISSING_PRINTER)
    yield made
    made.shutdown()
    close()


def centre_page(hub) -> str:  # noqa: F811
    browser = requests.Session()
    signed = browser.post(f"{hub.url}/desk/sign-in",
                          data={"token": DEMO_DESK_TOKEN, "next": "/centre"}, timeout=30)
    assert signed.status_code == 200 and signed.url.endswith("/centre")
    return signed.text


def test_a_kiosk_that_checked_itself_shows_its_problems_on_the_centre_page(hub, kiosk, qtbot):  # noqa: F811
    before = centre_page(hub)
    assert "demo-kiosk" in before and "not checked yet" in before
    link = kiosk.fleet_link
    checks = link.self_checks
    link.check_now()  # the kiosk's own check, as it runs a minute after its start
    qtbot.waitUntil(lambda: link.self_checks > checks, timeout=60_000)
    assert any(MISSING_PRINTER in problem for problem in link.fleet.problems)
    kiosk._polls = 0  # the next status poll sends a heartbeat (ui.app HEARTBEAT_EVERY)
    kiosk.check_connection()
    qtbot.waitUntil(lambda: MISSING_PRINTER in centre_page(hub), timeout=20_000)
    page = centre_page(hub)
    row = page[page.index("<td>demo-kiosk</td>"):].split("</tr>")[0]
    assert "online" in row and "minute ago" in row
    assert version() in row
    assert "nothing waiting" in row
    assert f"Receipt printer: the printer {MISSING_PRINTER} chosen in the settings was not " \
           "found" in row
    assert "checked under a minute ago" in row


def test_an_address_with_a_token_is_refused_and_nobody_else_sees_the_centre(hub):  # noqa: F811
    anonymous = requests.get(f"{hub.url}/centre", timeout=30)
    assert anonymous.status_code == 401 and "demo-kiosk" not in anonymous.text
    carried = requests.get(f"{hub.url}/centre", params={"token": DEMO_DESK_TOKEN}, timeout=30)
    assert carried.status_code == 400 and "demo-kiosk" not in carried.text


def _kiosk(kiosk_id: str, version_text: str, problems: list[str], seen: datetime) -> dict:
    return {"kiosk_id": kiosk_id, "online": True, "last_seen": seen.isoformat(),
            "queue_waiting": 0, "queue_quarantined": 2, "version": version_text,
            "problems": problems, "problems_checked": seen.isoformat(), "audit_seq": 0,
            "update_problem": ""}


def test_a_kiosk_behind_the_centres_newest_version_is_pointed_out_and_text_escaped():
    now = utcnow()
    page = render("desk", "North", [
        _kiosk("k1", "1.2.0", [], now - timedelta(minutes=3)),
        _kiosk("k2", "1.10.0", ["Disk: <b>full</b>"], now - timedelta(hours=5)),
        {**_kiosk("k3", "1.10.0", [], now), "update_problem": "1.11.0 did not start: rolled "
                                                             "back to 1.10.0"}], now).body
    text = page.decode()
    k1 = text[text.index("<td>k1</td>"):].split("</tr>")[0]
    k2 = text[text.index("<td>k2</td>"):].split("</tr>")[0]
    assert "older than 1.10.0" in k1 and "older than" not in k2  # 1.10 is newer than 1.2
    assert "3 minutes ago" in k1 and "5 hours ago" in k2
    assert "&lt;b&gt;full&lt;/b&gt;" in k2 and "<b>full" not in text
    assert "2 refused by the hub" in k1
    assert "Kiosks: 3; 2 need a look." in text


def test_ago_reads_like_a_person_would_say_it():
    now = datetime.fromisoformat("2026-12-04T12:00:00+00:00")
    assert ago(None, now) == "never"
    assert ago("2026-12-04T11:59:30+00:00", now).startswith("under a minute ago")
    assert ago("2026-12-01T12:00:00+00:00", now) == "3 days ago (2026-12-01 12:00 UTC)"
