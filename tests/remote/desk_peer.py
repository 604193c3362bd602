"""The desk's end of a voice call played by aiortc, as the browser would: it offers, sends a
WAV tone and records what the kiosk sends. Runs on the caller's asyncio loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer, MediaRecorder


class DeskPeer:
    def __init__(self, tone: Path, recording: Path,
                 configuration: RTCConfiguration | None = None) -> None:
        self.pc = RTCPeerConnection(configuration or RTCConfiguration(iceServers=[]))
        self.player = MediaPlayer(str(tone), loop=True)
        self.recorder = MediaRecorder(str(recording))
        self.connected = asyncio.Event()
        self.bye = asyncio.Event()
        self.bye_reason = ""
        self.pc.on("track", self.recorder.addTrack)

        @self.pc.on("connectionstatechange")
        def _state() -> None:
            if self.pc.connectionState == "connected":
                self.connected.set()

    async def offer(self, send: Callable[[dict[str, Any]], None], trickle: bool = False,
                    **extra: Any) -> None:
        """`trickle`: the offer says more candidates may follow, as a browser's does."""
        self.pc.addTrack(self.player.audio)
        await self.pc.setLocalDescription(await self.pc.createOffer())
        sdp = self.pc.localDescription.sdp
        if trickle:
            sdp = sdp.replace("a=end-of-candidates\r\n", "")
        send({"kind": "signal", "data": {"type": "offer", "sdp": sdp, **extra}})

    async def on_signal(self, data: dict[str, Any]) -> None:
        if data["type"] == "answer":
            await self.pc.setRemoteDescription(RTCSessionDescription(data["sdp"], "answer"))
            await self.recorder.start()
        elif data["type"] == "bye":
            self.bye_reason = data.get("reason", "")
            self.bye.set()

    async def close(self) -> None:
        await self.recorder.stop()
        self.player.audio.stop()
        await self.pc.close()
