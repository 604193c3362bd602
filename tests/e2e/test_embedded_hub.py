"""The embedded default: the kiosk talks to the reference hub on loopback over HTTP, through its
outbox. Offline, it says what it cannot do, still takes reports, and hands out a provisional
reference that the hub maps to the official one once the link is back."""

import re

from sqlalchemy import create_engine, text

from kiosk import formatting
from kiosk.sync.catalogue_cache import best_catalogue, refresh
from tests.conftest import ELDEST
from ui.walker import Walker

OFFICIAL = re.compile(r"[A-Z]{2}\d{8}")
PROVISIONAL = re.compile(r"P-[2-9A-HJ-NP-Z]{10}")


def hub_query(hub, sql):
    """What the hub's own database holds (the government side's records)."""
    engine = create_engine(hub.hub.app.state.hub.settings.url)
    with engine.connect() as db:
        rows = db.execute(text(sql)).fetchall()
    engine.dispose()
    return rows


def hub_rows(hub):
    return hub_query(hub, "select reference, provisional_reference, service_id from submissions")


def heartbeat_seen(hub):
    [row] = hub_query(hub, "select queue_waiting, last_seen from kiosks "
                           "where kiosk_id = 'demo-kiosk'")
    return row.queue_waiting is not None and row.last_seen is not None


def test_a_journey_over_http_gets_an_official_reference(embedded, qtbot):
    kiosk, hub = embedded
    qtbot.waitUntil(lambda: heartbeat_seen(hub), timeout=10000)  # the kiosk says it is alive
    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.complete("senior_allowance", card=ELDEST,
                    answers={"lives_alone": False})
    assert kiosk.current() is kiosk.confirmation  # the provisional reference at once, then
    qtbot.waitUntil(lambda: not kiosk.session.journey.result.provisional, timeout=10000)
    reference = kiosk.session.journey.result.reference  # the hub's, on screen
    assert OFFICIAL.fullmatch(reference)
    assert kiosk.confirmation.reference.text() == formatting.reference(reference)
    filed = [r for r in hub_rows(hub) if r.reference == reference]
    assert [r.service_id for r in filed] == ["senior_allowance"]  # once


def test_offline_the_kiosk_says_what_it_cannot_do_and_keeps_what_it_takes(embedded, qtbot):
    kiosk, hub = embedded
    # the link's state asked every 0.2 s, online or not (not every 30 s and 5 s): a link that
    # goes and comes back is noticed at once, and the outbox is sent then
    hub.backend.alive_every = hub.backend.probe_every = 0.2
    walker = Walker(kiosk)
    hub.hub.stop()  # the rural link goes down
    qtbot.waitUntil(lambda: not kiosk.connection[0], timeout=15000)
    assert kiosk.window.connection.text().startswith("○")  # a mark as well as the word
    walker.begin("en")
    assert "Offline" in kiosk.window.connection.text()

    walker.tap("service-pay_bill")  # the amount needs the office
    assert "needs a connection" in kiosk.before_start.offline.message()
    assert not kiosk.window.next.isVisible()
    walker.tap("back")

    walker.complete("report_problem", answers={"category": "rubbish"})
    result = kiosk.session.journey.result
    assert result.provisional and PROVISIONAL.fullmatch(result.reference)
    assert kiosk.confirmation.ref_label.text() == \
        "Provisional reference (the office will give the final one)"
    qtbot.waitUntil(lambda: kiosk.connection == (False, 1), timeout=15000)
    assert "1 waiting" in kiosk.window.connection.text()
    provisional = result.reference
    walker.tap("next")  # finish

    hub.hub.start()  # the link is back: the outbox drains by itself
    qtbot.waitUntil(lambda: kiosk.connection == (True, 0), timeout=30000)
    filed = [r for r in hub_rows(hub) if r.provisional_reference]
    assert [(r.provisional_reference, r.service_id) for r in filed] == \
        [(provisional, "report_problem")]
    assert OFFICIAL.fullmatch(filed[0].reference)
    assert kiosk.session.backend.lookup(
        "application_status", {"reference": provisional}, None)["status"] == "received"


def test_the_catalogue_comes_from_the_hub_and_is_kept_for_offline(embedded, tmp_path):
    kiosk, hub = embedded
    cache = tmp_path / "catalogue"
    assert sorted(p.stem for p in cache.glob("*.json")) == \
        sorted(s.id for s in kiosk.catalogue.services)
    assert {s.source for s in kiosk.catalogue.services} == \
        {f"{s.id}.json" for s in kiosk.catalogue.services}  # read from the hub's copy
    hub.hub.stop()
    assert not refresh(hub.backend, cache)  # offline: the cached copy stays as it was
    assert [s.id for s in best_catalogue(cache).services] == \
        [s.id for s in kiosk.catalogue.services]
