"""A slot taken by someone else meanwhile, at the kiosk: against a real hub through the fault
proxy, HttpBackend.settle (the one try Submit makes for a booking) says SlotFull and leaves
nothing queued (the citizen chooses again);
a booking queued offline that finds its slot full later is quarantined once, never retried."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import requests

from kiosk.backend import SlotFull, Submission
from kiosk.backend.http import HttpBackend
from kiosk.sync.outbox import QUARANTINED
from tests.sync.conftest import FAST


def kiosk(world, policy: str) -> HttpBackend:
    made = HttpBackend(world.proxy.url, world.hub.token, world.outbox, "demo-kiosk", policy,
                       timeout=(0.5, 2.0), probe_every=0.0, alive_every=0.0)
    made.sender.backoff = FAST
    return made


def last_place(world) -> tuple[dict, str]:
    """The answers of a booking for a slot with one place left (others booked the rest)."""
    params = {"hospital": "community", "department": "chronic",
              "day": (date.today() + timedelta(days=1)).isoformat()}
    slot = kiosk(world, "online").slots(params)[0]
    answers = {**params, "slot": slot.id}
    for _ in range(slot.free - 1):
        take_it_elsewhere(world, answers)
    return answers, slot.id


def booking(answers: dict) -> Submission:
    return Submission(service_id="doctor_appointment", idempotency_key=str(uuid.uuid4()),
                      answers=answers, citizen_id=None, language="en",
                      created=date.today().isoformat() + "T09:00:00+08:00")


def take_it_elsewhere(world, answers: dict) -> None:
    """Another kiosk books the last place first."""
    other, theirs = kiosk(world, "online"), booking(answers)
    assert other.submit(theirs).provisional  # taken in locally first, as every Submit is
    settled = other.settle(theirs.idempotency_key)
    assert settled is not None and not settled.provisional


def test_a_slot_taken_meanwhile_says_slot_full_and_queues_nothing(world):
    answers, slot_id = last_place(world)
    take_it_elsewhere(world, answers)
    mine = booking(answers)
    here = kiosk(world, "online")
    assert here.submit(mine).provisional
    with pytest.raises(SlotFull) as raised:
        here.settle(mine.idempotency_key)
    assert raised.value.key == "backend.slot_full"
    assert world.outbox.get(mine.idempotency_key) is None  # withdrawn: the citizen chooses again
    assert slot_id not in [s.id for s in here.slots({k: answers[k] for k in
                                                     ("hospital", "department", "day")})]
    assert world.proxy.keys().count(mine.idempotency_key) == 1  # refused once, never resent
    assert here.outbox.waiting_count() == 0 and here.outbox.quarantined_count() == 0


def test_a_queued_booking_that_finds_its_slot_full_is_quarantined_not_retried(world):
    answers, _ = last_place(world)
    kiosk(world, "online").public_key()
    offline = kiosk(world, "offline")
    mine = booking(answers)
    assert offline.submit(mine).provisional
    take_it_elsewhere(world, answers)
    sender = world.sender()
    sender.drain_once()
    item = world.outbox.get(mine.idempotency_key)
    assert item.state == QUARANTINED and "slot_full" in item.last_error
    sender.drain_once()
    assert world.proxy.keys().count(mine.idempotency_key) == 1
    answer = requests.get(f"{world.hub.url}/v1/applications/{item.provisional_reference}",
                          headers={"Authorization": f"Bearer {world.hub.token}"}, timeout=5)
    assert answer.status_code == 404  # nothing was filed for it
