"""The backend against a real hub (docs/api/CONTRACT.md), for kiosks whose link drops for days.

Live data (identity, lists, slots, lookups) needs the hub: each call simply asks it, and a hub
that cannot be reached raises Unavailable for the screen to say plainly. Whether the kiosk is
online is the background poll's business (`status()`), never a check inside a call: on a slow
link a call is slow, not refused. Submissions never need the hub: submit() seals the citizen's
answers to the hub's public key and commits the exact request bytes to the outbox (milliseconds)
and gives a provisional reference made on the kiosk ("P-" and ten characters, short enough to
type back in; official ones are two letters and eight digits). settle() then lets the sender
try to file it, and returns the official reference if the hub acknowledged it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kiosk.backend.base import (
    BackendError,
    NotFound,
    Slot,
    SlotFull,
    Submission,
    SubmitResult,
    Unavailable,
    WrongCode,
)
from kiosk.citizen import Citizen
from kiosk.ports import LONG_POLL_S
from kiosk.service import Option, Text
from kiosk.settings import POLICIES
from kiosk.sync.outbox import ACKNOWLEDGED, ATTEMPTING, QUARANTINED, Outbox
from kiosk.sync.sender import SLOT_FULL, Outcome, Sender, http
from kiosk.version import version as kiosk_version

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 10.0)  # connect, read
PROBE_TIMEOUT = TIMEOUT  # the poll runs in the background: a 2 s link is slow, not offline
PROBE_EVERY_S = 5.0  # while offline: how soon a link that came back is noticed
ALIVE_EVERY_S = 30.0  # while online: the heartbeat that proves it (the hub's cheapest write)
KEY_META = "hub_public_key_pem"
REMOTE_PATH = "/v1/help-requests/{id}/remote"  # the channel of a call a remote desk took
_REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed back


def provisional_reference(kiosk_id: str) -> str:
    """Unique without naming the kiosk (50 random bits), and short enough to be typed back in
    at the status screen; the hub records which kiosk sent it."""
    del kiosk_id
    return "P-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(10))


def aware_time(text: str) -> str:
    """The kiosk's ISO time with its UTC offset: the journey writes local wall time without one,
    and the hub reads a time without an offset as UTC (hours off, or "in the future")."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return (moment if moment.tzinfo else moment.astimezone()).isoformat()


