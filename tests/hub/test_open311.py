"""Open311 GeoReport v2 read by a third-party client (georeport, in JSON and in XML), posted
as the spec says, on SQLite and PostgreSQL: what is published, dates, filters, refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import georeport
import pytest
import requests
from sqlalchemy import func, select

from hub.db import Open311Request, Submission
from hub.reports import file_report, review
from kiosk.catalogue import load_catalogue
from kiosk.sync.sealing import load_public, seal
from tests.hub.conftest import Client, seal_json

CODES = ["street_light", "road_damage", "rubbish", "other"]
FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code",
          "description", "agency_responsible", "service_notice", "requested_datetime",
          "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
          "long", "media_url"]


@pytest.fixture(params=["json", "xml"])
def geo(shared_hub, request) -> georeport.GeoReport:
    return georeport.GeoReport(f"{shared_hub.url}/open311/v2", jurisdiction="ignored.example",
                               output_format=request.param)


def post(hub, data: dict, headers: dict | None = None, fmt: str = "json") -> requests.Response:
    """As the GeoReport v2 text says: a form-encoded POST to requests.json, no kiosk token."""
    return requests.post(f"{hub.url}/open311/v2/requests.{fmt}", data=data,
                         headers=headers or {}, timeout=30)


def get(hub, path: str, **params) -> requests.Response:
    return requests.get(f"{hub.url}/open311/v2/{path}", params=params, timeout=30)


def assert_open311_error(response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


def decide(hub, reference: str, publish: bool, note: str | None = None) -> None:
    """The centre's review, as `python -m hub review REF --publish` does it."""
    with hub.app.state.hub.db.write() as session, session.begin():
        assert review(session, reference, publish, note)


def test_georeport_reads_the_service_list(geo):
    services = geo.get_service_list()
    assert [s["service_code"] for s in services] == CODES
    report = load_catalogue().get("report_problem")
    for service in services:
        assert service["type"] == "realtime" and service["metadata"] in (True, "true")
        assert service["group"] == report.title.get("en")
        assert set(service) == {"service_code", "service_name", "description", "metadata",
                                "type", "keywords", "group"}
    assert services[0]["service_name"] == "A street light is broken"
    assert services[0]["keywords"] == "路灯坏了"


def test_georeport_reads_a_service_definition(geo, shared_hub):
    definition = geo.get_service_definition("rubbish")
    assert definition["service_code"] == "rubbish"
    attributes = definition["attributes"]
    if geo.output_format == "xml":  # <attributes><attribute>...</attribute></attributes>
        attributes = attributes["attribute"]
    place, detail = attributes
    assert place["code"] == "place" and place["datatype"] == "singlevaluelist"
    values = place["values"] if geo.output_format == "json" else place["values"]["value"]
    assert {"key": "At the bus stop", "name": "At the bus stop"} in values
    assert detail["code"] == "detail"
    with pytest.raises(requests.HTTPError):
        geo.get_service_definition("no_such_service")
    assert_open311_error(get(shared_hub, "services/no_such_service.json"), 404)


