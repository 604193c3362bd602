"""The USB bundle on the kiosk's side: a real outbox file, a real folder, no hub."""

from __future__ import annotations

import errno
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.i18n import tr
from kiosk.sync import bundle
from kiosk.sync.bundle import (
    BundleError,
    export_bundle,
    open_bundle,
    removable_drives,
    token_hash,
)
from kiosk.sync.outbox import QUARANTINED, WAITING, Outbox
from kiosk.sync.sealing import public_pem

TOKEN = "kiosk-token-for-tests"
NOW = datetime(2026, 11, 23, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def hub_key() -> rsa.RSAPrivateKey:
    # 2048 bits: sealing works with any RSA key, and tests stay quick (the hub uses 3072)
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def outbox(tmp_path) -> Outbox:
    made = Outbox(tmp_path / "outbox.sqlite3")
    yield made
    made.close()


def queue(outbox: Outbox, count: int) -> dict[str, bytes]:
    """Items whose metadata and bodies are easy to look for in a file."""
    bodies = {}
    for number in range(count):
        key = f"0000000{number}-aaaa-4bbb-8ccc-{number:012d}"
        body = f'{{"service_id":"senior_allowance","provisional_reference":"P-VISIBLE{number}"}}'
        outbox.put(key, "senior_allowance", f"2026-10-0{number}T09:00:00+08:00", body.encode(),
                   f"P-VISIBLE{number}")
        bodies[key] = body.encode()
    return bodies


def opened(path: Path, key: rsa.RSAPrivateKey, token: str = TOKEN):
    return open_bundle(path.read_bytes(), key,
                       lambda kiosk: token_hash(token) if kiosk == "centre-12-a" else None)


def test_export_holds_every_unfiled_item_and_the_stick_shows_nothing(outbox, hub_key, tmp_path):
    bodies = queue(outbox, 4)
    keys = list(bodies)
    outbox.quarantine(keys[1], "HTTP 422 unknown_service")
    assert outbox.mark_attempting(keys[2]) is not None  # being sent right now: still exported
    stick = tmp_path / "stick"
    stick.mkdir()
    result = export_bundle(outbox, public_pem(hub_key), "centre-12-a", TOKEN, stick, now=NOW)

    assert result.count == 4  # the quarantined one too: the hub's operator sees it
    assert result.path == stick / "kiosk-centre-12-a-20261123-101500Z.kbundle"
    assert os.listdir(stick) == [result.path.name]  # no temporary file left behind
    raw = result.path.read_bytes()
    for secret in ["senior_allowance", "P-VISIBLE", "2026-10-0", TOKEN, token_hash(TOKEN),
                   *keys]:
        assert secret.encode() not in raw, f"{secret} readable on the stick"

    contents = opened(result.path, hub_key)
    assert contents.kiosk_id == "centre-12-a" and contents.exported == "2026-11-23T10:15:00+00:00"
    assert {item.key: item.body for item in contents.items} == bodies  # exact bytes
    assert outbox.waiting_count() == 3 and outbox.get(keys[0]).state == WAITING  # still queued
    assert outbox.get(keys[1]).state == QUARANTINED  # still there for the admin to send again


def test_a_bundle_is_opened_only_by_the_hub_and_only_as_exported(outbox, hub_key, tmp_path):
    queue(outbox, 2)
    path = export_bundle(outbox, public_pem(hub_key), "centre-12-a", TOKEN, tmp_path).path
    other_hub = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(BundleError, match="sealed for another hub"):
        opened(path, other_hub)
    with pytest.raises(BundleError, match="signature of kiosk 'centre-12-a'"):
        opened(path, hub_key, token="another kiosk's token")
    text = path.read_text()
    at = text.index('"ciphertext": "') + 20
    path.write_text(text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1:])
    with pytest.raises(BundleError, match="changed after export"):
        opened(path, hub_key)
    with pytest.raises(BundleError, match="not a kiosk bundle"):
        open_bundle(b"PK\x03\x04 a zip file", hub_key, lambda kiosk: None)


def test_nothing_to_export_is_said_plainly(outbox, hub_key, tmp_path):
    with pytest.raises(BundleError) as empty:
        export_bundle(outbox, public_pem(hub_key), "centre-12-a", TOKEN, tmp_path)
    assert str(empty.value) == "Nothing is waiting to be sent: there is nothing to export."
    assert tr("zh_CN", empty.value.key, **empty.value.params) == "没有等待发送的内容，无需导出。"
    assert list(tmp_path.glob("*.kbundle")) == []
    [key] = queue(outbox, 1)
    outbox.quarantine(key, "HTTP 422 unreadable_envelope")
    assert export_bundle(outbox, public_pem(hub_key), "centre-12-a", TOKEN, tmp_path).count == 1


def read_only_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root writes through file modes; sysfs refuses new files to anyone
        return Path("/sys")
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    return folder


def test_folders_that_cannot_take_the_bundle_get_plain_errors(outbox, hub_key, tmp_path):
    queue(outbox, 1)
    pem = public_pem(hub_key)
    locked = read_only_folder(tmp_path)
    with pytest.raises(BundleError) as refused:
        export_bundle(outbox, pem, "centre-12-a", TOKEN, locked)
    assert str(refused.value) == (f"The folder {locked} cannot be written to. Is the USB stick "
                                  "write-protected?")
    assert refused.value.key == "bundle.not_writable"
    with pytest.raises(BundleError, match="Is the USB stick still plugged in"):
        export_bundle(outbox, pem, "centre-12-a", TOKEN, tmp_path / "unplugged")
    with pytest.raises(BundleError, match="does not have the hub's key"):
        export_bundle(outbox, "", "centre-12-a", TOKEN, tmp_path)


def test_a_full_stick_leaves_no_half_bundle(outbox, hub_key, tmp_path, monkeypatch):
    queue(outbox, 2)

    def full(_handle: int) -> None:  # the stick fills up as the data is flushed to it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # whichever module writes the file calls it
    with pytest.raises(BundleError, match="The USB stick is full"):
        export_bundle(outbox, public_pem(hub_key), "centre-12-a", TOKEN, tmp_path, now=NOW)
    # neither a bundle nor its hidden temporary file (.kiosk-....kbundle.XXXX.part) is left
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith((bundle.SUFFIX, ".part"))]
    assert left == []


def test_removable_drives_lists_mounted_writable_sticks(tmp_path):
    media, run_media = tmp_path / "media", tmp_path / "run" / "media"
    sticks = [media / "anna" / "KINGSTON", media / "USB DISK", run_media / "kiosk" / "SANDISK"]
    elsewhere = [tmp_path / "mnt" / "backup", media / "anna" / "KINGSTON" / "inner" / "deep"]
    unmounted = run_media / "kiosk" / "left-behind"  # a folder left after a stick was pulled
    for folder in [*sticks, *elsewhere, unmounted]:
        folder.mkdir(parents=True)
    mounts = tmp_path / "mounts"
    mounts.write_text("".join(
        f"/dev/sd{n} {str(point).replace(' ', chr(92) + '040')} vfat rw,nosuid 0 0\n"
        for n, point in enumerate([*sticks, *elsewhere, run_media / "kiosk" / "GONE"])))
    assert removable_drives([media, run_media], mounts) == sorted(sticks)
    assert removable_drives([tmp_path / "nowhere"], mounts) == []

