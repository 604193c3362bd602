"""Keyrings for tests: an in-memory one (as a system keyring behaves) and a bare machine's."""

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring (as a system keyring behaves), for tests only."""

    priority = 5
    viable = False  # never picked up by keyring's own detection in other tests

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    """A system keyring for the test; the one before is put back afterwards."""
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def bare_machine(tmp_path, monkeypatch):
    """No system keyring, no systemd credential, the config folder in tmp_path."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "config" / "settings.toml"))
    yield tmp_path / "config"
    keyring.set_keyring(before)
