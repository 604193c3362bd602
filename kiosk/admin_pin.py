"""The admin PIN: set on first start, kept as an argon2id hash in the store for secrets.

Wrong PINs lock the admin entry by the kiosk's one lockout rule (kiosk.lockout: 3 wrong lock
it for 30 seconds, each further one for twice as long, at most an hour), kept in a small state
file beside the settings, so restarting the kiosk does not lift a lock.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from keyring.errors import KeyringError

from kiosk.config import config_folder
from kiosk.credentials import NoSafeStore, store
from kiosk.lockout import ADMIN, TRIES, PinLocks
from kiosk.message import KioskError

SERVICE = "assisted-kiosk/admin-pin"
ACCOUNT = "admin"
STATE_FILE = "admin-lock.json"
SHORTEST, LONGEST = 4, 8


def state_path() -> Path:
    """Where the lock state lives: beside the settings file."""
    return config_folder() / STATE_FILE


class PinRefused(KioskError, ValueError):
    """A new PIN that breaks the rules; `str()` in English, `.text(lang)` otherwise."""


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
        self.locks = PinLocks(self.state_path)
        self.clock = clock
        self._hasher = hasher or PasswordHasher()  # argon2id by default

    # the hash, through the store for secrets (NoSafeStore when there is none)
    def _hash(self) -> str | None:
        try:
            return store().get_password(SERVICE, ACCOUNT)
        except KeyringError as problem:
            raise NoSafeStore("secrets.pin_unreadable", why=str(problem)) from problem

    def is_set(self) -> bool:
        return self._hash() is not None

    def set_pin(self, pin: str) -> None:
        check_rules(pin)
        try:
            store().set_password(SERVICE, ACCOUNT, self._hasher.hash(pin))
        except KeyringError as problem:
            raise NoSafeStore("secrets.pin_not_saved", why=str(problem)) from problem
        self.locks.forget(ADMIN)

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again (0: now)."""
        return self.locks.locked_for(ADMIN, self.clock())

    def check(self, pin: str) -> Verdict:
        waiting = self.locked_for()
        if waiting > 0:
            return Verdict(False, waiting, 0)  # not even tried: a lock is a lock
        known = self._hash()
        if known is None:
            raise NoPinSet("no admin PIN has been set yet")
        if self._matches(known, pin):
            self.locks.right(ADMIN)
            return Verdict(True, 0.0, TRIES)
        attempt = self.locks.wrong(ADMIN, self.clock())
        return Verdict(False, attempt.locked_for, attempt.tries_left)

    def _matches(self, known: str, pin: str) -> bool:
        try:
            self._hasher.verify(known, pin)
        except (VerificationError, InvalidHashError):
            return False
        if self._hasher.check_needs_rehash(known):  # stronger hash settings since it was set
            with contextlib.suppress(KeyringError):
                store().set_password(SERVICE, ACCOUNT, self._hasher.hash(pin))
        return True
