"""The usage log: one anonymous record per visit, for the centre's dashboard and the hub.

The UI reports what happens through the recorder calls, in order:

    log.visit_started()                  # the first touch on the welcome screen
    log.task_started("pay_bill")         # a service chosen
    log.step_reached("account")          # each step shown (the last one is where people stop)
    log.help_called(); log.help_answered()   # a helper was called / acknowledged or signed in
    log.task_ended("completed")          # or "gave_up", "ineligible"
    log.rated(4, "usage.comment.easy")   # the rating screen, for the task that just ended
    log.visit_ended()                    # back to the welcome screen: the record is written

Anonymous by construction: the tables hold only the day (never the time of day), whole
seconds, service / step / phrase ids, outcomes and scores; no citizen id, no name, no answer,
no free text. A visit is kept in memory until it ends and written in one transaction; a task
still open then counts as given up at the last step reached. The calls never raise for being
made out of order (a usage log must not break the kiosk): a task outside a visit starts one,
an end without a start is ignored. SQLite file, WAL; safe to use from two threads (the UI
records, the sync thread sends).
"""

from __future__ import annotations

import csv as csv_module
import io
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from kiosk.backend.base import BackendError
from kiosk.files import write_atomically
from kiosk.i18n import has, tr
from kiosk.sqlite_store import SqliteStore
from kiosk.usage_stats import (
    MAX_BATCH_BYTES,
    MAX_HELP_CALLS,
    MAX_RECORDS,
    MAX_SECONDS,
    MAX_TASKS,
    OUTCOMES,
    summarise,
    summary_csv_text,
)

log = logging.getLogger(__name__)

# The short comments a citizen may add to a rating (texts in i18n/*/usage.json).
COMMENT_KEYS = (
    "usage.comment.easy",
    "usage.comment.too_long",
    "usage.comment.hard_to_read",
    "usage.comment.could_not_hear",
    "usage.comment.confusing",
    "usage.comment.helper_kind",
)

