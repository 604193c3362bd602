"""Normalisers and validators for every field type a step can ask for.

`check(step, raw, today)` takes whatever the screen's widget hands over and gives back the value
to store, or a `Problem`: a message key (i18n/*/errors.json) with its parameters, in plain words
saying what to do. It never raises: a wrong type or garbage is a Problem like any other.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kiosk.message import Message
from kiosk.normalise import SEPARATORS, mask_id, mask_phone, normalise
from kiosk.service import DISPLAY_ONLY, Step

CHOSEN = ("choice", "yesno", "slot")  # answered by a tap: unanswered is "please choose one"

__all__ = ["Checked", "Problem", "check", "mask_id", "mask_phone", "normalise"]


Problem = Message  # a validation message: "Please enter a number from 1 to 9."


@dataclass(frozen=True)
class Checked:
    value: object | None  # normalised and JSON-serialisable; None = "not provided"
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _fail(key: str, **params: object) -> Checked:
    return Checked(None, Problem(key, params))


UNREADABLE = _fail("error.unreadable")
MAX_DIGITS = 15  # longer numbers and amounts are typing mistakes, not answers


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and normalise(raw) == "")


def _bound(value: float | None) -> float | None:
    """A step's min/max; NaN and infinities mean no bound."""
    return value if value is not None and math.isfinite(value) else None


def _range(
    value, low, high, keys: tuple[str, str, str], show, names=("min", "max")
) -> Problem | None:
    """The Problem for a value outside [low, high]; keys are (both bounds, only low, only high)."""
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        return Problem(keys[0], {names[0]: show(low), names[1]: show(high)})
    if low is not None:
        return Problem(keys[1], {names[0]: show(low)})
    return Problem(keys[2], {names[1]: show(high)})


def _result(value: object, problem: Problem | None) -> Checked:
    return Checked(None, problem) if problem else Checked(value)


def _choice(step: Step, raw: object, choices: Sequence[str] | None) -> Checked:
    allowed = choices if choices is not None else [o.value for o in step.options]
    if not isinstance(raw, str) or raw not in allowed:
        return _fail("error.choice")
    return Checked(raw)


def _yesno(raw: object) -> Checked:
    if isinstance(raw, bool):
        return Checked(raw)
    answer = normalise(raw).lower()
    if answer in ("yes", "no"):
        return Checked(answer == "yes")
    return _fail("error.yesno")


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _number(step: Step, raw: object) -> Checked:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        return UNREADABLE
    if isinstance(raw, str):
        text = normalise(raw, numeric=True).replace(" ", "")
        if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+", text, re.ASCII):
            text = text.replace(",", "")  # thousands separators, as in 1,000
        if re.fullmatch(r"[+-]?[0-9]*[.,][0-9]*", text) and any(c.isdigit() for c in text):
            return _fail("error.number.whole")
        if not re.fullmatch(r"[+-]?[0-9]+", text, re.ASCII):
            return _fail("error.number.format")
        if len(text.lstrip("+-0")) > MAX_DIGITS:
            return _fail("error.number.too_big")
        raw = int(text)
    if abs(raw) >= 10**MAX_DIGITS:
        return _fail("error.number.too_big")
    keys = ("error.number.range", "error.number.min", "error.number.max")
    return _result(raw, _range(raw, _bound(step.min), _bound(step.max), keys, _whole))


_MONEY = re.compile(
    r"(?P<minus>-)?¥?(?P<minus2>-)?"
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<cents>[0-9]*))?元?"
)


def _yuan(amount: Decimal) -> str:
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


def _money(step: Step, raw: object) -> Checked:
    if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal):
        return UNREADABLE
    if not isinstance(raw, str):
        if isinstance(raw, Decimal) and not raw.is_finite():
            return UNREADABLE
        if abs(raw) >= 10**MAX_DIGITS:
            return _fail("error.money.too_big")
        raw = format(raw, "f") if isinstance(raw, Decimal) else str(raw)
    found = _MONEY.fullmatch(normalise(raw, numeric=True).replace(" ", ""))
    if not found or not (found["whole"] or found["cents"]):
        return _fail("error.money.format")
    if found["minus"] or found["minus2"]:
        return _fail("error.money.negative")
    whole, cents = found["whole"].replace(",", "") or "0", found["cents"] or ""
    if len(cents) > 2:
        return _fail("error.money.cents")
    if len(whole.lstrip("0")) > MAX_DIGITS:
        return _fail("error.money.too_big")
    amount = Decimal(f"{whole}.{cents.ljust(2, '0')}")
    low, high = (None if b is None else Decimal(str(b)) for b in map(_bound, (step.min, step.max)))
    keys = ("error.money.range", "error.money.min", "error.money.max")
    return _result(str(amount), _range(amount, low, high, keys, _yuan))


def _day(today: datetime.date, offset: float | None) -> datetime.date | None:
    if offset is None:
        return None
    try:
        return today + datetime.timedelta(days=int(offset))
    except OverflowError:
        return datetime.date.max if offset > 0 else datetime.date.min


def _date(step: Step, raw: object, today: datetime.date) -> Checked:
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, str):
        text = normalise(raw)
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, re.ASCII):
            return _fail("error.date.format")
        try:
            raw = datetime.date.fromisoformat(text)
        except ValueError:
            return _fail("error.date.format")
    if not isinstance(raw, datetime.date):
        return UNREADABLE
    first, last = _day(today, _bound(step.min)), _day(today, _bound(step.max))
    keys = ("error.date.range", "error.date.min", "error.date.max")
    problem = _range(raw, first, last, keys, datetime.date.isoformat, ("first", "last"))
    return _result(raw.isoformat(), problem)


