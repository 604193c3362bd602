"""A private PulseAudio server whose only output is a null sink: it plays in real time, as a
sound card would, on machines that have none (tests, benchmarks, headless demos)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
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
