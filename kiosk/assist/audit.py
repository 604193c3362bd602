"""An append-only, tamper-evident audit log of what helpers did at this kiosk.

One JSON object per line (UTF-8). Each entry carries the SHA-256 of the entry before it
(`prev_hash`) and its own `hash` over the canonical JSON of all its other fields, so changing,
removing or reordering any line breaks the chain from that line on, and `verify` names the
first broken line. (Whoever can rewrite the whole file and recompute every hash is not caught by
the chain alone: send `AuditLog.last_hash` somewhere else, e.g. the hub, to anchor it.)

A log that does not verify when the kiosk opens it (a torn last line from a power cut in the
middle of an append, a changed line) is never fatal: it is set aside whole, as evidence
(kiosk.files.set_aside), and the intact entries before the first bad line are written back,
so the chain goes on from them and the repair is reported to the admin.

The detail of an entry holds only non-personal facts (step id, service id, relationship kind,
lengths). `append` refuses anything that looks like a typed value or an ID number.

`append` chains the entry at once, in memory, so the order is the order of the calls; writing
it (append and fsync, a few milliseconds, far more on a slow card) is the `writer`'s: at once
by default, in the background on the kiosk (ui.assisted). Entries wait, in order, until they
are on disk; one the disk refused is written with the next, and `flush` writes what waits.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.files import append_checked, set_aside, write_atomically

GENESIS_HASH = hashlib.sha256(b"kiosk-assist-audit-log/v1").hexdigest()

ACTIONS = frozenset({
    "sign_in", "sign_in_refused", "locked_out", "consent_asked", "consent_given",
    "consent_refused", "field_filled", "note_added", "proxy_declared", "language_switched",
    "timeout_paused", "assistance_ended", "sign_out",
    # a clerk at a remote desk (kiosk/remote/session.py): the clerk and desk, never a value
    "remote_taken", "remote_consent_asked", "remote_consent_given", "remote_consent_refused",
    "remote_details_shown", "remote_details_hidden", "remote_screen_shared", "remote_pointed",
    "remote_said", "remote_field_filled", "remote_fill_refused", "remote_language_switched",
    "remote_text_size", "remote_timeout_paused", "remote_call_started", "remote_call_ended",
    "remote_ended",
})

MAX_DETAIL_CHARS = 40
_DIGIT_RUN = re.compile(r"\d{4,}")
_FIELDS = ("seq", "time", "kiosk_id", "helper_id", "action", "detail", "prev_hash", "hash")


@dataclass(frozen=True)
class Entry:
    seq: int
    time: str  # ISO 8601 with UTC offset
    kiosk_id: str
    helper_id: str
    action: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int  # entries checked and found good
    broken_at: int | None  # 1-based line number of the first bad line
    reason: str


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of every field but `hash`."""
    body = {k: v for k, v in fields.items() if k != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def _check_text(what: str, text: str) -> None:
    if len(text) > MAX_DETAIL_CHARS:
        raise ValueError(f"audit {what} is longer than {MAX_DETAIL_CHARS} characters")
    if _DIGIT_RUN.search(text):
        raise ValueError(f"audit {what} holds a run of 4 or more digits")


def check_detail(detail: dict[str, Any]) -> None:
    """Raises ValueError unless every key and value is a short, non-personal fact."""
    if not isinstance(detail, dict):
        raise ValueError("audit detail must be a dict")
    for key, value in detail.items():
        if not isinstance(key, str):
            raise ValueError("audit detail keys must be strings")
        _check_text("detail key", key)
        if value is not None and not isinstance(value, str | int | bool):
            raise ValueError(f"audit detail {key!r} must be text, a whole number, yes/no or none")
        _check_text(f"detail {key!r}", "" if value is None else str(value))


Writer = Callable[[Callable[[], None]], None]  # runs the write it is given, now or later


def write_now(write: Callable[[], None]) -> None:
    write()


class AuditLog:
    def __init__(self, path: str | os.PathLike[str],
                 clock: Callable[[], datetime] | None = None, writer: Writer = write_now) -> None:
        self.path = Path(path)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._writer = writer
        self._lock = threading.Lock()  # the chain and the waiting entries
        self._writing = threading.Lock()  # one writer at a time, so the file keeps the order
        self._waiting: deque[tuple[int, str, bytes]] = deque()  # (seq, hash, line), in order
        self._seq = 0  # the chain so far, written or waiting
        self._last_hash = GENESIS_HASH
        self.repaired = None  # the kiosk.files.Repair made when the log was opened
        if self.path.exists():
            result = verify(self.path)
            if not result.ok:
                self.repaired = set_aside(self.path, "audit", result.reason, self._keep_intact)
                result = verify(self.path) if self.path.exists() else result
            if result.ok and result.entries:
                last = json.loads(self.path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1])
                self._seq, self._last_hash = last["seq"], last["hash"]
        self._written = (self._seq, self._last_hash)

    def _keep_intact(self, damaged: Path) -> int:
        """The entries before the first bad line of the set-aside log, as the new log."""
        result = verify(damaged)
        lines = damaged.read_bytes().split(b"\n")[:result.entries]
        if lines:
            write_atomically(self.path, b"".join(line + b"\n" for line in lines))
        return len(lines)

    @property
    def last_hash(self) -> str:
        """The newest written entry's hash: the whole log so far, in 64 characters."""
        return self.head[1]

    @property
    def head(self) -> tuple[int, str]:
        """(entries written so far, the newest hash): what the heartbeat tells the hub. Not
        the entries still waiting: the hub must never know of more than the file holds."""
        with self._lock:
            return self._written

    @property
    def waiting(self) -> int:
        """Entries chained but not yet on disk."""
        with self._lock:
            return len(self._waiting)

    def append(self, action: str, kiosk_id: str, helper_id: str,
               detail: dict[str, Any]) -> Entry:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        for what, ident in (("kiosk_id", kiosk_id), ("helper_id", helper_id)):
            if not isinstance(ident, str) or not ident or len(ident) > 64 or "\n" in ident:
                raise ValueError(f"audit {what} must be a short, non-empty, one-line text")
        check_detail(detail)
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the audit clock must give times with a UTC offset")
        with self._lock:
            fields: dict[str, Any] = {
                "seq": self._seq + 1, "time": now.isoformat(), "kiosk_id": kiosk_id,
                "helper_id": helper_id, "action": action, "detail": dict(detail),
                "prev_hash": self._last_hash,
            }
            fields["hash"] = entry_hash(fields)
            self._waiting.append((fields["seq"], fields["hash"],
                                  (canonical(fields) + "\n").encode("utf-8")))
            self._seq, self._last_hash = fields["seq"], fields["hash"]
        self._writer(self.flush)
        return Entry(**fields)

    def flush(self) -> None:
        """Write every waiting entry, in order, with one fsync. Raises OSError when the disk
        refuses them; they stay waiting, first in line, and nothing half-written is left."""
        with self._writing:
            with self._lock:
                batch = list(self._waiting)
            if not batch:
                return
            append_checked(self.path, b"".join(line for _, _, line in batch))
            with self._lock:
                for _ in batch:  # only this writer takes entries off; new ones wait behind
                    self._waiting.popleft()
                self._written = batch[-1][:2]


