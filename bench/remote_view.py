"""What a remote desk costs the link: bytes per screen change (the JSON the kiosk sends) and
the time from a change on the kiosk to the clerk's page having it, through the real hub on
loopback (its own process, demo data) and the desk's live event stream, over a whole journey
with a clerk watching. Beside it, in the same run: a bare HTTP round trip to the same hub (a
kiosk's GET of its help call), the floor any screen change stands on.

Latency is measured to the moment the desk's event stream delivered a screen model equal to
the one the kiosk now shows: from the moment the kiosk queued that model (its screen had
changed: the channel's part), and from the tap that changed it (with the kiosk's own redraw;
a text size change restyles every widget first). Nothing is asserted
(tests/e2e/test_remote_help.py checks the behaviour).

    python bench/remote_view.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import requests  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.remote.screen import build, encode  # noqa: E402
from tests.conftest import ELDEST  # noqa: E402
from tests.e2e.field import close_field_kiosk, field_kiosk, hub_process  # noqa: E402
from tests.remote.hub_desk import HubDesk  # noqa: E402
from ui.remote.view import current_view  # noqa: E402
from ui.walker import Walker  # noqa: E402

WAIT_S = 20.0


def until(done, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.001)


class Timed(Walker):
    """Each tap that changes what the desk should see: its time and the desk's arrival."""

    def __init__(self, kiosk, desk: HubDesk) -> None:
        super().__init__(kiosk)
        self.desk = desk
        self.latencies: list[float] = []  # from the tap
        self.channel: list[float] = []  # from the model being queued on the kiosk
        self.sizes: list[int] = []
        self.queued: list[tuple[float, dict]] = []

    def watch_queue(self) -> None:
        """When each screen model was queued for the desk: the change is on the kiosk."""
        outgoing = self.kiosk.remote.session.outgoing
        put = outgoing.put

        def timed_put(message: dict) -> None:
            if message.get("kind") == "screen":
                self.queued.append((time.perf_counter(), message["model"]))
            put(message)

        outgoing.put = timed_put

    def model(self) -> dict | None:
        remote = self.kiosk.remote
        return build(current_view(self.kiosk), remote.session.personal) \
            if remote.sharing else None

    def tap(self, name: str) -> None:
        before = self.model()
        seen = len(self.desk.arrivals())
        started = time.perf_counter()
        super().tap(name)
        want = self.model()
        if want is None or want == before:
            return  # nothing the desk would see changed (a masked value typed on)

        def arrived() -> float | None:
            for when, message in self.desk.arrivals()[seen:]:
                if message.get("kind") == "screen" and message["model"] == want:
                    return when
            return None

        until(lambda: arrived() is not None, f"the desk's view after {name}")
        self.latencies.append(arrived() - started)
        queued = next(when for when, model in reversed(self.queued) if model == want)
        self.channel.append(arrived() - queued)
        self.sizes.append(len(encode(want)))


def journey(url: str, token: str,
            folder: Path) -> tuple[list[float], list[float], list[int]]:
    kiosk = field_kiosk(url, token, folder)
    desk = HubDesk(url)
    try:
        until(lambda: kiosk.connection[0], "the hub")
        walker = Timed(kiosk, desk)
        walker.begin("zh_CN")
        walker.open_service("senior_allowance")
        walker.identify_by_card(ELDEST)
        walker.tap("help")
        walker.tap("call-staff")
        until(lambda: kiosk.help_call.state == "open", "the call")
        desk.take(kiosk.help_call.request_id)
        until(lambda: kiosk.current() is kiosk.remote.consent, "the consent question")
        walker.watch_queue()
        walker.tap("remote-consent-yes")
        for name in ("remote-details", "remote-details", "size-normal", "size-largest"):
            walker.tap(name)
        answers = {"lives_alone": True, "emergency_phone": "13912345678"}
        while kiosk.current() is kiosk.question:  # the rest of the journey, as a person
            walker.answer_current(answers)
        walker.tap("next")  # submit
        return walker.latencies, walker.channel, walker.sizes
    finally:
        desk.close()
        close_field_kiosk(kiosk)


def round_trips(url: str, token: str, n: int = 30) -> list[float]:
    """A bare request to the same hub, answered at once: the floor."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    found = []
    for _ in range(n):
        started = time.perf_counter()
        session.post(f"{url}/v1/heartbeat", json={}, timeout=10)
        found.append(time.perf_counter() - started)
    return found


def show(name: str, values: list[float], unit: str = "ms", scale: float = 1000) -> None:
    print(f"  {name:<34} median {statistics.median(values) * scale:8.1f} {unit}   "
          f"worst {max(values) * scale:8.1f} {unit}   ({len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    latencies: list[float] = []
    channel: list[float] = []
    sizes: list[int] = []
    with hub_process() as hub:
        floor = round_trips(hub.url, hub.token)
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as folder:
                found, through, sent = journey(hub.url, hub.token, Path(folder))
                latencies += found
                channel += through
                sizes += sent
        floor += round_trips(hub.url, hub.token)
    print("Remote view over a whole journey (senior allowance, zh_CN, largest text),"
          f" {args.rounds} round(s):")
    show("screen JSON per change", [float(s) for s in sizes], "bytes", 1)
    show("screen ready -> desk has it", channel)
    show("tap -> desk has it (with redraw)", latencies)
    show("baseline: bare HTTP round trip", floor)
    print(f"  ratio of medians (screen ready -> desk / round trip): "
          f"{statistics.median(channel) / statistics.median(floor):.1f}x")
    print(f"  largest screen: {max(sizes)} bytes; total sent {sum(sizes) / 1024:.1f} kB "
          f"for {len(sizes)} changes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
