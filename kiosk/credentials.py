"""Where the kiosk keeps its secrets (the hub token, the admin PIN's hash): a deliberate choice.

A bare Linux kiosk has no keyring backend (keyring raises NoKeyringError), and installing
keyrings.alt would silently pick a plaintext file. So `choose_store()` decides, once at start,
in this order (docs/admin-guide.md, "Secrets on a kiosk without a desktop keyring"):

1. the system keyring (Secret Service, KWallet, macOS Keychain, Windows Credential Locker);
2. else a sealed file (kiosk/secret_file.py) whose key systemd hands to the kiosk as the
   credential `kiosk-secrets-key` (deploy sets it up with `systemd-creds encrypt`);
3. else, in the demo only, memory: secrets are forgotten when the kiosk closes (the admin
   PIN may live there; the hub token may not: save_token refuses, NoSafeStore);
4. else nothing: saving a secret fails with a plain message (NoSafeStore), never plain text.

`describe()` says which, for diagnostics.
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError, NoKeyringError

from kiosk.config import config_folder
from kiosk.files import set_aside
from kiosk.message import KioskError
from kiosk.secret_file import FILE_NAME, SealedFileKeyring, credential_key

SERVICE = "assisted-kiosk/hub-token"
# fail/null keep nothing at all; keyrings.alt writes in clear or asks for a password on a
# terminal nobody at a kiosk can see.
REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null")
REFUSED_PACKAGES = ("keyrings.alt",)


class NoSafeStore(KioskError, RuntimeError):
    """There is no keyring that keeps secrets safe on this machine."""

    key = "secrets.no_store"


class DemoMemoryKeyring(KeyringBackend):
    """The demo's store when nothing safer exists: secrets live in memory only."""

    priority = 1
    viable = False  # only ever chosen by choose_store(demo=True)

    def __init__(self) -> None:
        super().__init__()
        self._secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._secrets.pop((service, username), None)


_OURS = (SealedFileKeyring, DemoMemoryKeyring)
_displaced: KeyringBackend | None = None  # the system's keyring, while one of ours stands in


def _refused(backend: KeyringBackend) -> bool:
    kind = type(backend)
    try:
        priority = backend.priority
    except Exception:  # a backend that cannot say whether it works is not one to trust
        return True
    return (kind.__name__ == "PlaintextKeyring" or kind.__module__ in REFUSED_MODULES
            or any(kind.__module__ == package or kind.__module__.startswith(package + ".")
                   for package in REFUSED_PACKAGES)
            or priority <= 0)


def _system_keyring(candidate: KeyringBackend) -> KeyringBackend | None:
    """The safe system keyring in `candidate`, if any (a chain is unwrapped to its best part)."""
    if isinstance(candidate, ChainerBackend):
        safe = [ring for ring in candidate.backends if not _refused(ring)]
        return safe[0] if safe else None  # the chain lists its best first
    return None if _refused(candidate) else candidate


def choose_store(demo: bool, repair: bool = True) -> str:
    """Installs this process's store for secrets (see the module docstring); says which. A
    sealed file this kiosk's key cannot open is set aside (kiosk.files.set_aside), so the
    token and PIN can be entered again; `repair=False` (diagnose) leaves it for the report."""
    global _displaced
    current = keyring.get_keyring()
    if isinstance(current, _OURS):
        current = _displaced or fail.Keyring()
    else:
        _displaced = current
    system = _system_keyring(current)
    key = credential_key()
    if system is not None:
        chosen: KeyringBackend = system
    elif key is not None:
        chosen = SealedFileKeyring(config_folder() / FILE_NAME, key)
        damage = chosen.damage() if repair and chosen.path.exists() else None
        if damage is not None:  # set aside (kept for whoever has its key); token asked again
            set_aside(chosen.path, "secrets", damage)
    elif demo:
        chosen = DemoMemoryKeyring()
    else:
        chosen = fail.Keyring()
    keyring.set_keyring(chosen)
    return describe()


def store() -> KeyringBackend:
    backend = keyring.get_keyring()
    if isinstance(backend, _OURS):
        return backend
    if _refused(backend):
        raise NoSafeStore()
    return backend


def describe() -> str:
    """Where secrets are kept, in plain words, for diagnostics."""
    try:
        backend = store()
    except NoSafeStore as problem:
        return str(problem)
    if isinstance(backend, SealedFileKeyring):
        return (f"secrets are kept sealed in {backend.path}, with a key that systemd gives "
                "the kiosk (credential kiosk-secrets-key)")
    if isinstance(backend, DemoMemoryKeyring):
        return ("demo: secrets are kept in memory only and forgotten when the kiosk closes "
                "(no system keyring and no sealing key from systemd)")
    return (f"secrets are kept by the system keyring "
            f"({type(backend).__module__}.{type(backend).__name__})")


def save_token(kiosk_id: str, token: str) -> None:
    """Keeps the hub token; refuses (NoSafeStore) where it would not outlive the kiosk: a
    token the demo's memory forgot at the next start would leave the kiosk on the demo hub."""
    backend = store()
    if isinstance(backend, DemoMemoryKeyring):
        raise NoSafeStore("secrets.token_forgotten")
    try:
        backend.set_password(SERVICE, kiosk_id, token)
    except (NoKeyringError, KeyringError) as problem:
        raise NoSafeStore("secrets.token_not_saved", why=str(problem)) from problem


def load_token(kiosk_id: str) -> str | None:
    try:
        return store().get_password(SERVICE, kiosk_id)
    except (NoKeyringError, KeyringError, NoSafeStore):
        return None


def forget_token(kiosk_id: str) -> None:
    with contextlib.suppress(NoKeyringError, KeyringError, NoSafeStore):
        store().delete_password(SERVICE, kiosk_id)
