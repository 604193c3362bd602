"""A private SQLite file that several threads share: the outbox and the usage log are ones.

Created readable by the kiosk's user only, opened in autocommit mode so that every write is an
explicit BEGIN IMMEDIATE transaction (it holds the database's write lock from its first
statement, so two writers never deadlock upgrading a read lock), behind one lock per process.

A file that is not a database, or fails SQLite's quick check when opened, is set aside
(kiosk.files.set_aside) and a fresh one made with every row still readable in the old one
(`salvage`, row by row: Debian's sqlite3 shell is built without the page access `.recover`
needs): a damaged page costs only its own rows.

Each file carries its schema's version (PRAGMA user_version) and moves up by a list of steps:
step i takes a file at version i to i + 1, in the transaction that opens it, so a file is
either wholly migrated or untouched. `schema` is always the latest one (a fresh file gets it,
and then the latest version); a step only ever adds (a column with a default, a table, an
index), so rows salvaged from an older file fit the latest schema. A file from a newer version
(the software was rolled back) is set aside like a damaged one: its rows are salvaged into
this version's schema and the file itself is kept for the newer version.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Self

from kiosk.files import set_aside

log = logging.getLogger(__name__)


class NewerSchema(sqlite3.DatabaseError):
    """The file was made by a newer version of the kiosk than this one."""


class SqliteStore:
    counted = ""  # the table whose recovered rows a repair reports ("": all of them)

    def __init__(self, path: str | os.PathLike, pragmas: Iterable[str], schema: str,
                 kind: str = "other", repair: bool = True,
                 migrations: Sequence[str] = ()) -> None:
        """`kind` names the file in a repair record; `repair=False` (a reader such as
        `diagnose`, while the kiosk may have the file open) raises instead of setting aside.
        `migrations[i]` is the SQL that takes a file at version i to i + 1; the latest version
        is len(migrations)."""
        self.path = Path(path)
        self._lock = threading.RLock()
        self._pragmas, self._schema = tuple(pragmas), schema
        self._migrations = tuple(migrations)
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
            self._migrate(db)

    @property
    def version(self) -> int:
        """The latest schema version: what every file this store opens is brought to."""
        return len(self._migrations)

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring the file to the latest schema (inside the opening transaction)."""
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > self.version:
            raise NewerSchema(f"schema version {found}: a newer kiosk made it (this one has "
                              f"{self.version})")
        empty = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() is None
        if not empty:
            for step in self._migrations[found:]:
                _execute_all(db, step)
            if found < self.version:
                log.info("%s: schema version %d -> %d", self.path.name, found, self.version)
        _execute_all(db, self._schema)
        if found != self.version:
            db.execute(f"PRAGMA user_version = {self.version:d}")

    def _rebuild(self, damaged: Path) -> int:
        self._open(check=False)
        with self._lock:
            copied = salvage(damaged, self._db)
        return copied.get(self.counted, 0) if self.counted else sum(copied.values())

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


def _execute_all(db: sqlite3.Connection, script: str) -> None:
    """Each statement of a script (split at ';', so no triggers) in the open transaction:
    executescript would commit it first."""
    for statement in filter(str.strip, script.split(";")):
        db.execute(statement)


def salvage(damaged: Path, into: sqlite3.Connection) -> dict[str, int]:
    """Copy every row still readable in `damaged` into the same tables of `into` (a fresh
    database with the schema made); how many rows, by table. Each table is read in rowid
    order from the front until a bad page, then from the back until one (as the sqlite3
    shell's .dump does on a damaged file): a damaged leaf costs only its own rows. A row that
    breaks a constraint is left behind."""
    try:
        source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    copied = {}
    try:
        tables = [row[0] for row in into.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            copied[table] = _copy_table(source, into, table)
    finally:
        source.close()
    return copied


def _copy_table(source: sqlite3.Connection, into: sqlite3.Connection, table: str) -> int:
    wanted = [row[1] for row in into.execute(f'PRAGMA table_info("{table}")')]
    try:
        have = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
    except sqlite3.Error:
        return 0
    columns = [name for name in wanted if name in have]
    if not columns:
        return 0
    listed = ", ".join(f'"{name}"' for name in columns)
    insert = (f'INSERT OR IGNORE INTO "{table}" ({listed}) '
              f"VALUES ({', '.join('?' * len(columns))})")
    copied = 0
    into.execute("BEGIN IMMEDIATE")
    try:
        for order in ("", " DESC"):
            for row in _readable(source, f'SELECT {listed} FROM "{table}" ORDER BY rowid{order}'):
                try:
                    copied += into.execute(insert, row).rowcount
                except sqlite3.Error:
                    continue  # damaged past its constraints: left behind
    finally:
        into.execute("COMMIT")
    return copied


def _readable(source: sqlite3.Connection, query: str) -> Iterator[tuple]:
    """The rows of a query up to the first one SQLite cannot read."""
    try:
        cursor = source.execute(query)
        while (row := cursor.fetchone()) is not None:
            yield row
    except sqlite3.Error:
        return
