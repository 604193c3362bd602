"""A second, independent Open311 client: XML only, written from the GeoReport v2 and Service
Discovery texts (wiki.open311.org) with xml.etree, against SQLite and PostgreSQL hubs.

It checks what a strict XML consumer relies on: the XML declaration with UTF-8, text/xml, the
root and item element names, each record's element names in the spec's order, and the values.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from hub.reports import review

SERVICE = ["service_code", "service_name", "description", "metadata", "type", "keywords",
           "group"]
ATTRIBUTE = ["variable", "code", "datatype", "required", "datatype_description", "order",
             "description", "values"]
REQUEST = ["service_request_id", "status", "status_notes", "service_name", "service_code",
           "description", "agency_responsible", "service_notice", "requested_datetime",
           "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
           "long", "media_url"]
CREATED = ["service_request_id", "token", "service_notice", "account_id"]
ENDPOINT = ["specification", "url", "changeset", "type", "formats"]


class XmlGeoReport:
    """GET and POST as the spec shows them; every answer parsed and its shape checked."""

    def __init__(self, base: str) -> None:
        self.base = base

    def _parse(self, response: requests.Response, root: str, expect: int = 200) -> ET.Element:
        assert response.status_code == expect, response.text
        assert response.headers["content-type"].startswith("text/xml")
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        element = ET.fromstring(response.content)
        assert element.tag == root
        return element

    def _get(self, path: str, root: str, **params) -> ET.Element:
        response = requests.get(f"{self.base}/{path}", params=params, timeout=30)
        return self._parse(response, root)

    @staticmethod
    def _record(element: ET.Element, names: list[str]) -> dict[str, str | None]:
        """A flat record: exactly these child elements, in this order (empty ones -> None)."""
        assert [child.tag for child in element] == names
        return {child.tag: child.text for child in element}

    def discovery(self) -> tuple[dict, list[dict]]:
        root = self._get("discovery.xml", "discovery")
        assert [child.tag for child in root] == ["changeset", "contact", "key_service",
                                                  "endpoints"]
        endpoints = []
        for endpoint in root.find("endpoints"):
            assert endpoint.tag == "endpoint"
            record = self._record(endpoint, ENDPOINT)
            record["formats"] = [f.text for f in endpoint.find("formats")
                                 if f.tag == "format"]
            endpoints.append(record)
        return {child.tag: child.text for child in root}, endpoints

    def services(self) -> list[dict]:
        root = self._get("v2/services.xml", "services")
        assert all(child.tag == "service" for child in root)
        return [self._record(child, SERVICE) for child in root]

    def definition(self, code: str) -> list[dict]:
        root = self._get(f"v2/services/{code}.xml", "service_definition")
        assert [child.tag for child in root] == ["service_code", "attributes"]
        assert root.findtext("service_code") == code
        attributes = []
        for attribute in root.find("attributes"):
            assert attribute.tag == "attribute"
            record = self._record(attribute, ATTRIBUTE)
            record["values"] = [self._record(v, ["key", "name"]) for v in attribute.find("values")]
            attributes.append(record)
        return attributes

    def create(self, form: dict[str, str]) -> dict:
        response = requests.post(f"{self.base}/v2/requests.xml", data=form, timeout=30)
        [request] = self._parse(response, "service_requests")
        assert request.tag == "request"
        return self._record(request, CREATED)

    def requests(self, path: str = "v2/requests.xml", **params) -> list[dict]:
        root = self._get(path, "service_requests", **params)
        assert all(child.tag == "request" for child in root)
        return [self._record(child, REQUEST) for child in root]

    def request(self, service_request_id: str) -> dict:
        [request] = self.requests(f"v2/requests/{service_request_id}.xml")
        return request

    def token(self, token: str) -> dict:
        [request] = self._get(f"v2/tokens/{token}.xml", "service_requests")
        return self._record(request, ["service_request_id", "token"])

    def error(self, response: requests.Response, status: int) -> str:
        [error] = self._parse(response, "errors", status)
        assert error.tag == "error"
        record = self._record(error, ["code", "description"])
        assert record["code"] == str(status) and record["description"]
        return record["description"]


@pytest.fixture
def xml(shared_hub) -> XmlGeoReport:
    return XmlGeoReport(f"{shared_hub.url}/open311")


def test_discovery_points_at_the_v2_endpoint(xml, shared_hub):
    top, [endpoint] = xml.discovery()
    assert top["changeset"].endswith("Z") and top["contact"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"{shared_hub.url}/open311/v2"
    assert endpoint["type"] == "test"  # a demo hub
    assert endpoint["formats"] == ["text/xml", "application/json"]
    as_json = requests.get(f"{shared_hub.url}/open311/discovery.json", timeout=30).json()
    assert as_json["endpoints"][0]["formats"] == endpoint["formats"]


def test_services_and_a_definition(xml):
    services = xml.services()
    assert [s["service_code"] for s in services] == ["street_light", "road_damage", "rubbish",
                                                     "other"]
    assert services[2]["service_name"] == "Rubbish was not collected"
    assert {s["metadata"] for s in services} == {"true"}
    assert {s["type"] for s in services} == {"realtime"}
    place, detail = xml.definition("street_light")
    assert (place["code"], place["datatype"], place["required"], place["order"]) == (
        "place", "singlevaluelist", "false", "1")
    assert {"key": "Near the school", "name": "Near the school"} in place["values"]
    assert detail["code"] == "detail" and detail["order"] == "2"


def test_report_then_follow_it(xml, shared_hub):
    created = xml.create({"service_code": "road_damage", "lat": "22.5431", "long": "114.0579",
                          "description": "Crack <across> the road & the kerb",
                          "address_string": "Opposite my flat, 2nd floor",
                          "zipcode": "518000", "media_url": "http://img.example.org/p.png"})
    reference = created["service_request_id"]
    assert created["account_id"] is None and "5 working days" in created["service_notice"]
    assert xml.token(created["token"]) == {"service_request_id": reference,
                                           "token": created["token"]}
    shown = xml.request(reference)
    assert (shown["status"], shown["service_code"], shown["zipcode"]) == (
        "open", "road_damage", "518000")
    assert shown["description"] is None and shown["address"] is None  # awaiting review
    assert (shown["lat"], shown["long"]) == ("22.5431", "114.0579")
    assert shown["media_url"] == "http://img.example.org/p.png"
    assert shown["status_notes"] is None and shown["expected_datetime"] is None
    assert shown["requested_datetime"].endswith("Z")
    with shared_hub.app.state.hub.db.write() as session, session.begin():
        review(session, reference, True, "Repair booked")
    shown = xml.request(reference)
    assert shown["description"] == "Crack <across> the road & the kerb"  # escaped, read back
    assert shown["status_notes"] == "Repair booked"
    listed = xml.requests(service_code="road_damage", status="open",
                          start_date=shown["requested_datetime"][:10])
    assert reference in [r["service_request_id"] for r in listed]
    assert reference not in [r["service_request_id"]
                             for r in xml.requests(service_code="road_damage", status="closed")]


def test_errors_are_xml_in_the_spec_shape(xml, shared_hub):
    base = f"{shared_hub.url}/open311/v2"
    bad = requests.post(f"{base}/requests.xml", timeout=30,
                        data={"service_code": "rubbish", "address_string": "x",
                              "media_url": "javascript:alert(1)"})
    assert "http" in xml.error(bad, 400)
    xml.error(requests.get(f"{base}/requests/BX0.xml", timeout=30), 404)
    xml.error(requests.get(f"{base}/services/nope.xml", timeout=30), 404)
    xml.error(requests.get(f"{base}/tokens/nope.xml", timeout=30), 404)
    xml.error(requests.get(f"{base}/requests.xml", params={"start_date": "soon"}, timeout=30),
              400)
    xml.error(requests.delete(f"{base}/requests.xml", timeout=30), 405)


def test_text_xml_cannot_carry_is_replaced_not_broken(xml, shared_hub):
    """A kiosk's words may hold a control character; the XML stays well-formed."""
    from tests.hub.conftest import Client

    client = Client(shared_hub)
    body = client.envelope("report_problem", {"category": "other", "place": "Near the school",
                                              "description": "bell\x07 rang"})
    reference = client.submit(body).json()["reference"]
    with shared_hub.app.state.hub.db.write() as session, session.begin():
        review(session, reference, True)
    assert xml.request(reference)["description"] == "bell\ufffd rang"
