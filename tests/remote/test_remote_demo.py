"""The remote help on the kiosk, through the demo backend's in-memory relay (the hub's part,
without HTTP; tests/e2e/test_remote_help.py plays the same against the real hub): consent
asked with the clerk's name, the screen shared field by field with personal values masked,
pointing, speaking, filling through the citizen's checks, the end."""

from __future__ import annotations

import json

from kiosk.speech import spoken
from kiosk.speech.player import Player
from kiosk.speech.script import render
from kiosk.speech.service import SpeechService
from tests.conftest import ELDEST
from tests.remote.scenario import CLERK, call_and_take, latest_screen, whole_journey
from ui.voice import QtVoice
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
    whole_journey(kiosk, qtbot, RelayDesk(kiosk.session.backend), card=ELDEST)


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


def test_the_clerk_sees_the_idle_warning_and_can_pause_the_timer(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    Walker(kiosk).begin("en")
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-yes")
    kiosk.idle.warn()  # the quiet spell ran out
    qtbot.waitUntil(lambda: latest_screen(desk)["screen"] == "timeout_warning", timeout=5000)
    model = latest_screen(desk)
    assert model["title"] == kiosk.idle.warning.heading.text()
    assert [c["id"] for c in model["controls"]] == ["more-time"]
    desk.send(kiosk.help_call.request_id, {"kind": "pause_idle", "on": True})
    qtbot.waitUntil(lambda: not kiosk.idle.warning_shown and kiosk.idle.paused, timeout=5000)
    qtbot.waitUntil(lambda: latest_screen(desk)["screen"] == "menu", timeout=5000)


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


class RecordingVoice:
    """The voice part's side of the hook (kiosk/remote/hooks.py), recording what it is given:
    the real one (aiortc, kiosk/remote/voice.py) is tested with real peers on its own."""

    def __init__(self, link) -> None:
        self.link = link
        self.handled: list[dict] = []
        self.hung_up = self.closed = False

    def handle(self, message: dict) -> None:
        self.handled.append(message)

    def hang_up(self) -> None:
        self.hung_up = True
        self.link.live(False)
        self.link.audit("ended")

    def link_lost(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def test_the_voice_part_gets_its_messages_and_shows_the_call(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    Walker(kiosk).begin("en")
    opened: list[RecordingVoice] = []
    kiosk.remote.open_voice = lambda link: opened.append(RecordingVoice(link)) or opened[-1]
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    call_id = kiosk.help_call.request_id
    desk.send(call_id, {"kind": "say", "words": "Hello, I am Li Ming"})  # words: before too
    qtbot.waitUntil(lambda: kiosk.remote.consent.words.isVisible(), timeout=5000)
    assert kiosk.remote.consent.words.text() == f"{CLERK}: Hello, I am Li Ming"
    desk.send(call_id, {"kind": "call"})  # before consent: refused, the voice part not open
    qtbot.waitUntil(lambda: any(m["kind"] == "done" and not m["ok"] for m in desk.seen()),
                    timeout=5000)
    assert not opened
    walker.tap("remote-consent-yes")
    [voice] = opened
    assert (voice.link.clerk, voice.link.desk) == (CLERK, desk.name)
    desk.send(call_id, {"kind": "call"})
    desk.send(call_id, {"kind": "signal", "data": {"type": "offer", "sdp": "v=0"}})
    qtbot.waitUntil(lambda: len(voice.handled) == 2, timeout=5000)
    assert [m["kind"] for m in voice.handled] == ["call", "signal"]
    voice.link.send({"kind": "signal", "data": {"type": "answer", "sdp": "v=0"}})
    voice.link.live(True)
    voice.link.audit("started")
    qtbot.waitUntil(lambda: kiosk.remote.bar.on_call.isVisible(), timeout=5000)
    assert kiosk.remote.bar.hang_up.isVisible() and not kiosk.remote.bar.details.isVisible()
    assert kiosk.remote.bar.on_call.text() == f"On a call with {CLERK}"
    qtbot.waitUntil(lambda: any(m["kind"] == "signal" for m in desk.seen()), timeout=5000)
    walker.tap("remote-hang-up")
    qtbot.waitUntil(lambda: not kiosk.remote.bar.on_call.isVisible(), timeout=5000)
    assert voice.hung_up and kiosk.remote.active  # the help goes on without the call
    walker.tap("remote-end")
    assert voice.closed
    kiosk.assisted.audit.flush()  # written in the background: all of it, now
    actions = [e["action"] for e in map(json.loads, kiosk.assisted.audit.path.read_text(
        encoding="utf-8").splitlines())]
    assert "remote_call_started" in actions and "remote_call_ended" in actions


class ScriptRecorder(QtVoice):
    """The kiosk's voice, keeping each script it is asked to say instead of synthesising it."""

    def __init__(self) -> None:
        super().__init__(SpeechService(player=Player(None)))
        self.scripts: list[tuple[list, str]] = []

    def say(self, script, lang: str, cue: str = "") -> list[int]:
        self.scripts.append((list(script), lang))
        return []


def shared_at_the_emergency_phone(kiosk, qtbot) -> tuple[Walker, RelayDesk]:
    """The senior allowance up to its emergency phone number, a clerk taking the help call
    and the citizen letting the clerk see the screen."""
    walker = Walker(kiosk)
    walker.begin("en")
    walker.open_service("senior_allowance")
    walker.identify_by_card(ELDEST)
    while kiosk.question.step.id != "emergency_phone":
        walker.answer_current({"lives_alone": True})
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-yes")
    return walker, desk


def test_a_value_the_clerk_fills_is_never_said_through_the_loudspeaker(make_kiosk, qtbot):
    voice = ScriptRecorder()
    kiosk = make_kiosk(voice=voice, help_poll_s=0.1)
    try:
        _walker, desk = shared_at_the_emergency_phone(kiosk, qtbot)
        voice.scripts.clear()
        call_id = kiosk.help_call.request_id
        desk.send(call_id, {"kind": "fill", "field": "emergency_phone", "value": "13912345678"})
        qtbot.waitUntil(lambda: any(m["kind"] == "done" and m["ok"] for m in desk.seen()),
                        timeout=5000)
        desk.send(call_id, {"kind": "say", "words": "Now tap Next"})
        qtbot.waitUntil(lambda: any("Now tap Next" in script for script, _ in voice.scripts),
                        timeout=5000)
        kiosk.repeat()  # the screen said again, with the filled number on it
        assert kiosk.question.field.entry.text() == "13912345678"
        said = " ".join(line for script, lang in voice.scripts
                        for line in render(script, lang, voice.prefs.personal_aloud))
        assert not voice.prefs.personal_aloud  # the loudspeaker, no headset, not chosen
        assert "Now tap Next" in said and "not read aloud" in said
        for form in ("13912345678", "912345678", spoken.digits("13912345678", "en")):
            assert form not in said
    finally:
        voice.close()


def test_a_fill_cut_short_by_the_citizen_tells_the_desk(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    walker, desk = shared_at_the_emergency_phone(kiosk, qtbot)
    value = "13912345678"
    desk.send(kiosk.help_call.request_id, {"kind": "fill", "field": "emergency_phone",
                                           "value": value})
    entry = kiosk.question.field.entry
    qtbot.waitUntil(lambda: 0 < len(entry.text()) < len(value), timeout=5000)  # typing
    walker.tap("back")  # the citizen goes back meanwhile
    qtbot.waitUntil(lambda: any(m["kind"] == "done" for m in desk.seen()), timeout=5000)
    [done] = [m for m in desk.seen() if m["kind"] == "done"]
    assert not done["ok"] and done["message"] == "That field is not on the kiosk's screen now."
    assert not kiosk.remote.filler.busy
