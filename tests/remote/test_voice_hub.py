"""The voice call's signalling through the real hub on loopback: the kiosk's `Talk` reads the
desk's `call` and `signal` messages from its long poll (/remote/down) and posts its answer up
(/remote/up); the desk (aiortc, as the browser would) posts through /desk/calls/{id}/send and
reads the kiosk's messages from its event stream (/desk/events). Both sides hear the other's
tone; the clerk hangs up and the kiosk's call ends."""

from __future__ import annotations

import asyncio
import threading

import pytest

from hub.testing import running_hub
from kiosk.remote.voice import Audio, CallState, EndedBy, Talk
from tests.hub.remote_support import Region, call, down, events, up
from tests.remote.desk_peer import DeskPeer
from tests.remote.test_voice_call import AUDIO_S, DESK_HZ, KIOSK_HZ, TIMEOUT_S, Changes
from tests.remote.voice_audio import assert_heard, write_tone


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(None, data_dir=tmp_path_factory.mktemp("voice_hub")) as running:
        yield running


class KioskChannel:
    """The kiosk's end of the live channel, as kiosk/remote's client runs it: a long poll on a
    thread of its own handing `call`/`signal` messages to the voice part."""

    def __init__(self, region: Region, call_id: str) -> None:
        self.kiosk, self.call_id = region.far, call_id
        self.talk: Talk | None = None
        self._stop = threading.Event()
        self._after = 0
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def send(self, message: dict) -> None:  # from the voice thread
        response = up(self.kiosk, self.call_id, message)
        assert response.status_code in (200, 410), response.text  # 410: the session is over

    def start(self, talk: Talk) -> None:
        self.talk = talk
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            response = down(self.kiosk, self.call_id, self._after, timeout=30)
            if response.status_code != 200:  # the session is over (ended, or gone)
                return
            for message in response.json()["messages"]:
                self._after = max(self._after, message["seq"])
                self.talk.handle(message)

    def stop_after_next(self) -> None:
        """No more polls once the one waiting now has answered."""
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(TIMEOUT_S)


def test_the_call_is_signalled_through_the_hub_and_carries_sound(hub, tmp_path):
    region = Region(hub)
    call_id = call(region.far)
    region.take(call_id)
    assert up(region.far, call_id, {"kind": "consent", "see": True}).status_code == 200
    heard_at_kiosk, heard_at_desk = tmp_path / "at-kiosk.wav", tmp_path / "at-desk.wav"
    channel = KioskChannel(region, call_id)
    changes = Changes()
    talk = Talk(channel.send, changes,
                Audio(source=str(write_tone(tmp_path / "kiosk.wav", KIOSK_HZ)),
                      sink=str(heard_at_kiosk)))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        desk = DeskPeer(write_tone(tmp_path / "desk.wav", DESK_HZ), heard_at_desk)

        def desk_send(message: dict) -> None:
            response = region.send(call_id, message)
            assert response.status_code == 200, response.text

        def desk_reads(stream) -> None:  # the page's event stream, on a thread
            while True:
                message = stream.remote()
                if message.get("kind") == "signal":
                    asyncio.run_coroutine_threadsafe(desk.on_signal(message["data"]), loop)
                    if message["data"]["type"] == "answer":
                        return

        with events(hub, region.desk) as stream:
            reader = threading.Thread(target=desk_reads, args=(stream,), daemon=True)
            reader.start()
            channel.start(talk)
            try:
                desk_send({"kind": "call"})
                await changes.wait_for(CallState.RINGING)
                await desk.offer(desk_send)
                await changes.wait_for(CallState.LIVE)
                await asyncio.wait_for(desk.connected.wait(), TIMEOUT_S)
                await asyncio.sleep(AUDIO_S)  # the sound to analyse
                desk_send({"kind": "signal", "data": {"type": "bye", "reason": "clerk"}})
                assert await changes.wait_for(CallState.ENDED) == EndedBy.CLERK
            finally:
                await desk.close()
                talk.close()
                assert await asyncio.to_thread(talk.wait_closed)
                region.desk_post(call_id, "end")
                await asyncio.to_thread(channel.stop)

    asyncio.run(run())
    assert_heard(heard_at_kiosk, DESK_HZ)
    assert_heard(heard_at_desk, KIOSK_HZ)
