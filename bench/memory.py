"""Memory after many journeys against after a few: does a kiosk that runs all day grow?

One process, one kiosk. The robot citizen (ui.walker.Walker) completes journeys, cycling
through every service in both languages, each ended by Finish and a face on "How was it?"
(then kiosk.end_session()).
After every tap the widgets the kiosk threw away are deleted, as app.exec() does in the same
loop turn (processEvents alone never deletes them). After a warm-up of one journey per service
and language (first-time costs: types PySide6 makes lazily, caches), tracemalloc starts.
Readings, after gc.collect(), after 10 journeys, every 25, and after the last: RSS (VmRSS in
/proc/self/status), the Python heap (tracemalloc current) and the live QWidgets. More widgets
after the same service means screens or fields are leaked.

A long run must fit the time budget: if it does not, it stops early, says so, and the growth
per journey is taken over the journeys that did run.

    python bench/memory.py [--journeys 1000] [--budget 900]
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from itertools import pairwise
from pathlib import Path

from PySide6.QtWidgets import QApplication
from walking import DAY, LANGS, journey, settle

from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, demo_kiosk
from ui.walker import Walker

FIRST = 10  # the early reading
CHECKPOINT = 25  # and a reading every this many journeys, to show the shape of any growth


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


def nth_journey(walker: Walker, number: int, services: list) -> None:
    """Journey `number` (from 0): the services in turn, the language changing every cycle."""
    journey(walker, services[number % len(services)],
            LANGS[number // len(services) % len(LANGS)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=1000, help="journeys in all (1000)")
    parser.add_argument("--budget", type=float, default=900.0,
                        help="seconds the measured journeys may take; 0 for no limit (900)")
    parser.add_argument("--top", type=int, default=5,
                        help="Python allocation sites that grew most, to show (5)")
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
    warm_up = len(services) * len(LANGS)  # every service in every language, once
    for number in range(warm_up):
        nth_journey(walker, number, services)

    tracemalloc.start()
    start = time.perf_counter()
    durations = []
    cpu: list[float] = []  # CPU seconds of each journey: less shaken by a busy machine
    widgets: list[int] = []  # live QWidgets after each journey
    readings: list[dict[str, float]] = []
    early_snapshot = None
    stopped_early = False
    for done in range(1, args.journeys + 1):
        began, began_cpu = time.perf_counter(), time.process_time()
        nth_journey(walker, warm_up + done - 1, services)
        durations.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        widgets.append(len(QApplication.allWidgets()))
        if done == FIRST or done % CHECKPOINT == 0:
            readings.append(reading(done))
        if done == FIRST:
            early_snapshot = tracemalloc.take_snapshot()
        if args.budget and time.perf_counter() - start > args.budget and done > FIRST \
                and done < args.journeys:
            stopped_early = True
            break
    if readings[-1]["journeys"] != done:
        readings.append(reading(done))
    elapsed = time.perf_counter() - start
    growth = []
    if early_snapshot is not None and args.top:
        growth = tracemalloc.take_snapshot().compare_to(early_snapshot, "lineno")
    tracemalloc.stop()

    print(f"memory: Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} cores, {warm_up} warm-up journeys, then {done} measured in "
          f"{elapsed:.0f}s" + ("" if LoopWalker.flush else ", WITHOUT deleting thrown-away "
                              "widgets (--no-flush)"))
    if stopped_early:
        print(f"STOPPED EARLY: the {args.budget:.0f}s budget ran out after {done} of "
              f"{args.journeys} journeys (--budget 0 runs them all); growth below is per "
              f"journey over {FIRST}..{done}")
    if early_snapshot is None:
        print(f"fewer than {FIRST} journeys: nothing to compare")
        return
    first, last = readings[0], readings[-1]
    span = last["journeys"] - first["journeys"]
    print()
    print(f"{'':20}{'after ' + str(FIRST):>12}{'after ' + str(done):>12}"
          f"{'per journey':>14}{'ratio':>8}")
    for key, name, unit in (("rss", "RSS", "MiB"), ("heap", "Python heap", "MiB"),
                            ("widgets", "live QWidgets", "")):
        a, b = first[key], last[key]
        per = (b - a) / span
        per_text = f"{per * 1024:+.1f} KiB" if unit else f"{per:+.1f}"
        fmt = ".1f" if unit else ".0f"
        print(f"{name + (' (' + unit + ')' if unit else ''):20}{a:>12{fmt}}{b:>12{fmt}}"
              f"{per_text:>14}{b / a if a else float('nan'):>7.2f}x")
    for name, times in (("journey time (s)", durations), ("journey CPU (s)", cpu)):
        early, late = statistics.median(times[:FIRST]), statistics.median(times[-FIRST:])
        print(f"{name:20}{early:>12.2f}{late:>12.2f}{'':>14}{late / early:>7.2f}x"
              f"   (medians of the first and the last {FIRST})")
    print("\nalong the way (growth per journey since the row above: flat means no leak)")
    print(f"{'journeys':>8}{'RSS MiB':>10}{'KiB/j':>8}{'heap MiB':>10}{'KiB/j':>8}"
          f"{'QWidgets':>10}{'s/journey':>11}{'CPU s/j':>9}")
    for before, now in zip([None, *readings], readings, strict=False):
        n = int(now["journeys"])
        since = 0 if before is None else int(before["journeys"])
        per = ["", ""] if before is None else [
            f"{(now[k] - before[k]) * 1024 / (n - since):+.0f}" for k in ("rss", "heap")]
        print(f"{n:>8}{now['rss']:>10.1f}{per[0]:>8}{now['heap']:>10.2f}{per[1]:>8}"
              f"{now['widgets']:>10.0f}{statistics.median(durations[since:n]):>11.2f}"
              f"{statistics.median(cpu[since:n]):>9.2f}")

    # A one-off (PySide6 making ~300 Python types at once, about 30 s after start) lands in
    # one interval; the median of the intervals' rates is the growth that keeps going.
    rates = {k: [(b[k] - a[k]) * 1024 / (b["journeys"] - a["journeys"])
                 for a, b in pairwise(readings)
                 if b["journeys"] - a["journeys"] >= FIRST] for k in ("rss", "heap")}
    if len(rates["rss"]) > 2:
        print(f"steady growth (median over {len(rates['rss'])} intervals): RSS "
              f"{statistics.median(rates['rss']):+.1f} KiB, Python heap "
              f"{statistics.median(rates['heap']):+.1f} KiB a journey")

    grew = [stat for stat in growth if stat.size_diff > 0][:args.top]
    if grew:
        print(f"\nPython allocation sites that grew most from journey {FIRST} to {done}:")
        root = str(Path(__file__).resolve().parent.parent) + os.sep
        for stat in grew:
            frame = stat.traceback[0]
            print(f"{stat.size_diff / 1024:>+10.1f} KiB {stat.count_diff:>+7} blocks  "
                  f"{frame.filename.replace(root, '')}:{frame.lineno}")
    # The question screen keeps the last answer widget (hidden) until the next question, so
    # the count depends on the last service: compare journeys of the same service and language.
    cycle = warm_up
    same = FIRST + (done - FIRST) // cycle * cycle
    if same > FIRST:
        grown = widgets[same - 1] - widgets[FIRST - 1]
        verdict = (f"WIDGETS LEAK: {grown / (same - FIRST):+.1f} a journey" if grown > 0
                   else "no widget leak")
        print(f"\nlive QWidgets after the same service and language: {widgets[FIRST - 1]} "
              f"after journey {FIRST}, {widgets[same - 1]} after journey {same}: {verdict}")

if __name__ == "__main__":
    main()
