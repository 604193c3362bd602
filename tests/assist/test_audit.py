"""The audit log: chained, tamper-evident, and free of anything personal."""

import json
import os
import re
import stat
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.assist.audit import GENESIS_HASH, AuditLog, verify
from kiosk.assist.verify import main
from kiosk.files import repairs

CST = timezone(timedelta(hours=8))
MIXED = [
    ("sign_in", {"method": "pin"}),
    ("consent_asked", {"service": "senior_allowance"}),
    ("consent_given", {"service": "senior_allowance"}),
    ("field_filled", {"service": "senior_allowance", "step": "emergency_phone"}),
    ("note_added", {"service": "senior_allowance", "length": 42}),
    ("proxy_declared", {"service": "senior_allowance", "relationship": "spouse",
                        "declaration": True}),
    ("language_switched", {"service": "senior_allowance", "language": "zh_CN"}),
    ("timeout_paused", {"service": "senior_allowance"}),
    ("assistance_ended", {"service": "senior_allowance", "by": "citizen"}),
    ("sign_out", {}),
]


def clock():
    t = datetime(2026, 11, 23, 9, 0, tzinfo=CST)

    def tick():
        nonlocal t
        t += timedelta(seconds=17)
        return t
    return tick


def write_log(path, n=20):
    log = AuditLog(path, clock=clock())
    for i in range(n):
        action, detail = MIXED[i % len(MIXED)]
        log.append(action, "kiosk-a", "helper-li", detail)
    return path


@pytest.fixture
def log_path(tmp_path):
    return write_log(tmp_path / "audit.jsonl")


def test_twenty_mixed_entries_verify(log_path):
    result = verify(log_path)
    assert result.ok and result.entries == 20 and result.broken_at is None
    lines = log_path.read_text("utf-8").splitlines()
    first, last = json.loads(lines[0]), json.loads(lines[-1])
    assert first["prev_hash"] == GENESIS_HASH and first["seq"] == 1 and last["seq"] == 20
    assert first["time"] == "2026-11-23T09:00:17+08:00"
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600


def test_reopening_continues_the_chain(log_path):
    log = AuditLog(log_path, clock=lambda: datetime(2026, 11, 24, tzinfo=UTC))
    entry = log.append("sign_in", "kiosk-a", "helper-li", {"method": "badge"})
    assert entry.seq == 21 and entry.prev_hash == json.loads(
        log_path.read_text("utf-8").splitlines()[19])["hash"]
    assert verify(log_path).ok and verify(log_path).entries == 21


def _position(data: bytes, line: int, needle: bytes) -> int:
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    return data.index(needle, start)


@pytest.mark.parametrize(("line", "needle", "offset"), [
    (4, b'"step":"emergency_phone"', 10),  # inside a detail value
    (7, b'"hash":"', 20),  # inside the entry's own hash
    (12, b'"prev_hash":"', 30),  # inside the link to the entry before
    (9, b'"time":"2026-11-23T09:0', 22),  # a timestamp digit
    (1, b'"seq":1', 6),  # the sequence number
    (20, b'"kiosk_id":"kiosk-a"', 14),  # the last entry
])
def test_one_changed_byte_is_found_at_its_entry(log_path, line, needle, offset):
    data = bytearray(log_path.read_bytes())
    pos = _position(data, line, needle) + offset
    data[pos] = ord("3") if data[pos] != ord("3") else ord("5")
    log_path.write_bytes(bytes(data))
    result = verify(log_path)
    assert not result.ok and result.broken_at == line and result.entries == line - 1
    assert result.reason.startswith(f"entry {line} ")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_changed_byte_is_found_on_its_line(tmp_path, data):
    path = tmp_path / "audit.jsonl"
    if not path.exists():
        write_log(path, 5)
    original = path.read_bytes()
    pos = data.draw(st.integers(0, len(original) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[pos]))
    changed = original[:pos] + bytes([byte]) + original[pos + 1:]
    broken = path.with_name("changed.jsonl")
    broken.write_bytes(changed)
    result = verify(broken)
    assert not result.ok
    assert result.broken_at == original[:pos].count(b"\n") + 1


