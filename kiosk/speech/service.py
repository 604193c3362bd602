"""The speech service: the screen queues what to say and gets events back. One thread
synthesises (streamed from the engine's own process, started and warmed when the service
starts), another feeds the one output stream and tells when each utterance starts and ends.

Nothing here blocks the caller. Synthesis runs ahead of playback: the words behind a cue are
made while the cue plays, and sentence n+1 while n plays. `stop()` silences at once: it bumps a
generation number, clears what is queued and drops the stream's buffered sound; work already
under way for an older generation is dropped (the engine is told to stop).

Fixed prompts (catalogue texts that take no values) keep their audio in memory; nothing else
is kept, so nothing personal is ever cached.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.i18n import languages
from kiosk.speech.cues import cue_pcm
from kiosk.speech.engine import RATE, Engine, EngineError
from kiosk.speech.engine_text import dialect_of, engine_lines, sentence, voice_for
from kiosk.speech.player import Player, find_output
from kiosk.speech.prompt_cache import PromptCache, fixed_prompt
from kiosk.speech.script import Script
from kiosk.speech.synth import RATES, Synthesiser

__all__ = ["Event", "Preferences", "SpeechService", "sentence", "voice_for"]

VOLUMES = (0.4, 0.55, 0.7, 0.85, 1.0)


@dataclass
class Preferences:
    """What the citizen may change; `SpeechService.reset()` puts it back after each visit."""

    rate: str = "normal"
    volume: int = 3  # 1..5
    muted: bool = False
    private: bool = False  # "I am wearing headphones": personal details may be spoken
    aloud: bool = False  # "read my details aloud", chosen after a warning that others may hear
    captions: bool = False  # the words are shown as they are said
    dialect: str = ""  # e.g. "yue" for Cantonese speech on Chinese screens

    @property
    def personal_aloud(self) -> bool:
        """Personal details may be said (kiosk.speech.script holds the rule)."""
        return self.private or self.aloud


@dataclass(frozen=True)
class Event:
    kind: str  # started | finished | interrupted | unavailable
    utterance: int
    text: str = ""


def all_voices() -> list[str]:
    """Every voice the kiosk may speak with: the engine reads them all when it starts."""
    return [voice for lang in languages() for voice in
            (lang.voice, *(d["voice"] for d in (lang.dialects or {}).values())) if voice]


@dataclass
class _Heard:
    """An utterance going down the output stream, and what has been told about it."""

    uid: int
    text: str
    generation: int
    starts: float | None = None  # time.monotonic() its first sample plays
    ends: float | None = None
    told: bool = False  # "started" has been sent


SLICE = 2 * RATE // 10  # bytes written at a time: events stay on time while the stream is full


class SpeechService:
    def __init__(self, on_event: Callable[[Event], None] = lambda event: None,
                 synthesiser: Synthesiser | None = None, player: Player | None = None,
                 speak_on_open: bool = True, engine: Engine | None = None,
                 begin: bool = True) -> None:
        """`begin`: start the speech engine now; False (main.py): when `begin()` is called,
        after the first frame (its process loads every voice: a core's worth of a start)."""
        self.on_event = on_event
        self.synth = synthesiser or Synthesiser()  # whole files (checks, tests), started on use
        self.engine = engine or Engine(all_voices())  # live speech, started now
        if player is None:
            command, self.output = find_output()
            player = Player(command)
        else:
            self.output = "given"
        self.player = player
        self.speak_on_open = speak_on_open
        self.defaults = Preferences()  # what each visit starts with (the centre's settings)
        self.prefs = Preferences()
        self.cache = PromptCache()
        self._queue: queue.Queue = queue.Queue()  # lines and cues to make into sound
        self._audio: queue.Queue = queue.Queue()  # sound for the stream, with utterance marks
        self._generation = 0
        self._ids = itertools.count(1)
        self._begun = threading.Event()
        if begin:
            self._begun.set()
        self._worker = threading.Thread(target=self._run, name="kiosk-speech", daemon=True)
        self._output = threading.Thread(target=self._feed, name="kiosk-sound", daemon=True)
        self._worker.start()
        self._output.start()

    def begin(self) -> None:
        """The engine starts; what was said meanwhile is said then."""
        self._begun.set()

    # what the screen calls
    def say(self, script: Script, lang: str) -> list[int]:
        """Stop whatever is being said and say this instead; returns the utterance ids."""
        self.stop()
        return self.add(script, lang)

    def add(self, script: Script, lang: str) -> list[int]:
        if self.prefs.muted:
            return []
        ids = []
        prefs = self.prefs
        for text, voice in engine_lines(script, lang, prefs.personal_aloud, prefs.dialect):
            uid = next(self._ids)
            self._queue.put((self._generation, "line", text, voice, uid, fixed_prompt(text)))
            ids.append(uid)
        return ids

    def cue(self, name: str) -> None:
        if not self.prefs.muted:
            self._queue.put((self._generation, "cue", name, "", next(self._ids), True))

    def stop(self) -> None:
        self._generation += 1
        for pending in (self._queue, self._audio):
            with contextlib.suppress(queue.Empty):
                while True:
                    pending.get_nowait()
        self.player.stop()
        self._audio.put(("wake",))  # the feeder tells what was interrupted, now

    def reset(self) -> None:
        """After each visit: rate, volume, mute, headphones and dialect back to defaults."""
        self.stop()
        self.prefs = replace(self.defaults)

    def render_to_file(self, script: Script, lang: str, path: Path) -> Path:
        """The whole script as one WAV, through pyttsx3 (for tests and checks)."""
        lines = engine_lines(script, lang, self.prefs.personal_aloud, self.prefs.dialect)
        text = " ".join(text for text, _ in lines)
        return self.synth.to_file(text, path, voice_for(lang, dialect_of(lang, self.prefs.dialect)),
                                  RATES[self.prefs.rate], VOLUMES[self.prefs.volume - 1])

    def close(self) -> None:
        self.stop()
        self._begun.set()  # a worker still waiting to begin ends too
        self._queue.put(None)
        self._audio.put(None)
        self._worker.join(timeout=5)
        self._output.join(timeout=5)
        self.engine.close()
        self.player.close()
        self.synth.close()

    # the synthesis thread
    def _run(self) -> None:
        self._begun.wait()
        if self.player.available:
            with contextlib.suppress(EngineError):  # told per line, as "unavailable"
                self.engine.start()
        while (item := self._queue.get()) is not None:
            generation, kind, text, voice, uid, fixed = item
            if generation != self._generation:
                continue
            spoken = text if kind == "line" else ""
            if not self.player.available:
                self.on_event(Event("unavailable", uid, spoken))
                continue
            self._audio.put(("begin", generation, uid, spoken))
            made = True
            if kind == "cue":
                self._audio.put(("pcm", generation, uid, cue_pcm(text)))
            else:
                made = self._synthesise(generation, uid, text, voice, fixed)
            self._audio.put(("end" if made else "failed", generation, uid, spoken))

    def _synthesise(self, generation: int, uid: int, text: str, voice: str,
                    fixed: bool) -> bool:
        rate, volume = RATES[self.prefs.rate], VOLUMES[self.prefs.volume - 1]
        key = (text, voice, rate, volume)
        if fixed and (pcm := self.cache.get(key)) is not None:
            self._audio.put(("pcm", generation, uid, pcm))
            return True
        pieces: list[bytes] = []

        def chunk(pcm: bytes) -> bool:
            if generation != self._generation:
                return False  # interrupted: the engine stops at once
            pieces.append(pcm)
            self._audio.put(("pcm", generation, uid, pcm))
            return True

        try:
            whole = self.engine.stream(text, voice, rate, volume, chunk)
        except EngineError:
            return False
        if whole and fixed:
            self.cache.put(key, b"".join(pieces))
        return True

    # the output thread: the only one that writes to the stream
    def _feed(self) -> None:
        self.player.warm()
        heard: dict[int, _Heard] = {}
        while True:
            try:
                item = self._audio.get(timeout=self._due(heard))
            except queue.Empty:
                item = ("wake",)
            if item is None:
                return
            kind, *rest = item
            if kind == "begin" and rest[0] == self._generation:
                generation, uid, text = rest
                heard[uid] = _Heard(uid, text, generation)
            elif kind == "pcm":
                self._write(heard, *rest)
            elif kind in ("end", "failed") and rest[1] in heard:
                utterance = heard[rest[1]]
                if kind == "failed" or utterance.starts is None:
                    del heard[utterance.uid]
                    if utterance.generation == self._generation:
                        self.on_event(Event("unavailable", utterance.uid, utterance.text))
                else:
                    utterance.ends = self.player.ends_at
            self._tell(heard)

    def _write(self, heard: dict[int, _Heard], generation: int, uid: int, pcm: bytes) -> None:
        utterance = heard.get(uid)
        if utterance is None or utterance.generation != generation:
            return  # stopped, or its sound could not be played
        for at in range(0, len(pcm), SLICE):
            start = self.player.write(pcm[at:at + SLICE], lambda: generation == self._generation)
            if start is None:
                if generation == self._generation:  # not stopped: the output failed
                    del heard[uid]
                    self.on_event(Event("unavailable", uid, utterance.text))
                return
            if utterance.starts is None:
                utterance.starts = start
            self._tell(heard)

    def _tell(self, heard: dict[int, _Heard]) -> None:
        now = time.monotonic()
        for utterance in list(heard.values()):
            if utterance.generation != self._generation:
                del heard[utterance.uid]
                if utterance.told:
                    self.on_event(Event("interrupted", utterance.uid, utterance.text))
                continue
            if not utterance.told and utterance.starts is not None and now >= utterance.starts:
                utterance.told = True
                self.on_event(Event("started", utterance.uid, utterance.text))
            if utterance.told and utterance.ends is not None and now >= utterance.ends:
                del heard[utterance.uid]
                # a stream that died took the sound with it: then the words are shown instead
                kind = "finished" if self.player.playing else "unavailable"
                self.on_event(Event(kind, utterance.uid, utterance.text))

    @staticmethod
    def _due(heard: dict[int, _Heard]) -> float | None:
        """Seconds until the next event is due, or None to wait for sound."""
        times = [u.ends if u.told else u.starts for u in heard.values()
                 if (u.ends if u.told else u.starts) is not None]
        return max(0.0, min(times) - time.monotonic()) if times else None
