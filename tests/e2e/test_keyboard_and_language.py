"""Switch and keyboard users: the whole journey with Tab and Enter alone (and typing on a
physical keyboard). Language switched mid-way keeps every answer. Receipts print to PDF."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.conftest import ELDEST
from ui.walker import settle

MAX_TABS = 150


def tab_to(kiosk, name):
    """Press Tab until the named control has the focus, as a switch user steps through."""
    for _ in range(MAX_TABS):
        focus = QApplication.focusWidget()
        if focus is not None and focus.objectName() == name and focus.isVisible():
            return focus
        QTest.keyClick(focus or kiosk.window, Qt.Key.Key_Tab)
    raise AssertionError(f"{name} cannot be reached with Tab on {type(kiosk.current()).__name__}")


def enter(kiosk, name):
    QTest.keyClick(tab_to(kiosk, name), Qt.Key.Key_Return)
    settle()  # and any "one moment" over


def test_a_whole_journey_with_tab_and_enter_alone(kiosk):
    kiosk.window.activateWindow()
    enter(kiosk, "begin")
    enter(kiosk, "lang-en")
    enter(kiosk, "service-report_problem")
    enter(kiosk, "next")  # start
    enter(kiosk, "choice-rubbish")
    enter(kiosk, "next")
    enter(kiosk, "phrase-1")
    enter(kiosk, "next")
    enter(kiosk, "next")  # description is optional
    enter(kiosk, "next")  # so is the phone
    assert kiosk.current() is kiosk.review
    enter(kiosk, "next")  # send it
    assert kiosk.current() is kiosk.confirmation
    submission = next(iter(kiosk.session.backend.submissions.values()))[0]
    assert submission.answers["category"] == "rubbish"
    enter(kiosk, "next")  # finish
    assert kiosk.current() is kiosk.rating
    enter(kiosk, "face-4")  # "How was it?": the faces take Tab and Enter too
    assert kiosk.rating.faces[4].is_chosen()
    enter(kiosk, "next")
    assert kiosk.current() is kiosk.attract


def test_identity_typed_on_a_physical_keyboard(kiosk):
    enter(kiosk, "begin")
    enter(kiosk, "lang-zh_CN")
    enter(kiosk, "service-insurance_balance")
    enter(kiosk, "next")
    enter(kiosk, "type-id")
    entry = tab_to(kiosk, "entry")
    QTest.keyClicks(entry, ELDEST[:-1] + "x")  # a lower-case x is fine
    QTest.keyClick(entry, Qt.Key.Key_Return)
    settle()
    assert kiosk.current() is kiosk.code
    entry = tab_to(kiosk, "entry")
    QTest.keyClicks(entry, kiosk.code.demo_code)
    QTest.keyClick(entry, Qt.Key.Key_Return)
    settle()
    assert kiosk.current() is kiosk.who
    assert kiosk.session.citizen.id_number == ELDEST


def test_language_switch_mid_journey_keeps_answers_and_typing(kiosk, walker):
    walker.begin("zh_CN")
    walker.open_service("pay_bill")
    walker.answer_current({"utility": "electricity"})
    walker.type("2009")  # half-way through the account number
    account = kiosk.session.journey.service.step("account").title
    assert kiosk.question.heading.text() == account.get("zh_CN")
    walker.tap("language")  # to English, on this very screen
    assert kiosk.current() is kiosk.question
    assert kiosk.question.field.value() == "2009"  # what was typed is still there
    assert kiosk.window.next.text() == "Next"
    assert kiosk.question.heading.text() == account.get("en")
    walker.type("8765")
    walker.tap("next")
    walker.tap("back")
    walker.tap("back")
    assert kiosk.question.step.id == "utility"
    assert kiosk.question.field.value() == "electricity"  # the earlier answer, kept
    walker.tap("language")  # back to Chinese
    assert kiosk.session.journey.answers == {"utility": "electricity", "account": "20098765"}


def test_receipt_prints_to_pdf_with_masked_details(make_kiosk, walker, tmp_path):
    kiosk = walker.kiosk
    kiosk.settings = kiosk.settings.__class__(receipt_dir=str(tmp_path), idle_timeout_s=3600)
    walker.begin("en")
    walker.complete("senior_allowance", card=ELDEST,
                    answers={"lives_alone": True, "emergency_phone": "13987654321"})
    walker.tap("print")
    pdf = Path(kiosk.confirmation.last_print)
    assert pdf.parent.parent == tmp_path and pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    assert "saved" in kiosk.confirmation.printed.text()
