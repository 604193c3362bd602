"""Background work comes back on the GUI thread and leaves nothing behind (the connection
indicator runs a task every few seconds, for weeks)."""

import gc
import threading

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from ui import tasks


def live_relays():
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, tasks._Relay) and shiboken6.isValid(o)]


def test_results_arrive_on_the_gui_thread_and_relays_are_freed(qtbot):
    before = len(live_relays())
    seen = []
    gui = threading.get_ident()
    for n in range(40):
        tasks.run_in_background(lambda n=n: (n, threading.get_ident()), seen.append)
    tasks.run_in_background(lambda: 1 / 0, seen.append)  # a failing task is freed too
    qtbot.waitUntil(lambda: len(seen) == 40, timeout=5000)
    assert all(worker != gui for _, worker in seen)  # the work ran off the GUI thread
    tasks.wait_for_background()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert tasks._relays == set()
    assert len(live_relays()) == before
