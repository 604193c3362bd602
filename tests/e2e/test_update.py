"""The update path, with real parts: the project's wheel built with a newer version, signed with
a region key, offered by a real hub on loopback, fetched by a real heartbeat (the token in the
header), checked, handed over, and installed by the updater into a fresh virtual environment
slot outside the repository; the slot's own kiosk is started (as systemd would: a process from
APP/current) and must write its start mark. A broken release (its entry point fails) is rolled
back to the slot before; a release not signed by the region's key is never installed.

Builds and virtual environments are cheap here (no dependency is installed: see
kiosk/updater.py), so the wheels are built once for the module.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from hub.__main__ import main as hub_command
from hub.testing import running_hub
from kiosk import release
from kiosk.backend.http import HttpBackend
from kiosk.diagnostics import update_check
from kiosk.fleet import Fleet
from kiosk.settings import Settings
from kiosk.update import INSTALLED, REFUSED, ROLLED_BACK, Offer, Spool, Updates
from kiosk.updater import Updater
from tests.e2e.test_installed_wheel import NOT_SOURCES, ROOT

RUNNING = "0.1.0"  # what the kiosk says it runs before the first update
GOOD, BROKEN = "0.2.0", "0.3.0"


@dataclass
class Built:
    wheels: dict[str, Path]  # version -> the wheel, signed with the region's key
    keys: Path  # the folder of public keys a kiosk is installed with
    region_key: Path  # the region's private key
    stranger_key: Path  # a key no kiosk trusts


def _build(sources: Path, version: str, out: Path) -> Path:
    project = sources / "pyproject.toml"
    text, count = re.subn(r'^version = ".*"$', f'version = "{version}"', project.read_text(),
                          count=1, flags=re.MULTILINE)
    assert count == 1
    project.write_text(text)
    shutil.rmtree(sources / "build", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "wheel",
                    "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out),
                    str(sources)], check=True, capture_output=True, timeout=300)
    return out / f"assisted_kiosk-{version}-py3-none-any.whl"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    base = tmp_path_factory.mktemp("releases")
    sources, out, keys = base / "src", base / "dist", base / "keys"
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)
    wheels = {GOOD: _build(sources, GOOD, out)}
    cli = sources / "ui" / "cli.py"  # the broken release: its console script fails at start
    cli.write_text(cli.read_text() + '\nraise RuntimeError("this release is broken")\n')
    wheels[BROKEN] = _build(sources, BROKEN, out)
    region_key, stranger_key = base / "region.pem", base / "stranger.pem"
    keys.mkdir()
    for wheel in wheels.values():  # the region's command (the first makes the key)
        assert hub_command(["sign-release", str(wheel), "--key", str(region_key)]) == 0
    shutil.move(base / "region.pub.pem", keys / "region.pub.pem")
    release.new_key(stranger_key)
    return Built(wheels, keys, region_key, stranger_key)


class Launcher:
    """Starts the kiosk from APP/current, as the appliance's unit does, in practice mode."""

    def __init__(self, app: Path, spool: Path, home: Path) -> None:
        self.app = app
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.logs = home / "logs"
        self.logs.mkdir(parents=True)
        self.env = {name: value for name, value in os.environ.items()
                    if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
        self.env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home),
                        XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
                        KIOSK_CONFIG=str(home / "config" / "settings.toml"),
                        KIOSK_UPDATES=str(spool))

    def restart(self) -> None:
        self.stop()
        self.starts += 1
        with (self.logs / f"start-{self.starts}.log").open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.app / "current" / "bin" / "assisted-kiosk"), "--practice",
                 "--windowed"], cwd=self.logs, env=self.env, stdout=log,
                stderr=subprocess.STDOUT)

    def crashed(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def said(self) -> str:
        return (self.logs / f"start-{self.starts}.log").read_text(errors="replace")


@pytest.fixture
def appliance(tmp_path):
    """An appliance's folders: APP (current -> the slot before any update), the spool."""
    app = tmp_path / "opt"
    first = app / "releases" / RUNNING  # never started here: only a rollback's target
    first.mkdir(parents=True)
    (app / "current").symlink_to(first)
    spool = Spool(tmp_path / "updates").make()
    launcher = Launcher(app, spool.root, tmp_path / "home")
    yield app, spool, launcher
    launcher.stop()


def _offer(hub_data: Path, wheel: Path, signature: Path | None = None) -> None:
    signature = signature or wheel.with_name(wheel.name + ".sig")
    assert hub_command(["offer-release", str(wheel), str(signature),
                        "--data-dir", str(hub_data)]) == 0


def _fetched(backend: HttpBackend, updates: Updates, running: str) -> dict:
    """One real heartbeat (reporting `running`) and what the kiosk makes of its answer."""
    answer = backend.heartbeat(version=running)
    fleet = Fleet(Settings(), audit_head=lambda: (0, ""))
    fleet.updates = updates
    fleet.take(answer, backend)
    updates.wait(120)
    return answer


def test_a_signed_newer_release_is_installed_and_a_broken_one_rolled_back(
        built, appliance, tmp_path, caplog):
    app, spool, launcher = appliance
    hub_data = tmp_path / "hub"
    with running_hub(data_dir=hub_data) as hub:
        backend = HttpBackend(hub.url, hub.token, tmp_path / "outbox.sqlite3",
                              kiosk_id="demo-kiosk")
        assert backend.heartbeat(version=RUNNING)["update"] == {}  # nothing offered yet

        _offer(hub_data, built.wheels[GOOD])
        updates = Updates(spool, RUNNING, built.keys)
        offered = _fetched(backend, updates, RUNNING)["update"]
        assert offered["version"] == GOOD and offered["url"] == f"/v1/releases/{GOOD}"
        assert offered["sha256"] == release.sha256(built.wheels[GOOD].read_bytes())
        assert requests.get(hub.url + offered["url"], timeout=30).status_code == 401
        assert updates.ready() and not any(spool.install.iterdir())  # not during a visit
        assert updates.hand_over() == GOOD  # the welcome screen is up (ui/fleet_link.py)

        updater = Updater(spool, app, launcher, built.keys, within=180)
        assert updater.run() == INSTALLED, launcher.said()
        slot = app / "releases" / GOOD
        assert (app / "current").resolve() == slot
        assert spool.started.read_text().strip() == GOOD  # its first screen was up
        assert not launcher.crashed()
        imported = subprocess.run([str(app / "current" / "bin" / "python"), "-c",
                                   "import kiosk, ui; print(kiosk.__file__, ui.__file__)"],
                                  capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert all(Path(p).resolve().is_relative_to(slot) for p in imported.stdout.split()), \
            imported
        assert json.loads(spool.last.read_text())["state"] == INSTALLED
        assert update_check(spool, built.keys).ok
        assert backend.heartbeat(version=GOOD)["update"] == {}  # it has the newest now

        _offer(hub_data, built.wheels[BROKEN])
        updates = Updates(spool, GOOD, built.keys)  # the kiosk as restarted
        assert _fetched(backend, updates, GOOD)["update"]["version"] == BROKEN
        assert updates.hand_over() == BROKEN
        assert updater.run() == ROLLED_BACK, launcher.said()
        assert "this release is broken" in (launcher.logs / "start-2.log").read_text()
        assert (app / "current").resolve() == slot  # the one before, started again
        assert spool.started.read_text().strip() == GOOD and not launcher.crashed()
        assert not (app / "releases" / BROKEN).exists()
        last = json.loads(spool.last.read_text())
        assert (last["state"], last["version"]) == (ROLLED_BACK, BROKEN)
        assert "the version before started again" in last["detail"]
        check = update_check(spool, built.keys)
        assert not check.ok and "went back to the version before" in check.detail
        assert "退回之前的版本" in check.translated("zh_CN").detail

        # the kiosk says so in its heartbeat, and does not fetch the broken release again
        reported = Fleet(Settings())
        reported.updates = updates
        backend.report = reported.report
        with caplog.at_level(logging.WARNING, logger="hub.routes.kiosks"):
            assert _fetched(backend, updates, GOOD)["update"]["version"] == BROKEN
        assert f"could not update: {BROKEN}: {ROLLED_BACK}" in caplog.text
        assert not updates.ready() and not any(spool.install.iterdir())
        backend.outbox.close()


def test_a_release_not_signed_by_the_region_or_not_as_described_is_never_installed(
        built, appliance, tmp_path):
    app, spool, launcher = appliance
    hub_data = tmp_path / "hub"
    wheel = tmp_path / built.wheels[GOOD].name
    shutil.copy(built.wheels[GOOD], wheel)
    forged = release.sign(wheel, built.stranger_key)
    with running_hub(data_dir=hub_data) as hub:
        backend = HttpBackend(hub.url, hub.token, tmp_path / "outbox.sqlite3",
                              kiosk_id="demo-kiosk")
        _offer(hub_data, wheel, forged)
        updates = Updates(spool, RUNNING, built.keys)
        offered = _fetched(backend, updates, RUNNING)["update"]
        assert offered["version"] == GOOD
        assert not updates.ready() and not any(spool.install.iterdir())
        last = json.loads(spool.last.read_text())
        assert (last["state"], last["reason"]) == (REFUSED, "signature")
        check = update_check(spool, built.keys)
        assert not check.ok and "not signed by the region" in check.detail
        assert updates.report()["update_problem"].startswith(f"{GOOD}: {REFUSED}")

        # a wheel that is not the one the hub described (damaged, or changed on the way)
        spool.last.unlink()
        genuine = Offer(GOOD, "0" * 64, offered["url"],
                        built.wheels[GOOD].with_name(f"{wheel.name}.sig").read_text().strip())
        assert not updates.fetch(genuine, hub.url, {"Authorization": f"Bearer {hub.token}"})
        assert json.loads(spool.last.read_text())["reason"] == "hash"
        assert not updates.ready()
        backend.outbox.close()

    # the kiosk user hands the updater a forged wheel itself: root checks again, and refuses
    shutil.copy(wheel, spool.install / wheel.name)
    shutil.copy(forged, spool.install / forged.name)
    assert Updater(spool, app, launcher, built.keys, within=5).run() == REFUSED
    assert launcher.starts == 0 and not (app / "releases" / GOOD).exists()
    assert (app / "current").resolve() == app / "releases" / RUNNING
    assert not any(spool.install.iterdir())


def test_no_release_key_installed_refuses_every_release(built, appliance, tmp_path):
    _app, spool, _launcher = appliance
    empty = tmp_path / "no-keys"
    empty.mkdir()
    wheel = built.wheels[GOOD]
    with pytest.raises(release.Refused) as refused:
        release.check(wheel.read_bytes(), wheel.with_name(wheel.name + ".sig").read_text(),
                      release.trusted_keys(empty))
    assert refused.value.reason == "no_key"
    check = update_check(spool, empty)
    assert not check.ok and "no release key" in check.detail


def _slot(app: Path, version: str, script: str) -> Path:
    """A slot whose kiosk is a shell script (what the start check sees of it is the same)."""
    slot = app / "releases" / version
    (slot / "bin").mkdir(parents=True, exist_ok=True)
    kiosk = slot / "bin" / "assisted-kiosk"
    kiosk.write_text(f"#!/bin/sh\n{script}\n")
    kiosk.chmod(0o755)
    return slot


def test_an_update_the_power_cut_short_is_checked_at_boot_and_rolled_back(appliance):
    app, spool, launcher = appliance
    before = _slot(app, RUNNING, f'echo {RUNNING} > "$KIOSK_UPDATES/started"; exec sleep 600')
    cut = _slot(app, "0.4.0", "exit 1")  # installed, switched to, then the power went
    spool.record("starting", "0.4.0", previous=str(before))
    (app / "current").unlink()
    (app / "current").symlink_to(cut)
    updater = Updater(spool, app, launcher, within=60)
    assert updater.run() == ROLLED_BACK  # at boot: nothing handed over, the cut-short update
    assert (app / "current").resolve() == before and not cut.exists()
    assert spool.started.read_text().strip() == RUNNING and not launcher.crashed()
    assert updater.run() == ""  # the next boot: nothing to do


def test_a_spool_the_kiosk_cannot_use_means_no_updates_and_says_so(built, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    updates = Updates(Spool(blocked), RUNNING, built.keys)  # the kiosk starts all the same
    offer = {"update": {"version": GOOD, "sha256": "0" * 64, "url": f"/v1/releases/{GOOD}",
                        "signature": "x"}}
    assert updates.consider(offer, "http://127.0.0.1:9", {}) is None  # nothing fetched
    check = update_check(Spool(blocked), built.keys)
    assert not check.ok and "cannot write" in check.detail
