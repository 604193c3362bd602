"""A kiosk in a fleet: the settings a hub may push, their hash, and this kiosk's version.

The heartbeat carries the version, the hash of the pushable settings and the audit chain head;
the hub answers with the settings it keeps for this kiosk (its centre's, overridden by its own)
when their hash differs. They are checked here with the same rules as the admin form
(kiosk.config.parse); the hub's address and the kiosk's id are never taken from the hub.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.catalogue import Catalogue
from kiosk.config import FIELDS, SettingError, conflicts, parse, save
from kiosk.settings import Settings
from kiosk.sync.catalogue_cache import best_catalogue, refresh
from kiosk.update import Updates

if TYPE_CHECKING:  # diagnostics is slow to import, and only its checks' fields are read
    from kiosk.diagnostics import Check

log = logging.getLogger(__name__)

# Where the kiosk finds its hub, and who it is there: set at the kiosk, never pushed.
LOCAL_ONLY = ("hub_url", "kiosk_id")
MAX_PROBLEMS = 20  # the hub keeps no more (hub.routes.models.Heartbeat)
MAX_PROBLEM = 300
PUSHABLE = tuple(spec.name for spec in FIELDS if spec.name not in LOCAL_ONLY)
def check(key: str, raw: object, services: Iterable[str] | None = None) -> object:
    """The value to keep for one pushed setting, or SettingError in plain words. `services`:
    the catalogue's ids, where known (the hub's; a kiosk leaves out ones it lacks itself)."""
    if key not in PUSHABLE:
        raise SettingError("fleet.error.key", name=key, keys=", ".join(PUSHABLE))
    if key == "services" and raw == []:
        return ()  # every service, as settings.toml says it
    return parse(key, raw, services if key == "services" else None)


def plain(value: object) -> object:
    """A setting's value as JSON and settings.toml keep it (tuples are lists)."""
    return list(value) if isinstance(value, tuple) else value


def settings_hash(pushed: dict[str, object]) -> str:
    """The hash both sides compute over the same keys and values (canonical JSON)."""
    text = json.dumps(pushed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def merged(settings: Settings, pushed: dict[str, object]) -> Settings:
    """`settings` with the pushed values that pass the admin form's checks; a value that
    does not (a hub of another version) is left out and logged, never applied."""
    changes: dict[str, object] = {}
    for key, raw in pushed.items():
        try:
            value = check(key, raw)
        except SettingError as problem:
            log.warning("pushed setting %s left out: %s", key, problem)
            continue
        changes[key] = tuple(value) if isinstance(value, list) else value
    result = replace(settings, **changes)
    if conflicts(result):
        log.warning("pushed settings left out: %s", conflicts(result)[0])
        return settings
    return result


class Fleet:
    """One kiosk's side of the fleet: what its heartbeat reports, and what it does with the
    hub's answer. `take` runs off the GUI thread (it writes settings.toml and fetches the
    catalogue); the caller applies what it returns between visits."""

    def __init__(self, settings: Settings, settings_path: Path | None = None,
                 audit_head: Callable[[], tuple[int, str]] | None = None,
                 catalogue_folder: Path | None = None) -> None:
        self.settings = settings  # the newest: what the kiosk has, or will have after a visit
        self.settings_path = settings_path
        self.audit_head = audit_head or (lambda: (0, ""))
        self.catalogue_folder = catalogue_folder
        self.catalogue_version = ""  # the hub's, as last fetched here ("" = not yet)
        self._keys: tuple[str, ...] = PUSHABLE  # those the hub last pushed
        self.updates: Updates | None = None  # an appliance's: releases the hub offers
        self._lock = threading.Lock()
        self.problems: tuple[str, ...] = ()  # the last self-check's failed checks, in English
        self.problems_checked = ""  # when it ran (ISO 8601); "" = not yet

    def note_checks(self, checks: Iterable[Check], when: datetime | None = None) -> None:
        """The heartbeat tells the hub what this self-check found (the centre page shows it):
        each failed check's English name and detail, one line each, nothing personal."""
        failed = [f"{check.name}: {check.detail}"[:MAX_PROBLEM] for check in checks
                  if not check.ok]
        self.problems = tuple(failed[:MAX_PROBLEMS])
        self.problems_checked = (when or datetime.now(UTC)).isoformat(timespec="seconds")

    def report(self) -> dict[str, object]:
        """What the heartbeat adds: the settings' hash (over the keys the hub pushes) and
        the audit chain head (the newest entry's hash, and how many entries)."""
        pushed = {key: plain(getattr(self.settings, key)) for key in self._keys}
        seq, head = self.audit_head()
        problem = self.updates.report() if self.updates is not None else {}
        return {"settings_hash": settings_hash(pushed), "audit_head": head, "audit_seq": seq,
                "problems": list(self.problems), "problems_checked": self.problems_checked,
                **problem}

    def take(self, answer: dict, backend: object) -> tuple[Settings | None, Catalogue | None]:
        """(new settings, saved to settings.toml; a new catalogue, fetched into the cache),
        each None when there is none, from one heartbeat answer. A release offered starts
        downloading in its own thread (Updates.consider)."""
        if self.updates is not None and hasattr(backend, "session"):
            self.updates.consider(answer, backend.base_url, dict(backend.session.headers))
        with self._lock:  # two answers at once (a probe and a heartbeat): one after the other
            return self._settings_from(answer), self._catalogue_from(answer, backend)

    def _settings_from(self, answer: dict) -> Settings | None:
        config = answer.get("config") if isinstance(answer, dict) else None
        pushed = config.get("settings") if isinstance(config, dict) else None
        if not isinstance(pushed, dict) or not pushed:
            return None
        self._keys = tuple(key for key in pushed if key in PUSHABLE)
        new = merged(self.settings, pushed)
        if new == self.settings:
            return None
        if self.settings_path is not None:
            try:
                save(new, self.settings_path)
            except OSError as problem:  # kept in memory; the next answer tries again
                log.warning("pushed settings not saved: %s", problem.strerror or problem)
        self.settings = new
        return new

    def _catalogue_from(self, answer: dict, backend: object) -> Catalogue | None:
        version = answer.get("catalogue_version") if isinstance(answer, dict) else None
        if not isinstance(version, str) or not version or self.catalogue_folder is None:
            return None
        if not self.catalogue_version:  # the start fetched it: the hub's version is ours
            self.catalogue_version = version
            return None
        if version == self.catalogue_version or not refresh(backend, self.catalogue_folder):
            return None  # not fetched: the next answer asks again
        self.catalogue_version = version
        return best_catalogue(self.catalogue_folder)
