"""A kiosk runs for months: visit after visit, nothing of a finished visit may stay behind.
Walked by tapping on a demo kiosk (the background work of each visit included: Submit, the
usage records sent after it), the journeys of finished visits are freed and the kiosk's
widgets and QObjects do not grow."""

import gc
import weakref

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from ui import tasks
from ui.walker import Walker, settle

VISITS = 5


def live_parts(kiosk) -> tuple[int, int]:
    settle()
    gc.collect()
    return len(QApplication.allWidgets()), len(kiosk.window.findChildren(QObject))


def test_visit_after_visit_nothing_of_a_finished_visit_stays(kiosk):
    walker = Walker(kiosk)
    journeys, parts = [], []
    for visit in range(VISITS):
        walker.begin(("en", "zh_CN")[visit % 2])
        walker.complete("report_problem")
        journeys.append(weakref.ref(kiosk.session.journey))
        walker.finish(score=5)
        assert kiosk.current() is kiosk.attract
        tasks.wait_for_background()  # the usage records' send, after the visit
        parts.append(live_parts(kiosk))
    assert tasks.pending() == 0
    assert [ref for ref in journeys if ref() is not None] == []  # every visit's journey freed
    # after the same service in the same language: the same widgets and QObjects
    assert parts[-1] == parts[-3], parts
