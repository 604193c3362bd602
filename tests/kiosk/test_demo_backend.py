"""The demo backend stands in for a hub in memory: a demo kiosk in a showroom runs for months,
so it remembers only the latest submissions, references and usage records, never all."""

import pytest

from kiosk.backend import demo_data
from kiosk.backend.base import NotFound, Submission
from kiosk.backend.demo import KEPT, DemoBackend


def submission(n: int) -> Submission:
    return Submission("report_problem", f"key-{n}", {"details": "the lift is broken"}, None,
                      "en", "2026-11-23T09:00:00")


def status(demo: DemoBackend, reference: str) -> str:
    return demo.lookup("application_status", {"reference": reference}, None)["status"]


def test_it_keeps_the_latest_submissions_and_references_only():
    demo = DemoBackend()
    references = [demo.submit(submission(n)).reference for n in range(KEPT + 50)]
    assert len(demo.submissions) == KEPT and len(demo.applications) == KEPT
    assert status(demo, references[-1]) == "received"  # the latest still answer
    assert demo.submit(submission(KEPT + 49)).reference == references[-1]  # a retry: the same
    with pytest.raises(NotFound):
        status(demo, references[0])  # the oldest forgotten
    shipped = next(iter(demo_data.APPLICATIONS))
    assert status(demo, shipped)  # the demo's own examples stay


def test_usage_records_are_kept_once_and_the_latest_only():
    demo = DemoBackend()
    records = [{"id": f"v{n}", "day": "2026-11-23", "tasks": []} for n in range(KEPT + 50)]
    assert demo.send_usage(records) == KEPT + 50
    assert demo.send_usage(records[-10:]) == 10  # sent again: taken, not doubled
    assert list(demo.usage) == [r["id"] for r in records[-KEPT:]]
