"""When to try again: exponential backoff with full jitter, the hub's Retry-After as a floor.

Due times are stored in wall-clock seconds (they must survive a restart), and the wall clock of
a kiosk that has been offline for days can jump either way when it finally syncs its time. So a
due time is never trusted further ahead than the wait that produced it (`reanchor`): a clock
set back re-anchors the wait to the new "now" instead of stalling for days, and a clock set
forward only makes items due, which the sender sends one at a time and stops at the first
failure, so no burst reaches a hub that is still down.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC


@dataclass(frozen=True)
class Backoff:
    base: float = 2.0  # seconds before the first retry, at most
    cap: float = 300.0  # the jittered wait never exceeds this
    max_retry_after: float = 6 * 3600.0  # a hub asking for longer than this is misconfigured
    uniform: Callable[[float, float], float] = field(default=random.uniform, compare=False)

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        """Seconds to wait after `attempts` failed tries (0 for the first failure)."""
        ceiling = min(self.cap, self.base * 2 ** min(max(attempts, 0), 62))
        wait = self.uniform(0.0, ceiling)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_retry_after))
        return wait


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime  # an HTTP date: rare

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def reanchor(due: float, wait: float, now: float) -> float:
    """A due time never more than its own wait ahead of now (the clock may have gone back)."""
    return min(due, now + max(wait, 0.0))
