"""Releases the hub offers its kiosks: wheels the region signed, kept in the data folder.

    DATA/releases/VERSION/assisted_kiosk-VERSION-py3-none-any.whl (+ .sig)
    DATA/releases/offers.json   {"": "0.2.0", "Centre 12": "0.3.0"}: a centre's offer, else
                                 everyone's ("")

The hub never holds the release key and never vouches for a wheel: the kiosk checks the
signature against the keys installed with it (kiosk/release.py). A kiosk that reports an older
version hears {"update": {version, sha256, url, signature}} in its heartbeat's answer, and
downloads the wheel from the url with its token in the Authorization header.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hub.config import Settings
from kiosk import release

OFFERS = "offers.json"
ALL = ""  # the offer for every centre without one of its own


@dataclass(frozen=True)
class Release:
    version: str
    wheel: Path
    sha256: str
    signature: str

    def answer(self) -> dict[str, str]:
        return {"version": self.version, "sha256": self.sha256,
                "url": f"/v1/releases/{self.version}", "signature": self.signature}


def folder(settings: Settings) -> Path:
    return settings.data_dir / "releases"


def _offers(root: Path) -> dict[str, str]:
    try:
        found = json.loads((root / OFFERS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


@lru_cache(maxsize=64)
def _stored(root: Path, version: str, changed: int) -> Release | None:
    """A stored release (read and hashed once per change of the offers file)."""
    del changed
    wheel = root / version / f"assisted_kiosk-{version}-py3-none-any.whl"
    try:
        data = wheel.read_bytes()
        signature = wheel.with_name(wheel.name + ".sig").read_text(encoding="ascii").strip()
    except OSError:
        return None
    return Release(version, wheel, release.sha256(data), signature)


def stored(settings: Settings, version: str) -> Release | None:
    root = folder(settings)
    try:
        changed = (root / OFFERS).stat().st_mtime_ns
    except OSError:
        return None
    return _stored(root, version, changed)


def offered(settings: Settings, centre: str) -> Release | None:
    """The release offered to a centre's kiosks: its own offer, else everyone's. Read once
    per change of the offers file (every heartbeat asks: one stat)."""
    root = folder(settings)
    try:
        changed = (root / OFFERS).stat().st_mtime_ns
    except OSError:
        return None
    offers = _offers_as_of(root, changed)
    version = offers.get(centre) or offers.get(ALL)
    return _stored(root, version, changed) if isinstance(version, str) and version else None


@lru_cache(maxsize=4)
def _offers_as_of(root: Path, changed: int) -> dict[str, str]:
    del changed
    return _offers(root)


def update_answer(settings: Settings, centre: str, running: str) -> dict[str, str]:
    """The heartbeat's `update`: {} unless a newer release is offered to this kiosk."""
    chosen = offered(settings, centre)
    if chosen is None or not release.newer(chosen.version, running):
        return {}
    return chosen.answer()


def offer(settings: Settings, wheel: Path, signature: Path, centre: str = ALL) -> Release:
    """Store a signed wheel and offer it (Refused for what is not a kiosk release)."""
    version = release.version_of(wheel.name)
    release.signature_bytes(signature.read_text(encoding="ascii"))  # a signature, at least
    root = folder(settings)
    target = root / version
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(wheel, target / wheel.name)
    shutil.copyfile(signature, target / (wheel.name + ".sig"))
    offers = _offers(root)
    offers[centre] = version
    partial = root / (OFFERS + ".new")
    partial.write_text(json.dumps(offers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(root / OFFERS)
    return stored(settings, version)


def offer_command(settings: Settings, wheel: str | None, signature: str | None,
                  centre: str) -> int:
    """`offer-release WHEEL SIGNATURE [--centre C]`."""
    if not wheel or not signature:
        print("usage: python -m hub offer-release WHEEL SIGNATURE [--centre CENTRE]",
              file=sys.stderr)
        return 2
    try:
        done = offer(settings, Path(wheel), Path(signature), centre)
    except (OSError, release.Refused) as problem:
        print(f"The release was not offered: {problem}", file=sys.stderr)
        return 1
    whom = f"the kiosks of {centre}" if centre else \
        "every kiosk whose centre has no offer of its own"
    print(f"{done.version} offered to {whom}; sha256 {done.sha256}. Kiosks running an older "
          "version fetch it at their next heartbeat and install it between visits.")
    return 0


def sign_command(wheel: str | None, key: Path | None) -> int:
    """`sign-release WHEEL --key FILE` (the region's; a new key when FILE does not exist)."""
    if not wheel or key is None:
        print("usage: python -m hub sign-release WHEEL --key PRIVATE_KEY.pem", file=sys.stderr)
        return 2
    if not key.exists():
        public = release.new_key(key)
        print(f"New release key: {key} (keep it with the region, never on a hub) and its "
              f"public half {public} (install it on every kiosk: deploy/README.md).")
    try:
        signature = release.sign(Path(wheel), key)
    except (OSError, ValueError, release.Refused) as problem:
        print(f"The wheel was not signed: {problem}", file=sys.stderr)
        return 1
    print(f"signed: {signature}")
    return 0
