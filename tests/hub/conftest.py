"""Real hubs on loopback, on SQLite and on a real PostgreSQL started for the session.

Every hub test that takes `hub` runs twice, once per database. PostgreSQL is never skipped:
if its server cannot start, those tests fail and say why.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from hub import migrate, releases
from hub.auth import TokenCache
from hub.db import Base
from hub.open311_guard import Open311Guard
from hub.remote.relay import Relay
from hub.seed import seed_demo
from hub.testing import (
    HOST,
    PostgresUnavailable,
    RunningHub,
    drop_database,
    free_port,
    fresh_database,
    postgres_server,
    running_hub,
)
from kiosk.sync.sealing import load_public, seal

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 23)  # the kiosk tests' day: the demo citizens are 85, 72 and 88
_databases = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as problem:
        pytest.fail(f"PostgreSQL could not start for the hub tests: {problem}", pytrace=False)


@pytest.fixture(scope="session")
def pg_migrated(pg_server) -> str:
    """The name of a database the hub's migrations brought to head, once for the session: a
    test's database starts as a copy of it, which is what a hub's first start makes of an
    empty one (migrating each takes 0.3-1 s more than copying). Nobody connects to it."""
    name = "hub_migrated"
    migrate.upgrade(fresh_database(pg_server, name))  # alembic disposes of its connection
    return name


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request) -> Iterator[str | None]:
    """None for SQLite (a file in the hub's data folder, migrated as the hub starts), else a
    new PostgreSQL database at the hub's schema (a copy of `pg_migrated`)."""
    if request.param == "sqlite":
        yield None
        return
    server = request.getfixturevalue("pg_server")
    name = f"hub_test_{next(_databases)}"
    yield fresh_database(server, name, template=request.getfixturevalue("pg_migrated"))
    drop_database(server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request) -> Iterator[str | None]:
    """As `database`, but a PostgreSQL database with nothing in it: for the migrations."""
    if request.param == "sqlite":
        yield None
        return
    server = request.getfixturevalue("pg_server")
    name = f"hub_test_{next(_databases)}"
    yield fresh_database(server, name)
    drop_database(server, name)


@pytest.fixture
def start_hub(private_key_file, tmp_path):
    """Starts hubs (all stopped after the test); keywords go to running_hub()."""
    stack = []

    def start(database_url: str | None = None, **kwargs: Any) -> RunningHub:
        kwargs.setdefault("private_key_path", private_key_file)
        kwargs.setdefault("today", TODAY)
        kwargs.setdefault("data_dir", tmp_path / f"hub{len(stack)}")
        manager = running_hub(database_url, **kwargs)
        stack.append(manager)
        return manager.__enter__()

    yield start
    for manager in reversed(stack):
        manager.__exit__(None, None, None)


@pytest.fixture(scope="package")  # stopped when this folder's tests end
def served_sqlite_hub(private_key_file, tmp_path_factory) -> Iterator[RunningHub]:
    with running_hub(None, data_dir=tmp_path_factory.mktemp("served_hub"),
                     private_key_path=private_key_file, today=TODAY) as running:
        yield running


@pytest.fixture(scope="package")  # stopped when this folder's tests end
def served_postgresql_hub(private_key_file, tmp_path_factory, pg_server,
                          pg_migrated) -> Iterator[RunningHub]:
    url = fresh_database(pg_server, "hub_served", template=pg_migrated)
    with running_hub(url, data_dir=tmp_path_factory.mktemp("served_hub"),
                     private_key_path=private_key_file, today=TODAY) as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request) -> Iterator[RunningHub]:
    """A demo hub as a new one starts on a new database (the migrated schema, the demo rows,
    nothing in memory): one hub per database for tests/hub, its database emptied and
    seeded again and its in-memory state made anew before each test. Starting one for each
    test took 0.5-1 s; tests that need other settings use `start_hub`."""
    running = request.getfixturevalue(f"served_{request.param}_hub")
    renew(running)
    yield running
    if running._server is None:  # a test stopped it (hub.stop(); hub.start() is a restart)
        running.start()


