"""The sender against a real hub through the fault proxy. Every scenario ends with
World.verify(): the hub holds exactly what the kiosk accepted, each once, byte for byte; every
item is acknowledged or quarantined with a reason; the queue is empty; nothing personal in the
outbox file, its WAL, or the logs."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
import time
import uuid
from datetime import datetime, timedelta
from email.utils import formatdate

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.backend.demo_data import CITIZENS
from kiosk.catalogue import SERVICES_DIR
from kiosk.sync.outbox import ACKNOWLEDGED, ATTEMPTING, QUARANTINED, WAITING, Outbox
from kiosk.sync.sealing import load_public, seal
from kiosk.sync.sender import Outcome, Sender
from tests.log_audit import planted_leak
from tests.sync.conftest import World, longest, wait_for
from tests.sync.proxy import FaultProxy


def test_a_healthy_hub_files_everything_once(world):
    world.queue(5)
    assert world.sender().drain_once() == 5
    assert world.proxy.count() == 5
    world.verify()


@pytest.mark.parametrize("fault", ["refuse", "drop_request", "stall"])
def test_nothing_reaches_the_hub_then_the_fault_heals(world, fault):
    """Connection refused, connection dropped before the request is forwarded, and a timeout
    before anything was sent: the item waits, with a reason and no payload, and files once."""
    [key] = world.queue(1)
    world.proxy.fail(fault)
    sender = world.sender(timeout=(0.5, 0.5))
    assert sender.drain_once() == 0
    item = world.outbox.get(key)
    assert (item.state, item.attempts) == (WAITING, 1)
    assert item.last_error in {"connection refused", "connection failed", "ReadTimeout"}
    assert world.hub_rows() == []
    world.proxy.heal()
    world.drain(sender)
    world.verify()


def test_a_lost_response_is_resent_and_replayed_not_filed_twice(world):
    [key] = world.queue(1)
    world.proxy.fail("drop_response", times=1)
    sender = world.sender()
    assert sender.drain_once() == 0
    assert world.outbox.get(key).state == WAITING  # the kiosk never heard
    assert len(world.hub_rows()) == 1  # but the hub filed it
    world.drain(sender)
    assert world.proxy.keys() == [key, key]  # sent twice, same key, same bytes
    world.verify()


def test_a_server_error_is_retried(world):
    world.queue(2)
    world.proxy.fail("500", times=1)
    sender = world.sender()
    assert sender.drain_once() == 0
    assert world.proxy.count() == 1  # the pass stopped at the first failure
    world.drain(sender)
    world.verify()


@pytest.mark.parametrize("status, retry_after", [("503", "30"), ("429", "http-date")])
def test_retry_after_is_honoured(world, status, retry_after):
    now = time.time()
    header = formatdate(now + 30, usegmt=True) if retry_after == "http-date" else retry_after
    [key, _other] = world.queue(2)
    world.proxy.fail(status, times=1, retry_after=header)
    sender = world.sender(backoff=longest(base=1.0, cap=5.0))
    assert sender.drain_once(now=now) == 0
    assert world.outbox.get(key).due >= now + 29
    assert sender.drain_once(now=now + 25) == 0  # not before the hub said
    assert world.proxy.count() == 1
    assert sender.send(_other, now=now + 25).outcome is Outcome.SKIPPED
    assert world.proxy.count() == 1  # the Submit button does not jump the hub's queue either
    assert sender.drain_once(now=now + 31) == 2
    world.verify()


def test_a_service_the_hub_does_not_know_waits_and_the_next_one_still_goes(world):
    """422 unknown_service is the hub's catalogue at fault (a broken service file), not the
    form: the item waits with the reason, and the forms behind it are filed in the same pass."""
    [unknown] = world.queue(1, service="no_such_service")
    [good] = world.queue(1)
    assert world.sender().drain_once() == 1
    item = world.outbox.get(unknown)
    assert item.state == WAITING and "HTTP 422 unknown_service" in item.last_error
    assert world.outbox.quarantined_count() == 0
    assert world.outbox.get(good).state == ACKNOWLEDGED


def queue_sealed_elsewhere(world) -> str:
    """A form sealed to a key this hub does not hold: it can never be filed as it is."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    mine, world.public_key = world.public_key, load_public(pem.decode())
    try:
        [key] = world.queue(1)
    finally:
        world.public_key = mine
    return key


