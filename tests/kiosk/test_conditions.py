"""Conditions in service files (step `when`, eligibility rules): every operator, combinations,
paths that name nothing known, and money strings compared as numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.citizen import Citizen
from kiosk.conditions import evaluate, resolve
from kiosk.service import Condition

CITIZEN = Citizen("11010519410315002X", "王秀英", date(1941, 3, 15), "北京市朝阳区幸福路12号",
                  "+8613812345678", 85)
FACTS = {
    "citizen": CITIZEN.facts(),
    "answers": {"lives_alone": True, "lives_at_home": False, "count": 0, "utility": "water",
                "amount": "120.50", "note": "", "nothing": None, "name": "abc"},
    "lookup": {"bill": {"amount": "36.40", "due": "2026-12-15"}},
}
MISSING = ("answers.never_asked", "lookup.bill.missing", "lookup.nothing.amount",
           "answers.utility.deeper", "nowhere", "citizen.shoe_size", "answers.note",
           "answers.nothing")
COMPARISONS = ("==", "!=", ">=", "<=", ">", "<", "in", "not_in")


def holds(field: str, op: str, value=None, facts=FACTS) -> bool:
    return evaluate(Condition(field, op, value), facts)


@pytest.mark.parametrize(("field", "op", "value", "expected"), [
    ("citizen.age", "==", 85, True),
    ("citizen.age", "==", 84, False),
    ("citizen.age", "!=", 84, True),
    ("citizen.age", "!=", 85, False),
    ("citizen.age", ">=", 80, True),
    ("citizen.age", ">=", 85, True),
    ("citizen.age", ">=", 86, False),
    ("citizen.age", "<=", 85, True),
    ("citizen.age", "<=", 84, False),
    ("citizen.age", ">", 84, True),
    ("citizen.age", ">", 85, False),
    ("citizen.age", "<", 86, True),
    ("citizen.age", "<", 85, False),
    ("answers.utility", "in", ["water", "electricity"], True),
    ("answers.utility", "in", ["gas"], False),
    ("answers.utility", "not_in", ["gas"], True),
    ("answers.utility", "not_in", ["water"], False),
    ("answers.lives_alone", "==", True, True),
    ("answers.lives_alone", "==", False, False),
    ("answers.lives_at_home", "==", False, True),  # "no" is an answer
    ("answers.count", "==", 0, True),  # so is zero
    ("citizen.name", "==", "王秀英", True),
    ("lookup.bill.due", "==", "2026-12-15", True),
])
def test_every_comparison(field, op, value, expected):
    assert holds(field, op, value) is expected


@pytest.mark.parametrize(("field", "answered"), [
    ("answers.lives_alone", True),
    ("answers.lives_at_home", True),
    ("answers.count", True),
    ("lookup.bill.amount", True),
    *((path, False) for path in MISSING),
])
def test_answered_and_not_answered(field, answered):
    assert holds(field, "answered") is answered
    assert holds(field, "not_answered") is not answered


@pytest.mark.parametrize("field", MISSING)
@pytest.mark.parametrize("op", COMPARISONS)
def test_a_comparison_on_something_not_answered_is_false(field, op):
    value = ["water"] if op in ("in", "not_in") else 0
    assert holds(field, op, value) is False


def test_nothing_is_known_without_facts():
    assert holds("citizen.age", ">=", 80, facts={}) is False
    assert holds("citizen.age", "not_answered", facts={"citizen": {}}) is True


def test_resolve_walks_nested_facts():
    assert resolve("lookup.bill.amount", FACTS) == "36.40"
    assert resolve("answers.lives_at_home", FACTS) is False
    assert resolve("answers.never_asked", FACTS) is not None  # a marker, not None or an error


def test_all_of_and_any_of():
    old = Condition("citizen.age", ">=", 80)
    alone = Condition("answers.lives_alone", "==", True)
    at_home = Condition("answers.lives_at_home", "==", True)
    unknown = Condition("answers.never_asked", "==", True)
    assert evaluate(Condition(all_of=(old, alone)), FACTS)
    assert not evaluate(Condition(all_of=(old, at_home)), FACTS)
    assert not evaluate(Condition(all_of=(old, unknown)), FACTS)
    assert evaluate(Condition(any_of=(at_home, alone)), FACTS)
    assert not evaluate(Condition(any_of=(at_home, unknown)), FACTS)
    either = Condition(any_of=(at_home, alone))
    nested = Condition(any_of=(unknown, Condition(all_of=(old, either))))
    assert evaluate(nested, FACTS)


@pytest.mark.parametrize(("field", "op", "value", "expected"), [
    ("answers.amount", ">", 100, True),
    ("answers.amount", ">", "100", True),
    ("answers.amount", "==", 120.5, True),
    ("answers.amount", "==", "120.5", True),
    ("answers.amount", ">=", Decimal("120.50"), True),
    ("answers.amount", "<", 100, False),
    ("answers.amount", ">", 1000, False),  # as text "120.50" > "1000"
    ("lookup.bill.amount", "<", 50, True),
    ("lookup.bill.amount", "<", 9, False),  # as text "36.40" < "9"
])
def test_money_strings_compare_as_numbers(field, op, value, expected):
    assert holds(field, op, value) is expected


@pytest.mark.parametrize("op", ["==", ">=", "<=", ">", "<"])
def test_text_compared_with_a_number_is_false_not_an_error(op):
    assert holds("answers.name", op, 5) is False
    assert holds("answers.utility", op, 100) is False
    assert holds("citizen.age", op, "old") is False


def test_text_is_not_equal_to_a_number():
    assert holds("answers.name", "!=", 5) is True


@pytest.mark.parametrize("text", ["NaN", "nan"])
def test_the_text_nan_compared_with_a_number_is_false(text):
    assert holds("answers.note", ">", 100, facts={"answers": {"note": text}}) is False


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
       st.integers(min_value=0, max_value=10**9))
def test_an_amount_compares_like_the_number_it_is(amount, limit):
    facts = {"answers": {"amount": f"{amount:.2f}"}}
    assert holds("answers.amount", ">", limit, facts=facts) is (amount > limit)
    assert holds("answers.amount", "<=", limit, facts=facts) is (amount <= limit)
    assert holds("answers.amount", "==", limit, facts=facts) is (amount == limit)
