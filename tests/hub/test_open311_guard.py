"""Anonymous Open311 posting is rate limited per client address and per service, and a hub can
give out api_keys (a known key is not limited, an unknown one is 403) or require one."""

from __future__ import annotations

import pytest
import requests

from hub.open311_guard import TokenBuckets

REPORT = {"service_code": "rubbish", "address_string": "Bus stop, Main Street"}


def post(hub, data: dict | None = None, address: str = "", **fields: str) -> requests.Response:
    """A post from `address` (told by a proxy on loopback, which uvicorn trusts by default)."""
    headers = {"X-Forwarded-For": address} if address else {}
    return requests.post(f"{hub.url}/open311/v2/requests.json", data={**(data or REPORT),
                         **fields}, headers=headers, timeout=30)


def assert_open311_error(response: requests.Response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


def test_a_flood_from_one_address_meets_429_with_retry_after(hub):
    answers = [post(hub).status_code for _ in range(10)]  # the default burst: 10 (30 an hour)
    assert answers == [200] * 10
    flooded = post(hub)
    assert_open311_error(flooded, 429)
    assert 1 <= int(flooded.headers["Retry-After"]) <= 120  # one post per 2 minutes refills
    assert post(hub, address="203.0.113.7").status_code == 200  # another address is not held


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_flood_from_many_addresses_meets_the_services_bucket(start_hub, database):
    hub = start_hub(database, open311_posts_per_hour=3)  # a burst of 1 per address, 10 a service
    assert [post(hub, address=f"198.51.100.{n}").status_code for n in range(10)] == [200] * 10
    assert_open311_error(post(hub, address="198.51.100.99"), 429)
    other_service = {**REPORT, "service_code": "street_light"}
    assert post(hub, other_service, address="198.51.100.100").status_code == 200
    assert_open311_error(post(hub, other_service, address="198.51.100.100"), 429)


def test_api_keys_lift_the_limit_and_a_wrong_one_is_403(start_hub, database):
    hub = start_hub(database, open311_posts_per_hour=3, open311_api_keys=("key-of-app-1",))
    assert [post(hub, api_key="key-of-app-1").status_code for _ in range(5)] == [200] * 5
    assert_open311_error(post(hub, api_key="key-of-someone-else"), 403)
    assert_open311_error(post(hub, api_key="key-of-app-1", address_string="x" * 501), 400)
    assert post(hub).status_code == 200  # anonymous: its burst of 1
    assert_open311_error(post(hub), 429)
    in_query = requests.post(f"{hub.url}/open311/v2/requests.json", data=REPORT,
                             params={"api_key": "key-of-app-1"}, timeout=30)
    assert in_query.status_code == 200  # some clients put it in the query string


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_hub_can_require_a_key(start_hub, database):
    hub = start_hub(database, open311_require_key=True, open311_api_keys=("key-of-app-1",))
    assert_open311_error(post(hub), 403)
    assert post(hub, api_key="key-of-app-1").status_code == 200
    listed = requests.get(f"{hub.url}/open311/v2/requests.json", timeout=30)
    assert listed.status_code == 200  # reading stays open


def test_a_bucket_refills_at_its_rate():
    buckets = TokenBuckets(capacity=2, per_hour=60)  # one a minute
    assert buckets.take("a", 0.0) == 0 and buckets.take("a", 0.0) == 0
    wait = buckets.take("a", 0.0)
    assert wait == pytest.approx(60)
    assert buckets.take("a", 30.0) == pytest.approx(30)  # a refused try takes nothing
    assert buckets.take("a", 60.0) == 0
    assert buckets.take("b", 60.0) == 0  # each key its own bucket