def test_a_changed_value_reads_plainly(log_path):
    text = log_path.read_text("utf-8").replace('"by":"citizen"', '"by":"helper"')
    log_path.write_text(text, "utf-8")
    result = verify(log_path)
    assert result.broken_at == 9
    assert result.reason == "entry 9 (line 9) was changed: its hash does not match its content"


def test_a_deleted_line_is_found(log_path):
    lines = log_path.read_bytes().splitlines(keepends=True)
    del lines[6]
    log_path.write_bytes(b"".join(lines))
    result = verify(log_path)
    assert (result.ok, result.broken_at) == (False, 7)
    assert result.reason == "entry 7 does not follow entry 6: the chain is broken"


def test_deleting_the_first_line_is_found(log_path):
    lines = log_path.read_bytes().splitlines(keepends=True)
    log_path.write_bytes(b"".join(lines[1:]))
    result = verify(log_path)
    assert result.broken_at == 1 and "does not follow the start of the log" in result.reason


def test_swapped_lines_are_found(log_path):
    lines = log_path.read_bytes().splitlines(keepends=True)
    lines[10], lines[11] = lines[11], lines[10]
    log_path.write_bytes(b"".join(lines))
    result = verify(log_path)
    assert (result.ok, result.broken_at) == (False, 11)
    assert result.reason == "entry 11 does not follow entry 10: the chain is broken"


def test_invalid_json_and_a_cut_last_line(log_path):
    lines = log_path.read_bytes().splitlines(keepends=True)
    lines[6] = b"{not json\n"
    log_path.write_bytes(b"".join(lines))
    assert verify(log_path).reason == "line 7 is not valid JSON"
    write_log(log_path.with_name("b.jsonl"), 3)
    cut = log_path.with_name("b.jsonl")
    cut.write_bytes(cut.read_bytes()[:-1])
    assert verify(cut).broken_at == 3 and "no line ending" in verify(cut).reason


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=300))
def test_arbitrary_bytes_appended_never_crash_verify(tmp_path, junk):
    path = tmp_path / "audit.jsonl"
    if not path.exists():
        write_log(path, 3)
    tail = path.with_name("tail.jsonl")
    tail.write_bytes(path.read_bytes() + junk)
    result = verify(tail)
    assert not result.ok and result.broken_at is not None and result.broken_at >= 4
    assert result.entries == result.broken_at - 1


def test_a_damaged_log_is_set_aside_and_its_intact_entries_go_on(log_path):
    intact = log_path.read_bytes()
    log_path.write_bytes(intact + b"junk\n")
    log = AuditLog(log_path)  # never fatal: the kiosk starts
    [moved] = log_path.parent.glob("audit.jsonl.damaged-*")
    assert re.fullmatch(r"audit\.jsonl\.damaged-\d{8}T\d{6}Z", moved.name)
    assert moved.read_bytes() == intact + b"junk\n"  # kept whole, as evidence
    assert log_path.read_bytes() == intact
    log.append("sign_out", "kiosk-a", "helper-li", {})
    assert verify(log_path).ok and verify(log_path).entries == 21
    [repair] = repairs(log_path.parent)
    assert (repair.kind, repair.kept, repair.moved_to) == ("audit", 20, moved.name)
    assert "line 21" in repair.reason


def test_a_torn_last_line_from_a_power_cut_is_cut_off(log_path):
    intact = log_path.read_bytes()
    log_path.write_bytes(intact + b'{"seq":21,"time":"2026-')  # power cut mid-append
    log = AuditLog(log_path)
    assert log_path.read_bytes() == intact and log.last_hash == json.loads(
        intact.splitlines()[-1])["hash"]


def test_a_short_write_is_continued(log_path, monkeypatch):
    real_write = os.write
    calls = []

    def short(fd, data):
        calls.append(len(data))
        return real_write(fd, bytes(data[:7]))  # the disk takes 7 bytes at a time

    log = AuditLog(log_path)
    monkeypatch.setattr(os, "write", short)
    log.append("sign_out", "kiosk-a", "helper-li", {})
    monkeypatch.undo()
    assert len(calls) > 1 and verify(log_path).ok and verify(log_path).entries == 21


