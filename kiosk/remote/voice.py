"""The kiosk's end of a remote helper's voice call (WebRTC, aiortc): the desk's browser offers,
the kiosk answers, the microphone goes out and what the clerk says comes out of the speaker.

Signalling travels as the live channel's `signal` messages (REMOTE.md, "Talk"): the desk sends
`{"type": "offer", "sdp"}` and perhaps `{"type": "candidate", ...}`, the kiosk answers with
`{"type": "answer", "sdp"}` (aiortc gathers its candidates before answering, so it sends none
of its own), either side ends with `{"type": "bye"}`.

aiortc is asyncio: the call runs its own event loop on a thread of its own, never the GUI
thread. The remote session meets it through kiosk/remote/hooks.py: `open_voice(link)`, called
only after the citizen's consent, gives the `Talk` the channel hands `call` and `signal`
messages to; `link.live` raises and takes down the kiosk's "On a call" state, `link.audit`
records the call's start and end.

TURN (kiosks behind NAT, docs/remote-help.md): the desk's offer may carry `"ice_servers":
[{"urls": ..., "username": ..., "credential": ...}]`, the short-lived TURN credentials the hub
gave the desk page (GET /desk/turn); the kiosk keeps no TURN secret.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
    rtcrtpsender,
)
from aiortc.codecs import get_encoder
from aiortc.codecs.opus import SAMPLE_RATE, SAMPLES_PER_FRAME, OpusEncoder
from aiortc.contrib.media import MediaPlayer, MediaRecorder
from aiortc.sdp import candidate_from_sdp
from av import AudioResampler

from kiosk.remote.hooks import VoiceLink
from kiosk.remote.voice_devices import Microphone, NoSoundDevice, Speaker, commands

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_S = 5
VOICE_BITRATE = 24000  # Opus, mono, speech: clear at 24 kbit/s (RFC 7587: 16-20 for wideband)


def speech_encoder(codec):
    """aiortc encodes Opus in stereo at a fixed 96 kbit/s, whatever the SDP or the sender's
    parameters say (aiortc issue 1393): four times what speech needs, on a village's link.
    The kiosk's sender gets a mono encoder at VOICE_BITRATE instead (the codec opens on the
    first frame, so it can still be set here); other codecs are aiortc's own."""
    encoder = get_encoder(codec)
    if isinstance(encoder, OpusEncoder):
        encoder.codec.bit_rate = VOICE_BITRATE
        encoder.codec.layout = "mono"
        encoder.resampler = AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE,
                                           frame_size=SAMPLES_PER_FRAME)
    return encoder


rtcrtpsender.get_encoder = speech_encoder  # the one place aiortc makes a sender's encoder


@dataclass(frozen=True)
class IceServer:
    """A STUN or TURN server (coturn for kiosks behind NAT: docs/remote-help.md)."""

    url: str  # "turn:turn.example.gov.cn:3478?transport=udp", "stun:..."
    username: str = ""
    credential: str = ""


@dataclass(frozen=True)
class Audio:
    """Where the call's sound comes from and goes: "" is the kiosk's microphone and speaker
    (or handset), the sound server's defaults (kiosk/remote/voice_devices.py); a path is a
    WAV file (played in a loop / recorded), for tests."""

    source: str = ""
    sink: str = ""


class CallState(enum.Enum):
    RINGING = "ringing"  # the desk asked to talk (`call`); no sound yet
    CONNECTING = "connecting"  # answered, the peers are finding each other
    LIVE = "live"  # sound both ways: "On a call" on the kiosk's screen
    ENDED = "ended"


class EndedBy(enum.Enum):
    CITIZEN = "citizen"  # the citizen's Hang up button
    CLERK = "clerk"  # the desk sent bye
    LINK = "link"  # the network path or the hub channel was lost: say so
    SESSION = "session"  # the help session ended (the session itself says why)
    REFUSED = "refused"  # a second call while one is on
    FAILED = "failed"  # the microphone or speaker could not be opened, or a bad offer


Listener = Callable[[CallState, "EndedBy | None"], None]
Send = Callable[[dict[str, Any]], None]


def ice_servers_of(offer: dict[str, Any]) -> tuple[IceServer, ...]:
    """The servers an offer carries (the browser's RTCIceServer shape); bad entries are left
    out, never fatal."""
    found = []
    for entry in offer.get("ice_servers") or ():
        if not isinstance(entry, dict):
            continue
        urls = entry.get("urls")
        for url in [urls] if isinstance(urls, str) else urls if isinstance(urls, list) else ():
            if isinstance(url, str) and url.startswith(("stun:", "turn:", "turns:")):
                found.append(IceServer(url, str(entry.get("username") or ""),
                                       str(entry.get("credential") or "")))
    return tuple(found)