def test_post_then_read_back_with_words_published_only_after_review(shared_hub, geo):
    response = post(shared_hub, {
        "service_code": "street_light", "lat": "39.9219", "long": "116.4436",
        "address_string": "Behind Mr Li's house, No. 5", "address_id": "A-17",
        "zipcode": "100010", "description": "Dark since Monday, call me on 138",
        "email": "someone@example.org", "attribute[detail]": "It is dangerous at night",
        "media_url": "https://photos.example.org/1.jpg",
        "api_key": "anything", "jurisdiction_id": "anywhere"})
    assert response.status_code == 200, response.text
    [created] = response.json()
    reference = created["service_request_id"]
    assert reference.startswith("BX") and created["token"]
    assert created["account_id"] is None and "5 working days" in created["service_notice"]

    fetched = geo.get_service_request(reference)
    assert list(fetched) == FIELDS  # every field the spec names, in its order
    assert fetched["service_request_id"] == reference
    assert fetched["status"] == "open" and fetched["service_code"] == "street_light"
    assert fetched["service_name"] == "A street light is broken"
    # The citizen's own words wait for the centre: nothing of them shows yet.
    assert not fetched["description"] and not fetched["address"]
    assert "Mr Li" not in str(fetched) and "call me" not in str(fetched)
    assert fetched["address_id"] == "A-17" and fetched["zipcode"] == "100010"
    assert float(fetched["lat"]) == 39.9219 and float(fetched["long"]) == 116.4436
    assert fetched["media_url"] == "https://photos.example.org/1.jpg"
    assert "5 working days" in fetched["service_notice"]
    assert not fetched["status_notes"] and not fetched["agency_responsible"]
    assert not fetched["expected_datetime"]
    assert fetched["requested_datetime"].endswith("Z")
    assert "someone@example.org" not in str(fetched)  # contact details are never public

    decide(shared_hub, reference, True, "A crew is on its way.")
    fetched = geo.get_service_request(reference)
    assert fetched["description"] == "Dark since Monday, call me on 138"
    assert fetched["address"] == "Behind Mr Li's house, No. 5"
    assert fetched["status_notes"] == "A crew is on its way."

    listed = geo.get_service_requests(service_request_id=reference)
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one is a dict
    assert [r["service_request_id"] for r in listed] == [reference]
    token = get(shared_hub, f"tokens/{created['token']}.json")
    assert token.json() == [{"service_request_id": reference, "token": created["token"]}]


def test_withheld_words_stay_hidden_but_phrases_show(shared_hub):
    [created] = post(shared_hub, {"service_code": "rubbish", "address_string": "Near the school",
                                  "description": "Wang at No. 3 dumps it"}).json()
    decide(shared_hub, created["service_request_id"], False)
    [shown] = get(shared_hub, f"requests/{created['service_request_id']}.json").json()
    assert shown["description"] == "" and shown["address"] == "Near the school"  # a phrase


def test_a_report_is_an_application_too(shared_hub):
    [created] = post(shared_hub, {"service_code": "rubbish", "address_string": "村口"}).json()
    status = Client(shared_hub).get(f"/v1/applications/{created['service_request_id']}").json()
    assert status["service_id"] == "report_problem" and status["status"] == "received"


def test_a_kiosk_report_shows_up_in_open311(shared_hub, geo):
    client = Client(shared_hub)
    body = client.envelope("report_problem", {"category": "road_damage",
                                              "place": "At the bus stop",
                                              "description": "A deep hole"})
    reference = client.submit(body).json()["reference"]
    fetched = geo.get_service_request(reference)
    assert (fetched["service_code"], fetched["address"]) == ("road_damage", "At the bus stop")
    assert not fetched["description"]  # typed at the kiosk: awaits review
    decide(shared_hub, reference, True)
    assert geo.get_service_request(reference)["description"] == "A deep hole"


@pytest.mark.parametrize("data", [
    {},  # no service_code
    {"service_code": "fireworks", "address_string": "here"},
    {"service_code": "rubbish"},  # no location
    {"service_code": "rubbish", "lat": "north", "long": "1"},
    {"service_code": "rubbish", "lat": "95", "long": "1"},
    {"service_code": "rubbish", "address_string": "x", "attribute[place]": "On the moon"},
    {"service_code": "rubbish", "address_string": "x", "description": "x" * 4001},
    {"service_code": "rubbish", "address_string": "x" * 501},
    {"service_code": "rubbish", "address_string": "x", "email": "e" * 255},
    {"service_code": "rubbish", "address_string": "x", "address_id": "1" * 101},
    {"service_code": "rubbish", "address_string": "x\x00y"},
    {"service_code": "rubbish", "address_string": "x", "description": "a\x00b"},
    {"service_code": "rubbish", "address_string": "x", "media_url": "javascript:alert(1)"},
    {"service_code": "rubbish", "address_string": "x", "media_url": "data:image/png,AAAA"},
    {"service_code": "rubbish", "address_string": "x", "media_url": "file:///etc/passwd"},
    {"service_code": "rubbish", "address_string": "x", "media_url": "//no.scheme/a.jpg"},
    {"service_code": "rubbish", "address_string": "x", "media_url": "https://" + "a" * 1000},
])
def test_bad_requests_are_400_in_the_spec_shape(shared_hub, data):
    assert_open311_error(post(shared_hub, data), 400)


