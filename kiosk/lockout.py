"""The one lockout rule for PINs: the admin's and every helper's.

`TRIES` wrong PINs lock that PIN for `FIRST_LOCK_S`; after that, each further wrong one (until
a right PIN) locks it for twice as long as the last lock, never longer than `LONGEST_LOCK_S`
(an hour), so a passer-by typing at random can make a helper wait, but not for days. A right
PIN forgives everything. While locked, a PIN is not even checked: a lock is a lock.

Only the PIN is locked. A helper's badge is a secret of its own (a random token, not guessable
by typing), so wrong PINs typed by someone else never stop the helper signing in with it; nor
does a badge sign-in forgive those wrong PINs (they were not the helper's).

The locks live in a small JSON file (one per folder: the admin's beside the settings, the
helpers' beside their accounts), so restarting the kiosk does not lift a lock. A damaged file
is set aside like any other (kiosk.files.set_aside), and the readable locks are kept.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.files import Repair, set_aside, write_atomically
from kiosk.message import Message

TRIES = 3
FIRST_LOCK_S = 30.0
LONGEST_LOCK_S = 3600.0
VERSION = 1
ADMIN = "admin"
LEGACY_ADMIN = ("wrong", "lock_s", "locked_until")  # the admin's own file, before versions


@dataclass(frozen=True)
class Lock:
    """One PIN's state: wrong PINs since the last lock, and the last lock (wall clock)."""

    wrong: int = 0
    lock_s: float = 0.0
    locked_until: float = 0.0

    def waiting(self, now: float) -> float:
        """Seconds until the PIN may be tried again; never longer than the lock itself, even
        if the clock was set back meanwhile."""
        return max(0.0, min(self.locked_until - now, self.lock_s))

    def after_wrong(self, now: float) -> Lock:
        wrong = self.wrong + 1
        if self.lock_s or wrong >= TRIES:
            lock = min(self.lock_s * 2, LONGEST_LOCK_S) if self.lock_s else FIRST_LOCK_S
            return Lock(0, lock, now + lock)
        return Lock(wrong)


@dataclass(frozen=True)
class Attempt:
    """What a wrong PIN led to: a wait (seconds, 0 when none) or the tries still left."""

    locked_for: float
    tries_left: int

    def message(self) -> Message:
        return wait_message(self.locked_for)


def wait_message(seconds: float) -> Message:
    """"Try again in N minutes" (seconds under a minute), rounded up: never shorter."""
    if seconds < 60:
        return Message("lockout.wait_seconds", n=max(1, math.ceil(seconds)))
    return Message("lockout.wait_minutes", n=math.ceil(seconds / 60))


def _lock(raw: object) -> Lock | None:
    if not isinstance(raw, dict) or set(raw) != {"wrong", "lock_s", "locked_until"}:
        return None
    if type(raw["wrong"]) is not int or not all(
            type(raw[name]) in (int, float) for name in ("lock_s", "locked_until")):
        return None
    if raw["wrong"] < 0 or not 0 <= raw["lock_s"] <= LONGEST_LOCK_S:
        return None
    return Lock(raw["wrong"], float(raw["lock_s"]), float(raw["locked_until"]))


def _locks(raw: bytes) -> tuple[dict[str, Lock], bool]:
    """The readable locks of a file, and whether all of it was readable."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return {}, False
    if isinstance(data, dict) and set(data) <= set(LEGACY_ADMIN):  # before versions: the admin's
        lock = _lock({**dict.fromkeys(LEGACY_ADMIN, 0), **data})
        return ({} if lock is None or lock == Lock() else {ADMIN: lock}), lock is not None
    found = data.get("locks") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return {}, False
    locks = {name: lock for name, raw_lock in found.items()
             if isinstance(name, str) and (lock := _lock(raw_lock)) is not None}
    return locks, len(locks) == len(found) and data.get("version") == VERSION


class PinLocks:
    """The locks of the PINs kept in one folder, by name ("admin", or a helper's id)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.repaired: Repair | None = None  # when a damaged file was set aside
        self._guard = threading.Lock()  # a PIN is checked in the background

    def _load(self) -> dict[str, Lock]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        locks, whole = _locks(raw)
        if not whole:
            self.repaired = set_aside(self.path, "locks", "not a PIN lock file",
                                      self._keep_readable)
        return locks

    def _keep_readable(self, damaged: Path) -> int:
        locks, _ = _locks(damaged.read_bytes())
        if locks:
            self._save(locks)
        return len(locks)

    def _save(self, locks: dict[str, Lock]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept = {name: asdict(lock) for name, lock in sorted(locks.items()) if lock != Lock()}
        write_atomically(self.path, json.dumps({"version": VERSION, "locks": kept}).encode())

    def _change(self, name: str, change: Callable[[Lock], Lock]) -> Lock:
        with self._guard:
            locks = self._load()
            lock = change(locks.get(name, Lock()))
            if lock != locks.get(name, Lock()):
                locks[name] = lock
                self._save(locks)
            return lock

    def locked_for(self, name: str, now: float) -> float:
        """Seconds until this PIN may be tried again (0: now)."""
        with self._guard:
            return self._load().get(name, Lock()).waiting(now)

    def wrong(self, name: str, now: float) -> Attempt:
        """A wrong PIN was typed (while not locked): the lock it leads to, or tries left."""
        lock = self._change(name, lambda lock: lock.after_wrong(now))
        return Attempt(lock.waiting(now), 0 if lock.lock_s else TRIES - lock.wrong)

    def right(self, name: str) -> None:
        """The right PIN: everything forgiven."""
        self._change(name, lambda _lock: Lock())

    def forget(self, name: str) -> None:
        """The PIN is gone (a helper removed, a new admin PIN set)."""
        self.right(name)
