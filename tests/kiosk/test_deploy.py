"""deploy/: the systemd units and the installer agree with each other and with the app."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.secret_file import CREDENTIAL_NAME

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("assisted-kiosk.service", "assisted-kiosk-x11.service")
APP = "/opt/assisted-kiosk"  # where install.sh puts this repository
APPLIANCE_ONLY = ("/usr/bin/cage", "/usr/bin/xinit")  # installed by install.sh, not here


def unit(name: str) -> dict[str, list[str]]:
    """Key -> values of a unit file (keys may repeat)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def shell_variable(name: str) -> str:
    match = re.search(rf"^{name}=(\S+)", (DEPLOY / "install.sh").read_text(), re.MULTILINE)
    assert match, name
    return match.group(1)


def in_repo(installed: str) -> Path:
    assert installed.startswith(APP + "/"), installed
    return ROOT / installed.removeprefix(APP + "/")


def systemd_version() -> int:
    """The major version of the systemd here (systemd-analyze --version: "systemd 252 (...)")."""
    said = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True,
                          timeout=30).stdout
    match = re.match(r"systemd (\d+)", said)
    assert match, said
    return int(match.group(1))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not here")
def test_the_units_pass_systemd_analyze_verify():
    done = subprocess.run(["systemd-analyze", "verify", *(str(DEPLOY / u) for u in UNITS)],
                          capture_output=True, text=True, timeout=60)
    said = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    # the compositors exist only on an installed kiosk: that is the one complaint allowed
    allowed = [f"Command {p} is not executable" for p in APPLIANCE_ONLY if not shutil.which(p)]
    if systemd_version() < 250:  # no LoadCredentialEncrypted= yet: install.sh then adds a
        # LoadCredential= drop-in, and older systemd only warns about the key it does not know
        allowed.append("Unknown key name 'LoadCredentialEncrypted'")
    left = [line for line in said if not any(m in line for m in allowed)]
    assert left == [], "\n".join(said)


def test_the_units_run_this_repository_s_main_py_as_the_kiosk_user():
    user = shell_variable("KIOSK_USER")
    python = f"{APP}/.venv/bin/python"  # the environment ./kiosk.sh setup makes in APP
    cage = unit("assisted-kiosk.service")
    assert cage["ExecStart"] == [f"/usr/bin/cage -d -- {python} {APP}/main.py"]
    assert in_repo(f"{APP}/main.py").is_file()
    x11 = unit("assisted-kiosk-x11.service")
    xinitrc = in_repo(x11["ExecStart"][0].split()[1])
    assert xinitrc.is_file() and xinitrc.stat().st_mode & 0o111
    assert f"exec {python} {APP}/main.py" in xinitrc.read_text()
    for name in UNITS:
        settings = unit(name)
        assert settings["User"] == [user]
        assert settings["Restart"] == ["always"]
        assert settings["TTYPath"] == ["/dev/tty1"]
        assert "getty@tty1.service" in " ".join(settings["Conflicts"])
        # the sealing key reaches the kiosk under the name kiosk/secret_file.py reads
        credential = settings["LoadCredentialEncrypted"][0]
        assert credential.split(":")[0] == CREDENTIAL_NAME == shell_variable("CREDENTIAL")


def test_the_scripts_parse():
    scripts = [DEPLOY / "install.sh", DEPLOY / "xinitrc", ROOT / "kiosk.sh"]
    for script in scripts:
        subprocess.run(["bash", "-n", str(script)], check=True, timeout=30)
    if shutil.which("shellcheck"):
        done = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stdout
