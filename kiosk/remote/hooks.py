"""The hook between the remote session and the voice call (kiosk/remote/voice.py, aiortc).

The remote session owns the live channel; the voice part owns the call. They meet here:

- The voice part provides `kiosk.remote.voice.open_voice(link: VoiceLink) -> VoiceHandler`.
  The kiosk calls it once per remote session, after the citizen's consent (never before), and
  only if that module imports (no aiortc installed: no voice, the rest works).
- Every desk→kiosk message of kind "call" or "signal" goes to `handler.handle(message)`, on
  the GUI thread, in the order they came; it must not block (hand the work to your own
  thread / asyncio loop).
- The voice part sends its own "signal" messages with `link.send({"kind": "signal",
  "data": {...}})`, and says whether a call is live with `link.live(True | False)`: the kiosk
  then shows (or takes down) a large "on a call" state with a hang-up button. Both callables
  are safe from any thread.
- The citizen's hang-up button calls `handler.hang_up()` (the voice part sends its "bye" and
  then `link.live(False)`); a lost link calls `handler.link_lost()` first (no bye can reach
  the desk); the end of the remote session calls `handler.close()` (stop everything, no more
  messages; `live(False)` is implied).
- The voice part records "call started/ended" by calling `link.audit("started" | "ended")`
  (the clerk and desk are added here; never anything said).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

VOICE_KINDS = ("call", "signal")  # desk→kiosk messages that go to the voice part


class VoiceHandler(Protocol):
    def handle(self, message: dict) -> None: ...

    def hang_up(self) -> None: ...

    def link_lost(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class VoiceLink:
    send: Callable[[dict], None]  # a kiosk→desk message (kind "signal"), from any thread
    live: Callable[[bool], None]  # the call is live / over, from any thread
    audit: Callable[[str], None]  # "started" | "ended", from any thread
    clerk: str = ""  # who is on the other end, for the "on a call" state and logs
    desk: str = ""


VoiceOpener = Callable[[VoiceLink], VoiceHandler]


def voice_opener() -> VoiceOpener | None:
    """The voice part's opener, or None where it is not installed (no aiortc)."""
    try:
        from kiosk.remote.voice import open_voice
    except ImportError:
        return None
    return open_voice
