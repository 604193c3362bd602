"""`python -m hub`: serve, migrate, add-kiosk; and the migrations build exactly the models."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from hub import migrate
from hub.config import sqlite_url
from hub.db import Base
from hub.testing import free_port

ROOT = Path(__file__).resolve().parents[2]


def hub_command(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hub", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          **kwargs)


def test_migrations_build_exactly_the_models(empty_database, tmp_path):
    url = empty_database or sqlite_url(tmp_path / "hub.sqlite3")
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection),
                                           Base.metadata)
        assert differences == []
        assert migrate.is_current(engine)
    finally:
        engine.dispose()


def test_migrate_then_add_a_kiosk(empty_database, tmp_path):
    url = empty_database or sqlite_url(tmp_path / "hub.sqlite3")
    done = hub_command("migrate", "--database-url", url)
    assert done.returncode == 0, done.stderr
    assert f"database at revision {migrate.head()}" in done.stdout
    added = hub_command("add-kiosk", "centre-12-a", "--centre", "Centre 12",
                        "--database-url", url)
    assert added.returncode == 0, added.stderr
    token = added.stdout.split("token ", 1)[1].split()[0]
    from hub.testing import running_hub

    with running_hub(url, demo=True, data_dir=tmp_path) as hub:
        answer = requests.get(f"{hub.url}/v1/catalogue", timeout=30,
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200


def test_a_postgresql_hub_refuses_to_start_unmigrated(pg_server, tmp_path):
    from hub.testing import fresh_database

    url = fresh_database(pg_server, "hub_unmigrated")
    done = hub_command("--database-url", url, "--data-dir", str(tmp_path), "--demo")
    assert done.returncode == 1
    assert "python -m hub migrate" in done.stderr


def test_python_m_hub_serves_the_demo_and_prints_its_url(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "--demo", "--port", str(port), "--data-dir",
         str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        for _ in range(30):  # log lines, then the URL
            line = process.stdout.readline()
            if line.startswith("Hub serving at"):
                break
        assert line.startswith(f"Hub serving at http://127.0.0.1:{port} ")
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/v1/catalogue", timeout=5,
                                      headers={"Authorization": "Bearer demo-token"})
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the hub did not start"
                time.sleep(0.1)
        assert answer.status_code == 200
        assert (tmp_path / "hub.sqlite3").exists()
        assert (tmp_path / "submission_key.pem").stat().st_mode & 0o077 == 0
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
