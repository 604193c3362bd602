"""A fleet: a kiosk's heartbeat reports its version and audit chain head; the hub answers with
the settings it keeps for the kiosk's centre or the kiosk itself (set with `python -m hub
set-setting`, checked by the kiosk's own rules) and its catalogue's version.

A real hub on loopback, a real HttpBackend, the real CLI in a subprocess, real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from hub.seed import DEMO_CENTRE
from kiosk import config
from kiosk.assist.audit import AuditLog
from kiosk.backend.http import HttpBackend
from kiosk.catalogue import SERVICES_DIR
from kiosk.fleet import Fleet
from kiosk.settings import Settings
from kiosk.sync.catalogue_cache import refresh
from kiosk.version import version
from tests.hub.conftest import ROOT


def kiosk_of(hub, tmp_path: Path) -> HttpBackend:
    """The demo kiosk of `hub`, every heartbeat sent (no answer reused)."""
    return HttpBackend(hub.url, hub.token, tmp_path / "outbox.sqlite3", "demo-kiosk", "online",
                       alive_every=0.0)


def set_setting(hub, *args: str) -> subprocess.CompletedProcess:
    """`python -m hub set-setting ...` on the hub's own database, as an operator runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "hub", "set-setting", "--data-dir", str(hub.settings.data_dir),
         *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def kiosk_row(hub) -> dict:
    engine = create_engine(hub.settings.url)
    try:
        with engine.connect() as db:
            return dict(db.execute(text(
                "SELECT version, audit_head, audit_seq FROM kiosks WHERE kiosk_id = 'demo-kiosk'"
            )).mappings().one())
    finally:
        engine.dispose()


def audit_log(path: Path, entries: int) -> AuditLog:
    log = AuditLog(path)
    for _ in range(entries):
        log.append("sign_out", "demo-kiosk", "helper-li", {})
    return log


def test_the_hub_records_the_version_and_the_audit_head_and_never_lowers_it(hub, tmp_path):
    log = audit_log(tmp_path / "audit.log", 3)
    fleet = Fleet(Settings(), audit_head=lambda: log.head)
    backend = kiosk_of(hub, tmp_path)
    backend.report = fleet.report
    try:
        answer = backend.heartbeat()
        assert answer["config"] == {}  # nothing set for this kiosk or its centre
        assert answer["catalogue_version"]
        row = kiosk_row(hub)
        assert version() and row["version"] == version()
        assert (row["audit_seq"], row["audit_head"]) == log.head and log.head[0] == 3
        seen = log.head
        backend.report = lambda: {"audit_head": "0" * 64, "audit_seq": 1}  # a log cut short
        backend.heartbeat()
        row = kiosk_row(hub)
        assert (row["audit_seq"], row["audit_head"]) == seen  # the evidence stays
    finally:
        backend.outbox.close()


def test_a_centre_setting_reaches_the_kiosk_is_applied_and_saved(start_hub, tmp_path):
    hub = start_hub()
    path = tmp_path / "settings.toml"
    settings = Settings(hub_url=hub.url, demo=False)
    config.save(settings, path)
    fleet = Fleet(settings, path)
    backend = kiosk_of(hub, tmp_path)
    backend.report = fleet.report
    try:
        done = set_setting(hub, "--centre", DEMO_CENTRE, "idle_timeout_s", "90")
        assert done.returncode == 0, done.stderr
        assert set_setting(hub, "--centre", DEMO_CENTRE, "default_text_size", "large") \
            .returncode == 0
        assert set_setting(hub, "--centre", DEMO_CENTRE, "services",
                           '["report_problem", "pay_bill"]').returncode == 0
        new, catalogue = fleet.take(backend.heartbeat(), backend)
        assert catalogue is None  # the first answer only tells the kiosk its version
        assert (new.idle_timeout_s, new.default_text_size) == (90, "large")
        assert new.services == ("report_problem", "pay_bill")
        assert new.hub_url == hub.url  # untouched
        saved = config.load(path).settings
        assert (saved.idle_timeout_s, saved.default_text_size) == (90, "large")
        # applied: the next heartbeat's hash matches, so the hub sends nothing
        assert backend.heartbeat()["config"] == {}
        # the kiosk's own setting wins over its centre's
        assert set_setting(hub, "--kiosk", "demo-kiosk", "idle_timeout_s", "300") \
            .returncode == 0
        new, _ = fleet.take(backend.heartbeat(), backend)
        assert (new.idle_timeout_s, new.default_text_size) == (300, "large")
        assert config.load(path).settings.idle_timeout_s == 300
        assert set_setting(hub, "--kiosk", "demo-kiosk", "idle_timeout_s", "-").returncode == 0
        new, _ = fleet.take(backend.heartbeat(), backend)
        assert new.idle_timeout_s == 90  # removed: the centre's again
    finally:
        backend.outbox.close()


