"""Idempotency keys: the same key files once, for ever, even across several hub instances.

1. The key row is inserted first, state "processing", in a transaction of its own: the unique
   key decides which request (on whichever hub) does the work. A loser sees the row: 409 while
   it is processing, the stored response once it is done, 422 if its body is different.
2. The winner does the work and, in the SAME transaction as what it files, stores its response
   and marks the key done. So a crash leaves either nothing filed (key still "processing") or
   everything filed with its response.
3. A request that fails files nothing and releases its key, so a retry runs afresh.
4. "processing" is a lease of `lease_s` seconds (a few): the holder renews it while it works
   (`LeaseKeeper`, one thread per hub process), so a key left "processing" by a hub that died
   is taken over seconds later, while a slow but living holder keeps it.
5. Claims, renewals and releases are soft writes (hub.db): a database crash may lose one, which
   is the same as a crash before it; what is filed, with its answer, is a durable commit.
Bodies are compared by the SHA-256 of their raw bytes, together with the endpoint.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hub.db import Database, IdempotencyKey, aware, utcnow
from hub.errors import ApiError

T = TypeVar("T")
log = logging.getLogger(__name__)

UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
FREE_TEXT = re.compile(r"[!-~]{1,200}")  # Open311 clients choose their own keys


@dataclass(frozen=True)
class Outcome:
    status: int
    body: str  # JSON text, exactly as first sent
    replayed: bool


def header_key(request: Request, required: bool, as_uuid: bool) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        if required:
            raise ApiError(400, "missing_idempotency_key",
                           "This call needs an Idempotency-Key header (a new UUID per "
                           "submission, the same one on every retry).")
        return None
    return checked_key(key, as_uuid)


def checked_key(key: str, as_uuid: bool) -> str:
    """A client's key in its one stored form (from a header, or from a USB bundle's item)."""
    key = key.strip()
    if as_uuid:
        if not UUID_TEXT.fullmatch(key):
            raise ApiError(400, "invalid_idempotency_key",
                           "The idempotency key must be a UUID "
                           "(like 3f2b1c1e-8c47-4d0e-9b5a-2f6d8e9a0b1c).")
        return key.lower()  # one key, however the client spells its hex digits
    if not FREE_TEXT.fullmatch(key):
        raise ApiError(400, "invalid_idempotency_key",
                       "The idempotency key must be 1 to 200 visible ASCII characters.")
    return key


def response(outcome: Outcome) -> Response:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return Response(outcome.body.encode("utf-8"), status_code=outcome.status,
                    media_type="application/json", headers=headers)


def reused() -> ApiError:
    return ApiError(422, "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request.")


def in_progress() -> ApiError:
    return ApiError(409, "in_progress",
                    "A request with this Idempotency-Key is still being processed; "
                    "try again in a moment.", {"Retry-After": "1"})


class LeaseKeeper:
    """Renews the "processing" rows this process holds, every third of a lease, from one
    thread that runs only while some key is held."""

    def __init__(self, db: Database, lease_s: float) -> None:
        self.db = weakref.ref(db)  # the keeper lives as long as its database, not longer
        self.lease_s = lease_s
        self._held: dict[str, str] = {}  # key -> owner
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def hold(self, key: str, owner: str) -> None:
        with self._lock:
            self._held[key] = owner
            if self._thread is None:
                self._thread = threading.Thread(target=self._renew, name="idempotency-lease",
                                                daemon=True)
                self._thread.start()

    def drop(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)

    def _renew(self) -> None:
        while True:
            time.sleep(self.lease_s / 3)
            with self._lock:
                held = dict(self._held)
                if not held:
                    self._thread = None
                    return
            db = self.db()
            if db is None:
                return
            try:
                with db.soft_write() as session, session.begin():
                    for key, owner in held.items():
                        session.execute(update(IdempotencyKey).where(
                            IdempotencyKey.key == key, IdempotencyKey.owner == owner,
                            IdempotencyKey.state == "processing").values(updated=utcnow()))
            except Exception:  # the database is away: the holders' own writes will fail too
                log.warning("could not renew idempotency leases", exc_info=True)


_keepers: weakref.WeakKeyDictionary[Database, LeaseKeeper] = weakref.WeakKeyDictionary()
_keepers_lock = threading.Lock()


def keeper(db: Database, lease_s: float) -> LeaseKeeper:
    with _keepers_lock:
        found = _keepers.get(db)
        if found is None or found.lease_s != lease_s:
            found = _keepers[db] = LeaseKeeper(db, lease_s)
        return found


def run(db: Database, key: str, endpoint: str, raw: bytes, prepare: Callable[[], T],
        file: Callable[[Session, T], tuple[int, Any]], stale_after_s: float) -> Outcome:
    """Claim the key, then `prepare()` (no database) and `file(session, prepared)` once.
    `stale_after_s`: the lease on a "processing" key (hub.config.Settings)."""
    digest = hashlib.sha256(raw).hexdigest()
    claimed = _claim(db, key, endpoint, digest, stale_after_s)
    if isinstance(claimed, Outcome):
        return claimed
    owner = claimed
    leases = keeper(db, stale_after_s)
    leases.hold(key, owner)
    try:
        prepared = prepare()
        with db.write() as session, session.begin():
            status, payload = file(session, prepared)
            body = json.dumps(payload, ensure_ascii=False)
            done = session.execute(
                update(IdempotencyKey)
                .where(IdempotencyKey.key == key, IdempotencyKey.owner == owner,
                       IdempotencyKey.state == "processing")
                .values(state="done", response_status=status, response_body=body,
                        updated=utcnow()))
            if done.rowcount != 1:  # a stale takeover won meanwhile: file nothing
                raise in_progress()
    except BaseException:
        leases.drop(key)
        _release(db, key, owner)
        raise
    leases.drop(key)
    return Outcome(status, body, replayed=False)


def _claim(db: Database, key: str, endpoint: str, digest: str,
           stale_after_s: float) -> str | Outcome:
    """Our owner id when we hold the key; the stored Outcome for a finished repeat."""
    for _ in range(5):
        owner = str(uuid.uuid4())
        now = utcnow()
        try:
            with db.soft_write() as session, session.begin():
                session.add(IdempotencyKey(key=key, endpoint=endpoint, request_sha256=digest,
                                           state="processing", owner=owner, created=now,
                                           updated=now))
            return owner
        except IntegrityError:
            pass
        with db.read() as session:
            row = session.get(IdempotencyKey, key)
        if row is None:
            continue  # released by a failed attempt just now: try to claim it again
        if row.request_sha256 != digest or row.endpoint != endpoint:
            raise reused()
        if row.state == "done":
            return Outcome(row.response_status or 200, row.response_body or "null", True)
        if aware(row.updated) > now - timedelta(seconds=stale_after_s):
            raise in_progress()
        with db.soft_write() as session, session.begin():  # abandoned by a hub that died
            taken = session.execute(
                update(IdempotencyKey)
                .where(IdempotencyKey.key == key, IdempotencyKey.owner == row.owner,
                       IdempotencyKey.state == "processing")
                .values(owner=owner, updated=now))
        if taken.rowcount == 1:
            return owner
    raise in_progress()


def _release(db: Database, key: str, owner: str) -> None:
    with db.soft_write() as session, session.begin():
        session.execute(delete(IdempotencyKey).where(
            IdempotencyKey.key == key, IdempotencyKey.owner == owner,
            IdempotencyKey.state == "processing"))
