"""The kiosk in the field, configured for a real hub on loopback (never the demo), started the
way main.py starts it (ui.launch.configured_kiosk, offscreen), with its secrets sealed as on a
bare appliance. Each local file is damaged in turn: the kiosk starts, the file is set aside
with a timestamp, what can be recovered is there, and diagnose names it. A kiosk whose settings
cannot be read, or that has no token, files nothing into the demo: it shows the staff screen
and keeps its queue. Practice mode writes nothing into the real data folder."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import bindparam, create_engine, text

from kiosk import config, credentials
from kiosk.assist.audit import verify
from kiosk.backend import Submission, Unavailable
from kiosk.backend.demo_data import CITIZENS
from kiosk.backend.http import HttpBackend
from kiosk.backend.no_hub import NoHubBackend
from kiosk.diagnostics import repair_folders, repairs_check
from kiosk.files import repairs
from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, configured_kiosk
from ui.walker import Walker

ROOT = Path(__file__).resolve().parents[2]
FORMS = 30  # enough queued forms for the outbox to span many pages
SECRET = "路灯不亮-门口很黑-{n}"  # answers that must never reach the disk in clear
STAMP = r"\.damaged-\d{8}T\d{6}Z"


@pytest.fixture(scope="module")
def hub():
    from hub.testing import running_hub

    with running_hub() as running:
        yield running


class Home:
    """One kiosk's machine: settings and sealed secrets in config/, data in data/."""

    def __init__(self, root: Path, hub) -> None:
        self.root = root
        self.hub = hub
        self.config = root / "config" / "settings.toml"
        self.data = root / "data" / "assisted-kiosk"
        self.key = root / "credentials"
        self.queued: dict[str, bytes] = {}  # key -> the exact bytes committed

    def env(self) -> dict[str, str]:
        return {**os.environ, "KIOSK_CONFIG": str(self.config),
                "CREDENTIALS_DIRECTORY": str(self.key), "XDG_DATA_HOME": str(self.root / "data"),
                "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}

    def start(self):
        kiosk, close = configured_kiosk(self.config)
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        return kiosk, close

    @staticmethod
    def stop(kiosk, close) -> None:
        kiosk.shutdown()
        close()  # as main.py does when the program ends

    def diagnose(self) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "main.py", "diagnose"], cwd=ROOT, env=self.env(),
                              capture_output=True, text=True, timeout=120)


@pytest.fixture
def home(tmp_path, monkeypatch, hub, qtbot):
    """A configured kiosk that has run once: a helper, audit entries, a visit counted, the
    hub's services cached and FORMS forms queued (offline), then shut down cleanly."""
    made = Home(tmp_path, hub)
    made.key.mkdir()
    (made.key / "kiosk-secrets-key").write_bytes(os.urandom(32))
    for name, value in made.env().items():
        if name != "PYTHONPATH":
            monkeypatch.setenv(name, value)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # no desktop keyring: the sealed file, as deployed
    credentials.choose_store(demo=False)
    credentials.save_token("demo-kiosk", hub.token)
    config.save(replace(Settings(), hub_url=hub.url, kiosk_id="demo-kiosk",
                        default_language="en", idle_timeout_s=600), made.config)
    kiosk, close = made.start()
    backend = kiosk.session.backend
    assert isinstance(backend, HttpBackend)
    kiosk.assisted.accounts.create("li", "Li Na", "5791")
    kiosk.assisted.accounts.create("zhao", "Zhao Lei", "8642")
    for action in ("sign_in", "consent_asked", "consent_given", "sign_out"):
        kiosk.assisted.audit.append(action, "demo-kiosk", "li", {})
    kiosk.usage.log.visit_started()
    kiosk.usage.log.task_started("report_problem")
    kiosk.usage.log.task_ended("completed")
    kiosk.usage.log.visit_ended()
    backend.public_key()
    backend.set_policy("offline")  # they wait in the queue, as on a day the link is down
    for n in range(FORMS):
        key = str(uuid.uuid4())
        backend.submit(Submission("report_problem", key, {
            "category": "street_light", "place": CITIZENS[0][3],
            "description": SECRET.format(n=n)}, CITIZENS[0][0], "zh_CN",
            datetime.now().isoformat(timespec="seconds")))
        made.queued[key] = queued_bytes(made.data / "outbox.sqlite3", key)
    made.stop(kiosk, close)
    yield made
    keyring.set_keyring(before)


def queued_bytes(path: Path, key: str) -> bytes:
    with closing(sqlite3.connect(path)) as db:
        return bytes(db.execute("SELECT payload FROM outbox WHERE idempotency_key = ?",
                                (key,)).fetchone()[0])


