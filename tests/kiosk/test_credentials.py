"""The hub token lives in a store that protects it, never in clear."""

import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import KeyringError, PasswordSetError

from kiosk import credentials
from kiosk.secret_file import FILE_NAME, SealedFileKeyring, sealing_key

TOKEN = "s3cret-token-7Qx"


def give_sealing_key(tmp_path, monkeypatch, material: bytes) -> None:
    """What systemd does for a unit with LoadCredentialEncrypted=kiosk-secrets-key:..."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    (folder / "kiosk-secrets-key").write_bytes(material)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(folder))


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


def test_a_system_keyring_is_used_when_there_is_one(memory_keyring, bare_machine, tmp_path,
                                                     monkeypatch):
    keyring.set_keyring(memory_keyring)
    give_sealing_key(tmp_path, monkeypatch, os.urandom(32))
    assert "system keyring" in credentials.choose_store(demo=False)
    credentials.save_token("centre-12-a", TOKEN)
    assert memory_keyring.secrets == {(credentials.SERVICE, "centre-12-a"): TOKEN}
    assert not (bare_machine / FILE_NAME).exists()


def test_without_a_keyring_the_token_is_sealed_in_a_file_only_the_kiosk_can_open(
        bare_machine, tmp_path, monkeypatch):
    give_sealing_key(tmp_path, monkeypatch, b"dGhpcyBpcyBhIGJhc2U2NCBrZXkgZnJvbSBzeXN0ZW1k\n")
    told = credentials.choose_store(demo=False)
    assert "sealed" in told and "kiosk-secrets-key" in told
    assert "sealed" in credentials.describe()

    credentials.save_token("centre-12-a", TOKEN)
    assert credentials.load_token("centre-12-a") == TOKEN
    sealed = bare_machine / FILE_NAME
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert TOKEN.encode() not in sealed.read_bytes()
    assert b"centre-12-a" not in sealed.read_bytes()  # not even which kiosk it is for
    assert os.listdir(bare_machine) == [FILE_NAME]  # no temporary file left behind

    # The next start (a new process) finds it again with the same key.
    keyring.set_keyring(fail.Keyring())
    credentials.choose_store(demo=False)
    assert credentials.load_token("centre-12-a") == TOKEN
    credentials.forget_token("centre-12-a")
    assert credentials.load_token("centre-12-a") is None


def test_a_copied_secrets_file_cannot_be_opened_with_another_key(tmp_path):
    path = tmp_path / FILE_NAME
    SealedFileKeyring(path, sealing_key(b"the kiosk's own key")).set_password("s", "u", TOKEN)
    before = path.read_bytes()
    stranger = SealedFileKeyring(path, os.urandom(32))
    with pytest.raises(KeyringError, match="cannot be opened with this kiosk's key"):
        stranger.get_password("s", "u")
    with pytest.raises(PasswordSetError):  # and it does not overwrite what it cannot read
        stranger.set_password("s", "u", "other")
    assert path.read_bytes() == before


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's: it would write the token in clear."""

    priority = 0.5
    viable = False

    def set_password(self, service, username, password):
        raise AssertionError("a plaintext keyring must never be used")

    def get_password(self, service, username):
        return None

    def delete_password(self, service, username):
        pass


def test_no_keyring_no_sealing_key_and_not_the_demo_means_no_store_and_says_so(bare_machine):
    keyring.set_keyring(PlaintextKeyring())
    told = credentials.choose_store(demo=False)
    assert told.startswith("No safe place for secrets")
    assert "no system keyring and no sealing key" in told
    with pytest.raises(credentials.NoSafeStore):
        credentials.save_token("centre-12-a", TOKEN)
    assert credentials.describe() == told
    assert not bare_machine.exists()  # nothing written anywhere


def test_the_demo_keeps_secrets_in_memory_only(bare_machine):
    told = credentials.choose_store(demo=True)
    assert "forgotten when the kiosk closes" in told
    memory = credentials.store()
    assert isinstance(memory, credentials.DemoMemoryKeyring)
    memory.set_password("assisted-kiosk/admin-pin", "admin", "a hash")  # the PIN may live here
    assert memory.get_password("assisted-kiosk/admin-pin", "admin") == "a hash"
    assert not bare_machine.exists()
    # Choosing again (the next start) does not take the demo's memory for a system keyring.
    assert "forgotten when the kiosk closes" in credentials.choose_store(demo=True)
    assert credentials.store().get_password("assisted-kiosk/admin-pin", "admin") is None


def test_the_demo_memory_refuses_a_hub_token_that_would_vanish_at_the_next_start(
        bare_machine):
    credentials.choose_store(demo=True)
    with pytest.raises(credentials.NoSafeStore,
                       match=r"forgotten when the kiosk closes; see docs/admin-guide\.md"):
        credentials.save_token("centre-12-a", TOKEN)
    assert credentials.load_token("centre-12-a") is None
    assert credentials.store().get_password(credentials.SERVICE, "centre-12-a") is None
    assert not bare_machine.exists()  # and nothing was written anywhere instead
