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
# words espeak-ng 1.51's Mandarin voice misreads, found by the phoneme test: 粤语 is said
# "yue yu yu"; 广东话 means the same and is said right
_MANDARIN_MISREAD = {"粤语": "广东话"}
_UNITS = _MEASURES + "年月日号秒钟字人米克斤万亿千百点级步"
_CODE_BEFORE = ("尾号", "号码", "编号", "密码", "证码")  # said one digit at a time after these
_ROOM_BEFORE = "元栋楼座"  # 3单元401: 三单元四零幺
_YEAR_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
_SYMBOLS = {"%": "百分比", "/": "斜杠", "-": "杠", "_": "下划线", ".": "点", "@": "艾特",
            "+": "加", "#": "井号", "&": "和", "=": "等于", "~": "到"}
_DROPPED = "\"'[]{}<>|\\`^✓*"
_PAUSE = {":": "：", ";": "；", ",": "，", "!": "！", "?": "？", "(": "（", ")": "）"}


def _clock(match: re.Match, lang: str) -> str:
    return spoken.clock(time(int(match["h"]), int(match["m"])), lang)


def _day(match: re.Match, lang: str) -> str:
    said = spoken.day(date(int(match["y"]), int(match["mo"]), int(match["d"])), lang)
    return said + (_clock(match, lang) if match["h"] else "")


def _one_by_one(text: str, lang: str) -> str:
    return "".join(spoken.digits(text, lang).split())


def _number(text: str, lang: str, after: str = "", before: str = "") -> str:
    """A number as said in its place: codes, phone endings, years and room numbers digit by
    digit (尾号六七八九, 二〇二六年, 四零幺室), amounts and counts as numbers (十二个)."""
    whole = "," not in text and "." not in text
    unit, room = after and after in _UNITS, before and before[-1] in _ROOM_BEFORE
    if whole and len(text) == 4 and after == "年":
        return text.translate(_YEAR_DIGITS)
    if whole and (re.fullmatch(r"0\d+|\d{5,}", text) or before.endswith(_CODE_BEFORE)
                  or (len(text) == 4 and not unit)
                  or (len(text) >= 3 and (room or after == "室"))):
        return _one_by_one(text, lang)
    if text == "2" and after and after in _MEASURES and not before.endswith("第"):
        return "两"
    return spoken.number(text, lang)


def _numbers(match: re.Match, lang: str) -> str:
    source, start, end = match.string, match.start(), match.end()
    return _number(match[0], lang, source[end:end + 1], source[max(0, start - 2):start])


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
    # 语言 / Language: the English beside the Chinese is for the eye, not for a Chinese voice
    (re.compile(rf"(?<={_HAN})\s*/\s*[A-Za-z][A-Za-z' ]*(?![\w'])"
                rf"|(?<![\w'])[A-Za-z][A-Za-z' ]*\s*/\s*(?={_HAN})"), lambda m, lang: ""),
    # a masked number (138****5678): the digits shown, one at a time
    (re.compile(r"\d*\*+\d+|\d+\*+\d*"),
     lambda m, lang: " ".join(_one_by_one(part, lang) for part in re.findall(r"\d+", m[0]))),
    # a masked name (王**) is 王某某; other masks are not read out
    (re.compile(rf"(?<={_HAN})\*+"), lambda m, lang: "某某"),
    # a phone number in groups (139 1234 5678): one digit at a time, as people read it
    (re.compile(r"(?<![\d.,])\d{3,4}(?:[ -]\d{3,4}){1,3}(?![\d.,])"),
     lambda m, lang: _one_by_one(re.sub(r"\D", "", m[0]), lang)),
    (re.compile(r"(?<!\d)(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
                r"(?:\s*(?P<h>\d{1,2}):(?P<m>\d{2}))?(?!\d)"), _day),
    (re.compile(r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])"), _clock),
    (re.compile(rf"[¥￥]\s*(?P<n>{_NUMBER})(?:\s*元)?|(?P<m>{_NUMBER})\s*元"),
     lambda m, lang: spoken.money(m["n"] or m["m"], lang)),
    (re.compile(rf"(?P<n>{_NUMBER})\s*[%％]"),
     lambda m, lang: "百分之" + spoken.number(m["n"], lang)),
    (re.compile(r"(?<![\d-])(?P<a>[1-9]\d{0,3})\s*[-~～–—到至]\s*(?P<b>[1-9]\d{0,3})(?![\d-])"),
     lambda m, lang: f"{spoken.number(m['a'], lang)}到{spoken.number(m['b'], lang)}"),
    (re.compile(_NUMBER), _numbers),
]
_LATIN = re.compile(r"[A-Za-z]+")
_SYMBOL = re.compile(r"_|[^\w\s\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019]")


def for_speech(text: str, lang: str) -> str:
    """The words a Chinese voice should be given for `text` (lang: zh_CN or yue)."""
    if lang != "yue":
        for word, said in _MANDARIN_MISREAD.items():
            text = text.replace(word, said)
    for pattern, said in _RULES:
        text = pattern.sub(lambda match, said=said: said(match, lang), text)
    text = _LATIN.sub(_letters, text)
    text = _SYMBOL.sub(_symbol, text)
    return re.sub(r"\s+", " ", text).strip()
