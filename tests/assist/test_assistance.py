"""A helper assisting a citizen: consent first; every act audited without personal data."""

import json

import pytest

from kiosk.assist.assistance import Assistance, NotAllowed
from kiosk.assist.audit import AuditLog, verify
from kiosk.assist.helpers import Helper

HELPER = Helper("li-wei", "Li Wei")


@pytest.fixture
def log_path(tmp_path):
    return tmp_path / "audit.jsonl"


def actions(path):
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_refused_consent_blocks_every_action(log_path):
    a = Assistance(HELPER, AuditLog(log_path), "kiosk-a", "senior_allowance")
    with pytest.raises(NotAllowed):
        a.field_filled("emergency_phone")  # before asking
    a.ask_consent()
    a.answer_consent(False)
    assert not a.can_act
    for act in (lambda: a.field_filled("emergency_phone"), lambda: a.note("called daughter"),
                lambda: a.proxy("spouse", True, "Mrs Wang"), lambda: a.language_switched("en"),
                a.timeout_paused):
        with pytest.raises(NotAllowed):
            act()
    a.end("citizen")
    entries = actions(log_path)
    assert [e["action"] for e in entries] == ["consent_asked", "consent_refused",
                                              "assistance_ended"]
    assert entries[1]["helper_id"] == "li-wei" and entries[1]["kiosk_id"] == "kiosk-a"
    assert a.summary() == [] and verify(log_path).ok


def test_consent_given_then_acts_are_recorded(log_path):
    a = Assistance(HELPER, AuditLog(log_path), "kiosk-a", "senior_allowance")
    with pytest.raises(NotAllowed):
        a.answer_consent(True)  # not asked yet
    a.ask_consent()
    a.answer_consent(True)
    assert a.can_act
    a.field_filled("emergency_phone")
    a.note("Daughter Wang Fang, 13800138000, will collect")
    a.proxy("spouse", True, "Wang Jianguo, ID 110105194912310021")
    a.field_filled("bank_account")
    a.end("helper")
    assert not a.can_act
    with pytest.raises(NotAllowed):
        a.field_filled("address")
    with pytest.raises(NotAllowed):
        a.end("helper")
    assert a.summary() == [
        ("field_filled", "senior_allowance", "emergency_phone"),
        ("note_added", "senior_allowance", ""),
        ("proxy_declared", "senior_allowance", "spouse"),
        ("field_filled", "senior_allowance", "bank_account"),
    ]
    assert a.submission_extra() == {
        "assisted_by": "li-wei",
        "notes": ["Daughter Wang Fang, 13800138000, will collect"],
        "proxy": {"relationship": "spouse", "for_whom": "Wang Jianguo, ID 110105194912310021",
                  "declaration_accepted": True},
    }
    entries = actions(log_path)
    assert [e["action"] for e in entries] == [
        "consent_asked", "consent_given", "field_filled", "note_added", "proxy_declared",
        "field_filled", "assistance_ended"]
    assert entries[3]["detail"] == {"service": "senior_allowance", "length": 45}
    assert entries[4]["detail"]["relationship"] == "spouse"
    assert entries[6]["detail"] == {"service": "senior_allowance", "by": "helper"}
    raw = log_path.read_bytes()
    for secret in (b"Wang", b"13800138000", b"110105194912310021", b"Li Wei", b"collect"):
        assert secret not in raw
    assert verify(log_path).ok


def test_proxy_needs_a_known_relationship_and_the_declaration(log_path):
    a = Assistance(HELPER, AuditLog(log_path), "kiosk-a", "senior_allowance")
    a.ask_consent()
    a.answer_consent(True)
    with pytest.raises(ValueError):
        a.proxy("landlord", True, "Mr Zhou")
    with pytest.raises(ValueError):
        a.proxy("spouse", True, "  ")
    with pytest.raises(NotAllowed):
        a.proxy("spouse", False, "Mrs Wang")
    assert a.submission_extra()["proxy"] is None
    assert [e["action"] for e in actions(log_path)] == ["consent_asked", "consent_given"]


def test_end_reasons(log_path):
    a = Assistance(HELPER, AuditLog(log_path), "kiosk-a", "senior_allowance")
    with pytest.raises(ValueError):
        a.end("nobody")
    a.end("timeout")
    assert actions(log_path)[-1]["detail"]["by"] == "timeout"
