"""The live channel of a taken help call, relayed in memory: never written, never logged.

One `Channel` per call, numbered messages each way (`seq`). The kiosk long-polls for the
desk's messages (`wait_down`: at once when one waits, else after HOLD_S with none) and posts
its own (`up`); the desk page reads the kiosk's through its event stream. Everything runs on
the server's event loop (async routes), so a waiting kiosk costs a coroutine, not a thread,
and nothing here needs a lock.

The hub keeps the rules the citizen set: until the kiosk says consent `see`, screens are
dropped (the clerk sees nothing), and only `say` and `end` go to the kiosk. A newer screen
replaces one the desk has not read yet. A kiosk that has not polled for LINK_LOST_S, or a desk
page closed for as long, ends the channel "by link" on both sides.

The live channel lives in the hub process that serves it: a region running several hub
processes routes a call's kiosk and desk to the same one (docs/remote-help.md).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.errors import ApiError, not_found
from hub.remote.messages import BEFORE_CONSENT

HOLD_S = 20.0  # the longest a kiosk's poll is held with nothing to say
LINK_LOST_S = 15.0  # a side silent this long has lost the link
KEEP_ENDED_S = 60.0  # an ended channel stays this long for the last messages to be read
MAX_WAITING = 200  # messages one side has not collected: more means it is gone


class Clock:
    """The hub's time for escalation and links; tests move it on (`shift_s`), never sleep."""

    def __init__(self) -> None:
        self.shift_s = 0.0

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.shift_s)

    def seconds(self) -> float:
        return time.monotonic() + self.shift_s


def _gone() -> ApiError:
    return ApiError(410, "ended", "This help session has ended.")


@dataclass
class Channel:
    call_id: str
    kiosk_id: str
    kiosk_seen: float
    desk_id: str = ""  # "" until a desk takes the call
    clerk: str = ""
    desk: str = ""
    down: list[dict[str, Any]] = field(default_factory=list)  # to the kiosk, not yet collected
    down_seq: int = 0
    up: list[dict[str, Any]] = field(default_factory=list)  # to the desk, not yet read
    up_seq: int = 0
    desk_read: int = 0  # the newest kiosk message a desk page was given
    consent: dict[str, Any] | None = None  # the citizen's answer, once given
    screen: dict[str, Any] | None = None  # the newest screen, for a desk page that reopens
    kiosk_polls: int = 0  # polls being held now
    ended_by: str = ""
    ended_at: float = 0.0
    event: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def see(self) -> bool:
        return bool(self.consent and self.consent["see"])

    @property
    def state(self) -> str:
        return "ended" if self.ended_by else "live" if self.desk_id else "waiting"


