"""Helper accounts, made by the admin: sign-in by PIN or by badge QR, with lock-out.

The accounts file (JSON, mode 0600) never holds a PIN or a badge token in clear: PINs as
argon2id hashes, badge tokens as SHA-256. Wrong PINs lock that helper's PIN by the kiosk's one
lockout rule (kiosk.lockout: capped at an hour, kept in helper-locks.json beside the accounts, so
a restart does not lift it). The badge is not locked by wrong PINs: someone else typing them
must not keep the helper from signing in.

Pass an `AuditLog` to have sign-ins, refusals, lock-outs and sign-outs logged (the helper id is
logged as "unknown" when it is not a known helper: it may be anything someone typed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.assist.audit import AuditLog
from kiosk.files import set_aside, write_atomically
from kiosk.lockout import PinLocks, wait_message
from kiosk.message import KioskError

LOCKS_FILE = "helper-locks.json"
QR_PREFIX = "kiosk-helper"
_HELPER_ID = re.compile(r"[a-z][a-z0-9_-]{1,31}")
_PIN = re.compile(r"[0-9]{4,8}")


@dataclass(frozen=True)
class Helper:
    helper_id: str
    display_name: str


class SignInRefused(KioskError):
    """Base of every refused sign-in; `.text(lang)` says it to the helper."""

    key = "assist.pick"


class WrongPin(SignInRefused):
    def __init__(self, attempts_left: int) -> None:
        super().__init__("assist.wrong_pin", left=attempts_left)
        self.attempts_left = attempts_left


class LockedOut(SignInRefused):
    """This helper's PIN waits out a lock; the words say the badge still works."""

    def __init__(self, seconds: float) -> None:
        super().__init__("lockout.badge_works", wait=wait_message(seconds))
        self.seconds = seconds


class UnknownHelper(SignInRefused):
    key = "assist.pick"


class BadBadge(SignInRefused):
    """The badge QR is not one this kiosk issued (forged, old or damaged)."""

    key = "assist.bad_badge"


_ACCOUNT_KEYS = {"display_name", "pin_hash", "badge_sha256"}
_OLD_LOCK_KEYS = ("wrong", "lockouts", "locked_until")  # before kiosk.lockout: left out on save


def _account_ok(helper_id: object, account: object) -> bool:
    if not (isinstance(helper_id, str) and _HELPER_ID.fullmatch(helper_id)
            and isinstance(account, dict) and set(account) >= _ACCOUNT_KEYS):
        return False
    return all(isinstance(account[k], str) for k in _ACCOUNT_KEYS)


