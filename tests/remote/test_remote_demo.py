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
