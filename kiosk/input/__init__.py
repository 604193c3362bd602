"""Writing Chinese without a keyboard: handwriting (zinnia) and pinyin (libpinyin), both
through thin ctypes bindings to the Debian libraries, so the core stays free of Qt."""

from __future__ import annotations

from kiosk.message import KioskError


class InputUnavailable(KioskError):
    """A writing method cannot work on this machine; `.text(lang)` says why."""
