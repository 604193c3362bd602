"""Handwritten Chinese characters, recognised by zinnia with the Tegaki simplified Chinese
model (Debian: libzinnia0, tegaki-zinnia-simplified-chinese).

zinnia compares the strokes, in the order written, against about 6,700 characters; it needs
stroke order, not a picture. Its C API is small (recognizer, character, result), so a ctypes
binding is enough. Nothing is learned or stored: each classification starts from the model.
"""

from __future__ import annotations

import ctypes
import json
import threading
from collections.abc import Sequence
from pathlib import Path

from kiosk.input import InputUnavailable, shared

LIBRARY = "libzinnia.so.0"
MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
CANVAS = 300  # stroke files and `main.py recognise` use a 300 x 300 canvas
MAX_CANDIDATES = 10

Point = tuple[float, float]
Stroke = Sequence[Point]

# 十 written as people write it (across, then down): the self-check diagnostics run.
SAMPLE = (((40, 150), (150, 148), (260, 150)), ((150, 40), (151, 150), (150, 262)))


def _bind(lib: ctypes.CDLL) -> None:
    vp, size = ctypes.c_void_p, ctypes.c_size_t
    for name, args, result in (
        ("zinnia_recognizer_new", [], vp),
        ("zinnia_recognizer_open", [vp, ctypes.c_char_p], ctypes.c_int),
        ("zinnia_recognizer_destroy", [vp], None),
        ("zinnia_recognizer_classify", [vp, vp, size], vp),
        ("zinnia_character_new", [], vp),
        ("zinnia_character_set_width", [vp, size], None),
        ("zinnia_character_set_height", [vp, size], None),
        ("zinnia_character_add", [vp, size, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        ("zinnia_character_destroy", [vp], None),
        ("zinnia_result_size", [vp], size),
        ("zinnia_result_value", [vp, size], ctypes.c_char_p),
        ("zinnia_result_destroy", [vp], None),
    ):
        function = getattr(lib, name)
        function.argtypes = args
        function.restype = result


class Recogniser:
    """One opened model. `candidates` may be called from any thread (one at a time)."""

    def __init__(self, model: Path | None = None, library: str = LIBRARY) -> None:
        model = Path(model or MODEL)
        try:
            self._lib = ctypes.CDLL(library)
            _bind(self._lib)
        except (OSError, AttributeError) as problem:
            raise InputUnavailable("input.handwriting.no_library", library=library,
                                   package="libzinnia0") from problem
        if not Path(model).is_file():
            raise InputUnavailable("input.handwriting.no_model", model=str(model),
                                   package="tegaki-zinnia-simplified-chinese")
        self._lock = threading.Lock()
        self._recognizer = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._recognizer, str(model).encode()):
            self._lib.zinnia_recognizer_destroy(self._recognizer)
            self._recognizer = None
            raise InputUnavailable("input.handwriting.bad_model", model=str(model),
                                   package="tegaki-zinnia-simplified-chinese")

    def candidates(self, strokes: Sequence[Stroke], width: float = CANVAS,
                   height: float = CANVAS, limit: int = MAX_CANDIDATES) -> list[str]:
        """The likeliest characters for these strokes, best first ([] for no ink)."""
        strokes = [s for s in strokes if len(s) > 0]
        if not strokes or self._recognizer is None:
            return []
        lib = self._lib
        with self._lock:
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, max(1, round(width)))
                lib.zinnia_character_set_height(character, max(1, round(height)))
                for n, stroke in enumerate(strokes):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, n, round(x), round(y))
                result = lib.zinnia_recognizer_classify(self._recognizer, character, limit)
                if not result:
                    return []
                try:
                    return [lib.zinnia_result_value(result, i).decode("utf-8")
                            for i in range(lib.zinnia_result_size(result))]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(character)

    def close(self) -> None:
        with self._lock:
            if self._recognizer is not None:
                self._lib.zinnia_recognizer_destroy(self._recognizer)
                self._recognizer = None


# the kiosk's one recogniser, opened on first use (about 3 ms; the model is mapped)
recogniser = shared(Recogniser)


def load_strokes(path: Path) -> list[list[Point]]:
    """A stroke file: a JSON list of strokes, each a list of [x, y] points on the 300 x 300
    canvas, in the order written. Raises ValueError saying what is wrong, in plain words."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as problem:
        raise ValueError(f"cannot read {path}: {problem.strerror or problem}") from problem
    except json.JSONDecodeError as problem:
        raise ValueError(f"{path} is not JSON (line {problem.lineno}): {problem.msg}") from None
    if isinstance(data, dict):  # {"character": "...", "strokes": [...]} is accepted too
        data = data.get("strokes")
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path} should hold a list of strokes, each a list of [x, y] points")
    strokes = []
    for s, stroke in enumerate(data, 1):
        if not isinstance(stroke, list) or not stroke:
            raise ValueError(f"stroke {s} in {path} should be a list of [x, y] points")
        points = []
        for p, point in enumerate(stroke, 1):
            if (not isinstance(point, list | tuple) or len(point) != 2
                    or not all(isinstance(v, int | float) and not isinstance(v, bool)
                               for v in point)):
                raise ValueError(f"stroke {s}, point {p} in {path} should be [x, y] numbers")
            x, y = point
            if not (0 <= x <= CANVAS and 0 <= y <= CANVAS):
                raise ValueError(f"stroke {s}, point {p} in {path} is off the {CANVAS} x "
                                 f"{CANVAS} canvas: [{x}, {y}]")
            points.append((float(x), float(y)))
        strokes.append(points)
    return strokes
