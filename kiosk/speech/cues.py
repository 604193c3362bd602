"""Short, distinct sounds that say what happened without words: moved on, an error, help is
coming, time is running out. Made as WAV files when first needed (no binary files in the repo).
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
# (frequency Hz, seconds) notes; 0 Hz is a rest. Rising = forward, low double = error,
# three rising = help is coming, four even ticks = the clock, one tick = a key was typed.
CUES: dict[str, tuple[tuple[float, float], ...]] = {
    "next": ((660, 0.09), (0, 0.02), (880, 0.12)),
    "error": ((220, 0.16), (0, 0.06), (196, 0.22)),
    "help": ((523, 0.12), (659, 0.12), (784, 0.24)),
    "key": ((1200, 0.03),),
    "idle": ((1000, 0.06), (0, 0.19), (1000, 0.06), (0, 0.19), (1000, 0.06), (0, 0.19),
             (1000, 0.06)),
}


def _samples(notes: tuple[tuple[float, float], ...]) -> bytes:
    frames = bytearray()
    for freq, seconds in notes:
        count = int(RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 200, (count - i) / 200)  # no clicks at the edges
            value = 0.45 * fade * math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
            frames += struct.pack("<h", int(value * 32767))
    return bytes(frames)


def cue_file(name: str, folder: Path) -> Path:
    path = folder / f"cue-{name}.wav"
    if not path.exists():
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(_samples(CUES[name]))
    return path
