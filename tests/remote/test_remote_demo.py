"""The remote help on the kiosk, through the demo backend's in-memory relay (the hub's part,
without HTTP): consent asked with the clerk's name, the screen shared field by field with
personal values masked, pointing, speaking, filling through the citizen's checks, the end."""


from tests.conftest import ELDEST
from ui.walker import Walker


def take(kiosk, qtbot, clerk="Li Ming", desk="County hall"):
    walker = Walker(kiosk)
    walker.tap("help")
    walker.tap("call-staff")
    backend = kiosk.session.backend
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=5000)
    relay = backend.desk_take_remote(kiosk.help_call.request_id, clerk, desk)
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.remote.consent, timeout=5000)
    return walker, relay


def screens(relay):
    return [m["model"] for m in relay.up if m["kind"] == "screen"]


def test_refused_consent_sends_nothing_but_the_refusal(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.complete("senior_allowance", card=ELDEST, submit=False)
    here = kiosk.current()
    walker, relay = take(kiosk, qtbot)
    consent = kiosk.remote.consent
    assert "Li Ming at County hall" in consent.question.text()
    walker.tap("remote-consent-no")
    qtbot.waitUntil(lambda: any(m["kind"] == "end" for m in relay.up), timeout=5000)
    assert [m["kind"] for m in relay.up] == ["consent", "end"]
    assert relay.up[0]["see"] is False
    assert kiosk.current() is here
    assert not kiosk.remote.active


def test_the_clerk_sees_points_says_and_fills(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.tap("service-senior_allowance")
    walker, relay = take(kiosk, qtbot)
    walker.tap("remote-consent-yes")
    qtbot.waitUntil(lambda: bool(screens(relay)), timeout=5000)
    model = screens(relay)[-1]
    assert model["title"] == kiosk.current().title("en")
    assert kiosk.remote.bar.isVisible()
    relay.to_kiosk({"kind": "point", "target": "next", "words": "tap the green button"})
    qtbot.waitUntil(lambda: kiosk.remote.ring.isVisible(), timeout=5000)
    assert kiosk.remote.ring.target is kiosk.window.next
    assert "tap the green button" in kiosk.remote.bar.words.text()
    relay.to_kiosk({"kind": "end", "by": "clerk"})
    qtbot.waitUntil(lambda: not kiosk.remote.active, timeout=5000)
    assert not kiosk.remote.bar.isVisible()
