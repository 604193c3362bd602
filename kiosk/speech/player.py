"""One output stream, kept open, fed raw PCM: words and cues go down it one after another.

A player process per sentence costs its start and its connection to the sound server before
the first sample; a long-lived one (`pacat --raw` on a PulseAudio/PipeWire server, else
`aplay` reading raw PCM on an ALSA card) costs nothing per sentence. Interruption is ours:
`stop()` kills the stream if it still holds sound (whatever it buffered goes with it) and a
spare stream, already connected, takes over for the next words.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable

from kiosk.speech.engine import RATE

LATENCY_MS = 30  # what the sound server buffers ahead; it also starts playing after this much
BYTES_PER_S = 2 * RATE
PULSE = ["pacat", "--playback", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
         f"--latency-msec={LATENCY_MS}", "--client-name=kiosk", "--stream-name=speech"]
ALSA = ["aplay", "-q", "-t", "raw", "-f", "S16_LE", f"-r{RATE}", "-c1",
        f"--buffer-time={LATENCY_MS * 2000}"]


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_output() -> tuple[list[str] | None, str]:
    """The stream command for the sound output found, or None and why there is none."""
    if shutil.which("pacat") and shutil.which("pactl") and _works(["pactl", "info"]):
        return PULSE, "PulseAudio/PipeWire"
    if shutil.which("aplay"):
        listing = subprocess.run(["aplay", "-l"], capture_output=True, text=True, timeout=5)
        if "card " in listing.stdout:
            return ALSA, "ALSA"
        return None, "no sound card was found"
    return None, "no audio player (paplay or aplay) is installed"


def _live(process: subprocess.Popen | None) -> bool:
    return process is not None and process.poll() is None


class Player:
    """Thread-safe. `write()` blocks while the stream is full (call it from a worker thread);
    `stop()` never blocks."""

    def __init__(self, command: list[str] | None) -> None:
        self.command = command
        self._lock = threading.Lock()
        self._stream: subprocess.Popen | None = None
        self._spare: subprocess.Popen | None = None
        self._stopped: list[subprocess.Popen] = []
        self._spares = True  # keep a spare stream connected, ready to take over
        self.ends_at = 0.0  # time.monotonic() when what was written has played

    @property
    def available(self) -> bool:
        return self.command is not None

    @property
    def pid(self) -> int | None:
        """The stream's process (tests check that it lasts across sentences)."""
        stream = self._stream
        return stream.pid if stream is not None else None

    @property
    def playing(self) -> bool:
        """The stream is up: False once its process has died (the sound server went away)."""
        return _live(self._stream)

    def warm(self) -> None:
        """Connects the stream and its spare now, so the first words do not wait for it."""
        if self.command is not None:
            self._replenish()
            with self._lock:
                self._take()
            self._replenish()

    def write(self, pcm: bytes, wanted: Callable[[], bool] = lambda: True) -> float | None:
        """Queues `pcm` behind what is still playing. Returns the time it starts to play, or
        None if it will not: stopped (`wanted` is asked under the lock `stop()` takes, so a
        stop just before the write still wins) or the output failed."""
        if self.command is not None and not _live(self._stream):
            self._replenish()  # the spare that takes over, started outside the lock
        with self._lock:
            if self.command is None or not wanted():
                return None
            if self._stream is not None and self._stream.poll() is not None:
                self._stopped.append(self._stream)  # died by itself (the server went away?)
                self._stream = None
                if time.monotonic() < self.ends_at + 0.2:
                    return None  # it took sound with it: this utterance is lost
            stream = self._take()
            start = max(time.monotonic(), self.ends_at)
            self.ends_at = start + len(pcm) / BYTES_PER_S
        try:
            view = memoryview(pcm)
            while view:
                view = view[os.write(stream.stdin.fileno(), view):]
        except OSError:  # stopped meanwhile (killed), or the output process died
            return None
        self._replenish()
        return start

    def _take(self) -> subprocess.Popen:
        """The stream, or the spare if there is none; called under the lock. (Starting a
        process here, which would keep stop() waiting, happens only if the spare just died.)"""
        for process in [p for p in self._stopped if p.poll() is not None]:
            process.stdin.close()  # only this (the writing) thread writes to it
            self._stopped.remove(process)
        if self._stream is None or self._stream.poll() is not None:
            spare, self._spare = self._spare, None
            if spare is not None and not _live(spare):
                self._spares = False  # it ended by itself: see _replenish
                self._stopped.append(spare)
            self._stream = spare if _live(spare) else self._start()
            self.ends_at = 0.0
        return self._stream

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, bufsize=0, env=os.environ.copy())

    def _replenish(self) -> None:
        if _live(self._spare) or not self._spares:
            return
        spare = self._start()  # outside the lock: stop() must never wait for a process start
        with self._lock:
            if not _live(self._spare):
                if self._spare is not None:
                    # it ended by itself: an output that takes one stream at a time (an ALSA
                    # card without dmix). From now on a stream is started when one is needed.
                    self._spares = False
                    self._stopped.append(self._spare)
                spare, self._spare = None, spare
        if spare is not None:
            self._end(spare)

    def stop(self) -> None:
        with self._lock:
            # what the server buffers plays a little after our estimate: allow for it
            if self._stream is not None and time.monotonic() < self.ends_at + 0.2:
                self._stream.kill()
                self._stopped.append(self._stream)
                self._stream = None
            self.ends_at = 0.0

    def close(self) -> None:
        with self._lock:
            processes = [p for p in (self._stream, self._spare, *self._stopped) if p]
            self._stream = self._spare = None
            self._stopped = []
        for process in processes:
            self._end(process)

    @staticmethod
    def _end(process: subprocess.Popen) -> None:
        process.kill()
        process.wait()
        with contextlib.suppress(OSError):
            process.stdin.close()
