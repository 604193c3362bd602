"""The field test: a kiosk configured for the real hub at the far end of a slow link (2 s each
way through the fault proxy), and of a hub that accepts and never answers. A 10 ms timer
watches the GUI event loop: while the kiosk waits on the hub it never goes 100 ms without a
turn, and every wait ends in a plain message (the answer, or the timeout and its choices)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk import formatting
from kiosk.backend.http import KEY_META
from kiosk.i18n import tr
from kiosk.journey import Stage
from tests.conftest import ELDEST
from tests.e2e.field import Gaps, MeasuredWalker, close_field_kiosk, field_kiosk, hub_process
from tests.sync.proxy import FaultProxy
from ui import ops
from ui.walker import DEMO_ANSWERS, Walker, settle

LATENCY_S = 2.0
WAIT_BUDGET_S = 0.1  # the longest the loop may go without a turn while the hub is asked
# A tap's own work, two bounds. Wall time: far below one round trip, so no call can hide in it
# (a blocked call uses no CPU, so only the wall clock sees it). The GUI thread's CPU time in
# its longest gap: the drawing itself, which a loaded machine hardly changes, where wall time
# triples (load 6-9 on this shared 2-core VM: a 75 ms tap took 0.2-0.4 s). Measured 2026-12-05
# 02:46 UTC at load 2.7: worst 53 ms CPU (choosing the doctor's appointment: its calendar
# built for later while "before you start" is read, ui.fields.kept), the slowest question
# 29 ms; before the kept parts, 81-83 ms (the first question with a keyboard). Contention on a
# loaded 2-core runner adds some 10-30% to CPU time: 100 ms, the goal, keeps 1.5x over that.
TAP_BUDGET_S = 1.0
TAP_CPU_BUDGET_S = 0.10
CITIZEN_CALLS = ("/v1/identity", "/v1/demo", "/v1/options", "/v1/slots", "/v1/lookups")
OFFICIAL = re.compile(r"[A-Z]{2}\d{8}")


@pytest.fixture(scope="module")
def real_hub():
    with hub_process() as running:
        yield running


@pytest.fixture
def link(real_hub):
    proxy = FaultProxy(real_hub.url)
    yield proxy
    proxy.close()


@pytest.fixture
def field(link, real_hub, tmp_path, qtbot):
    """(kiosk, walker, gaps): the kiosk has found the hub once (and kept its key) first."""
    kiosk = field_kiosk(link.url, real_hub.token, tmp_path, timeout=(3.05, 6.0))
    outbox = kiosk.session.backend.outbox
    qtbot.waitUntil(lambda: outbox.meta(KEY_META) is not None, timeout=15000)  # the first poll
    gaps = Gaps(kiosk.window)
    yield kiosk, Walker(kiosk), gaps
    gaps.stop()
    link.heal()
    close_field_kiosk(kiosk)


def visible_text(kiosk, name: str) -> str:
    found = [w for w in kiosk.window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{name} is not on screen"
    return found[0].text()


def smooth(step, waited: bool = True) -> None:
    """`waited`: the step must have waited on the hub (the measurement saw the wait)."""
    __tracebackhide__ = True
    assert step.worst_waiting <= WAIT_BUDGET_S, f"the GUI stalled {step.worst_waiting:.3f} s"
    assert step.worst <= TAP_BUDGET_S, f"a tap held the GUI {step.worst:.3f} s"
    assert step.worst_cpu <= TAP_CPU_BUDGET_S, f"a tap's drawing took {step.worst_cpu:.3f} s"
    assert step.waited or not waited


def test_every_wait_on_a_slow_link_keeps_the_screen_alive(field, link, qtbot):
    kiosk, walker, gaps = field
    link.delay = LATENCY_S
    walker.begin("zh_CN")
    walker.open_service("insurance_balance")
    walker.type(ELDEST)
    with gaps.step() as step:  # ID number -> Next: the code is sent
        walker.tap("next")
    smooth(step)
    assert kiosk.current() is kiosk.code and kiosk.code.demo_code
    before = len(link.seen)
    for size in ("largest", "normal"):  # the code screen once asked the hub on every redraw
        walker.tap(f"size-{size}")
    assert [s.path for s in link.seen[before:] if s.path.startswith(CITIZEN_CALLS)] == []
    walker.type(kiosk.code.demo_code)
    with gaps.step() as step:  # the code -> Next: the record comes back
        walker.tap("next")
    smooth(step)
    assert kiosk.current() is kiosk.who and kiosk.session.citizen.id_number == ELDEST
    before = len(link.seen)
    for size in ("largest", "normal"):  # redraws ask the hub nothing
        walker.tap(f"size-{size}")
    assert [s.path for s in link.seen[before:] if s.path.startswith(CITIZEN_CALLS)] == []
    with gaps.step() as step:  # Yes, me -> the balance (a lookup)
        walker.tap("next")
    smooth(step)
    assert visible_text(kiosk, "shown-balance")
    walker.finish()

    walker.begin("en")
    with gaps.step() as step:  # report a problem: its categories are fixed, nothing to fetch
        walker.complete("report_problem")
    assert step.worst <= TAP_BUDGET_S and step.worst_cpu <= TAP_CPU_BUDGET_S
    assert kiosk.current() is kiosk.confirmation
    reference = kiosk.session.journey.result.reference
    assert reference.startswith("P-"), "Submit is local: a reference at once"
    with gaps.step(quiet_too=True, tap=False) as step:  # the hub answers in a few seconds: official
        qtbot.waitUntil(lambda: not ops.busy(quiet_too=True), timeout=10000)
    smooth(step)
    official = kiosk.session.journey.result.reference
    assert OFFICIAL.fullmatch(official)
    assert visible_text(kiosk, "reference").replace(" ", "") == official
    assert kiosk.session.backend.outbox.official_reference(reference) == official


def test_a_hub_that_never_answers_ends_each_wait_in_plain_words(field, link, monkeypatch):
    kiosk, walker, gaps = field
    monkeypatch.setattr(ops, "WAIT_S", 3.0)
    link.fail("stall")
    walker.begin("zh_CN")
    walker.open_service("insurance_balance")
    walker.type(ELDEST)
    with gaps.step() as step:
        next_button = walker.visible("next")
        QTest.mouseClick(next_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(next_button, Qt.MouseButton.LeftButton)  # again: swallowed
        settle()  # until the kiosk gives up waiting
    smooth(step)
    assert kiosk.current() is kiosk.id_number
    assert visible_text(kiosk, "op-words") == tr("zh_CN", "ops.timeout", seconds=3)
    assert visible_text(kiosk, "op-retry") == tr("zh_CN", "ops.retry")
    assert visible_text(kiosk, "op-help") == tr("zh_CN", "ops.ask_helper")
    assert sum(s.path == "/v1/identity/code" for s in link.seen) == 1

    walker.tap("op-help")  # the other way on: a helper is called, the help shown meanwhile
    assert kiosk.current() is kiosk.help
    walker.tap("back")
    assert kiosk.current() is kiosk.id_number
    assert not kiosk.id_number.findChild(QWidget, "op-notice").isVisible()  # nothing stale
    with gaps.step() as step:  # Next again, the hub still silent: the same plain words
        walker.tap("next")
    smooth(step)
    assert visible_text(kiosk, "op-words") == tr("zh_CN", "ops.timeout", seconds=3)

    link.heal()  # the link comes back: "try again" goes on from where the citizen was
    with gaps.step() as step:
        walker.tap("op-retry")
    smooth(step, waited=False)  # a healthy link may answer between two ticks
    assert kiosk.current() is kiosk.code
    kiosk.end_session()  # the citizen walks away; the next one comes

    link.fail("stall")
    walker.begin("zh_CN")
    with gaps.step() as step:  # Submit with the hub silent: the reference at once
        stage = walker.complete("report_problem")
    assert step.worst <= TAP_BUDGET_S and step.worst_cpu <= TAP_CPU_BUDGET_S
    assert stage.name == "DONE" and kiosk.current() is kiosk.confirmation
    reference = kiosk.session.journey.result.reference
    assert reference.startswith("P-")
    assert visible_text(kiosk, "reference") == formatting.reference(reference)
    assert kiosk.session.backend.outbox.waiting_count() == 1  # queued, not lost


def test_every_service_on_a_slow_link(field, link):
    """Each service from the menu to its end, identity by ID number and code, every tap
    measured: no wait on the hub stalls the loop, no tap hides a round trip."""
    kiosk, _walker, gaps = field
    link.delay = LATENCY_S
    walker = MeasuredWalker(kiosk, gaps)
    done = []
    for service in kiosk.catalogue.services:
        walker.begin("zh_CN")
        code = ELDEST if service.needs_identity else None
        stage = walker.complete(service.id, code=code)
        assert kiosk.question.error.message() == ""
        done.append((service.id, stage.name))
        walker.finish()
    assert {stage for _, stage in done} <= {"DONE", "INELIGIBLE"}, done
    stalls = [t for t in walker.taps
              if t[2] > WAIT_BUDGET_S or t[1] > TAP_BUDGET_S or t[3] > TAP_CPU_BUDGET_S]
    assert stalls == [], stalls
    asked = {s.path.split("?")[0].rsplit("/", 1)[0] for s in link.seen}
    assert {"/v1/identity", "/v1/options", "/v1/lookups"} <= asked  # the hub was really asked


def _walk_until_stuck(walker: Walker, kiosk, service) -> str:
    """From the menu as far as a citizen gets with the hub silent: 'done' (Submit is local)
    or 'stuck' (a wait that ended in the timeout words and the two ways on)."""
    walker.open_service(service.id)
    if service.needs_identity:  # no card reader on this kiosk: the ID number at once
        walker.type(ELDEST)
        walker.tap("next")
    else:
        answers = DEMO_ANSWERS.get(service.id, {})
        journey = kiosk.session.journey
        while journey.stage is Stage.STEP and not _stuck(kiosk):
            walker.answer_current(answers)
        if journey.stage is Stage.REVIEW:
            walker.tap("next")
    if _stuck(kiosk):
        return "stuck"
    assert kiosk.current() is kiosk.confirmation, type(kiosk.current()).__name__
    return "done"


def _stuck(kiosk) -> bool:
    notices = [w for w in kiosk.current().findChildren(QWidget, "op-retry") if w.isVisible()]
    return bool(notices)


def test_every_service_with_a_hub_that_never_answers(field, link, monkeypatch):
    """Every service, the hub accepting and never answering: each wait keeps the screen alive
    and ends in plain words with a choice, or the form is kept with a reference at once."""
    kiosk, _walker, gaps = field
    monkeypatch.setattr(ops, "WAIT_S", 1.0)
    link.fail("stall")
    walker = MeasuredWalker(kiosk, gaps)
    ended = {}
    for service in kiosk.catalogue.services:
        walker.begin("zh_CN")
        ended[service.id] = _walk_until_stuck(walker, kiosk, service)
        if ended[service.id] == "stuck":
            assert visible_text(kiosk, "op-words") == tr("zh_CN", "ops.timeout", seconds=1)
            assert visible_text(kiosk, "op-help") == tr("zh_CN", "ops.ask_helper")
        else:
            assert kiosk.session.journey.result.reference.startswith("P-")
        kiosk.end_session()
    assert set(ended.values()) == {"stuck", "done"}, ended
    assert ended["report_problem"] == "done"  # nothing to ask the hub on the way
    waits = [t for t in walker.taps if t[2] > WAIT_BUDGET_S]
    assert waits == [], waits
    assert kiosk.session.backend.outbox.waiting_count() == 1  # the kept form, not lost
