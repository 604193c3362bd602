"""The call through the kiosk's own sound devices, as `open_voice` makes it: a private
PulseAudio server (tests/null_sink.py) whose default source, the microphone, hears a steady
660 Hz tone (module-sine-source), and whose null sink, the speaker, is recorded. The desk
(aiortc, 440 Hz) must hear the room, the speaker must play the desk; the "On a call" state
and the audit follow the call; the clerk hangs up."""

from __future__ import annotations

import asyncio
import queue
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from kiosk.remote.hooks import VoiceLink
from kiosk.remote.voice import open_voice
from tests.remote.desk_peer import DeskPeer
from tests.remote.voice_audio import RATE, assert_heard, write_tone

DESK_HZ, ROOM_HZ = 440, 660
AUDIO_S = 1.5
TIMEOUT_S = 20


@pytest.fixture
def room(sound_server):
    """The microphone: a source that hears a steady 660 Hz tone, made the default source."""
    loaded = subprocess.run(["pactl", "load-module", "module-sine-source", "source_name=room",
                             f"frequency={ROOM_HZ}", f"rate={RATE}"],
                            capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["pactl", "set-default-source", "room"], check=True)
    yield
    subprocess.run(["pactl", "set-default-source", "kiosk.monitor"], check=True)
    subprocess.run(["pactl", "unload-module", loaded], check=True)


class SpeakerRecording:
    """What reaches the kiosk's speaker sink. A null sink that has been idle passes nothing
    for its first seconds (a sound card runs at once): a silent stream keeps it running, and
    the recording starts before the call. After the call it goes on until it has caught up
    with the clock."""

    def __init__(self, path) -> None:
        self.path = path
        with Path("/dev/zero").open("rb") as zeros, path.open("wb") as out:
            self._silence = subprocess.Popen(
                ["pacat", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
                 "--latency-msec=20", "--stream-name=keeps-the-sink-running"], stdin=zeros)
            self.started = time.monotonic()
            self._process = subprocess.Popen(
                ["parec", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
                 "--device=kiosk.monitor", "--latency-msec=5", "--process-time-msec=5"],
                stdout=out)
        self._wait_for_seconds(0.1)  # the sink runs

    def _wait_for_seconds(self, seconds: float) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while self.path.stat().st_size < seconds * RATE * 2:
            assert time.monotonic() < deadline, "the speaker's sink could not be recorded"
            time.sleep(0.05)

    def finish(self, wav):
        # the sink's clock starts at its first sound or earlier: by the time the file is as
        # long as the wall-clock time since the recording began, all of the call is in it
        self._wait_for_seconds(time.monotonic() - self.started)
        for process in (self._process, self._silence):
            process.kill()
            process.wait()
        with wave.open(str(wav), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(np.frombuffer(self.path.read_bytes(), dtype="<i2").tobytes())
        return wav


def test_the_call_uses_the_kiosk_microphone_and_speaker(room, tmp_path):
    heard_at_desk = tmp_path / "at-desk.wav"
    shown, audited = queue.Queue(), []

    async def call() -> None:
        loop = asyncio.get_running_loop()
        desk = DeskPeer(write_tone(tmp_path / "desk.wav", DESK_HZ), heard_at_desk)

        def to_desk(message):
            asyncio.run_coroutine_threadsafe(desk.on_signal(message["data"]), loop)

        talk = open_voice(VoiceLink(send=to_desk, live=shown.put, audit=audited.append,
                                    clerk="Li Ming", desk="County hall"))
        try:
            talk.handle({"kind": "call"})
            await desk.offer(talk.handle)
            assert await asyncio.to_thread(shown.get, timeout=TIMEOUT_S) is True
            await asyncio.wait_for(desk.connected.wait(), TIMEOUT_S)
            await asyncio.sleep(AUDIO_S)  # the sound to analyse
            talk.handle({"kind": "signal", "data": {"type": "bye"}})  # the clerk hangs up
            assert await asyncio.to_thread(shown.get, timeout=TIMEOUT_S) is False
        finally:
            await desk.close()
            talk.close()
            assert await asyncio.to_thread(talk.wait_closed)

    speaker = SpeakerRecording(tmp_path / "speaker.raw")
    asyncio.run(call())
    heard_at_speaker = speaker.finish(tmp_path / "speaker.wav")
    assert audited == ["started", "ended"]
    assert_heard(heard_at_desk, ROOM_HZ)
    assert_heard(heard_at_speaker, DESK_HZ)


def test_a_kiosk_without_sound_refuses_the_call_plainly(tmp_path, monkeypatch):
    """No sound tools or server (a kiosk set up without them): the offer is answered with a
    bye saying why, "On a call" never shows, nothing is audited as a call."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no pactl, pacat, aplay: nothing to play with
    shown, audited, sent = queue.Queue(), [], queue.Queue()

    async def call() -> None:
        desk = DeskPeer(write_tone(tmp_path / "desk.wav", DESK_HZ), tmp_path / "at-desk.wav")
        talk = open_voice(VoiceLink(send=sent.put, live=shown.put, audit=audited.append))
        try:
            await desk.offer(talk.handle)
            bye = await asyncio.to_thread(sent.get, timeout=TIMEOUT_S)
            assert bye == {"kind": "signal", "data": {"type": "bye", "reason": "failed"}}
            assert await asyncio.to_thread(shown.get, timeout=TIMEOUT_S) is False
        finally:
            await desk.close()
            talk.close()
            assert await asyncio.to_thread(talk.wait_closed)

    asyncio.run(call())
    assert shown.empty() and audited == []
