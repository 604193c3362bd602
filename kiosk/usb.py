"""USB sticks: where they are mounted, and taking one out safely after an export.

On the appliance, deploy/61-assisted-kiosk-usb.rules and deploy/kiosk-usb-mount@.service mount
a stick at /run/kiosk-usb/<device> when it is inserted (deploy/README.md says why not udisks2);
on a desktop, the desktop mounts it under /media. Both are listed.

After writing, the bytes are pushed to the device (fsync of the file and its folder, then
`sync -f` for the whole filesystem) and the stick is unmounted: by stopping its mount service
on the appliance (allowed to the kiosk user by deploy/50-assisted-kiosk-usb.rules, polkit),
with `udisksctl unmount` for a desktop's stick, or `umount`. Only when it is no longer mounted
does the kiosk say it can be taken out. Blocking: call from ui.tasks.run_in_background.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.message import KioskError
from kiosk.sync.bundle import MEDIA_ROOTS, MOUNTS, removable_drives

APPLIANCE_ROOT = Path("/run/kiosk-usb")  # where kiosk-usb-mount@.service mounts a stick
ROOTS = (APPLIANCE_ROOT, *MEDIA_ROOTS)
MOUNT_SERVICE = "kiosk-usb-mount@{}.service"
TIMEOUT_S = 60  # a slow stick can take this long to write back its cache

Run = Callable[[list[str]], subprocess.CompletedProcess]


class UsbError(KioskError):
    """A USB stick that cannot be used or closed; `.text(lang)` says why."""


@dataclass(frozen=True)
class Ejected:
    name: str  # the stick's name as the admin saw it on the button


def sticks(roots: Sequence[Path] = ROOTS, mounts: Path = MOUNTS) -> list[Path]:
    """The mounted, writable USB sticks: the appliance's and a desktop's."""
    return removable_drives(roots, mounts)


def flush(path: Path) -> None:
    """Everything written to `path` (a file on the stick) is on the device when this returns."""
    for target, flags in ((path, os.O_RDONLY), (path.parent, os.O_RDONLY | os.O_DIRECTORY)):
        fd = os.open(target, flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    done = _run(["sync", "-f", str(path)])
    if done.returncode != 0:
        raise UsbError("usb.flush_failed", name=path.parent.name)


def eject_command(point: Path, mounts: Path = MOUNTS) -> list[str]:
    """How this kiosk unmounts the stick at `point`."""
    if point.parent == APPLIANCE_ROOT:
        return ["systemctl", "stop", MOUNT_SERVICE.format(point.name)]
    device = _device_of(point, mounts)
    if device and shutil.which("udisksctl"):
        return ["udisksctl", "unmount", "--no-user-interaction", "-b", device]
    return ["umount", str(point)]


def eject(point: Path, mounts: Path = MOUNTS, run: Run | None = None) -> Ejected:
    """Unmount the stick at `point`; UsbError (plain words) if it is still mounted after."""
    point = Path(point)
    if _device_of(point, mounts) is None:
        raise UsbError("usb.not_mounted", name=point.name)
    done = (run or _run)(eject_command(point, mounts))
    if done.returncode != 0 or _device_of(point, mounts) is not None:
        raise UsbError("usb.still_in_use", name=point.name)
    return Ejected(point.name)


def _run(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return subprocess.CompletedProcess(command, 1, "", str(problem))


def _device_of(point: Path, mounts: Path) -> str | None:
    """The device mounted at `point` (the last mount there wins), None if nothing is."""
    found = None
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return str(point) if os.path.ismount(point) else None
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and _unescape(fields[1]) == str(point):
            found = fields[0]
    return found


def _unescape(field: str) -> str:
    """The mounts table writes a space in a label as \\040."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)
