"""The kiosk's SQLite files carry a schema version (PRAGMA user_version) and move up step by
step (kiosk/sqlite_store.py). The files kiosks wrote before versions existed are made here from
their own schema, written out literally as it shipped, with rows in them: opened by today's
outbox and usage log they keep every row, take new ones, and match a fresh file column for
column. A small store with real steps shows the rules: each file runs only the steps it lacks,
in one transaction (a failing step leaves the file as it was), and a file from a newer kiosk
is set aside with its rows salvaged."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.files import repairs
from kiosk.sqlite_store import NewerSchema, SqliteStore
from kiosk.sync.outbox import Outbox
from kiosk.usage import UsageLog

# The outbox as kiosks wrote it before schema versions (user_version 0).
OUTBOX_BEFORE_VERSIONS = """
CREATE TABLE outbox (
    idempotency_key TEXT PRIMARY KEY, service_id TEXT NOT NULL, created TEXT NOT NULL,
    provisional_reference TEXT, payload BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'attempting', 'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0, due REAL NOT NULL, wait REAL NOT NULL DEFAULT 0,
    last_error TEXT, claimed_by TEXT, claimed_at REAL, queued REAL NOT NULL);
CREATE INDEX outbox_due ON outbox (state, due);
CREATE TABLE acknowledged (idempotency_key TEXT PRIMARY KEY, provisional_reference TEXT,
    reference TEXT NOT NULL, acknowledged TEXT NOT NULL);
CREATE INDEX acknowledged_provisional ON acknowledged (provisional_reference);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO outbox (idempotency_key, service_id, created, provisional_reference, payload, state,
    attempts, due, last_error, queued)
    VALUES ('k-waiting', 'report_problem', '2026-11-20T09:00:00+00:00', 'P-1', X'5345414c4544',
            'waiting', 2, 100.0, 'hub unreachable', 90.0),
           ('k-refused', 'pay_bill', '2026-11-21T10:00:00+00:00', 'P-2', X'00ff', 'quarantined',
            1, 200.0, 'unknown service', 95.0);
INSERT INTO acknowledged VALUES ('k-filed', 'P-0', 'R-2026-000123', '2026-11-19T08:00:00Z');
INSERT INTO meta VALUES ('last_sent', '2026-11-19T08:00:00Z');
"""

# The usage log as kiosks wrote it before schema versions.
USAGE_BEFORE_VERSIONS = """
CREATE TABLE visits (id TEXT PRIMARY KEY, day TEXT NOT NULL, seconds INTEGER NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0);
CREATE TABLE tasks (visit_id TEXT NOT NULL REFERENCES visits (id), position INTEGER NOT NULL,
    service_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'gave_up', 'ineligible')),
    last_step TEXT, seconds INTEGER NOT NULL, rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    comment TEXT, PRIMARY KEY (visit_id, position));
CREATE TABLE help_calls (visit_id TEXT NOT NULL REFERENCES visits (id),
    position INTEGER NOT NULL, wait_s INTEGER, PRIMARY KEY (visit_id, position));
CREATE INDEX visits_unsent ON visits (sent, day);
INSERT INTO visits VALUES ('v-old', '2026-11-20', 300, 0);
INSERT INTO tasks VALUES ('v-old', 0, 'pension_check', 'completed', 'confirm', 240, 5,
                          'usage.comment.easy');
INSERT INTO help_calls VALUES ('v-old', 0, 45);
"""


def old_file(path: Path, script: str, version: int = 0) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {version}")
        db.commit()
    return path


def user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def shape(path: Path) -> dict[str, list[tuple]]:
    """Every table's columns (name, type, not null, default, key) and every index's columns."""
    with closing(sqlite3.connect(path)) as db:
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: [row[1:] for row in db.execute(f'PRAGMA table_info("{name}")')]
                or [row[1:] for row in db.execute(f'PRAGMA index_info("{name}")')]
                for name in names}


def test_an_outbox_from_before_versions_is_migrated_with_every_form(tmp_path):
    path = old_file(tmp_path / "outbox.sqlite3", OUTBOX_BEFORE_VERSIONS)
    with Outbox(path) as outbox:
        assert outbox.repaired is None  # migrated, not set aside
        waiting, refused = sorted(outbox.items(), key=lambda item: item.key, reverse=True)
        assert (waiting.key, waiting.state, waiting.attempts, waiting.last_error) == (
            "k-waiting", "waiting", 2, "hub unreachable")
        assert (refused.key, refused.state) == ("k-refused", "quarantined")
        assert outbox.official_reference("P-0") == "R-2026-000123"
        assert outbox.meta("last_sent") == "2026-11-19T08:00:00Z"
        assert outbox.mark_attempting("k-waiting") == b"SEALED"  # the sealed bytes, unchanged
        outbox.put("k-new", "report_problem", "2026-12-01T09:00:00+00:00", b"NEW", "P-3")
        assert outbox.get("k-new").state == "waiting"
    assert user_version(path) == Outbox(":memory:").version >= 1
    fresh = tmp_path / "fresh.sqlite3"
    Outbox(fresh).close()
    assert shape(path) == shape(fresh)


def test_a_usage_log_from_before_versions_is_migrated_with_every_visit(tmp_path):
    path = old_file(tmp_path / "usage.sqlite3", USAGE_BEFORE_VERSIONS)
    with UsageLog(path, now=lambda: datetime(2026, 12, 1, 10, 0)) as log:
        [old] = log.records()
        assert (old["id"], old["day"], old["seconds"]) == ("v-old", "2026-11-20", 300)
        [task] = old["tasks"]
        assert (task["service_id"], task["outcome"], task["rating"]) == (
            "pension_check", "completed", 5)
        log.visit_started()
        log.task_started("pay_bill")
        log.task_ended("completed")
        log.visit_ended()
        assert len(log.records()) == 2
    assert user_version(path) == UsageLog(":memory:").version >= 1
    fresh = tmp_path / "fresh.sqlite3"
    UsageLog(fresh).close()
    assert shape(path) == shape(fresh)


# A store with real steps, as a later kiosk version will add them.
NOTES_V0 = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"
NOTES = """
CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL,
                                  lang TEXT NOT NULL DEFAULT 'en');
