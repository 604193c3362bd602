"""A two-way voice call between two real aiortc peers on this machine: the kiosk's `Talk`
(its own thread and loop) answers the desk's offer; each side sends a tone from a WAV file
(desk 440 Hz, kiosk 660 Hz) and records what arrives, which must be loud enough and the
other side's pitch."""

from __future__ import annotations

import asyncio
import queue

import pytest

from kiosk.remote.voice import Audio, CallState, EndedBy, Talk
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


@pytest.fixture
def tones(tmp_path):
    return (write_tone(tmp_path / "desk.wav", DESK_HZ),
            write_tone(tmp_path / "kiosk.wav", KIOSK_HZ))


def test_both_sides_hear_each_other_and_the_citizen_hangs_up(tmp_path, tones):
    desk_tone, kiosk_tone = tones
    heard_at_kiosk, heard_at_desk = tmp_path / "at-kiosk.wav", tmp_path / "at-desk.wav"

    async def call() -> None:
        loop = asyncio.get_running_loop()
        desk = DeskPeer(desk_tone, heard_at_desk)
        changes = Changes()

        def to_desk(message):  # from the voice thread, as the channel would carry it
            assert message["kind"] == "signal"
            asyncio.run_coroutine_threadsafe(desk.on_signal(message["data"]), loop)

        talk = Talk(to_desk, changes, Audio(source=str(kiosk_tone), sink=str(heard_at_kiosk)))
        try:
            assert talk.handle({"kind": "call"})
            await changes.wait_for(CallState.RINGING)
            await desk.offer(talk.handle)
            await changes.wait_for(CallState.LIVE)
            await asyncio.wait_for(desk.connected.wait(), TIMEOUT_S)
            await asyncio.sleep(AUDIO_S)  # the sound to analyse, not a wait for an event
            talk.hang_up()
            assert await changes.wait_for(CallState.ENDED) == EndedBy.CITIZEN
            await asyncio.wait_for(desk.bye.wait(), TIMEOUT_S)
            assert desk.bye_reason == "citizen"
        finally:
            await desk.close()
            talk.close()

    asyncio.run(call())
    assert_heard(heard_at_kiosk, DESK_HZ)
    assert_heard(heard_at_desk, KIOSK_HZ)
