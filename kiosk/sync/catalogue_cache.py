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

log = logging.getLogger(__name__)


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
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    log.info("catalogue %s cached (%d services)", published.get("version", "")[:12],
             len(published["services"]))
    return True


def best_catalogue(folder: Path) -> Catalogue:
    """The cached hub catalogue if it holds any valid service, else the shipped one."""
    if folder.is_dir():
        cached = load_catalogue(folder)
        if cached.services:
            return cached
    return load_catalogue()
