"""Pinyin to Chinese characters and words, by libpinyin (Debian: libpinyin15, libpinyin-data).

Why libpinyin: it is the engine behind ibus-libpinyin, kept in Debian with its own language
model (unigram frequencies of characters and words from a large corpus), so candidates come
ranked the way people use them (bei: 被 北 杯 贝 ...) rather than from a hand-made table. A PyPI
package such as pypinyin maps characters to pinyin, not back, and carries no frequencies.

The binding is ctypes over the documented C API. The context gets an empty user folder of its
own, deleted on close, and nothing is ever chosen, trained or saved, so nothing one citizen
types can shape what the next one is offered.
"""

from __future__ import annotations

import ctypes
import string
import tempfile
import threading
from pathlib import Path

from kiosk.input import InputUnavailable, shared

LIBRARIES = ("libpinyin.so.15", "libpinyin.so.13")  # Debian 12 / Ubuntu 24.04; Ubuntu 22.04
# The dictionary lives in the multiarch folder (x86_64-linux-gnu, aarch64-linux-gnu ...).
DATA = next((p for p in sorted(Path("/usr/lib").glob("*/libpinyin/data"))
             if (p / "pinyin_index.bin").is_file()),
            Path("/usr/lib/x86_64-linux-gnu/libpinyin/data"))
# pinyin_option_t: incomplete pinyin ("b" -> 不, 北 ...) and the usual typing corrections
# (gn -> ng, iou -> iu, v -> ü ...): elderly people spell as they hear.
PINYIN_INCOMPLETE = 1 << 3
USE_DIVIDED_TABLE, USE_RESPLIT_TABLE = 1 << 6, 1 << 7
PINYIN_CORRECT_ALL = 0xFF << 21
OPTIONS = PINYIN_INCOMPLETE | USE_DIVIDED_TABLE | USE_RESPLIT_TABLE | PINYIN_CORRECT_ALL
# Sort flags of libpinyin 2.8 (Debian 12): 16 orders by frequency (without it the order is
# the dictionary's), 2 leaves out words longer than what was typed, which would fill the tiles
# with guesses. tests/input check the order that results (bei: 北 before 鹎).
SORT = 16 | 2
LETTERS = frozenset(string.ascii_lowercase + "'")
MAX_LETTERS = 24


def _bind(lib: ctypes.CDLL) -> None:
    vp, uint = ctypes.c_void_p, ctypes.c_uint
    for name, args, result in (
        ("pinyin_init", [ctypes.c_char_p, ctypes.c_char_p], vp),
        ("pinyin_set_options", [vp, uint], ctypes.c_bool),
        ("pinyin_alloc_instance", [vp], vp),
        ("pinyin_free_instance", [vp], None),
        ("pinyin_fini", [vp], None),
        ("pinyin_reset", [vp], ctypes.c_bool),
        ("pinyin_parse_more_full_pinyins", [vp, ctypes.c_char_p], ctypes.c_size_t),
        ("pinyin_guess_sentence", [vp], ctypes.c_bool),
        ("pinyin_guess_candidates", [vp, ctypes.c_size_t, ctypes.c_int], ctypes.c_bool),
        ("pinyin_get_n_candidate", [vp, ctypes.POINTER(uint)], ctypes.c_bool),
        ("pinyin_get_candidate", [vp, uint, ctypes.POINTER(vp)], ctypes.c_bool),
        ("pinyin_get_candidate_string", [vp, vp, ctypes.POINTER(ctypes.c_char_p)],
         ctypes.c_bool),
    ):
        function = getattr(lib, name)
        function.argtypes = args
        function.restype = result


class Pinyin:
    """One libpinyin context. `candidates` may be called from any thread (one at a time)."""

    def __init__(self, data: Path = DATA, library: str | None = None) -> None:
        self._lib = None
        for name in (library,) if library else LIBRARIES:
            try:
                self._lib = ctypes.CDLL(name)
                _bind(self._lib)
                break
            except (OSError, AttributeError):
                self._lib = None
        if self._lib is None:
            raise InputUnavailable("input.pinyin.no_library", library=library or LIBRARIES[0],
                                   package="libpinyin15")
        if not (Path(data) / "pinyin_index.bin").is_file():
            raise InputUnavailable("input.pinyin.no_data", folder=str(data),
                                   package="libpinyin-data")
        self._lock = threading.Lock()
        self._user = tempfile.TemporaryDirectory(prefix="kiosk-pinyin-")
        (Path(self._user.name) / "user.conf").touch()  # else libpinyin complains on stderr
        self._context = self._lib.pinyin_init(str(data).encode(), self._user.name.encode())
        if not self._context:
            raise InputUnavailable("input.pinyin.no_data", folder=str(data),
                                   package="libpinyin-data")
        self._lib.pinyin_set_options(self._context, OPTIONS)
        self._instance = self._lib.pinyin_alloc_instance(self._context)

    def candidates(self, letters: str, limit: int = 60) -> list[str]:
        """Characters and words for typed pinyin ("bei", "beijing"), likeliest first."""
        letters = letters.lower()
        if not letters or len(letters) > MAX_LETTERS or not set(letters) <= LETTERS:
            return []
        lib = self._lib
        with self._lock:
            if self._instance is None:
                return []
            lib.pinyin_reset(self._instance)
            lib.pinyin_parse_more_full_pinyins(self._instance, letters.encode("ascii"))
            lib.pinyin_guess_sentence(self._instance)
            lib.pinyin_guess_candidates(self._instance, 0, SORT)
            count = ctypes.c_uint()
            lib.pinyin_get_n_candidate(self._instance, ctypes.byref(count))
            found: list[str] = []
            for i in range(count.value):
                candidate, text = ctypes.c_void_p(), ctypes.c_char_p()
                if not lib.pinyin_get_candidate(self._instance, i, ctypes.byref(candidate)):
                    continue
                lib.pinyin_get_candidate_string(self._instance, candidate, ctypes.byref(text))
                word = (text.value or b"").decode("utf-8")
                if word and word not in found:
                    found.append(word)
                if len(found) >= limit:
                    break
            lib.pinyin_reset(self._instance)
            return found

    def close(self) -> None:
        with self._lock:
            if self._instance is not None:
                self._lib.pinyin_free_instance(self._instance)
                self._lib.pinyin_fini(self._context)
                self._instance = None
                self._user.cleanup()


# the kiosk's one pinyin context, opened on first use (a few ms)
pinyin = shared(Pinyin)
