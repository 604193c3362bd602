"""A private SQLite file that several threads share: the outbox and the usage log are ones.

Created readable by the kiosk's user only, opened in autocommit mode so that every write is an
explicit BEGIN IMMEDIATE transaction (it holds the database's write lock from its first
statement, so two writers never deadlock upgrading a read lock), behind one lock per process.

A file that is not a database, or fails SQLite's quick check when opened, is set aside
(kiosk.files.set_aside) and a fresh one made with every row still readable in the old one
(`salvage`: SQLite's own `.recover`, else row by row): a damaged page costs only its rows.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Self

from kiosk.files import set_aside

log = logging.getLogger(__name__)
RECOVER_TIMEOUT_S = 120


class SqliteStore:
    def __init__(self, path: str | os.PathLike, pragmas: Iterable[str], schema: str,
                 kind: str = "other", repair: bool = True) -> None:
        """`kind` names the file in a repair record; `repair=False` (a reader such as
        `diagnose`, while the kiosk may have the file open) raises instead of setting aside."""
        self.path = Path(path)
        self._lock = threading.RLock()
        self._pragmas, self._schema = tuple(pragmas), schema
        self._db: sqlite3.Connection | None = None
        self.repaired = None  # the kiosk.files.Repair made when this file was opened
        in_memory = str(path) == ":memory:"
        try:
            self._open(check=not in_memory and self.path.exists())
        except sqlite3.DatabaseError as problem:
            if in_memory or not repair:
                raise
            self._close_quietly()
            self.repaired = set_aside(self.path, kind, f"SQLite: {problem}", self._rebuild)
            if self._db is None:  # the recovery failed before the fresh file was made
                self._open(check=False)

    def _open(self, check: bool) -> None:
        in_memory = str(self.path) == ":memory:"
        fresh = not in_memory and not self.path.exists()
        self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
        if fresh:
            with suppress(OSError):
                os.chmod(self.path, 0o600)
        for pragma in self._pragmas:
            self._db.execute(f"PRAGMA {pragma}")
        if check:
            verdict = self._db.execute("PRAGMA quick_check").fetchone()
            if not verdict or verdict[0] != "ok":
                raise sqlite3.DatabaseError(f"quick check: {verdict[0] if verdict else '?'}"[:120])
        with self._write() as db:
            for statement in filter(str.strip, self._schema.split(";")):
                db.execute(statement)

    def _rebuild(self, damaged: Path) -> int:
        self._open(check=False)
        with self._lock:
            return salvage(damaged, self._db)

    def _close_quietly(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        """Every row a query gives, behind the process's lock (in autocommit mode each read
        sees the last committed state; connect's timeout=30 s is SQLite's busy timeout)."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the database's write lock from its first statement."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")


def salvage(damaged: Path, into: sqlite3.Connection) -> int:
    """Copy every row still readable in `damaged` into the same tables of `into` (a fresh
    database with the schema made); how many rows. A row that breaks a constraint is left."""
    scratch = sqlite3.connect(":memory:")
    try:
        if not _load_recovered(damaged, scratch):
            _copy_readable(damaged, scratch, into)
        return _copy_rows(scratch, into)
    finally:
        scratch.close()


def _load_recovered(damaged: Path, scratch: sqlite3.Connection) -> bool:
    """SQLite's `.recover` (the sqlite3 command) into `scratch`; False when there is none."""
    tool = shutil.which("sqlite3")
    if tool is None:
        return False
    try:
        done = subprocess.run([tool, str(damaged), ".recover"], capture_output=True,
                              timeout=RECOVER_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    statement = ""
    for line in done.stdout.decode("utf-8", "replace").splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            with suppress(sqlite3.Error):  # one bad statement costs only itself
                scratch.execute(statement)
            statement = ""
    return True


def _copy_readable(damaged: Path, scratch: sqlite3.Connection,
                   into: sqlite3.Connection) -> None:
    """Without the sqlite3 command: each table's rows read in order until a bad page."""
    try:
        source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error:
        return
    try:
        for name, sql in into.execute("SELECT name, sql FROM sqlite_master WHERE type = "
                                      "'table'").fetchall():
            with suppress(sqlite3.Error):
                scratch.execute(sql)
                cursor = source.execute(f'SELECT * FROM "{name}"')
                marks = None
                while True:
                    try:
                        row = cursor.fetchone()
                    except sqlite3.Error:
                        break
                    if row is None:
                        break
                    marks = marks or ",".join("?" * len(row))
                    scratch.execute(f'INSERT INTO "{name}" VALUES ({marks})', row)
    finally:
        source.close()


def _copy_rows(scratch: sqlite3.Connection, into: sqlite3.Connection) -> int:
    copied = 0
    tables = [row[0] for row in into.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    found = {row[0] for row in scratch.execute("SELECT name FROM sqlite_master "
                                                "WHERE type = 'table'")}
    for table in tables:
        if table not in found:
            continue
        wanted = [row[1] for row in into.execute(f'PRAGMA table_info("{table}")')]
        have = {row[1] for row in scratch.execute(f'PRAGMA table_info("{table}")')}
        columns = ", ".join(f'"{c}"' for c in wanted if c in have)
        if not columns:
            continue
        marks = ", ".join("?" * len([c for c in wanted if c in have]))
        into.execute("BEGIN IMMEDIATE")
        try:
            for row in scratch.execute(f'SELECT {columns} FROM "{table}"'):
                try:
                    copied += into.execute(f'INSERT OR IGNORE INTO "{table}" ({columns}) '
                                           f"VALUES ({marks})", row).rowcount
                except sqlite3.Error:
                    continue  # a row damaged past its constraints is left behind
        finally:
            into.execute("COMMIT")
    return copied
