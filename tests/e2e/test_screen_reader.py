"""A screen reader completes a service: the real kiosk (main.py on its embedded default, in a
program of its own with its own data folder) on an X server (Xvfb), with a private session bus
and nothing else, in the environment deploy/assisted-kiosk-x11.service gives it (Qt's
accessibility bridge switched on). The kiosk must start the accessibility bus itself, and a
separate program (tests/e2e/screen_reader.py, the system's python3 with pyatspi) must be able
to walk the pension check by accessible roles and names alone, to the reference that the hub
recorded."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ELDEST

ROOT = Path(__file__).resolve().parents[2]
WALKER = Path(__file__).with_name("screen_reader.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # pyatspi is a Debian package for it (kiosk.sh installs it)
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"  # at-spi2-core, started by D-Bus activation
OFFICIAL = re.compile(r"[A-Z]{2}\d{8}")
X11_UNIT = ROOT / "deploy" / "assisted-kiosk-x11.service"


def missing() -> str | None:
    for tool in ("Xvfb", "dbus-daemon", "dbus-send"):
        if not shutil.which(tool):
            return f"{tool} is not installed (./kiosk.sh installs it)"
    if not Path(LAUNCHER).exists():
        return "at-spi2-core is not installed (./kiosk.sh installs it)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True,
                           env=system_python_env({}), timeout=30) \
        if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        return "python3-pyatspi is not installed (./kiosk.sh installs it)"
    return None


def unit_environment(unit: Path) -> dict[str, str]:
    """The Environment= lines of a systemd unit (simple NAME=VALUE ones, as deploy/ writes)."""
    found = {}
    for line in unit.read_text().splitlines():
        if line.startswith("Environment="):
            name, _, value = line.removeprefix("Environment=").strip('"').partition("=")
            found[name] = value
    return found


def test_the_appliance_switches_the_bridge_on():
    for unit in ("assisted-kiosk.service", "assisted-kiosk-x11.service"):
        assert unit_environment(ROOT / "deploy" / unit)["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] == "1"
    needed, test_only = bash_array("SYSTEM_PACKAGES"), bash_array("NOT_ON_APPLIANCE")
    for package in ("at-spi2-core", "dbus-user-session"):  # on the appliance too
        assert package in needed and package not in test_only
    assert "python3-pyatspi" in needed and "python3-pyatspi" in test_only


def bash_array(name: str) -> list[str]:
    """The words of a NAME=( ... ) list in kiosk.sh, its comments left out."""
    text = (ROOT / "kiosk.sh").read_text().split(f"\n{name}=(", 1)[1]
    uncommented = " ".join(line.split("#", 1)[0] for line in text.splitlines())
    return uncommented.split(")", 1)[0].split()


def system_python_env(extra: dict[str, str]) -> dict[str, str]:
    """The system's python3 with none of this virtual environment's settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, **extra}


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """A virtual screen on the first free display (Xvfb picks it and says which)."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as said:
        number = said.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return server, f":{number}"


def start_session_bus(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """A private session bus; the services it starts (the accessibility bus) get `env`."""
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = bus.stdout.readline().strip()
    if not address:
        bus.kill()
        raise RuntimeError("dbus-daemon did not start")
    return bus, address


def name_on_bus(env: dict[str, str], name: str) -> bool:
    said = subprocess.run(["dbus-send", "--session", "--print-reply",
                           "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                          env=env, capture_output=True, text=True, timeout=30)
    return "boolean true" in said.stdout


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_screen_reader_completes_the_pension_check(tmp_path, sound_server):
    why = missing()
    if why:
        pytest.skip(why)
    from ui.launch import APP_NAME

    assert unit_environment(X11_UNIT)["QT_QPA_PLATFORM"] == "xcb"
    runtime = tmp_path / "runtime"  # the accessibility bus's socket goes here
    runtime.mkdir(mode=0o700)
    base = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_RUNTIME_DIR": str(runtime)}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS"):
        base.pop(name, None)
    (tmp_path / "home").mkdir()
    started: list[subprocess.Popen] = []
    try:
        xvfb, display = start_xvfb()
        started.append(xvfb)
        bus, address = start_session_bus(base)
        started.append(bus)
        session = {**base, "DBUS_SESSION_BUS_ADDRESS": address}
        assert not name_on_bus(session, "org.a11y.Bus")  # nobody has started it yet

        kiosk_log = (tmp_path / "kiosk.log").open("wb")
        kiosk = subprocess.Popen(
            [sys.executable, "main.py", "--windowed"], cwd=ROOT, stdout=kiosk_log,
            stderr=subprocess.STDOUT,
            env={**session, **unit_environment(X11_UNIT), "DISPLAY": display,
                 "XDG_CONFIG_HOME": str(tmp_path / "config"),
                 "XDG_DATA_HOME": str(tmp_path / "data"),
                 "KIOSK_CONFIG": str(tmp_path / "config" / "settings.toml")})
        started.append(kiosk)
        deadline = time.monotonic() + 60
        while not name_on_bus(session, "org.a11y.Bus"):  # the kiosk asked for it
            assert kiosk.poll() is None, (tmp_path / "kiosk.log").read_text()
            assert time.monotonic() < deadline, "the kiosk did not start the accessibility bus"
            time.sleep(0.1)

        walk = subprocess.run([SYSTEM_PYTHON, str(WALKER), APP_NAME, ELDEST],
                              env=system_python_env(session), capture_output=True, text=True,
                              timeout=240)
        assert walk.returncode == 0, walk.stderr[-4000:] + walk.stdout[-2000:]
        steps = [json.loads(line) for line in walk.stdout.splitlines()]
        *done, result = steps
        assert {"pressed": "I do not have my card: type my ID number"} in done
        assert {"typed": "What is your ID number?"} in done  # through EditableText
        assert {"keyed": "Type the code from your phone"} in done  # on the kiosk's keyboard
        reference = result["reference"].replace(" ", "")
        assert OFFICIAL.fullmatch(reference), result

        hub = tmp_path / "data" / "assisted-kiosk" / "embedded" / "hub" / "hub.sqlite3"
        with sqlite3.connect(f"file:{hub}?mode=ro", uri=True) as db:
            filed = db.execute("select service_id from submissions where reference = ?",
                               (reference,)).fetchall()
        assert filed == [("pension_check",)]  # what the screen reader heard is on record
    finally:
        for process in reversed(started):
            stop(process)
