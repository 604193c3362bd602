"""Tap to next screen: how long a citizen waits after a tap that changes the screen.

The kiosk as main.py runs it: the embedded demo hub on loopback (HTTP, the outbox), the voice
on (a private PulseAudio server with a null sink), with the catalogue of 7 shipped services
and with 200 (the shipped ones and numbered copies, served by the hub as a region's would be).
The robot citizen (ui.walker.Walker) completes services in both languages, identifying by
card where the service needs it, and taps Finish and a face at the end: with 7 services every
service; with 200, the seven shipped and the last copy of each (the far end of the menu).

Each tap is timed from the mouse click to the event loop having nothing left to do: the
click handled, the new screen laid out and painted (processEvents), and the widgets the old
screen threw away deleted, which app.exec() would do in the same loop turn. A tap that asks
the hub shows "one moment" at once; the wait for the answer is not the tap's (bench/
slow_link.py measures it), but the drawing once it arrives is, timed alone. Only taps during
which the screen changed count.

The baseline, measured in the same process before and after the kiosks: a bare
QStackedWidget with two plain pages in a window of the same size, switching on a click.
Beside the wall time, the GUI thread's CPU time over the same span: on a shared machine a
loaded core stretches the wall time two to four times, the CPU time hardly.

    python bench/taps.py [--rounds 2] [--services 7 --services 200]
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from many_services import write_services
from PySide6.QtCore import QEvent, QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from walking import LANGS, journey, settle

from kiosk.settings import Settings
from ui import ops
from ui.launch import WINDOW_SIZE, embedded_kiosk, qt_app
from ui.walker import Walker

BASELINE_CLICKS = 100  # per block; there are two blocks


class TimedWalker(Walker):
    """The walker, with every tap that changes the screen timed."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.shown: list = []
        self.taps: list[tuple[str, str, str, float]] = []  # from, tapped, to, seconds
        self.cpu: list[float] = []  # the GUI thread's CPU time in each timed tap, seconds
        self.where: list[str] = []  # service, language and step of each timed tap
        self.recording = True
        kiosk.screen_shown.connect(self.shown.append)

    def tap(self, name: str) -> None:
        widget = self.visible(name)  # the same checks as Walker.tap, outside the clock
        if not widget.isEnabled():
            raise LookupError(f"{name!r} is disabled")
        before = type(self.kiosk.current()).__name__
        self.shown.clear()
        start, cpu = time.perf_counter(), time.thread_time()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        settle()
        elapsed, used = time.perf_counter() - start, time.thread_time() - cpu
        while not self.shown and ops.busy():  # the hub is asked: its answer's drawing alone
            start, cpu = time.perf_counter(), time.thread_time()
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            elapsed, used = time.perf_counter() - start, time.thread_time() - cpu
            if not self.shown:
                time.sleep(0.002)
        while ops.busy():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        settle()
        if self.shown and self.recording:
            self.taps.append((before, name, type(self.shown[-1]).__name__, elapsed))
            self.cpu.append(used)
            self.where.append(self.place())

    def place(self) -> str:
        session = self.kiosk.session
        journey = session.journey
        if journey is None:
            return session.language
        step = journey.current.id if self.kiosk.current() is self.kiosk.question else ""
        return " ".join(p for p in (journey.service.id, session.language, step) if p)

    def type(self, text: str) -> None:
        super().type(text)
        settle()


def baseline_clicks(count: int) -> list[float]:
    window = QWidget()
    window.setFixedSize(*WINDOW_SIZE)
    layout = QVBoxLayout(window)
    stack = QStackedWidget()
    for text in ("page one", "page two"):
        stack.addWidget(QLabel(text))
    button = QPushButton("switch")
    button.clicked.connect(lambda: stack.setCurrentIndex(1 - stack.currentIndex()))
    layout.addWidget(stack, 1)
    layout.addWidget(button)
    window.show()
    settle()
    times = []
    for _ in range(count + 5):
        before = stack.currentIndex()
        start = time.perf_counter()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        settle()
        times.append(time.perf_counter() - start)
        if stack.currentIndex() == before:
            raise SystemExit("the baseline click did not switch pages")
    window.close()
    window.deleteLater()
    settle()
    return times[5:]  # the first clicks warm up


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 \
        else values[0]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def walk(count: int, rounds: int, root: Path, voice) -> tuple[TimedWalker, int]:
    """One kiosk on its embedded hub with `count` services; its timed taps."""
    services_dir = write_services(root / f"services-{count}", count) if count != 7 else None
    kiosk, hub = embedded_kiosk(Settings(idle_timeout_s=3600, data_dir=str(root / f"k{count}")),
                                voice=voice, folder=root / f"k{count}" / "embedded",
                                services_dir=services_dir)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    settle()
    walker = TimedWalker(kiosk)
    services = list(kiosk.catalogue.services)
    if count != 7:  # the shipped seven and the last copy of each: both ends of the menu
        last = {s.id.rsplit("_", 1)[0]: s for s in services if s.id[-3:].isdigit()}
        services = [s for s in services if not s.id[-3:].isdigit()] + list(last.values())
    try:
        walker.recording = False  # warm-up: every service in every language once, not counted
        for lang in LANGS:
            for service in services:
                journey(walker, service, lang)
        walker.recording = True
        for _ in range(rounds):
            for lang in LANGS:
                for service in services:
                    journey(walker, service, lang)
    finally:
        kiosk.shutdown()
        hub.close()
    return walker, len(kiosk.catalogue.services)


