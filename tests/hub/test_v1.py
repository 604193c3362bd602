"""Every /v1 endpoint of the contract, happy path and errors, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

import pytest

from kiosk.backend.demo import DemoBackend
from kiosk.backend.demo_data import APPLICATIONS, CITIZENS
from kiosk.catalogue import load_catalogue
from tests.hub.conftest import TODAY, Client

ELDEST, YOUNGER, OLDEST = (c[0] for c in CITIZENS)


def assert_error(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["message"]
    if error:
        assert body["error"] == error
    return body


# --- auth and errors -----------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_v1_call_needs_the_kiosk_token(hub, token):
    stranger = Client(hub, token=token)
    for method, path in [("get", "/v1/catalogue"), ("get", "/v1/options/hospitals"),
                         ("post", "/v1/identity/card"), ("post", "/v1/submissions"),
                         ("get", "/v1/applications/GL40172953"), ("post", "/v1/heartbeat")]:
        response = getattr(stranger, method)(path)
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_paths_and_methods_answer_in_the_error_shape(client):
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.post("/v1/catalogue"), 405, "method_not_allowed")


def test_the_hub_stores_only_a_hash_of_each_token(hub):
    from sqlalchemy import select

    from hub.db import Kiosk

    with hub.app.state.hub.db.read() as session:
        kiosk = session.scalars(select(Kiosk)).one()
    assert kiosk.kiosk_id == "demo-kiosk"
    assert kiosk.token_hash == hashlib.sha256(b"demo-token").hexdigest()


# --- catalogue and key ---------------------------------------------------------------------


def test_catalogue_is_every_service_file_with_a_version_and_etag(client):
    response = client.get("/v1/catalogue")
    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body["services"]] == list(load_catalogue().ids)
    canonical = json.dumps(body["services"], ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    assert body["version"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert response.headers["ETag"] == f'"{body["version"]}"'
    report = next(s for s in body["services"] if s["id"] == "report_problem")
    assert report["title"]["zh_CN"] == "反映问题"


def test_catalogue_with_a_matching_etag_is_304(client):
    etag = client.get("/v1/catalogue").headers["ETag"]
    unchanged = client.get("/v1/catalogue", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["ETag"] == etag
    changed = client.get("/v1/catalogue", headers={"If-None-Match": '"an-older-version"'})
    assert changed.status_code == 200


def test_public_key_opens_nothing_but_seals_for_the_hub(client, hub):
    from kiosk.sync.sealing import load_public, open_envelope, seal

    pem = client.get("/v1/keys/submissions").json()["public_key_pem"]
    assert pem == hub.public_key_pem and pem.startswith("-----BEGIN PUBLIC KEY-----")
    envelope = seal(load_public(pem), {"x": 1}, "pay_bill", "2026-11-23T10:00:00Z")
    assert open_envelope(hub.app.state.hub.private_key, envelope) == {"x": 1}


# --- identity ------------------------------------------------------------------------------


def test_card_gives_the_citizen_with_age_on_the_hubs_today(client):
    response = client.post("/v1/identity/card", json={"id_number": ELDEST})
    assert response.status_code == 200
    assert response.json() == {"id_number": ELDEST, "name": "王秀英", "birth_date": "1941-03-15",
                               "address": "北京市朝阳区幸福路12号3单元401",
                               "phone": "+8613812345678", "age": 85}
    assert client.post("/v1/identity/card", json={"id_number": OLDEST}).json()["age"] == 88


def test_unknown_card_is_404_a_bad_body_422_and_no_json_400(client):
    assert_error(client.post("/v1/identity/card", json={"id_number": "110105194103150099"}),
                 404, "not_found")
    assert_error(client.post("/v1/identity/card", json={"id_number": 12}), 422,
                 "invalid_request")
    assert_error(client.post("/v1/identity/card", data=b"not json",
                             headers={"Content-Type": "application/json"}), 400, "invalid_json")


def test_code_then_verify(client):
    sent = client.post("/v1/identity/code", json={"id_number": YOUNGER})
    assert sent.status_code == 200 and sent.json() == {"phone_ending": "6789"}
    code = client.get("/v1/demo/last-code").json()["code"]
    assert len(code) == 6 and code.isdigit()
    verified = client.post("/v1/identity/verify", json={"id_number": YOUNGER, "code": code})
    assert verified.status_code == 200 and verified.json()["name"] == "李建国"
    again = client.post("/v1/identity/verify", json={"id_number": YOUNGER, "code": code})
    assert_error(again, 422, "wrong_code")  # a code works once


def test_three_wrong_codes_burn_the_code(client):
    client.post("/v1/identity/code", json={"id_number": ELDEST})
    code = client.get("/v1/demo/last-code").json()["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        response = client.post("/v1/identity/verify", json={"id_number": ELDEST, "code": wrong})
        assert_error(response, 422, "wrong_code")
    response = client.post("/v1/identity/verify", json={"id_number": ELDEST, "code": code})
    assert_error(response, 422, "wrong_code")
    client.post("/v1/identity/code", json={"id_number": ELDEST})  # a new code works again
    code = client.get("/v1/demo/last-code").json()["code"]
    assert client.post("/v1/identity/verify",
                       json={"id_number": ELDEST, "code": code}).status_code == 200


def test_code_for_an_unknown_citizen_is_404(client):
    assert_error(client.post("/v1/identity/code", json={"id_number": "x"}), 404, "not_found")
    assert_error(client.post("/v1/identity/verify", json={"id_number": "x", "code": "1"}),
                 422, "wrong_code")


def test_last_code_exists_only_in_demo_mode(start_hub, database):
    hub = start_hub(database, demo=False)
    assert_error(Client(hub).get("/v1/catalogue"), 401)  # no demo kiosk either
    from hub.auth import token_hash
    from hub.db import Kiosk

    with hub.app.state.hub.db.write() as session, session.begin():
        session.add(Kiosk(kiosk_id="k1", centre="c", token_hash=token_hash("t1")))
    assert_error(Client(hub, token="t1").get("/v1/demo/last-code"), 404, "not_found")


# --- options and slots ---------------------------------------------------------------------


def test_options_are_the_demo_hospitals_and_departments(client):
    hospitals = client.get("/v1/options/hospitals").json()
    backend = DemoBackend(TODAY)
    expected = [{"value": o.value, "label": o.label.by_lang, "icon": o.icon}
                for o in backend.options("hospitals", {})]
    assert hospitals == expected
    departments = client.get("/v1/options/departments", params={"hospital": "chaoyang"}).json()
    assert [d["value"] for d in departments] == ["internal", "eye", "bones", "heart"]
    assert client.get("/v1/options/departments", params={"hospital": "nowhere"}).json() == []
    assert_error(client.get("/v1/options/no_such_list"), 404, "not_found")


def test_slots_are_the_demo_schedule(client):
    params = {"hospital": "chaoyang", "department": "eye", "day": "2026-11-24"}
    slots = client.get("/v1/slots", params=params).json()
    expected = DemoBackend(TODAY).slots(params)
    assert slots == [{"id": s.id, "start": s.start.isoformat(), "free": s.free}
                     for s in expected]
    assert client.get("/v1/slots", params={**params, "hospital": "nowhere"}).json() == []


@pytest.mark.parametrize("day", ["24-11-2026", "2026-02-30", "20261124", ""])
def test_slots_with_a_bad_day_are_422(client, day):
    params = {"hospital": "chaoyang", "department": "eye", "day": day}
    assert_error(client.get("/v1/slots", params=params), 422)


def test_slots_need_all_three_params(client):
    assert_error(client.get("/v1/slots", params={"hospital": "chaoyang"}), 422)


# --- lookups -------------------------------------------------------------------------------


def test_bill_lookup(client):
    response = client.post("/v1/lookups/bill",
                           json={"params": {"utility": "water", "account": "10012345"}})
    assert response.status_code == 200
    assert response.json() == {"holder": "王**", "period": {"en": "October 2026",
                                                            "zh_CN": "2026年10月"},
                               "amount": "36.40", "due": "2026-12-15"}
    missing = client.post("/v1/lookups/bill",
                          json={"params": {"utility": "water", "account": "1"}})
    assert_error(missing, 404, "not_found")


def test_insurance_lookup_needs_the_citizen(client):
    from kiosk.citizen import Citizen

    record = next(c for c in CITIZENS if c[0] == YOUNGER)
    expected = DemoBackend(TODAY).lookup("insurance", {}, Citizen(*record, age=72))
    response = client.post("/v1/lookups/insurance", json={"params": {}, "citizen_id": YOUNGER})
    assert response.status_code == 200 and response.json() == expected
    assert_error(client.post("/v1/lookups/insurance", json={"params": {}}), 404)


def test_application_status_lookup_matches_the_demo_backend(client):
    for reference in APPLICATIONS:
        expected = DemoBackend(TODAY).lookup("application_status",
                                             {"reference": reference}, None)
        typed = reference.lower()[:4] + " " + reference[4:]  # as a visitor might type it
        response = client.post("/v1/lookups/application_status",
                               json={"params": {"reference": typed}, "citizen_id": None})
        assert response.status_code == 200 and response.json() == expected
    assert_error(client.post("/v1/lookups/application_status",
                             json={"params": {"reference": "GL00000000"}}), 404)


def test_unknown_lookup_is_404_and_bad_params_422(client):
    assert_error(client.post("/v1/lookups/horoscope", json={"params": {}}), 404, "not_found")
    assert_error(client.post("/v1/lookups/bill", json={"params": "water"}), 422)


# --- applications and heartbeat ------------------------------------------------------------


def test_application_by_reference(client):
    response = client.get("/v1/applications/GL40172953")
    assert response.status_code == 200
    assert response.json() == {"reference": "GL40172953", "service_id": "senior_allowance",
                               "submitted": "2026-11-02T00:00:00Z", "status": "in_review",
                               "updated": "2026-11-18T00:00:00Z"}
    assert_error(client.get("/v1/applications/XX12345678"), 404, "not_found")


def test_heartbeat_records_the_kiosk(client, hub):
    from hub.db import Kiosk

    response = client.post("/v1/heartbeat", json={"kiosk_id": "demo-kiosk", "queue_waiting": 3,
                                                  "queue_quarantined": 1, "version": "0.1.0"})
    assert response.status_code == 200
    body = response.json()
    assert body["config"] == {} and body["server_time"].endswith("Z")
    with hub.app.state.hub.db.read() as session:
        kiosk = session.get(Kiosk, "demo-kiosk")
    assert (kiosk.queue_waiting, kiosk.queue_quarantined, kiosk.version) == (3, 1, "0.1.0")
    assert kiosk.last_seen is not None
    bad = client.post("/v1/heartbeat", json={"kiosk_id": "demo-kiosk", "queue_waiting": "3",
                                             "queue_quarantined": 0, "version": "x"})
    assert_error(bad, 422, "invalid_request")
