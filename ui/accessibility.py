"""The platform's accessibility bus (AT-SPI), for screen readers and switch devices.

Qt's AT-SPI bridge (Linux, xcb and wayland platforms) answers assistive technology once the
accessibility bus is there: `QT_LINUX_ACCESSIBILITY_ALWAYS_ON` (set by deploy/'s units) switches
it on without waiting for a screen reader to announce itself, but Qt only watches the session
bus for `org.a11y.Bus` and never starts it. A desktop starts it at login; cage and a bare X
server do not. So the kiosk asks the session bus to start it (D-Bus activation of at-spi2-core's
launcher) without waiting for the answer: the bridge connects when the name appears.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusPendingCallWatcher

log = logging.getLogger(__name__)

SWITCH = "QT_LINUX_ACCESSIBILITY_ALWAYS_ON"
A11Y_BUS = "org.a11y.Bus"


def wanted() -> bool:
    return SWITCH in os.environ  # as Qt reads it: set, even empty, is on


def start_accessibility_bus(parent: QObject) -> QDBusPendingCallWatcher | None:
    """Ask for the accessibility bus when it is wanted; never blocks. Returns the watcher of
    the request (kept by `parent`), None when not wanted or there is no session bus."""
    if not wanted():
        return None
    from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        log.warning("no D-Bus session bus: screen readers cannot reach the kiosk "
                    "(deploy/README.md, Screen readers and switch devices)")
        return None
    # Any call to the name starts its service (D-Bus auto-start); this one also opens the bus.
    request = QDBusMessage.createMethodCall(A11Y_BUS, "/org/a11y/bus", A11Y_BUS, "GetAddress")
    watcher = QDBusPendingCallWatcher(bus.asyncCall(request), parent)
    watcher.finished.connect(_started)
    return watcher


def _started(watcher: QDBusPendingCallWatcher) -> None:
    if watcher.isError():
        log.warning("the accessibility bus did not start (is at-spi2-core installed?): %s",
                    watcher.error().message())
    watcher.deleteLater()
