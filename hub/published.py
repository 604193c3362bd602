"""What the hub publishes: the catalogue (each loadable service file as JSON, its version) and
problem reports as Open311 shows them (only what the centre chose to publish)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hub.db import Open311Request, Submission, iso
from hub.reports import PUBLISHED, open311_status
from kiosk.catalogue import load_catalogue, read_service_text

REPORT_SERVICE = "report_problem"


def english(text: Any) -> str:
    """A catalogue text in English ({"en": ..., "zh_CN": ...}; the first language given when
    there is no English; a plain value as it is); "" for none."""
    if isinstance(text, dict):
        return str(text.get("en") or next(iter(text.values()), ""))
    return "" if text is None else str(text)


@dataclass(frozen=True)
class Published:
    version: str  # SHA-256 of the published JSON: the ETag
    services: list[dict[str, Any]]
    changed: datetime  # when a service file last changed (Open311 discovery's changeset)

    def get(self, service_id: str) -> dict[str, Any] | None:
        return next((s for s in self.services if s.get("id") == service_id), None)

    def phrases(self, service_id: str, step_id: str) -> set[str]:
        """Every language's text of the step's common phrases (words the centre wrote)."""
        return {str(text) for phrase in self.step(service_id, step_id).get("phrases", [])
                for text in (phrase.values() if isinstance(phrase, dict) else [phrase])}

    def step(self, service_id: str, step_id: str) -> dict[str, Any]:
        """The service's step of that id; {} when there is none."""
        steps = (self.get(service_id) or {}).get("steps") or []
        return next((s for s in steps if isinstance(s, dict) and s.get("id") == step_id), {})

    @property
    def ids(self) -> set[str]:
        return {str(s.get("id")) for s in self.services}


def publish(folder: Path) -> Published:
    """Only the files the kiosk itself would load (kiosk.catalogue checks them)."""
    services, changed = [], 0.0
    for service in load_catalogue(folder).services:
        path = Path(folder) / service.source
        changed = max(changed, path.stat().st_mtime)
        text = path.read_text(encoding="utf-8-sig")
        data = read_service_text(text, json_file=path.suffix.lower() == ".json")
        services.append(json.loads(json.dumps(data, ensure_ascii=False, default=str)))
    canonical = json.dumps(services, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Published(hashlib.sha256(canonical.encode("utf-8")).hexdigest(), services,
                     datetime.fromtimestamp(int(changed), UTC))


def public_request(report: Open311Request, submission: Submission,
                   catalogue: Published) -> dict[str, Any]:
    """A GeoReport v2 request record, every field the spec names, in its order; null where the
    hub does not know. A citizen's own words (description, a typed address) show only once the
    centre has published them; a phrase chosen from the catalogue is the centre's own words."""
    shown = report.review == PUBLISHED
    description, address = report.description, report.address_string
    if not shown and description not in catalogue.phrases(REPORT_SERVICE, "description"):
        description = ""
    if not shown and address not in catalogue.phrases(REPORT_SERVICE, "place"):
        address = ""
    options = catalogue.step(REPORT_SERVICE, "category").get("options", [])
    names = {o.get("value"): english(o.get("label")) for o in options}
    return {"service_request_id": report.service_request_id,
            "status": open311_status(submission.status),
            "status_notes": report.status_notes or None,
            "service_name": names.get(report.service_code, report.service_code),
            "service_code": report.service_code,
            "description": description,
            "agency_responsible": None,
            "service_notice": english((catalogue.get(REPORT_SERVICE) or {}).get("next_steps"))
            or None,
            "requested_datetime": iso(report.requested),
            "updated_datetime": iso(submission.updated),
            "expected_datetime": None,
            "address": address,
            "address_id": report.address_id or None,
            "zipcode": report.zipcode or None,
            "lat": report.lat, "long": report.long,
            "media_url": report.media_url or None}
