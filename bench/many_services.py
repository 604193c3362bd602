"""A catalogue of many services, made from the shipped ones: what a region's hub may publish.

Not a benchmark itself. Each shipped service is copied under new ids (`pension_check_012`),
its title numbered, until there are `count`; the shipped ones are kept as they are, so a
walk can still take them (the demo hub knows their live lists and slots).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "assets" / "services"


def write_services(folder: Path, count: int) -> Path:
    """`count` services into `folder` as JSON, one a file, as the kiosk caches a hub's."""
    folder.mkdir(parents=True, exist_ok=True)
    shipped = [yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
               for path in sorted(SHIPPED.glob("*.yaml"))]
    services = list(shipped)
    copy = 0
    while len(services) < count:
        original = shipped[copy % len(shipped)]
        number = copy // len(shipped) + 1
        service = json.loads(json.dumps(original))
        service["id"] = f"{original['id']}_{number:03d}"
        service["title"] = {lang: f"{text} {number}" for lang, text in original["title"].items()}
        service["order"] = original.get("order", 0) + number
        services.append(service)
        copy += 1
    for service in services:
        (folder / f"{service['id']}.json").write_text(
            json.dumps(service, ensure_ascii=False), encoding="utf-8")
    return folder