CREATE TABLE IF NOT EXISTS tags (note INTEGER NOT NULL REFERENCES notes (id), tag TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notes_lang ON notes (lang)
"""
STEPS = (
    "ALTER TABLE notes ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'",
    "CREATE TABLE tags (note INTEGER NOT NULL REFERENCES notes (id), tag TEXT NOT NULL);"
    "INSERT INTO tags SELECT id, 'before-tags' FROM notes",
)


class Notes(SqliteStore):
    def __init__(self, path: Path, steps: tuple[str, ...] = STEPS, repair: bool = True) -> None:
        super().__init__(path, ("journal_mode=WAL",), NOTES, kind="notes", repair=repair,
                         migrations=steps)

    def rows(self) -> list[tuple]:
        return self._read("SELECT n.id, n.text, n.lang, group_concat(t.tag) FROM notes n "
                          "LEFT JOIN tags t ON t.note = n.id GROUP BY n.id ORDER BY n.id")


def test_each_file_runs_only_the_steps_it_lacks(tmp_path):
    first = old_file(tmp_path / "v0.sqlite3",
                     f"{NOTES_V0}; INSERT INTO notes (text) VALUES ('one'), ('two')")
    second = old_file(tmp_path / "v1.sqlite3",
                      f"{NOTES_V0}; ALTER TABLE notes ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';"
                      "INSERT INTO notes (text, lang) VALUES ('三', 'zh_CN')", version=1)
    with Notes(first) as notes:
        assert notes.rows() == [(1, "one", "en", "before-tags"), (2, "two", "en", "before-tags")]
    with Notes(second) as notes:  # a second ALTER of the same column would have failed
        assert notes.rows() == [(1, "三", "zh_CN", "before-tags")]
    with Notes(tmp_path / "new.sqlite3") as notes:  # a fresh file runs no step at all
        assert notes.rows() == []
    assert {user_version(p) for p in tmp_path.glob("*.sqlite3")} == {2}
    with Notes(first) as notes:  # opened again: nothing runs twice
        assert len(notes.rows()) == 2


def test_a_step_that_fails_leaves_the_file_as_it_was(tmp_path):
    path = old_file(tmp_path / "v0.sqlite3", f"{NOTES_V0}; INSERT INTO notes (text) VALUES ('x')")
    broken = (STEPS[0], "INSERT INTO no_such_table VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        Notes(path, steps=broken, repair=False)
    assert user_version(path) == 0
    assert shape(path)["notes"] == shape(old_file(tmp_path / "plain.sqlite3", NOTES_V0))["notes"]
    with Notes(path) as notes:  # the right steps still apply to it
        assert notes.rows() == [(1, "x", "en", "before-tags")]


def test_a_file_from_a_newer_kiosk_is_set_aside_with_its_rows_salvaged(tmp_path):
    newer = (f"{NOTES_V0}; ALTER TABLE notes ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';"
             "ALTER TABLE notes ADD COLUMN colour TEXT;"
             "CREATE TABLE tags (note INTEGER NOT NULL, tag TEXT NOT NULL);"
             "INSERT INTO notes (text, lang, colour) VALUES ('from later', 'yue', 'red')")
    path = old_file(tmp_path / "notes.sqlite3", newer, version=3)
    with pytest.raises(NewerSchema, match="schema version 3"):
        Notes(path, repair=False)  # a reader such as diagnose only says so
    with Notes(path) as notes:
        assert notes.rows() == [(1, "from later", "yue", None)]
        assert notes.repaired.kept == 1 and "newer kiosk" in notes.repaired.reason
    [record] = repairs(tmp_path)
    kept = tmp_path / record.moved_to
    assert user_version(kept) == 3  # the newer version finds its own file beside
    assert user_version(path) == 2
