"""A release: the kiosk's wheel, signed with the region's Ed25519 key.

The region keeps the private key (never the hub: a hub that is broken into cannot make a kiosk
install anything). The hub only stores and offers what the region signed; the kiosk and its
updater accept a wheel only when one of the public keys installed with the kiosk
(/etc/assisted-kiosk/release-keys/*.pem, deploy/README.md "Updates") verifies its signature.
A signature is the wheel's bytes signed, base64 in a `.sig` file beside it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from packaging.version import InvalidVersion, Version

KEYS_DIR = Path("/etc/assisted-kiosk/release-keys")  # root's: the kiosk user cannot add one
KEYS_ENV = "KIOSK_RELEASE_KEYS"  # another folder (a kiosk outside the appliance, tests)
WHEEL = re.compile(r"assisted_kiosk-(?P<version>[0-9][0-9A-Za-z.+!]{0,40})-py3-none-any\.whl")
MAX_WHEEL_BYTES = 200 * 1024 * 1024


class Refused(Exception):
    """A release that must not be installed; `reason` is an i18n key's last part."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


def version_of(name: str) -> str:
    """The version in a wheel's file name (Refused when it is not the kiosk's wheel)."""
    found = WHEEL.fullmatch(name)
    if not found:
        raise Refused("name", f"{name} is not a kiosk release (assisted_kiosk-VERSION-py3-none-"
                      "any.whl)")
    try:
        Version(found["version"])
    except InvalidVersion as problem:
        raise Refused("name", f"{name}: {problem}") from problem
    return found["version"]


def newer(offered: str, running: str) -> bool:
    """Whether `offered` is a later version than `running` ("" or unreadable: never)."""
    try:
        return bool(running) and Version(offered) > Version(running)
    except InvalidVersion:
        return False


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the region's side ---------------------------------------------------------------------

def new_key(private: Path) -> Path:
    """A new release key: the private half at `private` (0600), the public half beside it
    (`.pub.pem`), which goes to every kiosk. Never overwrites a key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    with os.fdopen(os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(pem)
    public = private.with_name(private.name.removesuffix(".pem") + ".pub.pem")
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return public


def sign(wheel: Path, private: Path) -> Path:
    """Sign `wheel` with the private key in `private`; the signature file's path."""
    version_of(wheel.name)
    key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise Refused("key", f"{private} is not an Ed25519 private key")
    signature = wheel.with_name(wheel.name + ".sig")
    signature.write_text(base64.b64encode(key.sign(wheel.read_bytes())).decode("ascii") + "\n")
    return signature


# --- the kiosk's side ----------------------------------------------------------------------

def keys_dir() -> Path:
    return Path(os.environ.get(KEYS_ENV) or KEYS_DIR)


def trusted_keys(folder: Path | None = None) -> list[Ed25519PublicKey]:
    """The public keys installed with this kiosk; a file that is not one is left out."""
    found = []
    for path in sorted((folder or keys_dir()).glob("*.pem")):
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except (OSError, ValueError):
            continue
        if isinstance(key, Ed25519PublicKey):
            found.append(key)
    return found


def signature_bytes(text: str | bytes) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as problem:
        raise Refused("signature", "the signature is not base64") from problem
    if len(raw) != 64:
        raise Refused("signature", "an Ed25519 signature is 64 bytes")
    return raw


def check(data: bytes, signature: str | bytes, keys: list[Ed25519PublicKey],
          expected_sha256: str = "") -> None:
    """Refused unless `data` has the expected hash (when given) and one trusted key verifies
    the signature. Nothing is installed before this passes."""
    if expected_sha256 and sha256(data) != expected_sha256.lower():
        raise Refused("hash", "the downloaded wheel does not match the hash the hub gave")
    if not keys:
        raise Refused("no_key", "no release key is installed on this kiosk")
    raw = signature_bytes(signature)
    for key in keys:
        try:
            key.verify(raw, data)
            return
        except InvalidSignature:
            continue
    raise Refused("signature", "no release key installed here made this signature")


def read_private(path: Path) -> bytes:
    """A file's bytes, never through a symbolic link (the updater, as root, reads what the
    kiosk user handed over)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        data = file.read(MAX_WHEEL_BYTES + 1)
    if len(data) > MAX_WHEEL_BYTES:
        raise Refused("size", f"{path.name} is larger than {MAX_WHEEL_BYTES} bytes")
    return data
