"""The receipt names the centre, and reaches the citizen even when the chosen printer is gone."""

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
