"""ESC/POS thermal receipt printers (58 or 80 mm) on the network, USB or a serial line.

The receipt is printed large (double-height type, the reference twice as wide and high), with
its QR code drawn by the printer itself (GS ( k) and a cut at the end. Chinese is sent as
GB18030 text in the printer's Chinese mode (FS &): the thermal printers sold in China carry a
GB18030 font, and text is a few hundred bytes where a picture of it would be tens of kilobytes
over a 9600-baud serial line (docs/receipt-printer.md). Before printing, the printer is asked
for its state (DLE EOT); out of paper, cover open, offline or no answer is a `PrinterFault`,
and the UI then keeps the receipt as a PDF (the printer never loses one).

The settings name a printer as escpos+tcp://HOST[:PORT], escpos+usb://VENDOR:PRODUCT (hex) or
escpos+serial:///dev/ttyUSB0, each with optional ?width=58|80 (mm) and, for serial, &baud=.
"""

from __future__ import annotations

import contextlib
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from kiosk.message import KioskError
from kiosk.receipt import Receipt

if TYPE_CHECKING:  # python-escpos loads its printer database (YAML) on import: only to print
    from escpos.escpos import Escpos

SCHEMES = {"escpos+tcp": "tcp", "escpos+usb": "usb", "escpos+serial": "serial"}
COLUMNS = {58: 32, 80: 48}  # characters of font A (12 x 24 dots) across the paper
QR_DOT = {58: 6, 80: 8}  # dots per QR module: a code 2-3 cm wide
TIMEOUT_S = 5.0
CHINESE_ON, CHINESE_OFF = b"\x1c&", b"\x1c."  # FS &, FS .
RT_STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2: why the printer is offline
COVER_OPEN = 0x04  # in the DLE EOT 2 answer


class PrinterFault(KioskError):
    """The printer cannot print now; `.text(lang)` says why to the citizen. The key is
    printer.paper_out | printer.cover_open | printer.offline."""

    key = "printer.offline"


@dataclass(frozen=True)
class Target:
    kind: str  # tcp | usb | serial
    address: str  # host:port | vendor:product | device path
    width_mm: int = 80
    baud: int = 9600

    def describe(self) -> str:
        return f"{self.kind}:{self.address}"


def parse_target(text: str) -> Target | None:
    """The ESC/POS printer the setting names; None for any other setting ("", "pdf", a CUPS
    name). ValueError when it starts like an ESC/POS address but is not a usable one."""
    scheme = text.split(":", 1)[0].strip().lower()
    if not scheme.startswith("escpos"):
        return None
    if scheme not in SCHEMES:
        raise ValueError("unknown kind of ESC/POS printer")
    parts = urlsplit(text.strip())
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    width = int(options.get("width", "80")) if options.get("width", "80").isdigit() else 0
    baud = options.get("baud", "9600")
    if width not in COLUMNS or not baud.isdigit():
        raise ValueError("width must be 58 or 80, baud a number")
    kind = SCHEMES[scheme]
    if kind == "tcp":
        if not parts.hostname:
            raise ValueError("no host")
        address = f"{parts.hostname}:{parts.port or 9100}"
    elif kind == "usb":
        vendor, _, product = parts.netloc.partition(":")
        try:
            int(vendor, 16), int(product, 16)
        except ValueError:
            raise ValueError("USB ids are two hex numbers") from None
        address = f"{vendor}:{product}"
    else:
        if not parts.path.startswith("/dev/"):
            raise ValueError("a serial printer is a device under /dev")
        address = parts.path
    return Target(kind, address, width, int(baud))


# The bytes ------------------------------------------------------------------------------------

