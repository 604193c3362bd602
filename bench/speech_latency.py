"""Speech latency where the ear is: from a screen being shown to its first sample reaching the
sound output, next to espeak-ng doing the same sentences, all measured in one run.

    .venv/bin/python bench/speech_latency.py [--runs 3]

Sound goes to a private PulseAudio server whose only sink is a null sink (it plays in real
time, like a card); a recorder in its own process reads the sink's monitor, and the first
sample louder than silence is the moment the sound came out. Medians over N runs of:

- the kiosk (a) after boot: the first utterance of a fresh process, timed from its first
  screen asking to speak, the engine started at launch as main.py does; (b) a plain screen
  change; (c) a screen change behind the "next" cue: the cue's first sample, and the words'
  first sample less the cue's own length (the wait the cue adds beyond itself). (b) and (c)
  are timed from the new screen being in place (`Kiosk.screen_shown`, just before it asks to
  speak); the time the GUI takes to put it there is printed apart;
- espeak-ng playing the same first sentences directly to the sink (the baseline: a sentence
  starting "T" opens with about 60 ms of silence in any engine), and writing them to a file.

Each ratio divides the kiosk's median by the baseline's median over the same sentences.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAY = date(2026, 11, 23)
QUIET_S = 0.25  # silence wanted at the output before each run, so its onset is its own
Sentence = tuple[str, str]  # (text, voice)


def settings():
    from kiosk.settings import Settings

    return Settings(idle_timeout_s=3600, data_dir=tempfile.mkdtemp(prefix="bench-speech-"))


def first_sentence(script, lang: str) -> Sentence:
    from kiosk.speech.engine_text import engine_lines

    return engine_lines(script, lang, False)[0]


def boot() -> None:
    """The child for (a): starts as main.py does, prints when its first screen asks to speak
    and what it says first, then runs until its stdin closes."""
    from PySide6.QtWidgets import QApplication

    from ui.launch import demo_kiosk, qt_app
    from ui.voice import QtVoice

    class Timed(QtVoice):
        asked = 0.0

        def say(self, script, lang, cue=""):
            if not self.asked:
                self.asked = time.monotonic()
                print(json.dumps([self.asked, first_sentence(script, lang)]), flush=True)
            return super().say(script, lang, cue)

    app = qt_app()
    voice = Timed()  # before the kiosk is built: the engine warms while the screens are made
    kiosk = demo_kiosk(settings(), today=DAY, voice=voice)
    kiosk.window.show()
    while not select.select([sys.stdin], [], [], 0.005)[0]:
        app.processEvents()
    kiosk.shutdown()
    voice.close()
    QApplication.processEvents()


def wait(monitor, after: float, pump) -> float | None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pump()
        if (found := monitor.first_sound(after)) is not None:
            return found
        time.sleep(0.002)
    return None


def quiet(monitor, pump) -> None:
    deadline = time.monotonic() + 10
    while monitor.quiet_for() < QUIET_S:
        pump()
        if time.monotonic() > deadline:
            raise RuntimeError("the output never went quiet")
        time.sleep(0.01)


def after_boot(monitor, runs: int) -> list[tuple[Sentence, float]]:
    found = []
    for _ in range(runs):
        quiet(monitor, lambda: None)
        child = subprocess.Popen([sys.executable, __file__, "--boot"], cwd=ROOT,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        asked, said = json.loads(child.stdout.readline())
        heard = wait(monitor, asked, lambda: None)
        child.stdin.close()
        child.wait(timeout=30)
        if heard is not None:
            found.append((tuple(said), (heard - asked) * 1000))
    return found


def kiosk_runs(monitor, runs: int) -> dict[str, list[tuple[Sentence, float]]]:
    from PySide6.QtWidgets import QApplication

    from kiosk.speech.cues import cue_seconds
    from ui.launch import demo_kiosk
    from ui.voice import QtVoice

    voice = QtVoice()
    kiosk = demo_kiosk(settings(), today=DAY, voice=voice)
    kiosk.window.show()
    pump = QApplication.processEvents
    screens = [kiosk.menu, kiosk.languages, kiosk.help, kiosk.sound, kiosk.menu]
    found: dict[str, list] = {"plain": [], "cue": [], "words": [], "show": []}
    cue_s = cue_seconds("next")
    shown = []  # the screen is in place (then it asks to speak): the runs are timed from here
    kiosk.screen_shown.connect(lambda _screen: shown.append(time.monotonic()))
    for round_ in range(runs + 1):  # the first round fills the prompt cache, as use would
        for lang in ("zh_CN", "en"):
            kiosk.session.language = lang
            for screen in screens:
                said = first_sentence(screen.script(lang), lang)
                for cue in ("", "next"):
                    voice.stop()
                    quiet(monitor, pump)
                    called = time.monotonic()
                    kiosk.show(screen, cue)
                    t0 = shown[-1]
                    first = wait(monitor, t0, pump)
                    words = wait(monitor, first + cue_s, pump) if cue and first else first
                    if round_ == 0 or first is None or words is None:
                        continue
                    if cue:
                        found["cue"].append((said, (first - t0) * 1000))
                        found["words"].append((said, (words - t0 - cue_s) * 1000))
                    else:
                        found["plain"].append((said, (first - t0) * 1000))
                        found["show"].append((t0 - called) * 1000)
    kiosk.shutdown()
    voice.close()
    return found


def espeak_runs(monitor, sentences: set[Sentence], runs: int):
    """Per sentence: the median ms to first sound playing directly, and to a written file."""
    from kiosk.speech.service import VOLUMES

    amplitude = str(round(VOLUMES[2] * 100))  # the kiosk's default volume
    out = Path(tempfile.mkdtemp()) / "espeak.wav"
    playing: dict[Sentence, list[float]] = {s: [] for s in sentences}
    writing: dict[Sentence, list[float]] = {s: [] for s in sentences}
    for _ in range(runs):
        for said in sentences:
            text, voice = said
            command = ["espeak-ng", "-v", voice, "-s", "135", "-a", amplitude]
            quiet(monitor, lambda: None)
            t0 = time.monotonic()
            player = subprocess.Popen([*command, text])
            heard = wait(monitor, t0, lambda: None)
            player.kill()
            player.wait()
            if heard is not None:
                playing[said].append((heard - t0) * 1000)
            t1 = time.monotonic()
            subprocess.run([*command, "-w", str(out), text], check=True)
            writing[said].append((time.monotonic() - t1) * 1000)
    return ({s: statistics.median(v) for s, v in playing.items() if v},
            {s: statistics.median(v) for s, v in writing.items()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--boot", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.boot:
        boot()
        return
    from kiosk.speech.cues import cue_seconds
    from tests.null_sink import Monitor, null_sound_server

    with null_sound_server():
        monitor = Monitor()
        try:
            cases = {"a": after_boot(monitor, args.runs), **kiosk_runs(monitor, args.runs)}
            show = cases.pop("show")
            sentences = {said for runs in cases.values() for said, _ms in runs}
            playing, writing = espeak_runs(monitor, sentences, args.runs)
        finally:
            monitor.close()
    names = {"a": "(a) after boot: first words",
             "plain": "(b) plain screen change",
             "cue": '(c) behind "next": first sound (the cue)',
             "words": f"(c) ... first words, less the cue's {cue_seconds('next') * 1000:.0f} ms"}
    print(f"first sample at the output, median ms {'kiosk':>8}{'espeak-ng playing':>19}"
          f"{'ratio':>7}{'espeak-ng -w':>14}{'n':>4}")
    for case, name in names.items():
        runs = [(said, ms) for said, ms in cases[case] if said in playing]
        kiosk = statistics.median(ms for _said, ms in runs)
        direct = statistics.median(playing[said] for said, _ms in runs)
        written = statistics.median(writing[said] for said, _ms in runs)
        print(f"{name:45}{kiosk:8.1f}{direct:19.1f}{kiosk / direct:6.2f}x{written:14.1f}"
              f"{len(runs):4}")
    print(f"(b) and (c) are timed from the new screen being in place; putting it there took "
          f"{statistics.median(show):.1f} ms (median) before that, GUI work before any speech.")


if __name__ == "__main__":
    main()
