"""A hub served in-process on loopback: the kiosk's embedded demo hub (ui/launch.py) and the
tests' hubs (hub.testing) run it the same way."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

from hub.app import create_app
from hub.config import Settings
from hub.seed import DEMO_TOKEN

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class RunningHub:
    """One hub served by uvicorn in a background thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.token = DEMO_TOKEN
        self.app: FastAPI | None = None
        self.public_key_pem = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start (or restart) on the same port and database, as a new process would."""
        if self._server is not None:
            raise RuntimeError("the hub is already running")
        self.app = create_app(self.settings)
        self.public_key_pem = self.app.state.hub.public_key_pem
        # Access lines at INFO through the root logger, as a served hub writes them, so the
        # tests' log audit (tests/log_audit.py) reads them too.
        config = uvicorn.Config(self.app, host=HOST, port=self.port, log_level="info",
                                log_config=None, lifespan="on", timeout_graceful_shutdown=2)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"hub-{self.port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError(f"the hub did not start on {self.url}")
            time.sleep(0.01)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._server = self._thread = None
