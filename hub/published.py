"""The catalogue as the hub publishes it: each loadable service file as JSON, and its version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.catalogue import load_catalogue


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

    def get(self, service_id: str) -> dict[str, Any] | None:
        return next((s for s in self.services if s.get("id") == service_id), None)

    def step(self, service_id: str, step_id: str) -> dict[str, Any]:
        """The service's step of that id; {} when there is none."""
        steps = (self.get(service_id) or {}).get("steps") or []
        return next((s for s in steps if isinstance(s, dict) and s.get("id") == step_id), {})

    @property
    def ids(self) -> set[str]:
        return {str(s.get("id")) for s in self.services}


def publish(folder: Path) -> Published:
    """Only the files the kiosk itself would load (kiosk.catalogue checks them)."""
    services = []
    for service in load_catalogue(folder).services:
        path = Path(folder) / service.source
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        services.append(json.loads(json.dumps(data, ensure_ascii=False, default=str)))
    canonical = json.dumps(services, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Published(hashlib.sha256(canonical.encode("utf-8")).hexdigest(), services)
