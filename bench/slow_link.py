"""The GUI on a slow link: the worst stall of the event loop per step, behind a proxy that adds
1-2 s to every request, beside the same walk on a direct link to the same hub (same run).

One real hub (reference hub, demo data, its own process); two kiosks configured for it, one
straight to it and one through tests/sync/proxy.py with `--latency` seconds added to each
request. Each walks the same steps (identity by ID number and code, a lookup, live lists and
slots, the text size, Submit) with a robot citizen, and a 10 ms timer records the longest gap
between two turns of the event loop per step, taps included. Read the "slow" column against
"direct": a step that did I/O on the GUI thread would stall for about the latency (or several
times it); a step that waits in the background stalls no longer than on the direct link.
Nothing is asserted (tests/e2e/test_slow_link.py does that).

    python bench/slow_link.py [--latency 1.5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.conftest import ELDEST  # noqa: E402
from tests.e2e.field import (  # noqa: E402
    Gaps,
    MeasuredWalker,
    close_field_kiosk,
    field_kiosk,
    hub_process,
)
from tests.sync.proxy import FaultProxy  # noqa: E402
from ui import ops  # noqa: E402

WALK = [("insurance_balance", ELDEST), ("doctor_appointment", ELDEST), ("report_problem", None)]


def walk(url: str, token: str) -> dict[str, float]:
    """Worst gap (seconds) per step, by "service / screen:button"."""
    with tempfile.TemporaryDirectory() as folder:
        kiosk = field_kiosk(url, token, Path(folder), timeout=(3.05, 10.0))
        while not kiosk.connection[0]:  # the first poll found the hub (and kept its key)
            QApplication.processEvents()
        gaps = Gaps(kiosk.window)
        walker = MeasuredWalker(kiosk, gaps)
        worst: dict[str, float] = {}
        for service, code in WALK:
            walker.begin("zh_CN")
            walker.taps.clear()
            walker.complete(service, code=code)
            for size in ("largest", "normal"):  # redraws: nothing to ask the hub
                try:
                    walker.tap(f"size-{size}")
                except LookupError:  # this screen has no bars
                    break
            while ops.busy(quiet_too=True):  # the provisional reference made official
                QApplication.processEvents()
            for where, stall, _waiting, _cpu in walker.taps:
                key = f"{service} / {where}"
                worst[key] = max(worst.get(key, 0.0), stall)
            walker.finish()
        gaps.stop()
        close_field_kiosk(kiosk)
        return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.5)
    args = parser.parse_args()
    with hub_process() as hub:
        proxy = FaultProxy(hub.url)
        proxy.delay = args.latency
        try:
            direct = walk(hub.url, hub.token)
            slow = walk(proxy.url, hub.token)
        finally:
            proxy.close()
    print(f"Worst event-loop stall per step, ms (10 ms timer); slow link: +{args.latency:g} s "
          f"per request")
    print(f"{'step':58} {'direct':>8} {'slow':>8} {'slow/direct':>12}")
    for key in direct:
        if key in slow:
            ratio = slow[key] / direct[key] if direct[key] else float("nan")
            print(f"{key:58} {direct[key] * 1000:8.0f} {slow[key] * 1000:8.0f} {ratio:12.2f}")
    print(f"{'worst of all':58} {max(direct.values()) * 1000:8.0f} "
          f"{max(slow.values()) * 1000:8.0f}")


if __name__ == "__main__":
    main()
