"""Headless Chromium driven over the DevTools protocol through a pipe (--remote-debugging-pipe:
fd 3 in, fd 4 out, NUL-separated JSON), so the tests need no WebSocket client. Fake media
devices: the microphone plays a WAV file (or Chromium's own beep) and permission is granted."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

TIMEOUT_S = 30


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is missing: ./kiosk.sh setup installs it (SYSTEM_PACKAGES)")
    return found


def _as_fds_3_and_4(reading: int, writing: int) -> None:
    """In the child: the browser reads commands on fd 3 and writes answers on fd 4."""
    reading, writing = os.dup(reading), os.dup(writing)  # out of the way of 3 and 4
    os.dup2(reading, 3)
    os.dup2(writing, 4)


class Chromium:
    def __init__(self, profile: Path, microphone_wav: Path | None = None) -> None:
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()
        fake_audio = ([f"--use-file-for-fake-audio-capture={microphone_wav}"]
                      if microphone_wav else [])
        self.process = subprocess.Popen(
            [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--use-fake-device-for-media-stream",
             "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
             "--disable-features=WebRtcHideLocalIpsWithMdns", *fake_audio, "about:blank"],
            pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: _as_fds_3_and_4(to_browser, from_browser))
        os.close(to_browser)
        os.close(from_browser)
        self._next_id, self._buffer = 0, b""
        self.events: list[dict[str, Any]] = []
        target = self.command("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.command("Target.attachToTarget", targetId=target,
                                    flatten=True)["sessionId"]
        self.command("Emulation.setDeviceMetricsOverride", session=True, width=1280,
                     height=1000, deviceScaleFactor=1, mobile=False)
        self.command("Page.enable", session=True)
        self.command("Runtime.enable", session=True)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._in, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def command(self, method: str, session: bool = False, **params) -> dict[str, Any]:
        self._next_id += 1
        request = {"id": self._next_id, "method": method, "params": params}
        if session:
            request["sessionId"] = self.session
        os.write(self._out, json.dumps(request).encode() + b"\0")
        while True:
            message = self._read()
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        result = self.command("Runtime.evaluate", session=True, expression=expression,
                              awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"the page threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = TIMEOUT_S) -> Any:
        """Polls a JavaScript expression until it is truthy."""
        deadline = time.monotonic() + timeout
        while not (value := self.evaluate(expression)):
            assert time.monotonic() < deadline, f"never true in the page: {expression}"
            time.sleep(0.1)
        return value

    def open(self, url: str) -> None:
        self.command("Page.navigate", session=True, url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def screenshot(self, path: Path, element: str = "") -> Path:
        """A PNG of the page, scrolled to the element with that id first."""
        if element:
            self.evaluate(f"document.getElementById({json.dumps(element)}).scrollIntoView()")
        data = self.command("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        for fd in (self._in, self._out):
            os.close(fd)