def _accounts(raw: bytes) -> dict[str, dict[str, Any]] | None:
    """The accounts of a whole, well-formed file; None when any part of it is damaged."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    helpers = data.get("helpers") if isinstance(data, dict) else None
    if not isinstance(helpers, dict) or not all(_account_ok(k, v) for k, v in helpers.items()):
        return None
    return helpers


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class HelperAccounts:
    def __init__(self, path: str | os.PathLike[str], audit: AuditLog | None = None,
                 kiosk_id: str = "kiosk", hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self.audit = audit
        self.kiosk_id = kiosk_id
        self._hasher = hasher or PasswordHasher()  # argon2id by default
        self.repaired = None  # the kiosk.files.Repair made when a damaged file was set aside
        self.locks = PinLocks(self.path.with_name(LOCKS_FILE))

    # the file
    def _load(self) -> dict[str, dict[str, Any]]:
        """The accounts; a damaged file is set aside (never fatal) with the readable accounts
        written back, and the repair reported to the admin."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        helpers = _accounts(raw)
        if helpers is None:
            self.repaired = set_aside(self.path, "helpers", "not a helper accounts file",
                                      self._keep_readable)
            return self._load()
        return helpers

    def _keep_readable(self, damaged: Path) -> int:
        """Accounts that are still whole in a damaged file (a JSON file with a bad entry)."""
        try:
            data = json.loads(damaged.read_bytes().decode("utf-8"))
            found = data["helpers"] if isinstance(data, dict) else {}
        except (ValueError, KeyError):
            return 0
        kept = {helper_id: account for helper_id, account in (
            found.items() if isinstance(found, dict) else []) if _account_ok(helper_id, account)}
        if kept:
            self._save(kept)
        return len(kept)

    def _save(self, helpers: dict[str, dict[str, Any]]) -> None:
        helpers = {helper_id: {k: v for k, v in account.items() if k not in _OLD_LOCK_KEYS}
                   for helper_id, account in helpers.items()}
        write_atomically(self.path, json.dumps({"version": 1, "helpers": helpers},
                                               ensure_ascii=False, indent=1).encode("utf-8"))

    def _log(self, action: str, helper_id: str, **detail: Any) -> None:
        if self.audit is not None:
            self.audit.append(action, self.kiosk_id, helper_id, detail)

    # admin
    def listing(self) -> list[Helper]:
        """Who may sign in on this kiosk (names only: for the sign-in screen's tiles)."""
        return [Helper(helper_id, account["display_name"])
                for helper_id, account in sorted(self._load().items())]

    def create(self, helper_id: str, display_name: str, pin: str) -> str:
        """Adds a helper; returns the badge token (shown once, put in the badge QR)."""
        if not _HELPER_ID.fullmatch(helper_id):
            raise ValueError("helper id: 2-32 of a-z, 0-9, _ and -, starting with a letter")
        if not display_name.strip():
            raise ValueError("a helper needs a display name")
        if not isinstance(pin, str) or not _PIN.fullmatch(pin):
            raise ValueError("a PIN is 4 to 8 digits")
        helpers = self._load()
        if helper_id in helpers:
            raise ValueError(f"helper {helper_id!r} already exists")
        token = secrets.token_urlsafe(24)
        helpers[helper_id] = {
            "display_name": display_name.strip(), "pin_hash": self._hasher.hash(pin),
            "badge_sha256": _sha256(token),
        }
        self._save(helpers)
        self.locks.forget(helper_id)  # a new helper of an old name starts afresh
        return token

    def remove(self, helper_id: str) -> bool:
        """The helper may no longer sign in (their PIN and badge stop working at once);
        False when there is no such helper. The audit log keeps what they did."""
        helpers = self._load()
        if helpers.pop(helper_id, None) is None:
            return False
        self._save(helpers)
        self.locks.forget(helper_id)
        return True

    def has_pin(self, helper_id: str, pin: str) -> bool:
        """Whether this account's PIN is `pin` (a public one, such as the demo's), without
        counting a wrong try against the helper."""
        account = self._load().get(helper_id)
        try:
            return account is not None and self._hasher.verify(account["pin_hash"], pin)
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def badge_text(helper_id: str, token: str) -> str:
        """What the badge QR carries."""
        return f"{QR_PREFIX}:{helper_id}:{token}"

    # sign-in
    def _account(self, helpers: dict[str, dict[str, Any]], helper_id: str,
                 method: str) -> dict[str, Any]:
        account = helpers.get(helper_id)
        if account is None:
            self._log("sign_in_refused", "unknown", method=method, reason="unknown_helper")
            raise UnknownHelper()
        return account

    def _signed_in(self, helpers: dict[str, dict[str, Any]], helper_id: str,
                   method: str) -> Helper:
        account = helpers[helper_id]
        self._log("sign_in", helper_id, method=method)
        return Helper(helper_id, account["display_name"])

    def sign_in_pin(self, helper_id: str, pin: str, now: datetime) -> Helper:
        helpers = self._load()
        account = self._account(helpers, helper_id, "pin")
        waiting = self.locks.locked_for(helper_id, now.timestamp())
        if waiting > 0:
            self._log("sign_in_refused", helper_id, method="pin", reason="locked_out")
            raise LockedOut(waiting)
        try:
            self._hasher.verify(account["pin_hash"], pin)
        except (VerificationError, InvalidHashError):
            attempt = self.locks.wrong(helper_id, now.timestamp())
            if attempt.locked_for:
                self._log("locked_out", helper_id, minutes=math.ceil(attempt.locked_for / 60))
                raise LockedOut(attempt.locked_for) from None
            self._log("sign_in_refused", helper_id, method="pin", reason="wrong_pin",
                      attempts_left=attempt.tries_left)
            raise WrongPin(attempt.tries_left) from None
        self.locks.right(helper_id)
        if self._hasher.check_needs_rehash(account["pin_hash"]):
            account["pin_hash"] = self._hasher.hash(pin)
            self._save(helpers)
        return self._signed_in(helpers, helper_id, "pin")

    def sign_in_badge(self, qr_text: str, now: datetime) -> Helper:
        """The badge alone: not stopped by a lock on the PIN, and not lifting one."""
        prefix, _, rest = qr_text.partition(":")
        helper_id, _, token = rest.partition(":")
        if prefix != QR_PREFIX or not helper_id or not token:
            self._log("sign_in_refused", "unknown", method="badge", reason="bad_badge")
            raise BadBadge()
        helpers = self._load()
        account = self._account(helpers, helper_id, "badge")
        if not hmac.compare_digest(account["badge_sha256"], _sha256(token)):
            self._log("sign_in_refused", helper_id, method="badge", reason="bad_badge")
            raise BadBadge()
        return self._signed_in(helpers, helper_id, "badge")

    def sign_out(self, helper: Helper) -> None:
        self._log("sign_out", helper.helper_id)