def _shape_ok(obj: Any) -> bool:
    if not isinstance(obj, dict) or sorted(obj) != sorted(_FIELDS):
        return False
    texts = ("time", "kiosk_id", "helper_id", "action", "prev_hash", "hash")
    return (type(obj["seq"]) is int and all(isinstance(obj[k], str) for k in texts)
            and isinstance(obj["detail"], dict))


def verify(path: str | os.PathLike[str]) -> VerifyResult:
    """Recomputes every hash and link; reports the first broken line in plain words."""
    data = Path(path).read_bytes()
    if not data:
        return VerifyResult(True, 0, None, "the log is empty")
    lines = data.split(b"\n")
    complete = lines[-1] == b""
    if complete:
        lines.pop()
    prev = GENESIS_HASH
    for n, raw in enumerate(lines, start=1):
        def bad(reason: str, n: int = n) -> VerifyResult:
            return VerifyResult(False, n - 1, n, reason)

        if raw == b"":
            return bad(f"line {n} is empty")
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return bad(f"line {n} is not valid JSON")
        if not _shape_ok(obj):
            return bad(f"line {n} is not an audit entry")
        if canonical(obj).encode("utf-8") != raw or entry_hash(obj) != obj["hash"]:
            return bad(f"entry {n} (line {n}) was changed: its hash does not match its content")
        if obj["seq"] != n or obj["prev_hash"] != prev:
            after = f"entry {n - 1}" if n > 1 else "the start of the log"
            return bad(f"entry {n} does not follow {after}: the chain is broken")
        if n == len(lines) and not complete:
            return bad(f"line {n} is cut short: it has no line ending")
        prev = obj["hash"]
    count = len(lines)
    return VerifyResult(True, count, None, f"all {count} entries are intact and in order")