def test_an_item_the_hub_refuses_is_quarantined_and_the_pass_goes_on(world):
    bad = queue_sealed_elsewhere(world)
    [good] = world.queue(1)
    assert world.sender().drain_once() == 1
    item = world.outbox.get(bad)
    assert item.state == QUARANTINED and "HTTP 422 unreadable_envelope" in item.last_error
    assert world.outbox.items()[0].key == bad and world.outbox.quarantined_count() == 1
    assert world.sender().drain_once(now=time.time() + 10**6) == 0
    assert world.proxy.keys() == [bad, good]  # quarantined: never resent by the sender
    world.verify(quarantined={bad})


@pytest.mark.parametrize("status", ["404", "405", "408", "413", "429", "500", "503"])
def test_a_burst_of_proxy_answers_quarantines_nothing(world, status):
    """A reverse proxy answering 404/405/408/413 (or the hub 429/5xx) for a while is about the
    link, not the forms: nothing is set aside, everything is filed once when it clears."""
    keys = world.queue(10)
    world.proxy.fail(status, retry_after=None)  # Retry-After itself: test_retry_after_...
    sender = world.sender()
    for moment in range(4):  # a few passes during the burst, every backoff over
        sender.drain_once(now=time.time() + 86400 * (moment + 1))
    assert world.outbox.quarantined_count() == 0 and world.hub_rows() == []
    assert world.outbox.waiting_count() == 10
    assert {world.outbox.get(key).last_error.split()[1] for key in keys
            if world.outbox.get(key).attempts} == {status}
    if status != "408":  # the link is at fault: one request per pass, not a burst of ten
        assert world.proxy.count() == 4
    world.proxy.heal()
    world.drain(sender)
    world.verify()


def test_a_404_then_413_burst_heals_and_files_everything_once(world):
    world.queue(10)
    sender = world.sender()
    for status in ("404", "413", "404"):
        world.proxy.fail(status)
        sender.drain_once(now=time.time() + 86400)
    assert world.outbox.quarantined_count() == 0
    world.proxy.heal()
    world.drain(sender)
    world.verify()


def test_the_admin_sends_a_quarantined_item_again_once_the_hub_is_fixed(world, tmp_path):
    """The hub lost its key file and made a new key: what the kiosk sealed to the old one is
    refused as unreadable. The operator restores the key; the admin sends the items again."""
    keys = world.queue(2)
    hub = world.hub
    hub.stop()
    key_file = hub.settings.key_path
    kept = tmp_path / "kept.pem"
    key_file.rename(kept)
    hub.start()  # a new key: the queued forms cannot be opened
    sender = world.sender()
    assert sender.drain_once() == 0
    assert [world.outbox.get(key).state for key in keys] == [QUARANTINED, QUARANTINED]
    assert sender.send_again(keys[0]).outcome is Outcome.QUARANTINED  # not fixed yet
    hub.stop()
    kept.replace(key_file)
    hub.start()
    assert sender.drain_once(now=time.time() + 10**6) == 0  # the sender never gives it back
    for key in keys:
        assert sender.send_again(key).outcome is Outcome.ACKED
    assert world.outbox.quarantined_count() == 0
    assert sender.send_again(keys[0]).outcome is Outcome.SKIPPED  # filed: nothing to send
    world.verify()


def test_the_same_key_with_another_body_is_quarantined_not_resent(world):
    [key] = world.queue(1)
    # the hub already holds this key with other bytes (a restored backup, a buggy client)
    other = world.plaintext()
    body = json.dumps(seal(world.public_key, other, "report_problem", other["created"], None))
    answer = requests.post(f"{world.hub.url}/v1/submissions", data=body.encode(), headers={
        "Idempotency-Key": key, "Authorization": f"Bearer {world.hub.token}"}, timeout=10)
    assert answer.status_code == 201
    sender = world.sender()
    assert sender.drain_once() == 0
    assert "idempotency_key_reused" in world.outbox.get(key).last_error
    sender.drain_once(now=time.time() + 10**6)
    assert world.proxy.keys() == [key]  # not resent
    [row] = world.hub_rows()
    assert row["provisional_reference"] is None  # the hub kept the other body, not ours
    world.verify(quarantined={key}, foreign=1)


