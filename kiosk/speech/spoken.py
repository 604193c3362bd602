"""How numbers, dates, times, money and codes are said: text for the speech engine, never digits.

Chinese forms for "zh_CN" and "yue" (the same written Chinese, which Cantonese speakers read
aloud as Cantonese), English for "en" and any other language. The screen has its own forms in
kiosk.formatting; these are what a person would say.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["characters", "clock", "count", "day", "digits", "is_chinese", "money", "number"]

DIGITS = "0123456789"
ZH_DIGITS = "零一二三四五六七八九"
EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
           "eighteen", "nineteen")
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
EN_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
EN_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
               "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ZH_WEEKDAYS = "一二三四五六日"
# (first hour, Chinese, English) for the parts of the day.
PERIODS = ((0, "凌晨", "at night"), (1, "凌晨", "in the morning"), (6, "上午", "in the morning"),
           (12, "中午", "in the afternoon"), (13, "下午", "in the afternoon"),
           (18, "晚上", "in the evening"))
EN_MINUTES = {5: "five", 10: "ten", 15: "a quarter", 20: "twenty", 25: "twenty-five"}


def _primary(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()


def is_chinese(lang: str) -> bool:
    return _primary(lang) in {"zh", "cmn", "yue"}


def _decimal(value: int | str | Decimal) -> Decimal:
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return result


# --- Chinese ---------------------------------------------------------------------------------

def _zh_small(n: int, leading: bool) -> str:
    """0 < n < 10000. `leading`: at the very start of the number (十五, not 一十五; 两百)."""
    parts: list[str] = []
    gap = False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // size % 10
        if d == 0:
            gap = bool(parts)
            continue
        if gap:
            parts.append("零")
            gap = False
        if d == 1 and unit == "十" and leading and not parts:
            parts.append("十")
        elif d == 2 and not parts and (unit == "千" or (unit == "百" and leading)):
            parts.append("两" + unit)
        else:
            parts.append(ZH_DIGITS[d] + unit)
    return "".join(parts)


def _zh_int(n: int, leading: bool = True) -> str:
    if n == 0:
        return "零"
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            text = ("两" if high == 2 else _zh_int(high, leading)) + unit
            if low:
                text += ("零" if low < size // 10 else "") + _zh_int(low, leading=False)
            return text
    return _zh_small(n, leading)


def _zh_counted(n: int) -> str:
    """A number before a measure word: a lone 2 is 两 (两个, 两元, 两点)."""
    return "两" if n == 2 else number(n, "zh_CN")


# --- English ---------------------------------------------------------------------------------

def _en_int(n: int) -> str:
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return EN_TENS[tens] + (f"-{EN_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{EN_ONES[hundreds]} hundred" + (f" and {_en_int(rest)}" if rest else "")
    size, name = next((size, name) for size, name in EN_SCALES if n >= size)
    high, rest = divmod(n, size)
    text = f"{_en_int(high)} {name}"
    return text + ((" and " if rest < 100 else " ") + _en_int(rest) if rest else "")


def _en_ordinal(n: int) -> str:
    words = _en_int(n)
    head, sep, last = words.rpartition("-") if "-" in words else words.rpartition(" ")
    if last in EN_ORDINALS:
        last = EN_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def _en_year(year: int) -> str:
    if not 1000 <= year <= 9999 or year % 1000 < 10:
        return _en_int(year)  # two thousand and five, one thousand
    high, low = divmod(year, 100)
    if low == 0:
        return f"{_en_int(high)} hundred"  # nineteen hundred
    return f"{_en_int(high)} {'oh ' if low < 10 else ''}{_en_int(low)}"  # nineteen oh five


# --- The API ---------------------------------------------------------------------------------

def number(n: int | str | Decimal, lang: str) -> str:
    """120 -> 一百二十 / one hundred and twenty; -3.5 -> 负三点五 / minus three point five."""
    value = _decimal(n)
    sign = value < 0
    whole, _, fraction = format(abs(value), "f").partition(".")
    if is_chinese(lang):
        text = _zh_int(int(whole)) + ("点" + "".join(ZH_DIGITS[int(d)] for d in fraction)
                                      if fraction else "")
        return ("负" if sign else "") + text
    text = _en_int(int(whole)) + (" point " + " ".join(EN_ONES[int(d)] for d in fraction)
                                  if fraction else "")
    return ("minus " if sign else "") + text


def money(amount: str | Decimal, lang: str) -> str:
    """Yuan to the fen: 120.05 -> 一百二十元零五分 / one hundred and twenty yuan and five fen."""
    value = _decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = value < 0
    yuan, cents = divmod(int(abs(value) * 100), 100)
    jiao, fen = divmod(cents, 10)
    if is_chinese(lang):
        parts = [_zh_counted(yuan) + "元"] if yuan or not cents else []
        if jiao:
            parts.append(_zh_counted(jiao) + "角")
        if fen:
            parts.append(("零" if yuan and not jiao else "") + _zh_counted(fen) + "分")
        return ("负" if sign else "") + "".join(parts)
    parts = [f"{_en_int(yuan)} yuan"] if yuan or not cents else []
    if cents:
        parts.append(f"{_en_int(cents)} fen")
    return ("minus " if sign else "") + " and ".join(parts)


def day(d: date, lang: str, weekday: bool = False) -> str:
    """二〇二六年十一月二十三日星期一 / Monday, the twenty-third of November, twenty twenty-six.

    Chinese years are said digit by digit (二〇二六); English years the usual way.
    """
    if is_chinese(lang):
        year = "".join("〇" if ch == "0" else ZH_DIGITS[int(ch)] for ch in str(d.year))
        text = f"{year}年{number(d.month, lang)}月{number(d.day, lang)}日"
        return text + (f"星期{ZH_WEEKDAYS[d.weekday()]}" if weekday else "")  # 五日星期六
    text = f"the {_en_ordinal(d.day)} of {EN_MONTHS[d.month - 1]}, {_en_year(d.year)}"
    return (f"{EN_WEEKDAYS[d.weekday()]}, " if weekday else "") + text


def clock(t: time | datetime, lang: str) -> str:
    """14:15 -> 下午两点十五分 / a quarter past two in the afternoon. Seconds are not said."""
    hour, minute = t.hour, t.minute
    zh_period, en_period = next((zh, en) for start, zh, en in reversed(PERIODS) if hour >= start)
    if is_chinese(lang):
        said_hour = "零" if hour == 0 else _zh_counted(hour % 12 or 12)
        if minute == 0:
            tail = ""
        elif minute == 30:
            tail = "半"
        else:
            tail = ("零" if minute < 10 else "") + number(minute, lang) + "分"
        return f"{zh_period}{said_hour}点{tail}"
    if minute == 0 and hour in (0, 12):
        return "twelve midnight" if hour == 0 else "twelve noon"
    if minute % 5:  # eleven fifty-nine in the morning, seven oh three in the evening
        oh = "oh " if minute < 10 else ""
        return f"{_en_int(hour % 12 or 12)} {oh}{_en_int(minute)} {en_period}"
    if minute == 0:
        return f"{_en_int(hour % 12)} o'clock {en_period}"
    said, word, towards = (minute, "past", hour) if minute <= 30 else (60 - minute, "to", hour + 1)
    said_minutes = "half" if said == 30 else EN_MINUTES[said]
    if towards % 24 == 0:
        return f"{said_minutes} {word} midnight"
    if towards == 12 and word == "to":
        return f"{said_minutes} to noon"
    return f"{said_minutes} {word} {_en_int(towards % 12 or 12)} {en_period}"


def _alnum(text: str) -> list[str]:
    """The characters worth reading, upper case; spaces, dashes and the like dropped."""
    return [ch.upper() if len(ch.upper()) == 1 else ch for ch in text if ch.isalnum()]


def _char(ch: str, lang: str) -> str:
    """One character of a phone number or code: 1 is 幺 in Mandarin; Cantonese says 一."""
    if ch not in DIGITS:
        return ch  # letters are read as themselves: G, L, X
    if not is_chinese(lang):
        return EN_ONES[int(ch)]
    return "幺" if ch == "1" and _primary(lang) != "yue" else ZH_DIGITS[int(ch)]


def _said(chars: list[str], lang: str) -> str:
    """Characters one by one: 四 零 幺 七 / four, zero, one, seven / G L."""
    letters_only = not any(ch in DIGITS for ch in chars)
    return (" " if is_chinese(lang) or letters_only else ", ").join(_char(ch, lang) for ch in chars)


def characters(code: str, lang: str) -> str:
    """GL40172953 -> G L，四 零 幺 七，二 九 五 三 / G L. four, zero, one, seven. two, nine, ...

    Grouped as kiosk.formatting.reference shows it on screen (GL 4017 2953): the leading
    letters, then the rest in fours.
    """
    chars = _alnum(code)
    head = 0
    while head < len(chars) and chars[head] not in DIGITS:
        head += 1
    groups = [chars[:head]] if head else []
    groups += [chars[i:i + 4] for i in range(head, len(chars), 4)]
    said = [_said(group, lang) for group in groups]
    return "，".join(said) if is_chinese(lang) else "".join(f"{group}. " for group in said).strip()


def digits(text: str, lang: str) -> str:
    """5678 -> 五 六 七 八 / five, six, seven, eight. Letters (X) are read as themselves."""
    return _said(_alnum(text), lang)


def count(n: int, lang: str, unit_zh: str = "个", unit_en: str = "") -> str:
    """三个 / three; unit_en is the singular, or "singular|plural": "person|people"."""
    if is_chinese(lang):
        return (_zh_counted(n) if unit_zh else number(n, lang)) + unit_zh
    singular, _, plural = unit_en.partition("|")
    unit = singular if n == 1 or not singular else (plural or singular + "s")
    return f"{number(n, lang)} {unit}" if unit else number(n, lang)
