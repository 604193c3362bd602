"""Every service completed end to end, in both languages, by tapping what a person would tap.

The Walker only clicks visible buttons and on-screen keys; the assertions read what the screen
shows and what the backend received.
"""

import pytest

from kiosk.journey import Stage
from tests.conftest import ELDEST, YOUNGER

LANGS = ["zh_CN", "en"]


def _text(kiosk, name):
    from PySide6.QtWidgets import QLabel, QWidget

    found = [w for w in kiosk.window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{name} is not on screen"
    widget = found[0]
    return widget.text() if isinstance(widget, QLabel) else widget.property("text")


def filed(kiosk):
    """What the backend holds, by service."""
    return {s.service_id: s for s, _ in kiosk.session.backend.submissions.values()}


@pytest.mark.parametrize("lang", LANGS)
def test_pension_check_by_card_with_a_conditional_step(kiosk, walker, lang):
    walker.begin(lang)
    stage = walker.complete("pension_check", card=ELDEST,
                            answers={"lives_at_home": False, "living_where": "with_family"},
                            submit=False)
    assert stage is Stage.REVIEW
    rows = dict(kiosk.review.rows)
    assert len(rows) == 5  # address, phone, at home, where (revealed by "no"), declaration
    walker.tap("next")
    submission = filed(kiosk)["pension_check"]
    assert submission.answers["lives_at_home"] is False
    assert submission.answers["living_where"] == "with_family"
    assert submission.answers["address"] == "北京市朝阳区幸福路12号3单元401"  # confirmed, not typed
    assert submission.citizen_id == ELDEST
    reference = _text(kiosk, "reference").replace(" ", "")
    assert reference == kiosk.session.journey.result.reference
    assert reference.startswith("YL")


@pytest.mark.parametrize("lang", LANGS)
def test_insurance_balance_by_id_number_and_code(kiosk, walker, lang):
    walker.begin(lang)
    walker.open_service("insurance_balance")
    walker.identify_by_code(ELDEST)
    balance = _text(kiosk, "shown-balance")
    assert balance == {"en": "¥3,260.80", "zh_CN": "3,260.80元"}[lang]
    walker.finish()  # "Finish": a query ends the visit, after "How was it?"
    assert kiosk.current() is kiosk.attract
    assert kiosk.session.citizen is None


@pytest.mark.parametrize("lang", LANGS)
def test_doctor_appointment_books_a_slot(kiosk, walker, lang):
    walker.begin(lang)
    backend = kiosk.session.backend
    walker.complete("doctor_appointment", card=ELDEST,
                    answers={"hospital": "chaoyang", "department": "eye"}, submit=False)
    answers = kiosk.session.journey.answers
    slot = answers["slot"]
    free_before = {s.id: s.free for s in backend.slots(
        {"hospital": "chaoyang", "department": "eye", "day": answers["day"]})}[slot]
    assert answers["day"] == "2026-11-24"  # the first day that can be booked: tomorrow
    walker.tap("next")
    assert filed(kiosk)["doctor_appointment"].answers["phone"] == "+8613812345678"
    free_after = {s.id: s.free for s in backend.slots(
        {"hospital": "chaoyang", "department": "eye", "day": answers["day"]})}.get(slot, 0)
    assert free_after == free_before - 1
    assert _text(kiosk, "reference").startswith("GH")


@pytest.mark.parametrize("lang", LANGS)
def test_senior_allowance_for_someone_over_80(kiosk, walker, lang):
    walker.begin(lang)
    walker.complete("senior_allowance", card=ELDEST,
                    answers={"lives_alone": True, "emergency_phone": "13987654321"})
    submission = filed(kiosk)["senior_allowance"]
    assert submission.answers["lives_alone"] is True
    assert submission.answers["emergency_phone"] == "+8613987654321"
    assert _text(kiosk, "reference").startswith("GL")


@pytest.mark.parametrize("lang", LANGS)
def test_senior_allowance_refused_before_any_question_when_under_80(kiosk, walker, lang):
    walker.begin(lang)
    stage = walker.complete("senior_allowance", card=YOUNGER)
    assert stage is Stage.INELIGIBLE
    assert kiosk.current() is kiosk.ineligible
    assert "72" in kiosk.ineligible.reasons.text()
    assert kiosk.ineligible.instead.text()
    assert kiosk.session.journey.answers == {}
    walker.tap("next")  # "Other services"
    assert kiosk.current() is kiosk.menu


@pytest.mark.parametrize("lang", LANGS)
def test_pay_bill_needs_no_identity_and_shows_the_amount(kiosk, walker, lang):
    walker.begin(lang)
    shown_screens = []
    kiosk.screen_shown.connect(shown_screens.append)
    walker.complete("pay_bill", answers={"utility": "water", "account": "10012345"},
                    submit=False)
    assert kiosk.card not in shown_screens and kiosk.session.citizen is None
    assert kiosk.session.journey.lookups["bill"]["amount"] == "36.40"
    walker.tap("next")
    assert filed(kiosk)["pay_bill"].answers["account"] == "10012345"
    assert filed(kiosk)["pay_bill"].citizen_id is None
    assert _text(kiosk, "reference").startswith("JF")


@pytest.mark.parametrize("lang", LANGS)
def test_report_problem_with_the_optional_description_left_out(kiosk, walker, lang):
    walker.begin(lang)
    walker.complete("report_problem", answers={"category": "road_damage"}, submit=False)
    rows = dict(kiosk.review.rows)
    not_provided = {"en": "Not provided", "zh_CN": "未填写"}[lang]
    assert list(rows.values()).count(not_provided) == 2  # description and contact phone
    walker.tap("next")
    submission = filed(kiosk)["report_problem"]
    assert submission.answers["category"] == "road_damage"
    assert "description" not in submission.answers
    assert submission.answers["place"]  # from a tapped phrase, not typed


@pytest.mark.parametrize("lang", LANGS)
def test_application_status_by_reference(kiosk, walker, lang):
    walker.begin(lang)
    walker.open_service("application_status")
    walker.answer_current({"reference": "GL40172953"})
    status = _text(kiosk, "shown-status")
    assert status == {"en": "Being looked at by staff", "zh_CN": "工作人员正在办理"}[lang]


def test_an_unknown_reference_is_explained_and_can_be_corrected(kiosk, walker):
    walker.begin("en")
    walker.open_service("application_status")
    walker.answer_current({"reference": "GL00000000"})
    assert "could not find" in kiosk.question.error.message()
    walker.tap("back")
    walker.answer_current({"reference": "YL30458821"})
    assert _text(kiosk, "shown-status") == "Approved"
