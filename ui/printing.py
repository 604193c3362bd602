"""Print a receipt through Qt's print support; with no printer (or the admin chose "pdf", or
the chosen printer is gone), write a PDF instead: the citizen always gets their receipt.

An ESC/POS thermal printer named in the settings (kiosk/escpos_printer.py) is talked to off
the GUI thread; when it cannot print (no paper, offline), the receipt becomes a PDF here and
the citizen is told why in plain words.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QFont, QFontMetricsF, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk import escpos_printer
from kiosk.i18n import tr
from kiosk.receipt import Receipt
from kiosk.settings import Settings
from ui.qr import qr_image
from ui.tasks import run_in_background


@dataclass(frozen=True)
class Printed:
    where: str  # the printer, or the PDF's path
    problem: str = ""  # why a chosen printer did not print (i18n key), or ""

    @property
    def as_pdf(self) -> bool:
        return self.where.endswith(".pdf")


def deliver_receipt(receipt: Receipt, settings: Settings, done: Callable[[Printed], None],
                    mark: str = "") -> None:
    """Prints by the settings and calls `done` on the GUI thread: at once for Qt's printers
    and PDF, later for an ESC/POS printer (which is asked off the GUI thread). `mark`: see
    practice_mark."""
    _deliver(settings, done,
             lambda printer: print_receipt(receipt, settings.receipt_dir, printer,
                                           settings.centre_name, mark),
             lambda width: escpos_printer.receipt_bytes(receipt, settings.centre_name, width,
                                                        mark))


def deliver_lines(heading: str, lines: list[str], settings: Settings,
                  done: Callable[[Printed], None], mark: str = "") -> None:
    """The helper slip, the same way."""
    _deliver(settings, done,
             lambda printer: print_lines(heading, lines, settings.receipt_dir, printer, mark),
             lambda width: escpos_printer.lines_bytes(heading, lines, width, mark))


def _deliver(settings: Settings, done: Callable[[Printed], None],
             through_qt: Callable[[str], str], as_escpos: Callable[[int], bytes]) -> None:
    try:
        target = escpos_printer.parse_target(settings.printer)
    except ValueError:  # a hand-edited settings file: config.load reports it to the admin
        return done(Printed(through_qt("pdf"), "printer.offline"))
    if target is None:
        return done(Printed(through_qt(settings.printer)))
    data = as_escpos(target.width_mm)

    def failed(problem: Exception) -> None:
        key = problem.key if isinstance(problem, escpos_printer.PrinterFault) \
            else "printer.offline"
        done(Printed(through_qt("pdf"), key))

    run_in_background(lambda: escpos_printer.send(target, data),
                      lambda _: done(Printed(target.describe())), failed)


def practice_mark(settings: Settings, lang: str) -> str:
    """What heads every page printed in practice mode ("" on a working kiosk): the English
    word too, whatever the language, so nobody who reads the page takes it for real."""
    return tr(lang, "practice.mark") if settings.practice else ""


def receipt_html(receipt: Receipt, centre: str = "") -> str:
    esc = html.escape
    ref_label = receipt.labels["provisional" if receipt.provisional else "reference"]
    rows = "".join(f"<tr><td>{esc(k)}</td><td><b>{esc(v)}</b></td></tr>"
                   for k, v in receipt.lines)
    return (
        (f"<p>{esc(centre)}</p>" if centre else "")
        + f"<h2>{esc(receipt.service)}</h2>"
        f"<p>{esc(ref_label)}</p><h1>{esc(receipt.reference)}</h1>"
        f"<p>{esc(receipt.labels['date'])}: {esc(receipt.when)}</p>"
        f"<table cellpadding='4'>{rows}</table>"
        f"<h3>{esc(receipt.labels['next'])}</h3><p>{esc(receipt.next_steps)}</p>"
        f"<p><img src='qr:code' width='180' height='180'></p><p>{esc(receipt.keep)}</p>"
    )


def print_receipt(receipt: Receipt, folder: str = "", printer_name: str = "",
                  centre: str = "", mark: str = "") -> str:
    """Returns where it went: the printer's name, or the PDF's path. `printer_name` is the
    admin's choice (Settings.printer): "" the system's default, "pdf" always a PDF. `mark`
    (practice mode's "PRACTICE ...") heads every printed page."""
    document = QTextDocument()
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("qr:code"),
                         qr_image(receipt.qr_text))
    document.setHtml(receipt_html(receipt, centre))
    return _print(document, folder, printer_name, mark)


def print_lines(heading: str, lines: list[str], folder: str = "", printer_name: str = "",
                mark: str = "") -> str:
    """A short paper of plain lines (the helper slip)."""
    document = QTextDocument()
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    document.setHtml(f"<h2>{html.escape(heading)}</h2><ul>{items}</ul>")
    return _print(document, folder, printer_name, mark)


def _print(document: QTextDocument, folder: str, printer_name: str, mark: str = "") -> str:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    printers = {p.printerName(): p for p in QPrinterInfo.availablePrinters()}
    if not printer_name and printers:
        printer_name = QPrinterInfo.defaultPrinterName() or next(iter(printers))
    if printer_name in printers:
        printer.setPrinterName(printer_name)
        where = printer.printerName()
    else:
        out = Path(folder or tempfile.gettempdir()) / "kiosk-receipts"
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        where = str(out / f"receipt-{datetime.now():%Y%m%d-%H%M%S-%f}.pdf")
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(where)
    if mark:
        _print_marked(document, printer, mark)
    else:
        document.print_(printer)
    return where


def _print_marked(document: QTextDocument, printer: QPrinter, mark: str) -> None:
    """The document page by page under a band that carries `mark`, so no page of it can be
    taken for the real thing (QTextDocument.print_ has no page header)."""
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    band = page.height() / 10
    document.documentLayout().setPaintDevice(printer)
    document.setPageSize(QSizeF(page.width(), page.height() - band))
    height = document.pageSize().height()
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(1, int(band * 0.45)))
    while font.pixelSize() > 8 and QFontMetricsF(font, printer).horizontalAdvance(mark) > \
            page.width() * 0.95:  # the whole mark on the page, however long in its language
        font.setPixelSize(int(font.pixelSize() * 0.9))
    painter = QPainter(printer)
    try:
        for number in range(document.pageCount()):
            if number:
                printer.newPage()
            painter.save()
            painter.setFont(font)
            painter.drawText(QRectF(0, 0, page.width(), band), Qt.AlignmentFlag.AlignCenter,
                             mark)
            painter.translate(0, band - number * height)
            document.drawContents(painter, QRectF(0, number * height, page.width(), height))
            painter.restore()
    finally:
        painter.end()
