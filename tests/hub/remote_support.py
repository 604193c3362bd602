"""Test support for remote help: a regional desk and kiosks in centres it does or does not
serve, a desk's event stream read line by line, and the hub's clock moved on (never slept)."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from hub.auth import token_hash
from hub.db import Kiosk
from hub.remote.desks import add_regional_desk
from hub.seed import DEMO_CENTRE
from hub.serve import HOST, RunningHub
from tests.hub.conftest import Client, desk_browser
from tests.log_audit import secret

FAR_CENTRE = "Far village point"  # served by the region, no desk of its own
OTHER_CENTRE = "Another county's centre"  # not served by the region


class Region:
    """One regional desk serving the demo centre and FAR_CENTRE, kiosks in three centres."""

    def __init__(self, hub: RunningHub) -> None:
        self.hub = hub
        self.db = hub.app.state.hub.db
        tag = uuid.uuid4().hex[:8]  # a shared hub: each test its own desk and kiosks
        self.desk_id, self.name = f"county-{tag}", f"County hall {tag}"
        self.token = secret(f"region-token-{tag}")
        add_regional_desk(self.db, self.desk_id, self.name, [DEMO_CENTRE, FAR_CENTRE],
                          token_hash(self.token))
        self.desk = desk_browser(hub, self.token)
        self.far_id = f"far-{tag}"
        self.far = self._kiosk(self.far_id, FAR_CENTRE)
        self.other = self._kiosk(f"other-{tag}", OTHER_CENTRE)
        self.home = Client(hub)  # the demo kiosk, in the demo centre (which has a desk)

    def _kiosk(self, kiosk_id: str, centre: str) -> Client:
        token = secret(f"token-{kiosk_id}")
        with self.db.write() as session, session.begin():
            session.add(Kiosk(kiosk_id=kiosk_id, centre=centre, token_hash=token_hash(token)))
        return Client(self.hub, token=token)

    def calls(self, browser: requests.Session | None = None) -> list[dict[str, Any]]:
        response = (browser or self.desk).get(f"{self.hub.url}/desk/calls", timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def desk_post(self, call_id: str, action: str, body: Any = None) -> requests.Response:
        return self.desk.post(f"{self.hub.url}/desk/calls/{call_id}/{action}",
                              json=body if body is not None else {}, timeout=30)

    def take(self, call_id: str, clerk: str = "Li Ming") -> dict[str, Any]:
        response = self.desk_post(call_id, "take", {"clerk": clerk})
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, call_id: str, message: dict[str, Any]) -> requests.Response:
        return self.desk_post(call_id, "send", message)


def call(kiosk: Client, service: str = "pay_bill", step: str = "account") -> str:
    response = kiosk.post("/v1/help-requests", json={"service_id": service, "step_id": step})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def down(kiosk: Client, call_id: str, after: int = 0, timeout: float = 10) -> requests.Response:
    """The kiosk's long poll. `timeout` is under the hub's 20 s hold: an answer within it
    came because a message was there, not because the hold ran out."""
    return kiosk.session.get(f"{kiosk.hub.url}/v1/help-requests/{call_id}/remote/down",
                             params={"after": after}, timeout=timeout)


def up(kiosk: Client, call_id: str, *messages: dict[str, Any]) -> requests.Response:
    return kiosk.post(f"/v1/help-requests/{call_id}/remote/up",
                      json={"messages": list(messages)})


class Events:
    """A desk page's event stream (GET /desk/events), read event by event."""

    def __init__(self, hub: RunningHub, browser: requests.Session) -> None:
        self.connection = http.client.HTTPConnection(HOST, hub.port, timeout=10)
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
        self.connection.request("GET", "/desk/events", headers={"Cookie": cookie})
        self.response = self.connection.getresponse()
        assert self.response.status == 200, self.response.read()[:500]

    def next(self, name: str) -> dict[str, Any]:
        """The next event called `name` (others are passed over); a TimeoutError if none
        comes within 10 s (the stream speaks within a second when things change)."""
        event, data = "", []
        deadline = time.monotonic() + 10
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {name} event within 10 s")
            line = self.response.readline().decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif not line and event:
                if event == name:
                    return json.loads("\n".join(data))
                event, data = "", []

    def remote(self) -> dict[str, Any]:
        return self.next("remote")

    def close(self) -> None:
        self.connection.close()


@contextmanager
def events(hub: RunningHub, browser: requests.Session) -> Iterator[Events]:
    stream = Events(hub, browser)
    try:
        yield stream
    finally:
        stream.close()
