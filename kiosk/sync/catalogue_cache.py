"""The services the hub publishes, kept on the kiosk: fetched when online, used from the cache
when offline, and the services shipped with the kiosk when it has never reached a hub.

Each service is written as one JSON file into the cache folder, so it is checked by the very
loader (schema, semantic checks) that checks the shipped files; a bad one is skipped, not run.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path

from kiosk.backend import BackendError
from kiosk.catalogue import Catalogue, load_catalogue
from kiosk.files import set_aside

log = logging.getLogger(__name__)


def _damaged_file(folder: Path) -> str | None:
    """The name of the first cached file that is not a JSON object (the cache writes only
    those: one that no longer reads was damaged after it was written)."""
    for path in sorted(folder.glob("*.json")):
        try:
            if not isinstance(json.loads(path.read_bytes().decode("utf-8")), dict):
                return path.name
        except (OSError, ValueError):
            return path.name
    return None


def refresh(backend, folder: Path) -> bool:
    """Fetch the hub's catalogue into `folder` (replaced whole); False when it could not."""
    try:
        published = backend.catalogue()
    except BackendError:
        return False
    fresh = Path(tempfile.mkdtemp(prefix=".catalogue-", dir=folder.parent))
    for service in published["services"]:
        name = f"{service['id']}.json" if isinstance(service, dict) and "id" in service else None
        if name and "/" not in name:
            (fresh / name).write_text(json.dumps(service, ensure_ascii=False), encoding="utf-8")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    damaged = _damaged_file(folder) if folder.is_dir() else None
    if damaged is not None:  # kept, and reported, even though it is replaced at once
        set_aside(folder, "catalogue", f"{damaged} is not readable")
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    log.info("catalogue %s cached (%d services)", published.get("version", "")[:12],
             len(published["services"]))
    return True


def best_catalogue(folder: Path) -> Catalogue:
    """The cached hub catalogue if it holds any valid service, else the shipped one. A cache
    with a damaged file (not JSON: a power cut, a bad disk) is set aside whole, and the
    shipped services are used until the hub's are fetched again."""
    damaged = _damaged_file(folder) if folder.is_dir() else None
    if damaged is not None:
        set_aside(folder, "catalogue", f"{damaged} is not readable")
    if folder.is_dir():
        cached = load_catalogue(folder)
        if cached.services:
            return cached
    return load_catalogue()
