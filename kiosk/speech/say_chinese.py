"""Chinese text made ready for a Chinese voice: digits, symbols and Latin words said in Chinese.

A Chinese voice says 50% as "fifty percent" in English, drops ¥ and the 0 of 08:30, and reads a
Latin word as pinyin or switches to English for it. So before a Chinese line reaches the engine,
every number, time, date, amount and symbol becomes the words a person would say (50% ->
百分之五十, ¥30 -> 三十元, 08:30 -> 上午八点半, 3-5 -> 三到五, 他/她 -> 他或她) and a Latin word
is spelled out letter by letter (PDF -> P D F), as Chinese speakers say such names. The words
come from kiosk.speech.spoken, which the spoken scripts use too.
"""

from __future__ import annotations

import re
from datetime import date, time

from kiosk.speech import spoken

__all__ = ["for_speech"]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_HAN = r"[\u3400-\u9fff]"
# a lone 2 before these is 两 (两个, 两天), elsewhere 二 (二月, 第二)
_MEASURES = "个位种次天年份张条项岁周页元角分块本件"
_SYMBOLS = {"%": "百分比", "/": "斜杠", "-": "杠", "_": "下划线", ".": "点", "@": "艾特",
            "+": "加", "#": "井号", "&": "和", "=": "等于", "*": "星号", "~": "到"}
_DROPPED = "\"'[]{}<>|\\`^✓"
_PAUSE = {":": "：", ";": "；", ",": "，", "!": "！", "?": "？", "(": "（", ")": "）"}


def _clock(match: re.Match, lang: str) -> str:
    return spoken.clock(time(int(match["h"]), int(match["m"])), lang)


def _day(match: re.Match, lang: str) -> str:
    said = spoken.day(date(int(match["y"]), int(match["mo"]), int(match["d"])), lang)
    return said + (_clock(match, lang) if match["h"] else "")


def _number(text: str, lang: str, after: str = "", before: str = "") -> str:
    if re.fullmatch(r"0\d+|\d{5,}", text):  # a code or phone number: digit by digit
        return "".join(spoken.digits(text, lang).split())
    if text == "2" and after[:1] in _MEASURES and before != "第":
        return "两"
    return spoken.number(text, lang)


def _numbers(match: re.Match, lang: str) -> str:
    text, source, end = match[0], match.string, match.end()
    before = source[match.start() - 1] if match.start() else ""
    return _number(text, lang, source[end:end + 1], before)


def _letters(match: re.Match) -> str:
    return " " + " ".join(match[0].upper()) + " "


def _symbol(match: re.Match) -> str:
    ch, source, at = match[0], match.string, match.start()
    between_han = bool(re.search(_HAN + r"\s*$", source[:at])
                       and re.match(r"\s*" + _HAN, source[at + 1:]))
    if ch == "/" and between_han:
        return "或"  # 他/她
    if ch in "-~" and between_han:
        return "到"  # 上午八点半-下午五点
    if ch in _PAUSE:
        return _PAUSE[ch]
    if ch in _DROPPED:
        return " "
    return _SYMBOLS.get(ch, " ")


_RULES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"(?<!\d)(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
                r"(?:\s*(?P<h>\d{1,2}):(?P<m>\d{2}))?(?!\d)"), _day),
    (re.compile(r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])"), _clock),
    (re.compile(rf"[¥￥]\s*(?P<n>{_NUMBER})(?:\s*元)?|(?P<m>{_NUMBER})\s*元"),
     lambda m, lang: spoken.money(m["n"] or m["m"], lang)),
    (re.compile(rf"(?P<n>{_NUMBER})\s*[%％]"),
     lambda m, lang: "百分之" + spoken.number(m["n"], lang)),
    (re.compile(r"(?<![\d-])(?P<a>[1-9]\d{0,3})\s*[-~～–—]\s*(?P<b>[1-9]\d{0,3})(?![\d-])"),
     lambda m, lang: f"{spoken.number(m['a'], lang)}到{spoken.number(m['b'], lang)}"),
    (re.compile(_NUMBER), _numbers),
]
_LATIN = re.compile(r"[A-Za-z]+")
_SYMBOL = re.compile(r"_|[^\w\s\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019]")


def for_speech(text: str, lang: str) -> str:
    """The words a Chinese voice should be given for `text` (lang: zh_CN or yue)."""
    for pattern, said in _RULES:
        text = pattern.sub(lambda match, said=said: said(match, lang), text)
    text = _LATIN.sub(_letters, text)
    text = _SYMBOL.sub(_symbol, text)
    return re.sub(r"\s+", " ", text).strip()
