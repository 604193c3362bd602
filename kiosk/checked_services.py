"""Service files already checked, remembered by their content, so a kiosk that starts on the
same catalogue as last time does not check it again (the schema check is most of a start
with a region's hundreds of services).

The key is a hash of the file's name and bytes and of everything the checks read besides
(the checking code, the schema, the languages offered, the pictures there are): any change
to one of them checks the file afresh. What is kept is the outcome, the service's data or
its problems. This is a cache and nothing else: a damaged or unreadable one is ignored and
written anew, and one that cannot be written only costs the next start its time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from kiosk.files import write_atomically
from kiosk.settings import APP_FOLDER

log = logging.getLogger(__name__)

FILE_NAME = "checked-services.json"
KEEP = 2000  # entries: a few catalogues' worth (shipped, cached from the hub, tests)

Outcome = tuple[Any, list[tuple[str, str]]]  # (the data, or None; [(path, message)])


class CheckedFiles:
    def __init__(self, path: Path, checks: str) -> None:
        self.path = path
        self.checks = checks  # what the checks read besides the file (see checks_key)
        self._known: dict[str, dict[str, Any]] | None = None
        self._used: dict[str, dict[str, Any]] = {}
        self._new = False

    @classmethod
    def default(cls, checks: str) -> CheckedFiles:
        return cls(Path(user_cache_dir(APP_FOLDER)) / FILE_NAME, checks)

    def key(self, name: str, raw: bytes) -> str:
        digest = hashlib.sha256(self.checks.encode())
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str) -> Outcome | None:
        if self._known is None:
            self._known = self._read()
        entry = self._known.get(key)
        try:
            data, problems = entry["data"], [(str(p), str(m)) for p, m in entry["problems"]]
        except (TypeError, KeyError, ValueError):  # none, or not as written here
            return None
        if not isinstance(data, dict | None):
            return None
        self._used[key] = entry
        return data, problems

    def put(self, key: str, data: Any, problems: list[tuple[str, str]]) -> None:
        """Kept only if the data reads back the same from JSON (YAML can say more)."""
        try:
            if data is not None and json.loads(json.dumps(data, ensure_ascii=False)) != data:
                return
        except (TypeError, ValueError):
            return
        self._used[key] = {"data": data, "problems": [list(p) for p in problems]}
        self._new = True

    def save(self) -> None:
        """Once a load is done, if it checked anything new: what it used, newest last."""
        if not self._new:
            return
        known = {k: v for k, v in (self._known or self._read()).items() if k not in self._used}
        kept = dict(list(known.items())[-max(KEEP - len(self._used), 0):]) | self._used
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(self.path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
        except OSError as problem:
            log.info("checked services not kept (%s)", problem.strerror)
        self._new = False

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            known = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        return known if isinstance(known, dict) else {}


@cache
def source_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()