def rtc_configuration(servers: Sequence[IceServer]) -> RTCConfiguration:
    """Only the servers configured: aiortc would otherwise ask a public STUN server, which a
    kiosk on a closed network cannot reach (and should not be made to try)."""
    return RTCConfiguration(iceServers=[
        RTCIceServer(urls=s.url, username=s.username or None, credential=s.credential or None)
        for s in servers])


def open_source(audio: Audio) -> MediaStreamTrack:
    if audio.source:
        return MediaPlayer(audio.source, loop=True).audio
    return Microphone(commands()[0])


def open_sink(audio: Audio) -> MediaRecorder | Speaker:
    return MediaRecorder(audio.sink) if audio.sink else Speaker(commands()[1])


class _Call:
    """One answered offer: its peer connection, microphone and speaker; lives on the loop."""

    def __init__(self, talk: Talk) -> None:
        self._talk = talk
        self._pc = RTCPeerConnection(rtc_configuration(talk.ice_servers))
        self._source: MediaStreamTrack | None = None
        self._sink: MediaRecorder | Speaker | None = None
        self._closed = False
        self._failing: asyncio.Future | None = None
        self._pc.on("track", self._on_track)
        self._pc.on("connectionstatechange", self._on_connection_state)

    def _on_track(self, track) -> None:
        if track.kind == "audio" and self._sink is not None:
            self._sink.addTrack(track)

    def _on_connection_state(self) -> None:
        """Plain, not a coroutine: aiortc fires "closed" while the loop shuts down, when a
        coroutine handler would be left never awaited. "failed": the path was lost (no
        answer for about half a minute); "closed" before we closed: the desk's browser went
        (its tab closed) without a bye. Either way the call is over and the kiosk says so."""
        state = self._pc.connectionState
        if state == "connected":
            self._talk._set(CallState.LIVE)
        elif state in ("failed", "closed") and not self._closed:
            self._failing = asyncio.ensure_future(self._talk._finish(EndedBy.LINK, True))

    async def answer(self, sdp: str) -> None:
        self._source = open_source(self._talk.audio)
        self._sink = open_sink(self._talk.audio)
        await self._pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        self._pc.addTrack(self._source)
        await self._pc.setLocalDescription(await self._pc.createAnswer())
        await self._sink.start()
        self._talk._send({"type": "answer", "sdp": self._pc.localDescription.sdp})

    async def add_candidate(self, data: dict[str, Any]) -> None:
        line = data.get("candidate") or ""
        if not line:  # end of candidates
            return
        candidate = candidate_from_sdp(line.removeprefix("candidate:"))
        candidate.sdpMid = data.get("sdpMid")
        candidate.sdpMLineIndex = data.get("sdpMLineIndex")
        await self._pc.addIceCandidate(candidate)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):  # a half-made call: close what there is
            await self._pc.close()
        if self._sink is not None:
            with contextlib.suppress(Exception):
                await self._sink.stop()
        if self._source is not None:
            self._source.stop()


