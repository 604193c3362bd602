"""The hand-written stroke files (tests/input/strokes/NAME.json: strokes of [x, y] on a
300 x 300 canvas, in stroke order) and a finger that writes them on the real pad."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.input.handwriting import CANVAS, load_strokes

FOLDER = Path(__file__).parent / "strokes"
# file name (pinyin and tone) -> the character its strokes write
CHARACTERS = {
    "yi1": "一", "er4": "二", "san1": "三", "shi2": "十", "ren2": "人", "kou3": "口",
    "da4": "大", "zhong1": "中", "shang4": "上", "xia4": "下", "ri4": "日", "yue4": "月",
    "mu4": "木", "tu3": "土", "wang2": "王", "gong1": "工", "tian2": "田", "xiao3": "小",
    "tian1": "天", "ba1": "八", "men2": "门", "zi3": "子", "chuan1": "川", "qi1": "七",
    "li4": "力", "gan4": "干",
}


def stroke_file(name: str) -> Path:
    return FOLDER / f"{name}.json"


def write(pad, name: str) -> None:
    """Press, move through every point, lift: one stroke at a time, as a finger does."""
    for stroke in load_strokes(stroke_file(name)):
        points = [QPoint(round(x * pad.width() / CANVAS), round(y * pad.height() / CANVAS))
                  for x, y in stroke]
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         points[0])
        for point in points[1:]:
            QTest.mouseMove(pad, point)
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           points[-1])
        QApplication.processEvents()