def damage_page(path: Path, page: int) -> None:
    """Overwrite one page of a SQLite file with noise (a bad sector, a torn write)."""
    with closing(sqlite3.connect(path)) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as out:
        out.seek((page - 1) * size)
        out.write(os.urandom(size))


def page_of(path: Path, body: bytes) -> int:
    """The page of a SQLite file that holds these bytes (a queued form fits in one page)."""
    with closing(sqlite3.connect(path)) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
    return path.read_bytes().index(body[:200]) // size + 1


def damage_form(home: Home) -> set[str]:
    """A bad sector under one queued form (the middle one): the keys of the forms on it."""
    queue = home.data / "outbox.sqlite3"
    page = page_of(queue, home.queued[list(home.queued)[FORMS // 2]])
    lost = {key for key, body in home.queued.items() if page_of(queue, body) == page}
    damage_page(queue, page)
    return lost


def assert_same_bytes(home: Home, outbox, keys) -> None:
    """Each recovered form is the one queued, byte for byte: in the queue, or at the hub."""
    engine = create_engine(home.hub.settings.url)
    try:
        for key in keys:
            item = outbox.get(key)
            if item.state == "acknowledged":
                with engine.connect() as db:
                    stored = db.execute(text("SELECT request_sha256 FROM idempotency_keys "
                                             "WHERE key = :key"), {"key": key}).scalar()
                assert stored == hashlib.sha256(home.queued[key]).hexdigest()
            else:
                assert queued_bytes(outbox.path, key) == home.queued[key]
    finally:
        engine.dispose()


DAMAGE = {
    "audit": ("audit.log", lambda p: p.write_bytes(p.read_bytes() + b'{"seq":5,"ti')),
    "helpers": ("helpers.json", lambda p: p.write_bytes(os.urandom(300))),
    "helpers-entry": ("helpers.json", lambda p: p.write_text(p.read_text().replace(
        '"display_name": ', '"display_name": 7, "was": ', 1))),
    "usage": ("usage.sqlite3", lambda p: p.write_bytes(os.urandom(8192))),
    "outbox": ("outbox.sqlite3", lambda p: p.write_bytes(b"SQLite format 3\0" + os.urandom(9000))),
    "outbox-page": ("outbox.sqlite3", None),  # damage_form
    "catalogue": ("catalogue/report_problem.json", lambda p: p.write_bytes(p.read_bytes()[:40])),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_file_is_set_aside_and_the_kiosk_starts(home, kind, qtbot):
    name, damage = DAMAGE[kind]
    target = home.data / name
    lost = damage_form(home) if damage is None else damage(target)
    aside = target.parent if kind == "catalogue" else target
    kiosk, close = home.start()  # never fatal
    try:
        assert isinstance(kiosk.session.backend, HttpBackend)  # the real hub, never the demo
        assert kiosk.needs_staff is None and kiosk.current() is kiosk.attract
        [moved] = [path for path in aside.parent.iterdir()  # beside it: its -wal, -shm
                   if re.fullmatch(re.escape(aside.name) + STAMP, path.name)]
        [repair] = [r for r in repairs(*repair_folders(kiosk.settings))
                    if r.moved_to == moved.name]
        check = repairs_check(repair_folders(kiosk.settings))
        assert not check.ok and aside.name in check.detail and moved.name in check.detail
        assert aside.name in check.translated("zh_CN").detail
        assisted = kiosk.assisted
        if kind == "audit":  # the 4 intact entries, and the log goes on from them
            assert repair.kept == 4
            assisted.audit.append("sign_in", "demo-kiosk", "li", {})
            assisted.audit.flush()  # written in the background: now
            assert verify(target).ok and verify(target).entries == 5
        elif kind == "helpers":
            assert assisted.accounts.listing() == []  # nothing readable; no demo helper either
        elif kind == "helpers-entry":
            assert [h.helper_id for h in assisted.accounts.listing()] == ["zhao"]
            assert repair.kept == 1
        elif kind == "usage":
            kiosk.usage.log.visit_started()
            kiosk.usage.log.visit_ended()  # a fresh log that counts
        elif kind == "catalogue":  # fetched again from the hub
            assert kiosk.catalogue.get("report_problem") is not None
        else:  # the sender may already be filing what was recovered
            outbox = kiosk.session.backend.outbox
            recovered = {key for key in home.queued if outbox.get(key) is not None}
            assert repair.kept == len(recovered)
            if kind == "outbox-page":  # only the forms on the damaged page are lost
                assert recovered.isdisjoint(lost) and len(recovered) >= FORMS - 3 * len(lost)
            else:
                assert recovered == set()
            assert_same_bytes(home, outbox, recovered)
    finally:
        home.stop(kiosk, close)


def test_a_damaged_outbox_is_reported_by_diagnose_then_recovered_and_delivered_once(home,
                                                                                  qtbot):
    """diagnose reads a damaged queue without crashing (and without touching it); the kiosk
    recovers every readable form at its start; they reach the hub once each."""
    queue = home.data / "outbox.sqlite3"
    damage_form(home)
    damaged = queue.read_bytes()
    before = home.diagnose()
    assert "Traceback" not in before.stderr, before.stderr
    assert before.returncode == 1
    assert "the queue file outbox.sqlite3 is damaged" in before.stdout
    assert queue.read_bytes() == damaged  # diagnose only reads
    kiosk, close = home.start()
    try:
        backend = kiosk.session.backend
        recovered = {key for key in home.queued if backend.outbox.get(key) is not None}
        assert len(recovered) >= FORMS // 2
        backend.sender.poke()  # the background sender files them
        qtbot.waitUntil(lambda: backend.outbox.waiting_count() == 0, timeout=30000)
        assert_same_bytes(home, backend.outbox, recovered)
        engine = create_engine(home.hub.settings.url)
        with engine.connect() as db:
            filed = [row[0] for row in db.execute(text(
                "SELECT key FROM idempotency_keys WHERE key IN :keys").bindparams(
                bindparam("keys", expanding=True)), {"keys": list(recovered)})]
        engine.dispose()
        assert sorted(filed) == sorted(recovered)  # each once
    finally:
        home.stop(kiosk, close)
    after = home.diagnose()
    assert "Damaged files: 1 set aside" in after.stdout and "outbox.sqlite3" in after.stdout
    for path in home.data.rglob("*"):  # sealed on disk, never in clear
        if path.is_file():
            assert "路灯不亮".encode() not in path.read_bytes(), path


def test_submit_with_a_page_damaged_under_the_running_kiosk_says_so(home, qtbot):
    kiosk, close = home.start()
    try:
        kiosk.session.backend.sender.stop()  # nobody else reading while the disk goes bad
        outbox = kiosk.session.backend.outbox
        walker = Walker(kiosk)
        walker.begin("en")
        assert walker.complete("report_problem", submit=False).name == "REVIEW"
        outbox._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        [root] = outbox._read("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'")[0]
        damage_page(outbox.path, root)  # the disk goes bad under the kiosk
        with closing(sqlite3.connect(outbox.path)) as other:  # a writer: caches are re-read
            other.execute("INSERT OR REPLACE INTO meta VALUES ('poke', '1')")
            other.commit()
        walker.tap("next")
        assert kiosk.current() is kiosk.review  # not lost: the answers are still there
        assert kiosk.review.error.message().startswith("This kiosk cannot keep your form")
    finally:
        home.stop(kiosk, close)


SETTINGS = {
    "empty": b"",
    "garbage": os.urandom(200) + b"\xff",
    "wrong-type": b'hub_url = 5\nkiosk_id = "demo-kiosk"\n',
    "cut-short": b'centre_name = "Riverside"\n',
}


@pytest.mark.parametrize("case", [*SETTINGS, "no-token", "damaged-secrets"])
def test_a_kiosk_that_cannot_tell_its_hub_files_nothing_and_needs_staff(home, case, qtbot):
    if case in SETTINGS:
        home.config.write_bytes(SETTINGS[case])
    elif case == "no-token":
        credentials.forget_token("demo-kiosk")
    else:
        secrets = home.config.parent / "secrets.sealed"
        secrets.write_bytes(secrets.read_bytes()[:-5] + b"XXXXX")
    queue = home.data / "outbox.sqlite3"
    kiosk, close = home.start()
    try:
        assert isinstance(kiosk.session.backend, NoHubBackend)
        assert not (home.data / "embedded").exists()  # the demo hub never started
        walker = Walker(kiosk)
        staff = walker.visible("needs-staff")
        assert "needs a member of staff" in staff.text()
        walker.tap("needs-staff")
        assert kiosk.current() is kiosk.attract  # nothing begins
        assert kiosk.session.backend.status() == (False, FORMS)  # the queue kept
        assert {i.key for i in kiosk.session.backend.outbox.items()} == set(home.queued)
        with pytest.raises(Unavailable):  # nothing can be filed, anywhere
            kiosk.session.backend.submit(Submission(
                "report_problem", str(uuid.uuid4()), {"description": "门口很黑-staff"}, None,
                "en", datetime.now().isoformat()))
        said = [part.value for part in kiosk.attract.script("en")]  # spoken, every language
        assert said == ["本机需要工作人员处理后才能使用。请到服务台询问。",
                        "This kiosk needs a member of staff before it can be used. Please ask "
                        "at the desk."]
        assert kiosk.admin.problems  # and the admin screen says why
        assert not kiosk.reader.is_demo
    finally:
        home.stop(kiosk, close)
    for key, body in home.queued.items():
        assert queued_bytes(queue, key) == body
    for path in home.root.rglob("*"):
        if path.is_file():
            assert "门口很黑-staff".encode() not in path.read_bytes(), path
    said = home.diagnose().stdout
    assert "PROBLEM  This kiosk needs a member of staff" in said
    if case == "garbage":
        assert "Damaged files: 1 set aside" in said and "settings.toml was damaged" in said
        assert "until the settings are saved again on the admin screen" in said
    if case == "damaged-secrets":
        assert "Damaged files: 1 set aside" in said and "secrets.sealed was damaged" in said
        assert "Enter the hub token and the admin PIN again." in said


def test_practice_writes_nothing_into_the_real_data_folder(home, qtbot, tmp_path):
    """main.py --practice: the demo helper signs in, a form is filed and its receipt
    printed; every file it leaves is in the practice folder; the reference is PRACTICE."""
    from tests.e2e.test_assisted import helper_signs_in, reach_emergency_phone
    from ui.launch import demo_kiosk

    real = {path: path.read_bytes() for path in home.data.rglob("*") if path.is_file()}
    kiosk = demo_kiosk(Settings(practice=True, idle_timeout_s=600,
                                receipt_dir=str(tmp_path / "receipts")))  # as main.py does
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    try:
        walker = reach_emergency_phone(kiosk)
        helper_signs_in(walker, "2468")
        walker.tap("consent-yes")
        assert kiosk.assisted.helping
        walker.answer_current({"emergency_phone": "13987654321"})  # the helper fills it in
        walker.tap("end-help")
        walker.tap("print-slip")  # the helper's slip, marked too
        walker.tap("next")
        journey = kiosk.session.journey
        while journey.stage.name == "STEP":
            walker.answer_current({"emergency_phone": "13987654321"})
        walker.tap("next")  # submit
        assert re.fullmatch(r"PRACTICE \d{4}", kiosk.confirmation.reference.text())
        walker.tap("print")
    finally:
        kiosk.shutdown()
    after = {path: path.read_bytes() for path in home.data.rglob("*") if path.is_file()
             and home.data / "practice" not in path.parents}
    assert after == real  # the real kiosk's files, untouched
    assert (home.data / "practice" / "demo" / "audit.log").exists()


def test_the_demo_helper_never_signs_in_on_a_real_kiosk(home, qtbot):
    """After a demo and a practice start on the same data folder, and with a demo helper
    left in the real accounts by an older version, "wang" with the public PIN 2468 cannot
    sign in on the real kiosk; a helper removed with main.py remove-helper cannot either."""
    import main
    from kiosk.assist.helpers import HelperAccounts, UnknownHelper
    from ui.launch import demo_kiosk

    for practice in (True, False):
        demo_kiosk(Settings(practice=practice, data_dir=str(home.data))).shutdown()
    HelperAccounts(home.data / "helpers.json").create("wang", "Wang 王", "2468")  # legacy
    assert main.main(["remove-helper", "li", "--data-dir", str(home.data)]) == 0
    assert main.main(["remove-helper", "li", "--data-dir", str(home.data)]) == 1
    kiosk, close = home.start()
    try:
        assert [h.helper_id for h in kiosk.assisted.accounts.listing()] == ["zhao"]
        for helper, pin in (("wang", "2468"), ("li", "5791")):
            with pytest.raises(UnknownHelper):
                kiosk.assisted.sign_in(helper, pin)
        assert kiosk.card.demo_buttons == [] and not kiosk.reader.is_demo
    finally:
        home.stop(kiosk, close)


def test_the_admin_diagnostics_tab_names_the_file_and_what_was_done(home, qtbot):
    from ui.admin.diagnostics_view import DiagnosticsView

    (home.data / "helpers.json").write_bytes(os.urandom(100))
    kiosk, close = home.start()
    try:
        view = DiagnosticsView(kiosk)
        qtbot.addWidget(view)
        view.retranslate("zh_CN")
        view.refresh()
        qtbot.waitUntil(lambda: view.runs == 1, timeout=60000)
        rows = {name: (mark, detail) for mark, name, detail in view.shown()}
        mark, detail = rows["损坏的文件"]
        assert mark.startswith("⚠")
        assert re.search(r"helpers\.json 已损坏，已移到一旁，另存为 helpers\.json" + STAMP, detail)
        assert "读回了 0 个协助人员账户" in detail
        view.retranslate("en")
        rows = {name: detail for _mark, name, detail in view.shown()}
        assert "helpers.json was damaged and set aside as helpers.json.damaged-" in rows[
            "Damaged files"]
    finally:
        home.stop(kiosk, close)
