"""Kiosks and helper desks authenticate with bearer tokens; the hub keeps only SHA-256s.

A token is checked on every request, so a known token's hash is remembered for TOKEN_TTL_S
seconds (an unknown one never is): a token replaced or removed in the database, by
`python -m hub add-kiosk` or by another hub sharing it, stops working at most that long
afterwards; TokenCache.forget() drops them all at once. A remembered token is checked without
leaving the event loop; only a lookup goes to a worker thread.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from hub.db import Database, Desk, Kiosk
from hub.errors import ApiError
from kiosk.sync.bundle import token_hash  # the kiosk's bundles are checked against the same hash

T = TypeVar("T")

TOKEN_TTL_S = 10.0
_MAX_REMEMBERED = 50_000  # token hashes with their holder: a few megabytes at most


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="hub"'})


class TokenCache:
    """(kind, token hash) -> (holder, monotonic expiry), for kiosks and desks."""

    def __init__(self, ttl_s: float = TOKEN_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._known: dict[tuple[str, str], tuple[object, float]] = {}
        self._lock = threading.Lock()

    def get(self, kind: str, hashed: str) -> object | None:
        found = self._known.get((kind, hashed))
        return found[0] if found is not None and found[1] > time.monotonic() else None

    def put(self, kind: str, hashed: str, holder: object | None) -> None:
        with self._lock:
            if holder is None:
                self._known.pop((kind, hashed), None)
                return
            if len(self._known) >= _MAX_REMEMBERED:
                self._known.clear()
            self._known[(kind, hashed)] = (holder, time.monotonic() + self.ttl_s)

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _holder(request: Request, kind: str, token: str,
                  look_up: Callable[[Database, str], T | None]) -> T | None:
    cache: TokenCache = request.app.state.tokens
    hashed = token_hash(token)
    found = cache.get(kind, hashed)
    if found is None:
        found = await run_in_threadpool(look_up, request.app.state.hub.db, hashed)
        cache.put(kind, hashed, found)
    return found  # type: ignore[return-value]


def _kiosk_of(db: Database, hashed: str) -> str | None:
    with db.read() as session:
        return session.scalar(select(Kiosk.kiosk_id).where(Kiosk.token_hash == hashed))


def _desk_of(db: Database, hashed: str) -> tuple[str, str] | None:
    with db.read() as session:
        found = session.execute(select(Desk.desk_id, Desk.centre)
                                .where(Desk.token_hash == hashed)).first()
    return (found[0], found[1]) if found else None


async def authenticate(request: Request) -> str:
    """The kiosk id for the request's bearer token (a FastAPI dependency; 401 otherwise)."""
    token = _bearer(request)
    if not token:
        raise _unauthorized("This call needs the kiosk's token: Authorization: Bearer <token>.")
    kiosk_id = await _holder(request, "kiosk", token, _kiosk_of)
    if kiosk_id is None:
        raise _unauthorized("The kiosk's token is not known to this hub.")
    return kiosk_id


def desk_for_token(db: Database, token: str) -> tuple[str, str] | None:
    """(desk_id, centre) of a desk token, or None (a kiosk's token is not a desk's)."""
    return _desk_of(db, token_hash(token)) if token else None


async def authenticate_desk(request: Request) -> tuple[str, str]:
    """(desk_id, centre) for the request's desk bearer token (a FastAPI dependency; 401)."""
    token = _bearer(request)
    if not token:
        raise _unauthorized("This call needs a helper desk's token: Authorization: Bearer "
                            "<desk token>.")
    desk = await _holder(request, "desk", token, _desk_of)
    if desk is None:
        raise _unauthorized("This token is not a helper desk's token on this hub.")
    return desk
