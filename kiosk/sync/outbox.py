"""The outbox: every submission the kiosk accepted, as the exact request bytes, until the hub
has acknowledged it with an official reference.

One SQLite file (WAL, synchronous=FULL): a put() has reached the disk before the citizen sees a
reference, and a power cut or a killed process loses nothing that was committed. Rows move
waiting -> attempting -> acknowledged (the row is deleted in the same transaction that records
the official reference in `acknowledged`, which never holds the payload) or -> quarantined
(refused by the hub as an item it can never file; kept with the reason for an administrator,
never resent by the sender and never in the way of the items behind it, until the admin sends
it again once the cause is fixed: `requeue`).

The payload column holds the sealed envelope, which the kiosk itself cannot open; everything
else is metadata. Only two readers take the payload back out, and neither opens it: a sender
that has claimed the row, and the admin's USB export (payloads_for_export, kiosk/sync/bundle.py),
which copies the still-sealed bytes of every unfiled item (quarantined ones too: the hub's
operator may file what this hub refused) into a bundle sealed again to the hub and leaves the
rows as they are (the hub files a key once, however it arrives).
Several senders (threads or processes) may share one file: a row is claimed by an atomic
UPDATE ... WHERE state = 'waiting', so one sender at a time sends it. A claim left behind by a
process that died (or a claim older than the lease) goes back to waiting; resending it is safe
because it goes with the same idempotency key.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.backend.base import BackendError
from kiosk.sqlite_store import SqliteStore

WAITING, ATTEMPTING, QUARANTINED, ACKNOWLEDGED = (
    "waiting", "attempting", "quarantined", "acknowledged")
LEASE_S = 600.0  # a claim older than this is abandoned, whoever holds it
MAX_ERROR = 160

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    idempotency_key TEXT PRIMARY KEY,
    service_id TEXT NOT NULL,
    created TEXT NOT NULL,
    provisional_reference TEXT,
    payload BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'attempting', 'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due REAL NOT NULL,
    wait REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    claimed_by TEXT,
    claimed_at REAL,
    queued REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, due);
CREATE TABLE IF NOT EXISTS acknowledged (
    idempotency_key TEXT PRIMARY KEY,
    provisional_reference TEXT,
    reference TEXT NOT NULL,
    acknowledged TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acknowledged_provisional ON acknowledged (provisional_reference);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Step i takes a file at schema version i to i + 1 (kiosk/sqlite_store.py); _SCHEMA is the
# latest. A step only adds (a column with a default, a table, an index).
_MIGRATIONS = (
    "",  # 0 -> 1: files from before versions already hold this schema; they get the number
)
_ITEM = ("idempotency_key, service_id, created, provisional_reference, state, attempts, due, "
         "last_error")


class OutboxDamaged(BackendError):
    """The queue file cannot take a form now: the citizen is told, and asks a member of staff
    (the kiosk sets the file aside and recovers it at its next start)."""

    key = "backend.queue_damaged"


@dataclass(frozen=True)
class OutboxItem:
    """What an administrator or the sender may know about a queued submission: no payload."""

    key: str
    service_id: str
    created: str
    provisional_reference: str | None
    state: str
    attempts: int = 0
    due: float = 0.0
    last_error: str | None = None
    reference: str | None = None  # the official reference, once acknowledged


def short_error(text: str) -> str:
    """A technical reason fit to keep: one line, bounded, long digit runs blotted out (a hub
    message must not smuggle an ID or phone number into the admin listing)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = re.sub(r"\+?\d[\d\s-]{4,}\d[Xx]?", "#", text)
    return text[:MAX_ERROR]


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _owner_alive(owner: str, boot: str) -> bool:
    """Whether the process that wrote a claim may still be running (True when unsure)."""
    owner_boot, _, rest = owner.partition("/")
    if owner_boot != boot:
        return False  # the machine restarted since: nobody from then is still sending
    pid = rest.split(":", 1)[0]
    if os.name != "posix" or not pid.isdigit():
        return True  # leave it to the lease
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Outbox(SqliteStore):
    counted = "outbox"  # a repair reports the forms recovered
    def __init__(self, path: str | os.PathLike, lease_s: float = LEASE_S,
                 repair: bool = True) -> None:
        """A damaged file is set aside and every readable form recovered into a fresh one
        (kiosk/sqlite_store.py); `repair=False` raises sqlite3.DatabaseError instead."""
        super().__init__(path, ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON"),
                         _SCHEMA, kind="outbox", repair=repair, migrations=_MIGRATIONS)
        self.lease_s = lease_s
        self._boot = _boot_id()
        self.owner = f"{self._boot}/{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.recover()  # a process killed mid-send left its claims behind

    # queueing
    def put(self, idempotency_key: str, service_id: str, created: str, envelope_bytes: bytes,
            provisional_reference: str | None, now: float | None = None) -> OutboxItem:
        """Commit a submission (before anything is shown). A key already known keeps its first
        bytes: the same filing is never queued twice, nor queued with another body."""
        now = time.time() if now is None else now
        try:
            self._put(idempotency_key, service_id, created, envelope_bytes,
                      provisional_reference, now)
        except sqlite3.DatabaseError as problem:  # a page damaged since the start, a full disk
            raise OutboxDamaged() from problem
        item = self.get(idempotency_key)
        assert item is not None
        return item

    def _put(self, idempotency_key: str, service_id: str, created: str, envelope_bytes: bytes,
             provisional_reference: str | None, now: float) -> None:
        with self._write() as db:
            if not db.execute("SELECT 1 FROM acknowledged WHERE idempotency_key = ?",
                              (idempotency_key,)).fetchone():
                db.execute(
                    "INSERT OR IGNORE INTO outbox (idempotency_key, service_id, created, "
                    "provisional_reference, payload, state, due, queued) "
                    "VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?)",
                    (idempotency_key, service_id, created, provisional_reference,
                     sqlite3.Binary(bytes(envelope_bytes)), now, now))

    def get(self, key: str) -> OutboxItem | None:
        rows = self._read(f"SELECT {_ITEM} FROM outbox WHERE idempotency_key = ?", (key,))
        if rows:
            return OutboxItem(*rows[0])
        rows = self._read("SELECT provisional_reference, reference FROM acknowledged "
                          "WHERE idempotency_key = ?", (key,))
        if rows:
            return OutboxItem(key, "", "", rows[0][0], ACKNOWLEDGED, reference=rows[0][1])
        return None

    # sending
    def recover(self) -> int:
        """Claims of dead processes, or older than the lease, go back to waiting."""
        claims = self._read("SELECT idempotency_key, claimed_by, claimed_at FROM outbox "
                            "WHERE state = 'attempting'")
        wall = time.time()
        alive: dict[str, bool] = {}
        stale = []
        for key, owner, since in claims:
            owner = owner or ""
            if owner != self.owner and owner not in alive:
                alive[owner] = _owner_alive(owner, self._boot)
            if abs(wall - (since or 0)) > self.lease_s or not alive.get(owner, True):
                stale.append((key, owner))
        if not stale:
            return 0
        with self._write() as db:
            return sum(db.execute(
                "UPDATE outbox SET state = 'waiting', claimed_by = NULL, claimed_at = NULL "
                "WHERE idempotency_key = ? AND state = 'attempting' AND claimed_by IS ?",
                (key, owner or None)).rowcount for key, owner in stale)

    def next_due(self, now: float | None = None, limit: int = 100) -> list[OutboxItem]:
        """Waiting items due by `now`, the longest-due first."""
        now = time.time() if now is None else now
        self.recover()
        stale = "state = 'waiting' AND due > :now + wait"  # the clock was set back since
        if self._read(f"SELECT 1 FROM outbox WHERE {stale} LIMIT 1", {"now": now}):
            with self._write() as db:
                db.execute(f"UPDATE outbox SET due = :now + wait WHERE {stale}", {"now": now})
        rows = self._read(f"SELECT {_ITEM} FROM outbox WHERE state = 'waiting' AND due <= ? "
                          "ORDER BY due, queued LIMIT ?", (now, limit))
        return [OutboxItem(*row) for row in rows]

    def next_due_at(self) -> float | None:
        rows = self._read("SELECT MIN(due) FROM outbox WHERE state = 'waiting'")
        return rows[0][0]

    def mark_attempting(self, key: str) -> bytes | None:
        """Claim a waiting item for sending: its payload, or None if it is not ours to send
        (another sender has it, or it is no longer waiting)."""
        with self._write() as db:
            claimed = db.execute(
                "UPDATE outbox SET state = 'attempting', claimed_by = ?, claimed_at = ? "
                "WHERE idempotency_key = ? AND state = 'waiting'",
                (self.owner, time.time(), key)).rowcount
            if not claimed:
                return None
            return bytes(db.execute("SELECT payload FROM outbox WHERE idempotency_key = ?",
                                    (key,)).fetchone()[0])

    def record_ack(self, key: str, reference: str) -> None:
        """The hub filed it: keep the official reference, then (same transaction) drop the row."""
        with self._write() as db:
            row = db.execute("SELECT provisional_reference FROM outbox WHERE idempotency_key = ?",
                             (key,)).fetchone()
            db.execute("INSERT OR IGNORE INTO acknowledged (idempotency_key, "
                       "provisional_reference, reference, acknowledged) VALUES (?, ?, ?, ?)",
                       (key, row[0] if row else None, reference,
                        datetime.now(UTC).isoformat(timespec="seconds")))
            self._ack_recorded()
            db.execute("DELETE FROM outbox WHERE idempotency_key = ?", (key,))

    def _ack_recorded(self) -> None:
        """Called inside record_ack's transaction, before it commits (tests kill here)."""

    def retry_later(self, key: str, due: float, error: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET state = 'waiting', attempts = attempts + 1, due = ?, "
                "wait = ?, last_error = ?, claimed_by = NULL, claimed_at = NULL "
                "WHERE idempotency_key = ? AND (state = 'waiting' OR claimed_by = ?)",
                (due, max(0.0, due - now), short_error(error), key, self.owner))

    def quarantine(self, key: str, reason: str) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET state = 'quarantined', attempts = attempts + 1, "
                "last_error = ?, claimed_by = NULL, claimed_at = NULL "
                "WHERE idempotency_key = ?", (short_error(reason), key))

    def requeue(self, key: str, now: float | None = None) -> bool:
        """The admin sends a quarantined item again (its cause was fixed): waiting, due now,
        the same key and bytes. False when the key is not quarantined."""
        now = time.time() if now is None else now
        with self._write() as db:
            return db.execute(
                "UPDATE outbox SET state = 'waiting', due = ?, wait = 0 "
                "WHERE idempotency_key = ? AND state = 'quarantined'", (now, key)).rowcount > 0

    def withdraw(self, key: str) -> None:
        """Drop a quarantined item the citizen replaced there and then (a slot taken meanwhile:
        they chose another time, and that is filed under a new key)."""
        with self._write() as db:
            db.execute("DELETE FROM outbox WHERE idempotency_key = ? AND state = 'quarantined'",
                       (key,))

    # what the indicator and the admin screen read
    def items(self) -> list[OutboxItem]:
        return [OutboxItem(*row) for row in self._read(
            f"SELECT {_ITEM} FROM outbox ORDER BY queued, rowid")]

    def waiting_count(self) -> int:
        return self._read("SELECT COUNT(*) FROM outbox WHERE state != 'quarantined'")[0][0]

    def quarantined_count(self) -> int:
        return self._read("SELECT COUNT(*) FROM outbox WHERE state = 'quarantined'")[0][0]

    def last_sent(self) -> str | None:
        """ISO time (UTC) of the latest acknowledgement from the hub: the last successful sync."""
        return self._read("SELECT MAX(acknowledged) FROM acknowledged")[0][0]

    def payloads_for_export(self) -> list[tuple[str, bytes]]:
        """(idempotency key, stored request bytes) of every item not yet filed (waiting, being
        sent or quarantined), oldest first, for a USB bundle. Claims nothing: the rows stay as
        they are and the sender may still send them."""
        return [(key, bytes(payload)) for key, payload in self._read(
            "SELECT idempotency_key, payload FROM outbox ORDER BY queued, rowid")]

    def official_reference(self, provisional: str) -> str | None:
        rows = self._read("SELECT reference FROM acknowledged WHERE provisional_reference = ?",
                          (provisional,))
        return rows[0][0] if rows else None

    # small settings kept with the queue (the hub's public key, the catalogue ETag)
    def meta(self, name: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    def set_meta(self, name: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))
