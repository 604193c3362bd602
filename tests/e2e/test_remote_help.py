"""Remote assisted service through the real hub on loopback: the kiosk's help call taken by a
clerk at a desk of the hub, the clerk using the desk's own endpoints (a cookie session, the
live event stream) as the desk page does. Consent refused: the desk sees nothing. Consent
given: the desk's view follows the kiosk through a whole journey, field by field, personal
values masked; the clerk points, speaks, fills (checked, audited, on the receipt); the citizen
ends the help. A link dropped (tests/sync/proxy.py) is reported on both sides."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from hub.auth import token_hash
from hub.config import Settings as HubSettings
from hub.remote.desks import add_regional_desk
from hub.seed import DEMO_CENTRE
from hub.serve import RunningHub
from kiosk.backend.http import HttpBackend
from kiosk.catalogue import load_catalogue
from kiosk.identity import reader_for
from kiosk.settings import Settings
from tests.conftest import ELDEST
from tests.log_audit import secret
from tests.remote.hub_desk import HubDesk
from tests.remote.scenario import call_and_take, latest_screen, wait_in_step, whole_journey
from tests.sync.proxy import FaultProxy
from ui.app import Kiosk
from ui.composition import hub_ports
from ui.launch import WINDOW_SIZE, qt_app
from ui.walker import Walker


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[RunningHub]:
    """The reference hub with its demo data (a centre with its desk), served on loopback."""
    folder = tmp_path_factory.mktemp("remote-hub")
    running = RunningHub(HubSettings(data_dir=folder, demo=True, migrate_on_start=True))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def link(hub) -> Iterator[FaultProxy]:
    proxy = FaultProxy(hub.url)
    yield proxy
    proxy.close()


@pytest.fixture
def desk(hub) -> Iterator[HubDesk]:
    clerk = HubDesk(hub.url)
    yield clerk
    clerk.close()


@pytest.fixture
def kiosk(qtbot, link, hub, tmp_path) -> Iterator[Kiosk]:
    """Not the demo: the hub's address (through the fault proxy) and token, its own outbox,
    the card reader its settings give (none: the citizen types the ID number)."""
    qt_app()
    backend = HttpBackend(link.url, hub.token, tmp_path / "outbox.sqlite3",
                          kiosk_id="field-kiosk")
    backend.sender.start()
    settings = Settings(idle_timeout_s=3600, status_every_s=0.5, help_poll_s=0.2,
                        data_dir=str(tmp_path), hub_url=link.url, kiosk_id="field-kiosk",
                        demo=False)
    made = Kiosk(settings, hub_ports(backend), load_catalogue(), reader_for(settings))
    made.window.setFixedSize(*WINDOW_SIZE)
    made.window.show()
    qtbot.waitUntil(lambda: made.connection[0], timeout=10000)
    yield made
    made.shutdown()
    backend.sender.stop()


def remote_audit(kiosk: Kiosk) -> list[dict]:
    kiosk.assisted.audit.flush()  # written in the background: all of it, now
    lines = kiosk.assisted.audit.path.read_text(encoding="utf-8").splitlines()
    return [entry for entry in map(json.loads, lines) if entry["action"].startswith("remote_")]


def test_consent_refused_the_desk_sees_nothing(kiosk, desk, qtbot):
    walker = Walker(kiosk)
    walker.begin("en")
    walker.open_service("senior_allowance")
    walker.identify_by_code(ELDEST)
    here = kiosk.current()
    call_and_take(kiosk, qtbot, desk)
    assert desk.name and desk.name in kiosk.remote.consent.question.text()
    walker.tap("remote-consent-no")
    qtbot.waitUntil(lambda: any(m["kind"] == "end" for m in desk.seen()), timeout=10000)
    assert [(m["kind"], m.get("see"), m.get("by")) for m in desk.seen()] == [
        ("consent", False, None), ("end", None, "citizen")]
    assert latest_screen(desk) is None
    assert kiosk.current() is here and not kiosk.remote.active
    actions = [e["action"] for e in remote_audit(kiosk)]
    assert actions == ["remote_taken", "remote_consent_asked", "remote_consent_refused",
                       "remote_ended"]


def test_the_desk_follows_a_whole_journey_and_helps(kiosk, desk, qtbot):
    whole_journey(kiosk, qtbot, desk, code=ELDEST)
    entries = remote_audit(kiosk)
    text = json.dumps(entries, ensure_ascii=False)
    assert "13912345678" not in text and "12345" not in text  # never a value
    assert {e["helper_id"] for e in entries} == {"remote:Li Ming"}
    assert {e["detail"]["desk"] for e in entries} == {desk.name[:40]}
    filled = [e["detail"]["step"] for e in entries if e["action"] == "remote_field_filled"]
    assert filled == ["lives_alone", "emergency_phone"]
    assert [e["action"] for e in entries if e["action"] == "remote_fill_refused"] == [
        "remote_fill_refused"]
    assert entries[-1]["action"] == "remote_ended" and entries[-1]["detail"]["by"] == "citizen"


def test_a_dropped_link_is_reported_on_both_sides(kiosk, desk, hub, link, qtbot):
    walker = Walker(kiosk)
    walker.begin("en")
    walker.tap("service-senior_allowance")
    here = kiosk.current()
    kiosk.remote.lost_after = 1.0  # the field's 15 s, shortened; the rule is the same
    call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-yes")
    wait_in_step(kiosk, qtbot, desk)
    call_id = kiosk.help_call.request_id
    link.fail("refuse")  # the village's line goes down
    # the poll the hub is holding comes back with this, the next finds no line
    desk.send(call_id, {"kind": "say", "words": "Are you still there?"})
    qtbot.waitUntil(lambda: not kiosk.remote.active, timeout=15000)
    assert kiosk.remote.session.ended_by == "link"
    assert kiosk.remote.ended_words == ("The link to Li Ming was lost. You can carry on here, "
                                        "or press Help again.")
    assert not kiosk.remote.bar.isVisible()
    assert kiosk.current() is here  # carries on where it was
    assert not kiosk.window.help_flag.isVisible()
    clock = hub.app.state.relay.clock
    try:
        clock.shift_s = 16  # the hub's clock: the kiosk has been silent past its limit
        qtbot.waitUntil(lambda: any(m["kind"] == "end" and m.get("by") == "link"
                                    for m in desk.seen()), timeout=15000)
    finally:
        clock.shift_s = 0.0
    link.heal()


def test_a_call_nobody_at_the_centre_takes_goes_to_the_regional_desk(kiosk, hub, qtbot):
    tag = uuid.uuid4().hex[:8]
    token = secret(f"region-token-{tag}")
    add_regional_desk(hub.app.state.hub.db, f"county-{tag}", f"County hall {tag}",
                      [DEMO_CENTRE], token_hash(token))
    region = HubDesk(hub.url, token=token, clerk="Zhao Lei")
    clock = hub.app.state.relay.clock
    try:
        walker = Walker(kiosk)
        walker.begin("zh_CN")
        walker.tap("help")
        walker.tap("call-staff")
        qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=10000)
        call_id = kiosk.help_call.request_id
        assert call_id not in [c["id"] for c in region.sees_calls()]  # the centre's desk first
        clock.shift_s = 121  # the centre's default time to answer, passed
        qtbot.waitUntil(lambda: {c["id"]: c["level"] for c in region.calls}.get(call_id)
                        == "region", timeout=10000)  # on the regional desk's live list
        region.take(call_id)
        qtbot.waitUntil(lambda: kiosk.current() is kiosk.remote.consent, timeout=10000)
        asked = kiosk.remote.consent.question.text()
        assert "Zhao Lei" in asked and f"County hall {tag}" in asked
        walker.tap("remote-consent-no")
        qtbot.waitUntil(lambda: any(m["kind"] == "end" for m in region.seen()), timeout=10000)
    finally:
        clock.shift_s = 0.0
        region.close()
