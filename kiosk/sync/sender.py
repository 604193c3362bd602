"""The sender: drains the outbox to the hub, one item at a time, in the background.

Each item goes as the bytes and the Idempotency-Key stored when the citizen pressed Submit, so
a resend after any failure (lost response, killed process, restarted hub) is the same filing and
the hub answers it with the reference it already gave. What the hub says decides the item's
fate, and only a person ever gives an item up:

    201 (first time or a replay)          -> acknowledged, official reference recorded
    a refusal the hub states is about     -> quarantined with the hub's code and message; the
    this very item (REFUSED_ITEM: 400/409/   pass goes on with the next item, the admin can
    422 with one of its codes)               send it again (requeue) once the cause is fixed
    408, 409 in_progress, 422             -> waiting again after a backoff; the pass goes on
    unknown_service (a broken service        (about this request or this service only, and
    file at the hub)                         fixed at the hub, not in the form)
    anything else: timeout, connection    -> waiting again after a backoff (Retry-After
    error, 5xx, 429, 401/403 (the kiosk's    honoured) and the pass stops: the link, a proxy,
    token), 404/405/413 (a proxy or a        the token or the hub is at fault, not the item
    wrong address), any code not listed

No UI here: `on_change` is called from the sender's thread and the UI marshals it itself.
Nothing personal is logged: the sealed payload is never decoded and hub messages are not logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from kiosk.sync.backoff import Backoff, parse_retry_after, reanchor
from kiosk.sync.outbox import Outbox, OutboxItem, short_error

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 15.0)  # connect, read: a slow rural link, but never minutes
RETRY_ITEM = {408, 409}  # about this request only: try it again, keep draining the others
# The hub is up but cannot file this service now (a broken service file): the other forms go on
RETRY_ITEM_CODES = frozenset({"in_progress", "unknown_service"})
# The hub's codes (hub/routes/submissions.py, hub/idempotency.py) that say the item itself can
# never be filed as it is. Not here on purpose: unknown_service (the hub's catalogue is
# broken or behind), missing_idempotency_key (the kiosk's own code), any proxy's answer.
SLOT_FULL = "slot_full"  # the slot was taken meanwhile: the citizen, if here, chooses again
REFUSED_ITEM = frozenset({"invalid_json", "invalid_envelope", "invalid_plaintext",
                          "unreadable_envelope", "idempotency_key_reused",
                          "invalid_idempotency_key", SLOT_FULL})


class Outcome(Enum):
    ACKED = "acked"
    RETRY = "retry"  # back to waiting, due later
    QUARANTINED = "quarantined"
    SKIPPED = "skipped"  # not ours to send (claimed elsewhere, already done) or held back


def http():
    """requests (with urllib3, idna and charset detection: a tenth of a second), imported
    when the first request is made: off the GUI thread, after the kiosk's first frame."""
    import requests

    return requests


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reference: str | None = None  # the official reference when acknowledged
    error: str | None = None  # short technical reason, never payload
    stop: bool = False  # the hub is unreachable or asked for quiet: end this pass


