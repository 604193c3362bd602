"""One remote help session, played against any desk: the demo backend's in-memory relay, or
the real hub on loopback with the clerk using the desk's own HTTP endpoints. The desk's view
is checked field by field against what the kiosk's widgets show."""

from __future__ import annotations

import json
from typing import Protocol

from kiosk import receipt
from kiosk.remote.screen import MASK
from ui.walker import Walker

CLERK = "Li Ming"


class Desk(Protocol):
    name: str  # the desk's name, as the kiosk is told it

    def take(self, call_id: str) -> None: ...

    def send(self, call_id: str, message: dict) -> None: ...

    def seen(self) -> list[dict]:
        """Every kiosk→desk message the clerk has received so far, in order."""


def latest_screen(desk: Desk) -> dict | None:
    screens = [m["model"] for m in desk.seen() if m.get("kind") == "screen"]
    return screens[-1] if screens else None


def done_for(desk: Desk, n: int) -> list[dict]:
    return [m for m in desk.seen() if m.get("kind") == "done"][n:]


def call_and_take(kiosk, qtbot, desk: Desk) -> Walker:
    walker = Walker(kiosk)
    walker.tap("help")
    walker.tap("call-staff")
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=10000)
    desk.take(kiosk.help_call.request_id)
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.remote.consent, timeout=10000)
    return walker


def expected(kiosk) -> dict:
    """What the desk must see now, read off the kiosk's widgets (not off the model)."""
    window, lang = kiosk.window, kiosk.session.language
    screen = kiosk.current()
    journey = kiosk.session.journey
    out = {"title": screen.title(lang), "lang": lang, "text_size": kiosk.session.text_size,
           "error": ""}
    if screen is kiosk.question:
        n, total = journey.position()
        out["step"] = {"n": n, "of": total}
        out["question"] = kiosk.question.heading.text()
        out["error"] = kiosk.question.error.message()
    visible = {b.objectName() for b in (window.back, window.next, window.help) if b.isVisible()}
    out["nav"] = visible
    return out


def matches(kiosk, model: dict | None) -> bool:
    if model is None:
        return False
    want = expected(kiosk)
    ids = {c["id"] for c in model["controls"]}
    return (all(model.get(k) == v for k, v in want.items() if k != "nav")
            and want["nav"] <= ids)


def wait_in_step(kiosk, qtbot, desk: Desk) -> dict:
    """The desk's newest view matches the kiosk's screen (within the wait: the kiosk sends
    within a second of a change)."""
    qtbot.waitUntil(lambda: matches(kiosk, latest_screen(desk)), timeout=10000)
    return latest_screen(desk)


def field(model: dict) -> dict:
    [only] = model["fields"]
    return only


