"""Text clean-up and masking shared by the field validators (kiosk.fields re-exports these).

`normalise` turns what an on-screen keyboard or an input method hands over into one canonical
form: full-width digits and letters become ASCII, invisible characters go, runs of spaces become
one, and spaces next to Chinese characters are dropped (Chinese is written without them).
"""

from __future__ import annotations

import re
import unicodedata

# Control, format (zero-width space, BOM, bidi marks, soft hyphen) and lone surrogate characters.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
# Han ideographs, radicals and CJK punctuation. None of these combines with a following mark,
# so dropping a space next to one never changes what NFKC would make of the text.
_CJK = (
    "\u2e80-\u2fdf\u3001-\u3029\u3030-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_SPACE_BY_CJK = re.compile(f" (?=[{_CJK}])|(?<=[{_CJK}]) ")
# Spaces and the dashes people type inside numbers, full-width ones included.
SEPARATORS = re.compile("[ \\-\u2010-\u2015\u2212\uff0d]")


def _fold(ch: str) -> str:
    """Full-width (and other compatibility) letters, digits and spaces become plain ASCII.
    Chinese punctuation stays: "北京市，朝阳区" is correct Chinese, not a typing slip."""
    folded = unicodedata.normalize("NFKC", ch)
    if folded.isascii() and (folded.isalnum() or folded.isspace()):
        return folded
    return ch


def normalise(raw: str, numeric: bool = False) -> str:
    """The canonical form of typed text; anything that is not text normalises to "".

    `numeric` folds every compatibility character (１２０．５, ￥, －) for numbers, codes and
    amounts, where nothing Chinese can be meant."""
    if not isinstance(raw, str):
        return ""
    text = "".join(ch for ch in raw if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE)
    if numeric:
        text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFC", "".join(_fold(ch) for ch in text))
    text = " ".join(text.split())
    return _SPACE_BY_CJK.sub("", text)


def _mask(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def mask_id(number: str) -> str:
    """An ID number for speech and receipts: "110***********002X" (first 3 and last 4 shown)."""
    return _mask(str(number), 3, 4)


def mask_phone(number: str) -> str:
    """A phone number for speech and receipts: "138****5678". A +86 prefix is dropped."""
    return _mask(str(number).removeprefix("+86"), 3, 4)
