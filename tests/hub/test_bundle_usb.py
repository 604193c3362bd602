"""A bundle exported onto a real (loop-mounted) stick, flushed and unmounted by kiosk/usb.py:
mounted again, the file is complete and the hub's `import-bundle` files every item. A stick
still in use is not reported as safe to take out."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sync.bundle import export_bundle
from kiosk.usb import UsbError, eject, eject_command, flush, sticks
from tests.hub.test_bundle_import import import_with_cli, kiosk, submit_offline  # noqa: F401
from tests.usb_stick import make_image, mount, unmount_if_mounted


@pytest.fixture
def stick(tmp_path) -> Iterator[tuple[Path, Path]]:
    """(image, mount point): a stick plugged in, where a desktop would mount it."""
    image = make_image(tmp_path)
    point = mount(image, tmp_path / "media" / "kiosk" / "KINGSTON")
    yield image, point
    unmount_if_mounted(point)


def test_an_export_flushed_and_unmounted_is_complete_on_the_stick(hub, kiosk, stick, tmp_path,  # noqa: F811
                                                                  capsys):
    image, point = stick
    media = tmp_path / "media"
    assert sticks([media]) == [point]  # found through the real mounts table
    provisional = submit_offline(kiosk)
    exported = export_bundle(kiosk.outbox, kiosk.outbox.meta("hub_public_key_pem"),
                             "demo-kiosk", hub.token, point)
    flush(exported.path)
    assert eject_command(point)[0] in ("umount", "udisksctl")  # a desktop's stick
    assert eject(point).name == "KINGSTON"
    assert not os.path.ismount(point) and sticks([media]) == []

    again = mount(image, tmp_path / "hub-pc", "loop,ro")  # carried to the hub's computer
    try:
        carried = again / exported.path.name
        assert [p.name for p in again.glob("*.kbundle")] == [carried.name]
        assert not list(again.glob(".*.part"))  # no half-written file left beside it
        code, out, err = import_with_cli(hub, carried, capsys)
        assert (code, err) == (0, "")
        assert out == "3 filed, 0 already filed, 0 refused (kiosk demo-kiosk)\n"
        assert len(provisional) == 3
    finally:
        unmount_if_mounted(again)


def test_a_stick_in_use_or_gone_is_never_called_safe_to_take_out(stick, tmp_path):
    _image, point = stick
    (point / "open.txt").write_text("held")
    # something still has a file open on it: umount fails
    with (point / "open.txt").open(), pytest.raises(UsbError) as busy:
        eject(point)
    assert busy.value.key == "usb.still_in_use" and busy.value.params == {"name": "KINGSTON"}
    assert os.path.ismount(point)
    assert eject(point).name == "KINGSTON"
    with pytest.raises(UsbError) as gone:
        eject(point)
    assert gone.value.key == "usb.not_mounted"


def test_the_appliance_s_sticks_are_taken_out_by_stopping_their_mount_service():
    assert eject_command(Path("/run/kiosk-usb/sdb1")) == [
        "systemctl", "stop", "kiosk-usb-mount@sdb1.service"]
