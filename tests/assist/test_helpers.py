"""Helper accounts: argon2id PINs, badge QR, lock-out that survives a restart."""

import json
import stat
from datetime import UTC, datetime, timedelta

import argon2
import pytest

from kiosk.admin_pin import ACCOUNT, SERVICE, AdminPin
from kiosk.assist.audit import AuditLog, verify
from kiosk.assist.helpers import (
    BadBadge,
    Helper,
    HelperAccounts,
    LockedOut,
    UnknownHelper,
    WrongPin,
)
from tests.hashes import DEFAULT_HASHERS, without_hashes

PIN = "730519"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def accounts(tmp_path):
    accounts = HelperAccounts(tmp_path / "helpers.json")
    accounts.badge = accounts.create("li-wei", "Li Wei", PIN)
    return accounts


def wrong_three_times(accounts, now):
    for left in (2, 1):
        with pytest.raises(WrongPin) as err:
            accounts.sign_in_pin("li-wei", "000000", now)
        assert err.value.attempts_left == left
    with pytest.raises(LockedOut) as err:
        accounts.sign_in_pin("li-wei", "000000", now)
    return now + timedelta(seconds=err.value.seconds)


def wrong_again(accounts, now):
    """After a lock, one more wrong PIN locks again, for twice as long."""
    with pytest.raises(LockedOut) as err:
        accounts.sign_in_pin("li-wei", "000000", now)
    return now + timedelta(seconds=err.value.seconds)


def test_good_pin(accounts):
    assert accounts.sign_in_pin("li-wei", PIN, T0) == Helper("li-wei", "Li Wei")


def test_wrong_pin_and_unknown_helper(accounts):
    with pytest.raises(WrongPin) as err:
        accounts.sign_in_pin("li-wei", "123456", T0)
    assert err.value.attempts_left == 2
    with pytest.raises(UnknownHelper):
        accounts.sign_in_pin("nobody", PIN, T0)


def test_no_pin_in_clear_only_argon2id(accounts):
    raw = accounts.path.read_bytes()
    assert PIN.encode() not in without_hashes(raw) and accounts.badge.encode() not in raw
    stored = json.loads(raw)["helpers"]["li-wei"]
    assert stored["pin_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600


def test_by_default_pins_are_hashed_at_argon2s_own_cost(tmp_path, memory_keyring, monkeypatch):
    """The suite hashes with cheap parameters (tests/hashes.py); the kiosk itself does not."""
    for module in DEFAULT_HASHERS:
        monkeypatch.setattr(f"{module}.PasswordHasher", argon2.PasswordHasher)
    full = argon2.PasswordHasher()
    cost = f"$m={full.memory_cost},t={full.time_cost},p={full.parallelism}$"
    accounts = HelperAccounts(tmp_path / "helpers.json")
    accounts.create("li-wei", "Li Wei", PIN)
    stored = json.loads(accounts.path.read_bytes())["helpers"]["li-wei"]["pin_hash"]
    assert stored.startswith("$argon2id$") and cost in stored
    assert full.memory_cost >= 64 * 1024 and full.time_cost >= 2  # RFC 9106's second choice
    admin = AdminPin(tmp_path / "admin-lock.json")
    admin.set_pin("2580")
    kept = memory_keyring.secrets[(SERVICE, ACCOUNT)]
    assert kept.startswith("$argon2id$") and cost in kept


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", " 1234"])
def test_pins_are_4_to_8_digits(tmp_path, pin):
    with pytest.raises(ValueError):
        HelperAccounts(tmp_path / "h.json").create("li-wei", "Li Wei", pin)


def test_lock_out_after_three_survives_a_restart_and_ends_in_time(accounts):
    until = wrong_three_times(accounts, T0)
    assert until == T0 + timedelta(seconds=30)
    reopened = HelperAccounts(accounts.path)
    with pytest.raises(LockedOut) as locked:  # even the right PIN, even after a restart
        reopened.sign_in_pin("li-wei", PIN, T0 + timedelta(seconds=29))
    assert locked.value.text("en") == ("Too many wrong PINs. Try again in 1 second. "
                                       "Your badge still works: scan it to sign in.")
    assert reopened.sign_in_pin("li-wei", PIN, T0 + timedelta(seconds=30)).helper_id == "li-wei"


def test_wrong_pins_typed_by_someone_else_never_stop_the_badge(accounts):
    """A passer-by locks Li Wei's PIN; Li Wei still signs in with the badge, at once, and the
    badge does not forgive the stranger's wrong PINs."""
    now = wrong_three_times(accounts, T0)
    for _lock in range(10):
        now = wrong_again(accounts, now)
    badge = HelperAccounts.badge_text("li-wei", accounts.badge)
    assert HelperAccounts(accounts.path).sign_in_badge(badge, T0 + timedelta(seconds=1)) \
        == Helper("li-wei", "Li Wei")
    with pytest.raises(LockedOut):
        accounts.sign_in_pin("li-wei", PIN, now - timedelta(seconds=1))


def test_lock_out_doubles_to_an_hour_at_most_until_a_good_sign_in(accounts):
    now, waits = T0, []
    for lock in range(12):
        until = (wrong_again if lock else wrong_three_times)(accounts, now)
        waits.append((until - now).total_seconds())
        now = until
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600]
    accounts.sign_in_pin("li-wei", PIN, now)
    assert wrong_three_times(accounts, now) - now == timedelta(seconds=30)


