"""Short, distinct sounds that say what happened without words: moved on, an error, help is
coming, time is running out. Made as raw PCM when first needed (no binary files in the repo),
at the speech engine's sample rate so they go down the same output stream as the words.
"""

from __future__ import annotations

import math
import struct
from functools import cache

from kiosk.speech.engine import RATE

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


@cache
def cue_pcm(name: str) -> bytes:
    """The cue as signed 16-bit mono samples at RATE."""
    return _samples(CUES[name])


def cue_seconds(name: str) -> float:
    return sum(seconds for _freq, seconds in CUES[name])