def test_the_hub_restarted_mid_request(world):
    hub, proxy = world.hub, world.proxy
    [held, lost] = world.queue(2)
    sender = world.sender()
    proxy.fail("hold")
    drain = threading.Thread(target=sender.drain_once)
    drain.start()
    wait_for(lambda: proxy.held == 1, what="the request to be in flight")
    hub.stop()  # the hub goes down while the kiosk waits for its answer
    proxy.release()
    drain.join(10)
    assert world.outbox.get(held).state == WAITING
    hub.start()
    proxy.fail("drop_response", times=1)  # filed, then the hub restarts before we hear
    sender.drain_once(now=time.time() + 3600)
    assert world.outbox.waiting_count() == 2 and len(world.hub_rows()) == 1
    hub.stop()
    hub.start()
    world.drain(sender)
    assert world.proxy.keys().count(lost) >= 2
    world.verify()


def test_two_senders_in_two_processes_never_send_the_same_item_at_once(world):
    world.queue(60)
    world.proxy.delay = 0.01
    children = [world.child("race") for _ in range(2)]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    acked = []
    for child in children:
        out, _ = child.communicate(timeout=60)
        acked.append(int(out.split()[-1]))
    keys = world.proxy.keys()
    assert len(keys) == len(set(keys)) == 60, "each item sent once, by one sender"
    assert sum(acked) == 60 and min(acked) > 0, acked
    world.verify()


def test_the_wall_clock_jumping_forward_and_back(world):
    now = time.time()
    world.queue(5, now=now)
    world.proxy.fail("drop_request")
    sender = world.sender(backoff=longest(base=60.0, cap=600.0))
    # forward a month while the hub is down: one request, not a burst of five
    assert sender.drain_once(now=now + 30 * 86400) == 0
    assert world.proxy.count() == 1
    assert sender.drain_once(now=now + 30 * 86400 + 1) == 0  # the sender holds back
    assert world.proxy.count() == 1
    world.proxy.heal()
    # then back a week: the waits re-anchor to the new now instead of lasting a month
    back = now - 7 * 86400
    assert sender.drain_once(now=back) == 0
    assert len(world.outbox.next_due(now=back)) == 4  # never tried: due as they were
    assert world.outbox.items()[0].due == back + 60  # tried: its wait starts again from now
    assert sender.drain_once(now=back + 61) == 5
    world.verify()


def test_a_queue_weeks_old_drains(world):
    weeks_ago = datetime.now() - timedelta(weeks=5)
    for day in range(10):
        created = (weeks_ago + timedelta(days=day)).isoformat(timespec="seconds")
        world.queue(1, created=created, now=(weeks_ago + timedelta(days=day)).timestamp())
    assert world.sender().drain_once() == 10
    world.verify()


def test_the_background_sender_drains_when_poked(world):
    changes = []
    sender = world.sender(interval=3600, on_change=lambda: changes.append(1))
    sender.start()
    try:
        world.queue(3)
        sender.poke()
        wait_for(lambda: world.outbox.waiting_count() == 0, what="the thread to drain")
        wait_for(lambda: changes, what="the change reported")  # after the batch is settled
        world.proxy.fail("refuse")
        world.queue(1)
        sender.poke()
        wait_for(lambda: world.outbox.items() and world.outbox.items()[0].attempts >= 1,
                 what="a failed attempt")
        world.proxy.heal()  # no poke: the thread wakes when the (short) backoff is over
        wait_for(lambda: world.outbox.waiting_count() == 0, what="the retry")
    finally:
        sender.stop(5)
    world.verify()


def test_an_item_claimed_elsewhere_is_left_alone(world):
    [key] = world.queue(1)
    assert world.outbox.mark_attempting(key) is not None  # another thread is sending it
    other = Sender(Outbox(world.path), world.proxy.url, world.hub.token)
    assert other.drain_once() == 0 and world.proxy.count() == 0
    assert other.outbox.get(key).state == ATTEMPTING
    world.outbox.retry_later(key, 0, "test")
    world.drain(world.sender())
    other.outbox.close()
    world.verify()


