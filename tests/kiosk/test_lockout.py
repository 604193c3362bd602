"""One lockout rule for every PIN (kiosk.lockout): the admin's and each helper's PIN wait the
same, capped times; a restart keeps a lock; a damaged lock file is set aside, not fatal; the
wait is told in plain words."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.admin_pin import AdminPin
from kiosk.assist.helpers import HelperAccounts, LockedOut, WrongPin
from kiosk.files import repairs
from kiosk.lockout import FIRST_LOCK_S, LONGEST_LOCK_S, PinLocks, wait_message
from tests.hashes import FAST

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


class Admin:
    """The admin's PIN, typed at the admin screen: the wait each try ends in."""

    def __init__(self, folder):
        self.now = T0.timestamp()
        self.pin = AdminPin(folder / "admin-lock.json", clock=lambda: self.now, hasher=FAST)
        self.pin.set_pin("2580")

    def wait_after(self, typed):
        verdict = self.pin.check(typed)
        return 0.0 if verdict.ok else verdict.locked_for

    def waiting(self):
        return self.pin.locked_for()


class Helpers:
    """A helper's PIN, typed at the sign-in screen."""

    def __init__(self, folder):
        self.now = T0.timestamp()
        folder.mkdir(exist_ok=True)
        self.accounts = HelperAccounts(folder / "helpers.json", hasher=FAST)
        self.accounts.create("li-wei", "Li Wei", "2580")

    def wait_after(self, typed):
        try:
            self.accounts.sign_in_pin("li-wei", typed, datetime.fromtimestamp(self.now, UTC))
        except WrongPin:
            return 0.0
        except LockedOut as locked:
            return locked.seconds
        return 0.0

    def waiting(self):
        return self.accounts.locks.locked_for("li-wei", self.now)


def waits_for_wrong_pins(who, count):
    """Types `count` wrong PINs, each as soon as allowed; the waits they led to."""
    waits = []
    for n in range(count):
        who.now += who.waiting()
        wait = who.wait_after(f"9{n:03d}")
        if wait:
            waits.append(wait)
    return waits


@pytest.mark.parametrize("kind", [Admin, Helpers])
def test_the_wait_doubles_to_an_hour_and_never_more(memory_keyring, tmp_path, kind):
    who = kind(tmp_path)
    waits = waits_for_wrong_pins(who, 60)
    assert waits[:8] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert set(waits[7:]) == {LONGEST_LOCK_S} and len(waits) == 58  # a day of guessing: capped


def test_admin_and_helper_pins_follow_one_rule(memory_keyring, tmp_path):
    admin, helpers = Admin(tmp_path / "a"), Helpers(tmp_path / "h")
    assert waits_for_wrong_pins(admin, 20) == waits_for_wrong_pins(helpers, 20)
    assert type(admin.pin.locks) is type(helpers.accounts.locks) is PinLocks


@pytest.mark.parametrize("kind", [Admin, Helpers])
def test_a_restart_keeps_the_lock_and_a_right_pin_forgives(memory_keyring, tmp_path, kind):
    who = kind(tmp_path)
    waits_for_wrong_pins(who, 4)  # locked for 30 s, then 60 s
    who.now += 10
    again = kind.__new__(kind)  # the kiosk restarted: the same files, read afresh
    again.now = who.now
    if kind is Admin:
        again.pin = AdminPin(tmp_path / "admin-lock.json", clock=lambda: again.now, hasher=FAST)
    else:
        again.accounts = HelperAccounts(tmp_path / "helpers.json", hasher=FAST)
    assert again.waiting() == 50
    assert again.wait_after("2580") == 50  # even the right PIN waits out the lock
    again.now += 50
    assert again.wait_after("2580") == 0
    assert waits_for_wrong_pins(again, 3) == [FIRST_LOCK_S]  # all forgiven: from the start


