"""Evaluate the conditions of service files (step `when`, eligibility rules) against known facts.

Facts are a nested mapping: {"citizen": {...}, "answers": {...}, "lookup": {step_id: {...}}}.
A path that names nothing known is "not answered", never an error: a condition on a skipped
step must simply be false.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.service import Condition

_MISSING = object()


def resolve(path: str, facts: Mapping[str, Any]) -> Any:
    node: Any = facts
    for part in path.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def _comparable(value: Any) -> Any:
    """Money arrives as "120.50" strings; compare numbers as numbers."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return number if number.is_finite() else value  # "NaN", "Infinity" are words here
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def evaluate(cond: Condition, facts: Mapping[str, Any]) -> bool:
    if cond.all_of:
        return all(evaluate(c, facts) for c in cond.all_of)
    if cond.any_of:
        return any(evaluate(c, facts) for c in cond.any_of)
    value = resolve(cond.field, facts)
    answered = value is not _MISSING and value is not None and value != ""
    if cond.op == "answered":
        return answered
    if cond.op == "not_answered":
        return not answered
    if not answered:
        return False
    if cond.op in ("in", "not_in"):
        inside = value in (cond.value or ())
        return inside if cond.op == "in" else not inside
    left, right = _comparable(value), _comparable(cond.value)
    try:
        return {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            ">=": lambda: left >= right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            "<": lambda: left < right,
        }[cond.op]()
    except TypeError:  # comparing unlike things (text with a number): the rule does not hold
        return False
