"""A real USB stick for tests: a filesystem image mounted through a loop device.

FAT is what sticks carry, but this machine's kernel may have no vfat driver (the CI sandbox's
has none: /proc/filesystems lists ext4, not vfat), so the image is ext4; the write, flush and
unmount paths are the same system calls. Mounted with the appliance's safety options
(deploy/kiosk-usb-mount@.service: nosuid,nodev,noexec). Needs root and loop devices: the test
is skipped, saying which was missing, where they are not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

OPTIONS = "loop,nosuid,nodev,noexec,noatime"


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def make_image(folder: Path, label: str = "KINGSTON") -> Path:
    """A blank 8 MB stick image."""
    if os.geteuid() != 0:
        pytest.skip("mounting a stick image needs root (mount -o loop)")
    if not shutil.which("mkfs.ext4"):
        pytest.skip("mkfs.ext4 (e2fsprogs) is not installed")
    image = folder / f"{label}.img"
    with image.open("wb") as file:
        file.truncate(8 * 1024 * 1024)
    done = _run("mkfs.ext4", "-q", "-F", "-L", label, str(image))
    assert done.returncode == 0, done.stderr
    return image


def mount(image: Path, point: Path, options: str = OPTIONS) -> Path:
    point.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-o", options, str(image), str(point))
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mount -o loop: {done.stderr.strip()}")
    return point


def unmount_if_mounted(point: Path) -> None:
    """Test clean-up: the loop device goes with the mount (mount -o loop sets autoclear)."""
    if os.path.ismount(point):
        _run("umount", "--lazy", str(point))
