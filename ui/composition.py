"""The composition root: the only module that names the concrete parts behind the kiosk's ports
(kiosk.ports). ui.launch asks it for the demo's, a real hub's, or those of a kiosk that does not
know its hub; everything else sees only the ports. Imports are deferred: a hub kiosk never loads
the demo, and the demo's start does not wait for the HTTP stack.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ports import NullHelpDesk, NullQueue, Ports

if TYPE_CHECKING:
    from kiosk.backend.http import HttpBackend


def demo_ports(today: date | None = None, practice: bool = False) -> Ports:
    """The in-process demo: made-up citizens and a helper desk in memory, no queue (nothing
    leaves this machine). Practice references read PRACTICE."""
    from kiosk.backend.demo import DemoBackend

    demo = DemoBackend(today, practice=practice)
    return Ports(citizen_data=demo, help_desk=demo, uplink=demo, queue=NullQueue())


def hub_backend(base_url: str, token: str, queue: Path, kiosk_id: str, policy: str,
                lone: bool = False, **options: Any) -> HttpBackend:
    """A hub over HTTP with its outbox at `queue` (the caller starts and stops its sender);
    `options` as kiosk.backend.http.HttpBackend takes them (timeouts). `lone`: the hub serves
    this kiosk alone (the embedded demo hub): no fleet to spare, so it is asked as often while
    online as while offline."""
    from kiosk.backend.http import PROBE_EVERY_S, HttpBackend

    if lone:
        options.setdefault("alive_every", PROBE_EVERY_S)
    return HttpBackend(base_url, token, queue, kiosk_id=kiosk_id, policy=policy, **options)


def hub_ports(hub: HttpBackend) -> Ports:
    """Every port from the hub: the embedded demo hub on loopback, or a real one."""
    return Ports(citizen_data=hub, help_desk=hub, uplink=hub, queue=hub)


def no_hub_ports(queue: Path, kiosk_id: str) -> Ports:
    """A kiosk that does not know its hub: nothing filed, nobody called, the queue it had kept
    for the admin to see."""
    from kiosk.backend.no_hub import NoHubBackend
    from kiosk.sync.outbox import Outbox

    stranded = NoHubBackend(Outbox(queue), kiosk_id)
    return Ports(citizen_data=stranded, help_desk=NullHelpDesk(), uplink=stranded,
                 queue=stranded)
