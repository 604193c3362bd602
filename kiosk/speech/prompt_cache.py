"""The audio of fixed prompts, kept in memory so they are said without synthesis.

Only catalogue texts that take no values qualify: the same words for everyone. A name, an
address, an amount or anything typed is never among them, so nothing personal is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from kiosk.i18n import fixed_texts


def fixed_prompt(text: str) -> bool:
    """A catalogue text that takes no values (with or without the full stop `sentence` adds):
    the same words for everyone, so its audio may be kept."""
    return text in fixed_texts() or text[:-1] in fixed_texts()


class PromptCache:
    """Audio of fixed prompts by (text, voice, rate, volume), least recently used dropped
    first. `put` itself refuses any other text."""

    def __init__(self, budget: int = 16 * 2**20) -> None:
        self.budget = budget  # bytes: about six minutes of speech
        self._audio: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            if key in self._audio:
                self._audio.move_to_end(key)
            return self._audio.get(key)

    def put(self, key: tuple, pcm: bytes) -> None:
        if not fixed_prompt(key[0]):
            return
        with self._lock:
            self._audio[key] = pcm
            while sum(map(len, self._audio.values())) > self.budget:
                self._audio.popitem(last=False)

    def texts(self) -> list[str]:
        with self._lock:
            return [key[0] for key in self._audio]
