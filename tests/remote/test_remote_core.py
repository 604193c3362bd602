"""kiosk/remote without Qt: the screen model and its masking, the rules for desk messages, the
session's consent, queue and audit, the link's bookkeeping."""

import json

import pytest

from kiosk.assist.audit import AuditLog, verify
from kiosk.remote import desk
from kiosk.remote.relay import Relay
from kiosk.remote.screen import MASK, MAX_BYTES, Control, Field, View, build, size
from kiosk.remote.session import LinkWatch, Outgoing, RemoteSession
from kiosk.speech.script import Part, phone, private

PHONE = "+8613812345678"


def view(**overrides) -> View:
    base = dict(
        screen="question", lang="en", text_size="largest", title="Senior allowance",
        question="Your phone number", step=(2, 5),
        controls=(Control("next", "nav", "Next"), Control("choice-a", "option", "A", True)),
        fields=(Field("phone", "Phone", "138 1234 5678", personal=True, fillable=True),
                Field("town", "Town", "Dali", personal=False)),
        error="", script=("Senior allowance", phone(PHONE).framed("You entered: {value}"),
                          Part("number", 3, frame="{value} people")))
    return View(**{**base, **overrides})


def test_personal_values_are_masked_whole_unless_allowed():
    model = build(view(), personal_ok=False)
    text = json.dumps(model, ensure_ascii=False)
    assert "5678" not in text and "138" not in text  # not even the last digits
    phone_field, town = model["fields"]
    assert phone_field == {"id": "phone", "label": "Phone", "value": MASK, "masked": True,
                           "fillable": True}
    assert town["value"] == "Dali" and town["masked"] is False
    assert model["said"] == ["Senior allowance", f"You entered: {MASK}", "3 people"]
    assert model["step"] == {"n": 2, "of": 5}
    assert model["controls"][1] == {"id": "choice-a", "role": "option", "label": "A",
                                    "chosen": True}
    shown = build(view(), personal_ok=True)
    assert shown["fields"][0]["value"] == "138 1234 5678" and not shown["fields"][0]["masked"]
    assert "You entered: 13812345678" in shown["said"]


def test_an_empty_personal_field_is_not_marked_masked():
    model = build(view(fields=(Field("phone", "Phone", "", personal=True),)), False)
    assert model["fields"][0] == {"id": "phone", "label": "Phone", "value": "",
                                  "masked": False, "fillable": False}


def test_a_personal_option_label_is_masked():
    controls = (Control("choice-x", "option", "Wang Fang's account", False, personal=True),)
    assert build(view(controls=controls), False)["controls"][0]["label"] == MASK


def test_a_huge_screen_fits_a_rural_link_without_losing_a_field_or_the_error():
    many = tuple(Control(f"c{i}", "button", "长" * 300) for i in range(200))
    said = tuple(["说" * 300] * 200)
    model = build(view(controls=many, script=said, error="⚠ bad"), False)
    assert size(model) <= MAX_BYTES
    assert len(model["fields"]) == 2 and model["error"] == "⚠ bad"


def test_desk_messages_are_checked_before_anything_happens():
    langs = ("zh_CN", "en")
    assert desk.parse({"kind": "point", "target": "next", "words": "tap  it"}, langs, True) \
        == desk.Point("next", "tap it")
    assert desk.parse({"kind": "fill", "field": "age", "value": 85}, langs, True) \
        == desk.Fill("age", "85")
    assert desk.parse({"kind": "language", "lang": "en"}, langs, True) == desk.Language("en")
    assert desk.parse({"kind": "text_size", "size": "largest"}, langs, True) \
        == desk.TextSize("largest")
    assert desk.parse({"kind": "pause_idle", "on": True}, langs, True) == desk.PauseIdle(True)
    assert desk.parse({"kind": "end"}, langs, False) == desk.End("clerk")  # always taken
    assert desk.parse({"kind": "signal", "data": {}}, langs, True) == \
        desk.Voice({"kind": "signal", "data": {}})
    refusals = [
        ({"kind": "point", "target": "next"}, False, "remote.refused.no_consent"),
        ({"kind": "call"}, False, "remote.refused.no_consent"),
        ({"kind": "language", "lang": "fr"}, True, "remote.refused.language"),
        ({"kind": "text_size", "size": "huge"}, True, "remote.refused.size"),
        ({"kind": "say", "words": "x" * 201}, True, "remote.refused.too_long"),
        ({"kind": "say", "words": "  "}, True, "remote.refused.malformed"),
        ({"kind": "fill", "field": "age", "value": None}, True, "remote.refused.malformed"),
        ({"kind": "pause_idle", "on": "yes"}, True, "remote.refused.malformed"),
        ({"kind": "run", "cmd": "rm"}, True, "remote.refused.kind"),
        (["not", "a", "dict"], True, "remote.refused.malformed"),
    ]
    for message, sharing, key in refusals:
        with pytest.raises(desk.Refused) as refused:
            desk.parse(message, langs, sharing)
        assert refused.value.key == key, message


