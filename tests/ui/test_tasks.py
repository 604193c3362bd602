"""Background work comes back on the GUI thread and leaves nothing behind (the connection
indicator runs a task every few seconds, for weeks, and a Submit's work holds the citizen's
answers: none of it may be kept once its result is delivered)."""

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication

from ui import tasks


class Answers:
    """Stands for what a task's work holds (a journey and its answers)."""


def test_results_arrive_on_the_gui_thread_and_nothing_of_a_task_is_kept(qtbot):
    seen, problems, kept = [], [], []
    gui = threading.get_ident()
    for n in range(40):
        answers = Answers()
        kept.append(weakref.ref(answers))
        tasks.run_in_background(lambda n=n, answers=answers: (n, threading.get_ident()),
                                lambda result, answers=answers: seen.append(result))
    answers = Answers()
    kept.append(weakref.ref(answers))
    tasks.run_in_background(lambda answers=answers: 1 / 0, seen.append,
                            lambda problem, answers=answers: problems.append(problem))
    del answers
    qtbot.waitUntil(lambda: len(seen) == 40 and len(problems) == 1, timeout=5000)
    assert all(worker != gui for _, worker in seen)  # the work ran off the GUI thread
    assert sorted(n for n, _ in seen) == list(range(40))
    assert isinstance(problems[0], ZeroDivisionError)  # a failure goes to `failed`, not `done`
    tasks.wait_for_background()
    QApplication.processEvents()
    gc.collect()
    assert tasks.pending() == 0
    assert [ref for ref in kept if ref() is not None] == []  # the work and callbacks are freed