def test_a_write_that_stops_is_reported_and_leaves_no_half_entry(log_path, monkeypatch):
    intact = log_path.read_bytes()
    real_write = os.write
    taken = []

    def full_disk(fd, data):
        if taken:
            return 0
        taken.append(1)
        return real_write(fd, bytes(data[:10]))

    log = AuditLog(log_path)
    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError):
        log.append("sign_out", "kiosk-a", "helper-li", {})
    monkeypatch.undo()
    assert log_path.read_bytes() == intact  # the part written was cut off again
    assert log.waiting == 1 and log.head[0] == 20  # not lost: it waits for the next write
    log.append("sign_in", "kiosk-a", "helper-li", {})
    assert log.waiting == 0 and verify(log_path).entries == 22
    actions = [json.loads(line)["action"] for line in log_path.read_text("utf-8").splitlines()]
    assert actions[-2:] == ["sign_out", "sign_in"]


def test_entries_written_later_keep_their_order_and_the_head_counts_only_what_is_on_disk(
        log_path):
    later: list = []
    log = AuditLog(log_path, writer=later.append)  # as the kiosk's background writer
    intact = log_path.read_bytes()
    for action, detail in MIXED:
        log.append(action, "kiosk-a", "helper-li", detail)
    assert log_path.read_bytes() == intact and log.waiting == len(MIXED)
    assert log.head[0] == 20  # the hub is never told of entries the file does not hold
    later[-1]()  # the last write to start takes them all, in the order they were made
    assert log.waiting == 0 and log.head[0] == 30
    for write in later[:-1]:
        write()  # nothing left for the others
    result = verify(log_path)
    assert result.ok and result.entries == 30
    lines = log_path.read_text("utf-8").splitlines()[20:]
    assert [json.loads(line)["action"] for line in lines] == [a for a, _ in MIXED]
    assert log.head == (30, json.loads(lines[-1])["hash"])


def test_writes_racing_on_threads_leave_every_entry_once_in_order(log_path):
    threads: list[threading.Thread] = []

    def on_a_thread(write):
        thread = threading.Thread(target=write)
        threads.append(thread)
        thread.start()

    log = AuditLog(log_path, writer=on_a_thread)
    for n in range(60):
        log.append("field_filled", "kiosk-a", "helper-li", {"step": f"step_{n}"})
    for thread in threads:
        thread.join()
    assert verify(log_path).ok and verify(log_path).entries == 80
    steps = [json.loads(line)["detail"].get("step")
             for line in log_path.read_text("utf-8").splitlines()[20:]]
    assert steps == [f"step_{n}" for n in range(60)]


@pytest.mark.parametrize("detail", [
    {"pin": "4821"},  # a PIN
    {"id": "11010519491231002X"},  # an ID number
    {"phone": "138 0013 8000"},  # a phone number
    {"typed": "Flat 3, 12 Garden Road, Haidian District, Beijing"},  # a typed value, too long
    {"n": 12345},  # a number of 4+ digits
    {"nested": {"name": "Wang"}},
    {"1101051949": "x"},  # in a key
])
def test_personal_details_are_refused(tmp_path, detail):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    with pytest.raises(ValueError):
        log.append("field_filled", "kiosk-a", "helper-li", detail)
    assert not path.exists() or path.read_bytes() == b""


def test_unknown_actions_and_naive_clocks_are_refused(tmp_path):
    with pytest.raises(ValueError):
        AuditLog(tmp_path / "a").append("deleted_everything", "kiosk-a", "helper-li", {})
    with pytest.raises(ValueError):
        AuditLog(tmp_path / "a", clock=datetime.now).append("sign_in", "kiosk-a", "h", {})


def test_verify_command(log_path, capsys):
    assert main([str(log_path)]) == 0
    assert "OK" in capsys.readouterr().out
    log_path.write_text(log_path.read_text("utf-8").replace('"length":42', '"length":43'))
    assert main([str(log_path)]) == 1
    assert "entry 5 (line 5) was changed" in capsys.readouterr().out
    assert main([str(log_path.with_name("missing"))]) == 1
    assert main([]) == 1