def test_a_new_helper_of_a_removed_ones_name_starts_unlocked(accounts):
    wrong_three_times(accounts, T0)
    accounts.remove("li-wei")
    accounts.create("li-wei", "Li Wei", PIN)
    assert accounts.sign_in_pin("li-wei", PIN, T0).helper_id == "li-wei"


def test_badge_good_and_forged(accounts):
    qr = HelperAccounts.badge_text("li-wei", accounts.badge)
    assert qr == f"kiosk-helper:li-wei:{accounts.badge}"
    assert accounts.sign_in_badge(qr, T0) == Helper("li-wei", "Li Wei")
    other = accounts.create("zhao-min", "Zhao Min", "4455")
    for forged in (f"kiosk-helper:li-wei:{other}", f"kiosk-helper:li-wei:{accounts.badge}x",
                   "kiosk-helper:li-wei:", "li-wei", f"other:li-wei:{accounts.badge}"):
        with pytest.raises(BadBadge):
            accounts.sign_in_badge(forged, T0)
    with pytest.raises(UnknownHelper):
        accounts.sign_in_badge(f"kiosk-helper:ghost:{accounts.badge}", T0)


def test_duplicate_helper_refused(accounts):
    with pytest.raises(ValueError):
        accounts.create("li-wei", "Someone Else", "9999")


def test_sign_ins_are_audited_without_pins_or_names(tmp_path):
    path = tmp_path / "audit.jsonl"
    accounts = HelperAccounts(tmp_path / "h.json", audit=AuditLog(path), kiosk_id="kiosk-a")
    accounts.create("li-wei", "Li Wei", PIN)
    helper = accounts.sign_in_pin("li-wei", PIN, T0)
    wrong_three_times(accounts, T0)
    with pytest.raises(UnknownHelper):
        accounts.sign_in_pin("110105194912310021", PIN, T0)  # an ID number typed as helper id
    accounts.sign_out(helper)
    raw = path.read_bytes()
    actions = [json.loads(line)["action"] for line in raw.splitlines()]
    assert actions == ["sign_in", "sign_in_refused", "sign_in_refused", "locked_out",
                       "sign_in_refused", "sign_out"]
    assert PIN.encode() not in without_hashes(raw)
    assert b"Li Wei" not in raw and b"1101051949" not in raw
    assert verify(path).ok


def test_the_admin_command_adds_a_helper_without_keeping_the_pin(tmp_path, capsys):
    from main import add_helper

    pins = iter(["5791", "5791"])
    assert add_helper("zhao", "Zhao 赵", tmp_path, read_pin=lambda _prompt: next(pins)) == 0
    badge = capsys.readouterr().out.splitlines()[-1]
    assert badge.startswith("kiosk-helper:zhao:")
    assert b"5791" not in without_hashes((tmp_path / "helpers.json").read_bytes())
    mismatched = iter(["5791", "5792"])
    assert add_helper("qian", "Qian", tmp_path, read_pin=lambda _p: next(mismatched)) == 1


def test_an_older_accounts_file_with_locks_inside_still_opens(accounts):
    """Before kiosk.lockout, the lock was kept in each account: such a file is not damaged."""
    data = json.loads(accounts.path.read_text())
    data["helpers"]["li-wei"].update(wrong=2, lockouts=5, locked_until="2099-01-01T00:00:00+00:00")
    accounts.path.write_text(json.dumps(data))
    reopened = HelperAccounts(accounts.path)
    assert reopened.sign_in_pin("li-wei", PIN, T0).helper_id == "li-wei"
    assert reopened.repaired is None
    reopened.create("zhao", "Zhao", "4455")  # written back the new way
    assert "locked_until" not in json.loads(accounts.path.read_text())["helpers"]["li-wei"]
