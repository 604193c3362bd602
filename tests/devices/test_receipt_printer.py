"""The ESC/POS receipt printer, against a network printer emulator on loopback that keeps the
bytes (tests/devices/escpos_emulator.py): what reaches the paper is checked command by command,
and a printer out of paper, with its cover open or gone leaves a PDF and a plain message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import escpos_printer, formatting
from kiosk.escpos_printer import PrinterFault, Target, parse_target, receipt_bytes, send
from kiosk.i18n import tr
from kiosk.receipt import Receipt
from tests.conftest import ELDEST
from tests.devices.escpos_emulator import PrinterEmulator

GS_SIZE = b"\x1d!"  # GS ! n: character size, Chinese characters included
DOUBLE, NORMAL = GS_SIZE + b"\x11", GS_SIZE + b"\x00"
CHINESE_ON = b"\x1c&"
FULL_CUT = b"\x1dV\x00"
QR_PRINT = b"\x1d(k\x03\x001Q0"  # GS ( k, function 181: print the stored symbol
STATUS_PAPER, STATUS_ONLINE = b"\x10\x04\x04", b"\x10\x04\x01"

RECEIPT = Receipt(service="高龄津贴", reference="SA 1234 5678", provisional=False,
                  when="2026年11月23日 10:00", lines=(("独居", "是"),),
                  next_steps="我们会在十个工作日内写信告诉您结果。", qr_text="高龄津贴: SA12345678",
                  keep="请保留这张凭条。",
                  labels={"reference": "您的编号", "provisional": "临时编号", "date": "日期",
                          "next": "接下来"})


@pytest.fixture
def printer():
    emulator = PrinterEmulator()
    yield emulator
    emulator.close()


def qr_stored(data: bytes) -> bytes:
    """The data of the QR code stored by GS ( k <pL pH> 1 P 0 <data>."""
    at = data.index(b"\x1d(k")
    while data[at + 5:at + 8] != b"1P0":
        at = data.index(b"\x1d(k", at + 1)
    length = data[at + 3] + 256 * data[at + 4] - 3
    return data[at + 8:at + 8 + length]


def size_at(data: bytes, at: int) -> bytes:
    """The GS ! size in force at byte `at`."""
    return data[data.rindex(GS_SIZE, 0, at):][:3]


def test_the_receipt_reaches_the_printer_large_with_its_qr_code_chinese_and_a_cut(printer):
    target = parse_target(printer.address + "?width=58")
    send(target, receipt_bytes(RECEIPT, "河畔社区中心", target.width_mm))
    [job] = printer.wait_for_jobs(1)
    assert job.startswith(STATUS_PAPER + STATUS_ONLINE)  # asked before anything is printed
    assert qr_stored(job) == RECEIPT.qr_text.encode("utf-8")
    assert job.index(QR_PRINT) > job.index(b"\x1d(k")  # stored, then printed: natively
    reference = job.index(b"SA 1234 5678")
    assert size_at(job, reference) == DOUBLE  # twice as wide and twice as high
    assert CHINESE_ON in job[:job.index("河畔社区中心".encode("gb18030"))]
    for text in ("河畔社区中心", "高龄津贴", "您的编号", "请保留这张凭条。"):
        assert text.encode("gb18030") in job
    assert size_at(job, job.index("独居".encode("gb18030"))) == GS_SIZE + b"\x01"  # tall type
    assert job.rstrip(b"\n").endswith(FULL_CUT)


def test_the_helper_slip_prints_too(printer):
    send(parse_target(printer.address), escpos_printer.lines_bytes(
        "帮办记录", ["帮办员 李华 帮您填写了 高龄津贴"], 58))
    [job] = printer.wait_for_jobs(1)
    assert size_at(job, job.index("帮办记录".encode("gb18030"))) == DOUBLE
    assert "帮办员 李华".encode("gb18030") in job and FULL_CUT in job


def test_lines_fit_the_paper_in_chinese_and_in_english():
    for columns in escpos_printer.COLUMNS.values():
        text = RECEIPT.next_steps * 3 + " We will write to you within ten working days."
        for line in escpos_printer.wrap(text, columns):
            assert sum(escpos_printer._cells(ch) for ch in line) <= columns
        assert "".join(escpos_printer.wrap("高龄津贴" * 20, columns)) == "高龄津贴" * 20
    assert escpos_printer.wrap("We will write to you", 10) == ["We will", "write to", "you"]


@pytest.mark.parametrize(("state", "key"), [("paper_out", "printer.paper_out"),
                                            ("cover_open", "printer.cover_open")])
def test_a_printer_that_cannot_print_is_not_sent_the_receipt(printer, state, key):
    printer.state = state
    with pytest.raises(PrinterFault) as fault:
        send(parse_target(printer.address), receipt_bytes(RECEIPT))
    assert fault.value.key == key
    [job] = printer.wait_for_jobs(1)
    assert b"SA 1234 5678" not in job and FULL_CUT not in job  # nothing printed into the void


def test_a_printer_that_does_not_answer_or_is_not_there_is_offline(printer):
    printer.state = "silent"
    with pytest.raises(PrinterFault) as fault:
        send(parse_target(printer.address), receipt_bytes(RECEIPT), timeout=0.3)
    assert fault.value.key == "printer.offline"
    gone = Target("tcp", f"127.0.0.1:{printer.port}")
    printer.close()
    with pytest.raises(PrinterFault) as fault:
        send(gone, receipt_bytes(RECEIPT), timeout=0.3)
    assert fault.value.key == "printer.offline"
    with pytest.raises(PrinterFault):  # no such USB printer on this machine
        send(parse_target("escpos+usb://04b8:0e15"), b"", timeout=0.3)


# Through the kiosk: the confirmation screen's Print button --------------------------------------

def to_confirmation(kiosk, walker, lang: str) -> str:
    walker.begin(lang)
    walker.complete("senior_allowance", card=ELDEST,
                    answers={"lives_alone": True, "emergency_phone": "13987654321"})
    assert kiosk.current() is kiosk.confirmation
    return kiosk.session.journey.result.reference


def print_and_wait(kiosk, walker, qtbot) -> None:
    walker.tap("print")  # the printer is asked off the GUI thread: the answer comes later
    qtbot.waitUntil(lambda: kiosk.confirmation.last_print != "", timeout=15000)
    assert kiosk.confirmation.print_button.isEnabled()


def test_the_kiosk_prints_the_citizens_receipt_on_the_thermal_printer(
        make_kiosk, printer, qtbot, tmp_path):
    from ui.walker import Walker

    kiosk = make_kiosk(printer=printer.address + "?width=80", receipt_dir=str(tmp_path))
    walker = Walker(kiosk)
    reference = to_confirmation(kiosk, walker, "zh_CN")
    title = kiosk.session.journey.service.title.get("zh_CN")
    print_and_wait(kiosk, walker, qtbot)
    [job] = printer.wait_for_jobs(1)
    assert title.encode("gb18030") in job
    assert size_at(job, job.index(formatting.reference(reference).encode())) == DOUBLE
    assert reference.encode() in qr_stored(job)
    assert kiosk.confirmation.printed.text() == tr("zh_CN", "confirm.printed")
    assert not list(tmp_path.rglob("*.pdf"))  # printed, so no PDF
    assert kiosk.confirmation.last_print == f"tcp:127.0.0.1:{printer.port}"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_out_of_paper_the_citizen_is_told_plainly_and_the_receipt_is_kept(
        make_kiosk, printer, qtbot, tmp_path, lang):
    from ui.walker import Walker

    printer.state = "paper_out"
    kiosk = make_kiosk(printer=printer.address, receipt_dir=str(tmp_path))
    walker = Walker(kiosk)
    to_confirmation(kiosk, walker, lang)
    print_and_wait(kiosk, walker, qtbot)
    assert kiosk.confirmation.printed.text() == tr(lang, "printer.paper_out")
    assert ("out of paper" if lang == "en" else "没纸") in kiosk.confirmation.printed.text()
    pdf = Path(kiosk.confirmation.last_print)
    assert pdf.parent.parent == tmp_path and pdf.read_bytes().startswith(b"%PDF")
