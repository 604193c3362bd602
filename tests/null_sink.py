"""A private PulseAudio server whose only output is a null sink: it plays in real time, as a
sound card would, on machines that have none (tests, benchmarks); and a recorder of what
reaches it, to hear the kiosk where the ear is."""

from __future__ import annotations

import array
import contextlib
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def null_sound_server() -> Iterator[str]:
    """Starts the server, points PULSE_SERVER at it for this process, yields its address."""
    if not shutil.which("pulseaudio"):
        raise RuntimeError("pulseaudio is not installed (./kiosk.sh installs it)")
    runtime = Path(tempfile.mkdtemp(prefix="kiosk-pulse-"))
    address = f"unix:{runtime / 'native'}"
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
         "--use-pid-file=no", "-L", "module-null-sink sink_name=kiosk",
         "-L", f"module-native-protocol-unix socket={runtime / 'native'} auth-anonymous=1"],
        env={**os.environ, "PULSE_RUNTIME_PATH": str(runtime), "HOME": str(runtime)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = address
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], capture_output=True).returncode != 0:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the null-sink sound server did not start")
            time.sleep(0.1)
        yield address
    finally:
        if before is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = before
        server.kill()
        server.wait()
        shutil.rmtree(runtime, ignore_errors=True)


class Monitor:
    """Records the null sink's monitor: what reached the sound output, and when.

    Sample k of the recording left the sink at `t0 + k / RATE`. t0 is the earliest that the
    reads allow (a block is never read before its samples exist), so a busy machine that reads
    late does not shift the times, and every figure carries the same small capture latency."""

    RATE = 22050
    THRESHOLD = 100  # |sample| above this is sound (about -50 dBFS); the null sink's silence is 0

    def __init__(self, sink: str = "kiosk") -> None:
        self._process = subprocess.Popen(
            ["parec", "--raw", "--format=s16le", f"--rate={self.RATE}", "--channels=1",
             f"--device={sink}.monitor", "--latency-msec=5"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self._samples = array.array("h")
        self._lock = threading.Lock()
        self.t0 = float("inf")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        pending = b""
        while block := os.read(self._process.stdout.fileno(), 4096):
            now = time.monotonic()
            pending += block
            whole = len(pending) - len(pending) % 2
            with self._lock:
                self._samples.frombytes(pending[:whole])
                self.t0 = min(self.t0, now - len(self._samples) / self.RATE)
            pending = pending[whole:]

    def now(self) -> float:
        """The time of the newest sample recorded."""
        with self._lock:
            return self.t0 + len(self._samples) / self.RATE

    def first_sound(self, after: float, until: float = float("inf")) -> float | None:
        """When the first sample louder than silence reached the output after `after`."""
        with self._lock:
            start = max(0, math.ceil((after - self.t0) * self.RATE))
            end = len(self._samples) if until == float("inf") \
                else min(len(self._samples), max(start, int((until - self.t0) * self.RATE)))
            samples = self._samples[start:end]
        for k, value in enumerate(samples):
            if abs(value) > self.THRESHOLD:
                return self.t0 + (start + k) / self.RATE
        return None

    def wait_for_sound(self, after: float, timeout: float = 10) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (found := self.first_sound(after)) is not None:
                return found
            time.sleep(0.005)
        return None

    def wait_for_silence(self, seconds: float, timeout: float = 10) -> bool:
        """Until the last `seconds` recorded were silent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            newest = self.now()
            if newest - seconds > self.t0 and self.first_sound(newest - seconds, newest) is None:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._process.kill()
        self._process.wait()
        self._reader.join(timeout=2)
