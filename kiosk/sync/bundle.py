"""A USB bundle: the outbox's unfiled items in one file, for a centre whose link is down for weeks.

Every item not yet filed goes in, quarantined ones too: the hub's operator sees each refusal
(and may have fixed its cause at the hub), and nothing the kiosk accepted stays behind.

The admin exports; someone carries the stick to the hub; its operator imports the file
(`python -m hub import-bundle FILE`). The items stay in the outbox, still waiting: when the link
comes back the sender sends them as usual, with the same idempotency keys and bytes, and the hub
answers with the references it already gave. Nothing is ever filed twice.

The file, JSON:

    {"format": "assisted-kiosk-bundle/1", "kiosk_id": ..., "sealed": <envelope>, "mac": <hex>}

`sealed` is kiosk.sync.sealing.seal() of {"kiosk_id", "exported", "items": [{"key", "body"}]}
(body: the stored request bytes, base64, exactly as the sender would post them). The items are
already sealed envelopes, but their metadata (service, time, provisional reference) is readable;
sealed again, a lost stick shows only which kiosk made it and when.

`mac` is HMAC-SHA256 over the rest (canonical JSON), keyed by HKDF-SHA256 of SHA-256(token).
Anyone can seal to the hub's public key, so the MAC is what proves the kiosk made the bundle.
The hub keeps only SHA-256(token) (hub/auth.token_hash) and can check it from that. Why that is
acceptable: the token is 256 random bits and never leaves the kiosk (the stick holds neither it
nor its hash); the derived key is not the bearer token, so learning it grants no API call; and
whoever could read the hub's token hashes could already write submissions into its database.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.files import write_atomically
from kiosk.message import KioskError
from kiosk.sync.outbox import Outbox
from kiosk.sync.sealing import SealError, load_public, open_envelope, seal

FORMAT = "assisted-kiosk-bundle/1"
LABEL = "outbox-bundle"  # the sealed list's associated data (seal()'s service id)
SUFFIX = ".kbundle"
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))
MOUNTS = Path("/proc/self/mounts")


class BundleError(KioskError):
    """Why a bundle cannot be written or used: `.text(lang)`, `str()` in English."""

    key = "bundle.refused"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int


@dataclass(frozen=True)
class BundleItem:
    key: str
    body: bytes  # the exact request bytes (a sealed envelope), as the sender would post them


@dataclass(frozen=True)
class OpenedBundle:
    kiosk_id: str
    exported: str
    items: list[BundleItem]


def token_hash(token: str) -> str:
    """SHA-256 of the token, hex: what the hub stores (hub.auth uses this one)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mac_key(stored_token_hash: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=FORMAT.encode("ascii") + b" mac").derive(bytes.fromhex(stored_token_hash))


