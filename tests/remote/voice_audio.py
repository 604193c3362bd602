"""Tones to send on a voice call and the checks on what arrived: loud enough, and the pitch
that was sent (numpy's FFT), so a connection that carries silence or the wrong side's sound
fails."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 48000  # Opus's own rate: no resampling on the way
SKIP_S = 0.3  # the start of a recording: jitter buffer filling, the tone fading in
SILENCE = 200  # |sample| at most this, before the first sound and after the last, is trimmed
MIN_RMS = 1000  # of 32767: the tone is sent at about 8000; silence and comfort noise are far below
PITCH_TOLERANCE_HZ = 15


def write_tone(path: Path, hz: float, seconds: float = 1.0, amplitude: int = 8000) -> Path:
    """A mono WAV of a sine tone, a whole number of cycles so that it loops without a click."""
    t = np.arange(int(RATE * seconds)) / RATE
    samples = (amplitude * np.sin(2 * np.pi * hz * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


def read_mono(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as found:
        rate, channels = found.getframerate(), found.getnchannels()
        assert found.getsampwidth() == 2, "expected 16-bit samples"
        samples = np.frombuffer(found.readframes(found.getnframes()), dtype="<i2")
    whole = len(samples) // channels * channels  # a recording stopped mid-frame: its last part
    return samples[:whole].reshape(-1, channels).mean(axis=1), rate


def loudness_and_pitch(path: Path) -> tuple[float, float, float]:
    """(RMS, dominant frequency in Hz, seconds analysed) of a recording, from its first sound
    (and SKIP_S more) to its last."""
    samples, rate = read_mono(path)
    loud = np.flatnonzero(np.abs(samples) > SILENCE)
    if len(loud) == 0:
        return 0.0, 0.0, 0.0
    samples = samples[loud[0] + int(SKIP_S * rate):loud[-1] + 1]
    if len(samples) < rate // 10:
        return 0.0, 0.0, len(samples) / rate
    rms = float(np.sqrt(np.mean(samples ** 2)))
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    spectrum[0] = 0
    pitch = float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])
    return rms, pitch, len(samples) / rate


def assert_heard(path: Path, hz: float) -> tuple[float, float]:
    rms, pitch, seconds = loudness_and_pitch(path)
    assert seconds >= 0.5, f"only {seconds:.2f} s of sound was received"
    assert rms > MIN_RMS, f"the received sound is too quiet (RMS {rms:.0f}): nothing got through"
    assert abs(pitch - hz) <= PITCH_TOLERANCE_HZ, f"heard {pitch:.0f} Hz, sent {hz:.0f} Hz"
    return rms, pitch