def test_nothing_refused_was_stored(shared_hub):
    with shared_hub.app.state.hub.db.read() as session:
        urls = session.scalars(select(Open311Request.media_url)).all()
    assert all(url == "" or url.startswith(("http://", "https://")) for url in urls)


def test_a_json_body_is_not_a_form(shared_hub):
    response = requests.post(f"{shared_hub.url}/open311/v2/requests.json", timeout=30,
                             json={"service_code": "rubbish", "address_string": "x"})
    assert_open311_error(response, 400)


def test_unknown_request_token_and_format_are_404(shared_hub, geo):
    assert_open311_error(get(shared_hub, "requests/BX0.json"), 404)
    assert_open311_error(get(shared_hub, "tokens/nope.json"), 404)
    assert_open311_error(get(shared_hub, "services.html"), 404)
    with pytest.raises(requests.HTTPError):
        geo.get_service_request("BX00000000")


def test_open311_post_honours_the_idempotency_key(shared_hub):
    key = str(uuid.uuid4())
    data = {"service_code": "other", "address_string": f"Near the school {key}"}
    first = post(shared_hub, data, {"Idempotency-Key": key})
    again = post(shared_hub, data, {"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    as_xml = post(shared_hub, data, {"Idempotency-Key": key}, fmt="xml")
    assert as_xml.status_code == 200 and first.json()[0]["token"] in as_xml.text
    other = post(shared_hub, {**data, "description": "changed"}, {"Idempotency-Key": key})
    assert_open311_error(other, 422)
    # Without a key every POST is a new report, as plain Open311 clients expect.
    post(shared_hub, data)
    post(shared_hub, data)
    with shared_hub.app.state.hub.db.read() as session:
        count = session.scalar(select(func.count()).select_from(Open311Request)
                               .where(Open311Request.address_string == data["address_string"]))
    assert count == 3


def test_an_end_date_in_year_one_lists_nothing_instead_of_failing(shared_hub):
    for end in ("0001-01-01T00:00:00Z", "0001-01-01", "0001-01-01T00:00:00+05:00"):
        response = get(shared_hub, "requests.json", end_date=end)
        assert response.status_code == 200 and response.json() == [], end


# --- Dates: a kiosk in Beijing files at 09:30 +08:00, which is 01:30 UTC. ---------------

def kiosk_report(hub, created: str, category: str) -> str:
    """Filed by a kiosk whose clock says `created` (its own offset), as an offline queue does."""
    client = Client(hub)
    plaintext = {"service_id": "report_problem", "language": "en", "created": created,
                 "answers": {"category": category, "place": "Near the school",
                             "description": "x"}, "kiosk_id": "demo-kiosk"}
    public = load_public(client.get("/v1/keys/submissions").json()["public_key_pem"])
    response = client.submit(seal_json(seal(public, plaintext, "report_problem", created)))
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def ids(response: requests.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["service_request_id"] for r in response.json()}


def test_dates_with_offsets_and_date_only_compare_in_utc(shared_hub):
    day = "2019-03-0"  # a week of its own on this shared hub
    morning = kiosk_report(shared_hub, f"{day}5T09:30:00+08:00", "street_light")  # 01:30Z
    evening = kiosk_report(shared_hub, f"{day}5T23:30:00-05:00", "street_light")  # 6th 04:30Z
    [shown] = get(shared_hub, f"requests/{morning}.json").json()
    assert shown["requested_datetime"] == f"{day}5T01:30:00Z"

    def listed(**dates):
        return ids(get(shared_hub, "requests.json", service_code="street_light", **dates)) & {
            morning, evening}

    assert listed(start_date=f"{day}5T01:00:00Z", end_date=f"{day}5T02:00:00Z") == {morning}
    assert listed(start_date=f"{day}5T09:00:00+08:00", end_date=f"{day}5T10:00:00+08:00") == {
        morning}
    assert listed(start_date=f"{day}5T02:00:00+08:00", end_date=f"{day}5T09:00:00+08:00") == set()
    assert listed(start_date=f"{day}5", end_date=f"{day}5") == {morning}  # whole UTC days
    assert listed(start_date=f"{day}6", end_date=f"{day}6") == {evening}
    assert listed(start_date=f"{day}4", end_date=f"{day}6") == {morning, evening}
    assert listed(end_date=f"{day}6") == {morning, evening}  # 90 days before the end
    assert listed() == set()  # the last 90 days
    assert_open311_error(get(shared_hub, "requests.json", start_date="5 March 2019"), 400)
    assert_open311_error(get(shared_hub, "requests.json", start_date="2019-03-05T09:30"), 400)


def test_filters_apply_before_the_limit_of_1000(shared_hub):
    """One open report of 2018 under 1,000 closed ones filed after it, in the same days."""
    base = datetime(2018, 6, 1, tzinfo=UTC)
    references = [f"BXF{uuid.uuid4().hex[:12].upper()}" for _ in range(1001)]
    oldest = references[0]
    with shared_hub.app.state.hub.db.write() as session, session.begin():
        for n, reference in enumerate(references):
            when = base + timedelta(seconds=n)
            session.add(Submission(reference=reference, service_id="report_problem",
                                   source="open311", plaintext={}, submitted=when,
                                   status="received" if n == 0 else "done", updated=when))
            session.flush()
            file_report(session, reference, service_code="other", description="",
                        address_string="At the bus stop", requested=when)
    window = {"start_date": "2018-06-01", "end_date": "2018-06-01"}
    everything = get(shared_hub, "requests.json", **window).json()
    assert len(everything) == 1000 and oldest not in {r["service_request_id"] for r in everything}
    assert ids(get(shared_hub, "requests.json", status="open", **window)) == {oldest}
    closed = ids(get(shared_hub, "requests.json", status="closed", **window))
    assert len(closed) == 1000 and oldest not in closed
    assert ids(get(shared_hub, "requests.json", status="open", service_code="rubbish",
                   **window)) == set()
    assert_open311_error(get(shared_hub, "requests.json", status="pending"), 400)


def test_the_centre_reviews_from_the_command_line(shared_hub):
    """`python -m hub review`: list what waits, publish one with a note, withhold another."""
    from tests.hub.test_cli import hub_command

    where = ["--database-url", shared_hub.settings.url, "--data-dir",
             str(shared_hub.settings.data_dir)]
    [kept] = post(shared_hub, {"service_code": "other", "address_string": "x",
                               "description": "Rats behind the shop"}).json()
    [hidden] = post(shared_hub, {"service_code": "other", "address_string": "x",
                                 "description": "Call Zhang 13800000000"}).json()
    listing = hub_command("review", *where)
    assert listing.returncode == 0, listing.stderr
    assert kept["service_request_id"] in listing.stdout and "Rats behind" in listing.stdout
    published = hub_command("review", kept["service_request_id"].lower(), "--publish",
                            "--note", "Pest control booked", *where)
    withheld = hub_command("review", hidden["service_request_id"], "--withhold", *where)
    assert published.returncode == withheld.returncode == 0, published.stderr + withheld.stderr
    assert hub_command("review", "BX0", "--publish", *where).returncode == 1
    assert hub_command("review", kept["service_request_id"], *where).returncode == 2
    [shown] = get(shared_hub, f"requests/{kept['service_request_id']}.json").json()
    assert (shown["description"], shown["status_notes"]) == ("Rats behind the shop",
                                                             "Pest control booked")
    [shown] = get(shared_hub, f"requests/{hidden['service_request_id']}.json").json()
    assert shown["description"] == "" and hidden["service_request_id"] not in hub_command(
        "review", *where).stdout
