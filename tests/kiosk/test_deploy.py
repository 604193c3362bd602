"""deploy/: the systemd units and the installer agree with each other and with the app."""

import json
import os
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


def test_the_units_run_the_current_console_script_as_the_kiosk_user():
    """APP/current is the checkout's .venv (install.sh) or a release slot (the updater): both
    hold the console script pyproject.toml names."""
    user = shell_variable("KIOSK_USER")
    script = f"{APP}/current/bin/assisted-kiosk"
    assert 'assisted-kiosk = "ui.cli:main"' in (ROOT / "pyproject.toml").read_text()
    assert 'ln -sfn "$APP/.venv" "$APP/current.new"' in (DEPLOY / "install.sh").read_text()
    cage = unit("assisted-kiosk.service")
    assert cage["ExecStart"] == [f"/usr/bin/cage -d -- {script}"]
    x11 = unit("assisted-kiosk-x11.service")
    xinitrc = in_repo(x11["ExecStart"][0].split()[1])
    assert xinitrc.is_file() and xinitrc.stat().st_mode & 0o111
    assert f"exec {script}\n" in xinitrc.read_text()
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


# USB sticks (deploy/README.md "USB sticks"): udev rule -> mount service -> kiosk/usb.py
USB_UNIT = "kiosk-usb-mount@.service"
USB_RULES = "61-assisted-kiosk-usb.rules"
USB_POLKIT = "50-assisted-kiosk-usb.rules"
UDEV_MATCH = {"ACTION", "SUBSYSTEM", "SUBSYSTEMS", "KERNEL", "ENV", "ATTRS", "ATTR", "DRIVERS"}
UDEV_ASSIGN = {"TAG", "ENV", "GROUP", "MODE", "OWNER", "RUN", "SYMLINK"}


