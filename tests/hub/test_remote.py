"""Remote help, the hub's side (hub.remote): escalation to a regional desk, what a desk may
see, and the live channel between a kiosk and the clerk who took its call, on a real hub on
loopback (SQLite and PostgreSQL). Time moves by the hub's clock (`shift_s`), never by sleeping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest

from hub.fleet import set_setting
from hub.remote.relay import LINK_LOST_S
from hub.seed import DEMO_CENTRE, DEMO_DESK_TOKEN
from tests.hub.conftest import desk_browser
from tests.hub.remote_support import Region, call, down, events, up
from tests.log_audit import secret


@pytest.fixture
def clock(shared_hub) -> Iterator:
    clock = shared_hub.app.state.relay.clock
    yield clock
    clock.shift_s = 0.0


@pytest.fixture
def region(shared_hub, clock) -> Region:
    return Region(shared_hub)


def ids(calls: list[dict]) -> list[str]:
    return [c["id"] for c in calls]


def status(kiosk, call_id: str) -> dict:
    response = kiosk.get(f"/v1/help-requests/{call_id}")
    assert response.status_code == 200, response.text
    return response.json()


SCREEN = {"screen": "question", "lang": "en", "text_size": "largest", "title": "Pay a bill",
          "question": "What is your account number?", "step": {"n": 2, "of": 5},
          "controls": [{"id": "next", "role": "button", "label": "Next"}],
          "fields": [{"id": "account", "label": "Account", "value": "•••", "masked": True}],
          "error": ""}


def taken_call(region: Region) -> str:
    """A far kiosk's call (region level at once), taken by the region's clerk; the kiosk has
    collected `taken` (seq 1)."""
    call_id = call(region.far)
    region.take(call_id)
    assert down(region.far, call_id).json()["messages"][0]["kind"] == "taken"
    return call_id


# --- calls that find a person ---------------------------------------------------------------


def test_a_call_escalates_to_the_region_after_the_centres_time(region, clock):
    set_setting(region.db, "centre", DEMO_CENTRE, "help_escalate_after_s", 60)
    try:
        call_id = call(region.home)
        assert call_id not in ids(region.calls())  # the centre's own desk first
        centre_desk = desk_browser(region.hub, DEMO_DESK_TOKEN)
        assert call_id in ids(region.calls(centre_desk))
        assert status(region.home, call_id)["level"] == "centre"
        clock.shift_s = 59
        assert call_id not in ids(region.calls())
        clock.shift_s = 61
        found = {c["id"]: c for c in region.calls()}[call_id]
        assert (found["level"], found["centre"], found["service"], found["step"]) == (
            "region", DEMO_CENTRE, "pay_bill", "account")
        assert found["waited_s"] >= 61
        assert status(region.home, call_id)["level"] == "region"
        clock.shift_s = 0  # kept once reached: it never goes back to the centre
        assert call_id in ids(region.calls())
    finally:
        set_setting(region.db, "centre", DEMO_CENTRE, "help_escalate_after_s", None)


def test_the_hub_only_setting_is_checked_and_never_pushed_to_kiosks(region):
    from kiosk.config import SettingError

    with pytest.raises(SettingError) as refused:
        set_setting(region.db, "centre", DEMO_CENTRE, "help_escalate_after_s", -5)
    assert "0" in refused.value.text("en") and "秒" in refused.value.text("zh_CN")
    set_setting(region.db, "centre", DEMO_CENTRE, "help_escalate_after_s", 30)
    try:
        beat = region.home.post("/v1/heartbeat", json={
            "kiosk_id": "demo-kiosk", "version": "1", "queue_waiting": 0,
            "queue_quarantined": 0})
        assert beat.status_code == 200, beat.text
        assert "help_escalate_after_s" not in beat.json()["config"].get("settings", {})
    finally:
        set_setting(region.db, "centre", DEMO_CENTRE, "help_escalate_after_s", None)


def test_a_centre_without_a_desk_calls_the_region_at_once(region):
    call_id = call(region.far)
    assert {c["id"]: c["level"] for c in region.calls()}[call_id] == "region"
    assert status(region.far, call_id)["level"] == "region"


def test_a_desk_sees_only_the_kiosks_it_serves(region, clock):
    foreign = call(region.other)
    clock.shift_s = 3600  # long past any escalation
    assert foreign not in ids(region.calls())
    for action, body in (("take", {"clerk": "Li Ming"}), ("send", {"kind": "say",
                                                                    "words": "hello"})):
        refused = region.desk_post(foreign, action, body)
        assert refused.status_code in (404, 409), refused.text
        assert "Li Ming" not in refused.text
    assert region.desk_post(foreign, "take", {"clerk": "Li Ming"}).status_code == 404
    # and the foreign kiosk never hears of the region's clerk
    seen = status(region.other, foreign)
    assert (seen["state"], seen["clerk"], seen["remote"]) == ("open", None, False)


def test_taking_a_call_tells_the_kiosk_who_has_it(region):
    call_id = call(region.far)
    assert region.take(call_id, "Li Ming") == {"id": call_id, "kiosk_id": region.far_id,
                                               "clerk": "Li Ming", "desk": region.name}
    polled = down(region.far, call_id).json()
    assert polled == {"state": "live", "messages": [
        {"kind": "taken", "clerk": "Li Ming", "desk": region.name, "seq": 1}]}
    seen = status(region.far, call_id)
    assert (seen["state"], seen["clerk"], seen["desk"], seen["remote"]) == (
        "acknowledged", "Li Ming", region.name, True)
    # another desk cannot take it from under the clerk
    other = desk_browser(region.hub, DEMO_DESK_TOKEN)
    assert other.post(f"{region.hub.url}/desk/calls/{call_id}/take",
                      json={"clerk": "Wang"}, timeout=30).status_code == 404  # not its centre


def test_a_clerk_must_give_a_name(region):
    call_id = call(region.far)
    refused = region.desk_post(call_id, "take", {})
    assert refused.status_code == 422 and "name" in refused.json()["message"]


def test_without_signing_in_a_desk_gets_nothing(region):
    call_id = call(region.far)
    import requests

    stranger = requests.Session()
    for path in ("/desk/calls", "/desk/events"):
        assert stranger.get(f"{region.hub.url}{path}", timeout=30).status_code == 401
    assert stranger.post(f"{region.hub.url}/desk/calls/{call_id}/take",
                         json={"clerk": "x"}, timeout=30).status_code == 401


# --- the live channel -----------------------------------------------------------------------


def test_the_long_poll_answers_at_once_when_a_message_comes(region):
    call_id = taken_call(region)
    answers: list = []
    poll = threading.Thread(target=lambda: answers.append(down(region.far, call_id, after=1)))
    poll.start()
    # whether the poll is already held or not, it answers with the message, well before the
    # hub's 20 s hold (the poll's own timeout is 10 s)
    assert region.send(call_id, {"kind": "say", "words": "Hello, I am Li Ming"}).json() == {
        "seq": 2}
    poll.join(timeout=15)
    assert answers and answers[0].status_code == 200, answers
    assert answers[0].json()["messages"] == [{"kind": "say", "words": "Hello, I am Li Ming",
                                              "seq": 2}]


def test_held_polls_take_no_worker_thread(start_hub):
    """A hub with 2 worker threads holds 6 kiosks' polls and still answers a request that
    needs a thread (the help status) while they wait; then a message ends each poll."""
    region = Region(start_hub(worker_threads=2))
    calls = [taken_call(region) for _ in range(6)]
    answers: list = []
    polls = [threading.Thread(target=lambda c=c: answers.append(down(region.far, c, after=1,
                                                                     timeout=30)))
             for c in calls]
    for poll in polls:
        poll.start()
    relay = region.hub.app.state.relay
    deadline = time.monotonic() + 10
    while sum(c.kiosk_polls for c in relay.channels.values()) < 6:  # all six are held
        assert time.monotonic() < deadline, "the polls were not all held"
        time.sleep(0.05)
    seen = region.far.session.get(f"{region.hub.url}/v1/help-requests/{calls[0]}", timeout=10)
    assert seen.status_code == 200 and seen.json()["remote"] is True
    assert len(answers) == 0  # answered while all six were still held
    for call_id in calls:
        region.send(call_id, {"kind": "say", "words": "hello"})
    for poll in polls:
        poll.join(timeout=15)
    assert [a.json()["messages"][0]["words"] for a in answers] == ["hello"] * 6


def test_messages_reach_the_kiosk_in_order_and_once(region):
    call_id = taken_call(region)
    for n in range(3):
        assert region.send(call_id, {"kind": "say", "words": f"sentence {n}"}).status_code == 200
    polled = down(region.far, call_id, after=1).json()["messages"]
    assert [(m["seq"], m["words"]) for m in polled] == [(2, "sentence 0"), (3, "sentence 1"),
                                                        (4, "sentence 2")]
    region.send(call_id, {"kind": "say", "words": "sentence 3"})
    assert [m["seq"] for m in down(region.far, call_id, after=4).json()["messages"]] == [5]


def test_consent_refused_the_desk_never_gets_a_screen(region):
    call_id = taken_call(region)
    with events(region.hub, region.desk) as stream:
        assert up(region.far, call_id, {"kind": "consent", "see": False,
                                         "personal": False}).json() == {"accepted": 1}
        refused = up(region.far, call_id, {"kind": "screen", "model": SCREEN})
        assert refused.status_code == 409 and refused.json()["error"] == "no_consent"
        # a batch: the screen in it is dropped, the rest goes on
        mixed = up(region.far, call_id, {"kind": "screen", "model": SCREEN},
                   {"kind": "done", "ref": 1, "ok": True})
        assert mixed.status_code == 409 and mixed.json()["accepted"] == 1
        # the clerk may speak, nothing else
        assert region.send(call_id, {"kind": "say", "words": "Take your time"}).ok
        for message in ({"kind": "point", "target": "next"}, {"kind": "call"},
                        {"kind": "fill", "field": "account", "value": "1"}):
            assert region.send(call_id, message).status_code == 409
        kinds = [stream.remote()["kind"], stream.remote()["kind"]]
        assert kinds == ["consent", "done"]  # never a screen, in order
        # the citizen says no again: the kiosk ends it; the desk hears who ended it
        up(region.far, call_id, {"kind": "end", "by": "citizen"})
        assert stream.remote() == {"kind": "end", "by": "citizen", "seq": 3, "call": call_id}


def test_consent_given_screens_flow_to_the_desk(region):
    call_id = taken_call(region)
    with events(region.hub, region.desk) as stream:
        up(region.far, call_id, {"kind": "consent", "see": True, "personal": False})
        assert up(region.far, call_id, {"kind": "screen", "model": SCREEN}).json() == {
            "accepted": 1}
        assert stream.remote()["kind"] == "consent"
        shown = stream.remote()
        assert shown["kind"] == "screen" and shown["model"] == SCREEN
        # the clerk points at a control the screen has; the kiosk hears it and answers
        assert region.send(call_id, {"kind": "point", "target": "next",
                                     "words": "tap the green button"}).json() == {"seq": 2}
        polled = down(region.far, call_id, after=1).json()["messages"]
        assert polled == [{"kind": "point", "target": "next", "words": "tap the green button",
                           "seq": 2}]
        up(region.far, call_id, {"kind": "done", "ref": 2, "ok": True})
        assert stream.remote()["ref"] == 2
    # a page opened again gets the consent and the newest screen at once
    with events(region.hub, region.desk) as again:
        assert [again.remote()["kind"], again.remote()["model"]] == ["consent", SCREEN]


def test_a_newer_screen_replaces_one_the_desk_has_not_read(region):
    call_id = taken_call(region)
    up(region.far, call_id, {"kind": "consent", "see": True, "personal": False})
    first, second = {**SCREEN, "title": "first"}, {**SCREEN, "title": "second"}
    up(region.far, call_id, {"kind": "screen", "model": first},
       {"kind": "screen", "model": second})
    with events(region.hub, region.desk) as stream:
        assert stream.remote()["kind"] == "consent"
        assert stream.remote()["model"]["title"] == "second"
        up(region.far, call_id, {"kind": "done", "ref": 1, "ok": True})
        assert stream.remote()["kind"] == "done"  # "first" was never sent


def test_two_pages_of_one_desk_both_follow_the_call(region):
    call_id = taken_call(region)
    up(region.far, call_id, {"kind": "consent", "see": True, "personal": False})
    with events(region.hub, region.desk) as first, events(region.hub, region.desk) as second:
        for stream in (first, second):
            assert stream.remote()["kind"] == "consent"
        up(region.far, call_id, {"kind": "screen", "model": SCREEN},
           {"kind": "signal", "data": {"type": "answer", "sdp": "v=0"}})
        for stream in (first, second):
            assert [stream.remote()["kind"], stream.remote()["kind"]] == ["screen", "signal"]
    # a page opened later gets the consent and the screen, never the old signal
    with events(region.hub, region.desk) as later:
        up(region.far, call_id, {"kind": "done", "ref": 1, "ok": True})
        assert [later.remote()["kind"] for _ in range(3)] == ["consent", "screen", "done"]


@pytest.mark.parametrize("message, words", [
    ({"kind": "teleport"}, "may send messages of these kinds only"),
    ({"kind": "taken", "clerk": "me", "desk": "mine"}, "may send messages of these kinds"),
    ({"kind": "language", "lang": "fr"}, "lang"),
    ({"kind": "text_size", "size": "huge"}, "normal, large, largest"),
    ({"kind": "pause_idle", "on": "yes"}, "true or false"),
    ({"kind": "point"}, "target"),
    ({"kind": "say", "words": "line\nbreak"}, "one line"),
    ({"kind": "signal", "data": "offer"}, "JSON object"),
    ("say hello", "JSON object with a kind"),
])
def test_a_desk_message_of_an_unknown_kind_or_shape_is_refused_in_plain_words(
        region, message, words):
    call_id = taken_call(region)
    up(region.far, call_id, {"kind": "consent", "see": True, "personal": False})
    refused = region.send(call_id, message)
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["message"]
    region.send(call_id, {"kind": "say", "words": "next"})  # the refused one took no seq
    assert down(region.far, call_id, after=1).json()["messages"] == [
        {"kind": "say", "words": "next", "seq": 2}]


def test_a_kiosk_message_of_an_unknown_kind_is_refused(region):
    call_id = taken_call(region)
    refused = up(region.far, call_id, {"kind": "screenshot", "png": "..."})
    assert refused.status_code == 422 and "consent, screen, done" in refused.json()["message"]
    huge = up(region.far, call_id, {"kind": "consent", "see": True},
              {"kind": "screen", "model": {"title": "x" * 20_000}})
    assert huge.status_code == 413 and "KiB" in huge.json()["message"]


def test_another_kiosk_cannot_read_or_write_the_channel(region):
    call_id = taken_call(region)
    assert down(region.home, call_id).status_code == 404
    assert up(region.home, call_id, {"kind": "consent", "see": True}).status_code == 404
    region.send(call_id, {"kind": "say", "words": "hello"})
    # REMOTE.md's shorter address is the same channel
    alias = region.far.session.get(f"{region.hub.url}/v1/help/{call_id}/remote/down",
                                   params={"after": 1}, timeout=10)
    assert [m["words"] for m in alias.json()["messages"]] == ["hello"]
    assert region.far.get(f"/v1/help/{call_id}").json()["clerk"] == "Li Ming"


def test_the_clerk_ends_the_help_and_the_call_closes(region):
    call_id = taken_call(region)
    assert region.desk_post(call_id, "end").json() == {"id": call_id, "state": "closed"}
    assert down(region.far, call_id, after=1).json() == {
        "state": "ended", "messages": [{"kind": "end", "by": "clerk", "seq": 2}]}
    assert down(region.far, call_id, after=2).status_code == 410
    assert status(region.far, call_id)["state"] == "closed"


def test_the_citizen_cancelling_the_call_ends_the_session(region):
    call_id = taken_call(region)
    with events(region.hub, region.desk) as stream:
        assert region.far.post(f"/v1/help-requests/{call_id}/cancel").status_code == 200
        assert stream.remote() == {"kind": "end", "by": "citizen", "seq": 1, "call": call_id}
    assert region.send(call_id, {"kind": "say", "words": "hello?"}).status_code == 410


def test_a_kiosk_that_stops_polling_is_reported_as_a_lost_link(region, clock):
    call_id = taken_call(region)
    with events(region.hub, region.desk) as stream:
        clock.shift_s = LINK_LOST_S + 1
        assert stream.remote() == {"kind": "end", "by": "link", "seq": 1, "call": call_id}
    # the kiosk, if it comes back, hears the same, then the session is gone
    assert down(region.far, call_id, after=1).json()["messages"] == [
        {"kind": "end", "by": "link", "seq": 2}]
    assert down(region.far, call_id, after=2).status_code == 410


def test_a_desk_page_closed_too_long_ends_the_kiosks_session(region, clock):
    call_id = taken_call(region)
    clock.shift_s = LINK_LOST_S + 1  # no desk page open since the take
    polled = down(region.far, call_id, after=1).json()
    assert polled == {"state": "ended", "messages": [{"kind": "end", "by": "link", "seq": 2}]}


def test_nothing_of_the_channel_is_logged(region, caplog):
    """The values a screen or a clerk carries are registered with the session's log audit
    (tests/log_audit.py) and looked for here too, at DEBUG, in every logger."""
    value, typed = secret("6222 0210 0112 3456"), secret("13912345678")
    words = secret("Mrs Chen, tap the green button")
    call_id = taken_call(region)
    with caplog.at_level(logging.DEBUG), events(region.hub, region.desk) as stream:
        up(region.far, call_id, {"kind": "consent", "see": True, "personal": True})
        screen = {**SCREEN, "fields": [{"id": "account", "label": "Account", "value": value,
                                        "masked": False}]}
        up(region.far, call_id, {"kind": "screen", "model": screen})
        region.send(call_id, {"kind": "fill", "field": "phone", "value": typed})
        region.send(call_id, {"kind": "say", "words": words})
        refused = region.send(call_id, {"kind": "fill", "field": "phone", "value": typed,
                                        "extra": "x" * 10, "lang": "fr"})
        assert refused.ok  # fields a kind does not have are left out, never relayed
        assert stream.remote()["kind"] == "consent"
        assert stream.remote()["model"]["fields"][0]["value"] == value
        polled = down(region.far, call_id, after=1).json()["messages"]
        assert [m.get("value") for m in polled if m["kind"] == "fill"] == [typed, typed]
        assert "extra" not in polled[-1]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/remote/" in logged  # the access log saw the channel's requests...
    for kept in (value, typed, words):
        assert kept not in logged  # ...and nothing they carried


def test_the_command_adds_a_regional_desk_that_signs_in(tmp_path):
    """`python -m hub add-desk --region NAME --serves c1,c2`, as an operator types it; the
    token it prints once signs in to /desk/region, which names the centres served."""
    from hub.config import sqlite_url
    from hub.remote.desks import scope_of
    from hub.testing import running_hub
    from tests.hub.test_cli import hub_command

    url = sqlite_url(tmp_path / "hub.sqlite3")
    assert hub_command("migrate", "--database-url", url).returncode == 0
    refused = hub_command("add-desk", "--region", "County hall", "--database-url", url)
    assert refused.returncode == 2 and "--serves" in refused.stderr
    done = hub_command("add-desk", "--region", "County hall", "--serves",
                       "Centre 12, Centre 13,Centre 12", "--database-url", url)
    assert done.returncode == 0, done.stderr
    token = secret(done.stdout.split("token ", 1)[1].split()[0])
    assert "It serves Centre 12, Centre 13." in done.stdout
    with running_hub(url, data_dir=tmp_path) as hub:
        scope = scope_of(hub.app.state.hub.db, "County hall")
        assert (scope.name, scope.centres, scope.regional) == (
            "County hall", ("Centre 12", "Centre 13"), True)
        page = desk_browser(hub, token).get(f"{hub.url}/desk/region", timeout=30)
        assert page.status_code == 200 and "Centre 12, Centre 13" in page.text
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_regional_desk_opening_the_centre_page_is_led_to_its_own(region):
    page = region.desk.get(f"{region.hub.url}/desk", timeout=30)
    assert page.status_code == 200 and page.url.endswith("/desk/region")
    assert region.name in page.text and "远程帮办" in page.text


def test_the_centres_own_desk_page_says_a_remote_clerk_is_helping(region, clock):
    """The centre's desk (the page without JavaScript) sees its call taken from a distance:
    nobody from the room should walk over as if it were still waiting or theirs."""
    call_id = call(region.home)
    clock.shift_s = 121  # not taken at the centre in time: the region's
    assert call_id in ids(region.calls())
    region.take(call_id, "Li Ming")
    centre_desk = desk_browser(region.hub, DEMO_DESK_TOKEN)
    page = centre_desk.get(f"{region.hub.url}/desk", timeout=30).text
    [row] = [row for row in page.split("<tr>") if call_id in row]
    assert f"Li Ming ({region.name}) is helping from a distance" in row
    assert "is going" not in row and "waiting" not in row
    region.desk_post(call_id, "end")
