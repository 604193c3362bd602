"""How values read on screen and on receipts, in English and Chinese."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from kiosk import formatting
from kiosk.service import Text


@pytest.mark.parametrize(("value", "en", "zh"), [
    ("1234.5", "¥1,234.50", "1,234.50元"),
    ("1234.50", "¥1,234.50", "1,234.50元"),
    (Decimal("36.4"), "¥36.40", "36.40元"),
    ("0", "¥0.00", "0.00元"),
    ("120", "¥120.00", "120.00元"),
    ("1234567", "¥1,234,567.00", "1,234,567.00元"),
])
def test_money(value, en, zh):
    assert formatting.money(value, "en") == en
    assert formatting.money(value, "zh_CN") == zh


@pytest.mark.parametrize(("value", "en", "zh"), [
    ("2026-11-23", "23 November 2026", "2026年11月23日"),
    (date(2026, 11, 23), "23 November 2026", "2026年11月23日"),
    ("2027-01-05", "5 January 2027", "2027年1月5日"),
])
def test_dates(value, en, zh):
    assert formatting.day(value, "en") == en
    assert formatting.day(value, "zh_CN") == zh


@pytest.mark.parametrize(("value", "en", "zh"), [
    ("2026-11-23", "Monday 23 November 2026", "2026年11月23日 星期一"),
    (date(2026, 11, 29), "Sunday 29 November 2026", "2026年11月29日 星期日"),
    ("2026-12-15", "Tuesday 15 December 2026", "2026年12月15日 星期二"),
])
def test_dates_with_the_weekday(value, en, zh):
    assert formatting.day(value, "en", weekday=True) == en
    assert formatting.day(value, "zh_CN", weekday=True) == zh


def test_clock():
    assert formatting.clock(datetime(2026, 11, 24, 9, 0)) == "09:00"
    assert formatting.clock(datetime(2026, 11, 24, 11, 30)) == "11:30"


@pytest.mark.parametrize(("raw", "grouped"), [
    ("GL40172953", "GL 4017 2953"),
    ("YL30458821", "YL 3045 8821"),
    ("KS123456789", "KS 1234 5678 9"),
    ("12345678", "1234 5678"),
])
def test_references_are_grouped_for_reading_aloud(raw, grouped):
    assert formatting.reference(raw) == grouped


@pytest.mark.parametrize(("e164", "shown"), [
    ("+8613812345678", "138 1234 5678"),
    ("+8615834567890", "158 3456 7890"),
    ("+861062345678", "010 6234 5678"),  # a Beijing landline keeps its trunk 0
])
def test_phone_numbers_in_national_format(e164, shown):
    assert formatting.phone(e164) == shown


def test_a_phone_number_that_cannot_be_read_is_shown_as_it_is():
    assert formatting.phone("call me") == "call me"


@pytest.mark.parametrize(("status", "en", "zh"), [
    ("received", "Received, waiting to be looked at", "已收到，等待办理"),
    ("in_review", "Being looked at by staff", "工作人员正在办理"),
    ("approved", "Approved", "已通过"),
    ("rejected", "Not approved", "未通过"),
    ("needs_documents", "We need more papers from you", "需要您补交材料"),
])
def test_status_texts(status, en, zh):
    assert formatting.status(status, "en") == en
    assert formatting.status(status, "zh_CN") == zh


def test_an_unknown_status_is_shown_as_it_is():
    assert formatting.status("lost_in_the_post", "en") == "lost_in_the_post"


def test_localized_texts_from_a_backend():
    place = {"en": "Chaoyang Hospital", "zh_CN": "朝阳医院"}
    assert formatting.localized(place, "zh_CN") == "朝阳医院"
    assert formatting.localized(place, "en") == "Chaoyang Hospital"
    assert formatting.localized({"en": "Only English"}, "zh_CN") == "Only English"
    assert formatting.localized(Text({"en": "a", "zh_CN": "甲"}), "zh_CN") == "甲"
    assert formatting.localized(42, "en") == "42"


@pytest.mark.parametrize(("kind", "value", "en", "zh"), [
    ("money", "3260.80", "¥3,260.80", "3,260.80元"),
    ("date", "2026-10-28", "28 October 2026", "2026年10月28日"),
    ("status", "approved", "Approved", "已通过"),
    ("text", {"en": "October 2026", "zh_CN": "2026年10月"}, "October 2026", "2026年10月"),
    ("text", "王**", "王**", "王**"),
    ("money", None, "Not provided", "未填写"),
    ("date", "", "Not provided", "未填写"),
])
def test_looked_up_values_by_their_format(kind, value, en, zh):
    assert formatting.shown(kind, value, "en") == en
    assert formatting.shown(kind, value, "zh_CN") == zh
