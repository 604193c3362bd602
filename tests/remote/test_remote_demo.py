"""The remote help on the kiosk, through the demo backend's in-memory relay (the hub's part,
without HTTP; tests/e2e/test_remote_help.py plays the same against the real hub): consent
asked with the clerk's name, the screen shared field by field with personal values masked,
pointing, speaking, filling through the citizen's checks, the end."""

from __future__ import annotations

from tests.conftest import ELDEST
from tests.remote.scenario import CLERK, call_and_take, whole_journey
from ui.walker import Walker


class RelayDesk:
    name = "County hall"

    def __init__(self, backend) -> None:
        self.backend = backend
        self.relay = None

    def take(self, call_id: str) -> None:
        self.relay = self.backend.desk_take_remote(call_id, CLERK, self.name)

    def send(self, call_id: str, message: dict) -> None:
        self.relay.to_kiosk(message)

    def seen(self) -> list[dict]:
        return list(self.relay.up) if self.relay else []


def test_refused_consent_sends_nothing_but_the_refusal(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.complete("senior_allowance", card=ELDEST, submit=False)
    here = kiosk.current()
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-no")
    qtbot.waitUntil(lambda: any(m["kind"] == "end" for m in desk.seen()), timeout=5000)
    assert [m["kind"] for m in desk.seen()] == ["consent", "end"]
    assert desk.seen()[0]["see"] is False
    assert kiosk.current() is here
    assert not kiosk.remote.active
    assert kiosk.remote.submission_extra() == {}


def test_a_whole_journey_with_a_remote_clerk(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    whole_journey(kiosk, qtbot, RelayDesk(kiosk.session.backend), ELDEST)


def test_the_help_ends_itself_when_the_visit_ends(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    Walker(kiosk).begin("zh_CN")
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-yes")
    qtbot.waitUntil(lambda: any(m["kind"] == "screen" for m in desk.seen()), timeout=5000)
    desk.send(kiosk.help_call.request_id, {"kind": "pause_idle", "on": True})
    qtbot.waitUntil(lambda: kiosk.idle.paused, timeout=5000)
    kiosk.end_session()  # the citizen walked away (or the timeout, once the clerk lets it)
    qtbot.waitUntil(lambda: any(m == {"kind": "end", "by": "visit", "seq": len(desk.seen())}
                                for m in desk.seen()), timeout=5000)
    assert not kiosk.remote.active and kiosk.remote.session is None
    assert kiosk.remote.submission_extra() == {}  # nothing of it for the next citizen
    assert not kiosk.idle.paused and kiosk.current() is kiosk.attract


def test_a_point_at_nothing_on_screen_is_refused_in_plain_words(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    Walker(kiosk).begin("en")
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-yes")
    call_id = kiosk.help_call.request_id
    desk.send(call_id, {"kind": "point", "target": "remote-end", "words": "tap here"})
    desk.send(call_id, {"kind": "fill", "field": "phone", "value": "139"})
    qtbot.waitUntil(lambda: len([m for m in desk.seen() if m["kind"] == "done"]) == 2,
                    timeout=5000)
    dones = [m["message"] for m in desk.seen() if m["kind"] == "done"]
    assert dones == ["That button is not on the kiosk's screen now.",
                     "That field is not on the kiosk's screen now."]
    assert not kiosk.remote.ring.isVisible()
