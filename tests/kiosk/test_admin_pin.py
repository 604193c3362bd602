"""The admin PIN: set once, checked, and wrong guesses lock the entry for longer and longer."""

import pytest

from kiosk import credentials
from kiosk.admin_pin import SERVICE, AdminPin, NoPinSet, PinRefused
from tests.hashes import FAST


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def pin(memory_keyring, tmp_path, clock):
    return AdminPin(tmp_path / "admin-lock.json", clock=clock, hasher=FAST)


def test_first_start_sets_a_pin_kept_only_as_a_slow_hash(pin, memory_keyring):
    assert not pin.is_set()
    with pytest.raises(NoPinSet):
        pin.check("2580")
    pin.set_pin("2580")
    assert pin.is_set()
    kept = memory_keyring.secrets[(SERVICE, "admin")]
    assert kept.startswith("$argon2id$") and "2580" not in kept
    assert pin.check("2580").ok


def test_wrong_pins_say_tries_left_then_lock_for_30_seconds_then_twice_as_long(pin, clock,
                                                                             tmp_path):
    pin.set_pin("2580")
    verdict = pin.check("1111")
    assert (verdict.ok, verdict.locked_for, verdict.tries_left) == (False, 0, 2)
    verdict = pin.check("0000")
    assert (verdict.ok, verdict.locked_for, verdict.tries_left) == (False, 0, 1)
    verdict = pin.check("0001")
    assert (verdict.ok, verdict.locked_for, verdict.tries_left) == (False, 30, 0)

    clock.now += 10
    assert pin.locked_for() == 20
    assert not pin.check("2580").ok  # even the right PIN waits out the lock
    assert pin.check("2580").locked_for == 20

    clock.now += 20
    assert pin.locked_for() == 0
    assert pin.check("9999").locked_for == 60  # each further wrong PIN: twice as long
    clock.now += 60
    assert pin.check("9998").locked_for == 120

    # Restarting the kiosk does not lift the lock.
    clock.now += 1
    restarted = AdminPin(tmp_path / "admin-lock.json", clock=clock, hasher=FAST)
    assert restarted.locked_for() == 119
    assert not restarted.check("2580").ok

    clock.now += 119
    assert restarted.check("2580").ok  # a right PIN forgives everything
    assert restarted.check("1111").tries_left == 2
    assert restarted.check("1112").tries_left == 1
    assert restarted.check("1113").locked_for == 30


def test_the_lock_grows_to_one_hour_at_most(pin, clock):
    pin.set_pin("2580")
    locks = []
    for attempt in range(12):
        clock.now += pin.locked_for()
        verdict = pin.check(f"00{attempt:02d}")
        if verdict.locked_for:
            locks.append(verdict.locked_for)
    assert locks == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_setting_the_clock_back_does_not_lengthen_a_lock(pin, clock):
    pin.set_pin("2580")
    for wrong in ("1111", "2222", "3333"):
        pin.check(wrong)
    clock.now -= 86400  # the clock is put back a day
    assert pin.locked_for() == 30


@pytest.mark.parametrize(("new_pin", "why"), [
    ("123", "4 to 8 digits"), ("123456789", "4 to 8 digits"), ("12a4", "4 to 8 digits"),
    ("", "4 to 8 digits"), ("１２３５", "4 to 8 digits"), ("7777", "same digit"),
    ("1234", "digits in a row"), ("87654", "digits in a row"),
])
def test_pin_rules_are_told_in_plain_words(pin, new_pin, why):
    with pytest.raises(PinRefused, match=why) as refused:
        pin.set_pin(new_pin)
    assert refused.value.text("zh_CN") != str(refused.value)  # the admin's language too
    assert not pin.is_set()


def test_good_pins_are_accepted(pin):
    for good in ("2580", "1357", "90210", "12345670"):
        pin.set_pin(good)
        assert pin.check(good).ok


def test_without_a_safe_store_the_pin_cannot_be_set(bare_machine):
    credentials.choose_store(demo=False)
    pin = AdminPin(bare_machine / "admin-lock.json", hasher=FAST)
    with pytest.raises(credentials.NoSafeStore):
        pin.is_set()
    with pytest.raises(credentials.NoSafeStore):
        pin.set_pin("2580")
