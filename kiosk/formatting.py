"""How values look on screen and on receipts in each language (speech has its own forms)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from kiosk.i18n import tr
from kiosk.service import Text


def localized(value: object, lang: str) -> str:
    """Backends send texts in several languages as {lang: text}."""
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Mapping):
        return Text(dict(value)).get(lang)
    return str(value)


def money(value: str | Decimal, lang: str) -> str:
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    return tr(lang, "format.money", amount=f"{amount:,}")


def day(value: str | date, lang: str, weekday: bool = False) -> str:
    when = date.fromisoformat(value) if isinstance(value, str) else value
    key = "format.date_weekday" if weekday else "format.date"
    return tr(lang, key, y=when.year, m=when.month, d=when.day,
              month=tr(lang, f"month.{when.month}"), weekday=tr(lang, f"weekday.{when.weekday()}"))


def clock(when: datetime) -> str:
    return f"{when:%H:%M}"


def phone(e164: str) -> str:
    import phonenumbers  # when first shown: not for the kiosk's start (ui.launch loads it)

    try:
        number = phonenumbers.parse(e164, "CN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def reference(ref: str) -> str:
    """Grouped so it can be read out and copied: GL 4017 2953."""
    ref = "".join(ch for ch in ref.upper() if ch.isalnum())
    head = ref[:len(ref) - len(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
    digits = ref[len(head):]
    groups = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    return " ".join([head, *groups]) if head else " ".join(groups)


def status(value: str, lang: str) -> str:
    key = f"status.{value}"
    try:
        return tr(lang, key)
    except KeyError:
        return value


def shown(kind: str, value: object, lang: str) -> str:
    """A looked-up value, by the `format` its service file gives it."""
    if value is None or value == "":
        return tr(lang, "common.not_provided")
    if kind == "money":
        return money(str(value), lang)
    if kind == "date":
        return day(str(value), lang)
    if kind == "status":
        return status(str(value), lang)
    return localized(value, lang)
