"""POST /v1/submissions: sealed, idempotent for ever, race-safe across hub instances."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from hub.db import Booking, IdempotencyKey, Submission, utcnow
from kiosk.sync.sealing import new_private_key, seal
from tests.hub.conftest import Client, seal_json
from tests.hub.test_v1 import assert_error

ALLOWANCE = {"lives_alone": True, "bank_account": "6222020200112233445"}


def count_submissions(hub) -> int:
    with hub.app.state.hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(Submission)
                              .where(Submission.source == "kiosk"))


def test_a_sealed_submission_is_filed_and_opened(client, hub):
    body = client.envelope("senior_allowance", ALLOWANCE, citizen_id="110105194103150021")
    response = client.submit(body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["reference"].startswith("GL") and len(result["reference"]) == 10
    assert result["provisional_reference"] is None
    assert "Idempotent-Replayed" not in response.headers
    with hub.app.state.hub.db.read() as session:
        row = session.get(Submission, result["reference"])
    assert row.service_id == "senior_allowance" and row.kiosk_id == "demo-kiosk"
    assert row.status == "received"
    assert row.plaintext["answers"] == ALLOWANCE and row.plaintext["language"] == "en"
    status = client.get(f"/v1/applications/{result['reference']}").json()
    assert status["service_id"] == "senior_allowance" and status["status"] == "received"


def test_a_replay_returns_the_first_response_and_files_nothing(client, hub):
    body = client.envelope("pay_bill", {"utility": "water", "account": "10012345"})
    key = str(uuid.uuid4())
    first = client.submit(body, key)
    assert first.status_code == 201
    for _ in range(3):
        again = client.submit(body, key)
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.content == first.content
    assert count_submissions(hub) == 1


def test_the_same_key_with_another_body_is_422(client, hub):
    key = str(uuid.uuid4())
    assert client.submit(client.envelope("pay_bill", {"account": "1"}), key).status_code == 201
    # Even the same answers sealed again are different bytes: a new envelope is a new request.
    other = client.submit(client.envelope("pay_bill", {"account": "1"}), key)
    assert_error(other, 422, "idempotency_key_reused")
    assert count_submissions(hub) == 1


def test_the_idempotency_key_is_required_and_a_uuid(client):
    body = client.envelope("pay_bill", {})
    missing = client.post("/v1/submissions", data=body,
                          headers={"Content-Type": "application/json"})
    assert_error(missing, 400, "missing_idempotency_key")
    assert_error(client.submit(body, "not-a-uuid"), 400, "invalid_idempotency_key")


def test_bodies_that_are_not_envelopes(client, hub):
    assert_error(client.submit(b"{not json"), 400, "invalid_json")
    assert_error(client.submit(b"[1, 2]"), 422, "invalid_envelope")
    assert_error(client.submit(json.dumps({"service_id": "pay_bill"}).encode()), 422,
                 "invalid_envelope")
    envelope = json.loads(client.envelope("pay_bill", {}))
    envelope["service_id"] = "no_such_service"
    assert_error(client.submit(json.dumps(envelope).encode()), 422, "unknown_service")
    envelope = json.loads(client.envelope("pay_bill", {}))
    envelope["created"] = "yesterday"
    assert_error(client.submit(json.dumps(envelope).encode()), 422, "invalid_envelope")
    assert count_submissions(hub) == 0


def test_tampered_or_foreign_envelopes_are_422(client, hub):
    envelope = json.loads(client.envelope("pay_bill", {"account": "1"}))
    envelope["service_id"] = "senior_allowance"  # bound in as associated data
    assert_error(client.submit(json.dumps(envelope).encode()), 422, "unreadable_envelope")
    foreign = seal(new_private_key().public_key(), {"service_id": "pay_bill", "answers": {}},
                   "pay_bill", "2026-11-23T10:00:00+00:00")
    assert_error(client.submit(seal_json(foreign)), 422, "unreadable_envelope")
    public = hub.app.state.hub.private_key.public_key()
    mismatched = seal(public, {"service_id": "senior_allowance", "answers": {}}, "pay_bill",
                      "2026-11-23T10:00:00+00:00")
    assert_error(client.submit(seal_json(mismatched)), 422, "invalid_plaintext")
    assert count_submissions(hub) == 0


def test_a_failed_request_releases_its_key(client, hub):
    key = str(uuid.uuid4())
    assert client.submit(b"{broken", key).status_code == 400
    assert client.submit(client.envelope("pay_bill", {}), key).status_code == 201


def test_a_key_still_processing_is_409_until_it_is_stale(client, hub):
    key = str(uuid.uuid4())
    body = client.envelope("pay_bill", {})
    import hashlib

    now = utcnow()
    with hub.app.state.hub.db.write() as session, session.begin():
        session.add(IdempotencyKey(key=key, endpoint="v1/submissions",
                                   request_sha256=hashlib.sha256(body).hexdigest(),
                                   state="processing", owner="another-hub", created=now,
                                   updated=now))
    response = client.submit(body, key)
    assert_error(response, 409, "in_progress")
    assert response.headers["Retry-After"] == "1"
    with hub.app.state.hub.db.write() as session, session.begin():
        session.get(IdempotencyKey, key).updated = now - timedelta(hours=1)  # that hub died
    assert client.submit(body, key).status_code == 201
    assert count_submissions(hub) == 1


def test_a_provisional_reference_maps_to_the_official_one(client):
    body = client.envelope("senior_allowance", ALLOWANCE, provisional="K7-0042-A")
    result = client.submit(body).json()
    assert result["provisional_reference"] == "K7-0042-A"
    official = result["reference"]
    for asked in ("K7-0042-A", "k70042a", official):
        response = client.get(f"/v1/applications/{asked}")
        assert response.status_code == 200 and response.json()["reference"] == official
        status = client.post("/v1/lookups/application_status",
                             json={"params": {"reference": asked}, "citizen_id": None})
        assert status.status_code == 200 and status.json()["status"] == "received"


def test_a_booked_appointment_takes_a_place(client, hub):
    params = {"hospital": "community", "department": "chronic", "day": "2026-11-25"}
    slot = client.get("/v1/slots", params=params).json()[0]
    for _ in range(slot["free"]):
        body = client.envelope("doctor_appointment", {**params, "slot": slot["id"]})
        assert client.submit(body).status_code == 201
    after = client.get("/v1/slots", params=params).json()
    assert slot["id"] not in [s["id"] for s in after]  # full: no longer offered
    with hub.app.state.hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == slot["free"]


def test_a_restarted_hub_keeps_everything(client, hub):
    etag = client.get("/v1/catalogue").headers["ETag"]
    key, body = str(uuid.uuid4()), client.envelope("senior_allowance", ALLOWANCE,
                                                   provisional="P-1")
    first = client.submit(body, key).json()
    pem = hub.public_key_pem
    hub.stop()
    hub.start()
    again = client.submit(body, key)
    assert again.status_code == 201 and again.json() == first
    assert again.headers["Idempotent-Replayed"] == "true"
    assert client.get("/v1/applications/P-1").json()["reference"] == first["reference"]
    assert hub.public_key_pem == pem
    assert client.get("/v1/catalogue", headers={"If-None-Match": etag}).status_code == 304
    assert count_submissions(hub) == 1


def test_concurrent_first_requests_on_two_hubs_file_once(start_hub, database, tmp_path):
    """Two hubs on one database (and one key); 12 threads send the same first request."""
    shared = tmp_path / "shared"
    hubs = [start_hub(database, data_dir=shared), start_hub(database, data_dir=shared)]
    clients = [Client(h) for h in hubs]
    for _round in range(3):
        key, body = str(uuid.uuid4()), clients[0].envelope("pay_bill", {"account": "7"})
        barrier = threading.Barrier(12)
        responses = []

        def send(index: int, key=key, body=body, barrier=barrier, responses=responses) -> None:
            client = Client(hubs[index % 2])
            barrier.wait()
            responses.append(client.submit(body, key))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        firsts = [r for r in responses
                  if r.status_code == 201 and "Idempotent-Replayed" not in r.headers]
        assert len(firsts) == 1, [(r.status_code, r.text) for r in responses]
        for response in responses:
            if response.status_code == 201:
                assert response.json() == firsts[0].json()
            else:
                assert_error(response, 409, "in_progress")
        final = clients[1].submit(body, key)
        assert final.status_code == 201 and final.json() == firsts[0].json()
    assert count_submissions(hubs[0]) == 3