CSV_COLUMNS = ("visit_id", "day", "visit_seconds", "help_calls", "help_answered",
               "help_wait_s", "task", "service_id", "outcome", "last_step", "task_seconds",
               "rating", "comment", "comment_text")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS visits (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tasks (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    position INTEGER NOT NULL,
    service_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'gave_up', 'ineligible')),
    last_step TEXT,
    seconds INTEGER NOT NULL,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    comment TEXT,
    PRIMARY KEY (visit_id, position)
);
CREATE TABLE IF NOT EXISTS help_calls (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    position INTEGER NOT NULL,
    wait_s INTEGER,
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX IF NOT EXISTS visits_unsent ON visits (sent, day);
"""
# Step i takes a file at schema version i to i + 1 (kiosk/sqlite_store.py); _SCHEMA is the
# latest. A step only adds (a column with a default, a table, an index).
_MIGRATIONS = (
    "",  # 0 -> 1: files from before versions already hold this schema; they get the number
)


def _seconds(start: datetime, end: datetime) -> int:
    """Whole seconds, never negative (a clock set back), at most a day."""
    return min(MAX_SECONDS, max(0, round((end - start).total_seconds())))


@dataclass
class _Task:
    service_id: str
    started: datetime
    last_step: str | None = None
    outcome: str | None = None
    seconds: int = 0
    rating: int | None = None
    comment: str | None = None


@dataclass
class _Visit:
    started: datetime
    tasks: list[_Task] = field(default_factory=list)
    open_task: _Task | None = None
    help_called_at: list[datetime] = field(default_factory=list)
    help_waits: list[int | None] = field(default_factory=list)


class UsageLog(SqliteStore):
    counted = "visits"  # a repair reports the visits recovered
    def __init__(self, path: str | os.PathLike,
                 now: Callable[[], datetime] = datetime.now) -> None:
        """`now` gives local wall time (injectable for tests); only its day is ever stored."""
        super().__init__(path, ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"),
                         _SCHEMA, kind="usage", migrations=_MIGRATIONS)
        self._now = now
        self._visit: _Visit | None = None

    # --- the recorder calls (the UI's thread) ---------------------------------------------

    def visit_started(self) -> None:
        """A new visit; one still open (nobody ended it) is written first."""
        with self._lock:
            if self._visit is not None:
                self.visit_ended()
            self._visit = _Visit(self._now())

    def _open_visit(self) -> _Visit:
        if self._visit is None:
            self._visit = _Visit(self._now())
        return self._visit

    def task_started(self, service_id: str) -> None:
        """A service chosen; a task still open is given up at its last step."""
        with self._lock:
            visit = self._open_visit()
            if visit.open_task is not None:
                self._end_task(visit, "gave_up")
            if len(visit.tasks) < MAX_TASKS:
                visit.open_task = _Task(service_id, self._now())

    def step_reached(self, step_id: str) -> None:
        with self._lock:
            if self._visit is not None and self._visit.open_task is not None:
                self._visit.open_task.last_step = step_id

    def task_ended(self, outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")
        with self._lock:
            if self._visit is not None and self._visit.open_task is not None:
                self._end_task(self._visit, outcome)

    def _end_task(self, visit: _Visit, outcome: str) -> None:
        task = visit.open_task
        assert task is not None
        task.outcome, task.seconds = outcome, _seconds(task.started, self._now())
        visit.tasks.append(task)
        visit.open_task = None

    def help_called(self) -> None:
        with self._lock:
            visit = self._open_visit()
            if len(visit.help_waits) < MAX_HELP_CALLS:
                visit.help_called_at.append(self._now())
                visit.help_waits.append(None)

    def help_answered(self) -> None:
        """A helper acknowledged the latest call or signed in: its wait ends. A second answer
        (sign-in after acknowledgement) changes nothing; an earlier call the citizen cancelled
        stays unanswered."""
        with self._lock:
            if self._visit is None or not self._visit.help_waits:
                return
            if self._visit.help_waits[-1] is None:
                self._visit.help_waits[-1] = _seconds(self._visit.help_called_at[-1],
                                                      self._now())

    def rated(self, score: int, comment_key: str | None = None) -> None:
        """The citizen's rating of the task that ended last in this visit (a second rating
        replaces the first; with no ended task it is not kept)."""
        if score not in range(1, 6):
            raise ValueError("score must be 1 to 5")
        if comment_key is not None and comment_key not in COMMENT_KEYS:
            raise ValueError(f"comment_key must be one of {COMMENT_KEYS}")
        with self._lock:
            if self._visit is None or not self._visit.tasks:
                log.debug("a rating with no ended task is not kept")
                return
            task = self._visit.tasks[-1]
            task.rating, task.comment = score, comment_key

    def visit_ended(self) -> None:
        """Back to the welcome screen: the visit's record is written (nothing if no visit)."""
        with self._lock:
            visit, self._visit = self._visit, None
            if visit is None:
                return
            if visit.open_task is not None:
                self._end_task(visit, "gave_up")
            try:
                self._save(visit)
            except sqlite3.Error as problem:
                log.warning("a visit could not be added to the usage log: %s", problem)

    def _save(self, visit: _Visit) -> None:
        import uuid  # (and platform): not for the kiosk's start

        visit_id = str(uuid.uuid4())
        with self._write() as db:
            db.execute("INSERT INTO visits (id, day, seconds) VALUES (?, ?, ?)",
                       (visit_id, visit.started.date().isoformat(),
                        _seconds(visit.started, self._now())))
            db.executemany(
                "INSERT INTO tasks (visit_id, position, service_id, outcome, last_step, "
                "seconds, rating, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(visit_id, n, t.service_id, t.outcome, t.last_step, t.seconds, t.rating,
                  t.comment) for n, t in enumerate(visit.tasks)])
            db.executemany("INSERT INTO help_calls (visit_id, position, wait_s) VALUES (?, ?, ?)",
                           [(visit_id, n, wait) for n, wait in enumerate(visit.help_waits)])

    # --- reading, sending, exporting --------------------------------------------------------

    def records(self, unsent_only: bool = False, since: date | None = None) -> list[dict]:
        """Visit records, JSON-ready (format in kiosk.usage_stats), the oldest first."""
        where, params = [], []
        if unsent_only:
            where.append("sent = 0")
        if since is not None:
            where.append("day >= ?")
            params.append(since.isoformat())
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        chosen = f"visit_id IN (SELECT id FROM visits{clause})"
        with self._lock:  # held across the three reads (an RLock): no visit lands in between
            visits = self._read(f"SELECT id, day, seconds FROM visits{clause} "
                                "ORDER BY day, rowid", tuple(params))
            tasks = self._read(
                "SELECT visit_id, service_id, outcome, last_step, seconds, rating, comment "
                f"FROM tasks WHERE {chosen} ORDER BY visit_id, position", tuple(params))
            calls = self._read(f"SELECT visit_id, wait_s FROM help_calls WHERE {chosen} "
                               "ORDER BY visit_id, position", tuple(params))
        found = {visit_id: {"id": visit_id, "day": day, "seconds": seconds, "help": [],
                            "tasks": []} for visit_id, day, seconds in visits}
        for visit_id, *task in tasks:
            found[visit_id]["tasks"].append(dict(zip(
                ("service_id", "outcome", "last_step", "seconds", "rating", "comment"), task,
                strict=True)))
        for visit_id, wait in calls:
            found[visit_id]["help"].append({"wait_s": wait})
        return list(found.values())

    def mark_sent(self, ids: Iterable[str]) -> int:
        """The hub holds these records now; they stay here for the local dashboard."""
        with self._write() as db:
            return sum(db.execute("UPDATE visits SET sent = 1 WHERE id = ? AND sent = 0",
                                  (visit_id,)).rowcount for visit_id in ids)

    def unsent_count(self) -> int:
        return self._read("SELECT COUNT(*) FROM visits WHERE sent = 0")[0][0]

    def csv(self, path: str | os.PathLike, lang: str = "en",
            records: Sequence[dict] | None = None) -> int:
        """One row per task (a visit with no task: one row without task fields), each with its
        visit's fields; UTF-8 with a byte order mark so Excel shows Chinese right. The number
        of rows written. The help fields repeat on each task row of a visit: sum them over
        visits, not rows."""
        rows = 0
        text = io.StringIO()
        writer = csv_module.writer(text)
        writer.writerow(CSV_COLUMNS)
        for record in self.records() if records is None else records:
            waits = [call["wait_s"] for call in record["help"] if call["wait_s"] is not None]
            visit = [record["id"], record["day"], record["seconds"], len(record["help"]),
                     len(waits), sum(waits)]
            tasks = record["tasks"] or [None]
            for number, task in enumerate(tasks, start=1):
                writer.writerow(visit + (_task_cells(number, task, lang) if task else
                                         [""] * 8))
                rows += 1
        _write_csv(path, text.getvalue())
        return rows

    def summary_csv(self, path: str | os.PathLike,
                    records: Sequence[dict] | None = None) -> None:
        """The dashboard's figures (kiosk.usage_stats.summary_csv_text), UTF-8 with a BOM."""
        summary = summarise(self.records() if records is None else records)
        _write_csv(path, summary_csv_text(summary))


