"""The outbox on its own: a real SQLite file, no hub."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime

from kiosk.sync import outbox as outbox_module
from kiosk.sync.outbox import ACKNOWLEDGED, ATTEMPTING, QUARANTINED, WAITING, Outbox

BODY = b'{"sealed": "opaque bytes \xe2\x9c\x93"}'


def test_put_commits_exact_bytes_that_a_new_process_sees(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path)
    item = outbox.put("k1", "pension_check", "2026-11-23T10:00:00", BODY, "P-k-AAAA2222")
    assert (item.state, item.attempts, item.provisional_reference) == (WAITING, 0, "P-k-AAAA2222")
    # another connection (as another process would) sees the committed row at once
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT payload FROM outbox").fetchone()[0] == BODY
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_the_same_key_is_queued_once_with_its_first_bytes(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("k1", "pension_check", "t", BODY, "P-1")
    again = outbox.put("k1", "pension_check", "t2", b"other bytes", "P-2")
    assert again.provisional_reference == "P-1" and outbox.waiting_count() == 1
    assert outbox.mark_attempting("k1") == BODY
    outbox.record_ack("k1", "YL12345678")
    assert outbox.put("k1", "pension_check", "t3", b"x", "P-3").state == ACKNOWLEDGED
    assert outbox.waiting_count() == 0


def test_listing_is_metadata_only(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("k1", "pay_bill", "2026-11-23T10:00:00", BODY, "P-1")
    [item] = outbox.items()
    assert not any(BODY in repr(value).encode() for value in vars(item).values())
    assert set(vars(item)) == {"key", "service_id", "created", "provisional_reference", "state",
                               "attempts", "due", "last_error", "reference"}
    columns = {row[1] for row in outbox._db.execute("PRAGMA table_info(acknowledged)")}
    assert columns == {"idempotency_key", "provisional_reference", "reference", "acknowledged"}


def test_claims_are_exclusive_across_connections(tmp_path):
    one, two = Outbox(tmp_path / "o.sqlite3"), Outbox(tmp_path / "o.sqlite3")
    one.put("k1", "pay_bill", "t", BODY, None)
    assert one.mark_attempting("k1") == BODY
    assert two.mark_attempting("k1") is None
    assert two.next_due() == []  # a live claim is not taken over
    assert one.get("k1").state == ATTEMPTING


def test_a_dead_process_claim_goes_back_to_waiting_at_open(tmp_path):
    path = tmp_path / "o.sqlite3"
    Outbox(path).put("k1", "pay_bill", "t", BODY, None)
    code = ("import sys; from kiosk.sync.outbox import Outbox; "
            "print(Outbox(sys.argv[1]).mark_attempting('k1') is not None)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "True"
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT state FROM outbox").fetchone()[0] == ATTEMPTING
    reopened = Outbox(path)
    assert reopened.get("k1").state == WAITING
    assert [i.key for i in reopened.next_due()] == ["k1"]


def test_a_claim_from_before_a_reboot_or_past_its_lease_is_abandoned(tmp_path):
    path = tmp_path / "o.sqlite3"
    outbox = Outbox(path)
    outbox.put("k1", "pay_bill", "t", BODY, None)
    outbox.put("k2", "pay_bill", "t", BODY, None)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE outbox SET state = 'attempting', claimed_by = 'old-boot/1:x', "
                    "claimed_at = ? WHERE idempotency_key = 'k1'", (time.time(),))
        raw.execute("UPDATE outbox SET state = 'attempting', claimed_by = ?, claimed_at = ? "
                    "WHERE idempotency_key = 'k2'", (f"{outbox._boot}/1:y", time.time() - 3600))
    assert outbox.recover() == 2
    assert {i.state for i in outbox.items()} == {WAITING}


def test_ack_keeps_the_official_reference_and_drops_the_payload(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("k1", "pay_bill", "t", BODY, "P-kiosk-ABCD2345")
    outbox.mark_attempting("k1")
    outbox.record_ack("k1", "JF00000042")
    assert outbox.items() == []
    assert outbox.official_reference("P-kiosk-ABCD2345") == "JF00000042"
    assert outbox.get("k1").reference == "JF00000042"
    assert outbox._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0


def test_quarantine_keeps_a_reason_and_does_not_block_the_queue(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("bad", "pay_bill", "t", BODY, None, now=1000.0)
    outbox.put("good", "pay_bill", "t", BODY, None, now=1001.0)
    outbox.mark_attempting("bad")
    outbox.quarantine("bad", "HTTP 422 unknown_service: no service for +8613812345678")
    assert [i.key for i in outbox.next_due(now=2000.0)] == ["good"]
    assert (outbox.waiting_count(), outbox.quarantined_count()) == (1, 1)
    bad = outbox.get("bad")
    assert bad.state == QUARANTINED and "unknown_service" in bad.last_error
    assert "13812345678" not in bad.last_error  # digits blotted out


def test_retry_later_counts_attempts_and_waits(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("k1", "pay_bill", "t", BODY, None, now=1000.0)
    outbox.mark_attempting("k1")
    outbox.retry_later("k1", 1060.0, "connection refused", now=1000.0)
    item = outbox.get("k1")
    assert (item.state, item.attempts, item.due, item.last_error) == (
        WAITING, 1, 1060.0, "connection refused")
    assert outbox.next_due(now=1059.0) == []
    assert [i.key for i in outbox.next_due(now=1060.0)] == ["k1"]


def test_a_clock_set_back_re_anchors_waits_instead_of_stalling(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("k1", "pay_bill", "t", BODY, None, now=1_000_000.0)
    outbox.mark_attempting("k1")
    outbox.retry_later("k1", 1_000_060.0, "timeout", now=1_000_000.0)
    week_earlier = 1_000_000.0 - 7 * 86400
    assert outbox.next_due(now=week_earlier) == []
    assert outbox.get("k1").due == week_earlier + 60  # not a week and a minute
    assert [i.key for i in outbox.next_due(now=week_earlier + 60)] == ["k1"]


def test_meta_is_kept(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    assert outbox.meta("hub_public_key_pem") is None
    outbox.set_meta("hub_public_key_pem", "PEM")
    outbox.close()
    assert Outbox(tmp_path / "o.sqlite3").meta("hub_public_key_pem") == "PEM"


def test_last_sent_is_the_latest_acknowledgement_not_the_last_recorded(tmp_path, monkeypatch):
    outbox = Outbox(tmp_path / "o.sqlite3")
    assert outbox.last_sent() is None
    for key in ("k1", "k2", "k3"):
        outbox.put(key, "pay_bill", "t", BODY, None)

    def acknowledged_at(when: datetime) -> None:  # record_ack reads datetime.now(UTC)
        class Clock(datetime):
            @classmethod
            def now(cls, tz=None):
                return when

        monkeypatch.setattr(outbox_module, "datetime", Clock)

    acknowledged_at(datetime(2026, 1, 2, 9, 30, tzinfo=UTC))
    outbox.record_ack("k1", "GL00000001")
    acknowledged_at(datetime(2026, 1, 1, 8, 0, tzinfo=UTC))  # recorded last, but earlier
    outbox.record_ack("k2", "GL00000002")
    assert outbox.last_sent() == "2026-01-02T09:30:00+00:00"

    monkeypatch.undo()  # the real clock: an acknowledgement now is the latest
    before = datetime.now(UTC).replace(microsecond=0)
    outbox.record_ack("k3", "GL00000003")
    assert before <= datetime.fromisoformat(outbox.last_sent()) <= datetime.now(UTC)


def test_only_a_person_gives_a_quarantined_item_back_to_the_sender(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3")
    outbox.put("bad", "pay_bill", "t", BODY, None, now=1000.0)
    outbox.put("good", "pay_bill", "t", BODY, None, now=1001.0)
    assert outbox.requeue("good", now=1500.0) is False  # waiting: nothing to give back
    outbox.mark_attempting("bad")
    outbox.quarantine("bad", "HTTP 422 unreadable_envelope")
    assert [i.key for i in outbox.next_due(now=10**9)] == ["good"]
    assert outbox.requeue("bad", now=2000.0) is True  # the admin's "send again"
    item = outbox.get("bad")
    assert (item.state, item.due, item.attempts) == (WAITING, 2000.0, 1)
    assert "unreadable_envelope" in item.last_error  # the last reason stays until it is sent
    assert outbox.mark_attempting("bad") == BODY  # the same bytes, the same key
    assert [key for key, _body in outbox.payloads_for_export()] == ["bad", "good"]
