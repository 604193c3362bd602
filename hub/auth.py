"""Kiosks and helper desks authenticate with bearer tokens; the hub keeps only SHA-256s.

A kiosk's token is checked on every request, so a known token hash is remembered for
TOKEN_TTL_S seconds (an unknown one never is): a token replaced or removed in the database,
by `python -m hub add-kiosk` or another hub sharing it, stops working at most that long
afterwards; TokenCache.forget() drops them all at once.
"""

from __future__ import annotations

import secrets
import threading
import time

from fastapi import Request
from sqlalchemy import select

from hub.db import Database, Desk, Kiosk
from hub.errors import ApiError
from kiosk.sync.bundle import token_hash  # the kiosk's bundles are checked against the same hash


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="hub"'})


TOKEN_TTL_S = 10.0
_MAX_REMEMBERED = 50_000  # tokens, each a hash and a kiosk id: a few megabytes at most


class TokenCache:
    """token hash -> (kiosk id, monotonic expiry), for the hub's kiosks."""

    def __init__(self, ttl_s: float = TOKEN_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._known: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def kiosk_for(self, db: Database, hashed: str) -> str | None:
        now = time.monotonic()
        found = self._known.get(hashed)
        if found is not None and found[1] > now:
            return found[0]
        with db.read() as session:
            kiosk_id = session.scalar(select(Kiosk.kiosk_id).where(Kiosk.token_hash == hashed))
        with self._lock:
            if kiosk_id is None:
                self._known.pop(hashed, None)
            else:
                if len(self._known) >= _MAX_REMEMBERED:
                    self._known.clear()
                self._known[hashed] = (kiosk_id, now + self.ttl_s)
        return kiosk_id

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


def authenticate(request: Request) -> str:
    """The kiosk id for the request's bearer token (a FastAPI dependency; 401 otherwise)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("This call needs the kiosk's token: Authorization: Bearer <token>.")
    kiosk_id = request.app.state.tokens.kiosk_for(request.app.state.hub.db, token_hash(token))
    if kiosk_id is None:
        raise _unauthorized("The kiosk's token is not known to this hub.")
    return kiosk_id


def desk_for_token(db: Database, token: str) -> tuple[str, str] | None:
    """(desk_id, centre) of a desk token, or None (a kiosk's token is not a desk's)."""
    if not token:
        return None
    with db.read() as session:
        found = session.execute(select(Desk.desk_id, Desk.centre)
                                .where(Desk.token_hash == token_hash(token))).first()
    return (found[0], found[1]) if found else None


def authenticate_desk(request: Request) -> tuple[str, str]:
    """(desk_id, centre) for the request's desk bearer token (a FastAPI dependency; 401)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("This call needs a helper desk's token: Authorization: Bearer "
                            "<desk token>.")
    desk = desk_for_token(request.app.state.hub.db, token)
    if desk is None:
        raise _unauthorized("This token is not a helper desk's token on this hub.")
    return desk
