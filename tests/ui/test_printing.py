"""The receipt names the centre, and reaches the citizen even when the chosen printer is gone."""

from dataclasses import replace
from pathlib import Path

from kiosk.receipt import Receipt
from ui.printing import print_receipt, receipt_html

RECEIPT = Receipt(service="Senior allowance", reference="SA 1234 5678", provisional=False,
                  when="23 November 2026", lines=(("Lives alone", "Yes"),),
                  next_steps="We will write to you.", qr_text="SA12345678",
                  keep="Keep this paper.",
                  labels={"reference": "Your reference", "provisional": "Temporary reference",
                          "date": "Date", "next": "What happens next"})


def test_the_receipt_names_the_centre_set_by_the_admin():
    assert "Riverside community centre" in receipt_html(RECEIPT, "Riverside community centre")
    assert "Senior allowance" in receipt_html(RECEIPT)


def test_a_missing_printer_means_a_pdf_not_a_lost_receipt(qapp, tmp_path):
    where = print_receipt(RECEIPT, str(tmp_path), printer_name="Front desk printer",
                          centre="Riverside community centre")
    pdf = Path(where)
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")


def test_every_page_printed_in_practice_says_practice(qapp, tmp_path):
    from PySide6.QtPdf import QPdfDocument

    from kiosk.settings import Settings
    from ui.printing import practice_mark

    long = replace(RECEIPT, reference="PRACTICE 0042",
                   lines=tuple((f"Question {n}", "An answer") for n in range(60)))
    mark = practice_mark(Settings(practice=True), "zh_CN")
    assert mark.startswith("PRACTICE") and practice_mark(Settings(), "en") == ""
    pdf = QPdfDocument()
    pdf.load(print_receipt(long, str(tmp_path), printer_name="pdf", mark=mark))
    assert pdf.pageCount() >= 2
    for page in range(pdf.pageCount()):
        assert "PRACTICE" in pdf.getAllText(page).text(), page
    pdf.load(print_receipt(long, str(tmp_path), printer_name="pdf"))  # a real one: unmarked
    assert "PRACTICE —" not in pdf.getAllText(0).text()
