"""A two-way voice call between two real aiortc peers on this machine: the kiosk's `Talk`
(its own thread and loop) answers the desk's offer; each side sends a tone from a WAV file
(desk 440 Hz, kiosk 660 Hz) and records what arrives, which must be loud enough and the
other side's pitch. Then the ways a call ends."""

from __future__ import annotations

import asyncio
import contextlib
import queue

from kiosk.remote.voice import (
    VOICE_BITRATE,
    Audio,
    CallState,
    EndedBy,
    IceServer,
    Talk,
    ice_servers_of,
)
from tests.remote.desk_peer import DeskPeer
from tests.remote.voice_audio import assert_heard, write_tone

DESK_HZ, KIOSK_HZ = 440, 660
AUDIO_S = 1.5  # of sound both ways once the call is live
TIMEOUT_S = 20


class Changes:
    """The kiosk listener's calls, seen from the test's loop."""

    def __init__(self) -> None:
        self.seen: queue.Queue = queue.Queue()

    def __call__(self, state: CallState, ended_by: EndedBy | None) -> None:
        self.seen.put((state, ended_by))

    async def wait_for(self, state: CallState) -> EndedBy | None:
        while True:
            found, ended_by = await asyncio.to_thread(self.seen.get, timeout=TIMEOUT_S)
            if found == state:
                return ended_by


class Call:
    """A kiosk and a desk connected directly (the hub's relay is tested elsewhere)."""

    def __init__(self, tmp_path) -> None:
        self.heard_at_kiosk = tmp_path / "at-kiosk.wav"
        self.heard_at_desk = tmp_path / "at-desk.wav"
        self.desk = DeskPeer(write_tone(tmp_path / "desk.wav", DESK_HZ), self.heard_at_desk)
        self.changes = Changes()
        self.to_desk: list[dict] = []  # every message the kiosk sent
        self.talk = Talk(self._send, self.changes,
                         Audio(source=str(write_tone(tmp_path / "kiosk.wav", KIOSK_HZ)),
                               sink=str(self.heard_at_kiosk)))
        self._loop = asyncio.get_running_loop()

    def _send(self, message) -> None:  # on the voice thread, as the channel would carry it
        assert message["kind"] == "signal"
        self.to_desk.append(message["data"])
        asyncio.run_coroutine_threadsafe(self.desk.on_signal(message["data"]), self._loop)

    async def connect(self, trickle: bool = False) -> None:
        self.talk.handle({"kind": "call"})
        await self.changes.wait_for(CallState.RINGING)
        await self.desk.offer(self.talk.handle, trickle)
        await self.changes.wait_for(CallState.LIVE)
        await asyncio.wait_for(self.desk.connected.wait(), TIMEOUT_S)

    async def close(self) -> None:
        await self.desk.close()
        self.talk.close()
        assert await asyncio.to_thread(self.talk.wait_closed)


@contextlib.asynccontextmanager
async def live_call(tmp_path, trickle: bool = False):
    call = Call(tmp_path)
    try:
        await call.connect(trickle)
        yield call
    finally:
        await call.close()


def test_both_sides_hear_each_other_and_the_citizen_hangs_up(tmp_path):
    async def run() -> Call:
        async with live_call(tmp_path) as call:
            await asyncio.sleep(AUDIO_S)  # the sound to analyse, not a wait for an event
            call.talk.hang_up()
            assert await call.changes.wait_for(CallState.ENDED) == EndedBy.CITIZEN
            await asyncio.wait_for(call.desk.bye.wait(), TIMEOUT_S)
            assert call.desk.bye_reason == "citizen"
        return call

    call = asyncio.run(run())
    assert_heard(call.heard_at_kiosk, DESK_HZ)
    assert_heard(call.heard_at_desk, KIOSK_HZ)


def test_the_kiosk_sends_speech_sized_audio_for_a_village_link(tmp_path):
    """Bytes per 20 ms packet from the kiosk's sender's own counts (no clock involved):
    Opus at VOICE_BITRATE, not aiortc's fixed 96 kbit/s stereo (about 240 bytes a packet)."""
    async def run() -> float:
        async with live_call(tmp_path) as call:
            sender = call.talk._call._pc.getSenders()[0]
            deadline = asyncio.get_running_loop().time() + TIMEOUT_S
            while True:
                sent = next(r for r in (await sender.getStats()).values()
                            if r.type == "outbound-rtp")
                if sent.packetsSent >= 50 or asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.1)
            assert sent.packetsSent >= 50
            return sent.bytesSent / sent.packetsSent * 8 * 50  # 50 packets a second

    bits_per_s = asyncio.run(run())
    assert bits_per_s <= VOICE_BITRATE * 1.3, f"{bits_per_s / 1000:.0f} kbit/s"


def test_a_lost_link_ends_the_call_and_says_why(tmp_path):
    """The hub channel is gone: the kiosk's call ends with "link" (the kiosk says so) and no
    bye is attempted down a channel that is not there."""
    async def run() -> None:
        async with live_call(tmp_path) as call:
            call.talk.link_lost()
            assert await call.changes.wait_for(CallState.ENDED) == EndedBy.LINK
            assert [m["type"] for m in call.to_desk] == ["answer"]

    asyncio.run(run())


