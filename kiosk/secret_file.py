"""Secrets sealed in a file, for a kiosk with no desktop keyring.

The file is AES-256-GCM encrypted as a whole (mode 0600, replaced atomically). Its key is not
on the disk in clear: systemd decrypts it from the unit's `LoadCredentialEncrypted=` (sealed
to this machine, with the TPM where there is one) and hands it to the kiosk only, as the file
`$CREDENTIALS_DIRECTORY/kiosk-secrets-key`. Someone who copies the disk gets neither.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError, PasswordSetError

from kiosk.files import write_atomically

CREDENTIAL_NAME = "kiosk-secrets-key"
FILE_NAME = "secrets.sealed"
MAGIC = b"AKSEAL1"  # the file's format; also bound into the encryption
NONCE_BYTES = 12
KEY_BYTES = 32


def credential_key() -> bytes | None:
    """The sealing key from systemd's credential, or None when the kiosk was not given one."""
    folder = os.environ.get("CREDENTIALS_DIRECTORY")
    if not folder:
        return None
    try:
        material = (Path(folder) / CREDENTIAL_NAME).read_bytes()
    except OSError:
        return None
    return sealing_key(material) if material else None


def sealing_key(material: bytes) -> bytes:
    """32 raw bytes are the key; anything else (base64 text) is passed through HKDF, which
    does not stretch a passphrase against guessing: the key should be 32 random bytes."""
    if len(material) == KEY_BYTES:
        return material
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"assisted-kiosk sealed secrets").derive(material)


class SealedFileKeyring(KeyringBackend):
    """A keyring backend over one sealed file; installed deliberately by kiosk.credentials."""

    priority = 1
    viable = False  # never picked by keyring's own detection, only chosen on purpose

    def __init__(self, path: Path, key: bytes) -> None:
        super().__init__()
        if len(key) != KEY_BYTES:
            raise ValueError("the sealing key must be 32 bytes (see sealing_key)")
        self.path = Path(path)
        self._aead = AESGCM(key)

    # the file
    def _read(self) -> dict[str, dict[str, str]]:
        try:
            sealed = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as problem:
            raise KeyringError(f"the secrets file {self.path} cannot be read") from problem
        head = len(MAGIC)
        try:
            if sealed[:head] != MAGIC:
                raise InvalidTag
            plain = self._aead.decrypt(sealed[head:head + NONCE_BYTES],
                                       sealed[head + NONCE_BYTES:], MAGIC)
        except InvalidTag as problem:
            raise KeyringError(f"the secrets file {self.path} cannot be opened with this "
                               "kiosk's key (another key, or the file was changed)") from problem
        return json.loads(plain.decode("utf-8"))

    def damage(self) -> str | None:
        """Why the file cannot be opened with this key (damaged, or sealed with another
        key); None when it opens or is not there."""
        try:
            self._read()
        except KeyringError as problem:
            return str(problem)
        except (ValueError, AttributeError):  # opened, but not the secrets it should hold
            return f"the secrets file {self.path} does not hold secrets"
        return None

    def _write(self, secrets_by_service: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        nonce = secrets.token_bytes(NONCE_BYTES)
        plain = json.dumps(secrets_by_service).encode("utf-8")
        sealed = MAGIC + nonce + self._aead.encrypt(nonce, plain, MAGIC)
        write_atomically(self.path, sealed)

    # KeyringBackend
    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        try:
            kept = self._read()
        except KeyringError as problem:  # never overwrite secrets this key cannot open
            raise PasswordSetError(str(problem)) from problem
        kept.setdefault(service, {})[username] = password
        self._write(kept)

    def delete_password(self, service: str, username: str) -> None:
        kept = self._read()
        if username not in kept.get(service, {}):
            raise PasswordDeleteError("no such secret")
        del kept[service][username]
        if not kept[service]:
            del kept[service]
        self._write(kept)
