"""A spoken script: what a screen says, with values tagged so they are said the way people say
them and personal ones are masked through a loudspeaker.

Screens build scripts from the same data that draws them; `render` is the one place that
decides how each part is spoken and what stays private.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from kiosk.i18n import tr
from kiosk.speech import spoken


@dataclass(frozen=True)
class Part:
    kind: str  # text | money | date | time | reference | number | digits
    value: object
    personal: bool = False  # masked unless the citizen listens privately (headset)
    lang: str = ""  # said in this language's voice, not the screen's (the language menu)


Script = list["str | Part"]


def money(value: str | Decimal, personal: bool = False) -> Part:
    return Part("money", str(value), personal)


def day(value: str | date, personal: bool = False) -> Part:
    return Part("date", value, personal)


def clock(value: datetime) -> Part:
    return Part("time", value)


def reference(value: str, personal: bool = False) -> Part:
    return Part("reference", value, personal)


def private(text: str) -> Part:
    """Personal text (a name, an address): said only through a headset."""
    return Part("text", text, personal=True)


def speech_lang(lang: str, dialect: str = "") -> str:
    """The language whose spoken forms apply: a dialect of it (yue) where one is chosen."""
    return dialect or lang


def _say(part: Part, lang: str) -> str:
    value = part.value
    if part.kind == "money":
        return spoken.money(str(value), lang)
    if part.kind == "date":
        return spoken.day(date.fromisoformat(value) if isinstance(value, str) else value, lang)
    if part.kind == "time":
        return spoken.clock(value, lang)
    if part.kind == "reference":
        return spoken.characters(str(value), lang)
    if part.kind == "number":
        return spoken.number(value, lang)
    if part.kind == "digits":
        return spoken.digits(str(value), lang)
    return str(value)


def _masked(part: Part, lang: str) -> str:
    if part.kind in ("reference", "digits") and any(ch.isdigit() for ch in str(part.value)):
        return spoken.ending(str(part.value), lang)
    return tr(lang, "speech.on_screen")


def in_language(text: str, lang: str) -> Part:
    return Part("text", text, lang=lang)


def voiced(script: Script, lang: str, private_listening: bool,
           dialect: str = "") -> list[tuple[str, str]]:
    """(sentence, language) to speak, in order; empty lines dropped. `dialect` (yue) is how
    lines in the screen's own language are said."""
    lines = []
    for item in script:
        line_lang = item.lang or lang if isinstance(item, Part) else lang
        said_in = speech_lang(line_lang, dialect if line_lang == lang else "")
        if isinstance(item, Part):
            text = _say(item, said_in) if private_listening or not item.personal \
                else _masked(item, said_in)
        else:
            text = item
        if text and text.strip():
            lines.append((text.strip(), line_lang))
    return lines


def render(script: Script, lang: str, private_listening: bool, dialect: str = "") -> list[str]:
    """The sentences to speak, in order; empty lines dropped."""
    return [text for text, _ in voiced(script, lang, private_listening, dialect)]
