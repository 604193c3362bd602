"""What a desk may ask of the kiosk, checked before anything happens on screen.

A desk message is parsed into one of the commands below or refused with plain words (sent
back as a `done` message with ok false). Nothing but a spoken sentence (`say`) and `end` is
taken before the citizen let the clerk see the screen; a voice `call` needs that consent too.
Sizes are bounded: a clerk's sentence is short, and a value to fill is never longer than a
citizen could type."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.remote.hooks import VOICE_KINDS

MAX_WORDS = 200  # characters of a clerk's sentence
MAX_VALUE = 200  # characters of a value to fill
TEXT_SIZES = ("normal", "large", "largest")  # kiosk.config.TEXT_SIZES (ui/theme)


class Refused(ValueError):
    """The desk asked for something the kiosk does not do now; `key` says why (i18n)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Point:
    target: str
    words: str


@dataclass(frozen=True)
class Say:
    words: str


@dataclass(frozen=True)
class Fill:
    field: str
    value: str


@dataclass(frozen=True)
class Language:
    lang: str


@dataclass(frozen=True)
class TextSize:
    size: str


@dataclass(frozen=True)
class PauseIdle:
    on: bool


@dataclass(frozen=True)
class Voice:
    message: dict  # "call" or "signal", for the voice part as it came


@dataclass(frozen=True)
class End:
    by: str  # clerk | link


@dataclass(frozen=True)
class Taken:
    clerk: str
    desk: str


Command = Point | Say | Fill | Language | TextSize | PauseIdle | Voice | End | Taken


def _text(message: dict, key: str, limit: int, required: bool = True) -> str:
    value = message.get(key, "")
    if not isinstance(value, str):
        raise Refused("remote.refused.malformed")
    value = " ".join(value.split()) if key in ("words", "clerk", "desk") else value
    if required and not value.strip():
        raise Refused("remote.refused.malformed")
    if len(value) > limit:
        raise Refused("remote.refused.too_long")
    return value


def parse(message: object, languages: tuple[str, ...] | list[str], sharing: bool) -> Command:
    """The command this desk message asks for. `languages`: those the kiosk offers;
    `sharing`: the citizen let the clerk see the screen. Raises Refused."""
    if not isinstance(message, dict) or not isinstance(message.get("kind"), str):
        raise Refused("remote.refused.malformed")
    kind = message["kind"]
    if kind == "end":
        by = message.get("by", "clerk")
        return End(by if by in ("clerk", "link") else "clerk")
    if kind == "taken":
        return Taken(_text(message, "clerk", 80), _text(message, "desk", 80, required=False))
    if kind == "say":  # words only: a clerk may explain before the citizen answers
        return Say(_text(message, "words", MAX_WORDS))
    if not sharing:
        raise Refused("remote.refused.no_consent")
    if kind in VOICE_KINDS:
        return Voice(dict(message))
    if kind == "point":
        target = _text(message, "target", 80)
        return Point(target, _text(message, "words", MAX_WORDS, required=False))
    if kind == "fill":
        value = message.get("value")
        if isinstance(value, bool | int | float):  # a number or yes/no as JSON: typed as text
            value = str(value).lower() if isinstance(value, bool) else str(value)
            message = {**message, "value": value}
        return Fill(_text(message, "field", 80), _text(message, "value", MAX_VALUE))
    if kind == "language":
        lang = message.get("lang")
        if lang not in languages:
            raise Refused("remote.refused.language")
        return Language(lang)
    if kind == "text_size":
        size = message.get("size")
        if size not in TEXT_SIZES:
            raise Refused("remote.refused.size")
        return TextSize(size)
    if kind == "pause_idle":
        on = message.get("on")
        if not isinstance(on, bool):
            raise Refused("remote.refused.malformed")
        return PauseIdle(on)
    raise Refused("remote.refused.kind")
