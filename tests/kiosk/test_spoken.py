"""How numbers, dates, times, money and codes are said, in Chinese and English."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.speech import spoken

ARABIC = set("0123456789")


@pytest.mark.parametrize(("n", "zh", "en"), [
    (0, "零", "zero"),
    (1, "一", "one"),
    (2, "二", "two"),
    (10, "十", "ten"),
    (11, "十一", "eleven"),
    (12, "十二", "twelve"),
    (15, "十五", "fifteen"),
    (20, "二十", "twenty"),
    (22, "二十二", "twenty-two"),
    (23, "二十三", "twenty-three"),
    (100, "一百", "one hundred"),
    (101, "一百零一", "one hundred and one"),
    (105, "一百零五", "one hundred and five"),
    (110, "一百一十", "one hundred and ten"),
    (115, "一百一十五", "one hundred and fifteen"),
    (120, "一百二十", "one hundred and twenty"),
    (200, "两百", "two hundred"),
    (222, "两百二十二", "two hundred and twenty-two"),
    (1000, "一千", "one thousand"),
    (1001, "一千零一", "one thousand and one"),
    (1010, "一千零一十", "one thousand and ten"),
    (1050, "一千零五十", "one thousand and fifty"),
    (1234, "一千二百三十四", "one thousand two hundred and thirty-four"),
    (2000, "两千", "two thousand"),
    (2002, "两千零二", "two thousand and two"),
    (2200, "两千二百", "two thousand two hundred"),
    (3260, "三千二百六十", "three thousand two hundred and sixty"),
    (10000, "一万", "ten thousand"),
    (10001, "一万零一", "ten thousand and one"),
    (10100, "一万零一百", "ten thousand one hundred"),
    (12000, "一万两千", "twelve thousand"),
    (12345, "一万两千三百四十五", "twelve thousand three hundred and forty-five"),
    (20000, "两万", "twenty thousand"),
    (100000, "十万", "one hundred thousand"),
    (120000, "十二万", "one hundred and twenty thousand"),
    (200000, "二十万", "two hundred thousand"),
    (2000000, "两百万", "two million"),
    (20000000, "两千万", "twenty million"),
    (100000000, "一亿", "one hundred million"),
    (100010000, "一亿零一万", "one hundred million ten thousand"),
    (100100000, "一亿零一十万", "one hundred million one hundred thousand"),
    (110000001, "一亿一千万零一", "one hundred and ten million and one"),
    (200000000, "两亿", "two hundred million"),
    (10**12, "一万亿", "one trillion"),
])
def test_whole_numbers(n, zh, en):
    assert spoken.number(n, "zh_CN") == zh
    assert spoken.number(n, "yue") == zh
    assert spoken.number(n, "en") == en


@pytest.mark.parametrize(("n", "zh", "en"), [
    ("3.5", "三点五", "three point five"),
    (Decimal("0.05"), "零点零五", "zero point zero five"),
    ("-3", "负三", "minus three"),
    (-120, "负一百二十", "minus one hundred and twenty"),
    ("-0.5", "负零点五", "minus zero point five"),
    ("12.25", "十二点二五", "twelve point two five"),
    (" 1,200 ", "一千二百", "one thousand two hundred"),
])
def test_signs_and_decimals(n, zh, en):
    assert spoken.number(n, "zh_CN") == zh
    assert spoken.number(n, "en") == en


def test_other_languages_fall_back_to_english():
    assert spoken.number(120, "fr") == "one hundred and twenty"
    assert spoken.money("1.00", "de") == "one yuan"


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", ""])
def test_not_a_number(bad):
    with pytest.raises(ValueError):
        spoken.number(bad, "en")


@pytest.mark.parametrize(("amount", "zh", "en"), [
    ("120.50", "一百二十元五角", "one hundred and twenty yuan and fifty fen"),
    ("36.40", "三十六元四角", "thirty-six yuan and forty fen"),
    ("0.05", "五分", "five fen"),
    ("0.50", "五角", "fifty fen"),
    ("0.55", "五角五分", "fifty-five fen"),
    ("1234.56", "一千二百三十四元五角六分", "one thousand two hundred and thirty-four yuan and "
                                          "fifty-six fen"),
    ("100.00", "一百元", "one hundred yuan"),
    ("100", "一百元", "one hundred yuan"),
    ("1.00", "一元", "one yuan"),
    ("1.01", "一元零一分", "one yuan and one fen"),
    ("2.00", "两元", "two yuan"),
    ("2.22", "两元两角两分", "two yuan and twenty-two fen"),
    ("12.00", "十二元", "twelve yuan"),
    ("3260.80", "三千二百六十元八角", "three thousand two hundred and sixty yuan and eighty fen"),
    ("120.05", "一百二十元零五分", "one hundred and twenty yuan and five fen"),
    ("1005.00", "一千零五元", "one thousand and five yuan"),
    ("0", "零元", "zero yuan"),
    ("0.00", "零元", "zero yuan"),
    ("36.4", "三十六元四角", "thirty-six yuan and forty fen"),
    ("0.005", "一分", "one fen"),  # rounded half up to the fen
    ("-5.00", "负五元", "minus five yuan"),
    (Decimal("20000"), "两万元", "twenty thousand yuan"),
])
def test_money(amount, zh, en):
    assert spoken.money(amount, "zh_CN") == zh
    assert spoken.money(amount, "yue") == zh
    assert spoken.money(amount, "en") == en


ZH_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month(month):
    when = date(2026, month, 5)
    assert spoken.day(when, "zh_CN") == f"二〇二六年{ZH_MONTHS[month - 1]}月五日"
    assert spoken.day(when, "en") == f"the fifth of {EN_MONTHS[month - 1]}, twenty twenty-six"


@pytest.mark.parametrize(("d", "zh", "en"), [
    (1, "一", "first"), (2, "二", "second"), (3, "三", "third"), (4, "四", "fourth"),
    (10, "十", "tenth"), (11, "十一", "eleventh"), (12, "十二", "twelfth"),
    (13, "十三", "thirteenth"), (20, "二十", "twentieth"), (21, "二十一", "twenty-first"),
    (22, "二十二", "twenty-second"), (23, "二十三", "twenty-third"),
    (30, "三十", "thirtieth"), (31, "三十一", "thirty-first"),
])
def test_days_of_the_month(d, zh, en):
    when = date(2026, 12, d)
    assert spoken.day(when, "zh_CN") == f"二〇二六年十二月{zh}日"
    assert spoken.day(when, "en") == f"the {en} of December, twenty twenty-six"


def test_day_with_weekday():
    when = date(2026, 11, 23)
    assert spoken.day(when, "zh_CN") == "二〇二六年十一月二十三日"
    assert spoken.day(when, "zh_CN", weekday=True) == "二〇二六年十一月二十三日星期一"
    assert spoken.day(when, "yue", weekday=True) == "二〇二六年十一月二十三日星期一"
    assert spoken.day(when, "en") == "the twenty-third of November, twenty twenty-six"
    assert spoken.day(when, "en", weekday=True) == \
        "Monday, the twenty-third of November, twenty twenty-six"
    assert spoken.day(date(2026, 11, 29), "zh_CN", weekday=True).endswith("星期日")
    assert spoken.day(datetime(2026, 11, 28, 9, 30), "en", weekday=True).startswith("Saturday, ")


@pytest.mark.parametrize(("year", "zh", "en"), [
    (1941, "一九四一", "nineteen forty-one"),
    (1900, "一九〇〇", "nineteen hundred"),
    (1905, "一九〇五", "nineteen oh five"),
    (2000, "二〇〇〇", "two thousand"),
    (2005, "二〇〇五", "two thousand and five"),
    (2009, "二〇〇九", "two thousand and nine"),
    (2010, "二〇一〇", "twenty ten"),
    (2026, "二〇二六", "twenty twenty-six"),
    (2100, "二一〇〇", "twenty-one hundred"),
])
def test_years(year, zh, en):
    when = date(year, 1, 1)
    assert spoken.day(when, "zh_CN") == f"{zh}年一月一日"
    assert spoken.day(when, "en") == f"the first of January, {en}"


@pytest.mark.parametrize(("hh", "mm", "zh", "en"), [
    (0, 0, "凌晨零点", "twelve midnight"),
    (0, 15, "凌晨零点十五分", "a quarter past midnight"),
    (0, 30, "凌晨零点半", "half past midnight"),
    (2, 0, "凌晨两点", "two o'clock in the morning"),
    (5, 59, "凌晨五点五十九分", "five fifty-nine in the morning"),
    (6, 0, "上午六点", "six o'clock in the morning"),
    (8, 30, "上午八点半", "half past eight in the morning"),
    (9, 0, "上午九点", "nine o'clock in the morning"),
    (10, 2, "上午十点零二分", "ten oh two in the morning"),
    (11, 45, "上午十一点四十五分", "a quarter to noon"),
    (11, 59, "上午十一点五十九分", "eleven fifty-nine in the morning"),
    (12, 0, "中午十二点", "twelve noon"),
    (12, 30, "中午十二点半", "half past twelve in the afternoon"),
    (13, 0, "下午一点", "one o'clock in the afternoon"),
    (14, 15, "下午两点十五分", "a quarter past two in the afternoon"),
    (14, 20, "下午两点二十分", "twenty past two in the afternoon"),
    (15, 35, "下午三点三十五分", "twenty-five to four in the afternoon"),
    (17, 45, "下午五点四十五分", "a quarter to six in the afternoon"),
    (18, 0, "晚上六点", "six o'clock in the evening"),
    (19, 5, "晚上七点零五分", "five past seven in the evening"),
    (19, 55, "晚上七点五十五分", "five to eight in the evening"),
    (22, 10, "晚上十点十分", "ten past ten in the evening"),
    (23, 45, "晚上十一点四十五分", "a quarter to midnight"),
    (23, 59, "晚上十一点五十九分", "eleven fifty-nine in the evening"),
])
def test_clock(hh, mm, zh, en):
    assert spoken.clock(time(hh, mm), "zh_CN") == zh
    assert spoken.clock(time(hh, mm), "yue") == zh
    assert spoken.clock(time(hh, mm), "en") == en


def test_clock_takes_datetimes_and_ignores_seconds():
    when = datetime(2026, 11, 23, 14, 15, 42)
    assert spoken.clock(when, "zh_CN") == "下午两点十五分"
    assert spoken.clock(when, "en") == "a quarter past two in the afternoon"


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("GL40172953", "G L，四 零 幺 七，二 九 五 三",
     "G L. four, zero, one, seven. two, nine, five, three."),
    ("gl-4017 2953", "G L，四 零 幺 七，二 九 五 三",
     "G L. four, zero, one, seven. two, nine, five, three."),
    ("A12", "A，幺 二", "A. one, two."),
    ("4017", "四 零 幺 七", "four, zero, one, seven."),
    ("11010519491231002X", "幺 幺 零 幺，零 五 幺 九，四 九 幺 二，三 幺 零 零，二 X",
     "one, one, zero, one. zero, five, one, nine. four, nine, one, two. "
     "three, one, zero, zero. two, X."),
    ("ABC", "A B C", "A B C."),
    ("", "", ""),
])
def test_characters(code, zh, en):
    assert spoken.characters(code, "zh_CN") == zh
    assert spoken.characters(code, "en") == en


def test_cantonese_says_one_not_yao():
    """幺 is Mandarin; Cantonese reads 1 in phone numbers and codes as 一."""
    assert spoken.characters("GL40172953", "yue") == "G L，四 零 一 七，二 九 五 三"
    assert spoken.digits("5161", "yue") == "五 一 六 一"


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("5678", "五 六 七 八", "five, six, seven, eight"),
    ("0120", "零 幺 二 零", "zero, one, two, zero"),
    ("138-1234 5678", "幺 三 八 幺 二 三 四 五 六 七 八",
     "one, three, eight, one, two, three, four, five, six, seven, eight"),
    ("", "", ""),
])
def test_digits(text, zh, en):
    assert spoken.digits(text, "zh_CN") == zh
    assert spoken.digits(text, "en") == en


@pytest.mark.parametrize(("n", "zh", "en"), [
    (0, "零个", "zero"),
    (1, "一个", "one"),
    (2, "两个", "two"),
    (3, "三个", "three"),
    (12, "十二个", "twelve"),
    (22, "二十二个", "twenty-two"),
    (200, "两百个", "two hundred"),
])
def test_count(n, zh, en):
    assert spoken.count(n, "zh_CN") == zh
    assert spoken.count(n, "en") == en


def test_count_units():
    assert spoken.count(2, "zh_CN", unit_zh="份") == "两份"
    assert spoken.count(2, "zh_CN", unit_zh="") == "二"
    assert spoken.count(1, "en", unit_en="form") == "one form"
    assert spoken.count(3, "en", unit_en="form") == "three forms"
    assert spoken.count(1, "en", unit_en="person|people") == "one person"
    assert spoken.count(2, "en", unit_en="person|people") == "two people"


# --- Properties ------------------------------------------------------------------------------

ZH_VALUES = dict(zip("零一二三四五六七八九", range(10), strict=True)) | {"两": 2}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_GROUPS = {"万": 10**4, "亿": 10**8}


def parse_zh(text: str) -> int:
    """Reads a spoken Chinese whole number back: 一亿零一十万 -> 100100000."""
    total = section = digit = 0
    for ch in text:
        if ch in ZH_VALUES:
            digit = ZH_VALUES[ch]
        elif ch in ZH_UNITS:
            section += (digit or 1) * ZH_UNITS[ch]
            digit = 0
        elif ch in ZH_GROUPS:
            size = ZH_GROUPS[ch]
            # 万亿: the 万 already counted belongs to the 亿 too.
            below, above = total % size, total - total % size
            total = above + (below + section + digit) * size
            section = digit = 0
        else:
            raise ValueError(f"not a Chinese number: {text!r}")
    return total + section + digit


def test_the_parser_reads_what_people_write():
    assert parse_zh("一万亿") == 10**12
    assert parse_zh("三千二百六十") == 3260
    assert parse_zh("十五") == 15
    assert parse_zh("两亿零两万") == 200020000


@given(st.integers(0, 10**12))
def test_numbers_are_never_said_in_digits(n):
    for lang in ("zh_CN", "yue", "en"):
        assert not ARABIC & set(spoken.number(n, lang))


@given(st.integers(0, 10**9))
def test_chinese_numbers_read_back(n):
    said = spoken.number(n, "zh_CN")
    assert parse_zh(said) == n
    assert not said.startswith("一十")
    assert "零零" not in said
    assert n == 0 or not said.endswith("零")


AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                      allow_infinity=False)


@given(AMOUNTS)
def test_money_is_never_said_in_digits(amount):
    zh = spoken.money(amount, "zh_CN")
    en = spoken.money(amount, "en")
    assert not ARABIC & set(zh + en)
    assert zh[-1] in "元角分"
    assert en.endswith(("yuan", "fen"))


CODES = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcxyz0123456789 -", max_size=24)


@given(CODES)
def test_every_character_is_said_once(code):
    wanted = sum(ch.isalnum() for ch in code)
    for lang in ("zh_CN", "yue", "en"):
        items = re.split(r"[\s,.，]+", spoken.characters(code, lang).strip(" ."))
        assert len([item for item in items if item]) == wanted
    assert not ARABIC & set(spoken.characters(code, "zh_CN") + spoken.characters(code, "en"))


@given(CODES)
def test_groups_are_at_most_four(code):
    for group in spoken.characters(code, "zh_CN").split("，"):
        digits = [item for item in group.split() if item not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
        assert len(digits) <= 4


@given(st.integers(0, 10**12))
def test_english_numbers_are_well_formed(n):
    said = spoken.number(n, "en")
    assert re.fullmatch(r"[a-z]+([ -][a-z]+)*", said)
    words = said.split()
    assert words[0] != "and" and words[-1] != "and"
    assert ("and", "and") not in pairwise(words)
    assert said.count(" and ") <= said.count("hundred") + said.count("thousand") + \
        said.count("illion")


@given(st.times())
def test_every_time_of_day_is_said(when):
    for lang in ("zh_CN", "en"):
        assert not ARABIC & set(spoken.clock(when, lang))
    assert spoken.clock(when, "zh_CN")[:2] in {"凌晨", "上午", "中午", "下午", "晚上"}


@given(st.dates())
def test_every_date_is_said(when):
    assert not ARABIC & set(spoken.day(when, "zh_CN", weekday=True) + spoken.day(when, "en"))
