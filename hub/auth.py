"""Kiosks authenticate with a bearer token; the hub keeps only its SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from fastapi import Request
from sqlalchemy import select

from hub.db import Database, Kiosk
from hub.errors import ApiError


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="hub"'})


def authenticate(request: Request) -> str:
    """The kiosk id for the request's bearer token (a FastAPI dependency; 401 otherwise)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("This call needs the kiosk's token: Authorization: Bearer <token>.")
    db: Database = request.app.state.hub.db
    with db.read() as session:
        kiosk_id = session.scalar(select(Kiosk.kiosk_id)
                                  .where(Kiosk.token_hash == token_hash(token)))
    if kiosk_id is None:
        raise _unauthorized("The kiosk's token is not known to this hub.")
    return kiosk_id
