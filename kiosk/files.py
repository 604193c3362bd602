"""The one way the kiosk replaces a file (nobody ever reads half of one), appends to one (a
short write is continued or reported), and sets a damaged one aside (never fatal).

A temporary file in the same folder (made 0600 by mkstemp, so a secret is never readable by
others even for a moment), written and fsynced, renamed over the old one, and the folder
fsynced so that the rename itself survives a power cut or a USB stick pulled out.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """OSError (a full disk, a read-only folder) leaves the old file as it was, and no temp."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode != 0o600:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can fsync a folder
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


# --- a damaged file is set aside, never fatal ----------------------------------------------

REPAIRS_FILE = "repairs.jsonl"  # one JSON line per file set aside, in that file's folder
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Repair:
    """What the kiosk did about one damaged file: for the admin screen and `diagnose`.
    `kind` names the file ("audit", "helpers", "usage", "outbox", "catalogue", "settings",
    "secrets"); `kept` is how many entries, accounts or rows were recovered (-1: none apply)."""

    time: str  # ISO, UTC
    kind: str
    file: str
    moved_to: str
    reason: str  # what was wrong, in English (technical, nothing personal)
    kept: int = -1

    def text(self, lang: str) -> str:
        from kiosk.i18n import has, tr  # i18n is only needed when a repair is shown

        key = f"repair.kept.{self.kind}"
        kept = tr(lang, key if has(lang, key) else "repair.kept.other", n=max(self.kept, 0))
        return tr(lang, "repair.line", name=Path(self.file).name, moved=self.moved_to,
                  when=self.time.replace("T", " ")[:16], kept=kept).strip()


def set_aside(path: Path, kind: str, reason: str,
              recover: Callable[[Path], int] | None = None) -> Repair:
    """Move a damaged file (or folder) out of the way as `<name>.damaged-<UTC time>`, with
    SQLite's -wal/-shm beside it; `recover(moved)` takes back what it can (how many entries,
    -1 when that means nothing) and may write a fresh `path`. The repair is recorded in the
    folder's repairs.jsonl and logged. Never raises for the recovery: a failure keeps nothing."""
    path = Path(path)
    moment = datetime.now(UTC)
    target = path.with_name(f"{path.name}.damaged-{moment:%Y%m%dT%H%M%SZ}")
    serial = 1
    while target.exists():
        serial += 1
        target = path.with_name(f"{path.name}.damaged-{moment:%Y%m%dT%H%M%SZ}-{serial}")
    os.replace(path, target)
    for side in ("-wal", "-shm", "-journal"):
        beside = path.with_name(path.name + side)
        if beside.exists():
            os.replace(beside, target.with_name(target.name + side))
    kept = -1
    if recover is not None:
        try:
            kept = recover(target)
        except Exception as problem:  # the kiosk starts with nothing rather than not at all
            log.warning("nothing could be recovered from %s (%s)", target.name,
                        type(problem).__name__)
            kept = 0
    repair = Repair(moment.isoformat(timespec="seconds"), kind, str(path), target.name,
                    reason[:200], kept)
    log.warning("damaged file %s set aside as %s (%s); %s kept", path.name, target.name,
                repair.reason, kept if kept >= 0 else "nothing to be")
    with contextlib.suppress(OSError):  # the record must not stop the kiosk either
        append_checked(path.parent / REPAIRS_FILE,
                       (json.dumps(asdict(repair), ensure_ascii=False) + "\n").encode("utf-8"))
    return repair


def repairs(*folders: Path) -> list[Repair]:
    """Every repair recorded in these folders, oldest first (unreadable lines skipped)."""
    found = []
    for folder in folders:
        try:
            lines = (Path(folder) / REPAIRS_FILE).read_bytes().splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                found.append(Repair(**json.loads(line)))
            except (ValueError, TypeError):
                continue
    return sorted(found, key=lambda repair: repair.time)


def append_checked(path: Path, data: bytes, mode: int = 0o600, tries: int = 3) -> None:
    """Append all of `data` and fsync: a short write is continued (up to `tries` writes that
    make no progress); on failure the part written is cut off again and OSError raised, so
    the next entry never follows half of one. The audit log and the repairs record use it."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
    try:
        os.fchmod(fd, mode)
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            stalled = 0
            while view:
                written = os.write(fd, view)
                if written <= 0:
                    stalled += 1
                    if stalled >= tries:
                        raise OSError(errno.EIO, f"only part of an entry reached {path.name}")
                    continue
                view = view[written:]
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
