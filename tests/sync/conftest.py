"""A real hub on loopback, the fault proxy in front of it, a real outbox file, and the checks
every scenario ends with (`World.verify`)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kiosk.backend.demo_data import CITIZENS
from kiosk.sync.backoff import Backoff
from kiosk.sync.outbox import ACKNOWLEDGED, QUARANTINED, Outbox
from kiosk.sync.sealing import load_public, seal
from kiosk.sync.sender import Sender
from tests.conftest import keep_hub_key
from tests.hub.conftest import renew
from tests.sync.proxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
FAST = Backoff(base=0.01, cap=0.05)  # tests never wait for real backoff


def longest(base: float = 10.0, cap: float = 60.0) -> Backoff:
    """Backoff whose jitter always picks the longest wait: exact due times to assert on."""
    return Backoff(base=base, cap=cap, uniform=lambda _low, high: high)


def personal_strings(extra: list[str]) -> list[str]:
    found = list(extra)
    for id_number, name, _birth, address, phone in CITIZENS:
        found += [id_number, name, address, phone, phone.removeprefix("+86")]
    return found


def wait_for(condition, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Accepted:
    key: str
    body: bytes  # exactly what the outbox committed
    plaintext: dict
    provisional: str | None


class World:
    def __init__(self, hub, proxy: FaultProxy, tmp_path: Path, caplog) -> None:
        self.hub = hub
        self.proxy = proxy
        self.caplog = caplog
        self.path = tmp_path / "outbox.sqlite3"
        self.outbox = Outbox(self.path)
        self.public_key = load_public(hub.public_key_pem)
        self.accepted: dict[str, Accepted] = {}
        self.answers: list[str] = []  # every answer text sent: must never leak
        self._engine = create_engine(hub.settings.url)
        self._serial = 0

    def sender(self, **options) -> Sender:
        options = {"backoff": FAST, "timeout": (1.0, 2.0), **options}
        return Sender(self.outbox, self.proxy.url, self.hub.token, **options)

    def plaintext(self, service: str = "report_problem", created: str | None = None,
                  citizen: int = 0) -> dict:
        self._serial += 1
        id_number, _name, _birth, address, phone = CITIZENS[citizen % len(CITIZENS)]
        secret = f"路灯不亮第{self._serial}号-{uuid.uuid4().hex[:6]}"
        self.answers.append(secret)
        answers = {"category": "street_light", "place": address, "description": secret,
                   "contact_phone": phone}
        return {"service_id": service, "answers": answers, "citizen_id": id_number,
                "language": "zh_CN", "kiosk_id": "demo-kiosk",
                "created": created or datetime.now().isoformat(timespec="seconds")}

    def queue(self, count: int = 1, service: str = "report_problem", created: str | None = None,
              now: float | None = None) -> list[str]:
        """Seal and commit `count` submissions as the kiosk does; their keys."""
        keys = []
        for _ in range(count):
            plain = self.plaintext(service, created)
            key = str(uuid.uuid4())
            provisional = f"P-demo-kiosk-{key[:8].upper()}"
            body = json.dumps(seal(self.public_key, plain, service, plain["created"], provisional),
                              sort_keys=True, separators=(",", ":")).encode()
            self.outbox.put(key, service, plain["created"], body, provisional, now=now)
            self.accepted[key] = Accepted(key, body, plain, provisional)
            keys.append(key)
        return keys

    def remember(self, key: str, plaintext: dict) -> None:
        """A submission that went through HttpBackend.submit: its bytes are read back from the
        outbox, or (already acknowledged and gone) from what the proxy saw it send."""
        with self._raw() as db:
            row = db.execute("SELECT payload, provisional_reference FROM outbox "
                             "WHERE idempotency_key = ?", (key,)).fetchone()
        if row is None:
            [body] = self.proxy.bodies(key)  # every send of a key carries the same bytes
            row = (body, json.loads(body)["provisional_reference"])
        self.accepted[key] = Accepted(key, bytes(row[0]), plaintext, row[1])
        self.answers += [v for v in plaintext["answers"].values() if isinstance(v, str)]

    def _raw(self):
        import sqlite3
        return sqlite3.connect(self.path)

    # the hub's side
    def hub_rows(self) -> list[dict]:
        with self._engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(text(
                "SELECT reference, provisional_reference, plaintext FROM submissions "
                "WHERE source = 'kiosk'"))]

    def hub_key(self, key: str) -> dict | None:
        with self._engine.connect() as db:
            row = db.execute(text("SELECT request_sha256, state, response_body "
                                  "FROM idempotency_keys WHERE key = :key"), {"key": key}).first()
        return dict(row._mapping) if row else None

    def drain(self, sender: Sender | None = None, timeout: float = 30.0) -> None:
        """Drain until nothing is waiting, with every backoff already over."""
        sender = sender or self.sender()
        wait_for(lambda: sender.drain_once(now=time.time() + 86400) >= 0
                 and self.outbox.waiting_count() == 0, timeout, "the queue to drain")

    def child(self, job: str, url: str | None = None, **options) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.Popen(
            [sys.executable, "-m", "tests.sync.child", job, str(self.path),
             url or self.proxy.url, self.hub.token], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, **options)

    # what every scenario ends with
    def verify(self, quarantined: set[str] = frozenset(), foreign: int = 0) -> None:
        """`foreign`: hub rows another client filed (not from this outbox)."""
        assert self.outbox.waiting_count() == 0, "the queue drains once the fault heals"
        rows = self.hub_rows()
        by_reference = {row["reference"]: row for row in rows}
        filed = 0
        for key, accepted in self.accepted.items():
            item = self.outbox.get(key)
            assert item is not None
            if key in quarantined:
                assert item.state == QUARANTINED and item.last_error, item
                continue
            assert item.state == ACKNOWLEDGED, item
            stored = self.hub_key(key)
            assert stored is not None and stored["state"] == "done"
            assert stored["request_sha256"] == hashlib.sha256(accepted.body).hexdigest()
            assert json.loads(stored["response_body"])["reference"] == item.reference
            row = by_reference[item.reference]
            plaintext = row["plaintext"]
            plaintext = json.loads(plaintext) if isinstance(plaintext, str) else plaintext
            assert plaintext == accepted.plaintext
            assert row["provisional_reference"] == accepted.provisional
            assert self.outbox.official_reference(accepted.provisional) == item.reference
            filed += 1
        assert len(rows) == filed + foreign, "the hub holds what the kiosk accepted, each once"
        self.assert_no_personal_data()

    def assert_no_personal_data(self) -> None:
        files = [self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")]
        raw = b"".join(p.read_bytes() for p in files if p.exists())
        logs = self.caplog.text + "".join(
            repr(record.args) for record in self.caplog.records)
        for secret in personal_strings(self.answers):
            for form in {secret, json.dumps(secret)[1:-1]}:
                assert form.encode() not in raw, "personal data in the outbox file"
                assert form not in logs, "personal data in the logs"


@pytest.fixture(scope="package")  # stopped when this folder's tests end
def served_hub(private_key_file, tmp_path_factory):
    from hub.testing import running_hub

    data = tmp_path_factory.mktemp("sync_hub")  # a copy of the key: a test may take it away
    with running_hub(data_dir=data, private_key_path=keep_hub_key(private_key_file, data)) \
            as running:
        yield running


@pytest.fixture
def hub(served_hub):
    """The folder's hub as a new one starts on a new database (tests/hub/conftest.py renew):
    emptied, seeded and its memory made anew before each test."""
    renew(served_hub)
    yield served_hub
    if served_hub._server is None:  # a test stopped it (hub.stop(); hub.start() is a restart)
        served_hub.start()


@pytest.fixture
def proxy(hub):
    made = FaultProxy(hub.url)
    yield made
    made.close()


@pytest.fixture
def world(hub, proxy, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    made = World(hub, proxy, tmp_path, caplog)
    yield made
    made.outbox.close()
    made._engine.dispose()