def renew(running: RunningHub) -> None:
    """Empty the hub's database and seed it again, and forget what it holds in memory."""
    state = running.app.state
    hub = state.hub
    tables = list(reversed(Base.metadata.sorted_tables))
    with hub.db.engine.begin() as connection:
        if hub.settings.is_sqlite:
            for table in tables:
                connection.execute(table.delete())
            if connection.execute(text("SELECT 1 FROM sqlite_master "
                                       "WHERE name = 'sqlite_sequence'")).first():
                connection.execute(text("DELETE FROM sqlite_sequence"))
        else:
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    seed_demo(hub.db)
    state.relay = Relay()
    state.tokens = TokenCache()
    state.open311_guard = Open311Guard(hub.settings)
    shutil.rmtree(releases.folder(hub.settings), ignore_errors=True)


class ServedHub:
    """`python -m hub --demo` in its own process, all its output in `log` (a file)."""

    def __init__(self, process: subprocess.Popen, port: int, log: Path) -> None:
        self.process, self.log = process, log
        self.url = f"http://{HOST}:{port}"
        self.token = "demo-token"

    def rss_peak_mb(self) -> float:
        """The process's resident memory high-water mark (VmHWM), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(row for row in status.splitlines() if row.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def stop(self) -> str:
        """Stop it; everything it wrote."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def served_hub(data_dir: Path, key: Path, database_url: str | None = None,
               *args: str) -> Iterator[ServedHub]:
    """A hub as an operator runs it (at --log-level debug), in a subprocess on loopback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    data_dir.mkdir(parents=True, exist_ok=True)
    database = ["--database-url", database_url] if database_url else []
    if database_url:
        subprocess.run([sys.executable, "-m", "hub", "migrate", *database], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=120)
    port, log = free_port(), data_dir / "hub.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub", "--demo", "--port", str(port), "--data-dir",
             str(data_dir), "--private-key", str(key), "--log-level", "debug", *database,
             *args], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    served = ServedHub(process, port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{served.url}/v1/catalogue", timeout=5)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the hub did not start:\n{served.stop()}") from None
                time.sleep(0.1)
        yield served
    finally:
        served.stop()


class Client:
    """A kiosk talking to a hub: JSON in and out, the demo token by default."""

    def __init__(self, hub: RunningHub | ServedHub, token: str | None = "demo-token") -> None:
        self.hub = hub
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.hub.url + path, timeout=30, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.hub.url + path, timeout=30, **kwargs)

    def envelope(self, service_id: str, answers: dict[str, Any], *,
                 provisional: str | None = None, citizen_id: str | None = None) -> bytes:
        created = datetime.now(UTC).isoformat()
        plaintext = {"service_id": service_id, "answers": answers, "citizen_id": citizen_id,
                     "language": "en", "created": created, "kiosk_id": "demo-kiosk"}
        public = load_public(self.get("/v1/keys/submissions").json()["public_key_pem"])
        return seal_json(seal(public, plaintext, service_id, created, provisional))

    def submit(self, body: bytes, key: str | None = None) -> requests.Response:
        headers = {"Content-Type": "application/json",
                   "Idempotency-Key": key or str(uuid.uuid4())}
        return self.post("/v1/submissions", data=body, headers=headers)


def desk_browser(hub: RunningHub | ServedHub, token: str = "demo-desk-token") -> requests.Session:
    """A browser at the helper desk, signed in through the form (or refused: no cookie)."""
    browser = requests.Session()
    browser.post(f"{hub.url}/desk/sign-in", data={"token": token, "next": "/desk"}, timeout=30)
    return browser


def seal_json(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


@pytest.fixture
def client(hub) -> Client:
    return Client(hub)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_hub(request, private_key_file, tmp_path_factory) -> Iterator[RunningHub]:
    """One hub per database for a whole test module (its tests must not assume it is empty)."""
    url, server, name = None, None, f"hub_shared_{uuid.uuid4().hex[:12]}"
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        url = fresh_database(server, name, template=request.getfixturevalue("pg_migrated"))
    try:
        with running_hub(url, data_dir=tmp_path_factory.mktemp("shared_hub"),
                         private_key_path=private_key_file, today=TODAY,
                         open311_posts_per_hour=0) as hub:  # limits: test_open311_guard.py
            yield hub
    finally:
        if server:
            drop_database(server, name)
