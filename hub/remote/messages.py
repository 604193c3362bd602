"""The live channel's messages (docs/remote-help.md, the contract REMOTE.md): each kind with
the fields it must have, checked before anything is relayed. A refusal says, in plain words,
what was wrong; it never repeats a value (a filled value is a citizen's data)."""

from __future__ import annotations

import json
from typing import Any

from hub.errors import ApiError, invalid
from kiosk.config import TEXT_SIZES

LANGUAGES = ("zh_CN", "yue", "en")
MAX_WORDS = 300  # a sentence or two
MAX_VALUE = 500
MAX_ID = 100
MAX_SCREEN_BYTES = 16 * 1024  # a screen model is a few kB; a rural link carries it
MAX_SIGNAL_BYTES = 16 * 1024  # an SDP offer is a few kB
MAX_BATCH = 50

# What a clerk may send; `taken` comes from the hub itself when the call is taken.
DESK_KINDS = ("point", "say", "fill", "language", "text_size", "pause_idle", "call", "signal",
              "end")
KIOSK_KINDS = ("consent", "screen", "done", "signal", "end")
# Before the citizen lets the clerk see the screen, a clerk may only speak words or end.
BEFORE_CONSENT = ("say", "end")


def _text(message: dict, name: str, longest: int, required: bool = True) -> str:
    value = message.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(f"A {message['kind']} message needs {name} as text.")
    if len(value) > longest or any(not ch.isprintable() and ch != " " for ch in value):
        raise invalid(f"The {name} of a {message['kind']} message must be one line of at "
                      f"most {longest} readable characters.")
    return value


def _choice(message: dict, name: str, choices: tuple[str, ...]) -> str:
    value = message.get(name)
    if value not in choices:
        raise invalid(f"The {name} of a {message['kind']} message must be one of "
                      f"{', '.join(choices)}.")
    return value


def _switch(message: dict, name: str) -> bool:
    value = message.get(name)
    if not isinstance(value, bool):
        raise invalid(f"The {name} of a {message['kind']} message must be true or false.")
    return value


def _object(message: dict, name: str, largest: int) -> dict:
    value = message.get(name)
    if not isinstance(value, dict):
        raise invalid(f"A {message['kind']} message needs {name} as a JSON object.")
    if len(json.dumps(value, ensure_ascii=False).encode("utf-8")) > largest:
        raise ApiError(413, "too_large", f"The {name} of a {message['kind']} message is larger "
                       f"than {largest // 1024} KiB.")
    return value


def _kind(message: Any, kinds: tuple[str, ...], side: str) -> str:
    if not isinstance(message, dict):
        raise invalid("Each message must be a JSON object with a kind.")
    kind = message.get("kind")
    if kind not in kinds:
        raise invalid(f"{side} may send messages of these kinds only: {', '.join(kinds)}.",
                      "unknown_kind")
    return kind


def desk_message(message: Any) -> dict[str, Any]:
    """A clerk's message, checked, with only the fields its kind has."""
    kind = _kind(message, DESK_KINDS, "A desk")
    if kind == "point":
        return {"kind": kind, "target": _text(message, "target", MAX_ID),
                "words": _text(message, "words", MAX_WORDS, required=False)}
    if kind == "say":
        return {"kind": kind, "words": _text(message, "words", MAX_WORDS)}
    if kind == "fill":
        return {"kind": kind, "field": _text(message, "field", MAX_ID),
                "value": _text(message, "value", MAX_VALUE, required=False)}
    if kind == "language":
        return {"kind": kind, "lang": _choice(message, "lang", LANGUAGES)}
    if kind == "text_size":
        return {"kind": kind, "size": _choice(message, "size", TEXT_SIZES)}
    if kind == "pause_idle":
        return {"kind": kind, "on": _switch(message, "on")}
    if kind == "signal":
        return {"kind": kind, "data": _object(message, "data", MAX_SIGNAL_BYTES)}
    if kind == "end":
        return {"kind": kind, "by": "clerk"}
    return {"kind": kind}  # call


def kiosk_message(message: Any) -> dict[str, Any]:
    """A kiosk's message, checked, with only the fields its kind has."""
    kind = _kind(message, KIOSK_KINDS, "A kiosk")
    if kind == "consent":
        return {"kind": kind, "see": _switch(message, "see"),
                "personal": bool(message.get("personal") is True)}
    if kind == "screen":
        return {"kind": kind, "model": _object(message, "model", MAX_SCREEN_BYTES)}
    if kind == "done":
        ref = message.get("ref")
        if isinstance(ref, bool) or not isinstance(ref, int):
            raise invalid("A done message needs ref: the seq of the desk's message.")
        return {"kind": kind, "ref": ref, "ok": _switch(message, "ok"),
                "message": _text(message, "message", MAX_WORDS, required=False)}
    if kind == "signal":
        return {"kind": kind, "data": _object(message, "data", MAX_SIGNAL_BYTES)}
    return {"kind": kind, "by": _choice(message, "by", ("citizen", "visit", "link"))}


def kiosk_batch(body: Any) -> list[dict[str, Any]]:
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_BATCH:
        raise invalid(f'The body must be {{"messages": [...]}} with 1 to {MAX_BATCH} messages.')
    return [kiosk_message(message) for message in messages]
