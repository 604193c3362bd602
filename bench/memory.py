"""Memory after many journeys against after a few: does a kiosk that runs all day grow?

One process, one kiosk. The robot citizen (ui.walker.Walker) completes journeys, cycling
through every service in both languages, each ended by the Finish tap (kiosk.end_session()).
After every tap the widgets the kiosk threw away are deleted, as app.exec() does in the same
loop turn (processEvents alone never deletes them). After a warm-up of one journey per service,
tracemalloc starts; readings (after gc.collect()) are taken after 10 journeys
and after the last: RSS (VmRSS in /proc/self/status), the Python heap (tracemalloc current)
and the number of live QWidgets. Growth in widgets means screens or fields are leaked.

A long run must fit the time budget: if it does not, it stops early, says so, and the growth
per journey is taken over the journeys that did run.

    python bench/memory.py [--journeys 200] [--budget 90]
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.backend.demo_data import CITIZENS
from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, demo_kiosk
from ui.walker import Walker

DAY = date(2026, 11, 23)
ELDEST = CITIZENS[0][0]  # aged 85 on DAY: eligible for everything
LANGS = ("zh_CN", "en")
FIRST = 10  # the early reading


def settle() -> None:
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class LoopWalker(Walker):
    """The walker, with the event loop's deferred deletions after every tap (unless told)."""

    flush = True

    def tap(self, name: str) -> None:
        super().tap(name)
        if self.flush:
            settle()

    def type(self, text: str) -> None:
        super().type(text)
        if self.flush:
            settle()


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def reading(done: int) -> dict[str, float]:
    if LoopWalker.flush:
        settle()
    gc.collect()
    return {"journeys": done, "rss": rss_kib() / 1024,
            "heap": tracemalloc.get_traced_memory()[0] / 2**20,
            "widgets": len(QApplication.allWidgets())}


def journey(walker: Walker, number: int, services: list) -> None:
    """Journey `number` (from 0): the services in turn, the language changing every cycle."""
    kiosk = walker.kiosk
    service = services[number % len(services)]
    walker.begin(LANGS[number // len(services) % len(LANGS)])
    walker.complete(service.id, card=ELDEST if service.needs_identity else None)
    if kiosk.current() is not kiosk.attract:
        walker.tap("next")  # Finish on the confirmation: kiosk.end_session()
    if kiosk.current() is not kiosk.attract:
        kiosk.end_session()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=200, help="journeys in all (200)")
    parser.add_argument("--budget", type=float, default=90.0,
                        help="seconds the measured journeys may take; 0 for no limit (90)")
    parser.add_argument("--no-flush", action="store_true",
                        help="never delete thrown-away widgets (how a bare processEvents "
                             "harness, like Walker.tap, leaves them)")
    args = parser.parse_args()
    LoopWalker.flush = not args.no_flush

    import PySide6

    kiosk = demo_kiosk(Settings(idle_timeout_s=3600), today=DAY)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    if LoopWalker.flush:
        settle()
    walker = LoopWalker(kiosk)
    services = list(kiosk.catalogue.services)
    warm_up = len(services)
    for number in range(warm_up):
        journey(walker, number, services)

    tracemalloc.start()
    start = time.perf_counter()
    durations = []
    first = last = None
    stopped_early = False
    for done in range(1, args.journeys + 1):
        began = time.perf_counter()
        journey(walker, warm_up + done - 1, services)
        durations.append(time.perf_counter() - began)
        if done == FIRST:
            first = reading(done)
        if args.budget and time.perf_counter() - start > args.budget and done > FIRST \
                and done < args.journeys:
            stopped_early = True
            break
    last = reading(done)
    elapsed = time.perf_counter() - start
    tracemalloc.stop()

    print(f"memory: Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} cores, {warm_up} warm-up journeys, then {done} measured in "
          f"{elapsed:.0f}s" + ("" if LoopWalker.flush else ", WITHOUT deleting thrown-away "
                              "widgets (--no-flush)"))
    if stopped_early:
        print(f"STOPPED EARLY: the {args.budget:.0f}s budget ran out after {done} of "
              f"{args.journeys} journeys (--budget 0 runs them all); growth below is per "
              f"journey over {FIRST}..{done}")
    if first is None:
        print(f"fewer than {FIRST} journeys: nothing to compare")
        return
    span = last["journeys"] - first["journeys"]
    print()
    print(f"{'':20}{'after ' + str(FIRST):>12}{'after ' + str(done):>12}"
          f"{'per journey':>14}{'ratio':>8}")
    for key, name, unit in (("rss", "RSS", "MiB"), ("heap", "Python heap", "MiB"),
                            ("widgets", "live QWidgets", "")):
        a, b = first[key], last[key]
        per = (b - a) / span if span else 0.0
        per_text = f"{per * 1024:+.1f} KiB" if unit else f"{per:+.1f}"
        fmt = ".1f" if unit else ".0f"
        print(f"{name + (' (' + unit + ')' if unit else ''):20}{a:>12{fmt}}{b:>12{fmt}}"
              f"{per_text:>14}{b / a if a else float('nan'):>7.2f}x")
    early = statistics.median(durations[:FIRST])
    late = statistics.median(durations[-FIRST:])
    print(f"{'journey time (s)':20}{early:>12.2f}{late:>12.2f}{'':>14}{late / early:>7.2f}x"
          f"   (medians of the first and the last {FIRST})")
    grown = last["widgets"] - first["widgets"]
    if grown > 0:
        print(f"\nWIDGETS LEAK: {grown} more live QWidgets after {span} more journeys "
              f"({grown / span:.1f} a journey)")


if __name__ == "__main__":
    main()
