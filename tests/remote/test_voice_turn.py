"""A voice call through a real coturn on this machine, with the credentials the hub makes
(hub/turn.py, use-auth-secret): the desk may only use relayed addresses (as behind a NAT that
lets nothing else through), the kiosk learns the TURN server from the desk's offer (as
desk_call.js sends it), and both sides still hear each other's tone."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time

import pytest
from aiortc import RTCConfiguration, RTCIceServer
from aiortc.rtcconfiguration import RTCIceTransportPolicy

from hub.config import Settings
from hub.turn import ice_servers
from kiosk.remote.voice import Audio, CallState, Talk
from tests.log_audit import secret
from tests.remote.desk_peer import DeskPeer
from tests.remote.test_voice_call import AUDIO_S, DESK_HZ, KIOSK_HZ, TIMEOUT_S, Changes
from tests.remote.voice_audio import assert_heard, write_tone

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def answers_stun(port: int) -> bool:
    """A STUN binding request (RFC 5389) gets an answer: the server is listening."""
    request = b"\x00\x01\x00\x00\x21\x12\xa4\x42" + os.urandom(12)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.settimeout(0.2)
        probe.sendto(request, (HOST, port))
        try:
            return probe.recv(1024)[8:20] == request[8:20]
        except TimeoutError:
            return False


@pytest.fixture(scope="module")
def coturn(tmp_path_factory):
    """coturn on loopback with a shared secret, as docs/remote-help.md configures it."""
    if shutil.which("turnserver") is None:
        pytest.fail("coturn is missing: ./kiosk.sh setup installs it (SYSTEM_PACKAGES)")
    folder = tmp_path_factory.mktemp("coturn")
    port, shared = free_port(), secret("turn-shared-secret")
    server = subprocess.Popen(
        ["turnserver", "-n", f"--listening-ip={HOST}", f"--relay-ip={HOST}",
         f"--listening-port={port}", "--use-auth-secret", f"--static-auth-secret={shared}",
         "--realm=turn.test", "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls",
         f"--userdb={folder / 'turndb'}", f"--pidfile={folder / 'pid'}",
         f"--log-file={folder / 'turn.log'}", "--simple-log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT_S
    while not answers_stun(port):
        assert server.poll() is None and time.monotonic() < deadline, "coturn did not start"
    yield Settings(turn_urls=(f"turn:{HOST}:{port}?transport=udp",), turn_secret=shared)
    server.kill()
    server.wait()


def test_a_call_relayed_through_turn_with_the_hubs_credentials(coturn, tmp_path):
    servers = ice_servers(coturn, "county-desk", time.time())  # what the desk page gets
    desk_tone = write_tone(tmp_path / "desk.wav", DESK_HZ)
    kiosk_tone = write_tone(tmp_path / "kiosk.wav", KIOSK_HZ)
    heard_at_kiosk, heard_at_desk = tmp_path / "at-kiosk.wav", tmp_path / "at-desk.wav"

    async def call() -> None:
        loop = asyncio.get_running_loop()
        relay_only = RTCConfiguration(
            iceServers=[RTCIceServer(urls=s["urls"], username=s["username"],
                                     credential=s["credential"]) for s in servers],
            iceTransportPolicy=RTCIceTransportPolicy.RELAY)
        desk = DeskPeer(desk_tone, heard_at_desk, relay_only)
        changes = Changes()

        def to_desk(message):
            asyncio.run_coroutine_threadsafe(desk.on_signal(message["data"]), loop)

        talk = Talk(to_desk, changes, Audio(source=str(kiosk_tone), sink=str(heard_at_kiosk)))
        try:
            talk.handle({"kind": "call"})
            await changes.wait_for(CallState.RINGING)
            await desk.offer(talk.handle, ice_servers=servers)
            offer = desk.pc.localDescription.sdp
            assert " typ relay " in offer, "coturn refused the hub's credentials"
            assert " typ host " not in offer
            await changes.wait_for(CallState.LIVE)
            await asyncio.wait_for(desk.connected.wait(), TIMEOUT_S)
            await asyncio.sleep(AUDIO_S)  # the sound to analyse
            talk.hang_up()
            await changes.wait_for(CallState.ENDED)
        finally:
            await desk.close()
            talk.close()
            assert await asyncio.to_thread(talk.wait_closed)

    asyncio.run(call())
    assert_heard(heard_at_kiosk, DESK_HZ)
    assert_heard(heard_at_desk, KIOSK_HZ)
