"""The whole call on a real kiosk (Qt, the demo backend's relay): after the citizen's consent
the clerk's peer (aiortc, as the desk page's browser) calls; the kiosk answers through
`open_voice` with its own microphone and speaker, on a private PulseAudio server whose
microphone hears a 660 Hz tone and whose speaker is recorded. "On a call with Li Ming" and
Hang up appear; the desk hears the room and the speaker plays the desk's 440 Hz; the
citizen's Hang up sends the desk a bye and takes the state down; the audit has the call."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from tests.remote.desk_peer import DeskPeer
from tests.remote.scenario import CLERK, call_and_take
from tests.remote.test_remote_demo import RelayDesk
from tests.remote.test_voice_devices import (
    DESK_HZ,
    ROOM_HZ,
    SpeakerRecording,
    room,  # noqa: F401 - the fixture
)
from tests.remote.voice_audio import assert_heard, write_tone
from ui.walker import Walker

TIMEOUT_S = 20
AUDIO_MS = 1500  # of sound both ways once the call is live


class PeerThread:
    """The desk's asyncio loop, on a thread of its own beside Qt's."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, work):
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(TIMEOUT_S)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(TIMEOUT_S)
        self.loop.close()


def signals(desk: RelayDesk) -> list[dict]:
    return [m["data"] for m in desk.seen() if m.get("kind") == "signal"]


@pytest.mark.usefixtures("room")
def test_a_call_on_the_kiosk_with_its_microphone_and_speaker(make_kiosk, qtbot, tmp_path):
    kiosk = make_kiosk(help_poll_s=0.1)
    Walker(kiosk).begin("en")
    desk = RelayDesk(kiosk.session.backend)
    walker = call_and_take(kiosk, qtbot, desk)
    walker.tap("remote-consent-yes")
    call_id = kiosk.help_call.request_id
    bar = kiosk.remote.bar
    heard_at_desk = tmp_path / "at-desk.wav"
    speaker = SpeakerRecording(tmp_path / "speaker.raw")
    peers = PeerThread()

    async def make_peer() -> DeskPeer:
        return DeskPeer(write_tone(tmp_path / "desk.wav", DESK_HZ), heard_at_desk)

    peer = peers.run(make_peer())
    try:
        desk.send(call_id, {"kind": "call"})
        offer: list[dict] = []
        peers.run(peer.offer(offer.append))
        desk.send(call_id, offer[0])
        qtbot.waitUntil(lambda: bool(signals(desk)), timeout=TIMEOUT_S * 1000)
        assert signals(desk)[0]["type"] == "answer"
        peers.run(peer.on_signal(signals(desk)[0]))
        qtbot.waitUntil(bar.on_call.isVisible, timeout=TIMEOUT_S * 1000)
        assert bar.on_call.text() == f"On a call with {CLERK}"
        assert bar.hang_up.isVisible()
        peers.run(asyncio.wait_for(peer.connected.wait(), TIMEOUT_S))
        qtbot.wait(AUDIO_MS)  # the sound to analyse
        kiosk.window.grab().save(str(tmp_path / "kiosk-on-a-call.png"))
        walker.tap("remote-hang-up")
        qtbot.waitUntil(lambda: not bar.on_call.isVisible(), timeout=TIMEOUT_S * 1000)
        qtbot.waitUntil(lambda: signals(desk)[-1]["type"] == "bye", timeout=TIMEOUT_S * 1000)
        assert signals(desk)[-1] == {"type": "bye", "reason": "citizen"}
        assert kiosk.remote.active  # the help goes on without the call
        walker.tap("remote-end")
    finally:
        peers.run(peer.close())
        peers.close()
    heard_at_speaker = speaker.finish(tmp_path / "speaker.wav")
    kiosk.assisted.audit.flush()  # written in the background: all of it, now
    actions = [json.loads(line)["action"] for line in
               kiosk.assisted.audit.path.read_text(encoding="utf-8").splitlines()]
    assert actions.count("remote_call_started") == actions.count("remote_call_ended") == 1
    assert_heard(heard_at_desk, ROOM_HZ)  # the kiosk's microphone, through WebRTC
    assert_heard(heard_at_speaker, DESK_HZ)  # the clerk's voice on the kiosk's speaker
