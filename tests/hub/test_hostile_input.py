"""Hostile input gets a 4xx that says why, never a 500, on SQLite and PostgreSQL.

Each case is one the hostile-input probe of issue 12 found: lone surrogates and NUL characters in
string fields, JSON nested 1,000 deep, an Open311 address longer than its column, bodies far
larger than any kiosk sends (refused before they are read), and path or query NULs.
"""

from __future__ import annotations

import json
import uuid

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


JSON_FIELDS = [  # (path, body with %s where the bad character goes, the field named)
    ("/v1/identity/card", '{"id_number": "11010519400101%s"}', "id_number"),
    ("/v1/identity/code", '{"id_number": "%s"}', "id_number"),
    ("/v1/identity/verify", '{"id_number": "110105194001011234", "code": "12%s"}', "code"),
    ("/v1/heartbeat", '{"kiosk_id": "demo-kiosk", "queue_waiting": 0, "queue_quarantined": 0,'
                      ' "version": "1.0%s"}', "version"),
    ("/v1/lookups/bill", '{"params": {"utility": "water%s", "account": "10012345"}}', "utility"),
    ("/v1/lookups/bill", '{"params": {"utility": "water", "account": ["%s"]}}', "account"),
    ("/v1/lookups/insurance", '{"params": {}, "citizen_id": "%s"}', "citizen_id"),
    ("/v1/help-requests", '{"service_id": "pay_bill%s", "step_id": null}', "service_id"),
]


def test_nul_and_lone_surrogates_in_json_fields_are_422_naming_the_field(client):
    for bad in (NUL, SURROGATE):
        for path, template, field in JSON_FIELDS:
            assert_refused(post_json_text(client, path, template % bad), 422, field)


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "lone_surrogate"])
def test_nul_and_lone_surrogates_in_a_submission_envelope_are_refused(client, bad):
    envelope = json.loads(client.envelope("pay_bill", {"utility": "water"}))
    text = json.dumps(envelope).replace('"created"', f'"provisional_reference": "P{bad}", '
                                        '"created"', 1)
    text = text.replace('"provisional_reference": null, ', "")
    response = post_json_text(client, "/v1/submissions", text,
                              **{"Idempotency-Key": "7d1c1f64-8a1c-4c5e-9d3e-0a4c5f0b9b10"})
    assert_refused(response, 422, "character")


def test_json_nested_a_thousand_deep_is_400(client):
    for path in ("/v1/identity/card", "/v1/lookups/bill", "/v1/heartbeat", "/v1/usage",
                 "/v1/submissions", "/v1/help-requests"):
        for body in (DEEP, '{"records": ' + "[" * 1000):  # closed, or never
            response = post_json_text(client, path, body,
                                      **{"Idempotency-Key": str(uuid.uuid4())})
            assert_refused(response, 400, "deep")
    usual = '{"params": {"utility": "water", "account": "10012345"}, "x": [[["]]]]]["]]]}'
    assert post_json_text(client, "/v1/lookups/bill", usual).status_code == 200


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


def test_open311_nul_in_a_field_is_400(hub):
    for field in ("description", "address_string", "email", "first_name", "attribute[place]"):
        assert_refused(open311_post(hub, {**REPORT, field: "a\x00b"}), 400, field, "NUL")
    lines = open311_post(hub, {**REPORT, "description": "Bins\r\n\tfull", "unused": "\x00"})
    assert lines.status_code == 200  # line breaks are text; a field nobody reads is ignored


def test_open311_fields_longer_than_their_columns_are_400(hub):
    assert_refused(open311_post(hub, {**REPORT, "address_string": "x" * 501}), 400,
                   "address_string", "500")
    assert_refused(open311_post(hub, {**REPORT, "email": "x" * 300 + "@example.org"}), 400,
                   "email")
    assert open311_post(hub, {**REPORT, "address_string": "地" * 500}).status_code == 200


def test_nul_in_a_path_or_query_is_refused(hub, client):
    for path in ("/open311/v2/requests/%00.json", "/open311/v2/requests.json?service_code=%00",
                 "/open311/v2/requests.json?service_request_id=a%00b",
                 "/open311/v2/tokens/%00.json"):
        assert_refused(requests.get(hub.url + path, timeout=30), 400, "NUL")
    for path in ("/v1/applications/GL%0012", "/v1/options/departments?hospital=%00"):
        assert_refused(client.get(path), 422, "NUL")


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