@pytest.mark.parametrize(("key", "value", "words"), [
    ("idle_timeout_s", "5", "30"),  # the admin form's range, 30 to 600
    ("theme", "purple", "high_contrast"),
    ("hub_url", "https://elsewhere.example.org", "no setting called hub_url"),
    ("no_such_thing", "1", "no setting called no_such_thing"),
    ("services", '["report_problem", "no_such_service"]', "no_such_service"),  # not published
])
def test_the_cli_refuses_a_value_a_kiosk_would_refuse(start_hub, tmp_path, key, value, words):
    hub = start_hub()
    refused = set_setting(hub, "--centre", DEMO_CENTRE, key, value)
    assert refused.returncode == 1
    assert words in refused.stderr and f"{key} was not set" in refused.stderr
    assert any("\u4e00" <= char <= "\u9fff" for char in refused.stderr)  # and in Chinese
    assert "Traceback" not in refused.stderr
    backend = kiosk_of(hub, tmp_path)
    try:
        assert backend.heartbeat()["config"] == {}  # nothing was kept
    finally:
        backend.outbox.close()


def test_verify_audit_reports_a_log_cut_short_below_the_hubs_head(start_hub, tmp_path):
    hub = start_hub()
    path = tmp_path / "audit.log"
    log = audit_log(path, 3)
    backend = kiosk_of(hub, tmp_path)
    backend.report = Fleet(Settings(), audit_head=lambda: log.head).report
    try:
        backend.heartbeat()
    finally:
        backend.outbox.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_HUB_TOKEN": hub.token}

    def verify_audit() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "main.py", "verify-audit", str(path), "--hub",
                               hub.url], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)

    intact = verify_audit()
    assert intact.returncode == 0 and intact.stdout.startswith("OK"), intact.stderr
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2]))  # the last entry removed: still a valid chain
    alone = subprocess.run([sys.executable, "main.py", "verify-audit", str(path)], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert alone.returncode == 0  # on its own the log cannot tell
    cut = verify_audit()
    assert cut.returncode == 1
    assert "CUT SHORT" in cut.stdout and "told of 3 entries" in cut.stdout \
        and "only 2" in cut.stdout
    path.write_bytes(b"")  # emptied: on its own an empty log is intact
    emptied = verify_audit()
    assert emptied.returncode == 1 and "CUT SHORT" in emptied.stdout and "only 0" in emptied.stdout


def test_a_new_catalogue_at_the_hub_is_fetched_by_the_kiosk(start_hub, tmp_path):
    services = tmp_path / "services"
    shutil.copytree(SERVICES_DIR, services)
    hub = start_hub(services_dir=services)
    cache = tmp_path / "catalogue"
    backend = kiosk_of(hub, tmp_path)
    fleet = Fleet(Settings(), catalogue_folder=cache)
    backend.report = fleet.report
    try:
        assert refresh(backend, cache)  # as the kiosk does at start
        before = sorted(p.name for p in cache.iterdir())
        assert fleet.take(backend.heartbeat(), backend) == (None, None)
        assert fleet.take(backend.heartbeat(), backend) == (None, None)  # unchanged
        gone = services / f"{Path(before[0]).stem}.yaml"
        gone.unlink()  # the region withdraws a service; the hub publishes at its restart
        hub.stop()
        hub.start()
        _, catalogue = fleet.take(backend.heartbeat(), backend)
        assert catalogue is not None
        assert sorted(p.name for p in cache.iterdir()) == before[1:]
        assert gone.stem not in {service.id for service in catalogue.services}
    finally:
        backend.outbox.close()


def test_the_hub_keeps_a_kiosks_problems_and_refuses_hostile_ones(hub, tmp_path):
    backend = kiosk_of(hub, tmp_path)
    body = {"kiosk_id": "demo-kiosk", "queue_waiting": 0, "queue_quarantined": 0,
            "version": "1.0", "problems": ["Disk: 12 MB free"],
            "problems_checked": "2026-12-04T10:00:00+00:00"}
    try:
        for bad in ({"problems": ["x"] * 21}, {"problems": ["y" * 301]},
                    {"problems": ["a\x00b"]}, {"problems": "Disk"}):
            answer = backend.session.post(f"{hub.url}/v1/heartbeat", json={**body, **bad},
                                          timeout=30)
            assert answer.status_code == 422, bad
        assert backend.session.post(f"{hub.url}/v1/heartbeat", json=body,
                                    timeout=30).ok
        engine = create_engine(hub.settings.url)
        try:
            with engine.connect() as db:
                problems = db.execute(text("SELECT problems FROM kiosks WHERE kiosk_id = "
                                           "'demo-kiosk'")).scalar_one()
        finally:
            engine.dispose()
        assert "Disk: 12 MB free" in str(problems)
    finally:
        backend.outbox.close()
