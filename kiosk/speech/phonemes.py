"""What a Chinese voice really says: espeak-ng's own phonemes for a text, and a check that every
Han character became one Mandarin (or Cantonese) syllable with its tone.

Audio length proves nothing: espeak-ng 1.51's `sit/cmn` reads 办好了 as English pinyin with the
tone digits said aloud, `(en)banf'o@_| h,eI@Tr'i:_| lEf'aIv(cmn)` ("ban four, hao three, le
five"; espeak-ng issue 1236), while `sit/cmn-latn-pinyin` gives `p'a51n_| X'Au214_| l'@11_|`.
In espeak's phoneme names a Chinese syllable carries its tone as digits (51, 214, 11; 1 to 7 in
Cantonese), and a stretch read as another language sits between `(en)` and `(cmn)` markers.

The phonemes come from the same libespeak-ng, with the voice chosen by the same call
(`espeak_SetVoiceByName`) that pyttsx3 makes when the synthesiser sets a voice; only the
synthesis itself is left out. Like the synthesiser, the library runs in a child process of its
own (`python -m kiosk.speech.phonemes VOICE`, texts as JSON on stdin): the kiosk's process
holds no espeak state, and the child reads the same espeak-ng data the engine does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import re
import string
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NATIVE = ("cmn", "yue")  # espeak's names for the Chinese phoneme sets; any other is foreign
_SWITCH = re.compile(r"\(([A-Za-z-]+)\)")
_TONE = re.compile(r"\d+")
_LATIN = re.compile(r"[A-Za-z]+")

_RETRIEVAL = 1  # AUDIO_OUTPUT_RETRIEVAL: no sound device is opened
_DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: a missing data folder is an error, not exit()
_UTF8 = 1  # espeakCHARS_UTF8
TIMEOUT_S = 60
ROOT = Path(__file__).resolve().parents[2]  # the child imports this very kiosk package


class PhonemeError(RuntimeError):
    pass


class _Voice(ctypes.Structure):  # the head of espeak_VOICE: all that is read here
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p),
                ("identifier", ctypes.c_char_p)]


def _library() -> ctypes.CDLL:
    path = ctypes.util.find_library("espeak-ng")
    if path is None:
        raise PhonemeError("libespeak-ng is not installed")
    lib = ctypes.CDLL(path)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_Voice)
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int,
                                          ctypes.c_int]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    if lib.espeak_Initialize(_RETRIEVAL, 0, None, _DONT_EXIT) < 0:
        raise PhonemeError("espeak-ng could not start (is espeak-ng-data installed?)")
    return lib


def _use(lib: ctypes.CDLL, voice: str) -> None:
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise PhonemeError(f"espeak-ng has no voice {voice}")
    chosen = lib.espeak_GetCurrentVoice().contents.identifier.decode().lower()
    if chosen != voice.lower():  # a name can match another voice's name first
        raise PhonemeError(f"espeak-ng chose the voice {chosen} when asked for {voice}")


def _one(lib: ctypes.CDLL, text: str) -> str:
    buffer = ctypes.create_string_buffer(text.encode())
    cursor = ctypes.c_void_p(ctypes.addressof(buffer))
    clauses = []
    while cursor.value:  # one clause per call; the cursor is NULL after the last
        before = cursor.value
        clauses.append((lib.espeak_TextToPhonemes(ctypes.byref(cursor), _UTF8, 0)
                        or b"").decode())
        if cursor.value == before:  # never seen; but a stuck cursor must not hang the kiosk
            break
    return " ".join(clauses)


def _main(voice: str) -> int:
    try:
        lib = _library()
        _use(lib, voice)
    except PhonemeError as problem:
        print(problem, file=sys.stderr)
        return 1
    texts = json.load(sys.stdin)
    json.dump([_one(lib, text) for text in texts], sys.stdout)
    return 0


def phonemes(texts: Sequence[str], voice: str) -> list[str]:
    """espeak-ng's phoneme names (as `espeak-ng -x` writes them) for each text, in order."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    try:
        done = subprocess.run([sys.executable, "-m", "kiosk.speech.phonemes", voice],
                              input=json.dumps(list(texts)), capture_output=True, text=True,
                              timeout=TIMEOUT_S, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as problem:
        raise PhonemeError(f"espeak-ng did not answer ({type(problem).__name__})") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise PhonemeError(lines[-1] if lines else f"espeak-ng failed ({done.returncode})")
    return json.loads(done.stdout)


# --- reading the phonemes ------------------------------------------------------------------

def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "\u3007"  # 〇


def han_count(text: str) -> int:
    return sum(map(is_han, text))


def _segments(said: str) -> list[tuple[str, str]]:
    """(language, phonemes): the voice's own language first (""), then each switch."""
    pieces = _SWITCH.split(said)
    return [("", pieces[0]), *zip(pieces[1::2], pieces[2::2], strict=True)]


def native_syllables(said: str) -> int:
    """Tone numbers said in a Chinese phoneme set: one per syllable."""
    return sum(len(_TONE.findall(part)) for lang, part in _segments(said)
               if lang in ("", *NATIVE))


def foreign(said: str) -> list[str]:
    """The stretches read in another language's phonemes, e.g. ["en:banf'o@_| ..."]."""
    return [f"{lang}:{part.strip()}" for lang, part in _segments(said)
            if lang not in ("", *NATIVE) and part.strip()]


@dataclass(frozen=True)
class Reading:
    text: str
    phonemes: str
    problem: str = ""  # in plain words; "" when every Han character is one Chinese syllable


class ChineseReader:
    """Reads texts with a Chinese voice and says which were not read as Chinese.

    Latin letters (a reference's G L) are allowed: how the voice says each one alone is
    measured once, and a text is expected to have one syllable per Han character plus what
    its letters take. A letter read in English is no problem; a Han character read in English
    or dropped is."""

    def __init__(self, voice: str) -> None:
        self.voice = voice
        self._letter: dict[str, int] = {}
        self._letter_foreign: dict[str, bool] = {}

    def _learn(self, said: Sequence[str]) -> None:
        """How the voice says each letter alone (its phonemes for A to Z, in order)."""
        for ch, p in zip(string.ascii_uppercase, said, strict=True):
            self._letter[ch], self._letter_foreign[ch] = native_syllables(p), bool(foreign(p))

    def _letters(self, text: str) -> list[str]:
        return [ch.upper() for word in _LATIN.findall(text) for ch in word]

    def verdict(self, text: str, said: str) -> str:
        letters = self._letters(text)
        if letters and not self._letter:
            self._learn(phonemes(string.ascii_uppercase, self.voice))
        expected = han_count(text) + sum(self._letter[ch] for ch in letters)
        got = native_syllables(said)
        others = foreign(said)
        if others and not any(self._letter_foreign[ch] for ch in letters):
            return f"read in another language: {'; '.join(others)}"
        if got != expected:
            return (f"{got} Chinese syllables for {han_count(text)} Chinese characters"
                    + (f" and {len(letters)} letters" if letters else ""))
        return ""

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """One child process for all the texts (and the letters, the first time)."""
        probe = [] if self._letter else list(string.ascii_uppercase)
        said = phonemes(probe + list(texts), self.voice)
        if probe:
            self._learn(said[:len(probe)])
            said = said[len(probe):]
        return [Reading(text, p, self.verdict(text, p)) for text, p in zip(texts, said,
                                                                           strict=True)]


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
