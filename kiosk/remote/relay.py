"""The live channel of one call, in memory: what the hub does between a kiosk and a desk,
for the demo kiosk (no hub) and the tour. Numbered per direction like the hub's; a `down`
waits a little for a message instead of answering empty at once."""

from __future__ import annotations

import threading

DEMO_WAIT_S = 1.0  # a demo long poll: short, so a closing kiosk never waits on it


class Relay:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self.down: list[dict] = []  # desk → kiosk, each with its seq
        self.up: list[dict] = []  # kiosk → desk
        self.state = "open"

    def to_kiosk(self, message: dict) -> int:
        with self._lock:
            seq = len(self.down) + 1
            self.down.append({**message, "seq": seq})
            self._lock.notify_all()
            return seq

    def to_desk(self, messages: list[dict]) -> int:
        with self._lock:
            for message in messages:
                self.up.append({**message, "seq": len(self.up) + 1})
                if message.get("kind") == "end":
                    self.state = "ended"
                    self._lock.notify_all()  # a waiting poll is answered at once, as by the hub
            return len(messages)

    def after(self, seq: int, wait_s: float = DEMO_WAIT_S) -> dict:
        with self._lock:
            self._lock.wait_for(lambda: len(self.down) > seq or self.state != "open", wait_s)
            return {"messages": self.down[seq:], "state": self.state}

    def end(self, by: str = "clerk") -> None:
        self.to_kiosk({"kind": "end", "by": by})
        with self._lock:
            self.state = "ended"
            self._lock.notify_all()
