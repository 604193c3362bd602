"""The kiosk's hub token, kept in the system keyring and never in a settings file.

A bare Linux box has no keyring backend (keyring raises NoKeyringError), and installing
keyrings.alt would silently pick a plaintext file. So the choice is deliberate: only backends
that protect secrets are accepted; with none, saving fails with a plain message and the kiosk
keeps working on its demo hub. `store()` says which backend is in use, for diagnostics.
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, NoKeyringError

SERVICE = "assisted-kiosk/hub-token"
# keyrings.alt's plaintext file writes secrets in clear; fail/null keep nothing at all.
REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null")


class NoSafeStore(RuntimeError):
    """There is no keyring that keeps secrets safe on this machine."""


def store() -> KeyringBackend:
    backend = keyring.get_keyring()
    kind = type(backend)
    if kind.__name__ == "PlaintextKeyring" or kind.__module__ in REFUSED_MODULES \
            or backend.priority <= 0:
        raise NoSafeStore(
            "No safe place for secrets was found on this kiosk (no Secret Service or other "
            "system keyring). The hub token was not saved. See deploy/README.md.")
    return backend


def describe() -> str:
    try:
        backend = store()
    except NoSafeStore as problem:
        return str(problem)
    return f"secrets are kept by {type(backend).__module__}.{type(backend).__name__}"


def save_token(kiosk_id: str, token: str) -> None:
    try:
        store().set_password(SERVICE, kiosk_id, token)
    except (NoKeyringError, KeyringError) as problem:
        raise NoSafeStore(f"The hub token could not be saved: {problem}") from problem


def load_token(kiosk_id: str) -> str | None:
    try:
        return store().get_password(SERVICE, kiosk_id)
    except (NoKeyringError, KeyringError, NoSafeStore):
        return None


def forget_token(kiosk_id: str) -> None:
    with contextlib.suppress(NoKeyringError, KeyringError, NoSafeStore):
        store().delete_password(SERVICE, kiosk_id)