def session(tmp_path) -> RemoteSession:
    return RemoteSession("H1", "Li Ming", "County hall 20261204 desk", AuditLog(
        tmp_path / "audit.log"), "kiosk-1", service_id=lambda: "senior_allowance")


def test_nothing_is_shared_before_consent_and_a_refusal_sends_only_itself(tmp_path):
    remote = session(tmp_path)
    remote.taken()
    remote.ask_consent()
    assert remote.screen({"screen": "question"}) is False
    remote.answer_consent(False)
    assert remote.screen({"screen": "question"}) is False
    assert remote.outgoing.take() == [{"kind": "consent", "see": False, "personal": False}]
    assert remote.receive({"kind": "fill", "field": "phone", "value": "1", "seq": 4}, ["en"],
                          "en") is None
    assert remote.receive({"kind": "say", "words": "hello", "seq": 5}, ["en"], "en") \
        == desk.Say("hello")  # words only, before consent too
    [done] = remote.outgoing.take()
    assert done == {"kind": "done", "ref": 4, "ok": False,
                    "message": "The citizen has not allowed you to see the screen."}
    assert remote.submission_extra() == {}


def test_every_remote_act_is_audited_with_clerk_and_desk_never_a_value(tmp_path):
    remote = session(tmp_path)
    remote.taken()
    remote.ask_consent()
    remote.answer_consent(True)
    remote.show_details(True)
    remote.screen({"fields": [{"value": "13812345678"}]})
    remote.screen({"fields": [{"value": "13812345678"}]})  # shared: audited once
    remote.pointed("choice-13812345678")
    remote.said("your number is 13812345678")
    remote.filled("phone", True)
    remote.filled("phone", False)
    remote.call("started")
    remote.end("citizen")
    remote.end("link")  # once only
    log = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert "13812345678" not in log and "your number" not in log
    entries = [json.loads(line) for line in log.splitlines()]
    assert [e["action"] for e in entries] == [
        "remote_taken", "remote_consent_asked", "remote_consent_given",
        "remote_details_shown", "remote_screen_shared", "remote_pointed", "remote_said",
        "remote_field_filled", "remote_fill_refused", "remote_call_started", "remote_ended"]
    assert {e["helper_id"] for e in entries} == {"remote:Li Ming"}
    assert {e["detail"]["desk"] for e in entries} == {"County hall 202… desk"}
    assert entries[-1]["detail"]["by"] == "citizen"
    assert verify(tmp_path / "audit.log").ok
    assert remote.submission_extra() == {
        "remote_helper": {"clerk": "Li Ming", "desk": "County hall 20261204 desk"}}
    kinds = [m["kind"] for m in remote.outgoing.take()]
    assert kinds == ["consent", "consent", "screen", "end"]  # one screen waiting, the newest


def test_one_screen_waits_at_most_and_a_failed_batch_goes_back_behind_nothing_newer():
    out = Outgoing()
    out.put({"kind": "screen", "model": 1})
    out.put({"kind": "done", "ref": 1})
    out.put({"kind": "screen", "model": 2})
    assert out.take() == [{"kind": "done", "ref": 1}, {"kind": "screen", "model": 2}]
    failed = [{"kind": "done", "ref": 2}, {"kind": "screen", "model": 3}]
    out.put({"kind": "screen", "model": 4})
    out.put_back(failed)
    assert out.take() == [{"kind": "done", "ref": 2}, {"kind": "screen", "model": 4}]


def test_the_link_is_given_up_after_failing_for_a_while_or_at_once_when_gone():
    now = [100.0]
    watch = LinkWatch(15.0, clock=lambda: now[0])
    now[0] += 14
    assert not watch.failed()
    now[0] += 2
    assert watch.failed()
    watch.ok()
    assert not watch.failed()
    assert watch.failed(gone=True)


def test_the_demo_relay_numbers_each_direction():
    relay = Relay()
    relay.to_kiosk({"kind": "taken", "clerk": "Li"})
    relay.to_kiosk({"kind": "say", "words": "hi"})
    assert [m["seq"] for m in relay.after(0, wait_s=0)["messages"]] == [1, 2]
    assert relay.after(2, wait_s=0) == {"messages": [], "state": "open"}
    relay.to_desk([{"kind": "end", "by": "citizen"}])
    assert relay.after(2, wait_s=0)["state"] == "ended"


def test_private_text_in_the_script_is_masked():
    model = build(view(script=(private("Wang Fang"),)), False)
    assert model["said"] == [MASK]