def test_idempotency_keys_are_uuids(world):
    world.queue(1)
    world.sender().drain_once()
    uuid.UUID(world.proxy.keys()[0])
    world.verify()


def test_a_refused_token_holds_the_queue_instead_of_quarantining_it(world):
    keys = world.queue(3)
    sender = Sender(world.outbox, world.proxy.url, "not-the-token", backoff=world.sender().backoff)
    assert sender.drain_once() == 0
    assert world.proxy.count() == 1  # one refusal stops the pass
    assert world.outbox.quarantined_count() == 0
    assert world.outbox.get(keys[0]).last_error == "HTTP 401 unauthorized"
    world.drain()  # with the right token
    world.verify()


def test_the_personal_data_check_would_catch_a_leak(world, caplog):
    world.queue(1)
    world.drain()
    world.verify()
    leaked = world.answers[0]
    with pytest.raises(AssertionError, match="outbox file"):
        world.outbox.set_meta("oops", leaked)
        world.assert_no_personal_data()
    world.outbox.set_meta("oops", "-")
    world.outbox._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    world.outbox._db.execute("VACUUM")
    world.assert_no_personal_data()  # secure_delete and vacuum: the slip is gone from disk
    with planted_leak():  # not a leak for the run's own audit (tests/log_audit.py)
        logging.getLogger("kiosk").info("citizen %s", CITIZENS[2][1])
    with pytest.raises(AssertionError, match="logs"):
        world.assert_no_personal_data()


def test_a_kiosk_side_failure_hands_the_claim_back(world):
    """The hub filed it but the kiosk could not record that (a full disk, say): the item goes
    back to waiting at once, not stuck as attempting until the lease runs out."""
    [key] = world.queue(1)
    sender = world.sender()
    record_ack = world.outbox.record_ack

    def full_disk(*_args):
        raise sqlite3.OperationalError("database or disk is full")

    world.outbox.record_ack = full_disk
    with pytest.raises(sqlite3.OperationalError):
        sender.drain_once()
    item = world.outbox.get(key)
    assert (item.state, item.last_error) == (WAITING, "kiosk error")
    world.outbox.record_ack = record_ack
    world.drain(sender)
    world.verify()


def test_an_own_claim_past_its_lease_is_released(world):
    [key] = world.queue(1)
    world.outbox.lease_s = 0.05
    assert world.outbox.mark_attempting(key)
    wait_for(lambda: world.outbox.recover() == 1, what="the lease to run out")
    world.drain()
    world.verify()


def test_a_hub_restarted_with_a_broken_service_file_files_both_pension_forms_after_the_fix(
        tmp_path, caplog, private_key_file):
    """The hub comes back with pension_check.yaml broken and answers 422 unknown_service: the
    two pension forms wait (the report goes through), and are filed once each when it is fixed."""
    from hub.testing import running_hub

    services = tmp_path / "services"
    shutil.copytree(SERVICES_DIR, services)
    pension = services / "pension_check.yaml"
    good = pension.read_bytes()
    with running_hub(services_dir=services, private_key_path=private_key_file) as hub:
        proxy = FaultProxy(hub.url)
        world = World(hub, proxy, tmp_path, caplog)
        try:
            forms = world.queue(2, service="pension_check")
            [report] = world.queue(1)
            pension.write_text("id: pension_check\nsteps: [\n", encoding="utf-8")  # torn edit
            hub.stop()
            hub.start()
            sender = world.sender()
            for moment in range(3):
                sender.drain_once(now=time.time() + 86400 * (moment + 1))
            assert world.outbox.get(report).state == ACKNOWLEDGED
            for key in forms:
                item = world.outbox.get(key)
                assert item.state == WAITING and "unknown_service" in item.last_error
            pension.write_bytes(good)
            hub.stop()
            hub.start()
            world.drain(sender)
            world.verify()
        finally:
            world.outbox.close()
            world._engine.dispose()
            proxy.close()