class Sender:
    def __init__(self, outbox: Outbox, base_url: str, token: str,
                 session: requests.Session | None = None, *, backoff: Backoff | None = None,
                 timeout: float | tuple[float, float] = TIMEOUT, interval: float = 30.0,
                 on_change: Callable[[], None] | None = None, batch: int = 100) -> None:
        self.outbox = outbox
        self.url = base_url.rstrip("/") + "/v1/submissions"
        self.token = token
        self._session = session
        self.backoff = backoff or Backoff()
        self.timeout = timeout
        self.interval = interval
        self.on_change = on_change
        self.batch = batch
        self._failures = 0  # consecutive passes ended by a hub-wide failure
        self._hold = (0.0, 0.0)  # (until, wait): no drain pass before this (wall time)
        self._not_before = (0.0, 0.0)  # the same for the hub's Retry-After: nothing at all
        self.paused = False  # the kiosk is set to stay offline: the background loop sends nothing
        self._poked = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = http().Session()
        return self._session

    # holding back
    def held_until(self, now: float, retry_after_only: bool = False) -> float:
        """When passes may start again; a clock set back re-anchors the wait (once) to now."""
        self._hold = (reanchor(*self._hold, now), self._hold[1])
        self._not_before = (reanchor(*self._not_before, now), self._not_before[1])
        return self._not_before[0] if retry_after_only else max(self._hold[0],
                                                                self._not_before[0])

    def held(self, now: float | None = None, retry_after_only: bool = False) -> bool:
        now = time.time() if now is None else now
        return now < self.held_until(now, retry_after_only)

    # one item
    def send(self, key: str, now: float | None = None) -> Result:
        """Claim one waiting item and send it now (the Submit button uses this)."""
        now = time.time() if now is None else now
        if self.held(now, retry_after_only=True):
            return Result(Outcome.SKIPPED, error="hub asked to wait")
        item = self.outbox.get(key)
        payload = self.outbox.mark_attempting(key) if item else None
        if item is None or payload is None:
            return Result(Outcome.SKIPPED)
        result = self._post(item, payload, now)
        self._settle(result, now)
        return result

    def send_again(self, key: str, now: float | None = None) -> Result:
        """The admin's "send again" for a quarantined item whose cause was fixed: back to
        waiting, then sent now (SKIPPED with a reason while the hub asked to wait; the
        background sender sends it later)."""
        now = time.time() if now is None else now
        self.outbox.requeue(key, now)
        result = self.send(key, now)
        if result.outcome is Outcome.SKIPPED:
            self.poke()
        return result

    def _post(self, item: OutboxItem, payload: bytes, now: float) -> Result:
        try:
            return self._exchange(item, payload, now)
        except Exception:  # the kiosk's own fault (a full disk?): hand the claim back, then say so
            with suppress(Exception):
                self.outbox.retry_later(item.key, now + self.backoff.delay(item.attempts),
                                        "kiosk error", now=now)
            raise

    def _exchange(self, item: OutboxItem, payload: bytes, now: float) -> Result:
        headers = {"Idempotency-Key": item.key, "Authorization": f"Bearer {self.token}",
                   "Content-Type": "application/json"}
        try:
            response = self.session.post(self.url, data=payload, headers=headers,
                                         timeout=self.timeout)
        except http().Timeout as problem:
            return self._retry(item, now, type(problem).__name__, None, stop=True)
        except http().ConnectionError as problem:
            reason = "connection refused" if "refused" in str(problem).lower() else \
                "connection failed"
            return self._retry(item, now, reason, None, stop=True)
        except http().RequestException as problem:
            return self._retry(item, now, type(problem).__name__, None, stop=True)
        return self._answer(item, response, now)

    def _answer(self, item: OutboxItem, response: requests.Response, now: float) -> Result:
        status = response.status_code
        code, message = _error_of(response)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now)
        if 200 <= status < 300:
            reference = _reference_of(response)
            if reference is None:  # filed, but the answer is unreadable: ask again (a replay)
                return self._retry(item, now, f"HTTP {status} without a reference", None,
                                   stop=True)
            self.outbox.record_ack(item.key, reference)
            log.info("submission %s for %s acknowledged", item.key[:8], item.service_id)
            return Result(Outcome.ACKED, reference)
        reason = f"HTTP {status} {code}".strip()
        if refuses_item(status, code):
            reason = f"{reason}: {message}" if message else reason
            self.outbox.quarantine(item.key, reason)
            log.warning("submission %s for %s refused by the hub (HTTP %s %s)",
                        item.key[:8], item.service_id, status, short_error(code))
            return Result(Outcome.QUARANTINED, error=short_error(reason))
        if status in RETRY_ITEM or (400 <= status < 500 and code in RETRY_ITEM_CODES):
            return self._retry(item, now, reason, retry_after, stop=False)
        if status in (401, 403):
            log.warning("the hub refused this kiosk's token (HTTP %s)", status)
        elif 400 <= status < 500 and status != 429:
            log.warning("submission %s waits: HTTP %s %s is not about the form itself",
                        item.key[:8], status, short_error(code))
        return self._retry(item, now, reason, retry_after, stop=True)

    def _retry(self, item: OutboxItem, now: float, reason: str, retry_after: float | None,
               stop: bool) -> Result:
        wait = self.backoff.delay(item.attempts, retry_after)
        self.outbox.retry_later(item.key, now + wait, reason, now=now)
        log.info("submission %s waits %.1fs (%s)", item.key[:8], wait, short_error(reason))
        if retry_after is not None and stop:  # hub-wide (429, 503); a 409's is for this item
            floor = min(retry_after, self.backoff.max_retry_after)
            self._not_before = (now + floor, floor)
        return Result(Outcome.RETRY, error=short_error(reason), stop=stop)

    def _settle(self, result: Result, now: float) -> None:
        """After a hub-wide failure hold every pass back; after a success, stop holding."""
        if result.outcome is Outcome.ACKED:
            self._failures = 0
            self._hold = (0.0, 0.0)
        elif result.stop:
            wait = self.backoff.delay(self._failures)
            self._failures += 1
            self._hold = (now + wait, wait)

    # the whole queue
    def drain_once(self, now: float | None = None, limit: int | None = None) -> int:
        """Send due items one by one (at most `limit`); the number acknowledged. Stops at the
        first failure that says the hub is unreachable or busy: a long queue never bursts."""
        acked = sent = unreported = 0
        try:
            while not self._stopped() and (limit is None or sent < limit):
                moment = time.time() if now is None else now
                if self.held(moment):
                    break
                wanted = self.batch if limit is None else min(self.batch, limit - sent)
                items = self.outbox.next_due(moment, limit=wanted)
                if not items:
                    break
                for item in items:
                    payload = self.outbox.mark_attempting(item.key)
                    if payload is None:
                        continue  # another sender has it
                    result = self._post(item, payload, moment)
                    self._settle(result, moment)
                    sent += 1
                    unreported += 1
                    acked += result.outcome is Outcome.ACKED
                    if result.stop or self._stopped():
                        return acked
                if unreported:
                    unreported = 0
                    self._changed()  # once a batch: the indicator need not blink per item
        finally:
            if unreported:
                self._changed()
        return acked

    def _stopped(self) -> bool:
        return self._thread is not None and self._stopping.is_set()

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # the indicator must never stop the queue
                log.exception("outbox change callback failed")

    # in the background
    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stopping.set()
        self._poked.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poke(self) -> None:
        """Drain now (a new item was queued, or the network came back)."""
        self._poked.set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._poked.clear()
            try:
                if not self.paused:
                    self.drain_once()
            except Exception as problem:  # a locked or full disk: try again on the next tick
                log.warning("outbox drain failed (%s)", type(problem).__name__)
            self._poked.wait(self._sleep_for())

    def _sleep_for(self) -> float:
        now = time.time()
        wake = self.outbox.next_due_at()
        if wake is None:
            return self.interval
        wake = max(wake, self.held_until(now))
        return min(self.interval, max(0.05, wake - now))


def refuses_item(status: int, code: str) -> bool:
    """Whether the hub says this very item can never be filed as it is (see the docstring)."""
    return status in (400, 409, 422) and code in REFUSED_ITEM


def _error_of(response: requests.Response) -> tuple[str, str]:
    """The contract's {"error", "message"} of a refusal; empty strings when there is none."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("error", ""))[:60], str(body.get("message", ""))


def _reference_of(response: requests.Response) -> str | None:
    try:
        reference = response.json().get("reference")
    except (ValueError, AttributeError):
        return None
    return reference if isinstance(reference, str) and reference else None
