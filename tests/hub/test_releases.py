"""Releases a hub offers (hub/releases.py): `python -m hub sign-release` and `offer-release` as
an operator runs them, a real hub on loopback answering a real heartbeat with the newest
release offered to the kiosk's centre when the kiosk runs an older one, and serving the wheel
to a kiosk's token only."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization

from hub.seed import DEMO_CENTRE
from hub.testing import running_hub
from kiosk import release
from kiosk.backend.http import HttpBackend
from tests.hub.test_cli import hub_command


def wheel(folder: Path, version: str, key: Path) -> tuple[Path, Path]:
    """A kiosk release's file (the hub never looks inside) and its signature."""
    path = folder / f"assisted_kiosk-{version}-py3-none-any.whl"
    path.write_bytes(f"release {version}".encode())
    return path, release.sign(path, key)


@pytest.fixture
def region(tmp_path) -> Path:
    key = tmp_path / "region.pem"
    release.new_key(key)
    return key


@pytest.fixture
def hub(tmp_path, private_key_file):
    with running_hub(data_dir=tmp_path / "hub", private_key_path=private_key_file) as running:
        yield running


def offer(hub, *args: str) -> None:
    done = hub_command("offer-release", *args, "--data-dir", str(hub.settings.data_dir))
    assert done.returncode == 0, done.stderr


def offered(hub, tmp_path: Path, running: str, token: str | None = None) -> dict:
    backend = HttpBackend(hub.url, token or hub.token, tmp_path / f"outbox-{running}.sqlite3",
                          "demo-kiosk", "online", alive_every=0.0)
    try:
        return backend.heartbeat(version=running)["update"]
    finally:
        backend.outbox.close()


def test_sign_release_makes_the_region_key_once_and_signs_with_it(tmp_path):
    path = tmp_path / "assisted_kiosk-0.2.0-py3-none-any.whl"
    path.write_bytes(b"wheel")
    key = tmp_path / "keys" / "region.pem"
    key.parent.mkdir()
    first = hub_command("sign-release", str(path), "--key", str(key))
    assert first.returncode == 0, first.stderr
    assert "region.pub.pem" in first.stdout and key.stat().st_mode & 0o077 == 0
    made = key.read_bytes()
    again = hub_command("sign-release", str(path), "--key", str(key))
    assert again.returncode == 0 and "New release key" not in again.stdout
    assert key.read_bytes() == made  # never replaced: kiosks hold its public half
    public = serialization.load_pem_public_key((key.parent / "region.pub.pem").read_bytes())
    signature = (tmp_path / (path.name + ".sig")).read_text()
    public.verify(base64.b64decode(signature), path.read_bytes())  # raises when it is not
    release.check(path.read_bytes(), signature, release.trusted_keys(key.parent))


def test_a_kiosk_hears_of_a_newer_release_only(hub, region, tmp_path):
    assert offered(hub, tmp_path, "0.1.0") == {}  # nothing offered yet
    newer, signature = wheel(tmp_path, "0.10.0", region)
    offer(hub, str(newer), str(signature))
    update = offered(hub, tmp_path, "0.9.1")
    assert update == {"version": "0.10.0", "sha256": release.sha256(newer.read_bytes()),
                      "url": "/v1/releases/0.10.0", "signature": signature.read_text().strip()}
    for running in ("0.10.0", "0.11.0", "not-a-version"):
        assert offered(hub, tmp_path, running) == {}, running
    assert not release.newer("0.10.0", "")  # a checkout never installed has no version


def test_a_centre_s_own_offer_comes_before_everyone_s(hub, region, tmp_path):
    for version in ("0.2.0", "0.3.0"):
        path, signature = wheel(tmp_path, version, region)
        offer(hub, str(path), str(signature), *(["--centre", DEMO_CENTRE] if version ==
                                                "0.3.0" else []))
    added = hub_command("add-kiosk", "centre-12-a", "--centre", "Centre 12", "--data-dir",
                        str(hub.settings.data_dir))
    other = added.stdout.split("token ", 1)[1].split()[0]
    assert offered(hub, tmp_path, "0.1.0")["version"] == "0.3.0"  # the demo kiosk's centre
    assert offered(hub, tmp_path, "0.1.0", token=other)["version"] == "0.2.0"


def test_the_wheel_is_served_to_a_kiosk_s_token_only(hub, region, tmp_path):
    path, signature = wheel(tmp_path, "0.2.0", region)
    offer(hub, str(path), str(signature))
    url = f"{hub.url}/v1/releases/0.2.0"
    kiosk = {"Authorization": f"Bearer {hub.token}"}
    got = requests.get(url, headers=kiosk, timeout=30)
    assert got.status_code == 200 and got.content == path.read_bytes()
    assert requests.get(url, timeout=30).status_code == 401
    for missing in ("0.3.0", "..", "0.2.0.sig", "%2e%2e%2fhub.sqlite3"):
        answer = requests.get(f"{hub.url}/v1/releases/{missing}", headers=kiosk, timeout=30)
        assert answer.status_code == 404, missing
        assert answer.json()["error"] == "not_found"


def test_offer_release_refuses_what_is_not_a_signed_kiosk_wheel(hub, region, tmp_path):
    path, signature = wheel(tmp_path, "0.2.0", region)
    other = tmp_path / "hub-0.2.0-py3-none-any.whl"
    other.write_bytes(b"another package")
    not_signature = tmp_path / "notes.txt"
    not_signature.write_text("signed by the region, honest")
    data = str(hub.settings.data_dir)
    for args in ((str(other), str(signature)), (str(path), str(not_signature))):
        done = hub_command("offer-release", *args, "--data-dir", data)
        assert done.returncode == 1 and "The release was not offered" in done.stderr, args
    assert hub_command("offer-release", str(path), "--data-dir", data).returncode == 2
    assert offered(hub, tmp_path, "0.1.0") == {}
