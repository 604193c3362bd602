"""The speech service: the screen queues what to say and gets events back; a worker thread
synthesises (in the engine's own process) and plays (in a player process it can kill).

Nothing here blocks the caller. `stop()` silences at once: it bumps a generation number, clears
what is queued and kills the player; work already under way for an older generation is dropped.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.i18n import language
from kiosk.speech.cues import cue_file
from kiosk.speech.player import Player, find_output
from kiosk.speech.script import Script, render, voiced
from kiosk.speech.synth import RATES, Synthesiser, SynthesisError

VOLUMES = (0.4, 0.55, 0.7, 0.85, 1.0)
ENDINGS = ".。!！?？:：;；,，"


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


def voice_for(lang: str, dialect: str = "") -> str:
    info = language(lang)
    if dialect and info.dialects and dialect in info.dialects:
        return info.dialects[dialect]["voice"]
    return info.voice


def sentence(line: str, lang: str) -> str:
    if line[-1] in ENDINGS:
        return line
    return line + ("。" if lang.startswith("zh") or lang == "yue" else ".")


class SpeechService:
    def __init__(self, on_event: Callable[[Event], None] = lambda event: None,
                 synthesiser: Synthesiser | None = None, player: Player | None = None,
                 speak_on_open: bool = True) -> None:
        self.on_event = on_event
        self.synth = synthesiser or Synthesiser()
        if player is None:
            command, self.output = find_output()
            player = Player(command)
        else:
            self.output = "given"
        self.player = player
        self.speak_on_open = speak_on_open
        self.defaults = Preferences()  # what each visit starts with (the centre's settings)
        self.prefs = Preferences()
        self._folder = Path(tempfile.mkdtemp(prefix="kiosk-speech-"))
        self._queue: queue.Queue = queue.Queue()
        self._generation = 0
        self._ids = itertools.count(1)
        self._worker = threading.Thread(target=self._run, name="kiosk-speech", daemon=True)
        self._worker.start()

    # what the screen calls
    def say(self, script: Script, lang: str) -> list[int]:
        """Stop whatever is being said and say this instead; returns the utterance ids."""
        self.stop()
        return self.add(script, lang)

    def add(self, script: Script, lang: str) -> list[int]:
        if self.prefs.muted:
            return []
        ids = []
        for line, line_lang in voiced(script, lang, self.prefs.personal_aloud, self.prefs.dialect):
            uid = next(self._ids)
            voice = voice_for(line_lang, self.prefs.dialect if line_lang == lang else "")
            self._queue.put((self._generation, "line", sentence(line, line_lang), voice, uid))
            ids.append(uid)
        return ids

    def cue(self, name: str) -> None:
        if not self.prefs.muted:
            self._queue.put((self._generation, "cue", name, "", next(self._ids)))

    def stop(self) -> None:
        self._generation += 1
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self.player.stop()

    def reset(self) -> None:
        """After each visit: rate, volume, mute, headphones and dialect back to defaults."""
        self.stop()
        self.prefs = replace(self.defaults)

    def render_to_file(self, script: Script, lang: str, path: Path) -> Path:
        """The whole script as one WAV, through the same synthesis (for tests and checks)."""
        lines = render(script, lang, self.prefs.personal_aloud, self.prefs.dialect)
        text = " ".join(sentence(line, lang) for line in lines)
        return self.synth.to_file(text, path, voice_for(lang, self.prefs.dialect),
                                  RATES[self.prefs.rate], VOLUMES[self.prefs.volume - 1])

    def close(self) -> None:
        self.stop()
        self._queue.put(None)
        self._worker.join(timeout=5)
        self.synth.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    # the worker thread
    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            generation, kind, text, voice, uid = item
            if generation != self._generation:
                continue
            try:
                path = cue_file(text, self._folder) if kind == "cue" else self.synth.to_file(
                    text, self._folder / f"say-{uid}.wav", voice, RATES[self.prefs.rate],
                    VOLUMES[self.prefs.volume - 1])
            except SynthesisError:
                self.on_event(Event("unavailable", uid, text if kind == "line" else ""))
                continue
            if generation == self._generation:
                self._play(generation, kind, text, uid, path)
            if kind == "line":
                path.unlink(missing_ok=True)  # what was said may have been personal

    def _play(self, generation: int, kind: str, text: str, uid: int, path: Path) -> None:
        spoken = text if kind == "line" else ""
        if not self.player.available:
            self.on_event(Event("unavailable", uid, spoken))
            return
        self.on_event(Event("started", uid, spoken))
        played = self.player.play(path, lambda: generation == self._generation)
        if generation != self._generation:
            self.on_event(Event("interrupted", uid, spoken))
        elif played:
            self.on_event(Event("finished", uid, spoken))
        else:
            self.on_event(Event("unavailable", uid, spoken))
