"""The admin PIN: set on first start, kept as an argon2id hash in the store for secrets.

Wrong PINs lock the admin entry for a growing time: 3 wrong lock it for 30 seconds, and each
further wrong one (until a right PIN) for twice as long as the last, at most an hour. The
count and the lock live in a small state file, so restarting the kiosk does not lift a lock.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from keyring.errors import KeyringError

from kiosk.config import Message, config_folder
from kiosk.credentials import NoSafeStore, store
from kiosk.files import write_atomically

SERVICE = "assisted-kiosk/admin-pin"
ACCOUNT = "admin"
STATE_FILE = "admin-lock.json"
TRIES = 3
FIRST_LOCK_S = 30.0
LONGEST_LOCK_S = 3600.0
SHORTEST, LONGEST = 4, 8


def state_path() -> Path:
    """Where the lock state lives: beside the settings file."""
    return config_folder() / STATE_FILE


class PinRefused(ValueError):
    """A new PIN that breaks the rules; `str()` in English, `.text(lang)` otherwise."""

    def __init__(self, key: str, **params: object) -> None:
        self.message = Message(key, params)
        super().__init__(self.message.text("en"))

    def text(self, lang: str) -> str:
        return self.message.text(lang)


class NoPinSet(LookupError):
    """check() before any PIN was set: the UI asks for a new PIN instead."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    locked_for: float  # seconds until the next try is allowed (0: not locked)
    tries_left: int  # wrong PINs still allowed before a (longer) lock


def check_rules(pin: str) -> None:
    """Raises PinRefused unless `pin` is 4 to 8 digits, not one digit repeated, not a run."""
    if not (isinstance(pin, str) and pin.isascii() and pin.isdigit()
            and SHORTEST <= len(pin) <= LONGEST):
        raise PinRefused("admin_pin.error.digits", min=SHORTEST, max=LONGEST)
    if len(set(pin)) == 1:
        raise PinRefused("admin_pin.error.same")
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps in ({1}, {-1}):
        raise PinRefused("admin_pin.error.run")


class AdminPin:
    def __init__(self, state_path: Path, clock: Callable[[], float] = time.time,
                 hasher: PasswordHasher | None = None) -> None:
        self.state_path = Path(state_path)
        self.clock = clock
        self._hasher = hasher or PasswordHasher()  # argon2id by default

    # the hash, through the store for secrets (NoSafeStore when there is none)
    def _hash(self) -> str | None:
        try:
            return store().get_password(SERVICE, ACCOUNT)
        except KeyringError as problem:
            raise NoSafeStore(f"The admin PIN could not be read: {problem}") from problem

    def is_set(self) -> bool:
        return self._hash() is not None

    def set_pin(self, pin: str) -> None:
        check_rules(pin)
        try:
            store().set_password(SERVICE, ACCOUNT, self._hasher.hash(pin))
        except KeyringError as problem:
            raise NoSafeStore(f"The admin PIN could not be saved: {problem}") from problem
        self._save_state({})

    # the lock
    def _state(self) -> dict[str, float]:
        try:
            state = json.loads(self.state_path.read_text("utf-8"))
            return {name: float(state[name]) for name in ("wrong", "lock_s", "locked_until")
                    if name in state}
        except (OSError, ValueError, TypeError, AttributeError):
            return {}

    def _save_state(self, state: dict[str, float]) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.state_path, json.dumps(state).encode("utf-8"))

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again (0: now)."""
        state = self._state()
        left = state.get("locked_until", 0.0) - self.clock()
        # never longer than the lock itself, even if the clock was set back meanwhile
        return max(0.0, min(left, state.get("lock_s", 0.0)))

    def check(self, pin: str) -> Verdict:
        waiting = self.locked_for()
        if waiting > 0:
            return Verdict(False, waiting, 0)  # not even tried: a lock is a lock
        known = self._hash()
        if known is None:
            raise NoPinSet("no admin PIN has been set yet")
        if self._matches(known, pin):
            self._save_state({})
            return Verdict(True, 0.0, TRIES)
        state = self._state()
        wrong = int(state.get("wrong", 0)) + 1
        last_lock = state.get("lock_s", 0.0)
        if last_lock or wrong >= TRIES:
            lock = min(last_lock * 2, LONGEST_LOCK_S) if last_lock else FIRST_LOCK_S
            self._save_state({"wrong": 0, "lock_s": lock, "locked_until": self.clock() + lock})
            return Verdict(False, lock, 0)
        self._save_state({"wrong": wrong})
        return Verdict(False, 0.0, TRIES - wrong)

    def _matches(self, known: str, pin: str) -> bool:
        try:
            self._hasher.verify(known, pin)
        except (VerificationError, InvalidHashError):
            return False
        if self._hasher.check_needs_rehash(known):  # stronger hash settings since it was set
            with contextlib.suppress(KeyringError):
                store().set_password(SERVICE, ACCOUNT, self._hasher.hash(pin))
        return True
