"""Playing WAV files through a player process that can be stopped at once.

pyttsx3's own `stop()` is unreliable, so interruption is ours: the player is a child process
(`paplay` on a PulseAudio/PipeWire server, else `aplay` on an ALSA card) that `stop()` kills.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_output() -> tuple[list[str] | None, str]:
    """The player command for the sound output found, or None and why there is none."""
    if shutil.which("paplay") and shutil.which("pactl") and _works(["pactl", "info"]):
        return ["paplay"], "PulseAudio/PipeWire"
    if shutil.which("aplay"):
        listing = subprocess.run(["aplay", "-l"], capture_output=True, text=True, timeout=5)
        if "card " in listing.stdout:
            return ["aplay", "-q"], "ALSA"
        return None, "no sound card was found"
    return None, "no audio player (paplay or aplay) is installed"


class Player:
    def __init__(self, command: list[str] | None) -> None:
        self.command = command
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.command is not None

    def play(self, path: Path, wanted: Callable[[], bool] = lambda: True) -> bool:
        """Blocks until played (True) or stopped / failed (False). Call from a worker thread.

        `wanted` is asked under the lock `stop()` takes, so a stop that comes just before the
        player starts still wins."""
        if self.command is None:
            return False
        with self._lock:
            if not wanted():
                return False
            self._process = subprocess.Popen(
                [*self.command, str(path)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
            process = self._process
        return process.wait() == 0

    def stop(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
            self._process = None