class Relay:
    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.hold_s = HOLD_S  # tests that only need the hold to end set it shorter
        self.channels: dict[str, Channel] = {}
        self.desk_streams: dict[str, int] = {}  # desk id -> its event streams open now
        self.desk_seen: dict[str, float] = {}
        self.changed = asyncio.Event()  # any channel changed: desk streams wake

    def _wake(self, channel: Channel) -> None:
        channel.event.set()
        channel.event = asyncio.Event()
        self.changed.set()
        self.changed = asyncio.Event()

    # --- opening and ending -------------------------------------------------------------

    def channel(self, call_id: str, kiosk_id: str) -> Channel:
        """The kiosk's channel (made when first asked for: the kiosk may wait for `taken`)."""
        channel = self.channels.get(call_id)
        if channel is None:
            channel = self.channels[call_id] = Channel(call_id, kiosk_id, self.clock.seconds())
        if channel.kiosk_id != kiosk_id:
            raise not_found("This kiosk has no help request with this id.")
        return channel

    def take(self, call_id: str, kiosk_id: str, desk_id: str, clerk: str, desk: str) -> None:
        channel = self.channels.get(call_id)
        if channel is None or channel.ended_by:  # a new session for a call taken again
            channel = self.channels[call_id] = Channel(call_id, kiosk_id, self.clock.seconds())
        if channel.desk_id and channel.desk_id != desk_id:
            raise ApiError(409, "taken", "Another desk has this help call.")
        now = self.clock.seconds()
        channel.desk_id, channel.clerk, channel.desk = desk_id, clerk, desk
        channel.kiosk_seen = max(channel.kiosk_seen, now)  # the kiosk has LINK_LOST_S to poll
        self.desk_seen[desk_id] = now
        self._to_kiosk(channel, {"kind": "taken", "clerk": clerk, "desk": desk})

    def end(self, call_id: str, by: str) -> None:
        """Ends the session (the call closed, a side said end, or the link was lost): both
        sides are told, unless it was their own word ("clerk": the desk's; "citizen" or
        "visit": the kiosk's)."""
        channel = self.channels.get(call_id)
        if channel is None or channel.ended_by:
            return
        if channel.desk_id and by != "clerk":
            self._to_desk(channel, {"kind": "end", "by": by})
        if by not in ("citizen", "visit"):
            self._to_kiosk(channel, {"kind": "end", "by": by})
        channel.ended_by, channel.ended_at = by, self.clock.seconds()
        self._wake(channel)

    # --- the kiosk's side ---------------------------------------------------------------

    def _to_kiosk(self, channel: Channel, message: dict[str, Any]) -> int:
        channel.down_seq += 1
        channel.down.append({**message, "seq": channel.down_seq})
        self._wake(channel)
        return channel.down_seq

    def _pending_down(self, channel: Channel, after: int) -> list[dict[str, Any]]:
        return [message for message in channel.down if message["seq"] > after]

    async def wait_down(self, channel: Channel, after: int,
                        hold_s: float | None = None) -> dict[str, Any]:
        """The desk's messages after `after` (which the kiosk has, so they are dropped), at
        once if there are any, else when one comes or after `hold_s`."""
        channel.down = self._pending_down(channel, after)
        if channel.ended_by and not channel.down:
            self.channels.pop(channel.call_id, None)
            raise _gone()
        self.check_links()
        channel.kiosk_polls += 1
        channel.kiosk_seen = self.clock.seconds()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.hold_s if hold_s is None else hold_s)
        try:
            while not channel.down and not channel.ended_by:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(channel.event.wait(), remaining)
                except TimeoutError:
                    break
        finally:
            channel.kiosk_polls -= 1
            channel.kiosk_seen = self.clock.seconds()
        return {"messages": list(channel.down), "state": channel.state}

    def up(self, channel: Channel, messages: list[dict[str, Any]]) -> tuple[int, int]:
        """The kiosk's messages for the desk: (accepted, screens dropped without consent)."""
        if channel.ended_by:
            raise _gone()
        if not channel.desk_id:
            raise ApiError(409, "not_taken", "No clerk has taken this help call yet.")
        channel.kiosk_seen = self.clock.seconds()
        accepted = dropped = 0
        for message in messages:
            kind = message["kind"]
            if kind == "screen" and not channel.see:
                dropped += 1
                continue
            if kind == "end":
                self.end(channel.call_id, message["by"])
                return accepted + 1, dropped
            if kind == "consent" and not message["see"]:
                self._forget_screens(channel)
            if kind == "screen":
                self._forget_screens(channel, unread_only=True)
            sent = self._to_desk(channel, message)
            if kind in ("consent", "screen"):
                setattr(channel, kind, sent)
            accepted += 1
        return accepted, dropped

    def _forget_screens(self, channel: Channel, unread_only: bool = False) -> None:
        """A newer screen replaces one the desk has not read; consent taken back, all (a
        page reading later gets the newest screen, or none)."""
        channel.up = [m for m in channel.up if m["kind"] != "screen"
                      or (unread_only and m["seq"] <= channel.desk_read)]
        if not unread_only:
            channel.screen = None

    # --- the desk's side ----------------------------------------------------------------

    def _to_desk(self, channel: Channel, message: dict[str, Any]) -> dict[str, Any]:
        if len(channel.up) >= MAX_WAITING:
            channel.up.pop(0)  # a desk page not reading: it gets the newest screen on return
        channel.up_seq += 1
        sent = {**message, "seq": channel.up_seq, "call": channel.call_id}
        channel.up.append(sent)
        self._wake(channel)
        return sent

    def held_by(self, desk_id: str) -> list[Channel]:
        return [c for c in self.channels.values() if c.desk_id == desk_id]

    def send(self, call_id: str, desk_id: str, message: dict[str, Any]) -> int:
        """A clerk's checked message to the kiosk; its seq (a kiosk's `done` refers to it)."""
        channel = self.channels.get(call_id)
        if channel is None or channel.desk_id != desk_id:
            raise ApiError(409, "not_taken", "This desk has not taken this help call: take it "
                           "first.")
        if channel.ended_by:
            raise _gone()
        if message["kind"] not in BEFORE_CONSENT and not channel.see:
            raise ApiError(409, "no_consent", "The citizen has not let you see the screen: "
                           "you may only speak to them or end the help.")
        if len(channel.down) >= MAX_WAITING:
            raise ApiError(409, "not_collected", "The kiosk has not collected the last "
                           "messages: the link to it may be lost.")
        if message["kind"] == "end":
            self.end(call_id, "clerk")
            return channel.down_seq
        return self._to_kiosk(channel, message)

    def unread(self, channel: Channel, after: int) -> list[dict[str, Any]]:
        """The kiosk's messages after `after` for a desk page (each of its pages keeps its
        own place); they count as read, and a newer screen no longer replaces them."""
        found = [m for m in channel.up if m["seq"] > after]
        if found:
            channel.desk_read = max(channel.desk_read, found[-1]["seq"])
        return found

    def snapshot(self, channel: Channel) -> list[dict[str, Any]]:
        """What a desk page opening (again) needs: the consent and the newest screen."""
        return [m for m in (channel.consent, channel.screen) if m is not None]

    def desk_open(self, desk_id: str, opened: bool) -> None:
        self.desk_streams[desk_id] = self.desk_streams.get(desk_id, 0) + (1 if opened else -1)
        self.desk_seen[desk_id] = self.clock.seconds()

    def desk_alive(self, desk_id: str) -> None:
        self.desk_seen[desk_id] = self.clock.seconds()

    # --- links --------------------------------------------------------------------------

    def check_links(self) -> None:
        """Ends the sessions whose kiosk stopped polling or whose desk page is gone; drops
        ended ones after KEEP_ENDED_S, and channels nobody took whose kiosk went."""
        now = self.clock.seconds()
        for channel in list(self.channels.values()):
            if channel.ended_by:
                if now - channel.ended_at > KEEP_ENDED_S:
                    del self.channels[channel.call_id]
                continue
            kiosk_silent = channel.kiosk_polls == 0 and now - channel.kiosk_seen > LINK_LOST_S
            if not channel.desk_id:
                if kiosk_silent:
                    del self.channels[channel.call_id]
                continue
            desk_gone = (self.desk_streams.get(channel.desk_id, 0) == 0
                         and now - self.desk_seen.get(channel.desk_id, now) > LINK_LOST_S)
            if kiosk_silent or desk_gone:
                self.end(channel.call_id, "link")
