"""HttpBackend: the Backend protocol against the real hub, and submit() through the outbox."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal

import pytest
import requests
from sqlalchemy import text

from kiosk.backend import BackendError, NotFound, Submission, Unavailable, WrongCode
from kiosk.backend.demo_data import CITIZENS
from kiosk.backend.http import KEY_META, HttpBackend, aware_time
from kiosk.sync.outbox import ACKNOWLEDGED, QUARANTINED, WAITING
from kiosk.sync.sealing import seal
from tests.sync.conftest import FAST

OFFICIAL = re.compile(r"[A-Z]{2}\d{8}")
PROVISIONAL = re.compile(r"P-[2-9A-HJ-NP-Z]{10}")


def backend(world, policy="automatic", **options) -> HttpBackend:
    options = {"probe_every": 0.0, "alive_every": 0.0, **options}
    made = HttpBackend(world.proxy.url, world.hub.token, world.outbox, "demo-kiosk", policy,
                       timeout=(0.5, 1.0), probe_timeout=(0.5, 1.0),
                       **options)
    made.sender.backoff = FAST
    return made


def submission(world, service="report_problem", **changes) -> tuple[Submission, dict]:
    plain = world.plaintext(service)
    made = Submission(service_id=service, idempotency_key=str(uuid.uuid4()),
                      answers=plain["answers"], citizen_id=plain["citizen_id"],
                      language="zh_CN", created=plain["created"])
    made = Submission(**{**asdict(made), **changes})
    expected = {**asdict(made), "kiosk_id": "demo-kiosk", "created": aware_time(made.created)}
    del expected["idempotency_key"]
    return made, expected


def test_submit_is_local_and_settle_files_it_for_the_official_reference(world):
    kiosk = backend(world, "online")
    sent, expected = submission(world)
    taken = kiosk.submit(sent)
    assert taken.provisional and PROVISIONAL.fullmatch(taken.reference)
    assert world.proxy.count() == 0  # sealed and queued on the kiosk: no round trip to wait for
    result = kiosk.settle(sent.idempotency_key)
    assert not result.provisional and OFFICIAL.fullmatch(result.reference)
    assert world.outbox.get(sent.idempotency_key).reference == result.reference
    assert kiosk.outbox.meta(KEY_META) == world.hub.public_key_pem  # fetched once, kept
    assert kiosk.submit(sent).reference == result.reference  # Submit pressed again: same filing
    assert world.proxy.count() == 1
    world.remember(sent.idempotency_key, expected)
    world.verify()


def test_answers_that_are_not_plain_json_are_sealed_exactly(world):
    kiosk = backend(world, "online")
    sent, expected = submission(world, answers={"amount": Decimal("36.40"),
                                                "due": date(2026, 12, 15), "agree": True})
    kiosk.submit(sent)
    assert not kiosk.settle(sent.idempotency_key).provisional
    expected["answers"] = {"amount": "36.40", "due": "2026-12-15", "agree": True}
    world.remember(sent.idempotency_key, expected)
    world.verify()


def test_offline_gives_a_provisional_reference_then_the_sender_files_it(world):
    backend(world, "online").public_key()  # the key was fetched while online, earlier
    kiosk = backend(world, "offline")
    sent, expected = submission(world)
    result = kiosk.submit(sent)
    assert result.provisional and PROVISIONAL.fullmatch(result.reference)
    assert world.proxy.count() == 0 and kiosk.status() == (False, 1)
    world.remember(sent.idempotency_key, expected)
    world.drain(kiosk.sender)
    official = world.outbox.official_reference(result.reference)
    assert OFFICIAL.fullmatch(official)
    assert kiosk.submit(sent).reference == official  # asked again after the upload: official
    online = backend(world, "online")
    typed = result.reference.replace("-", "").lower()  # as keyed in from the receipt
    assert online.lookup("application_status", {"reference": typed}, None)["status"]
    world.verify()


@pytest.mark.parametrize("fault", ["refuse", "stall", "drop_response", "503", "500"])
def test_no_official_reference_without_an_acknowledgement(world, fault):
    kiosk = backend(world, "online")
    kiosk.public_key()
    sent, expected = submission(world)
    world.proxy.fail(fault)
    result = kiosk.submit(sent)
    assert result.provisional and PROVISIONAL.fullmatch(result.reference)
    assert kiosk.settle(sent.idempotency_key) is None
    assert world.outbox.get(sent.idempotency_key).state != ACKNOWLEDGED
    world.remember(sent.idempotency_key, expected)
    world.proxy.heal()
    world.drain(kiosk.sender)
    assert world.outbox.official_reference(result.reference)
    world.verify()


def test_automatic_policy_follows_the_link(world):
    kiosk = backend(world)
    assert kiosk.is_online() and kiosk.outbox.meta(KEY_META)  # the probe also fetched the key
    world.proxy.fail("refuse")
    assert kiosk.status() == (False, 0)
    sent, expected = submission(world)
    result = kiosk.submit(sent)
    assert result.provisional and kiosk.status() == (False, 1)
    with pytest.raises(Unavailable):
        kiosk.lookup("bill", {"utility": "water", "account": "10012345"}, None)
    world.proxy.heal()
    assert kiosk.status() == (True, 1)
    world.remember(sent.idempotency_key, expected)
    world.drain(kiosk.sender)
    assert kiosk.status() == (True, 0)
    world.verify()


def test_the_probe_is_the_heartbeat_rare_while_online(world):
    """A fleet's liveness traffic: one heartbeat per kiosk every `alive_every` seconds while
    online (the UI's own heartbeat reuses it); offline, a probe every `probe_every`."""
    kiosk = backend(world, alive_every=60.0, probe_every=0.0)
    assert kiosk.is_online() and kiosk.is_online() and kiosk.status() == (True, 0)
    assert kiosk.heartbeat()["server_time"]
    assert world.proxy.count("/v1/heartbeat") == 1
    assert world.proxy.count("/v1/catalogue", "GET") == 0
    with world._engine.connect() as db:
        seen = db.execute(text("SELECT last_seen, queue_waiting FROM kiosks "
                               "WHERE kiosk_id = 'demo-kiosk'")).one()
    assert seen[0] is not None and seen[1] == 0
    world.proxy.fail("refuse")
    with pytest.raises(Unavailable):
        kiosk.options("hospitals", {})
    assert kiosk.status() == (True, 0)  # a failed call is not the poll's verdict: still online
    kiosk._online = (True, -float("inf"))  # the next poll is due
    assert kiosk.status() == (False, 0)
    world.proxy.heal()
    assert kiosk.status() == (True, 0)  # offline, it probes again at once (probe_every=0)
    assert world.proxy.count("/v1/heartbeat") >= 2


def test_a_refusal_of_the_form_at_settle_quarantines_and_submit_again_raises(world):
    kiosk = backend(world, "online")
    sent, _ = submission(world)
    other = world.plaintext()  # the hub already holds this key with another body
    body = json.dumps(seal(world.public_key, other, "report_problem", other["created"], None))
    assert requests.post(f"{world.hub.url}/v1/submissions", data=body.encode(), timeout=10,
                         headers={"Idempotency-Key": sent.idempotency_key,
                                  "Authorization": f"Bearer {world.hub.token}"}
                         ).status_code == 201
    assert kiosk.submit(sent).provisional  # taken in at once, on the kiosk
    assert kiosk.settle(sent.idempotency_key) is None  # idempotency_key_reused: set aside
    assert world.outbox.get(sent.idempotency_key).state == QUARANTINED
    with pytest.raises(BackendError) as raised:  # Submit again: still refused, not resent
        kiosk.submit(sent)
    assert type(raised.value) is BackendError
    item = world.outbox.get(sent.idempotency_key)
    assert item.state == QUARANTINED and "idempotency_key_reused" in item.last_error
    with pytest.raises(BackendError):
        kiosk.submit(sent)  # pressed again: still refused, not resent
    assert world.proxy.count() == 1


def test_a_service_the_hub_does_not_know_yet_gives_a_provisional_reference(world):
    """unknown_service: the hub's catalogue is broken or behind, the form is fine; it waits."""
    kiosk = backend(world, "online")
    sent, _ = submission(world, service_id="no_such_service")
    result = kiosk.submit(sent)
    assert result.provisional and PROVISIONAL.fullmatch(result.reference)
    assert kiosk.settle(sent.idempotency_key) is None
    item = world.outbox.get(sent.idempotency_key)
    assert item.state == WAITING and "unknown_service" in item.last_error
    assert world.hub_rows() == []


def test_offline_without_the_hub_key_refuses_before_queueing(world):
    kiosk = backend(world, "offline")
    sent, _ = submission(world)
    with pytest.raises(Unavailable):
        kiosk.submit(sent)
    assert world.outbox.get(sent.idempotency_key) is None


def test_identity_lists_and_lookups(world):
    kiosk = backend(world)
    id_number, name, birth, address, phone = CITIZENS[0]
    citizen = kiosk.citizen_by_card(id_number)
    assert (citizen.name, citizen.birth_date, citizen.address, citizen.phone) == (
        name, birth, address, phone)
    with pytest.raises(NotFound):
        kiosk.citizen_by_card("110105194103150000")
    assert kiosk.send_code(id_number) == phone[-4:]
    code = kiosk._call("GET", "/v1/demo/last-code")["code"]
    with pytest.raises(WrongCode):
        kiosk.verify_code(id_number, "000000" if code != "000000" else "111111")
    assert kiosk.verify_code(id_number, code).id_number == id_number
    hospitals = kiosk.options("hospitals", {})
    assert "chaoyang" in [o.value for o in hospitals] and hospitals[0].label.get("en")
    departments = kiosk.options("departments", {"hospital": "chaoyang"})
    day = date.today().replace(day=1) if date.today().day > 27 else date.today()
    slots = kiosk.slots({"hospital": "chaoyang", "department": departments[0].value,
                         "day": day})
    assert all(isinstance(s.start, datetime) and s.free > 0 for s in slots)
    bill = kiosk.lookup("bill", {"utility": "water", "account": "10012345"}, None)
    assert bill["amount"] == "36.40"
    assert kiosk.lookup("insurance", {}, citizen)["balance"]
    with pytest.raises(NotFound):
        kiosk.lookup("bill", {"utility": "water", "account": "999"}, None)
    assert kiosk.heartbeat("test")["server_time"]
    world.assert_no_personal_data()


def test_offline_policy_never_touches_the_network(world):
    kiosk = backend(world, "offline")
    for call in (lambda: kiosk.citizen_by_card(CITIZENS[0][0]),
                 lambda: kiosk.options("hospitals", {}),
                 lambda: kiosk.lookup("application_status", {"reference": "GL40172953"}, None)):
        with pytest.raises(Unavailable):
            call()
    assert world.proxy.seen == []


def test_a_slow_link_is_slow_not_offline(world):
    """A 2.2 s round trip (longer than the old 2 s probe): online, and each call is one request
    (no online check inside a call)."""
    kiosk = HttpBackend(world.proxy.url, world.hub.token, world.outbox, "demo-kiosk")
    world.proxy.delay = 2.2
    assert kiosk.status() == (True, 0)
    before = len(world.proxy.seen)
    assert kiosk.options("hospitals", {})
    assert [seen.path.split("?")[0] for seen in world.proxy.seen[before:]] == [
        "/v1/options/hospitals"]


def test_an_unreachable_hub_is_unavailable(world):
    kiosk = backend(world)
    world.proxy.fail("stall")
    with pytest.raises(Unavailable):
        kiosk.options("hospitals", {})
    assert kiosk.status() == (False, 0)  # what the poll finds, not what a call decided
    world.proxy.heal()


def test_the_kiosk_time_goes_with_its_offset(world):
    """The journey writes naive local time; the hub reads naive times as UTC."""
    kiosk = backend(world, "online")
    naive = datetime(2026, 11, 23, 9, 30).isoformat()
    sent, expected = submission(world, created=naive)
    assert expected["created"] == datetime(2026, 11, 23, 9, 30).astimezone().isoformat()
    kiosk.submit(sent)
    kiosk.settle(sent.idempotency_key)
    world.remember(sent.idempotency_key, expected)
    world.verify()
    assert aware_time("2026-11-23T09:30:00+08:00") == "2026-11-23T09:30:00+08:00"
    assert aware_time("not a time") == "not a time"
