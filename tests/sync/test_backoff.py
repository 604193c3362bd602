"""Backoff with full jitter, Retry-After, and waits that survive the clock jumping."""

from __future__ import annotations

from email.utils import formatdate

from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.backoff import Backoff, parse_retry_after, reanchor


@given(st.integers(min_value=0, max_value=10_000))
def test_full_jitter_stays_under_the_exponential_ceiling(attempts):
    backoff = Backoff(base=2.0, cap=300.0)
    delay = backoff.delay(attempts)
    assert 0.0 <= delay <= min(300.0, 2.0 * 2**min(attempts, 62))


def test_the_ceiling_doubles_up_to_the_cap():
    longest = Backoff(base=2.0, cap=300.0, uniform=lambda _low, high: high)
    assert [longest.delay(n) for n in range(10)] == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_retry_after_is_a_floor_not_a_ceiling():
    shortest = Backoff(base=2.0, cap=300.0, uniform=lambda low, _high: low)
    longest = Backoff(base=2.0, cap=300.0, uniform=lambda _low, high: high)
    assert shortest.delay(3, retry_after=30) == 30
    assert longest.delay(8, retry_after=30) == 300
    assert shortest.delay(0, retry_after=10**9) == shortest.max_retry_after


def test_retry_after_in_seconds_or_as_an_http_date():
    now = 1_700_000_000.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(formatdate(now + 90, usegmt=True), now) == 90.0
    assert parse_retry_after(formatdate(now - 90, usegmt=True), now) == 0.0
    for bad in (None, "", "soon", "-5", "1.5"):
        assert parse_retry_after(bad, now) is None


def test_reanchor_only_pulls_due_times_in():
    assert reanchor(due=1060.0, wait=60.0, now=1000.0) == 1060.0
    assert reanchor(due=1060.0, wait=60.0, now=2000.0) == 1060.0  # forward: due already
    assert reanchor(due=1060.0, wait=60.0, now=0.0) == 60.0  # back: wait again, not for ages