def test_a_desk_that_goes_without_a_bye_ends_the_call_as_a_lost_link(tmp_path):
    """The clerk's browser tab closed: the peer connection closes from the far end, and the
    kiosk's call ends (saying the link was lost) instead of staying "on a call" in silence."""
    async def run() -> None:
        async with live_call(tmp_path) as call:
            await call.desk.pc.close()
            assert await call.changes.wait_for(CallState.ENDED) == EndedBy.LINK
            assert call.to_desk[-1] == {"type": "bye", "reason": "link"}

    asyncio.run(run())


def test_trickled_candidates_are_taken_and_a_broken_one_is_ignored(tmp_path):
    """The desk page trickles candidates found after its offer (a slow TURN server)."""
    async def run() -> None:
        async with live_call(tmp_path, trickle=True) as call:
            for line in ("candidate:7 1 UDP 16777215 192.0.2.77 50999 typ relay "
                         "raddr 0.0.0.0 rport 0", "candidate:not a candidate", ""):
                call.talk.handle({"kind": "signal", "data": {
                    "type": "candidate", "candidate": line, "sdpMid": "0",
                    "sdpMLineIndex": 0}})
            ice = call.talk._call._pc.getTransceivers()[0].receiver.transport.transport
            deadline = asyncio.get_running_loop().time() + TIMEOUT_S
            while "192.0.2.77" not in {c.ip for c in ice.getRemoteCandidates()}:
                assert asyncio.get_running_loop().time() < deadline, "the candidate was lost"
                await asyncio.sleep(0.02)
            call.talk.hang_up()  # the broken one changed nothing: the call is still on
            assert await call.changes.wait_for(CallState.ENDED) == EndedBy.CITIZEN
            assert [m["type"] for m in call.to_desk] == ["answer", "bye"]

    asyncio.run(run())


def test_a_second_offer_during_a_call_is_refused_and_the_call_goes_on(tmp_path):
    async def run() -> None:
        async with live_call(tmp_path) as call:
            call.talk.handle({"kind": "signal", "data": {"type": "offer", "sdp": "v=0"}})
            deadline = asyncio.get_running_loop().time() + TIMEOUT_S
            while len(call.to_desk) < 2:
                assert asyncio.get_running_loop().time() < deadline
                await asyncio.sleep(0.02)
            assert call.to_desk[1] == {"type": "bye", "reason": "refused"}
            assert call.talk.state == CallState.LIVE

    asyncio.run(run())


def test_an_unusable_offer_ends_the_call_with_a_reason(tmp_path):
    async def run() -> None:
        call = Call(tmp_path)
        try:
            call.talk.handle({"kind": "signal", "data": {"type": "offer", "sdp": "not sdp"}})
            assert await call.changes.wait_for(CallState.ENDED) == EndedBy.FAILED
            assert call.to_desk == [{"type": "bye", "reason": "failed"}]
        finally:
            await call.close()

    asyncio.run(run())


def test_the_offer_brings_the_turn_servers_and_bad_entries_are_left_out():
    offer = {"type": "offer", "sdp": "v=0", "ice_servers": [
        {"urls": ["turn:t.example:3478?transport=udp", "turns:t.example:5349"],
         "username": "1800:desk", "credential": "c"},
        {"urls": "stun:t.example:3478"},
        {"urls": "http://not-ice"}, "nonsense", {"urls": 5}]}
    assert ice_servers_of(offer) == (
        IceServer("turn:t.example:3478?transport=udp", "1800:desk", "c"),
        IceServer("turns:t.example:5349", "1800:desk", "c"),
        IceServer("stun:t.example:3478"))
    assert ice_servers_of({"type": "offer", "sdp": "v=0"}) == ()


def test_closing_the_session_ends_the_call_and_later_messages_start_nothing(tmp_path):
    async def run() -> None:
        call = Call(tmp_path)
        await call.connect()
        call.talk.close()  # never blocks: the GUI thread calls it
        assert await call.changes.wait_for(CallState.ENDED) == EndedBy.SESSION
        assert await asyncio.to_thread(call.talk.wait_closed)
        assert call.to_desk[-1] == {"type": "bye", "reason": "session"}
        call.talk.handle({"kind": "call"})  # too late: no new thread, no ringing
        assert call.talk.wait_closed(0.1)
        assert call.changes.seen.empty()
        await call.desk.close()

    asyncio.run(run())


def test_a_channel_that_refuses_the_bye_does_not_keep_the_call_on(tmp_path):
    """The hub answers 410 (the session just ended) or the network fails as the kiosk sends
    its bye: the call still ends, and the microphone and speaker are let go."""
    async def run() -> None:
        async with live_call(tmp_path) as call:
            refused = []

            def refuse(message):
                refused.append(message)
                raise ConnectionError("the hub did not answer")

            call.talk._send_message = refuse
            call.talk.hang_up()
            assert await call.changes.wait_for(CallState.ENDED) == EndedBy.CITIZEN
            assert refused == [{"kind": "signal", "data": {"type": "bye", "reason": "citizen"}}]
            assert call.talk._call is None

    asyncio.run(run())
