"""The visit drives the journey: one call per citizen action returns what happened, and the
visit announces it (kiosk.events) for the usage figures and the assistance record, with no Qt
and no screen involved."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.backend.demo import DemoBackend
from kiosk.backend.demo_data import CITIZENS
from kiosk.catalogue import load_catalogue
from kiosk.events import Emitter
from kiosk.journey import Stage
from kiosk.session import Move, Session
from kiosk.settings import Settings
from kiosk.usage import UsageLog
from kiosk.usage_recorder import UsageRecorder
from kiosk.usage_stats import summarise

DAY = date(2026, 11, 23)
ELDEST = CITIZENS[0][0]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def heard():
    return []


@pytest.fixture
def session(heard):
    visit = Session(Settings(), DemoBackend(today=DAY), today=DAY)
    events = visit.events
    for name in ("visit_started", "task_started", "step_reached", "answered", "task_ended",
                 "visit_ended"):
        getattr(events, name).connect(lambda *args, name=name: heard.append((name, *args)))
    return visit


def test_each_action_says_where_it_led_and_is_announced_once(session, heard, catalogue):
    session.begin()
    outcome = session.choose(catalogue.get("report_problem"))
    assert (outcome.move, outcome.stage, outcome.step.id) == (Move.JOURNEY, Stage.STEP,
                                                              "category")
    refused = session.answer("not a choice")
    assert refused.move is Move.REFUSED and refused.step.id == "category"
    assert refused.problem is not None and refused.problem.text("en")
    moved = session.answer("street_light")
    assert moved.move is Move.JOURNEY and moved.step.id == "place"
    assert session.back().step.id == "category"
    assert session.announce().step.id == "category"  # the same screen again: nothing new
    left = session.back()
    assert left.move is Move.LEFT and session.journey is None
    session.end()
    assert heard == [
        ("visit_started",),
        ("task_started", "report_problem"),
        ("step_reached", "report_problem", "category"),
        ("answered", "report_problem", "category"),
        ("step_reached", "report_problem", "place"),
        ("step_reached", "report_problem", "category"),
        ("task_ended", "report_problem", "gave_up"),
        ("visit_ended",),
    ]


def test_identity_is_a_step_of_the_task_and_a_refusal_ends_it(session, heard, catalogue):
    session.begin()
    allowance = catalogue.get("senior_allowance")
    assert session.choose(allowance).move is Move.IDENTIFY
    session.identify_by_card(ELDEST)
    outcome = session.choose(allowance)
    assert outcome.move is Move.JOURNEY
    assert heard[1:4] == [("task_started", "senior_allowance"),
                          ("step_reached", "senior_allowance", "identity"),
                          ("step_reached", "senior_allowance", outcome.step.id)]
    assert [h for h in heard if h[0] == "task_started"] == [("task_started",
                                                              "senior_allowance")]


def test_a_failing_subscriber_stops_neither_the_action_nor_the_others():
    emitter, got = Emitter("answered"), []

    def broken(*_args):
        raise RuntimeError("a damaged figures file")

    emitter.connect(broken)
    emitter.connect(lambda *args: got.append(args))
    emitter.emit("report_problem", "category")
    assert got == [("report_problem", "category")]


def test_usage_figures_come_from_the_events_alone(session, catalogue, tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3")
    recorder = UsageRecorder(log, session.events)
    session.begin()
    session.choose(catalogue.get("report_problem"))
    session.answer("street_light")
    session.leave_service()  # to the menu
    session.end()
    recorder.detach()
    session.begin()  # no longer counted
    session.end()
    summary = summarise(log.records())
    log.close()
    assert summary.sessions == 1
    figures = summary.per_service["report_problem"]
    assert (figures.started, figures.gave_up) == (1, 1)
    assert figures.give_up_steps == {"place": 1}
