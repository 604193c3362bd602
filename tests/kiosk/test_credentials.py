"""The hub token lives in a keyring that protects it, never in clear."""

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from kiosk import credentials


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring (as a system keyring behaves), for tests only."""

    priority = 5

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
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def test_the_token_round_trips_through_the_keyring(memory_keyring, tmp_path):
    credentials.save_token("centre-12-a", "s3cret-token")
    assert credentials.load_token("centre-12-a") == "s3cret-token"
    assert memory_keyring.secrets == {(credentials.SERVICE, "centre-12-a"): "s3cret-token"}
    credentials.forget_token("centre-12-a")
    assert credentials.load_token("centre-12-a") is None


def test_no_keyring_means_a_plain_refusal_not_a_plaintext_file():
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # what a bare Linux box has
    try:
        with pytest.raises(credentials.NoSafeStore, match="No safe place for secrets"):
            credentials.save_token("centre-12-a", "s3cret-token")
        assert credentials.load_token("centre-12-a") is None
        assert "No safe place" in credentials.describe()
    finally:
        keyring.set_keyring(before)
