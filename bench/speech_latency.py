"""Time from a screen being shown to its first words reaching the sound output, next to the
time espeak-ng alone takes to synthesise the same sentence, measured in one run.

    .venv/bin/python bench/speech_latency.py

Sound goes to a private null-sink PulseAudio server, which plays in real time like a card.
"first audio" is the moment the player process is handed the synthesised first sentence.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.settings import Settings
    from kiosk.speech.script import render
    from kiosk.speech.service import sentence, voice_for
    from tests.null_sink import null_sound_server
    from ui.launch import demo_kiosk
    from ui.voice import QtVoice

    with null_sound_server():
        voice = QtVoice()
        kiosk = demo_kiosk(Settings(idle_timeout_s=3600), today=date(2026, 11, 23), voice=voice)
        kiosk.window.show()
        started: dict[int, float] = {}
        voice.event.connect(lambda e: started.setdefault(e.utterance, time.perf_counter())
                            if e.kind == "started" else None)
        screens = [kiosk.attract, kiosk.menu, kiosk.languages, kiosk.help, kiosk.menu]
        kiosk_ms, espeak_ms = [], []
        out = Path(tempfile.mkdtemp()) / "espeak.wav"
        for round_ in range(6):
            for lang in ("zh_CN", "en"):
                kiosk.session.language = lang
                for screen in screens:
                    t0 = time.perf_counter()
                    kiosk.show(screen)
                    first = min(kiosk._saying)
                    deadline = t0 + 10
                    while first not in started and time.perf_counter() < deadline:
                        QApplication.processEvents()
                        time.sleep(0.001)
                    if round_ == 0 or first not in started:
                        continue  # the first round warms the engine up
                    kiosk_ms.append((started[first] - t0) * 1000)
                    text = render(screen.script(lang), lang, False)[0]
                    t1 = time.perf_counter()
                    subprocess.run(["espeak-ng", "-v", voice_for(lang), "-s", "135", "-w",
                                    str(out), sentence(text, lang)], check=True)
                    espeak_ms.append((time.perf_counter() - t1) * 1000)
        kiosk.shutdown()
        voice.close()
    print(f"{'':32}{'median ms':>10}{'worst ms':>10}   (n={len(kiosk_ms)})")
    print(f"{'screen shown -> first audio':32}{statistics.median(kiosk_ms):10.1f}"
          f"{max(kiosk_ms):10.1f}")
    print(f"{'espeak-ng alone, same sentence':32}{statistics.median(espeak_ms):10.1f}"
          f"{max(espeak_ms):10.1f}")
    print(f"ratio of medians: {statistics.median(kiosk_ms) / statistics.median(espeak_ms):.2f}")


if __name__ == "__main__":
    main()