def receipt_bytes(receipt: Receipt, centre: str = "", width_mm: int = 80,
                  mark: str = "") -> bytes:
    """The whole receipt as ESC/POS commands, ready to send. `mark` (practice mode's
    "PRACTICE ...") heads it."""
    from escpos.printer import Dummy

    columns = COLUMNS[width_mm]
    page = Dummy()
    page.hw("INIT")
    page._raw(CHINESE_ON)
    page.set(align="center")
    if mark:
        _say(page, mark, columns // 2, width=2, height=2, bold=True)
    if centre:
        _say(page, centre, columns)
    _say(page, receipt.service, columns // 2, width=2, height=2, bold=True)
    _blank(page)
    label = receipt.labels["provisional" if receipt.provisional else "reference"]
    _say(page, label, columns, height=2)
    _say(page, receipt.reference, columns // 2, width=2, height=2, bold=True)
    _blank(page)
    page.set(align="left")
    _say(page, f"{receipt.labels['date']}: {receipt.when}", columns, height=2)
    for key, value in receipt.lines:
        _say(page, f"{key}: {value}", columns, height=2)
    if receipt.next_steps:
        _blank(page)
        _say(page, receipt.labels["next"], columns, height=2, bold=True)
        _say(page, receipt.next_steps, columns, height=2)
    _blank(page)
    page.set(align="center")
    page.qr(receipt.qr_text, size=QR_DOT[width_mm], native=True)
    _blank(page)
    _say(page, receipt.keep, columns, height=2)
    page._raw(CHINESE_OFF)
    page.cut()
    return page.output


def lines_bytes(heading: str, lines: list[str], width_mm: int = 80, mark: str = "") -> bytes:
    """A short paper of plain lines (the helper slip), headed by `mark` if given."""
    from escpos.printer import Dummy

    columns = COLUMNS[width_mm]
    page = Dummy()
    page.hw("INIT")
    page._raw(CHINESE_ON)
    if mark:
        _say(page, mark, columns // 2, width=2, height=2, bold=True)
    _say(page, heading, columns // 2, width=2, height=2, bold=True)
    for line in lines:
        _say(page, f"- {line}", columns, height=2)
    page._raw(CHINESE_OFF)
    page.cut()
    return page.output


def _blank(page: Escpos) -> None:
    page._raw(b"\n")  # not Escpos.ln(): it would pick a code page, out of Chinese mode


def _say(page: Escpos, text: str, columns: int, width: int = 1, height: int = 1,
         bold: bool = False) -> None:
    """Text in GB18030 at this size (GS !, which scales Chinese characters too), wrapped."""
    page.set(custom_size=True, width=width, height=height, bold=bold)
    for line in wrap(text, columns):
        page._raw(line.encode("gb18030", "replace") + b"\n")
    page.set(custom_size=True, width=1, height=1, bold=False)


def wrap(text: str, columns: int) -> list[str]:
    """Lines that fit `columns` (a Chinese character takes two); words kept whole."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if all(_cells(ch) == 1 for ch in paragraph):
            lines += textwrap.wrap(paragraph, columns) or [""]
            continue
        line, used = "", 0
        for ch in paragraph:
            if used + _cells(ch) > columns:
                lines.append(line)
                line, used = "", 0
            line, used = line + ch, used + _cells(ch)
        lines.append(line)
    return lines


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# The printer ----------------------------------------------------------------------------------

def send(target: Target, data: bytes, timeout: float = TIMEOUT_S) -> None:
    """Ask the printer's state, then print; PrinterFault if it cannot print now. Slow (the
    network, a serial line): never on the GUI thread."""
    printer = _open(target, timeout)
    try:
        check(printer)
        printer._raw(data)
    except PrinterFault:
        raise
    except Exception as problem:  # the line dropped while talking: as good as offline
        raise PrinterFault("printer.offline") from problem
    finally:
        _close(printer)


def check(printer: Escpos) -> None:
    """DLE EOT 4 (paper sensor), then DLE EOT 1 (online) and, when offline, DLE EOT 2 (why).
    A printer that does not answer is taken as offline: nothing is printed into the void."""
    from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER

    paper = _status(printer, RT_STATUS_PAPER)
    if paper & 0x60 == 0x60:  # bits 5 and 6: the roll's end sensor found no paper
        raise PrinterFault("printer.paper_out")
    if _status(printer, RT_STATUS_ONLINE) & 0x08:
        cause = _status(printer, RT_STATUS_OFFLINE_CAUSE)
        if cause & COVER_OPEN:
            raise PrinterFault("printer.cover_open")
        if cause & 0x20:  # stopped because the paper ran out
            raise PrinterFault("printer.paper_out")
        raise PrinterFault("printer.offline")


def _status(printer: Escpos, query: bytes) -> int:
    try:
        answer = printer.query_status(query)
    except Exception as problem:  # timed out, or the link is gone
        raise PrinterFault("printer.offline") from problem
    if not answer:
        raise PrinterFault("printer.offline")
    return answer[0]


def _open(target: Target, timeout: float) -> Escpos:
    try:
        if target.kind == "tcp":
            from escpos.printer import Network

            host, _, port = target.address.rpartition(":")
            printer: Escpos = Network(host, int(port), timeout=timeout)
        elif target.kind == "usb":
            from escpos.printer import Usb

            vendor, product = (int(part, 16) for part in target.address.split(":"))
            printer = Usb(vendor, product, timeout=int(timeout * 1000))
        else:
            from escpos.printer import Serial

            printer = Serial(target.address, baudrate=target.baud, timeout=timeout)
        printer.open()
    except Exception as problem:  # not there, refused, no permission: not printing today
        raise PrinterFault("printer.offline") from problem
    return printer


def _close(printer: Escpos) -> None:
    with contextlib.suppress(Exception):  # closing a dead link has nothing left to save
        printer.close()