def _write_csv(path: str | os.PathLike, text: str) -> None:
    """The one way a CSV file reaches the USB stick: built in memory, then written in one go
    (kiosk.files.write_atomically), so a stick pulled out half way keeps the file it had,
    never half a table. UTF-8 with a byte order mark so Excel shows Chinese right; readable
    by anyone (it is for the centre's spreadsheet)."""
    write_atomically(Path(path), text.encode("utf-8-sig"), mode=0o644)


def _task_cells(number: int, task: dict[str, Any], lang: str) -> list[Any]:
    comment = task["comment"] or ""
    text = tr(lang, comment) if comment and has("en", comment) else ""
    return [number, task["service_id"], task["outcome"], task["last_step"] or "",
            task["seconds"], "" if task["rating"] is None else task["rating"], comment, text]


class _SendsUsage(Protocol):
    def send_usage(self, records: list[dict]) -> int: ...


def send_pending(usage: UsageLog, backend: _SendsUsage) -> int:
    """Send the records the hub does not have yet (in calls of at most MAX_RECORDS records and
    MAX_BATCH_BYTES of JSON; nearly always one), marking each batch sent only once the hub
    accepted it. The number sent; offline or refused, the rest stays waiting for the next try."""
    sent = 0
    for batch in batches(usage.records(unsent_only=True)):
        try:
            backend.send_usage(batch)
        except BackendError as problem:
            log.info("usage records not sent now (%s); they wait for the next try",
                     type(problem).__name__)
            break
        sent += usage.mark_sent(record["id"] for record in batch)
    return sent


def batches(records: list[dict]) -> Iterable[list[dict]]:
    """The records in order, cut where a batch would pass MAX_RECORDS or MAX_BATCH_BYTES."""
    batch: list[dict] = []
    size = len('{"records": []}')
    for record in records:
        length = len(json.dumps(record).encode("utf-8")) + 2  # and ", "
        if batch and (len(batch) == MAX_RECORDS or size + length > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], len('{"records": []}')
        batch.append(record)
        size += length
    if batch:
        yield batch
