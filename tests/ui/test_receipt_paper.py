"""A receipt fits one page with its QR code, read back from the PDF as a person would get it
(poppler's pdfinfo, pdftotext and pdfimages): A5 and A4 sheets, and an 80 mm receipt roll."""

import re
import subprocess
import unicodedata

import pytest

from kiosk import config, receipt
from kiosk.catalogue import load_catalogue
from tests.conftest import ELDEST
from ui.printing import practice_mark, print_receipt

CENTRE = "Demo community centre 示范社区服务中心"


def longest_service() -> str:
    """The shipped service whose receipt has the most lines and words."""
    def size(service):
        answers = [s for s in service.steps if s.takes_answer]
        words = sum(len(s.short("en")) for s in answers)
        return (len(answers), words + len(service.next_steps.get("en") if service.next_steps
                                          else ""))
    return max((s for s in load_catalogue().services if s.outcome == "submit"), key=size).id


def poppler(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pages(pdf: str) -> tuple[int, str]:
    info = poppler("pdfinfo", pdf)
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    size = re.search(r"^Page size:\s+(.*)$", info, re.M)[1]
    return count, size


def images_on(pdf: str) -> list[int]:
    """The page number of every image in the PDF."""
    rows = poppler("pdfimages", "-list", pdf).splitlines()[2:]
    return [int(row.split()[0]) for row in rows]


def text_of(pdf: str) -> str:
    """The words on the paper; NFKC, as pdftotext gives some CJK characters as radicals."""
    return unicodedata.normalize("NFKC", poppler("pdftotext", "-layout", pdf, "-"))


def receipt_of(make_kiosk, lang: str):
    """The longest service's receipt: walked on the real kiosk, submitted, built."""
    from ui.walker import Walker

    kiosk = make_kiosk()
    walker = Walker(kiosk)
    walker.begin(lang)
    service = longest_service()
    walker.complete(service, card=ELDEST)
    assert kiosk.session.journey.result is not None
    return receipt.build(kiosk.session.journey, lang), kiosk.session.journey


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(("paper", "size"), [("a5", "(A5)"), ("a4", "(A4)")])
def test_the_longest_receipt_is_one_sheet_with_its_qr_code(make_kiosk, tmp_path, lang,
                                                           paper, size):
    content, journey = receipt_of(make_kiosk, lang)
    pdf = print_receipt(content, str(tmp_path), f"pdf?paper={paper}", CENTRE)
    assert pages(pdf) == (1, pages(pdf)[1]) and size in pages(pdf)[1]
    assert images_on(pdf) == [1]  # the QR code, on page 1
    text = text_of(pdf)
    for row in journey.summary(lang):
        assert row.label in text  # short labels ("Phone"), not the questions
        assert row.step.title.get(lang) not in text


def test_an_80mm_roll_is_80mm_wide_and_one_page_long(make_kiosk, tmp_path):
    content, _ = receipt_of(make_kiosk, "zh_CN")
    for mark in ("", practice_mark(config.Settings(practice=True), "zh_CN")):
        pdf = print_receipt(content, str(tmp_path), "pdf?paper=roll80", CENTRE, mark)
        count, size = pages(pdf)
        width, height = (float(n) for n in re.findall(r"[\d.]+", size)[:2])
        assert count == 1 and round(width * 25.4 / 72) == 80  # 80 mm wide
        assert height > width  # as long as the receipt, not a square sheet
        assert images_on(pdf) == [1]
        text = text_of(pdf)  # (Qt's PDF fonts give digits no text: the words are checked)
        assert content.service in text and content.next_steps[:8] in text


def test_the_paper_is_a_printer_option_the_admin_can_set():
    assert config.parse("printer", "pdf?paper=roll80") == "pdf?paper=roll80"
    assert config.parse("printer", "Front desk?paper=a4") == "Front desk?paper=a4"
    with pytest.raises(config.SettingError, match="a5, a4 or roll80"):
        config.parse("printer", "pdf?paper=a3")
    assert receipt.paper_of("Front desk") == ("Front desk", "a5")


def test_the_helper_slip_follows_the_same_paper(qapp, tmp_path):
    from ui.printing import print_lines

    pdf = print_lines("Helper Wang 王 helped you", ["Filled in: Over-80s allowance"] * 5,
                      str(tmp_path), "pdf?paper=roll80")
    count, size = pages(pdf)
    assert count == 1 and round(float(size.split()[0]) * 25.4 / 72) == 80
