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

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk import escpos_printer
from kiosk.i18n import tr
from kiosk.receipt import Receipt, paper_of
from kiosk.settings import Settings
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


def receipt_html(receipt: Receipt, centre: str = "", qr_size: int = 120) -> str:
    """One page: the reference and the QR code side by side at the top, then one line per
    answer (short label, answer), then what happens next."""
    esc = html.escape
    ref_label = receipt.labels["provisional" if receipt.provisional else "reference"]
    rows = "".join(f"<tr><td>{esc(k)}</td><td><b>{esc(v)}</b></td></tr>"
                   for k, v in receipt.lines)
    head = ((f"<p>{esc(centre)}</p>" if centre else "")
            + f"<h2>{esc(receipt.service)}</h2>"
            f"<p>{esc(ref_label)}</p><h1>{esc(receipt.reference)}</h1>"
            f"<p>{esc(receipt.labels['date'])}: {esc(receipt.when)}</p>")
    code = f"<img src='qr:code' width='{qr_size}' height='{qr_size}'>"
    return (
        f"<table width='100%' cellspacing='0' cellpadding='0'><tr><td valign='top'>{head}</td>"
        f"<td valign='top' align='right'>{code}</td></tr></table>"
        f"<table cellpadding='2'>{rows}</table>"
        f"<h3>{esc(receipt.labels['next'])}</h3><p>{esc(receipt.next_steps)}</p>"
        f"<p>{esc(receipt.keep)}</p>"
    )


def print_receipt(receipt: Receipt, folder: str = "", printer_name: str = "",
                  centre: str = "", mark: str = "") -> str:
    """Returns where it went: the printer's name, or the PDF's path. `printer_name` is the
    admin's choice (Settings.printer): "" the system's default, "pdf" always a PDF. `mark`
    (practice mode's "PRACTICE ...") heads every printed page."""
    from ui.qr import qr_image  # qrcode and PIL: loaded when a receipt is printed

    document = QTextDocument()
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("qr:code"),
                         qr_image(receipt.qr_text))
    _, paper = paper_of(printer_name)
    document.setHtml(receipt_html(receipt, centre, qr_size=90 if paper == "roll80" else 120))
    return _print(document, folder, printer_name, mark)


def print_lines(heading: str, lines: list[str], folder: str = "", printer_name: str = "",
                mark: str = "") -> str:
    """A short paper of plain lines (the helper slip)."""
    document = QTextDocument()
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    document.setHtml(f"<h2>{html.escape(heading)}</h2><ul>{items}</ul>")
    return _print(document, folder, printer_name, mark)


SHEETS = {"a5": QPageSize.PageSizeId.A5, "a4": QPageSize.PageSizeId.A4}
ROLL_MM = 80  # a kiosk receipt roll: 80 mm wide, as long as the receipt
MARGIN_MM = {"a5": 10, "a4": 15, "roll80": 4}
SOURCE_DPI = 96  # a QTextDocument lays out in pixels of a 96 dpi screen


def _print(document: QTextDocument, folder: str, printer_setting: str, mark: str = "") -> str:
    printer_name, paper = paper_of(printer_setting)  # checked when the setting was saved
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _lay_out(document, printer, paper, mark)
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


def _lay_out(document: QTextDocument, printer: QPrinter, paper: str, mark: str) -> None:
    """The page for `paper` and the document paginated to it (so print_ adds no margin of its
    own): a sheet, or a roll page just long enough for the whole receipt."""
    margin = MARGIN_MM[paper]
    px_per_mm = SOURCE_DPI / 25.4  # the document's own units, scaled to the printer by print_
    if paper in SHEETS:
        printer.setPageSize(QPageSize(SHEETS[paper]))
    else:
        document.setTextWidth((ROLL_MM - 2 * margin) * px_per_mm)
        length = document.size().height() / px_per_mm / (0.9 if mark else 1) + 2 * margin + 2
        printer.setPageSize(QPageSize(QSizeF(ROLL_MM, max(ROLL_MM, length)),
                                      QPageSize.Unit.Millimeter, "Receipt roll 80 mm"))
    printer.setPageMargins(QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter)
    body = printer.pageRect(QPrinter.Unit.Millimeter)
    document.setPageSize(QSizeF(body.width() * px_per_mm, body.height() * px_per_mm))


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