def test_the_usb_mount_service_passes_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not here")
    shutil.copy(DEPLOY / USB_UNIT, tmp_path / USB_UNIT)
    instance = tmp_path / USB_UNIT.replace("@", "@sdb1")  # a template is checked as an instance
    instance.symlink_to(USB_UNIT)
    done = subprocess.run(["systemd-analyze", "verify", str(instance)], capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_usb_pieces_agree_with_each_other_and_with_kiosk_usb():
    from kiosk.usb import APPLIANCE_ROOT, MOUNT_SERVICE

    user = shell_variable("KIOSK_USER")
    service = unit(USB_UNIT)
    [start] = service["ExecStart"]
    options = start.split(" -o ")[1].split()[0].split(",")
    assert {"nosuid", "nodev", "noexec", f"uid={user}", f"gid={user}"} <= set(options)
    assert start.endswith(f"/dev/%I {APPLIANCE_ROOT}/%I")
    assert service["ExecStop"] == [f"/usr/bin/umount {APPLIANCE_ROOT}/%I"]
    assert service["BindsTo"] == ["dev-%i.device"]  # pulled out: unmounted, service gone
    assert MOUNT_SERVICE.format("%k") in (DEPLOY / USB_RULES).read_text()
    assert f'subject.user == "{user}"' in (DEPLOY / USB_POLKIT).read_text()
    installer = (DEPLOY / "install.sh").read_text()
    for name in (USB_UNIT, USB_RULES, USB_POLKIT):
        assert name in installer


def udev_rule_problems(text: str) -> list[str]:
    """What udev's own parser would refuse (systemd 252 has no `udevadm verify`): each rule is
    KEY[{attr}]OP"value" items joined by commas; matches use == or !=, assignments = or +=."""
    item = re.compile(r'\s*([A-Z_]+)(\{[A-Za-z0-9_]+\})?(==|!=|\+=|-=|:=|=)"([^"]*)"\s*(,|$)')
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        at = 0
        while at < len(line):
            found = item.match(line, at)
            if not found:
                problems.append(f"line {number}: cannot read {line[at:]!r}")
                break
            key, _, op, _value, _ = found.groups()
            if op in ("==", "!=") and key not in UDEV_MATCH:
                problems.append(f"line {number}: {key} is not a match key")
            if op not in ("==", "!=") and key not in UDEV_ASSIGN:
                problems.append(f"line {number}: {key} cannot be assigned")
            at = found.end()
    return problems


def test_the_udev_rules_are_well_formed():
    verify = subprocess.run(["udevadm", "verify", "--help"], capture_output=True,
                            timeout=30) if shutil.which("udevadm") else None
    for rules in (USB_RULES, "60-assisted-kiosk-printers.rules"):
        text = (DEPLOY / rules).read_text()
        assert udev_rule_problems(text) == []
        if verify is not None and verify.returncode == 0:  # systemd 254 or newer
            done = subprocess.run(["udevadm", "verify", str(DEPLOY / rules)],
                                  capture_output=True, text=True, timeout=30)
            assert done.returncode == 0, done.stdout + done.stderr
    assert udev_rule_problems('ACTION="add", ENV{X}=="1"') != []  # the check itself can fail


def udevadm_complaints(text: str) -> list[str] | None:
    """What udev 252's own parser says of a rules file: `udevadm test` reads /run/udev/rules.d
    too, so the file is put there for a moment under a name of its own. None where it cannot
    run (no udevadm, not root, no block device to test on)."""
    devices = sorted(Path("/sys/class/block").glob("*"))
    if not shutil.which("udevadm") or os.geteuid() != 0 or not devices:
        return None
    folder = Path("/run/udev/rules.d")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"61-zz-assisted-kiosk-test-{os.getpid()}.rules"
    (folder / name).write_text(text)
    try:
        done = subprocess.run(["udevadm", "test", str(devices[0])], capture_output=True,
                              text=True, timeout=60)
    finally:
        (folder / name).unlink()
    lines = (done.stdout + done.stderr).splitlines()
    assert any(f"Reading rules file: {folder / name}" in line for line in lines), lines
    return [line for line in lines if f"{name}:" in line]


def test_udev_itself_reads_the_rules_without_a_complaint():
    for rules in (USB_RULES, "60-assisted-kiosk-printers.rules"):
        said = udevadm_complaints((DEPLOY / rules).read_text())
        if said is None:
            pytest.skip("udevadm test needs root, udevadm (the udev package) and a block device")
        assert said == [], rules
    assert udevadm_complaints('ACTION="add", SUBSYSTEM=="block"\n')  # it does complain
    assert udev_rule_problems('ACTION=="add" SUBSYSTEM=="block"') != []


@pytest.mark.skipif(not shutil.which("node"), reason="node is not here to run polkit's rule")
def test_the_polkit_rule_lets_the_kiosk_user_stop_only_a_stick_s_mount_service():
    """The rule runs in node with polkit's two objects stood in for: polkit runs JavaScript."""
    user = shell_variable("KIOSK_USER")
    manage = "org.freedesktop.systemd1.manage-units"
    asks = [(user, manage, "stop", "kiosk-usb-mount@sdb1.service"),
            (user, manage, "stop", "kiosk-usb-mount@sdc.service"),
            (user, manage, "start", "kiosk-usb-mount@sdb1.service"),
            (user, manage, "stop", "assisted-kiosk.service"),
            (user, manage, "stop",
             "kiosk-usb-mount@sdb1.service;rm"),
            ("someone", manage, "stop",
             "kiosk-usb-mount@sdb1.service"),
            (user, "org.freedesktop.udisks2.filesystem-mount", "stop",
             "kiosk-usb-mount@sdb1.service")]
    script = (
        "const rules = []; const polkit = {Result: {YES: 'yes'}, addRule: r => rules.push(r)};\n"
        + (DEPLOY / USB_POLKIT).read_text()
        + "\nfor (const [user, id, verb, unit] of JSON.parse(process.argv[1])) {"
        "  const action = {id, lookup: k => ({verb, unit})[k]};"
        "  console.log(rules.map(r => r(action, {user})).find(x => x) || 'no'); }")

    done = subprocess.run(["node", "-e", script, json.dumps(asks)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["yes", "yes", "no", "no", "no", "no", "no"]
