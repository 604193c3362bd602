"""A fault-injecting TCP proxy on 127.0.0.1, between the kiosk and a real hub.

Each client connection carries one HTTP request (the proxy asks the hub to close after it).
What happens to the next requests is set with `fail(mode, times=None)`; `heal()` goes back to
forwarding. Modes:

    pass            forward the request, relay the response
    refuse          stop listening: connections are refused (until heal)
    drop_request    read the request, close the connection; the hub never sees it
    stall           read the request, never answer and never forward (the client times out)
    drop_response   forward the request and read the hub's whole answer (the hub has filed
                    it), then close the client's connection without a byte of it
    hold            read the request and wait for `release()` before forwarding it
    503 / 429 / 500 answer that status with the contract's error body (503 and 429 carry
                    Retry-After: `retry_after`), never forwarding
    404 / 405 / 408 / 413  answer that status with an HTML page, as a reverse proxy in front
                    of the hub does (a wrong path, a body-size limit), never forwarding
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

STATUS_TEXT = {429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
               404: "Not Found", 405: "Not Allowed", 408: "Request Timeout",
               413: "Request Entity Too Large"}
PROXY_PAGES = {404, 405, 408, 413}  # answered by the reverse proxy itself, in HTML
MODES = {"pass", "refuse", "drop_request", "stall", "drop_response", "hold",
         *(str(status) for status in STATUS_TEXT)}


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    key: str | None  # the Idempotency-Key header
    mode: str  # what the proxy did with it
    body: bytes = b""


class FaultProxy:
    def __init__(self, upstream_url: str) -> None:
        self.retarget(upstream_url)
        self.mode = "pass"
        self.retry_after: str | None = "5"
        self.delay = 0.0  # seconds added before forwarding each request (widens races)
        self.seen: list[Seen] = []
        self._times: int | None = None
        self._lock = threading.Lock()
        self._gate = threading.Event()
        self._closed = threading.Event()
        self._held = 0
        self._server: socket.socket | None = None
        self.port = 0
        self._listen()
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    # control
    def retarget(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)

    def fail(self, mode: str, times: int | None = None, retry_after: str | None = "5") -> None:
        assert mode in MODES, mode
        with self._lock:
            self.mode, self._times, self.retry_after = mode, times, retry_after
            self._gate.clear()
        if mode == "refuse":
            self._unlisten()
        else:
            self._listen()

    def heal(self) -> None:
        self.fail("pass")
        self._gate.set()

    def release(self) -> None:
        """Let held requests go on to the hub."""
        self._gate.set()

    @property
    def held(self) -> int:
        return self._held

    def count(self, path: str = "/v1/submissions", method: str = "POST",
              forwarded_only: bool = False) -> int:
        with self._lock:
            return sum(1 for s in self.seen if s.path.startswith(path) and s.method == method
                       and (not forwarded_only or s.mode in ("pass", "drop_response", "hold")))

    def keys(self) -> list[str | None]:
        with self._lock:
            return [s.key for s in self.seen if s.path.startswith("/v1/submissions")]

    def bodies(self, key: str) -> set[bytes]:
        with self._lock:
            return {s.body for s in self.seen if s.key == key}

    def close(self) -> None:
        self._closed.set()
        self._gate.set()
        self._unlisten()
        self._thread.join(5)

    # listening
    def _listen(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", self.port))
            server.listen(64)
            server.settimeout(0.05)
            self.port = server.getsockname()[1]
            self._server = server

    def _unlisten(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.close()

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            server = self._server
            if server is None:
                self._closed.wait(0.02)
                continue
            try:
                client, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            client.settimeout(None)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    # one request
    def _take_mode(self) -> str:
        with self._lock:
            mode = self.mode
            if self._times is not None:
                self._times -= 1
                if self._times <= 0:
                    self.mode, self._times = "pass", None
            return mode

    def _serve(self, client: socket.socket) -> None:
        with client:
            request = _read_request(client)
            if request is None:
                return
            head, body = request
            mode = self._take_mode()
            method, path, headers = _parse_head(head)
            with self._lock:
                self.seen.append(Seen(method, path, headers.get("idempotency-key"), mode, body))
            if mode in ("drop_request", "refuse"):
                return
            if mode == "stall":
                self._gate.wait()
                return
            if mode.isdigit():
                client.sendall(self._error_response(int(mode)))
                return
            if mode == "hold":
                with self._lock:
                    self._held += 1
                self._gate.wait()
                with self._lock:
                    self._held -= 1
            if self.delay:
                time.sleep(self.delay)
            response = self._forward(head, body)
            if response is not None and mode != "drop_response":
                client.sendall(response)

    def _forward(self, head: bytes, body: bytes) -> bytes | None:
        lines = [line for line in head.split(b"\r\n")
                 if not line.lower().startswith(b"connection:")]
        lines.insert(1, b"Connection: close")
        try:
            with socket.create_connection(self.upstream, timeout=30) as upstream:
                upstream.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
                chunks = []
                while chunk := upstream.recv(65536):
                    chunks.append(chunk)
        except OSError:
            return None  # the hub is down: the client sees its connection closed
        return b"".join(chunks)

    def _error_response(self, status: int) -> bytes:
        if status in PROXY_PAGES:
            page = (f"<html><head><title>{status} {STATUS_TEXT[status]}</title></head><body>"
                    f"<center><h1>{status} {STATUS_TEXT[status]}</h1></center><hr>"
                    "<center>nginx</center></body></html>").encode()
            return (f"HTTP/1.1 {status} {STATUS_TEXT[status]}\r\nContent-Type: text/html\r\n"
                    f"Content-Length: {len(page)}\r\nConnection: close\r\n\r\n").encode() + page
        body = json.dumps({"error": "unavailable" if status != 429 else "too_many_requests",
                           "message": "Injected by the test proxy."}).encode()
        extra = f"Retry-After: {self.retry_after}\r\n" if status != 500 and self.retry_after \
            else ""
        head = (f"HTTP/1.1 {status} {STATUS_TEXT[status]}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n")
        return head.encode() + body


def _read_request(client: socket.socket) -> tuple[bytes, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = client.recv(65536)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(_parse_head(head)[2].get("content-length", "0"))
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head, body


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, path = lines[0].split(" ")[:2]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return method, path, headers
