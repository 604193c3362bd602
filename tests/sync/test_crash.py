"""The kiosk process killed with SIGKILL at the worst moments, then started again: everything
ends acknowledged exactly once (World.verify)."""

from __future__ import annotations

import json
import os
import signal
import uuid
from dataclasses import asdict
from datetime import datetime

from kiosk.backend.base import Submission
from kiosk.backend.demo_data import CITIZENS
from kiosk.backend.http import aware_time
from kiosk.sync.outbox import ACKNOWLEDGED, ATTEMPTING


def kill_when_paused(child) -> None:
    assert child.stdout.readline().strip() == "paused"
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(10) == -signal.SIGKILL


def restart(world) -> None:
    """A new kiosk process on the same outbox drains what is left."""
    again = world.child("drain")
    out, _ = again.communicate(timeout=60)
    assert again.returncode == 0 and out.startswith("acked")


def test_killed_after_the_local_commit_before_sending(world):
    id_number, _name, _birth, address, phone = CITIZENS[1]
    submission = Submission(
        service_id="pension_check", idempotency_key=str(uuid.uuid4()),
        answers={"address": address, "phone": phone, "lives_at_home": True,
                 "declaration": True},
        citizen_id=id_number, language="en",
        created=datetime.now().isoformat(timespec="seconds"))
    child = world.child("submit")
    child.stdin.write(json.dumps(asdict(submission)) + "\n")
    child.stdin.flush()
    kill_when_paused(child)
    assert world.proxy.count() == 0  # nothing left the kiosk
    assert world.outbox.get(submission.idempotency_key).state == ATTEMPTING
    plaintext = {**asdict(submission), "kiosk_id": "demo-kiosk",
                 "created": aware_time(submission.created)}
    del plaintext["idempotency_key"]
    world.remember(submission.idempotency_key, plaintext)
    restart(world)
    world.verify()


def test_killed_after_sending_before_hearing(world):
    keys = world.queue(3)
    kill_when_paused(world.child("after_send"))
    assert len(world.hub_rows()) == 1  # the hub filed the first; the kiosk never recorded it
    assert world.outbox.waiting_count() == 3
    restart(world)
    assert world.proxy.keys().count(keys[0]) == 2
    world.verify()


def test_killed_while_recording_the_acknowledgement(world):
    keys = world.queue(3)
    kill_when_paused(world.child("in_ack"))
    assert world.outbox.get(keys[0]).state == ATTEMPTING  # the half-written ack rolled back
    restart(world)
    assert all(world.outbox.get(key).state == ACKNOWLEDGED for key in keys)
    count = world.outbox._db.execute("SELECT COUNT(*) FROM acknowledged").fetchone()[0]
    assert count == 3
    world.verify()
