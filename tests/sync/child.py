"""A kiosk process for the crash tests: `python -m tests.sync.child <job> <outbox> <url> <token>`.

Jobs:
    drain            drain the outbox until nothing is due, print "acked <n>", exit
    race             print "ready", wait for a line on stdin, then drain like `drain`
    submit           read a Submission as JSON on stdin, submit it through HttpBackend and
                     settle it (as Submit does), pausing just before the request leaves
                     (after the outbox commit)
    after_send       drain, pausing after the hub has answered the first request, before the
                     kiosk records anything
    in_ack           drain, pausing inside the acknowledgement's transaction, before it commits
A pausing child prints "paused" and sleeps until the parent kills it with SIGKILL.
"""

from __future__ import annotations

import json
import sys
import time

import requests

from kiosk.backend.base import Submission
from kiosk.backend.http import HttpBackend
from kiosk.sync.backoff import Backoff
from kiosk.sync.outbox import Outbox
from kiosk.sync.sender import Sender

FAST = Backoff(base=0.01, cap=0.05)


def pause() -> None:
    print("paused", flush=True)
    while True:
        time.sleep(60)


class PausingSession(requests.Session):
    def __init__(self, before: bool) -> None:
        super().__init__()
        self.before = before

    def post(self, *args, **kwargs):
        if self.before:
            pause()
        response = super().post(*args, **kwargs)
        pause()
        return response


class PausingOutbox(Outbox):
    def _ack_recorded(self) -> None:
        pause()


def drain(sender: Sender) -> int:
    acked = 0
    deadline = time.monotonic() + 60
    while sender.outbox.waiting_count() and time.monotonic() < deadline:
        done = sender.drain_once(now=time.time() + 3600)  # backoff waits are not the point
        if not done:
            time.sleep(0.01)  # the other sender holds what is left
        acked += done
    return acked


def main(job: str, path: str, url: str, token: str) -> None:
    outbox = PausingOutbox(path) if job == "in_ack" else Outbox(path)
    session = PausingSession(before=True) if job == "submit" else \
        PausingSession(before=False) if job == "after_send" else None
    sender = Sender(outbox, url, token, session=session, backoff=FAST, timeout=(2, 5))
    if job == "submit":
        backend = HttpBackend(url, token, outbox, "demo-kiosk", policy="online", sender=sender)
        submission = Submission(**json.loads(sys.stdin.readline()))
        backend.submit(submission)
        backend.settle(submission.idempotency_key)
        return
    if job == "race":
        print("ready", flush=True)
        sys.stdin.readline()
    print(f"acked {drain(sender)}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
