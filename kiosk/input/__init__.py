"""Writing Chinese without a keyboard: handwriting (zinnia) and pinyin (libpinyin), both
through thin ctypes bindings to the Debian libraries, so the core stays free of Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from kiosk.message import KioskError

T = TypeVar("T")


class InputUnavailable(KioskError):
    """A writing method cannot work on this machine; `.text(lang)` says why."""


def shared(make: Callable[[], T]) -> Callable[[], T]:
    """`make()` once, on first use, kept for the process: the kiosk's one recogniser or pinyin
    context. Under a lock, so two threads never open two; a failure is raised and nothing is
    kept, so the next use tries again (the admin may have installed the missing package)."""
    lock = threading.Lock()
    made: list[T] = []

    def get() -> T:
        with lock:
            if not made:
                made.append(make())
            return made[0]

    return get
