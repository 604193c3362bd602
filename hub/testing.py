"""Real hubs for tests and benches: `running_hub()` on loopback, `postgres_server()`.

    with running_hub() as hub:                      # demo data, SQLite in a temp folder
        requests.get(f"{hub.url}/v1/catalogue",
                     headers={"Authorization": f"Bearer {hub.token}"})
        hub.stop(); hub.start()                     # a restart: same port, same database

    with postgres_server() as url, running_hub(url, data_dir=shared) as a, \
            running_hub(url, data_dir=shared) as b:  # two hubs, one PostgreSQL, one key
        ...
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.config import Settings
from hub.serve import HOST, RunningHub, free_port

__all__ = ["HOST", "RunningHub", "free_port", "running_hub"]  # the served hub lives in hub.serve

@contextmanager
def running_hub(database_url: str | None = None, demo: bool = True,
                data_dir: Path | None = None, **settings: object) -> Iterator[RunningHub]:
    """A real hub on 127.0.0.1 and a free port, with the demo kiosk ("demo-token").

    `data_dir` holds the SQLite file (when no `database_url`) and the private key: give two
    hubs the same one to share a key. Other keywords go to hub.config.Settings.
    """
    with tempfile.TemporaryDirectory(prefix="hub-") as temporary:
        base = Settings(data_dir=Path(data_dir or temporary), database_url=database_url or "",
                        demo=demo, migrate_on_start=True)
        hub = RunningHub(replace(base, **settings))
        hub.start()
        try:
            yield hub
        finally:
            hub.stop()


# --- PostgreSQL --------------------------------------------------------------------------


class PostgresUnavailable(RuntimeError):
    pass


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found: install the `postgresql` "
        "package (./kiosk.sh adds it on a fresh machine)")


def _as_postgres() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "-r", "-M", "-s", "/usr/sbin/nologin", "postgres"],
                       check=True, capture_output=True)
    return ["runuser", "-u", "postgres", "--"]


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise PostgresUnavailable(f"PostgreSQL {what} failed ({' '.join(command)}):\n"
                                  f"{done.stdout}{done.stderr}{tail}")


@contextmanager
def postgres_server(durable: bool = False) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1: yields a SQLAlchemy URL. Tests run it with
    fsync off; `durable` keeps PostgreSQL's own defaults (fsync, synchronous commit, full page
    writes), as a region's server runs, for benches.

    Raises PostgresUnavailable, with PostgreSQL's own words, when it cannot start.
    """
    bindir = _pg_bin()
    prefix = _as_postgres()
    root = Path(tempfile.mkdtemp(prefix="hub-pg-"))
    data, log = root / "data", root / "server.log"
    if prefix:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    port = free_port()
    started = False
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "hub", "--auth=trust",
              "-E", "UTF8", "--locale=C", *([] if durable else ["--no-sync"])], "initdb")
        options = f"-p {port} -k {root} -c listen_addresses={HOST} -c max_connections=300"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
              "-w", "-t", "60", "start"], "start", log)
        started = True
        yield fresh_database(f"postgresql+psycopg://hub@{HOST}:{port}/postgres", "hub")
    finally:
        if started:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def drop_database(server_url: str, name: str) -> None:
    """Drop a database made by fresh_database(), closing whatever still uses it."""
    admin = create_engine(make_url(server_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def fresh_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database on the server of `server_url`, empty or a copy of `template`; returns
    its URL."""
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)
