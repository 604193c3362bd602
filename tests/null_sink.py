"""A private PulseAudio server whose only output is a null sink: it plays in real time, as a
sound card would, on machines that have none (tests, benchmarks); and a recorder of what
reaches it, to hear the kiosk where the ear is."""

from __future__ import annotations

import array
import contextlib
import os
import shutil
import subprocess
import sys
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


RATE = 22050
THRESHOLD = 100  # |sample| above this is sound (about -50 dBFS); the null sink's silence is 0
GAP_S = 0.002  # sound after at least this much silence is an onset
LEAD_S = 0.05


def _record(sink: str) -> None:
    """The recorder, in a process of its own so that a busy caller cannot delay its clock.
    Prints "o TIME" for each onset and "h NEWEST LAST_LOUD" for each block read."""
    parec = subprocess.Popen(
        ["parec", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
         f"--device={sink}.monitor", "--latency-msec=5"], stdout=subprocess.PIPE, bufsize=0)
    quiet, last_loud, pending = GAP_S * RATE, 0.0, b""
    while block := os.read(parec.stdout.fileno(), 4096):
        now = time.monotonic()
        pending += block
        whole = len(pending) - len(pending) % 2
        samples = array.array("h", pending[:whole])
        pending = pending[whole:]
        lines = []
        for k, value in enumerate(samples):
            if abs(value) > THRESHOLD:
                at = now - (len(samples) - k) / RATE  # the block came as its last sample did
                if quiet >= GAP_S * RATE:
                    lines.append(f"o {at!r}")
                quiet, last_loud = 0, at
            else:
                quiet += 1
        lines.append(f"h {now!r} {last_loud!r}")
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()


class Monitor:
    """What reached the null sink (its monitor, recorded), and when: the times are those at
    which the recorder received the samples, so they include its small capture latency."""

    def __init__(self, sink: str = "kiosk") -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", __file__, sink], stdout=subprocess.PIPE, text=True)
        self.onsets: list[float] = []
        self.newest = self.last_loud = 0.0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 10
        while not self.newest:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError("the sink's monitor could not be recorded")
            time.sleep(0.01)

    def _read(self) -> None:
        for line in self._process.stdout:
            kind, *times = line.split()
            if kind == "o":
                self.onsets.append(float(times[0]))
            else:
                self.last_loud, self.newest = float(times[1]), float(times[0])

    def first_sound(self, after: float) -> float | None:
        """The first onset of sound at or after `after`. The sink renders a little ahead of
        real time (as a card's buffer is filled ahead of the speaker), so sound written at
        `after` can show up to LEAD_S before it: wait for silence first, then ask."""
        return next((t for t in list(self.onsets) if t >= after - LEAD_S), None)

    def wait_for_sound(self, after: float, timeout: float = 10) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (found := self.first_sound(after)) is not None:
                return found
            time.sleep(0.005)
        return None

    def quiet_for(self) -> float:
        """How long the output has been silent."""
        return self.newest - self.last_loud

    def wait_for_silence(self, seconds: float, timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.quiet_for() >= seconds:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._process.kill()
        self._process.wait()
        self._reader.join(timeout=2)


if __name__ == "__main__":
    _record(sys.argv[1])
