"""Tap to next screen: how long a citizen waits after a tap that changes the screen.

One process. The robot citizen (ui.walker.Walker) completes every service in both languages,
identifying by card where the service needs it, and taps Finish at the end. Each tap is timed
from the mouse click to the event loop having nothing left to do: the click handled,
kiosk.screen_shown emitted, the new screen laid out and painted (processEvents), and the
widgets the old screen threw away deleted, which app.exec() would do in the same loop turn.
Only taps during which screen_shown fired count; keys and tiles that change nothing else do not.

The baseline, measured in the same process before and after the kiosk: a bare QStackedWidget
with two plain pages in a window of the same size, switching pages on a button click.

    python bench/taps.py [--rounds 2]
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import statistics
import sys
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from walking import DAY, LANGS, journey, settle

from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, demo_kiosk, qt_app
from ui.walker import Walker

BASELINE_CLICKS = 100  # per block; there are two blocks


class TimedWalker(Walker):
    """The walker, with every tap that changes the screen timed."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.shown: list = []
        self.taps: list[tuple[str, str, str, float]] = []  # from, tapped, to, seconds
        self.where: list[str] = []  # service, language and step of each timed tap
        self.recording = True
        kiosk.screen_shown.connect(self.shown.append)

    def tap(self, name: str) -> None:
        widget = self.visible(name)  # the same checks as Walker.tap, outside the clock
        if not widget.isEnabled():
            raise LookupError(f"{name!r} is disabled")
        before = type(self.kiosk.current()).__name__
        self.shown.clear()
        start = time.perf_counter()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        settle()
        elapsed = time.perf_counter() - start
        if self.shown and self.recording:
            self.taps.append((before, name, type(self.shown[-1]).__name__, elapsed))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2,
                        help="measured rounds of every service in both languages (default 2)")
    args = parser.parse_args()

    import PySide6

    began = time.perf_counter()
    qt_app()  # the kiosk's QApplication and font, so the baseline draws the same text
    base = baseline_clicks(BASELINE_CLICKS)

    kiosk = demo_kiosk(Settings(idle_timeout_s=3600), today=DAY)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    settle()
    walker = TimedWalker(kiosk)
    services = list(kiosk.catalogue.services)
    walker.recording = False  # warm-up: every service in every language once, not counted
    for lang in LANGS:
        for service in services:
            journey(walker, service, lang)
    walker.recording = True
    for _ in range(args.rounds):
        for lang in LANGS:
            for service in services:
                journey(walker, service, lang)
    kiosk.shutdown()
    QApplication.instance().setStyleSheet("")  # the second baseline block without the kiosk's
    base += baseline_clicks(BASELINE_CLICKS)

    taps = [t[3] for t in walker.taps]
    print(f"taps: Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} cores, window {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}, "
          f"{len(services)} services x {len(LANGS)} languages x {args.rounds} rounds "
          f"after one warm-up round, {time.perf_counter() - began:.0f}s in all")
    print()
    print(f"{'click to next screen shown (ms)':40}{'taps':>6}{'median':>8}{'p90':>8}{'worst':>8}")
    print(f"{'kiosk, every screen-changing tap':40}{len(taps):>6}{ms(statistics.median(taps)):>8}"
          f"{ms(p90(taps)):>8}{ms(max(taps)):>8}")
    print(f"{'bare QStackedWidget (baseline)':40}{len(base):>6}{ms(statistics.median(base)):>8}"
          f"{ms(p90(base)):>8}{ms(max(base)):>8}")
    ratio = statistics.median(taps) / statistics.median(base)
    print(f"\nkiosk / baseline (medians): {ratio:.1f}x")

    print("\nby transition, slowest median first")
    print(f"{'from':20}{'tap':>10}  {'to':20}{'taps':>6}{'median':>8}{'p90':>8}{'worst':>8}")
    groups: dict[tuple[str, str, str], list[float]] = {}
    for before, name, after, elapsed in walker.taps:
        tapped = name if name in ("begin", "next", "back") else name.split("-")[0]
        groups.setdefault((before, tapped, after), []).append(elapsed)
    for (before, tapped, after), times in sorted(
            groups.items(), key=lambda item: -statistics.median(item[1])):
        print(f"{before:20}{tapped:>10}  {after:20}{len(times):>6}"
              f"{ms(statistics.median(times)):>8}{ms(p90(times)):>8}{ms(max(times)):>8}")

    print("\ntaps onto a question, by step, slowest median first (ms)")
    steps: dict[str, list[float]] = {}
    for (_, _, after, elapsed), where in zip(walker.taps, walker.where, strict=True):
        if after == "QuestionScreen":
            service, _, step = where.split(" ")
            steps.setdefault(f"{service} / {step}", []).append(elapsed)
    print(f"{'service / step':44}{'taps':>6}{'median':>8}{'worst':>8}")
    for step, times in sorted(steps.items(), key=lambda item: -statistics.median(item[1]))[:8]:
        print(f"{step:44}{len(times):>6}{ms(statistics.median(times)):>8}{ms(max(times)):>8}")

if __name__ == "__main__":
    main()
