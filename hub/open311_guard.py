"""Who may post an Open311 report, and how often.

Posting is anonymous by design, so it is rate limited: a token bucket per client address and
one per service code (in memory, per hub process: a flood from many addresses still meets the
service's bucket). A client with one of the hub's API keys (Settings.open311_api_keys) is not
limited, one with another key is refused (a hub that gave out no keys ignores api_key); with
Settings.open311_require_key, a post without a valid key is refused. GeoReport v2 answers 403
for a missing or wrong api_key and this hub 429, with Retry-After, when a bucket is
empty. Field lengths and characters are the route's own check (hub.routes.open311).
Hooked onto the POST route as a FastAPI dependency: `Depends(guard_open311_post)`.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections import OrderedDict
from urllib.parse import parse_qsl

from fastapi import Request

from hub.config import Settings
from hub.errors import ApiError

MAX_FIELDS = 200
SERVICE_SHARE = 10  # a service's bucket holds this many clients' worth
MAX_BUCKETS = 10_000  # the least recently used are forgotten (a full bucket is the default)


class TokenBuckets:
    """`capacity` posts at once per key, refilled at `per_hour`."""

    def __init__(self, capacity: float, per_hour: float) -> None:
        self.capacity, self.rate = capacity, per_hour / 3600
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str, now: float) -> float:
        """0 when a post may go ahead (and takes it), else the seconds until one may."""
        tokens, then = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self._buckets[key] = (tokens - 1 if not wait else tokens, now)
        while len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        return wait


class Open311Guard:
    def __init__(self, settings: Settings) -> None:
        self.key_hashes = {_hash(key) for key in settings.open311_api_keys}
        self.require_key = settings.open311_require_key
        per_hour = settings.open311_posts_per_hour
        self.clients = TokenBuckets(max(1.0, per_hour / 3), per_hour) if per_hour else None
        self.services = (TokenBuckets(SERVICE_SHARE * max(1.0, per_hour / 3),
                                      SERVICE_SHARE * per_hour) if per_hour else None)

    def check(self, form: dict[str, str], client: str, now: float) -> None:
        key = form.get("api_key", "") if self.key_hashes else ""  # none given out: ignored
        if key:
            if not any(hmac.compare_digest(_hash(key), known) for known in self.key_hashes):
                raise ApiError(403, "forbidden", "api_key is not one this hub gave out.")
        elif self.require_key:
            raise ApiError(403, "forbidden", "This hub takes reports only with an api_key.")
        elif self.clients is not None and self.services is not None:  # anonymous: limited
            wait = max(self.clients.take(client, now),
                       self.services.take(form.get("service_code", "")[:50], now))
            if wait:
                seconds = math.ceil(wait)
                raise ApiError(429, "too_many_requests", f"Too many reports from here just now; "
                               f"try again in {seconds} seconds.", {"Retry-After": str(seconds)})


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


async def guard_open311_post(request: Request) -> None:
    """The dependency: the form (already read and size-checked by hub.limits) is checked here."""
    if request.method != "POST":
        return
    raw = await request.body()
    try:
        form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True,
                              max_num_fields=MAX_FIELDS))
    except ValueError:
        raise ApiError(400, "bad_request", f"A report has at most {MAX_FIELDS} fields.") from None
    if "api_key" not in form and "api_key" in request.query_params:
        form["api_key"] = request.query_params["api_key"]
    client = request.client.host if request.client else ""
    request.app.state.open311_guard.check(form, client, time.monotonic())