@contextlib.contextmanager
def voice_on():
    """The kiosk's voice on a null-sink sound server (none: the voice without sound)."""
    from ui.voice import QtVoice

    try:
        from tests.null_sink import null_sound_server

        server = null_sound_server()
        server.__enter__()
    except RuntimeError:
        server = None
    voice = QtVoice()
    try:
        yield voice
    finally:
        voice.close()
        if server is not None:
            server.__exit__(None, None, None)


def report(walker: TimedWalker, services: int, base: list[float]) -> None:
    taps = [t[3] for t in walker.taps]
    print(f"\n== {services} services: click to next screen shown (ms)")
    print(f"{'':40}{'taps':>6}{'median':>8}{'p90':>8}{'worst':>8}")
    print(f"{'kiosk, every screen-changing tap':40}{len(taps):>6}{ms(statistics.median(taps)):>8}"
          f"{ms(p90(taps)):>8}{ms(max(taps)):>8}")
    print(f"{'bare QStackedWidget (baseline)':40}{len(base):>6}{ms(statistics.median(base)):>8}"
          f"{ms(p90(base)):>8}{ms(max(base)):>8}")
    cpu = walker.cpu
    print(f"{'  its GUI-thread CPU time':40}{len(cpu):>6}{ms(statistics.median(cpu)):>8}"
          f"{ms(p90(cpu)):>8}{ms(max(cpu)):>8}")
    print(f"kiosk / baseline (medians): {statistics.median(taps) / statistics.median(base):.1f}x;"
          f" taps over 50 ms: {sum(t > 0.05 for t in taps)} (CPU over 50 ms: "
          f"{sum(t > 0.05 for t in cpu)})")

    print(f"\n{'from':20}{'tap':>10}  {'to':20}{'taps':>6}{'median':>8}{'p90':>8}{'worst':>8}"
          f"{'cpu worst':>10}")
    groups: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for (before, name, after, elapsed), used in zip(walker.taps, walker.cpu, strict=True):
        tapped = name if name in ("begin", "next", "back") else name.split("-")[0]
        groups.setdefault((before, tapped, after), []).append((elapsed, used))
    for (before, tapped, after), timed in sorted(
            groups.items(), key=lambda item: -max(item[1])[0])[:10]:
        times = [elapsed for elapsed, _ in timed]
        print(f"{before:20}{tapped:>10}  {after:20}{len(times):>6}"
              f"{ms(statistics.median(times)):>8}{ms(p90(times)):>8}{ms(max(times)):>8}"
              f"{ms(max(used for _, used in timed)):>10}")

    print("\ntaps onto a question, by step, slowest worst first (ms)")
    steps: dict[str, list[float]] = {}
    for (_, _, after, elapsed), where in zip(walker.taps, walker.where, strict=True):
        if after == "QuestionScreen":
            service, _, step = where.split(" ")
            steps.setdefault(f"{service} / {step}", []).append(elapsed)
    print(f"{'service / step':44}{'taps':>6}{'median':>8}{'worst':>8}")
    for step, times in sorted(steps.items(), key=lambda item: -max(item[1]))[:6]:
        print(f"{step:44}{len(times):>6}{ms(statistics.median(times)):>8}{ms(max(times)):>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2,
                        help="measured rounds of the services in both languages (default 2)")
    parser.add_argument("--services", type=int, action="append",
                        help="services in the catalogue (default: 7 and 200)")
    args = parser.parse_args()

    import PySide6

    began = time.perf_counter()
    qt_app()  # the kiosk's QApplication and font, so the baseline draws the same text
    base = baseline_clicks(BASELINE_CLICKS)
    root = Path(tempfile.mkdtemp(prefix="kiosk-taps-"))
    walks = []
    try:
        with voice_on() as voice:
            for count in args.services or [7, 200]:
                walks.append(walk(count, args.rounds, root, voice))
                QApplication.instance().setStyleSheet("")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    base += baseline_clicks(BASELINE_CLICKS)
    print(f"taps: Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} cores, window {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}, main.py's kiosk "
          f"(embedded hub, voice on), both languages x {args.rounds} rounds after a warm-up "
          f"round, {time.perf_counter() - began:.0f}s in all, load {os.getloadavg()[0]:.1f}")
    for walker, services in walks:
        report(walker, services, base)


if __name__ == "__main__":
    main()
