"""Import a USB bundle carried from a kiosk with no connection (kiosk/sync/bundle.py).

The bundle is checked as a whole first (this hub's key opens it, its MAC matches the token of
the kiosk it names); then every item is filed exactly as if that kiosk had posted it to
POST /v1/submissions, under its own idempotency key. So a bundle imported twice, or an item
that also arrives online later, is filed once and keeps its one official reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from hub import idempotency
from hub.db import Kiosk
from hub.errors import ApiError
from hub.routes.submissions import file_sealed
from kiosk.sync.bundle import BundleError, open_bundle

if TYPE_CHECKING:
    from hub.app import Hub

MAX_BYTES = 512 * 1024 * 1024  # far beyond weeks of one kiosk's submissions


@dataclass
class ImportReport:
    filed: int = 0
    already_filed: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (idempotency key, why)
    kiosk_id: str = ""

    def summary(self) -> str:
        return (f"{self.filed} filed, {self.already_filed} already filed, "
                f"{len(self.refused)} refused")


def import_bundle(hub: Hub, path: Path) -> ImportReport:
    """File every item of the bundle at `path`. BundleError (plain words) refuses it whole:
    not a bundle, an unknown kiosk, a changed or forged file, sealed for another hub."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BundleError("bundle.too_large", name=path.name)
        raw = path.read_bytes()
    except OSError as problem:
        raise BundleError("bundle.unreadable", file=str(path),
                          why=problem.strerror or type(problem).__name__) from None
    bundle = open_bundle(raw, hub.private_key, lambda kiosk_id: _stored_hash(hub, kiosk_id))
    report = ImportReport(kiosk_id=bundle.kiosk_id)
    for item in bundle.items:
        try:
            key = idempotency.checked_key(item.key, as_uuid=True)
            outcome = file_sealed(hub, bundle.kiosk_id, key, item.body)
        except ApiError as refusal:
            report.refused.append((item.key, refusal.message))
            continue
        if outcome.replayed:  # filed before: by an earlier import, or sent online
            report.already_filed += 1
        else:  # a refusal is an ApiError (above), never an outcome
            report.filed += 1
    return report


def _stored_hash(hub: Hub, kiosk_id: str) -> str | None:
    with hub.db.read() as session:
        return session.scalar(select(Kiosk.token_hash).where(Kiosk.kiosk_id == kiosk_id))
