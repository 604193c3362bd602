"""deploy/ for updates: the path unit starts the updater when the kiosk hands a release over,
the units and the installer agree with kiosk/update.py and kiosk/updater.py on every path."""

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import release
from kiosk.update import SPOOL_ENV, Spool
from kiosk.updater import SystemdKiosk
from tests.kiosk.test_deploy import APP, DEPLOY, UNITS, shell_variable, unit

UPDATE_UNITS = ("kiosk-update.path", "kiosk-update.service")
SPOOL = "/var/lib/assisted-kiosk/updates"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not here")
def test_the_update_units_pass_systemd_analyze_verify(tmp_path):
    for name in UPDATE_UNITS:  # side by side: the path unit names the service
        shutil.copy(DEPLOY / name, tmp_path / name)
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / n) for n in
                                                          UPDATE_UNITS)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    said = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    python = f"{APP}/.venv/bin/python"  # made by install.sh on the kiosk, not here
    left = [line for line in said if f"Command {python} is not executable" not in line]
    assert left == [], "\n".join(said)


def test_the_kiosk_the_path_unit_and_the_updater_share_one_spool():
    spool = Spool(Path(SPOOL))
    assert shell_variable("UPDATES") == '"$KIOSK_HOME/updates"'
    assert f"{shell_variable('KIOSK_HOME')}/updates" == SPOOL
    for name in UNITS:  # the kiosk hands releases over and marks its start there
        assert f"{SPOOL_ENV}={SPOOL}" in unit(name)["Environment"]
    assert unit("kiosk-update.path")["DirectoryNotEmpty"] == [str(spool.install)]
    assert unit("kiosk-update.path")["Unit"] == ["kiosk-update.service"]
    [start] = unit("kiosk-update.service")["ExecStart"]
    assert start == (f"{APP}/.venv/bin/python -m kiosk.updater --spool {SPOOL} --app {APP}")
    assert unit("kiosk-update.service")["WorkingDirectory"] == [APP]  # the checkout's updater


def test_the_installer_installs_the_update_pieces_and_keeps_the_slots():
    installer = (DEPLOY / "install.sh").read_text()
    assert shell_variable("RELEASE_KEYS") == '"$ETC/release-keys"'
    assert f"{shell_variable('ETC')}/release-keys" == str(release.KEYS_DIR)
    for name in UPDATE_UNITS:
        assert name in installer
    assert "systemctl enable --quiet --now kiosk-update.path" in installer
    assert "systemctl enable --quiet kiosk-update.service" in installer  # and at boot
    assert unit("kiosk-update.service")["WantedBy"] == ["graphical.target"]
    # rsync --delete would remove the release slots and the link the units run
    assert "--exclude=/releases" in installer and "--exclude=/current" in installer
    assert set(SystemdKiosk.UNITS) == set(UNITS)  # the updater restarts the kiosk's units
