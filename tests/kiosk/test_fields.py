"""What a citizen sees when typing an answer: the value kept, or the message shown."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from kiosk.fields import Checked, Problem, check, mask_id, mask_phone, normalise
from kiosk.service import FIELD_TYPES, Option, Step, Text

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2025, 6, 1)
OPTIONS = (Option("bus", Text({"en": "Bus"})), Option("taxi", Text({"en": "Taxi"})))
# 110224 (Daxing county, 1982-2001) and 440305 (Shenzhen Nanshan, 1983-) were given to people
# born long before the code existed: an elderly citizen's real ID can carry them.
REGIONS = ("110105", "110224", "440305")


def make(type_: str, **fields) -> Step:
    return Step(id="x", type=type_, title=Text({"en": "x"}), **fields)


def english(step: Step, raw: object, choices=None) -> str:
    result = check(step, raw, TODAY, choices)
    assert not result.ok, f"{raw!r} was accepted as {result.value!r}"
    assert result.value is None
    return result.problem.text("en")


def value(step: Step, raw: object, choices=None) -> object:
    result = check(step, raw, TODAY, choices)
    assert result.ok, result.problem and result.problem.text("en")
    return result.value


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- messages ----------------------------------------------------------------------------------


def _messages(lang: str) -> dict[str, str]:
    return json.loads((ROOT / "i18n" / lang / "errors.json").read_text(encoding="utf-8"))


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def test_every_key_in_the_code_has_a_message_in_english_and_chinese():
    source = (ROOT / "kiosk" / "fields.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(error\.[a-z_.]+)"', source))
    en, zh = _messages("en"), _messages("zh_CN")
    assert used, "no message keys found in kiosk/fields.py"
    assert used <= en.keys(), used - en.keys()
    assert used <= zh.keys(), used - zh.keys()
    singular = {key for key in en if key.endswith(".one")}  # English "1 digit": Chinese has none
    assert {key.removesuffix(".one") for key in singular} <= en.keys()
    assert en.keys() - singular == zh.keys() == used, "a message nobody can see, or one missing"


def test_chinese_messages_are_translated_and_take_the_same_placeholders():
    en, zh = _messages("en"), _messages("zh_CN")
    for key, text in zh.items():
        assert re.search("[\u4e00-\u9fff]", text), f"{key} is not in Chinese: {text}"
        assert _placeholders(text) == _placeholders(en[key]), key


def test_problem_renders_in_each_language():
    problem = Problem("error.id.length", {"count": 17})
    assert problem.text("en") == "The ID number has 17 digits; it needs 18."
    assert problem.text("zh_CN") == "身份证号码有17位，需要18位。"


VALID_ID = with_check_digit("11010519491231002")
EXAMPLES = [
    (make("id_number"), "1101051949123100", "The ID number has 16 digits; it needs 18."),
    (
        make("id_number"),
        "11010519491231002A",
        "An ID number has only digits; the last one can be an X.",
    ),
    (
        make("id_number"),
        "11010519491231003" + VALID_ID[-1],
        "One of the digits is wrong. Please check the number on your card.",
    ),
    (
        make("id_number"),
        with_check_digit("11010519490231002"),
        "The date of birth in this number is not a real date. Please check it.",
    ),
    (
        make("id_number"),
        with_check_digit("11010520300101002"),
        "The date of birth in this number is not a real date. Please check it.",
    ),
    (
        make("id_number"),
        with_check_digit("99999919491231002"),
        "The first six digits (the place code) are not right. Please check them.",
    ),
    (make("phone"), "138 1234 567", "A mobile number in China has 11 digits. This one has 10."),
    (make("phone"), "138123456", "A mobile number in China has 11 digits. This one has 9."),
    (make("phone"), "1-800-FLOWERS", "A phone number has only digits. Please check it."),
    (make("phone"), "12345678901", "This phone number is not right. Please check it."),
    (make("number", min=1, max=120), "121", "Please enter a number from 1 to 120."),
    (make("number", min=1, max=120), "0", "Please enter a number from 1 to 120."),
    (make("number", min=1), "0", "Please enter a number of 1 or more."),
    (make("number", max=10), "11", "Please enter a number of 10 or less."),
    (make("number"), "3.5", "Please enter a whole number, without a decimal point."),
    (make("number"), "3,5", "Please enter a whole number, without a decimal point."),
    (make("number"), "twelve", "Please enter a number, using digits only."),
    (make("number"), "1" * 16, "That number is too long. Please check it."),
    (make("money"), "-5", "The amount cannot be below zero. Please leave out the minus sign."),
    (make("money"), "¥-5", "The amount cannot be below zero. Please leave out the minus sign."),
    (
        make("money"),
        "1.234",
        "Please use at most 2 digits after the decimal point, for example 120.50.",
    ),
    (make("money"), "1,20", "Please enter the amount in digits, for example 120.50."),
    (make("money"), "ten yuan", "Please enter the amount in digits, for example 120.50."),
    (make("money", min=1, max=5000), "5000.01", "Please enter an amount from ¥1 to ¥5000."),
    (make("money", min=0.5), "0.49", "Please enter an amount of ¥0.50 or more."),
    (make("money", max=200), "300", "Please enter an amount of ¥200 or less."),
    (make("money"), "1" * 16, "That amount is too large. Please check it."),
    (
        make("date", min=0, max=14),
        "2025-06-16",
        "Please choose a date from 2025-06-01 to 2025-06-15.",
    ),
    (
        make("date", min=0, max=14),
        dt.date(2025, 5, 31),
        "Please choose a date from 2025-06-01 to 2025-06-15.",
    ),
    (make("date", min=1), "2025-06-01", "Please choose a date on or after 2025-06-02."),
    (make("date", max=0), "2025-06-02", "Please choose a date on or before 2025-06-01."),
    (make("date"), "2025-02-30", "That is not a real date. Please choose the date again."),
    (make("date"), "next Tuesday", "That is not a real date. Please choose the date again."),
    (make("text", min_length=2), "a", "Please write a little more: at least 2 characters."),
    (
        make("text", max_length=5),
        "abcdefg",
        "That is too long. Please keep it to 5 characters; it has 7 now.",
    ),
    (make("text", keyboard="digits"), "12a4", "Please use digits only."),
    (
        make("text", keyboard="digits", min_length=8, max_length=12),
        "1234-567",
        "This number needs at least 8 digits. It has 7.",
    ),
    (
        make("text", keyboard="digits", min_length=8, max_length=12),
        "1234 5678 9012 3",
        "This number can have at most 12 digits. It has 13.",
    ),
    (
        make("text", keyboard="alnum", min_length=6, max_length=20),
        "ab 12",
        "This needs at least 6 letters and digits. It has 4.",
    ),
    (
        make("text", keyboard="alnum", max_length=4),
        "ab-123",
        "This can have at most 4 letters and digits. It has 5.",
    ),
    (make("text", keyboard="alnum"), "AB#12", "Please use letters and digits only."),
    (make("address"), "5号", "Please give a little more of the address: street and number."),
    (make("address"), "路" * 121, "The address is too long. Please keep it to 120 characters."),
    (make("consent"), False, "Please tap 'I agree' to go on."),
    (make("consent"), None, "Please tap 'I agree' to go on."),
    (make("yesno"), "maybe", "Please tap Yes or No."),
    (make("choice", options=OPTIONS), "plane", "Please choose one of the options shown."),
    (make("text"), "   ", "Please answer this question to go on."),
    (make("phone"), None, "Please answer this question to go on."),
    (make("number"), 3.5, "Sorry, that answer could not be read. Please try again."),
    (
        make("id_number"),
        110105194912310021,
        "Sorry, that answer could not be read. Please try again.",
    ),
]


@pytest.mark.parametrize(("step", "raw", "expected"), EXAMPLES)
def test_the_message_a_citizen_sees(step, raw, expected):
    assert english(step, raw) == expected


def test_a_slot_taken_meanwhile_is_refused():
    expected = "That time has just been taken. Please choose another."
    assert english(make("slot"), "09:30", choices=["10:00", "10:30"]) == expected
    assert value(make("slot"), "10:00", choices=["10:00", "10:30"]) == "10:00"


def test_choices_from_the_backend_replace_the_fixed_options():
    step = make("choice", options=OPTIONS, options_from="hospitals")
    assert value(step, "h12", choices=["h11", "h12"]) == "h12"
    assert english(step, "bus", choices=["h11"]) == "Please choose one of the options shown."
    assert value(make("choice", options=OPTIONS), "taxi") == "taxi"


# --- accepted answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "raw", "expected"),
    [
        (make("id_number"), "110105 19491231 002x", "11010519491231002X"),
        (make("id_number"), "１１０１０５－１９４９１２３１－００２ｘ", "11010519491231002X"),
        (make("phone"), "+86 138 1234 5678", "+8613812345678"),
        (make("phone"), "138-1234-5678", "+8613812345678"),
        (make("phone"), "１３８ １２３４ ５６７８", "+8613812345678"),
        (make("phone"), "0086 13812345678", "+8613812345678"),
        (make("phone"), "010-6512 3456", "+861065123456"),
        (make("number", min=1, max=120), " １２０ ", 120),
        (make("number"), 42, 42),
        (make("number"), "1,000", 1000),
        (make("money"), "120.5", "120.50"),
        (make("money"), "￥1,200元", "1200.00"),
        (make("money"), "¥ 0.05", "0.05"),
        (make("money"), Decimal("7.1"), "7.10"),
        (make("date", min=0, max=14), "2025-06-15", "2025-06-15"),
        (make("date", min=-43800, max=0), dt.date(1949, 12, 31), "1949-12-31"),
        (make("date"), dt.datetime(2025, 1, 2, 9, 30), "2025-01-02"),
        (make("text"), "  张 三  ", "张三"),
        (make("text", keyboard="digits", min_length=6, max_length=6), "100 - 020", "100020"),
        (make("text", keyboard="alnum"), "京a 12-345", "京A12345"),
        (make("address"), "北京市 朝阳区 建国路 5号", "北京市朝阳区建国路5号"),
        (make("address"), "12  Main   Street", "12 Main Street"),
        (make("yesno"), False, False),
        (make("yesno"), " Yes ", True),
        (make("yesno"), "no", False),
        (make("consent"), True, True),
    ],
)
def test_the_value_kept(step, raw, expected):
    assert value(step, raw) == expected


@pytest.mark.parametrize("type_", [t for t in FIELD_TYPES if t not in ("info", "lookup")])
@pytest.mark.parametrize("raw", [None, "", "  \u3000 "])
def test_skipping_an_optional_question_stores_nothing(type_, raw):
    assert check(make(type_, optional=True), raw, TODAY) == Checked(None)
    required = check(make(type_), raw, TODAY)
    wanted = {"consent": "error.consent", "choice": "error.required_choice",
              "yesno": "error.required_choice", "slot": "error.required_choice"}
    assert not required.ok and required.problem.key == wanted.get(type_, "error.required")


def test_an_optional_agreement_left_unticked_is_not_given():
    assert check(make("consent", optional=True), False, TODAY) == Checked(None)


@pytest.mark.parametrize("type_", ["info", "lookup"])
def test_display_steps_take_no_answer(type_):
    assert check(make(type_), "anything", TODAY) == Checked(None)


def test_masks_for_speech_and_receipts():
    assert mask_id("11010519491231002X") == "110***********002X"
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id("123") == "***"


def test_normalise_examples():
    assert normalise("张 三") == "张三"
    assert normalise("北京市 朝阳区") == "北京市朝阳区"
    assert normalise("Main  Street 5") == "Main Street 5"
    assert normalise("\u3000ＡＢＣ　１２３\u200b\t") == "ABC 123"


def test_the_domain_core_does_not_load_qt():
    code = "import sys, kiosk.fields; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --- properties ---------------------------------------------------------------------------------

ANYTHING = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.floats(),
    st.decimals(),
    st.binary(),
    st.lists(st.integers(), max_size=3),
    st.one_of(
        [
            st.from_type(t)
            for t in (
                complex,
                bytearray,
                Decimal,
                dt.time,
                dt.timedelta,
                list[str],
                dict[str, int],
                tuple[int, str],
                set[int],
                frozenset[str],
                int | str | None,
                type,
            )
        ]
    ),
    st.builds(object),
    st.just(NotImplemented),
    st.just(...),
    st.text(alphabet="0123456789Xx+-.,¥元 ", max_size=24),
)
BOUND = st.none() | st.floats() | st.integers(-50_000, 50_000)
STEPS = st.builds(
    Step,
    id=st.just("x"),
    type=st.sampled_from(FIELD_TYPES),
    title=st.just(Text({"en": "x"})),
    optional=st.booleans(),
    options=st.just(OPTIONS),
    min=BOUND,
    max=BOUND,
    min_length=st.none() | st.integers(0, 30),
    max_length=st.none() | st.integers(0, 130),
    keyboard=st.sampled_from(["text", "digits", "alnum"]),
)
CHOICES = st.none() | st.lists(st.text(max_size=5), max_size=4)


@pytest.mark.parametrize("type_", FIELD_TYPES)
@given(data=st.data())
def test_no_answer_of_any_kind_breaks_a_field(type_, data):
    step = replace(data.draw(STEPS), type=type_)
    raw = data.draw(ANYTHING)
    today = data.draw(st.dates())
    result = check(step, raw, today, data.draw(CHOICES))
    assert isinstance(result, Checked)
    if result.ok:
        assert json.loads(json.dumps(result.value)) == result.value
    else:
        assert result.value is None and result.problem.key.startswith("error.")
        assert result.problem.text("en") and result.problem.text("zh_CN")


CJK_AND_FRIENDS = st.text(
    alphabet=st.sampled_from(
        list("张三北京路号 \u3000\t\n１２ＡＢａ!\u200b\ufeff\u0301\u0327\u302a\u3099かa1-。，")
    )
    | st.characters()
)


@given(st.one_of(st.text(), CJK_AND_FRIENDS, ANYTHING))
def test_normalise_is_idempotent_and_leaves_no_full_width(raw):
    once = normalise(raw)
    assert normalise(once) == once
    assert not re.search("[\uff01-\uff5e\u3000]", once)
    assert once == once.strip() and "  " not in once
    assert not re.search(" [\u4e00-\u9fff]|[\u4e00-\u9fff] ", once)


@st.composite
def id_numbers(draw) -> str:
    born = draw(st.dates(dt.date(1900, 1, 1), TODAY))
    return with_check_digit(
        f"{draw(st.sampled_from(REGIONS))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    )


@settings(max_examples=200)
@given(id_numbers(), st.sampled_from([str, str.lower, full_width, lambda n: f"{n[:6]} {n[6:]}"]))
def test_real_id_numbers_pass_however_typed(number, typed):
    assert value(make("id_number"), typed(number)) == number


@settings(max_examples=200)
@given(id_numbers(), st.integers(0, 17), st.sampled_from(string.digits))
def test_any_one_wrong_digit_is_caught(number, position, digit):
    if number[position] == digit:
        digit = str((int(digit) + 1) % 10)
    wrong = number[:position] + digit + number[position + 1 :]
    expected = "One of the digits is wrong. Please check the number on your card."
    assert english(make("id_number"), wrong) == expected


LARGEST_AMOUNT = Decimal("999999999999999.99")  # 17 significant digits: more than a float holds


@given(
    st.decimals(min_value=0, max_value=LARGEST_AMOUNT, places=2),
    st.sampled_from(
        [
            "{:.2f}",
            "{:,.2f}",
            "¥{:.2f}",
            "￥{:,.2f}元",
            "{:.2f}元",
        ]
    ),
    st.booleans(),
)
def test_money_never_loses_cents(amount, template, wide):
    typed = template.format(amount)
    stored = value(make("money"), full_width(typed) if wide else typed)
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", stored)
    assert Decimal(stored) == amount


@given(st.integers(-500, 500), st.booleans())
def test_numbers_within_bounds_are_kept_and_others_say_the_bounds(number, wide):
    step = make("number", min=1, max=120)
    typed = full_width(str(number)) if wide else str(number)
    result = check(step, typed, TODAY)
    if 1 <= number <= 120:
        assert result.value == number
    else:
        assert result.problem.text("en") == "Please enter a number from 1 to 120."


@given(st.dates(), st.integers(-400, 0), st.integers(0, 400))
def test_dates_are_kept_only_inside_the_range(day, low, high):
    result = check(make("date", min=low, max=high), day.isoformat(), TODAY)
    first, last = TODAY + dt.timedelta(days=low), TODAY + dt.timedelta(days=high)
    if first <= day <= last:
        assert result.value == day.isoformat()
    else:
        assert result.problem == Problem(
            "error.date.range", {"first": first.isoformat(), "last": last.isoformat()}
        )


@given(
    st.integers(0, 10**8 - 1),
    st.sampled_from(["+86 {} {} {}", "{}-{}-{}", "0086{}{}{}"]),
    st.booleans(),
)
def test_mobile_numbers_are_stored_in_one_form(rest, layout, wide):
    digits = f"138{rest:08d}"
    typed = layout.format(digits[:3], digits[3:7], digits[7:])
    stored = value(make("phone"), full_width(typed) if wide else typed)
    assert stored == "+86" + digits
    assert mask_phone(stored) == f"138****{digits[-4:]}"


@given(st.text(alphabet="0123456789 -", min_size=1).filter(lambda t: any(c.isdigit() for c in t)))
def test_digit_fields_keep_only_the_digits(typed):
    assert value(make("text", keyboard="digits"), typed) == re.sub("[^0-9]", "", typed)


@given(st.text(min_size=1))
def test_text_and_address_store_the_normalised_text(typed):
    for type_ in ("text", "address"):
        result = check(make(type_, max_length=10_000), typed, TODAY)
        if result.ok and result.value is not None:
            assert result.value == normalise(typed)


def test_chinese_punctuation_is_kept_while_full_width_digits_fold():
    assert normalise("北京市，朝阳区 幸福路１２号") == "北京市，朝阳区幸福路12号"