class Talk:
    """The voice side of one remote session on the kiosk, made after the citizen's consent.

    The channel calls `handle(message)` with every desk→kiosk message (it takes `call` and
    `signal`, returns False for the rest) and `link_lost()` when the channel is lost; the
    Hang up button calls `hang_up()`; the session's end calls `close()` (a call still on
    ends with a bye, reason "session"). `send` puts a
    kiosk→desk message on the channel (called from the voice thread: it must be thread-safe).
    `listener(state, ended_by)` hears every change, on the voice thread."""

    def __init__(self, send: Send, listener: Listener, audio: Audio = Audio(),
                 ice_servers: Sequence[IceServer] = ()) -> None:
        self.audio = audio
        self.ice_servers = tuple(ice_servers)
        self._send_message = send
        self._listener = listener
        self._state = CallState.ENDED
        self._call: _Call | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> CallState:
        return self._state

    def handle(self, message: dict[str, Any]) -> bool:
        kind = message.get("kind")
        if kind == "call":
            self._post(self._ring())
        elif kind == "signal" and isinstance(message.get("data"), dict):
            self._post(self._signal(message["data"]))
        else:
            return False
        return True

    def hang_up(self) -> None:
        self._post(self._finish(EndedBy.CITIZEN, send_bye=True))

    def link_lost(self) -> None:
        """The hub channel is gone: no bye can reach the desk; the call ends and says so."""
        self._post(self._finish(EndedBy.LINK, send_bye=False))

    def close(self) -> None:
        """The remote session is over: ends any call (a bye to the desk) and stops the voice
        thread. Never blocks (the GUI thread calls it); `wait_closed` waits for the end."""
        with self._lock:
            self._closed = True
            loop = self._loop
        if loop is not None:
            asyncio.run_coroutine_threadsafe(self._shut_down(), loop)

    def wait_closed(self, timeout: float = CLOSE_TIMEOUT_S) -> bool:
        """After `close`: True once the voice thread has ended (recordings are complete)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # --- on the voice thread -------------------------------------------------------------

    def _post(self, work) -> None:
        with self._lock:
            if self._closed:  # a message that came after the session's end
                work.close()
                return
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._run, args=(self._loop,),
                                                name="voice-call", daemon=True)
                self._thread.start()
            asyncio.run_coroutine_threadsafe(work, self._loop)

    @staticmethod
    def _run(loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _shut_down(self) -> None:
        try:
            await asyncio.sleep(0)  # work posted before the close starts first (then is cut)
            await self._finish(EndedBy.SESSION, send_bye=True)
            for _ in range(3):  # a cancelled task may start another on its way out
                others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                if not others:
                    break
                for task in others:
                    task.cancel()
                await asyncio.wait(others, timeout=CLOSE_TIMEOUT_S)
        finally:
            asyncio.get_running_loop().stop()

    def _send(self, data: dict[str, Any]) -> None:
        try:
            self._send_message({"kind": "signal", "data": data})
        except Exception:  # the channel's fault: the call still ends or goes on properly
            log.warning("a voice call's signal could not be sent", exc_info=True)

    def _set(self, state: CallState, ended_by: EndedBy | None = None) -> None:
        if state == self._state and ended_by is None:
            return
        self._state = state
        try:
            self._listener(state, ended_by)
        except Exception:  # a listener's fault must not take the call down with it
            log.exception("the call's listener failed")

    async def _ring(self) -> None:
        if self._call is None:
            self._set(CallState.RINGING)

    async def _signal(self, data: dict[str, Any]) -> None:
        kind = data.get("type")
        if kind == "offer":
            self.ice_servers = ice_servers_of(data) or self.ice_servers
            await self._answer(str(data.get("sdp", "")))
        elif kind == "candidate" and self._call is not None:
            try:
                await self._call.add_candidate(data)
            except (ValueError, AssertionError, IndexError):
                log.warning("a voice call's candidate could not be read; ignored")
        elif kind == "bye":
            await self._finish(EndedBy.CLERK, send_bye=False)

    async def _answer(self, sdp: str) -> None:
        if self._call is not None:
            self._send({"type": "bye", "reason": EndedBy.REFUSED.value})
            return
        self._call = _Call(self)
        self._set(CallState.CONNECTING)
        try:
            await self._call.answer(sdp)
        except NoSoundDevice as fault:
            log.warning("the voice call could not be answered: %s", fault)
            await self._finish(EndedBy.FAILED, send_bye=True)
        except Exception as fault:  # an unusable offer: its text (the desk's addresses) is
            log.warning("the voice call could not be answered: %s",  # not logged
                        type(fault).__name__)
            await self._finish(EndedBy.FAILED, send_bye=True)

    async def _finish(self, ended_by: EndedBy, send_bye: bool) -> None:
        call, self._call = self._call, None
        if call is None and self._state == CallState.ENDED:
            return
        if send_bye:
            self._send({"type": "bye", "reason": ended_by.value})
        if call is not None:
            await call.close()
        self._set(CallState.ENDED, ended_by)


def open_voice(link: VoiceLink) -> Talk:
    """The hook's opener (kiosk/remote/hooks.py): the kiosk's microphone and speaker; the
    "On a call" state and the audit follow the call."""
    started = threading.Event()

    def follow(state: CallState, ended_by: EndedBy | None) -> None:
        if state == CallState.LIVE and not started.is_set():
            started.set()
            link.live(True)
            link.audit("started")
        elif state == CallState.ENDED:
            link.live(False)
            if started.is_set():
                started.clear()
                link.audit("ended")

    return Talk(link.send, follow)
