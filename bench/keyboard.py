"""The free-text keyboard, built and shown as a question step does, against the letters-only
keyboard it grew from (the baseline: the same keys, no tabs). Runs alternate, so a busy moment
hits both alike; read the medians, their ratios and the widget counts.

Chinese screens open on handwriting (the pad and its tiles, no letter keys built); English ones
on letters (the tab row on top of the old keys).

    python bench/keyboard.py [--runs 15]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QWidget

from ui.theme import THEMES, stylesheet
from ui.widgets.keyboard import KeyGrid, OnScreenKeyboard

KINDS = {
    "letters only (baseline)": lambda: KeyGrid("text"),
    "with tabs, Chinese": lambda: OnScreenKeyboard("text"),
    "with tabs, English": lambda: OnScreenKeyboard("text"),
}
LANGS = {"letters only (baseline)": "zh_CN", "with tabs, Chinese": "zh_CN",
         "with tabs, English": "en"}


def build(app: QApplication, kind: str) -> tuple[float, int]:
    started = time.perf_counter()
    keyboard = KINDS[kind]()
    keyboard.retranslate(LANGS[kind])
    keyboard.resize(1872, 520)
    keyboard.show()
    app.processEvents()
    took = time.perf_counter() - started
    widgets = len(keyboard.findChildren(QWidget))
    keyboard.deleteLater()
    app.processEvents()
    return took * 1000, widgets


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    app = QApplication([])
    app.setStyleSheet(stylesheet(THEMES["standard"], "largest"))
    for kind in KINDS:  # warm-up: imports, fonts, the recogniser's first open
        build(app, kind)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    counts: dict[str, int] = {}
    for _ in range(runs):
        for kind in KINDS:
            took, counts[kind] = build(app, kind)
            times[kind].append(took)
    base = statistics.median(times["letters only (baseline)"])
    print(f"keyboard: {runs} runs each, alternating, largest text size, 1872 px wide")
    print(f"{'':28} {'median ms':>10} {'ratio':>7} {'widgets':>8}")
    for kind in KINDS:
        median = statistics.median(times[kind])
        print(f"{kind:28} {median:10.1f} {median / base:6.2f}x {counts[kind]:8d}")


if __name__ == "__main__":
    main()
