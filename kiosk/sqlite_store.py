"""A private SQLite file that several threads share: the outbox and the usage log are ones.

Created readable by the kiosk's user only, opened in autocommit mode so that every write is an
explicit BEGIN IMMEDIATE transaction (it holds the database's write lock from its first
statement, so two writers never deadlock upgrading a read lock), behind one lock per process.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Self


class SqliteStore:
    def __init__(self, path: str | os.PathLike, pragmas: Iterable[str], schema: str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        in_memory = str(path) == ":memory:"
        fresh = not in_memory and not self.path.exists()
        self._db = sqlite3.connect(str(path), timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
        if fresh:
            with suppress(OSError):
                os.chmod(self.path, 0o600)
        for pragma in pragmas:
            self._db.execute(f"PRAGMA {pragma}")
        with self._write() as db:
            for statement in filter(str.strip, schema.split(";")):
                db.execute(statement)

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
