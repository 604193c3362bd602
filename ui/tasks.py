"""The one way slow work leaves the GUI thread: `run_in_background(fn, done)`.

`fn` runs on a thread pool; `done(result)` runs back on the GUI thread (a queued signal).
An exception in `fn` is logged (its type only: messages may hold data) and goes to `failed`,
if given, instead of `done`. Screens do not call this directly: ui.ops adds the "one moment",
the timeout and the choice a citizen needs around it.

Nothing of a call outlives it (a kiosk runs thousands a day, for months, and `fn` often holds a
citizen's answers): one relay object carries every result back, the pool is handed a plain
function (PySide6 can keep a Python QRunnable subclass alive, with all it holds, for as long as
the pool: the kiosk's were all kept), and the callbacks waiting for a result are dropped when
it is delivered.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    settled = Signal(int, bool, object)  # call number, whether it succeeded, result or problem


_relay: _Relay | None = None  # made on first use, on the GUI thread (results are delivered there)
_waiting: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None] | None]] = {}
_numbers = itertools.count()
# Its own pool, wider than the cores: the work waits on the network, and a hub that never
# answers must not hold every thread (Qt's global pool has one per core, here two).
_pool = QThreadPool()
_pool.setMaxThreadCount(8)
# Work on this machine alone (sealing and queueing a form, the audit log, reading handwriting)
# has a lane of its own: it takes milliseconds, and must never queue behind calls that a hung
# hub holds for their whole timeout (a kiosk filled all eight threads in a few visits).
_local = QThreadPool()
_local.setMaxThreadCount(2)


def _gui_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:  # the GUI thread's, whichever thread asks first
            _relay.moveToThread(app.thread())
        _relay.settled.connect(_deliver)
    return _relay


def _deliver(number: int, succeeded: bool, value: Any) -> None:
    done, failed = _waiting.pop(number)
    if succeeded:
        done(value)
    elif failed is not None:
        failed(value)


def run_in_background(fn: Callable[[], Any], done: Callable[[Any], None],
                      failed: Callable[[Exception], None] | None = None,
                      pool: QThreadPool | None = None, local: bool = False) -> None:
    """`local`: the work waits on nothing outside this machine (no network, no device).
    `pool`: a pool of its own for work that waits long by design (a remote desk's long
    poll), so that shutdown's `wait_for_background` does not wait for it."""
    relay = _gui_relay()
    number = next(_numbers)
    _waiting[number] = (done, failed)

    def work() -> None:
        try:
            result = fn()
        except Exception as problem:  # a background failure must never take the kiosk down
            log.warning("background task failed: %s", type(problem).__name__)
            # without its traceback, whose frames hold what the work held
            relay.settled.emit(number, False, problem.with_traceback(None))
            return
        relay.settled.emit(number, True, result)

    (pool or (_local if local else _pool)).start(work)


def pending() -> int:
    """Calls whose result has not been delivered yet (for tests)."""
    return len(_waiting)


def wait_for_background(timeout_ms: int = 10000) -> bool:
    """For shutdown and tests: no QThread may outlive the application."""
    return _local.waitForDone(timeout_ms) and _pool.waitForDone(timeout_ms)
