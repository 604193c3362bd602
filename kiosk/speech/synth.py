"""Text to WAV through pyttsx3 (espeak-ng on Linux), in a child process of its own.

pyttsx3's run loop hangs or refuses re-entry when driven from a GUI thread, its engine is bound
to the thread that made it, and an engine made before a fork hangs the child. So a *spawned*
child owns the engine and only ever writes files (never `say()`), and the parent waits for
each file with a timeout: a hung or dead child is killed and started again.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing as mp

RATES = {"slow": 110, "normal": 135, "fast": 165}  # words a minute; espeak's own default is 175
TIMEOUT_S = 20
WAV_HEADER = 44  # bytes; a file no bigger than this holds no sound


@dataclass(frozen=True)
class Job:
    text: str
    voice: str
    rate: int
    volume: float  # 0..1
    path: str


def _child(jobs: mp.Queue, done: mp.Queue) -> None:
    # pyttsx3 prints "Audio saved to ..." for every file: keep the kiosk's output clean
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        try:
            import pyttsx3

            engine = pyttsx3.init("espeak")
            voices = sorted(v.id for v in engine.getProperty("voices"))
        except Exception as problem:  # reported to the parent, which reports to diagnostics
            done.put(("broken", repr(problem)))
            return
        done.put(("ready", voices))
        while (job := jobs.get()) is not None:
            try:
                done.put(_write(engine, job))
            except Exception as problem:
                done.put(("failed", repr(problem)))


def _write(engine, job: Job, tries: int = 3) -> tuple[str, str]:
    """pyttsx3 2.99's espeak driver sometimes returns from runAndWait without having written
    the file (its loop can end before the synthesis callback runs): check, and ask again."""
    target = Path(job.path)
    for _ in range(tries):
        target.unlink(missing_ok=True)
        engine.setProperty("voice", job.voice)
        engine.setProperty("rate", job.rate)
        engine.setProperty("volume", job.volume)
        engine.save_to_file(job.text, job.path)
        engine.runAndWait()
        used = engine.getProperty("voice")  # pyttsx3 ids are espeak's, in lower case
        if used != job.voice.lower():  # never another voice's reading of this text
            return "failed", f"the engine used the voice {used}, not {job.voice}"
        if target.exists() and target.stat().st_size > WAV_HEADER:
            return "done", job.path
    return "failed", f"no audio was written for {len(job.text)} characters"


class SynthesisError(RuntimeError):
    pass


class Synthesiser:
    """Thread-safe: one request at a time goes to the child."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ctx = None  # multiprocessing, loaded when the first file is made
        self._process: mp.Process | None = None
        self._jobs: mp.Queue | None = None
        self._done: mp.Queue | None = None
        self.voices: list[str] = []
        self.problem = ""

    def _start(self) -> None:
        if self._ctx is None:
            import multiprocessing

            self._ctx = multiprocessing.get_context("spawn")
        self._jobs, self._done = self._ctx.Queue(), self._ctx.Queue()
        process = self._ctx.Process(target=_child, args=(self._jobs, self._done), daemon=True,
                                    name="kiosk-tts")
        try:
            process.start()
        except (OSError, RuntimeError) as problem:  # no memory, or no process may be spawned
            self.problem = f"the speech engine could not start ({type(problem).__name__})"
            raise SynthesisError(self.problem) from problem
        self._process = process
        try:
            kind, detail = self._done.get(timeout=TIMEOUT_S)
        except queue.Empty:
            kind, detail = "broken", "the speech engine did not start"
        if kind != "ready":
            self.problem = str(detail)
            self.close()
            raise SynthesisError(self.problem)
        self.voices, self.problem = detail, ""

    def available(self) -> bool:
        try:
            with self._lock:
                if self._process is None or not self._process.is_alive():
                    self._start()
        except SynthesisError:
            return False
        return True

    def has_voice(self, voice: str) -> bool:
        return self.available() and voice in self.voices

    def to_file(self, text: str, path: Path, voice: str, rate: int, volume: float) -> Path:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._jobs.put(Job(text, voice, rate, volume, str(path)))
            try:
                kind, detail = self._done.get(timeout=TIMEOUT_S)
            except queue.Empty:
                self.close()  # hung: the next request starts a fresh child
                raise SynthesisError("the speech engine stopped answering") from None
        if kind != "done":
            raise SynthesisError(str(detail))
        return path

    def close(self) -> None:
        if self._process is not None:
            with contextlib.suppress(Exception):
                self._jobs.put(None)
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=2)
        self._process = None
