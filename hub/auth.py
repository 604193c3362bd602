"""Kiosks and helper desks authenticate with bearer tokens; the hub keeps only SHA-256s."""

from __future__ import annotations

import secrets

from fastapi import Request
from sqlalchemy import select

from hub.db import Database, Desk, Kiosk
from hub.errors import ApiError
from kiosk.sync.bundle import token_hash  # the kiosk's bundles are checked against the same hash


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
