"""The call's microphone and speaker (or handset): raw PCM through the same sound tools the
kiosk's speech uses (kiosk/speech/player.py): `parec`/`pacat` on a PulseAudio or PipeWire
server, else `arecord`/`aplay` on an ALSA card. (PyAV's own ALSA is built for another
machine's paths and finds no device.) Each end is a process of its own, read and written
from the call's asyncio loop."""

from __future__ import annotations

import asyncio
import contextlib
import fractions

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from kiosk.speech.player import find_output

RATE = 48000  # Opus's rate: nothing resampled on the way out
FRAME_SAMPLES = RATE // 50  # 20 ms, one Opus packet
LATENCY_MS = 60  # the speaker's buffer: enough for a busy kiosk, short enough to talk over
# without a process time the server may hand parec its first sound only after seconds
PULSE_IN = ["parec", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
            "--latency-msec=20", "--process-time-msec=10", "--client-name=kiosk",
            "--stream-name=call-microphone"]
PULSE_OUT = ["pacat", "--playback", "--raw", "--format=s16le", f"--rate={RATE}",
             "--channels=1", f"--latency-msec={LATENCY_MS}", "--client-name=kiosk",
             "--stream-name=call"]
ALSA_IN = ["arecord", "-q", "-t", "raw", "-f", "S16_LE", f"-r{RATE}", "-c1"]
ALSA_OUT = ["aplay", "-q", "-t", "raw", "-f", "S16_LE", f"-r{RATE}", "-c1",
            f"--buffer-time={LATENCY_MS * 1000}"]


class NoSoundDevice(RuntimeError):
    """No sound server or card: the call cannot be answered (the reason in plain words)."""


def commands() -> tuple[list[str], list[str]]:
    """(microphone, speaker) commands for the sound system found."""
    found, why = find_output()
    if found is None:
        raise NoSoundDevice(why)
    return (PULSE_IN, PULSE_OUT) if found[0] == "pacat" else (ALSA_IN, ALSA_OUT)


async def _start(command: list[str], **pipes) -> asyncio.subprocess.Process:
    try:
        return await asyncio.create_subprocess_exec(
            *command, stderr=asyncio.subprocess.DEVNULL, **pipes)
    except OSError as fault:
        raise NoSoundDevice(f"{command[0]} could not be started") from fault


async def _end(process: asyncio.subprocess.Process | None) -> None:
    if process is None or process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    await process.wait()


class Microphone(MediaStreamTrack):
    """What the kiosk's microphone hears, 20 ms at a time, paced by the device itself."""

    kind = "audio"

    def __init__(self, command: list[str]) -> None:
        super().__init__()
        self._command = command
        self._process: asyncio.subprocess.Process | None = None
        self._pts = 0

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._process is None:
            self._process = await _start(self._command, stdout=asyncio.subprocess.PIPE)
        try:
            data = await self._process.stdout.readexactly(FRAME_SAMPLES * 2)
        except asyncio.IncompleteReadError:  # the device or sound server went away
            self.stop()
            raise MediaStreamError from None
        samples = np.frombuffer(data, dtype="<i2").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate, frame.pts = RATE, self._pts
        frame.time_base = fractions.Fraction(1, RATE)
        self._pts += FRAME_SAMPLES
        return frame

    def stop(self) -> None:
        super().stop()
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()


class Speaker:
    """Plays a received track on the kiosk's speaker (or handset): aiortc's MediaRecorder
    shape (addTrack, start, stop), so a WAV recorder can stand in for it in tests."""

    def __init__(self, command: list[str]) -> None:
        self._command = command
        self._tracks: list[MediaStreamTrack] = []
        self._tasks: list[asyncio.Task] = []
        self._processes: list[asyncio.subprocess.Process] = []

    def addTrack(self, track: MediaStreamTrack) -> None:
        self._tracks.append(track)

    async def start(self) -> None:
        for track in self._tracks:
            process = await _start(self._command, stdin=asyncio.subprocess.PIPE)
            self._processes.append(process)
            self._tasks.append(asyncio.ensure_future(self._play(track, process)))
        self._tracks = []

    @staticmethod
    async def _play(track: MediaStreamTrack, process: asyncio.subprocess.Process) -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            for out in resampler.resample(frame):
                process.stdin.write(out.to_ndarray().tobytes())
            try:
                await process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                return  # the sound server went away: the call goes on without sound

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for process in self._processes:
            await _end(process)
        self._tasks, self._processes = [], []
