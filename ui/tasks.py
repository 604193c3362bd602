"""The one way slow work leaves the GUI thread: `run_in_background(fn, done)`.

`fn` runs on a thread pool; `done(result)` runs back on the GUI thread (a queued signal).
An exception in `fn` is logged (its type only: messages may hold data) and goes to `failed`,
if given, instead of `done`. Screens do not call this directly: ui.ops adds the "one moment",
the timeout and the choice a citizen needs around it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as problem:  # a background failure must never take the kiosk down
            log.warning("background task failed: %s", type(problem).__name__)
            self.relay.failed.emit(problem)
            return
        self.relay.finished.emit(result)


_relays: set[_Relay] = set()  # kept alive until their result is delivered
# Its own pool, wider than the cores: the work waits on the network, and a hub that never
# answers must not hold every thread (Qt's global pool has one per core, here two).
_pool = QThreadPool()
_pool.setMaxThreadCount(8)


def run_in_background(fn: Callable[[], Any], done: Callable[[Any], None],
                      failed: Callable[[Exception], None] | None = None,
                      pool: QThreadPool | None = None) -> None:
    """`pool`: a pool of its own for work that waits long by design (a remote desk's long
    poll), so that shutdown's `wait_for_background` does not wait for it."""
    relay = _Relay()  # created on the GUI thread, so its signals are delivered there
    _relays.add(relay)

    def release() -> None:
        _relays.discard(relay)
        relay.deleteLater()  # its signal holds `deliver`, which holds it: only Qt can free it

    def deliver(result: Any) -> None:
        release()
        done(result)

    def fail(problem: Exception) -> None:
        release()
        if failed is not None:
            failed(problem)

    relay.finished.connect(deliver)
    relay.failed.connect(fail)
    (pool or _pool).start(_Task(fn, relay))


def wait_for_background(timeout_ms: int = 10000) -> bool:
    """For shutdown and tests: no QThread may outlive the application."""
    return _pool.waitForDone(timeout_ms)
