"""The journey engine without Qt, on the real demo backend: what a citizen sees and what gets filed.

Shipped services come from assets/services; small Service objects built here cover edge cases.
Receipts (kiosk.receipt) are built from a journey, so they are tested here too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from kiosk import receipt
from kiosk.backend import BackendError, NotFound, Submission, SubmitResult
from kiosk.backend.demo import DemoBackend
from kiosk.backend.demo_data import CITIZENS
from kiosk.catalogue import load_catalogue
from kiosk.journey import Journey, Stage
from kiosk.service import Condition, Option, Service, Step, Text

DAY = date(2026, 11, 23)  # a Monday
ELDEST, YOUNGER, OLDEST = (c[0] for c in CITIZENS)  # aged 85, 72 and 88 on DAY
ADDRESS, PHONE = CITIZENS[0][3], CITIZENS[0][4]  # the eldest's record: 北京市..., +8613812345678

PREFILL = object()  # walk(): accept what the government already holds


def _text(en: str, zh: str | None = None) -> Text:
    return Text({"en": en, "zh_CN": zh or en})


def small(*steps: Step, outcome: str = "submit", **more) -> Service:
    return Service("small", _text("Small service", "小服务"), _text("s"), "icon", steps,
                   outcome=outcome, **more)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def backend():
    return DemoBackend(today=DAY)


@pytest.fixture
def start(catalogue, backend):
    """A journey through a shipped service; identified as `who` when the service needs it."""

    def start(service_id: str, who: str = ELDEST, lang: str = "en", on=None) -> Journey:
        service = catalogue.get(service_id)
        citizen = backend.citizen_by_card(who) if service.needs_identity else None
        return Journey(service, on or backend, citizen, DAY, lang)

    return start


def walk(journey: Journey, *values) -> None:
    """Answer the current step with each value and go on. None moves on without an answer (info
    steps, skipped optional steps); lookup steps run their lookup whatever the value."""
    for value in values:
        step = journey.current
        if step.type == "lookup":
            journey.lookup_for(step)
        elif value is not None:
            checked = journey.answer(journey.pending(step) if value is PREFILL else value)
            assert checked.ok, (step.id, checked.problem)
        journey.next()


def pension_to_review(journey: Journey, at_home: bool = True, where: str = "care_home") -> None:
    walk(journey, None, PREFILL, PREFILL, at_home)
    if not at_home:
        walk(journey, where)
    walk(journey, True)
    assert journey.stage is Stage.REVIEW


def doctor_to_review(journey: Journey):
    walk(journey, "chaoyang", "eye", "2026-11-24")
    slot = journey.slots_for(journey.current)[0]
    walk(journey, slot.id, PREFILL)
    assert journey.stage is Stage.REVIEW
    return slot


def rows(journey: Journey, lang: str = "en") -> dict[str, str]:
    return {row.step.id: row.answer for row in journey.summary(lang)}


def filed(backend: DemoBackend) -> list[Submission]:
    return [submission for submission, _result in backend.submissions.values()]


# ---------------------------------------------------------------------------------------------
# Moving through


def test_a_journey_starts_at_the_first_step(start):
    journey = start("pension_check")
    assert journey.stage is Stage.STEP
    assert journey.current.id == "about"
    assert journey.position() == (1, None)  # "where do you live" depends on a later answer
    assert not journey.is_last_step
    assert journey.answers == {}


def test_the_step_count_is_given_only_once_no_answer_can_change_it(start):
    journey = start("pension_check")
    walk(journey, None, PREFILL, PREFILL)
    assert journey.current.id == "lives_at_home"
    assert journey.position() == (4, None)  # its answer decides whether step 5 is asked

    assert journey.answer(False).ok
    assert journey.position() == (4, None)  # still open until the citizen goes on
    journey.next()
    assert journey.current.id == "living_where"
    assert journey.position() == (5, 6)

    assert journey.back()
    assert journey.position() == (4, None)
    assert journey.answer(True).ok
    journey.next()
    assert journey.current.id == "declaration"
    assert journey.position() == (5, 5)
    assert journey.is_last_step


def test_a_condition_on_the_citizen_leaves_the_count_certain(start):
    journey = start("senior_allowance")
    when = {s.id: s.when for s in journey.service.steps if s.when is not None}
    assert when == {"emergency_phone": when["emergency_phone"]}
    assert journey.position()[1] is None  # emergency_phone waits on "do you live alone"
    condition = Condition(field="citizen.age", op=">=", value=80)
    steps = tuple(replace(s, when=condition if s.when else None) for s in journey.service.steps)
    fixed = Journey(replace(journey.service, steps=steps), journey.backend, journey.citizen,
                    today=journey.today)
    assert fixed.position() == (1, len(steps))


def test_back_at_the_first_step_returns_false_and_stays(start):
    journey = start("pension_check")
    assert journey.back() is False
    assert journey.current.id == "about"
    walk(journey, None)
    assert journey.back() is True
    assert journey.current.id == "about"
    assert journey.back() is False


def test_back_from_review_goes_to_the_last_step(start):
    journey = start("pension_check")
    pension_to_review(journey, at_home=False)
    assert journey.back()
    assert journey.stage is Stage.STEP
    assert journey.current.id == "declaration"
    assert journey.position() == (6, 6)
    assert journey.back()
    assert journey.current.id == "living_where"


def test_back_from_review_skips_a_last_step_that_is_not_asked(backend):
    asks = Step("asks", "yesno", _text("Do you want to say more?"))
    more = Step("more", "text", _text("Tell us more"),
                when=Condition("answers.asks", "==", True))
    journey = Journey(small(asks, more), backend, None, DAY)
    walk(journey, False)
    assert journey.stage is Stage.REVIEW
    assert journey.back()
    assert journey.current.id == "asks"


def test_a_bad_answer_is_a_problem_and_stores_nothing(start):
    journey = start("pension_check")
    walk(journey, None, PREFILL)
    assert journey.current.id == "phone"
    checked = journey.answer("12345")
    assert not checked.ok
    assert checked.problem.text("en") and checked.problem.text("zh_CN")
    assert "phone" not in journey.answers

    assert journey.answer("13812345678").ok
    assert not journey.answer("not a phone").ok
    assert journey.answers["phone"] == "+8613812345678"  # the good answer is kept


def test_a_wrong_choice_is_a_problem(start):
    journey = start("pension_check")
    walk(journey, None, PREFILL, PREFILL, False)
    checked = journey.answer("on the moon")
    assert checked.problem.key == "error.choice"
    assert "living_where" not in journey.answers


def test_next_on_an_unanswered_required_step_raises(start):
    journey = start("pension_check")
    walk(journey, None)
    assert journey.current.id == "address"
    with pytest.raises(ValueError, match="address"):
        journey.next()
    assert journey.current.id == "address"
    assert journey.answer("").problem.key == "error.required"
    with pytest.raises(ValueError):
        journey.next()


def test_the_declaration_must_be_agreed(start):
    journey = start("pension_check")
    walk(journey, None, PREFILL, PREFILL, True)
    assert journey.current.type == "consent"
    assert journey.answer(False).problem.key == "error.consent"
    with pytest.raises(ValueError):
        journey.next()


def test_skipped_optional_steps_show_not_provided(start, backend):
    journey = start("report_problem")
    walk(journey, "street_light", "公交车站", None, "")  # skip by Next, and by an empty answer
    assert journey.stage is Stage.REVIEW
    assert rows(journey, "en")["description"] == "Not provided"
    assert rows(journey, "en")["contact_phone"] == "Not provided"
    assert rows(journey, "zh_CN")["description"] == "未填写"
    assert rows(journey, "zh_CN")["contact_phone"] == "未填写"
    assert rows(journey, "zh_CN")["category"] == "路灯坏了"
    journey.submit()
    assert filed(backend)[0].answers == {"category": "street_light", "place": "公交车站"}


def test_clearing_an_optional_answer_forgets_it(start):
    journey = start("report_problem")
    walk(journey, "rubbish", "学校附近")
    assert journey.answer("It has been like this for a week").ok
    assert journey.answer("   ").ok
    assert "description" not in journey.answers


PHRASES = [
    pytest.param(service.id, step.id, phrase.get(lang), id=f"{step.id}-{lang}-{n}")
    for service in load_catalogue().services for step in service.steps
    for n, phrase in enumerate(step.phrases) for lang in ("en", "zh_CN")
]


@pytest.mark.parametrize(("service_id", "step_id", "phrase"), PHRASES)
def test_a_phrase_the_screen_offers_is_accepted(start, service_id, step_id, phrase):
    journey = start(service_id)
    while journey.current.id != step_id:  # first option, or a place, to reach the step
        options = journey.options_for(journey.current)
        walk(journey, options[0].value if options else "社区服务中心门口")
    checked = journey.answer(phrase)
    assert checked.ok, checked.problem
    assert journey.answers[step_id] == phrase


def test_summary_shows_answers_as_a_citizen_reads_them(backend):
    steps = (
        Step("amount", "money", _text("How much?")),
        Step("people", "number", _text("How many people?"), unit=_text("people", "人")),
        Step("when", "date", _text("Which day?"), min=0, max=30),
        Step("alone", "yesno", _text("Alone?")),
        Step("news", "consent", _text("Send me news"), optional=True),
    )
    journey = Journey(small(*steps), backend, None, DAY)
    walk(journey, "1234.5", "3", "2026-11-23", "no", False)
    assert "news" not in journey.answers  # an optional agreement left unticked: not given
    assert rows(journey, "en") == {
        "amount": "¥1,234.50", "people": "3 people", "when": "Monday 23 November 2026",
        "alone": "No", "news": "Not provided"}
    assert rows(journey, "zh_CN") == {
        "amount": "1,234.50元", "people": "3 人", "when": "2026年11月23日 星期一",
        "alone": "不是", "news": "未填写"}


# ---------------------------------------------------------------------------------------------
# Conditional steps and Change


def test_an_answer_to_a_step_no_longer_asked_is_forgotten_and_never_submitted(start, backend):
    journey = start("pension_check")
    pension_to_review(journey, at_home=False, where="hospital")
    assert journey.answers["living_where"] == "hospital"
    assert rows(journey)["living_where"] == "In hospital"

    journey.change("lives_at_home")
    assert journey.answer(True).ok
    assert "living_where" not in journey.answers
    journey.next()
    assert journey.stage is Stage.REVIEW
    assert "living_where" not in rows(journey)
    journey.submit()
    (submission,) = filed(backend)
    assert "living_where" not in submission.answers
    assert submission.answers["lives_at_home"] is True


def test_change_from_review_comes_straight_back_to_review(start):
    journey = start("pension_check")
    pension_to_review(journey)
    journey.change("address")
    assert journey.stage is Stage.STEP
    assert journey.current.id == "address"
    assert journey.pending(journey.current) == ADDRESS  # the earlier answer, to edit
    assert journey.answer("北京市朝阳区幸福路14号").ok
    journey.next()
    assert journey.stage is Stage.REVIEW
    assert rows(journey)["address"] == "北京市朝阳区幸福路14号"


def test_change_that_reveals_a_step_asks_it_before_returning_to_review(start):
    journey = start("pension_check")
    pension_to_review(journey, at_home=True)
    journey.change("lives_at_home")
    assert journey.answer(False).ok
    journey.next()
    assert journey.stage is Stage.STEP
    assert journey.current.id == "living_where"
    with pytest.raises(ValueError):
        journey.next()
    assert journey.answer("with_family").ok
    journey.next()
    assert journey.stage is Stage.REVIEW
    assert rows(journey, "zh_CN")["living_where"] == "子女或亲戚家"


def test_changing_the_hospital_from_review_asks_the_department_again(start):
    journey = start("doctor_appointment")
    doctor_to_review(journey)
    journey.change("hospital")
    assert journey.answer("tcm").ok
    journey.next()
    assert journey.stage is Stage.STEP
    assert journey.current.id == "department"


def test_changing_the_account_from_review_looks_the_bill_up_again(start):
    journey = start("pay_bill")
    walk(journey, "water", "10012345", None, "cash", True)
    assert journey.stage is Stage.REVIEW
    journey.change("account")
    assert journey.answer("10099999").ok  # no such account
    journey.next()
    assert journey.current.id == "bill"


def test_a_failed_lookup_does_not_keep_the_old_bill(start):
    journey = start("pay_bill")
    walk(journey, "water", "10012345")
    journey.lookup_for(journey.current)
    assert journey.back()
    assert journey.answer("10099999").ok
    journey.next()
    with pytest.raises(NotFound):
        journey.lookup_for(journey.current)
    assert "bill" not in journey.lookups


# ---------------------------------------------------------------------------------------------
# What the government already holds, and who may use a service


def test_address_and_phone_come_from_the_citizen_record(start):
    journey = start("pension_check")
    walk(journey, None)
    assert journey.pending(journey.current) == ADDRESS
    walk(journey, PREFILL)
    assert journey.pending(journey.current) == PHONE
    walk(journey, PREFILL)
    assert journey.answers == {"address": ADDRESS, "phone": PHONE}
    assert rows(journey)["phone"] == "138 1234 5678"

    other = start("pension_check", who=OLDEST)
    assert other.pending(other.service.step("address")) == CITIZENS[2][3]
    assert other.pending(other.service.step("phone")) == CITIZENS[2][4]


def test_nothing_is_prefilled_without_a_citizen(backend):
    phone = Step("phone", "phone", _text("Your phone"), prefill="citizen.phone")
    journey = Journey(small(phone), backend, None, DAY)
    assert journey.pending(phone) is None


def test_an_85_year_old_may_apply_for_the_senior_allowance(start):
    journey = start("senior_allowance", who=ELDEST)
    assert journey.citizen.age == 85
    assert journey.stage is Stage.STEP
    assert journey.failed_rules == ()
    assert journey.ineligible_reasons("en") == []
    assert journey.current.id == "address"


def test_a_72_year_old_is_told_why_not_before_any_question(start):
    journey = start("senior_allowance", who=YOUNGER)
    assert journey.stage is Stage.INELIGIBLE
    assert journey.back() is False
    with pytest.raises(ValueError):
        journey.submit()
    ((reason_en, instead_en),) = journey.ineligible_reasons("en")
    ((reason_zh, instead_zh),) = journey.ineligible_reasons("zh_CN")
    assert "80" in reason_en and "You are 72" in reason_en
    assert "72岁" in reason_zh
    assert "{" not in reason_en + reason_zh
    assert instead_en.startswith("Please come back")
    assert instead_zh.startswith("请在您满80岁")


def test_living_alone_asks_for_an_emergency_contact(start, backend):
    journey = start("senior_allowance", who=OLDEST)
    walk(journey, PREFILL, "bank_card", True)
    assert journey.current.id == "emergency_phone"
    assert journey.position() == (4, 5)
    walk(journey, "139 8765 4321", True)
    journey.submit()
    assert filed(backend)[0].answers["emergency_phone"] == "+8613987654321"


# ---------------------------------------------------------------------------------------------
# Live data: options, slots, lookups


def test_departments_depend_on_the_hospital(start):
    journey = start("doctor_appointment")
    hospital = journey.current
    assert [o.value for o in journey.options_for(hospital)] == ["chaoyang", "community", "tcm"]
    walk(journey, "tcm")
    department = journey.current
    assert [o.value for o in journey.options_for(department)] == ["tcm", "acupuncture"]
    assert journey.answer("eye").problem.key == "error.choice"  # Chaoyang has it, not here
    assert "department" not in journey.answers

    assert journey.back()
    walk(journey, "chaoyang")
    assert [o.value for o in journey.options_for(department)] == [
        "internal", "eye", "bones", "heart"]
    assert journey.answer("eye").ok
    assert rows(journey, "zh_CN")["department"] == "眼科"


def test_free_slots_are_listed_for_the_chosen_day(start):
    journey = start("doctor_appointment")
    walk(journey, "chaoyang", "eye")
    assert journey.answer("2026-11-23").problem.key == "error.date.range"  # not today
    assert journey.answer("2026-12-08").problem.key == "error.date.range"  # two weeks at most
    assert "day" not in journey.answers
    walk(journey, "2026-11-24")
    slots = journey.slots_for(journey.current)
    assert slots
    assert all(s.start.date() == date(2026, 11, 24) and s.free > 0 for s in slots)
    assert all(datetime(2026, 11, 24, 8, 30) <= s.start <= datetime(2026, 11, 24, 11, 30)
               for s in slots)
    assert journey.answer("chaoyang/eye/2026-11-24/2300").problem.key == "error.slot.taken"
    assert journey.answer(slots[0].id).ok
    assert rows(journey)["slot"] == f"{slots[0].start:%H:%M}"
    assert rows(journey)["day"] == "Tuesday 24 November 2026"


def test_a_bill_lookup_is_kept_in_lookups_not_in_answers(start, backend):
    journey = start("pay_bill")
    walk(journey, "electricity", "2009 8765")  # spaces typed in the number are dropped
    assert journey.current.id == "bill"
    with pytest.raises(ValueError):
        journey.next()  # the bill has not been looked up yet
    bill = journey.lookup_for(journey.current)
    assert bill["amount"] == "120.50"
    assert journey.lookups["bill"] is bill
    assert "bill" not in journey.answers
    walk(journey, None, "mobile_qr", True)
    assert "bill" not in rows(journey)
    journey.submit()
    assert filed(backend)[0].answers == {
        "utility": "electricity", "account": "20098765", "method": "mobile_qr", "confirm": True}


def test_an_unknown_account_is_not_found(start):
    journey = start("pay_bill")
    walk(journey, "water", "10099999")
    with pytest.raises(NotFound) as raised:
        journey.lookup_for(journey.current)
    assert isinstance(raised.value, BackendError)
    assert raised.value.key == "backend.not_found"
    assert "bill" not in journey.lookups
    with pytest.raises(ValueError):
        journey.next()


# ---------------------------------------------------------------------------------------------
# Query services: they show something and end, nothing is filed


def test_insurance_balance_ends_without_a_result(start, backend):
    journey = start("insurance_balance")
    assert journey.current.type == "lookup"
    assert journey.is_last_step
    with pytest.raises(ValueError):
        journey.next()
    assert journey.lookup_for(journey.current)["balance"] == "3260.80"
    journey.next()
    assert journey.stage is Stage.DONE
    assert journey.result is None
    assert journey.summary("en") == []
    with pytest.raises(ValueError):
        journey.submit()
    with pytest.raises(ValueError):
        receipt.build(journey, "en")
    assert backend.submissions == {}


def test_application_status_finds_a_reference_typed_loosely(start, backend):
    journey = start("application_status")
    assert journey.answer("gl-4017 2953").ok
    assert journey.answers["reference"] == "GL40172953"
    journey.next()
    status = journey.lookup_for(journey.current)
    assert status["status"] == "in_review"
    assert status["service"]["zh_CN"] == "高龄津贴"
    journey.next()
    assert journey.stage is Stage.DONE
    assert journey.result is None
    assert backend.submissions == {}


def test_application_status_for_an_unknown_reference_is_not_found(start):
    journey = start("application_status")
    walk(journey, "ZZ12345678")
    with pytest.raises(NotFound):
        journey.lookup_for(journey.current)


def test_a_query_service_built_here_ends_on_its_last_step(backend):
    journey = Journey(small(Step("ref", "text", _text("Reference?")), outcome="none"),
                      backend, None, DAY)
    walk(journey, "abc")
    assert journey.stage is Stage.DONE
    assert journey.back() is False


# ---------------------------------------------------------------------------------------------
# Submission


def test_submit_only_from_check_your_answers(start, backend):
    journey = start("pension_check")
    with pytest.raises(ValueError):
        journey.submit()
    walk(journey, None, PREFILL, PREFILL, True)
    with pytest.raises(ValueError):
        journey.submit()  # the last question, not yet the review
    assert backend.submissions == {}


def test_submit_files_once_and_gives_a_reference(start, backend):
    journey = start("pension_check", lang="zh_CN")
    pension_to_review(journey)
    result = journey.submit()
    assert re.fullmatch(r"YL[0-9]{8}", result.reference)
    assert journey.result == result
    assert journey.stage is Stage.DONE
    assert journey.back() is False
    (submission,) = filed(backend)
    assert submission.idempotency_key == journey.idempotency_key
    assert submission.service_id == "pension_check"
    assert submission.citizen_id == ELDEST
    assert submission.language == "zh_CN"
    assert submission.answers == {
        "address": ADDRESS, "phone": PHONE, "lives_at_home": True, "declaration": True}

    follow_up = start("application_status")
    walk(follow_up, result.reference)
    assert follow_up.lookup_for(follow_up.current)["status"] == "received"


def test_pressing_submit_again_files_nothing_more(start, backend):
    journey = start("pension_check")
    pension_to_review(journey)
    first = journey.submit()
    key = journey.idempotency_key
    try:
        again = journey.submit()
    except ValueError:  # after the filing the journey is done: a second press is refused
        again = journey.result
    assert again == first
    assert journey.idempotency_key == key
    assert len(backend.submissions) == 1


class FlakyBackend:
    """The demo backend, but the first submission fails: before it is filed, or after (the
    answer is lost on the way back)."""

    def __init__(self, inner: DemoBackend, filed_first: bool = False) -> None:
        self.inner = inner
        self.filed_first = filed_first
        self.keys: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def submit(self, submission: Submission) -> SubmitResult:
        self.keys.append(submission.idempotency_key)
        if len(self.keys) == 1:
            if self.filed_first:
                self.inner.submit(submission)
            raise BackendError()
        return self.inner.submit(submission)


@pytest.mark.parametrize("filed_first", [False, True], ids=["not-filed", "answer-lost"])
def test_a_retry_after_a_failure_sends_the_same_key_and_files_once(start, backend, filed_first):
    flaky = FlakyBackend(backend, filed_first)
    journey = start("doctor_appointment", on=flaky)
    slot = doctor_to_review(journey)
    answers = dict(journey.answers)
    with pytest.raises(BackendError):
        journey.submit()
    assert journey.stage is Stage.REVIEW  # nothing the citizen entered is lost
    assert journey.result is None
    assert journey.answers == answers

    result = journey.submit()
    assert flaky.keys == [journey.idempotency_key] * 2
    assert len(backend.submissions) == 1
    assert backend.submissions[journey.idempotency_key][1] == result
    assert backend.booked == {slot.id: 1}  # one place taken, not two


def test_a_booked_slot_has_one_place_fewer(start, backend):
    journey = start("doctor_appointment")
    slot = doctor_to_review(journey)
    journey.submit()
    again = start("doctor_appointment", who=OLDEST)
    walk(again, "chaoyang", "eye", "2026-11-24")
    now = {s.id: s.free for s in again.slots_for(again.current)}
    assert now.get(slot.id, 0) == slot.free - 1


# ---------------------------------------------------------------------------------------------
# Receipt lines, the receipt and wiping


def test_receipt_lines_mask_personal_data(start):
    journey = start("pension_check")
    pension_to_review(journey)
    journey.submit()
    lines = dict(journey.receipt_lines("en"))
    assert lines["Name"] == "王**"
    assert lines["ID number"] == ELDEST[:3] + "*" * 11 + ELDEST[-4:]
    assert lines["Phone"] == "138****5678"
    assert lines["Address"].startswith("北京")
    assert set(lines["Address"][4:]) == {"*"}
    assert lines["Lives at home"] == "Yes"
    everything = " ".join(v for line in journey.receipt_lines("zh_CN") for v in line)
    for secret in (ELDEST, "王秀英", "13812345678", "1234 5678", "幸福路"):
        assert secret not in everything
    assert dict(journey.receipt_lines("zh_CN"))["姓名"] == "王**"


def test_receipt_lines_mask_an_emergency_phone_and_account_number(start):
    journey = start("senior_allowance", who=OLDEST)
    walk(journey, PREFILL, "bank_card", True, "13987654321", True)
    assert dict(journey.receipt_lines("en"))["Emergency phone"] == "139****4321"

    bill = start("pay_bill")
    walk(bill, "water", "10012345", None, "cash", True)
    lines = dict(bill.receipt_lines("en"))
    assert "10012345" not in lines["Account number"]
    assert "Name" not in lines  # nobody was identified


def test_receipt_says_reference_service_and_next_steps(start):
    journey = start("pension_check", lang="zh_CN")
    with pytest.raises(ValueError):
        receipt.build(journey, "zh_CN")  # nothing submitted yet
    pension_to_review(journey)
    reference = journey.submit().reference
    now = datetime(2026, 11, 23, 10, 5)

    zh = receipt.build(journey, "zh_CN", now=now)
    assert zh.reference == f"{reference[:2]} {reference[2:6]} {reference[6:]}"
    assert zh.service == "养老金认证"
    assert zh.when == "2026年11月23日 10:05"
    assert zh.next_steps == "今年的养老金认证办好了。" + journey.service.next_steps.get("zh_CN")
    assert zh.provisional is False
    assert reference in zh.qr_text
    assert any("电话" in k and v == "138****5678" for k, v in zh.lines)
    assert dict(zh.lines)["身份证号"] == ELDEST[:3] + "*" * 11 + ELDEST[-4:]
    assert zh.labels["reference"] == "您的受理编号"

    en = receipt.build(journey, "en", now=now)
    assert en.service == "Your pension check"
    assert en.when == "23 November 2026 10:05"
    assert en.next_steps.startswith("Your pension check for this year is done.")
    assert dict(en.lines)["Phone"] == "138****5678"
    assert dict(en.lines)["Name"] == "王**"


def test_wipe_forgets_everything_personal(start):
    journey = start("pay_bill")
    walk(journey, "water", "10012345", None, "cash", True)
    journey.submit()
    journey.wipe()
    assert journey.answers == {}
    assert journey.lookups == {}
    assert journey.citizen is None
    assert journey.result is None
    assert journey.stage is Stage.DONE
    assert journey.facts() == {"citizen": {}, "answers": {}, "lookup": {}}
    with pytest.raises(ValueError):
        receipt.build(journey, "en")

    identified = start("pension_check")
    pension_to_review(identified)
    identified.wipe()
    assert identified.citizen is None
    assert identified.answers == {}
    assert {value for _label, value in identified.receipt_lines("en")} == {"Not provided"}
    with pytest.raises(ValueError):
        identified.submit()


# ---------------------------------------------------------------------------------------------
# Edge cases


def test_a_service_with_no_question_to_ask_starts_at_review(backend):
    only_for_80s = Step("extra", "yesno", _text("Extra?"),
                        when=Condition("citizen.age", ">=", 80))
    younger = backend.citizen_by_card(YOUNGER)
    journey = Journey(small(only_for_80s, needs_identity=True), backend, younger, DAY)
    assert journey.stage is Stage.REVIEW
    assert journey.summary("en") == []


def test_back_from_a_review_with_no_question_leaves_the_service(backend):
    only_for_80s = Step("extra", "yesno", _text("Extra?"),
                        when=Condition("citizen.age", ">=", 80))
    younger = backend.citizen_by_card(YOUNGER)
    journey = Journey(small(only_for_80s, needs_identity=True), backend, younger, DAY)
    assert journey.back() is False


def test_fixed_options_of_a_small_service_are_offered(backend):
    pick = Step("pick", "choice", _text("Pick one"),
                options=(Option("a", _text("Apple", "苹果")), Option("b", _text("Pear", "梨"))))
    journey = Journey(small(pick), backend, None, DAY)
    assert [o.value for o in journey.options_for(pick)] == ["a", "b"]
    assert not journey.answer("c").ok
    walk(journey, "b")
    assert rows(journey, "zh_CN") == {"pick": "梨"}