def test_a_damaged_lock_file_is_set_aside_and_the_readable_locks_kept(tmp_path):
    path = tmp_path / "helper-locks.json"
    now = T0.timestamp()
    locks = PinLocks(path)
    locks.wrong("li", now)
    for _ in range(3):
        locks.wrong("wang", now)
    data = json.loads(path.read_text())
    data["locks"]["zhao"] = {"wrong": "lots", "lock_s": 1, "locked_until": 0}
    path.write_text(json.dumps(data))

    reopened = PinLocks(path)
    assert reopened.locked_for("wang", now) == 30  # kept
    assert reopened.repaired is not None and reopened.repaired.kept == 2
    [repair] = repairs(tmp_path)
    assert repair.kind == "locks" and repair.moved_to.startswith("helper-locks.json.damaged-")
    assert "2 PIN locks were kept" in repair.text("en")
    assert "保留了 2 个密码锁定" in repair.text("zh_CN")
    assert PinLocks(path).wrong("li", now).tries_left == 1  # li's one wrong PIN still counts

    path.write_bytes(b"\x00garbage")
    assert PinLocks(path).locked_for("wang", now) == 0  # nothing readable: a fresh start
    assert len(repairs(tmp_path)) == 2


def test_a_lock_file_claiming_a_wait_over_the_cap_is_not_believed(tmp_path):
    path = tmp_path / "admin-lock.json"
    path.write_text(json.dumps({"version": 1, "locks": {"admin": {
        "wrong": 0, "lock_s": 86400 * 30, "locked_until": T0.timestamp() + 86400 * 30}}}))
    assert PinLocks(path).locked_for("admin", T0.timestamp()) == 0
    assert [r.kind for r in repairs(tmp_path)] == ["locks"]


def test_the_admin_lock_of_an_older_kiosk_still_holds(tmp_path):
    """admin-lock.json as kiosks wrote it before this module: read, not set aside."""
    path = tmp_path / "admin-lock.json"
    path.write_text(json.dumps({"wrong": 0, "lock_s": 120.0,
                                "locked_until": T0.timestamp() + 100}))
    assert PinLocks(path).locked_for("admin", T0.timestamp()) == 100
    path.write_text("{}")  # after a right PIN
    assert PinLocks(path).locked_for("admin", T0.timestamp()) == 0
    assert repairs(tmp_path) == []


@pytest.mark.parametrize(("seconds", "en", "zh"), [
    (30, "Too many wrong PINs. Try again in 30 seconds.", "密码错的次数太多了。请 30 秒后再试。"),
    (0.4, "Too many wrong PINs. Try again in 1 second.", "密码错的次数太多了。请 1 秒后再试。"),
    (60, "Too many wrong PINs. Try again in 1 minute.", "密码错的次数太多了。请 1 分钟后再试。"),
    (61, "Too many wrong PINs. Try again in 2 minutes.", "密码错的次数太多了。请 2 分钟后再试。"),
    (3600, "Too many wrong PINs. Try again in 60 minutes.",
     "密码错的次数太多了。请 60 分钟后再试。"),
])
def test_the_wait_in_plain_words_never_shorter_than_it_is(seconds, en, zh):
    assert (wait_message(seconds).text("en"), wait_message(seconds).text("zh_CN")) == (en, zh)
    assert str(wait_message(seconds)) == en


def test_a_locked_helper_is_told_how_long_in_their_language(tmp_path):
    accounts = HelperAccounts(tmp_path / "helpers.json", hasher=FAST)
    accounts.create("li-wei", "Li Wei", "2580")
    for _ in range(2):
        with pytest.raises(WrongPin):
            accounts.sign_in_pin("li-wei", "1111", T0)
    with pytest.raises(LockedOut):
        accounts.sign_in_pin("li-wei", "1111", T0)
    with pytest.raises(LockedOut) as locked:
        accounts.sign_in_pin("li-wei", "2580", T0 + timedelta(seconds=10))
    assert locked.value.text("zh_CN") == ("密码错的次数太多了。请 20 秒后再试。"
                                          "工作证还能用：扫一下就能登录。")
    assert str(locked.value) == ("Too many wrong PINs. Try again in 20 seconds. "
                                 "Your badge still works: scan it to sign in.")
