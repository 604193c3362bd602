"""A time taken by someone else while the citizen was checking their answers: over HTTP to the
real hub, Submit goes back to the time step, says so in plain words, offers only free times,
and the new choice is filed once."""

import uuid

import pytest

from kiosk.backend import Submission
from kiosk.i18n import tr
from kiosk.journey import Stage
from tests.conftest import ELDEST
from ui.walker import Walker


def take_every_place(backend, answers: dict) -> None:
    """Other kiosks book the rest of this slot meanwhile."""
    params = {k: answers[k] for k in ("hospital", "department", "day")}
    free = {s.id: s.free for s in backend.slots(params)}[answers["slot"]]
    for _ in range(free):
        other = Submission(service_id="doctor_appointment", idempotency_key=str(uuid.uuid4()),
                           answers={**params, "slot": answers["slot"]}, citizen_id=None,
                           language="en", created="2026-11-23T09:00:00+08:00")
        assert backend.submit(other).provisional  # taken in locally, as every Submit is
        settled = backend.settle(other.idempotency_key)
        assert settled is not None and not settled.provisional


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_slot_taken_meanwhile_goes_back_to_the_times(embedded, lang, tmp_path):
    kiosk, hub = embedded
    walker = Walker(kiosk)
    walker.begin(lang)
    kiosk.set_text_size("largest")
    walker.complete("doctor_appointment", card=ELDEST,
                    answers={"hospital": "chaoyang", "department": "eye"}, submit=False)
    journey = kiosk.session.journey
    taken = journey.answers["slot"]
    take_every_place(hub.backend, journey.answers)
    walker.tap("next")  # Submit
    assert kiosk.current() is kiosk.question and journey.stage is Stage.STEP
    assert journey.current.type == "slot" and "slot" not in journey.answers
    assert kiosk.question.error.message() == tr(lang, "backend.slot_full")
    kiosk.window.grab().save(str(tmp_path / f"slot-full-{lang}.png"))
    offered = [value for value, _tile in kiosk.question.field.tiles]
    assert offered and taken not in offered
    walker.answer_current({})  # the next free time
    assert journey.stage is Stage.REVIEW
    walker.tap("next")
    assert journey.result is not None and not journey.result.provisional
    assert journey.answers["slot"] != taken
    assert hub.backend.outbox.quarantined_count() == 0 and hub.backend.outbox.waiting_count() == 0