def _signed_part(bundle: dict[str, Any]) -> bytes:
    return json.dumps({name: bundle[name] for name in ("format", "kiosk_id", "sealed")},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def _mac(stored_token_hash: str, bundle: dict[str, Any]) -> str:
    return hmac.new(mac_key(stored_token_hash), _signed_part(bundle), hashlib.sha256).hexdigest()


def bundle_name(kiosk_id: str, moment: datetime) -> str:
    """Kiosk and time (UTC), nothing else: `kiosk-centre-12-a-20261123-101500Z.kbundle`."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", kiosk_id).strip("._") or "kiosk"
    return f"kiosk-{safe[:60]}-{moment.astimezone(UTC):%Y%m%d-%H%M%S}Z{SUFFIX}"


# the kiosk's side
def export_bundle(outbox: Outbox, public_key_pem: str, kiosk_id: str, token: str, folder: Path,
                  now: datetime | None = None) -> ExportResult:
    """Write every unfiled item (waiting or quarantined) into one sealed, authenticated file
    in `folder` (a USB stick). The items stay in the outbox. BundleError, in plain words,
    when it cannot be done."""
    moment = now or datetime.now(UTC)
    try:
        public_key = load_public(public_key_pem)
    except (ValueError, TypeError, AttributeError):
        raise BundleError("bundle.no_key") from None
    if not token:
        raise BundleError("bundle.no_token")
    items = outbox.payloads_for_export()
    if not items:
        raise BundleError("bundle.nothing")
    exported = moment.astimezone(UTC).isoformat(timespec="seconds")
    plaintext = {"kiosk_id": kiosk_id, "exported": exported,
                 "items": [{"key": key, "body": base64.b64encode(body).decode("ascii")}
                           for key, body in items]}
    bundle: dict[str, Any] = {"format": FORMAT, "kiosk_id": kiosk_id,
                              "sealed": seal(public_key, plaintext, LABEL, exported)}
    bundle["mac"] = _mac(token_hash(token), bundle)
    data = json.dumps(bundle, sort_keys=True, indent=1).encode("utf-8")
    path = Path(folder) / bundle_name(kiosk_id, moment)
    _write_to_stick(path, data)
    return ExportResult(path, len(items))


def _write_to_stick(path: Path, data: bytes) -> None:
    """Temp file, fsync, rename: a stick pulled out mid-write leaves no half bundle under the
    final name (at most a hidden .part file)."""
    folder = path.parent
    if not folder.is_dir():
        raise BundleError("bundle.missing_folder", folder=str(folder))
    try:
        write_atomically(path, data)
    except OSError as problem:
        raise _plain(problem, folder) from None


def _plain(problem: OSError, folder: Path) -> BundleError:
    if problem.errno in (errno.ENOSPC, errno.EDQUOT):
        return BundleError("bundle.full")
    if problem.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BundleError("bundle.not_writable", folder=str(folder))
    if problem.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO):
        return BundleError("bundle.gone")
    return BundleError("bundle.failed", folder=str(folder),
                       why=problem.strerror or type(problem).__name__)


def removable_drives(roots: Sequence[Path] = MEDIA_ROOTS, mounts: Path = MOUNTS) -> list[Path]:
    """Mounted, writable folders where a USB stick appears: /media/<user>/<label>,
    /run/media/<user>/<label>, and /media/<label> (systems that mount without a user level)."""
    roots = [Path(root) for root in roots]
    found = []
    for point in _mount_points(mounts, roots):
        inside = next((root for root in roots if point.is_relative_to(root)), None)
        if inside is None or not 1 <= len(point.relative_to(inside).parts) <= 2:
            continue
        if point.is_dir() and os.access(point, os.W_OK | os.X_OK):
            found.append(point)
    return sorted(set(found))


def _mount_points(mounts: Path, roots: list[Path]) -> list[Path]:
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:  # no /proc (not Linux): every folder at a stick's place that is a mount
        return [p for root in roots for p in [*root.glob("*"), *root.glob("*/*")]
                if os.path.ismount(p)]
    points = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 2:  # spaces in a label are written \040 in the mounts table
            points.append(Path(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[1])))
    return points


# the hub's side (hub/bundle_import.py files the items)
def open_bundle(raw: bytes, private_key: rsa.RSAPrivateKey,
                stored_hash_of: Callable[[str], str | None]) -> OpenedBundle:
    """The items of a bundle after checking who made it: `stored_hash_of(kiosk_id)` is the
    hub's SHA-256 of that kiosk's token, None for a kiosk it does not know. BundleError (plain
    words) refuses the whole bundle."""
    try:
        bundle = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        bundle = None
    if (not isinstance(bundle, dict) or bundle.get("format") != FORMAT
            or not isinstance(bundle.get("kiosk_id"), str)
            or not isinstance(bundle.get("sealed"), dict)
            or not isinstance(bundle.get("mac"), str)):
        raise BundleError("bundle.not_bundle")
    kiosk_id = bundle["kiosk_id"]
    stored = stored_hash_of(kiosk_id)
    if stored is None:
        raise BundleError("bundle.unknown_kiosk", kiosk_id=repr(kiosk_id))
    if not hmac.compare_digest(_mac(stored, bundle), bundle["mac"]):
        raise BundleError("bundle.bad_signature", kiosk_id=repr(kiosk_id))
    try:
        plaintext = open_envelope(private_key, bundle["sealed"])
        if plaintext["kiosk_id"] != kiosk_id:
            raise ValueError("kiosk mismatch")
        items = [BundleItem(str(item["key"]), base64.b64decode(item["body"], validate=True))
                 for item in plaintext["items"]]
        return OpenedBundle(kiosk_id, str(plaintext["exported"]), items)
    except SealError:
        raise BundleError("bundle.other_hub") from None
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise BundleError("bundle.bad_contents") from None
