"""A clerk at a desk of the real hub, as the desk page is one: signed in with the desk's
token through the form (a cookie, never a token in a URL), taking calls and sending messages
with the desk's endpoints, and reading the desk's live event stream (/desk/events) on a
thread of its own, each kiosk message kept with the moment it arrived."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from urllib.parse import urlsplit

import requests

DEMO_DESK_TOKEN = "demo-desk-token"


class HubDesk:
    def __init__(self, url: str, token: str = DEMO_DESK_TOKEN, clerk: str = "Li Ming") -> None:
        self.url = url
        self.clerk = clerk
        self.name = ""  # the desk's own name, from the hub, once a call is taken
        self.browser = requests.Session()
        signed = self.browser.post(f"{url}/desk/sign-in", data={"token": token,
                                                                 "next": "/desk/region"},
                                   timeout=30)
        signed.raise_for_status()
        self._lock = threading.Lock()
        self._seen: list[tuple[float, dict]] = []  # (arrival, message), each seq once
        self._seqs: set[tuple[str, int]] = set()
        self.calls: list[dict] = []
        self._closed = False
        self._connection: http.client.HTTPConnection | None = None
        self._thread = threading.Thread(target=self._read_events, daemon=True)
        self._thread.start()

    # the clerk's acts
    def take(self, call_id: str) -> None:
        answer = self.browser.post(f"{self.url}/desk/calls/{call_id}/take",
                                   json={"clerk": self.clerk}, timeout=30)
        answer.raise_for_status()
        self.name = answer.json()["desk"]
        self.call_id = call_id

    def send(self, call_id: str, message: dict) -> requests.Response:
        answer = self.browser.post(f"{self.url}/desk/calls/{call_id}/send", json=message,
                                   timeout=30)
        answer.raise_for_status()
        return answer

    def end(self, call_id: str) -> None:
        self.browser.post(f"{self.url}/desk/calls/{call_id}/end", json={},
                          timeout=30).raise_for_status()

    def sees_calls(self) -> list[dict]:
        answer = self.browser.get(f"{self.url}/desk/calls", timeout=30)
        answer.raise_for_status()
        return answer.json()

    # what the clerk's page receives
    def seen(self) -> list[dict]:
        with self._lock:
            return [message for _, message in self._seen]

    def arrivals(self) -> list[tuple[float, dict]]:
        with self._lock:
            return list(self._seen)

    def close(self) -> None:
        """The page closed: the stream's socket shut at once, so the hub sees it go (a hub
        stopping waits for the streams it still serves)."""
        self._closed = True
        connection = self._connection
        if connection is not None and connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)
        if connection is not None:
            connection.close()
        self._thread.join(timeout=10)

    def _read_events(self) -> None:
        """The desk page's EventSource: read, and reconnect when the hub ends the stream."""
        where = urlsplit(self.url)
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.browser.cookies)
        while not self._closed:
            try:
                self._connection = http.client.HTTPConnection(where.hostname, where.port,
                                                              timeout=60)
                self._connection.request("GET", "/desk/events", headers={"Cookie": cookie})
                response = self._connection.getresponse()
                self._stream(response)
            except (OSError, AttributeError, ValueError, http.client.HTTPException):
                if self._closed:
                    return
                time.sleep(0.2)  # as a browser's EventSource waits before reconnecting

    def _stream(self, response) -> None:
        event, data = "", []
        while not self._closed:
            raw = response.readline()
            if not raw:
                return
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif not line:
                if event and data:
                    self._event(event, json.loads("\n".join(data)), time.perf_counter())
                event, data = "", []

    def _event(self, name: str, data: dict, arrived: float) -> None:
        if name == "calls":
            self.calls = data.get("calls", [])
            return
        if name != "remote":
            return
        key = (str(data.get("call") or ""), int(data.get("seq", -1)))
        with self._lock:
            if key[1] >= 0 and key in self._seqs:
                return  # a reconnected stream sends the newest screen again
            self._seqs.add(key)
            self._seen.append((arrived, data))