def _plain(value: Any) -> Any:
    """An answer as JSON: money stays exact text, dates ISO."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class HttpBackend:
    def __init__(self, base_url: str, token: str, outbox: Outbox | str | os.PathLike,
                 kiosk_id: str, policy: str = "automatic",
                 timeout: float | tuple[float, float] = TIMEOUT, *,
                 sender: Sender | None = None, probe_every: float = PROBE_EVERY_S,
                 probe_timeout: float | tuple[float, float] = PROBE_TIMEOUT,
                 alive_every: float = ALIVE_EVERY_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        self.probe_every = probe_every
        self.alive_every = alive_every
        self._beat: tuple[dict, float] | None = None  # the last heartbeat's answer, and when
        # what each heartbeat adds (kiosk.fleet.Fleet.report: settings hash, audit head)
        self.report: Callable[[], dict[str, object]] = dict
        self.probe_timeout = probe_timeout
        self.outbox = outbox if isinstance(outbox, Outbox) else Outbox(outbox)
        self._token = token
        self._session: requests.Session | None = None  # made by the first request
        self._session_lock = threading.Lock()
        self.sender = sender or Sender(self.outbox, base_url, token, timeout=timeout)
        self._probe_lock = threading.Lock()
        self._online = (False, -float("inf"))  # (answer, monotonic time it was found)
        self.set_policy(policy)

    @property
    def session(self) -> requests.Session:
        with self._session_lock:  # requests are made from more than one thread
            if self._session is None:
                session = http().Session()
                session.headers["Authorization"] = f"Bearer {self._token}"
                self._session = session
            return self._session

    def set_policy(self, policy: str) -> None:
        """The centre admin's choice, applied at once: "offline" talks to no hub at all (forms
        wait in the outbox, e.g. for a USB bundle); "online" never probes; "automatic" probes."""
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}")
        self.policy = policy
        self._online = (False, -float("inf"))  # ask afresh, not from before the switch
        self.sender.paused = policy == "offline"
        if policy != "offline":
            self.sender.poke()

    def configure(self, policy: str, sync_every_s: float) -> None:
        """The admin saved new settings: the policy and the sender's pace, at once."""
        self.set_policy(policy)
        self.sender.interval = sync_every_s

    # connectivity
    def is_online(self) -> bool:
        """Whether the hub answers, for the background poll (status()) only: calls never ask
        it first. Automatic: the heartbeat is the probe, every `alive_every` seconds while
        online (a fleet's whole liveness traffic) and every `probe_every` while offline; on a
        slow link a second poll does not queue behind a probe still on its way."""
        if self.policy != "automatic":
            return self.policy == "online"
        if not self._probe_lock.acquire(blocking=False):  # a probe is on its way (slow link):
            was, when = self._online  # its last answer; none yet (the first answer is slow,
            return was or when == -float("inf")  # or the embedded hub still starting): online
        try:
            was, when = self._online
            if time.monotonic() - when < (self.alive_every if was else self.probe_every):
                return was
            online = self._probe()
            self._online = (online, time.monotonic())
        finally:
            self._probe_lock.release()
        if online and not was:
            self.sender.poke()  # the link is back: whatever waits can go now
        if online and self.outbox.meta(KEY_META) is None:
            with suppress(BackendError):  # now, so a later offline submit can seal
                self.public_key()
        return online

    def _probe(self) -> bool:
        try:
            response = self.session.post(f"{self.base_url}/v1/heartbeat",
                                         timeout=self.probe_timeout, json=self._beat_body(""))
        except http().RequestException:
            return False
        if response.status_code in (401, 403):
            log.warning("the hub refused this kiosk's token (HTTP %s)", response.status_code)
        if response.status_code != 200:
            return False
        with suppress(ValueError):
            self._beat = (response.json(), time.monotonic())
        return True

    def status(self) -> tuple[bool, int]:
        """(online, submissions waiting to be sent) for the connection indicator."""
        return self.is_online(), self.outbox.waiting_count()

    # talking to the hub
    def _call(self, method: str, path: str, errors: dict[int, type[BackendError]] | None = None,
              **kwargs) -> Any:
        """The hub's JSON answer. Called off the GUI thread; no online check first (that would
        cost a round trip more): the offline policy alone stops it before the network."""
        if self.policy == "offline":
            raise Unavailable()
        try:
            response = self.session.request(method, f"{self.base_url}{path}",
                                            **{"timeout": self.timeout, **kwargs})
        except http().RequestException as problem:  # slow or down: the poll decides which
            raise Unavailable() from problem
        status = response.status_code
        if errors and status in errors:
            raise errors[status]()
        if status == 404:
            raise NotFound()
        if status >= 500 or status in (408, 429):
            raise Unavailable()
        if status >= 400:
            log.warning("the hub refused %s %s (HTTP %s)", method, path.split("?")[0], status)
            raise BackendError()
        try:
            return response.json()
        except ValueError as problem:
            raise Unavailable() from problem

    # identity
    @staticmethod
    def _citizen(data: dict) -> Citizen:
        return Citizen(data["id_number"], data["name"], date.fromisoformat(data["birth_date"]),
                       data["address"], data["phone"], int(data["age"]))

    def citizen_by_card(self, id_number: str) -> Citizen:
        return self._citizen(self._call("POST", "/v1/identity/card",
                                        json={"id_number": id_number}))

    def send_code(self, id_number: str) -> str:
        return str(self._call("POST", "/v1/identity/code",
                              json={"id_number": id_number})["phone_ending"])

    def verify_code(self, id_number: str, code: str) -> Citizen:
        return self._citizen(self._call("POST", "/v1/identity/verify", {422: WrongCode},
                                        json={"id_number": id_number, "code": code}))

    # live lists and lookups
    def options(self, source: str, params: dict[str, Any]) -> list[Option]:
        found = self._call("GET", f"/v1/options/{source}", params=_plain(params))
        return [Option(o["value"], Text(dict(o["label"])), o.get("icon") or "") for o in found]

    def slots(self, params: dict[str, Any]) -> list[Slot]:
        wanted = {k: _plain(params.get(k)) for k in ("hospital", "department", "day")}
        found = self._call("GET", "/v1/slots", params=wanted)
        return [Slot(s["id"], datetime.fromisoformat(s["start"]), int(s["free"])) for s in found]

    def lookup(self, query: str, params: dict[str, Any], citizen: Citizen | None) -> dict:
        return self._call("POST", f"/v1/lookups/{query}", json={
            "params": _plain(params), "citizen_id": citizen.id_number if citizen else None})

    def catalogue(self) -> dict:
        """The services the hub publishes: {"version": ..., "services": [...]}."""
        return self._call("GET", "/v1/catalogue")

    @property
    def last_code(self) -> str:
        return self.demo_code()

    def demo_code(self) -> str:
        """A demo hub shows its one-time code (no phone receives it); real hubs have no such
        page, and then this is empty."""
        try:
            return str(self._call("GET", "/v1/demo/last-code").get("code", ""))
        except BackendError:
            return ""

    def _beat_body(self, version: str) -> dict:
        return {"kiosk_id": self.kiosk_id, "queue_waiting": self.outbox.waiting_count(),
                "queue_quarantined": self.outbox.quarantined_count(),
                "version": version or kiosk_version(), **self.report()}

    def heartbeat(self, version: str = "") -> dict:
        """Tell the hub this kiosk is alive; the liveness probe's answer when it is fresh (the
        probe is a heartbeat), so a kiosk sends one every `alive_every` seconds, not two."""
        if not version and self.is_online() and self._beat is not None \
                and time.monotonic() - self._beat[1] < self.alive_every:
            return self._beat[0]
        answer = self._call("POST", "/v1/heartbeat", json=self._beat_body(version))
        self._beat = (answer, time.monotonic())
        return answer

    def send_usage(self, records: list[dict]) -> int:
        """Anonymous visit records (kiosk.usage) to the hub; how many it now holds of them (a
        record it already had counts, and is not stored twice). Unavailable offline."""
        answer = self._call("POST", "/v1/usage", json={"records": records})
        try:
            return int(answer["stored"]) + int(answer["already_stored"])
        except (KeyError, TypeError, ValueError) as problem:  # not the hub's usual answer
            raise Unavailable(f"the hub's answer to the usage records was not understood "
                              f"({type(problem).__name__})") from problem

    # help requests (no personal data: only where the citizen is stuck)
    def call_help(self, service_id: str | None, step_id: str | None) -> str:
        """Ask the centre's helper desk for a helper; the request's id. Unavailable offline."""
        return str(self._call("POST", "/v1/help-requests",
                              json={"service_id": service_id, "step_id": step_id})["id"])

    def help_status(self, request_id: str) -> dict:
        """{"id", "state": open|acknowledged|closed, "helper_name", "created", "acknowledged",
        "closed"}; NotFound for an id this kiosk did not make."""
        return self._call("GET", f"/v1/help-requests/{request_id}")

    def cancel_help(self, request_id: str) -> None:
        """The citizen no longer needs help (the request is closed)."""
        self._call("POST", f"/v1/help-requests/{request_id}/cancel")

    # the live channel of a help call a remote desk took (docs: REMOTE.md)
    def remote_down(self, request_id: str, after: int) -> dict:
        """The desk's messages after `after` (a long poll: the hub answers when one comes, or
        after at most LONG_POLL_S with none). NotFound when the call is gone (404/410)."""
        return self._call("GET", f"{REMOTE_PATH.format(id=request_id)}/down",
                          errors={410: NotFound}, params={"after": after},
                          timeout=(self._connect_timeout(), LONG_POLL_S + 10))

    def remote_up(self, request_id: str, messages: list[dict]) -> int:
        """Messages for the desk; how many the hub accepted. NotFound when the call is gone."""
        answer = self._call("POST", f"{REMOTE_PATH.format(id=request_id)}/up",
                            errors={410: NotFound}, json={"messages": messages})
        return int(answer.get("accepted", 0)) if isinstance(answer, dict) else 0

    def _connect_timeout(self) -> float:
        return self.timeout[0] if isinstance(self.timeout, tuple) else self.timeout

    # submissions
    def public_key(self):
        """The hub's sealing key: fetched once (by the first poll that finds the hub), then
        kept in the outbox database."""
        from kiosk.sync.sealing import load_public  # cryptography: not for every start

        pem = self.outbox.meta(KEY_META)
        if pem is None:
            pem = str(self._call("GET", "/v1/keys/submissions")["public_key_pem"])
            load_public(pem)  # a key that does not load is never stored
            self.outbox.set_meta(KEY_META, pem)
        return load_public(pem)

    def public_key_pem(self) -> str:
        """The kept sealing key, fetched first if this kiosk never had it (for a USB bundle of
        a kiosk never online since its start); "" if it cannot be had."""
        with suppress(BackendError):
            self.public_key()
        return self.outbox.meta(KEY_META) or ""

    def _envelope(self, submission: Submission, provisional: str) -> bytes:
        from kiosk.sync.sealing import seal

        created = aware_time(submission.created)
        plaintext = {"service_id": submission.service_id, "answers": _plain(submission.answers),
                     "citizen_id": submission.citizen_id, "language": submission.language,
                     "created": created, "kiosk_id": self.kiosk_id,
                     "assistance": _plain(submission.assistance)}  # who helped, if anyone
        envelope = seal(self.public_key(), plaintext, submission.service_id, created,
                        provisional)
        return json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def _refused(self, key: str, error: str | None) -> None:
        """The hub refused the item while the citizen is here. A slot taken meanwhile is theirs
        to choose again (the item goes; the new choice is a new filing); anything else stays
        quarantined for the centre's admin."""
        if SLOT_FULL in (error or ""):
            self.outbox.withdraw(key)
            raise SlotFull()
        raise BackendError()

    def _await_claim(self, key: str) -> None:
        """Waits while the background sender's attempt lasts (at most one call's timeout): a
        booking's answer is worth it, it says whether the time is the citizen's."""
        limit = sum(self.timeout) if isinstance(self.timeout, tuple) else self.timeout
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            item = self.outbox.get(key)
            if item is None or item.state != ATTEMPTING:
                return
            time.sleep(0.05)

    def _refused_slot(self, key: str, error: str | None) -> None:
        """While settling, only a slot taken meanwhile is the citizen's to hear about (they
        choose again); any other refusal waits for the centre's admin, quietly."""
        if SLOT_FULL in (error or ""):
            self._refused(key, error)

    def submit(self, submission: Submission) -> SubmitResult:
        """Seal and queue (committed), nothing more: the provisional reference at once. Never an
        official reference that the hub has not acknowledged; an item the hub refused raises
        BackendError (it is quarantined), a slot taken meanwhile SlotFull."""
        item = self.outbox.get(submission.idempotency_key)
        if item is None:  # a second press of Submit finds the first one's item instead
            provisional = provisional_reference(self.kiosk_id)
            item = self.outbox.put(submission.idempotency_key, submission.service_id,
                                   aware_time(submission.created),
                                   self._envelope(submission, provisional), provisional)
            log.info("submission %s for %s queued", item.key[:8], item.service_id)
        if item.state == ACKNOWLEDGED:
            return SubmitResult(str(item.reference))
        if item.state == QUARANTINED:
            self._refused(item.key, item.last_error)
        return SubmitResult(str(item.provisional_reference), provisional=True)

    def settle(self, idempotency_key: str) -> SubmitResult | None:
        """One try to file a queued submission now (off the GUI thread): the official result
        if the hub acknowledged it, None if it still waits (the sender files it later)."""
        item = self.outbox.get(idempotency_key)
        if item is not None and item.state not in (ACKNOWLEDGED, QUARANTINED) \
                and self.policy != "offline":
            outcome = self.sender.send(item.key).outcome
            if outcome is Outcome.SKIPPED:  # the background sender holds it: wait for its word
                self._await_claim(item.key)
            elif outcome is not Outcome.ACKED and outcome is not Outcome.QUARANTINED:
                self.sender.poke()
            item = self.outbox.get(idempotency_key)  # filed or refused, by this try or the sender's
        if item is None:
            return None
        if item.state == QUARANTINED:
            return self._refused_slot(item.key, item.last_error)
        if item.state == ACKNOWLEDGED:
            return SubmitResult(str(item.reference))
        return None