def whole_journey(kiosk, qtbot, desk: Desk, card: str = "", code: str = "") -> None:
    """From the first question to the receipt with a remote clerk, asserting the desk's view
    at every screen, personal values masked unless the citizen shows them. The citizen is
    identified by the demo's `card`, or by the ID number and a `code` sent to the phone."""
    walker = Walker(kiosk)
    walker.begin("en")
    walker.open_service("senior_allowance")
    if card:
        walker.identify_by_card(card)
    else:
        walker.identify_by_code(code)
    assert kiosk.question.step.id == "address"
    call_and_take(kiosk, qtbot, desk)
    consent = kiosk.remote.consent
    assert CLERK in consent.question.text() and desk.name in consent.question.text()
    assert not latest_screen(desk)  # nothing before the citizen says yes
    walker.tap("remote-consent-yes")
    assert kiosk.current() is kiosk.question  # back where the citizen was

    # the address: personal, prefilled; masked until the citizen shows it
    model = wait_in_step(kiosk, qtbot, desk)
    address = kiosk.question.field.entry.text()
    assert address and field(model) == {"id": "address", "label": kiosk.question.step.title.get(
        "en"), "value": MASK, "masked": True, "fillable": True}
    assert address not in json.dumps(model, ensure_ascii=False)
    walker.tap("remote-details")
    qtbot.waitUntil(lambda: field(latest_screen(desk))["value"] == address, timeout=10000)
    walker.tap("remote-details")
    qtbot.waitUntil(lambda: field(latest_screen(desk))["masked"], timeout=10000)
    walker.tap("next")

    # payment: the clerk points, the citizen taps where the ring is
    model = wait_in_step(kiosk, qtbot, desk)
    assert [c["id"] for c in model["controls"] if c["role"] == "option"] == [
        "choice-bank_card", "choice-social_security_card"]
    desk.send(kiosk.help_call.request_id, {"kind": "point", "target":
                                           "choice-social_security_card",
                                           "words": "tap the social security card"})
    qtbot.waitUntil(lambda: kiosk.remote.ring.isVisible(), timeout=10000)
    tile = dict(kiosk.question.field.tiles)["social_security_card"]
    assert kiosk.remote.ring.target is tile
    assert kiosk.remote.ring.geometry().contains(tile.mapTo(kiosk.window, tile.rect().center()))
    assert "tap the social security card" in kiosk.remote.bar.words.accessibleName()
    walker.tap("choice-social_security_card")
    qtbot.waitUntil(lambda: {c["id"]: c.get("chosen") for c in latest_screen(desk)["controls"]}
                    .get("choice-social_security_card") is True, timeout=10000)
    walker.tap("next")

    # lives alone: the clerk speaks, pauses the timer, changes the text size, then fills it
    wait_in_step(kiosk, qtbot, desk)
    call_id = kiosk.help_call.request_id
    desk.send(call_id, {"kind": "say", "words": "I will fill this in for you"})
    qtbot.waitUntil(lambda: "I will fill this in" in kiosk.remote.bar.words.accessibleName(),
                    timeout=10000)
    desk.send(call_id, {"kind": "pause_idle", "on": True})
    qtbot.waitUntil(lambda: kiosk.idle.paused, timeout=10000)
    desk.send(call_id, {"kind": "text_size", "size": "largest"})
    qtbot.waitUntil(lambda: kiosk.session.text_size == "largest", timeout=10000)
    wait_in_step(kiosk, qtbot, desk)  # the desk sees the new size
    desk.send(call_id, {"kind": "language", "lang": "zh_CN"})
    qtbot.waitUntil(lambda: kiosk.session.language == "zh_CN", timeout=10000)
    assert wait_in_step(kiosk, qtbot, desk)["question"] == "您是一个人住吗？"
    desk.send(call_id, {"kind": "language", "lang": "en"})
    qtbot.waitUntil(lambda: kiosk.session.language == "en", timeout=10000)
    wait_in_step(kiosk, qtbot, desk)
    desk.send(call_id, {"kind": "fill", "field": "lives_alone", "value": "yes"})
    qtbot.waitUntil(lambda: kiosk.question.field.value() is True, timeout=10000)
    walker.tap("next")

    # the emergency phone: a bad value refused with the field's own message, a good one taken
    model = wait_in_step(kiosk, qtbot, desk)
    assert field(model)["id"] == "emergency_phone" and field(model)["fillable"]
    dones = len(done_for(desk, 0))
    desk.send(call_id, {"kind": "fill", "field": "emergency_phone", "value": "12345"})
    qtbot.waitUntil(lambda: len(done_for(desk, dones)) >= 1 and
                    any(not d["ok"] for d in done_for(desk, dones)), timeout=10000)
    refusal = next(d for d in done_for(desk, dones) if not d["ok"])
    error = kiosk.question.error.message()
    assert error and refusal["message"] == error
    assert wait_in_step(kiosk, qtbot, desk)["error"] == error  # the desk sees it too
    dones = len(done_for(desk, 0))
    desk.send(call_id, {"kind": "fill", "field": "emergency_phone", "value": "13912345678"})
    qtbot.waitUntil(lambda: any(d["ok"] for d in done_for(desk, dones)), timeout=10000)
    assert kiosk.question.field.entry.text() == "13912345678"  # typed where the citizen sees
    model = wait_in_step(kiosk, qtbot, desk)
    assert field(model)["value"] == MASK and "13912345678" not in json.dumps(model)
    walker.tap("next")

    # declaration, then check your answers: personal answers masked on the desk
    wait_in_step(kiosk, qtbot, desk)
    walker.tap("agree")
    walker.tap("next")
    assert kiosk.current() is kiosk.review
    wait_in_step(kiosk, qtbot, desk)
    # the table of answers may be drawn just after the screen's first view was sent
    qtbot.waitUntil(lambda: "address" in {f["id"] for f in latest_screen(desk)["fields"]},
                    timeout=10000)
    rows = {f["id"]: f for f in latest_screen(desk)["fields"]}
    assert rows["address"]["masked"] and rows["emergency_phone"]["value"] == MASK
    assert rows["payment"]["value"] == "My social security card"
    assert rows["lives_alone"]["value"] == "Yes"
    walker.tap("next")
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.confirmation, timeout=10000)
    lines = dict(receipt.build(kiosk.session.journey, "en").lines)
    assert lines["Helped remotely by"] == f"{CLERK}, {desk.name}"
    assert kiosk.session.journey.assistance["remote_helper"] == {"clerk": CLERK,
                                                                 "desk": desk.name}

    # the citizen ends the help: the desk is told, the slip lists what the clerk did
    walker.tap("remote-end")
    qtbot.waitUntil(lambda: any(m.get("kind") == "end" and m.get("by") == "citizen"
                                for m in desk.seen()), timeout=10000)
    assert not kiosk.remote.active and not kiosk.remote.bar.isVisible()
    assert kiosk.current() is kiosk.slip
    slip = kiosk.slip.body.text()
    assert f"{CLERK} filled in: Who can we call in an emergency?" in slip
    assert not kiosk.idle.paused  # the clerk's pause ends with the help
    walker.tap("next")
    assert kiosk.current() is kiosk.confirmation  # carries on where it was


def audited(kiosk) -> list[dict]:
    audit = kiosk.remote.session.audit if kiosk.remote.session else kiosk.assisted.audit
    audit.flush()  # written in the background: all of it, now
    path = audit.path
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
