"""Draining the outbox: 10,000 queued submissions to a hub on loopback, through the outbox and
the sender, against the same number of requests sent straight with requests.Session.

Both sides send sealed envelopes (sealed up front, untimed), one request at a time, each to its
own fresh reference hub (SQLite, in this process, as hub.testing.running_hub gives it). All
10,000 are queued in the outbox first (timed apart, as "queueing": one fsynced commit each, what
the citizen waits for at Submit). Then, so that a busy moment on the machine hits both alike,
the two sides take turns in rounds: a slice of direct requests, then the sender draining as many
items. The sender pays for never losing a form and never filing twice: each item is claimed,
sent and acknowledged in two more fsynced SQLite transactions. Read the ratio
"outbox drain / direct" and the overhead per item; the hub's own work is in both. A full run
took six and a half minutes on a busy two-core machine (the hub's own fsyncs dominate both
sides); `--count 2000` for a quicker look.

    python bench/drain.py [--count 10000] [--rounds 10]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from hub.testing import running_hub  # noqa: E402
from kiosk.sync.outbox import Outbox  # noqa: E402
from kiosk.sync.sealing import load_public, seal  # noqa: E402
from kiosk.sync.sender import Sender  # noqa: E402

SERVICE = "report_problem"


def envelopes(public_pem: str, count: int) -> list[tuple[str, str, str, bytes]]:
    """(idempotency key, created, provisional reference, envelope bytes), as submit() makes."""
    key = load_public(public_pem)
    made = []
    for n in range(count):
        created = time.strftime("%Y-%m-%dT%H:%M:%S")
        provisional = f"P-bench-{n:08d}"
        plaintext = {"service_id": SERVICE, "created": created, "kiosk_id": "demo-kiosk",
                     "language": "en", "citizen_id": None,
                     "answers": {"category": "street_light", "place": "Bench Road 1",
                                 "description": "The lamp by the bench is out. " * 4}}
        body = json.dumps(seal(key, plaintext, SERVICE, created, provisional),
                          sort_keys=True, separators=(",", ":")).encode()
        made.append((str(uuid.uuid4()), created, provisional, body))
    return made


def post_directly(session: requests.Session, hub, items) -> None:
    for key, _created, _provisional, body in items:
        answer = session.post(f"{hub.url}/v1/submissions", data=body, timeout=30, headers={
            "Idempotency-Key": key, "Authorization": f"Bearer {hub.token}",
            "Content-Type": "application/json"})
        if answer.status_code != 201:
            raise SystemExit(f"direct: HTTP {answer.status_code}")


def line(what: str, seconds: float, count: int) -> None:
    print(f"{what:<26}{seconds:8.1f} s  {seconds / count * 1000:6.2f} ms each", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    count, rounds = args.count, max(1, args.rounds)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-drain-")))
        straight_hub = stack.enter_context(running_hub())
        outbox_hub = stack.enter_context(running_hub())
        direct_items = envelopes(straight_hub.public_key_pem, count)
        queued_items = envelopes(outbox_hub.public_key_pem, count)
        print(f"{count} submissions, one at a time, to a hub on loopback; {rounds} rounds")

        outbox = Outbox(folder / "outbox.sqlite3")
        started = time.perf_counter()
        for key, created, provisional, body in queued_items:
            outbox.put(key, SERVICE, created, body, provisional)
        line("outbox: queueing (put)", time.perf_counter() - started, count)

        session = requests.Session()
        sender = Sender(outbox, outbox_hub.url, outbox_hub.token)
        straight = drained = 0.0
        acked = 0
        for n in range(rounds):
            size = count * (n + 1) // rounds - count * n // rounds
            chunk = direct_items[count * n // rounds:][:size]
            started = time.perf_counter()
            post_directly(session, straight_hub, chunk)
            straight += time.perf_counter() - started
            started = time.perf_counter()
            acked += sender.drain_once(limit=size)
            drained += time.perf_counter() - started
        if acked != count or outbox.waiting_count() or outbox.quarantined_count():
            raise SystemExit(f"outbox: {acked} acknowledged of {count}")
        outbox.close()
        line("direct requests.Session", straight, count)
        line("outbox: drain (sender)", drained, count)
        print(f"ratio outbox drain / direct: {drained / straight:.2f}  "
              f"(overhead {(drained - straight) / count * 1000:+.2f} ms an item)")


if __name__ == "__main__":
    main()
