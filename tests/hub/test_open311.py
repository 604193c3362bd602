"""Open311 GeoReport v2: read by a third-party client (georeport), posted as the spec says."""

from __future__ import annotations

import uuid

import georeport
import pytest
import requests

from kiosk.catalogue import load_catalogue
from tests.hub.conftest import Client

CODES = ["street_light", "road_damage", "rubbish", "other"]


@pytest.fixture
def geo(hub) -> georeport.GeoReport:
    return georeport.GeoReport(f"{hub.url}/open311/v2", jurisdiction="ignored.example")


def post(hub, data: dict, headers: dict | None = None) -> requests.Response:
    """As the GeoReport v2 text says: a form-encoded POST to requests.json, no kiosk token."""
    return requests.post(f"{hub.url}/open311/v2/requests.json", data=data,
                         headers=headers or {}, timeout=30)


def assert_open311_error(response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


def test_georeport_reads_the_service_list(geo):
    services = geo.get_service_list()
    assert [s["service_code"] for s in services] == CODES
    report = load_catalogue().get("report_problem")
    for service in services:
        assert service["type"] == "realtime" and service["metadata"] is True
        assert service["group"] == report.title.get("en")
        assert set(service) == {"service_code", "service_name", "description", "metadata",
                                "type", "keywords", "group"}
    assert services[0]["service_name"] == "A street light is broken"
    assert services[0]["keywords"] == "路灯坏了"


def test_georeport_reads_a_service_definition(geo, hub):
    definition = geo.get_service_definition("rubbish")
    assert definition["service_code"] == "rubbish"
    place, detail = definition["attributes"]
    assert place["code"] == "place" and place["datatype"] == "singlevaluelist"
    assert {"key": "At the bus stop", "name": "At the bus stop"} in place["values"]
    assert detail["code"] == "detail" and len(detail["values"]) == 3
    with pytest.raises(requests.HTTPError):
        geo.get_service_definition("no_such_service")
    missing = requests.get(f"{hub.url}/open311/v2/services/no_such_service.json", timeout=30)
    assert_open311_error(missing, 404)


def test_post_a_request_then_read_it_back(hub, geo):
    response = post(hub, {"service_code": "street_light", "lat": "39.9219", "long": "116.4436",
                          "address_string": "Outside the community centre",
                          "description": "Dark since Monday", "email": "someone@example.org",
                          "attribute[detail]": "It is dangerous at night",
                          "api_key": "anything", "jurisdiction_id": "anywhere"})
    assert response.status_code == 200, response.text
    [created] = response.json()
    assert created["service_request_id"].startswith("BX")
    assert created["account_id"] is None and "5 working days" in created["service_notice"]
    fetched = geo.get_service_request(created["service_request_id"])
    assert fetched["service_request_id"] == created["service_request_id"]
    assert fetched["status"] == "open" and fetched["service_code"] == "street_light"
    assert fetched["description"] == "Dark since Monday"
    assert fetched["address"] == "Outside the community centre"
    assert (fetched["lat"], fetched["long"]) == (39.9219, 116.4436)
    assert fetched["requested_datetime"].endswith("Z")
    assert "email" not in fetched and "someone@example.org" not in str(fetched)  # not public
    listed = geo.get_service_requests(service_request_id=created["service_request_id"])
    assert [r["service_request_id"] for r in listed] == [created["service_request_id"]]
    assert created["service_request_id"] in [
        r["service_request_id"] for r in geo.get_service_requests(service_code="street_light",
                                                                  status="open")]
    token = requests.get(f"{hub.url}/open311/v2/tokens/{created['token']}.json", timeout=30)
    assert token.json() == [{"service_request_id": created["service_request_id"],
                             "token": created["token"]}]


def test_a_report_is_an_application_too(hub):
    [created] = post(hub, {"service_code": "rubbish", "address_string": "村口"}).json()
    status = Client(hub).get(f"/v1/applications/{created['service_request_id']}").json()
    assert status["service_id"] == "report_problem" and status["status"] == "received"


def test_a_kiosk_report_shows_up_in_open311(hub, geo):
    client = Client(hub)
    body = client.envelope("report_problem", {"category": "road_damage",
                                              "place": "At the bus stop",
                                              "description": "A deep hole"})
    reference = client.submit(body).json()["reference"]
    fetched = geo.get_service_request(reference)
    assert (fetched["service_code"], fetched["address"], fetched["description"]) == (
        "road_damage", "At the bus stop", "A deep hole")


@pytest.mark.parametrize("data", [
    {},  # no service_code
    {"service_code": "fireworks", "address_string": "here"},
    {"service_code": "rubbish"},  # no location
    {"service_code": "rubbish", "lat": "north", "long": "1"},
    {"service_code": "rubbish", "lat": "95", "long": "1"},
    {"service_code": "rubbish", "address_string": "x", "attribute[place]": "On the moon"},
    {"service_code": "rubbish", "address_string": "x", "description": "x" * 4001},
])
def test_bad_requests_are_400_in_the_spec_shape(hub, data):
    assert_open311_error(post(hub, data), 400)


def test_a_json_body_is_not_a_form(hub):
    response = requests.post(f"{hub.url}/open311/v2/requests.json", timeout=30,
                             json={"service_code": "rubbish", "address_string": "x"})
    assert_open311_error(response, 400)


def test_unknown_request_and_token_are_404(hub, geo):
    assert_open311_error(requests.get(f"{hub.url}/open311/v2/requests/BX0.json", timeout=30),
                         404)
    assert_open311_error(requests.get(f"{hub.url}/open311/v2/tokens/nope.json", timeout=30),
                         404)
    with pytest.raises(requests.HTTPError):
        geo.get_service_request("BX00000000")


def test_open311_post_honours_the_idempotency_key(hub):
    from sqlalchemy import func, select

    from hub.db import Open311Request

    key = str(uuid.uuid4())
    data = {"service_code": "other", "address_string": "Near the school"}
    first = post(hub, data, {"Idempotency-Key": key})
    again = post(hub, data, {"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    other = post(hub, {**data, "description": "changed"}, {"Idempotency-Key": key})
    assert_open311_error(other, 422)
    with hub.app.state.hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Open311Request)) == 1
    # Without a key every POST is a new report, as plain Open311 clients expect.
    post(hub, data)
    post(hub, data)
    with hub.app.state.hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Open311Request)) == 3


def test_an_end_date_in_year_one_lists_nothing_instead_of_failing(hub):
    response = requests.get(f"{hub.url}/open311/v2/requests.json", timeout=30,
                            params={"end_date": "0001-01-01T00:00:00Z"})
    assert response.status_code == 200 and response.json() == []
