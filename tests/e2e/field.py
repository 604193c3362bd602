"""A kiosk configured for a real hub at the far end of a link (the fault proxy), and a 10 ms
timer that records how long the GUI event loop went without a turn. Used by the slow-link
test and by bench/slow_link.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.backend.http import HttpBackend
from kiosk.catalogue import load_catalogue
from kiosk.identity import reader_for
from kiosk.settings import Settings
from ui import ops
from ui.app import Kiosk
from ui.composition import hub_ports
from ui.launch import WINDOW_SIZE, qt_app
from ui.walker import Walker

TICK_MS = 10
ROOT = Path(__file__).resolve().parents[2]
_HUB = """
import json, sys
from hub.testing import running_hub
with running_hub() as hub:
    print(json.dumps({"url": hub.url, "token": hub.token}), flush=True)
    sys.stdin.read()  # until the test closes it
"""


@dataclass(frozen=True)
class FarHub:
    url: str
    token: str


@contextmanager
def hub_process() -> Iterator[FarHub]:
    """The real hub in a process of its own, as in the field: it takes no turns from the
    kiosk's GUI thread (a hub in a thread of the test process would share its lock)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", _HUB], cwd=ROOT, env=env, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        started = json.loads(child.stdout.readline())
        yield FarHub(started["url"], started["token"])
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def field_kiosk(url: str, token: str, folder: Path,
                timeout: tuple[float, float] = (3.05, 10.0)) -> Kiosk:
    """Not the demo: the hub's address and token, its own outbox, the sender running, and
    the card reader its settings give (none: the ID number and a code sent to the phone)."""
    qt_app()
    backend = HttpBackend(url, token, folder / "outbox.sqlite3", kiosk_id="field-kiosk",
                          timeout=timeout)
    backend.sender.start()
    settings = Settings(idle_timeout_s=3600, data_dir=str(folder),
                        hub_url=url, kiosk_id="field-kiosk", demo=False)
    kiosk = Kiosk(settings, hub_ports(backend), load_catalogue(), reader_for(settings))
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    return kiosk


def close_field_kiosk(kiosk: Kiosk) -> None:
    kiosk.shutdown()
    kiosk.session.backend.sender.stop()


def _waited_for_a_core() -> float:
    """Seconds the calling thread has spent runnable but not running (Linux schedstat; 0
    where the kernel does not say)."""
    try:
        with open("/proc/thread-self/schedstat") as stats:
            return int(stats.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Gaps:
    """The event loop's turns, seen by a 10 ms timer. A gap is the time between two ticks, less
    the time the GUI thread waited for a CPU core (a loaded machine's doing: on a busy 2-core
    runner the thread is off the CPU for 100-200 ms at a time while it has nothing else to
    wait for). What is left is the kiosk's: running, or blocked (on a socket, a lock). A wait
    gap lies wholly in an op's wait on the hub, after the window has drawn the tap's new
    screen. The others hold a tap's own work (handling it, drawing the next screen): `worst`
    bounds those, far below any round trip."""

    def __init__(self, window: QWidget) -> None:
        self.worst = 0.0  # of any gap in the current step
        # the GUI thread's own CPU time in the longest gap: the part of a stall this code
        # controls, which a busy machine (a loaded CI runner) hardly changes
        self.worst_cpu = 0.0
        self._last_cpu = time.thread_time()
        self.worst_waiting = 0.0  # of gaps while the kiosk waited on the hub
        self.waited = False  # whether any op ran during the step
        self._last = time.perf_counter() - _waited_for_a_core()
        self._quiet_too = False
        self._drawn = False  # the window drew itself since the wait began
        self._ready = False  # ... before the last tick: later gaps are pure waiting
        window.installEventFilter(self._watcher(window))
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter() - _waited_for_a_core(), time.thread_time()
        gap, self._last = now - self._last, now
        self.worst_cpu = max(self.worst_cpu, cpu - self._last_cpu)
        self._last_cpu = cpu
        busy = ops.busy(quiet_too=self._quiet_too)
        self.worst = max(self.worst, gap)
        if busy and self._ready:
            self.worst_waiting = max(self.worst_waiting, gap)
            self.waited = True
        self._ready = busy and self._drawn
        self._drawn = self._drawn and busy

    def _watcher(self, window: QWidget) -> QObject:
        gaps = self

        class Watcher(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.UpdateRequest and ops.busy(gaps._quiet_too):
                    gaps._drawn = True
                return False

        self._keep = Watcher(window)
        return self._keep

    @contextmanager
    def step(self, quiet_too: bool = False, tap: bool = True):
        """Measure one step (a tap and whatever the citizen waits for; `quiet_too`: and the
        waits nobody watches, such as a reference being made official; `tap`: False when
        the step only waits, with nothing new to draw)."""
        self._quiet_too = quiet_too
        self._drawn = not tap
        self.worst = self.worst_waiting = self.worst_cpu = 0.0
        self.waited = False
        self._last, self._last_cpu = time.perf_counter() - _waited_for_a_core(), time.thread_time()
        self._tick()
        yield self
        self._tick()

    def stop(self) -> None:
        self._timer.stop()


class MeasuredWalker(Walker):
    """Every tap measured: what it held the GUI for, and the worst gap while it waited."""

    def __init__(self, kiosk: Kiosk, gaps: Gaps) -> None:
        super().__init__(kiosk)
        self.gaps = gaps
        # (where, worst gap, worst wait gap, the GUI thread's CPU time in the worst gap)
        self.taps: list[tuple[str, float, float, float]] = []

    def tap(self, name: str) -> None:
        where = f"{type(self.kiosk.current()).__name__}:{name}"
        with self.gaps.step() as step:
            super().tap(name)
        self.taps.append((where, step.worst, step.worst_waiting, step.worst_cpu))
