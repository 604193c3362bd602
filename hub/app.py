"""The hub's FastAPI application: `create_app(settings)`.

Routes live in hub/routes (one module per part of the contract, docs/api/CONTRACT.md); the
formal description is docs/api/openapi.yaml, served at /openapi.yaml.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from hub import errors, keys, logs, migrate
from hub.auth import TokenCache
from hub.config import Settings
from hub.db import Database
from hub.limits import InputLimits
from hub.open311_guard import Open311Guard
from hub.published import Published, publish
from hub.remote import page as remote_page
from hub.remote import routes as remote_routes
from hub.remote.relay import Relay
from hub.routes import (
    catalogue,
    centre_page,
    desk_page,
    desk_session,
    desk_turn,
    identity,
    kiosks,
    lists,
    lookups,
    open311,
    releases,
    submissions,
    usage,
    usage_page,
)
from hub.routes.desk_session import session_key
from hub.seed import seed_demo
from kiosk.resources import resource
from kiosk.sync.sealing import public_pem

log = logging.getLogger(__name__)

OPENAPI_FILE = resource("docs", "api", "openapi.yaml")
STATIC_DIR = Path(__file__).resolve().parent / "static"  # the desk page's scripts


class NotMigrated(RuntimeError):
    pass


@dataclass
class Hub:
    """What every request needs; nothing here changes after start (state is in the database)."""

    settings: Settings
    db: Database
    private_key: rsa.RSAPrivateKey
    public_key_pem: str
    catalogue: Published
    session_key: bytes  # signs the helper desk's cookies (hub.routes.desk_session)

    @classmethod
    def open(cls, settings: Settings) -> Hub:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.url, pool_size=settings.worker_threads + 2)
        migrate_now = settings.migrate_on_start
        if migrate_now is None:
            migrate_now = settings.is_sqlite
        if migrate_now:
            migrate.upgrade(settings.url)
        elif not migrate.is_current(db.engine):
            db.dispose()
            raise NotMigrated("the database is not at the hub's schema version; "
                              "run `python -m hub migrate --database-url ...` first")
        if settings.demo:
            seed_demo(db)
        private_key = keys.load_or_create(settings.key_path, create=settings.demo)
        return cls(settings, db, private_key, public_pem(private_key),
                   publish(settings.services_dir), session_key(private_key))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    hub = Hub.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # sync routes run in this pool; the database pool is sized to match (hub.db)
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield
        hub.db.dispose()

    app = FastAPI(title="Assisted-service kiosk hub", version="1", lifespan=lifespan,
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.state.hub = hub
    app.state.relay = Relay()  # the live channels of taken help calls: in memory only
    app.state.tokens = TokenCache()
    app.state.open311_guard = Open311Guard(settings)
    logs.install()
    errors.install(app)
    app.add_middleware(InputLimits)  # refuses before anything is parsed; inside ServerErrors
    app.add_middleware(errors.ServerErrors)
    # kiosks (the heartbeat) first: routers are tried in this order, and it is half the traffic
    for module in (kiosks, catalogue, identity, lists, lookups, submissions, open311, desk_page,
                   desk_session, usage, usage_page, releases, centre_page, remote_routes,
                   remote_page):
        app.include_router(module.router)
    app.include_router(desk_turn.router)  # the voice call's TURN servers (hub/turn.py)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if settings.demo:
        app.include_router(identity.demo_router)

    @app.get("/alive", include_in_schema=False)
    async def alive() -> Response:
        """For a reverse proxy's health check: answered from memory, no token, no database."""
        return Response(b"ok\n", media_type="text/plain")

    @app.get("/openapi.yaml", include_in_schema=False)
    def openapi_yaml() -> Response:
        if not OPENAPI_FILE.is_file():  # installed without the docs folder
            raise errors.not_found("This hub was installed without docs/api/openapi.yaml.")
        return Response(OPENAPI_FILE.read_bytes(), media_type="application/yaml")

    return app
