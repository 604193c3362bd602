"""The PC/SC card reader for real: pcscd with a virtual reader (vsmartcard-vpcd), and a card
emulated by virtualsmartcard (tests/devices/virtual_card.py) that is put in by starting it and
taken out by stopping it. The kiosk reads the ID number through pcscd, gets the citizen's
record from the embedded hub over HTTP on loopback, and wipes the visit when the card leaves.

pcscd serves one socket per machine (/run/pcscd/pcscd.comm, fixed when it was built), so this
starts its own pcscd only where none runs, as root (as CI does); else it says why it skips.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from kiosk.identity import READ, REMOVED, UNREADABLE
from kiosk.settings import Settings
from tests.conftest import ELDEST

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = Path(__file__).with_name("virtual_card.py")
DEBIAN_PYTHON = "/usr/bin/python3"  # python3-virtualsmartcard is Debian's, not in the venv
VPCD = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SOCKET = Path("/run/pcscd/pcscd.comm")
NOT_A_SOCIAL_SECURITY_CARD = "A000000003000000"  # some other application (a payment card's)


def _why_not() -> str:
    if os.geteuid() != 0:
        return "pcscd must run as root to create /run/pcscd (CI runs as root)"
    if not shutil.which("pcscd") or not VPCD.exists():
        return "pcscd and vsmartcard-vpcd are not installed (./kiosk.sh setup)"
    if SOCKET.exists():
        with closing(socket.socket(socket.AF_UNIX)) as probe:
            if probe.connect_ex(str(SOCKET)) == 0:
                return "another pcscd is running: stop it first (systemctl stop pcscd.socket)"
    return ""


def _two_free_ports() -> int:
    """vpcd listens on PORT and PORT+1 (its two slots)."""
    for _ in range(20):
        with closing(socket.socket()) as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with closing(socket.socket()) as second:
                if second.connect_ex(("127.0.0.1", port + 1)) != 0 and port < 65535:
                    return port
    raise RuntimeError("no two free ports side by side")


def _readers() -> list[str]:
    from smartcard import scard

    result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if result != scard.SCARD_S_SUCCESS:
        return []
    try:
        result, readers = scard.SCardListReaders(context, [])
        return list(readers) if result == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


@pytest.fixture(scope="module")
def vpcd_port(tmp_path_factory):
    """pcscd in the foreground with only the virtual reader, on ports of its own."""
    why = _why_not()
    if why:
        pytest.skip(why)
    port = _two_free_ports()
    conf = tmp_path_factory.mktemp("reader.conf.d")
    (conf / "vpcd").write_text(f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:{port:#x}\n'
                               f"LIBPATH {VPCD}\nCHANNELID {port:#x}\n")
    daemon = subprocess.Popen(["pcscd", "--foreground", "--config", str(conf)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while not any(name.startswith("Virtual PCD") for name in _readers()):
        if daemon.poll() is not None or time.monotonic() > deadline:
            daemon.kill()
            pytest.fail(f"pcscd did not start: {daemon.stderr.read().decode()[-500:]}")
        time.sleep(0.1)
    yield port
    daemon.terminate()
    daemon.wait(timeout=10)


@contextmanager
def card_in_reader(port: int, id_number: str, aid: str | None = None):
    """The card is in the reader while this lasts."""
    from kiosk.pcsc import SOCIAL_SECURITY

    aid = aid or SOCIAL_SECURITY.aid.hex()
    card = subprocess.Popen(
        [DEBIAN_PYTHON, str(EMULATOR), str(port), aid, f"{SOCIAL_SECURITY.number_file:04x}",
         id_number], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert card.stdout.readline().strip() == "inserted", card.stderr.read()
        yield card
    finally:
        card.terminate()
        card.wait(timeout=10)


class Events(list):
    def wait_for(self, qtbot, count: int) -> None:
        qtbot.waitUntil(lambda: len(self) >= count, timeout=10000)


def test_the_reader_reports_a_card_put_in_and_taken_out(vpcd_port, qtbot):
    from kiosk.pcsc import PcscCardReader

    events = Events()
    reader = PcscCardReader()
    reader.start(events.append)
    try:
        with card_in_reader(vpcd_port, ELDEST):
            events.wait_for(qtbot, 1)
            assert [(e.kind, e.id_number) for e in events] == [(READ, ELDEST)]
        events.wait_for(qtbot, 2)
        assert events[1].kind == REMOVED
        with card_in_reader(vpcd_port, ELDEST, aid=NOT_A_SOCIAL_SECURITY_CARD):
            events.wait_for(qtbot, 3)
            assert events[2].kind == UNREADABLE and not events[2].id_number
        assert reader.problem == ""
    finally:
        reader.close()
    assert not reader._thread.is_alive()


def test_a_card_identifies_the_citizen_from_the_hub_and_taking_it_out_wipes_the_visit(
        vpcd_port, qtbot, tmp_path):
    from kiosk.backend.demo_data import CITIZENS
    from kiosk.pcsc import PcscCardReader
    from ui.launch import WINDOW_SIZE, embedded_kiosk
    from ui.walker import Walker

    kiosk, hub = embedded_kiosk(Settings(card_reader="pcsc", idle_timeout_s=3600,
                                         data_dir=str(tmp_path)), folder=tmp_path)
    try:
        assert isinstance(kiosk.reader, PcscCardReader)  # chosen by the settings
        assert kiosk.card.demo_buttons == []  # no pretend cards beside a real reader
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        walker = Walker(kiosk)
        walker.begin("en")
        walker.open_service("senior_allowance")
        assert kiosk.current() is kiosk.card
        with card_in_reader(vpcd_port, ELDEST):
            qtbot.waitUntil(lambda: kiosk.current() is kiosk.who, timeout=10000)
            name = next(c[1] for c in CITIZENS if c[0] == ELDEST)
            assert kiosk.session.citizen.name == name  # the hub's record, over HTTP
            assert name in kiosk.who.record.text()
            walker.tap("next")
            assert kiosk.session.journey is not None  # the visit is under way
        qtbot.waitUntil(lambda: kiosk.current() is kiosk.attract, timeout=10000)
        assert kiosk.session.citizen is None and kiosk.session.journey is None
        assert kiosk.who.record.text() == ""
    finally:
        kiosk.shutdown()
        hub.close()


def test_a_card_left_in_the_reader_is_not_read_for_the_next_person(vpcd_port, qtbot, tmp_path):
    from ui.launch import WINDOW_SIZE, embedded_kiosk
    from ui.walker import Walker

    kiosk, hub = embedded_kiosk(Settings(card_reader="pcsc", idle_timeout_s=3600,
                                         data_dir=str(tmp_path)), folder=tmp_path)
    try:
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        with card_in_reader(vpcd_port, ELDEST):
            qtbot.waitUntil(lambda: kiosk.cards.present, timeout=10000)
            walker = Walker(kiosk)
            walker.begin("en")
            walker.open_service("senior_allowance")
            assert kiosk.current() is kiosk.card
            assert kiosk.session.citizen is None
            assert "take it out and put your card in again" in kiosk.card.error.message()
    finally:
        kiosk.shutdown()
        hub.close()


# Without pcscd: the choice of reader, and the kiosk's side of the events --------------------

def test_the_settings_choose_the_reader_and_the_demo_card_exists_only_in_demo():
    from kiosk.identity import DemoCardReader, NullCardReader, reader_for
    from kiosk.pcsc import PcscCardReader

    assert isinstance(reader_for(Settings()), DemoCardReader)  # the embedded demo
    assert isinstance(reader_for(Settings(demo=False, practice=True)), DemoCardReader)
    assert isinstance(reader_for(Settings(demo=False)), NullCardReader)  # a real hub
    assert isinstance(reader_for(Settings(demo=False, card_reader="pcsc")), PcscCardReader)


def test_with_no_reader_the_citizen_types_their_number_and_back_leads_out(qtbot, tmp_path):
    from kiosk.catalogue import load_catalogue
    from kiosk.identity import NullCardReader
    from ui.app import Kiosk
    from ui.composition import demo_ports
    from ui.launch import WINDOW_SIZE, qt_app
    from ui.walker import Walker

    qt_app()
    kiosk = Kiosk(Settings(demo=False, idle_timeout_s=3600, data_dir=str(tmp_path)),
                  demo_ports(), load_catalogue(), NullCardReader())
    try:
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        walker = Walker(kiosk)
        walker.begin("en")
        walker.open_service("senior_allowance")
        assert kiosk.current() is kiosk.id_number  # no "put your card in" without a reader
        walker.tap("back")
        assert kiosk.current() is kiosk.before_start
    finally:
        kiosk.shutdown()


def test_the_identified_citizens_card_taken_out_wipes_the_visit(kiosk, walker):
    walker.begin("zh_CN")
    walker.complete("senior_allowance", card=ELDEST, submit=False)
    assert kiosk.session.journey is not None and kiosk.cards.identified
    kiosk.reader.take_out()
    assert kiosk.current() is kiosk.attract
    assert kiosk.session.citizen is None and kiosk.session.journey is None
    assert not kiosk.cards.identified


def test_a_card_taken_out_of_someone_who_typed_their_number_changes_nothing(kiosk, walker):
    walker.begin("en")
    walker.complete("senior_allowance", code=ELDEST, submit=False)
    kiosk.reader.take_out()  # somebody else's card, or one put in by mistake
    assert kiosk.current() is kiosk.review and kiosk.session.citizen is not None


def test_without_pcscd_the_reader_says_so_and_keeps_trying(tmp_path):
    """libpcsclite finds pcscd through $PCSCLITE_CSOCK_NAME: pointed at nothing, no service."""
    from kiosk.diagnostics import card_reader_check

    program = ("import threading, time\n"
               "from kiosk.pcsc import PcscCardReader\n"
               "reader = PcscCardReader(); reader.start(print)\n"
               "deadline = time.monotonic() + 10\n"
               "while not reader.problem and time.monotonic() < deadline: time.sleep(0.05)\n"
               "print(reader.problem); reader.close()\n"
               "print(reader._thread.is_alive())\n")
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "none")})
    assert done.stdout.split() == ["no_service", "False"], done.stderr[-500:]
    said = card_reader_check("pcsc", "no_service")
    assert not said.ok and "pcscd" in said.detail and "type their ID number" in said.detail
    assert "pcscd" in said.translated("zh_CN").detail
    assert card_reader_check("pcsc", "").ok and card_reader_check("none", "no_service").ok
