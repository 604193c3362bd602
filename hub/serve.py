"""A hub served in-process on loopback: the kiosk's embedded demo hub (ui/launch.py) and the
tests' hubs (hub.testing) run it the same way."""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING

from hub.config import DEMO_TOKEN, Settings

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def listening_socket() -> socket.socket:
    """Bound and listening at once: connections made before the hub serves wait in the
    backlog (slow, not refused), so a kiosk can start before its embedded hub."""
    sock = socket.socket()
    # as uvicorn binds: connections it accepted, still closing, must not stop a restart
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    sock.listen(128)
    return sock


class RunningHub:
    """One hub served by uvicorn in a background thread. Building one imports nothing of the
    web stack; start() does (the embedded hub starts after the kiosk's first frame)."""

    def __init__(self, settings: Settings, sock: socket.socket | None = None) -> None:
        self.settings = settings
        self._sock = sock  # served by the first start; a restart binds the port afresh
        self.port = sock.getsockname()[1] if sock is not None else free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.token = DEMO_TOKEN
        self.app: FastAPI | None = None
        self.public_key_pem = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start (or restart) on the same port and database, as a new process would."""
        import uvicorn

        from hub.app import create_app

        if self._server is not None:
            raise RuntimeError("the hub is already running")
        self.app = create_app(self.settings)
        self.public_key_pem = self.app.state.hub.public_key_pem
        # Access lines at INFO through the root logger, as a served hub writes them, so the
        # tests' log audit (tests/log_audit.py) reads them too.
        config = uvicorn.Config(self.app, host=HOST, port=self.port, log_level="info",
                                log_config=None, lifespan="on", timeout_graceful_shutdown=2)
        server = uvicorn.Server(config)
        sockets = [self._sock] if self._sock is not None else None
        self._sock = None
        thread = threading.Thread(target=server.run, args=(sockets,), name=f"hub-{self.port}",
                                  daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError(f"the hub did not start on {self.url}")
            time.sleep(0.01)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._sock is not None:  # never started: nothing serves it
            self._sock.close()
            self._sock = None
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._server = self._thread = None
