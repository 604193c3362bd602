"""deploy/ for the devices: pcscd is there before the kiosk asks it for cards, and the kiosk
user may open the receipt printer (USB through the udev rule and the group lp, serial through
dialout). systemd-analyze verify of the units is in tests/kiosk/test_deploy.py."""

import re
from pathlib import Path

from tests.kiosk.test_deploy import DEPLOY, UNITS, unit

RULES = DEPLOY / "60-assisted-kiosk-printers.rules"


def test_the_kiosk_starts_after_the_card_readers_service():
    for name in UNITS:
        settings = unit(name)
        assert "pcscd.socket" in settings["Wants"] and "pcscd.socket" in settings["After"]
    installer = (DEPLOY / "install.sh").read_text()
    assert "systemctl enable --quiet pcscd.socket" in installer
    if Path("/usr/sbin/pcscd").exists():  # Debian's pcscd ships the socket the units name
        assert any(Path(d, "pcscd.socket").exists() for d in ("/lib/systemd/system",
                                                               "/usr/lib/systemd/system"))


def test_the_kiosk_user_may_open_usb_and_serial_receipt_printers():
    rules = [line for line in RULES.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(rules) == 1
    keys = dict(re.findall(r'(\S+?)(?:==|=)"([^"]*)"', rules[0]))
    assert keys["SUBSYSTEM"] == "usb" and keys["ENV{ID_USB_INTERFACES}"] == "*:0701*"
    assert (keys["GROUP"], keys["MODE"]) == ("lp", "0660")
    installer = (DEPLOY / "install.sh").read_text()
    assert re.search(r"^PRINTER_RULES=" + re.escape(RULES.name) + "$", installer, re.MULTILINE)
    assert '"/etc/udev/rules.d/$PRINTER_RULES"' in installer
    groups = re.search(r"usermod --append --groups (\S+)", installer)[1].split(",")
    assert {"lp", "dialout"} <= set(groups)
