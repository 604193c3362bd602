"""Hostile input gets a 4xx that says why, never a 500, on SQLite and PostgreSQL.

Each case is one the hostile-input probe of issue 12 found: lone surrogates and NUL characters in
string fields, JSON nested 1,000 deep, an Open311 address longer than its column, bodies far
larger than any kiosk sends (refused before they are read), and path or query NULs.
"""

from __future__ import annotations

import json

import pytest
import requests

from tests.hub.conftest import Client

NUL, SURROGATE = "\\u0000", "\\ud800"  # as JSON escapes: json.dumps would refuse neither
DEEP = "[" * 1000 + "]" * 1000


def post_json_text(client: Client, path: str, text: str, **headers: str) -> requests.Response:
    """POST `text` as it is: JSON escapes a client library would never write."""
    return client.post(path, data=text.encode("utf-8"),
                       headers={"Content-Type": "application/json", **headers})


def assert_refused(response: requests.Response, status: int, *words: str) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    message = body["message"] if isinstance(body, dict) else body[0]["description"]
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "lone_surrogate"])
@pytest.mark.parametrize("path, template", [
    ("/v1/identity/card", '{"id_number": "11010519400101%s"}'),
    ("/v1/identity/code", '{"id_number": "%s"}'),
    ("/v1/identity/verify", '{"id_number": "110105194001011234", "code": "12%s"}'),
    ("/v1/heartbeat", '{"kiosk_id": "demo-kiosk", "queue_waiting": 0, "queue_quarantined": 0,'
                      ' "version": "1.0%s"}'),
    ("/v1/lookups/bill", '{"params": {"utility": "water%s", "account": "10012345"}}'),
    ("/v1/lookups/bill", '{"params": {"utility": "water", "account": {"deep": ["%s"]}}}'),
    ("/v1/lookups/insurance", '{"params": {}, "citizen_id": "%s"}'),
    ("/v1/help-requests", '{"service_id": "pay_bill%s", "step_id": null}'),
])
def test_nul_and_lone_surrogates_in_json_are_422_with_a_reason(client, path, template, bad):
    assert_refused(post_json_text(client, path, template % bad), 422, "character")


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "lone_surrogate"])
def test_nul_and_lone_surrogates_in_a_submission_envelope_are_refused(client, bad):
    envelope = json.loads(client.envelope("pay_bill", {"utility": "water"}))
    text = json.dumps(envelope).replace('"created"', f'"provisional_reference": "P{bad}", '
                                        '"created"', 1)
    text = text.replace('"provisional_reference": null, ', "")
    response = post_json_text(client, "/v1/submissions", text,
                              **{"Idempotency-Key": "7d1c1f64-8a1c-4c5e-9d3e-0a4c5f0b9b10"})
    assert_refused(response, 422, "character")


@pytest.mark.parametrize("path", ["/v1/identity/card", "/v1/lookups/bill", "/v1/heartbeat",
                                  "/v1/usage", "/v1/submissions", "/v1/help-requests"])
def test_json_nested_a_thousand_deep_is_400(client, path):
    response = post_json_text(client, path, DEEP,
                              **{"Idempotency-Key": "2b9e5a3c-1d4f-4e6a-8b7c-9d0e1f2a3b4c"})
    assert_refused(response, 400, "deep")


def test_strings_longer_than_their_field_are_422(client):
    long_version = {"kiosk_id": "demo-kiosk", "queue_waiting": 0, "queue_quarantined": 0,
                    "version": "9" * 101}
    assert_refused(client.post("/v1/heartbeat", json=long_version), 422, "version")
    assert_refused(client.post("/v1/identity/card", json={"id_number": "1" * 33}), 422,
                   "id_number")
    params = {"utility": "water", "account": "1" * 1001}
    assert_refused(client.post("/v1/lookups/bill", json={"params": params}), 422, "1000")


def open311_post(hub, data: dict) -> requests.Response:
    return requests.post(f"{hub.url}/open311/v2/requests.json", data=data, timeout=30)


REPORT = {"service_code": "rubbish", "address_string": "Bus stop, Main Street",
          "description": "Bins overflowing"}


@pytest.mark.parametrize("field", ["description", "address_string", "email", "first_name",
                                   "attribute[place]"])
def test_open311_nul_in_a_field_is_400(hub, field):
    assert_refused(open311_post(hub, {**REPORT, field: "a\x00b"}), 400, "character")


def test_open311_fields_longer_than_their_columns_are_400(hub):
    assert_refused(open311_post(hub, {**REPORT, "address_string": "x" * 501}), 400,
                   "address_string", "500")
    assert_refused(open311_post(hub, {**REPORT, "email": "x" * 300 + "@example.org"}), 400,
                   "email")
    assert open311_post(hub, {**REPORT, "address_string": "地" * 500}).status_code == 200


@pytest.mark.parametrize("path", ["/open311/v2/requests/%00.json",
                                  "/open311/v2/requests.json?service_code=%00",
                                  "/open311/v2/requests.json?service_request_id=a%00b",
                                  "/open311/v2/tokens/%00.json"])
def test_open311_nul_in_a_path_or_query_is_400(hub, path):
    assert_refused(requests.get(hub.url + path, timeout=30), 400, "character")


def test_a_body_over_the_route_limit_is_413_before_it_is_read(client):
    big = b'{"records": [' + b" " * (40 << 20) + b"]}"
    assert_refused(client.post("/v1/usage", data=big,
                               headers={"Content-Type": "application/json"}), 413, "large")

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"records": ['
        for _ in range(40):
            yield b" " * (1 << 20)
        yield b"]}"

    assert_refused(client.post("/v1/usage", data=chunks(),
                               headers={"Content-Type": "application/json"}), 413, "large")


def test_open311_huge_fields_are_413(hub):
    for megabytes in (10, 50):
        response = open311_post(hub, {**REPORT, "email": "x" * (megabytes << 20)})
        assert_refused(response, 413, "large")