def _length(text: str, low: int | None, high: int | None, short: str, long: str) -> Problem | None:
    if low is not None and len(text) < low:
        return Problem(short, {"min": low, "count": len(text)})
    if high is not None and len(text) > high:
        return Problem(long, {"max": high, "count": len(text)})
    return None


def _text(step: Step, raw: object) -> Checked:
    if not isinstance(raw, str):
        return UNREADABLE
    text = normalise(raw, numeric=step.keyboard in ("digits", "alnum"))
    if step.keyboard in ("digits", "alnum"):
        text = SEPARATORS.sub("", text)
    if step.keyboard == "digits" and not (text.isascii() and text.isdigit()):
        return _fail("error.text.digits")
    if step.keyboard == "alnum":
        text = text.upper()
        if not text.isalnum():
            return _fail("error.text.alnum")
    short, long = {  # numbers and codes are counted in 位 (places), not 字 (characters)
        "digits": ("error.text.digits_short", "error.text.digits_long"),
        "alnum": ("error.text.code_short", "error.text.code_long"),
    }.get(step.keyboard, ("error.text.short", "error.text.long"))
    return _result(text, _length(text, step.min_length, step.max_length, short, long))


def _address(step: Step, raw: object) -> Checked:
    if not isinstance(raw, str):
        return UNREADABLE
    text = normalise(raw)
    low = 4 if step.min_length is None else step.min_length
    high = 120 if step.max_length is None else step.max_length
    return _result(text, _length(text, low, high, "error.address.short", "error.address.long"))


def _known_place(code: str) -> bool:
    """Whether the six-digit place code was ever in use.

    stdnum also requires the code to exist in the holder's birth year, which rejects most people
    born before their county got its current code (e.g. 110224 Daxing county, 1982-2001, for
    someone born in 1950). Codes are given at registration, not at birth, so any year will do.
    """
    from stdnum import numdb

    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def _id_number(raw: object, today: datetime.date) -> Checked:
    # python-stdnum and phonenumbers (below) load when first used: not for the kiosk's start
    from stdnum.cn import ric
    from stdnum.exceptions import (
        InvalidChecksum,
        InvalidComponent,
        InvalidFormat,
        InvalidLength,
        ValidationError,
    )

    if not isinstance(raw, str):
        return UNREADABLE
    number = SEPARATORS.sub("", normalise(raw, numeric=True)).upper()
    if not re.fullmatch(r"[0-9]*X?", number, re.ASCII):
        return _fail("error.id.format")
    try:
        ric.validate(number)
    except InvalidLength:
        return _fail("error.id.length", count=len(number))
    except InvalidFormat:
        return _fail("error.id.format")
    except InvalidChecksum:
        return _fail("error.id.checksum")
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except ValidationError:
            return _fail("error.id.birth_date")
        if not _known_place(number[:6]):
            return _fail("error.id.region")
    if ric.get_birth_date(number) > today:
        return _fail("error.id.birth_date")
    return Checked(number)


def _phone(raw: object) -> Checked:
    import phonenumbers

    if not isinstance(raw, str):
        return UNREADABLE
    text = normalise(raw, numeric=True)
    if not re.fullmatch(r"[0-9+()\-. ]+", text, re.ASCII):
        return _fail("error.phone.chars")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return _fail("error.phone.invalid")
    digits = phonenumbers.national_significant_number(number)
    if number.country_code == 86 and re.match(r"1[3-9]", digits) and len(digits) != 11:
        return _fail("error.phone.mobile_length", count=len(digits))
    if not phonenumbers.is_valid_number(number):
        return _fail("error.phone.invalid")
    return Checked(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _consent(step: Step, raw: object) -> Checked:
    if raw is True:
        return Checked(True)
    if step.optional and raw is False:
        return Checked(None)  # an optional agreement left unticked: not given
    return _fail("error.consent")


def _slot(raw: object, choices: Sequence[str] | None) -> Checked:
    if not isinstance(raw, str):
        return UNREADABLE
    if choices is not None and raw not in choices:
        return _fail("error.slot.taken")
    return Checked(raw)


def check(
    step: Step, raw: object, today: datetime.date, choices: Sequence[str] | None = None
) -> Checked:
    """The value to store for `raw`, or the Problem to show. `choices` are the options on screen
    when they come from a backend (options_from, slots); step.min/max of a date are day offsets
    from `today`."""
    if step.type in DISPLAY_ONLY:
        return Checked(None)
    if _is_empty(raw):
        if step.optional:
            return Checked(None)
        if step.type == "consent":
            return _fail("error.consent")
        return _fail("error.required_choice" if step.type in CHOSEN else "error.required")
    match step.type:
        case "choice":
            return _choice(step, raw, choices)
        case "yesno":
            return _yesno(raw)
        case "number":
            return _number(step, raw)
        case "money":
            return _money(step, raw)
        case "date":
            return _date(step, raw, today)
        case "text":
            return _text(step, raw)
        case "id_number":
            return _id_number(raw, today)
        case "phone":
            return _phone(raw)
        case "address":
            return _address(step, raw)
        case "consent":
            return _consent(step, raw)
        case "slot":
            return _slot(raw, choices)
    return UNREADABLE  # a type kiosk.service does not know
