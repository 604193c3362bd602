"""The one translation call: `tr(lang, key, **params)`.

Each language is a folder under i18n/ holding `language.json` (its own name, text direction,
speech voice, spoken dialects) and any number of `*.json` files of key -> text, merged. A new
language is a new folder, no code change. Missing keys fall back to English so a half-done
translation still works.

A spoken dialect (yue, declared in zh_CN/language.json) is a folder of `*.json` without a
`language.json`: the phrases said differently from the written language. Its missing keys fall
back to the language it is a dialect of, so Cantonese speech falls back to Chinese, not English.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from kiosk.resources import resource

I18N_DIR = resource("i18n")
FALLBACK = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # the language's name in itself: what a speaker looks for
    direction: str = "ltr"
    voice: str = ""  # the speech engine's voice: pyttsx3's id (sit/cmn-latn-pinyin, gmw/en)
    dialects: dict[str, dict[str, str]] | None = None  # other spoken forms: {"yue": {name, voice}}


@cache
def languages() -> tuple[Language, ...]:
    found = []
    for meta in sorted(I18N_DIR.glob("*/language.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.append(Language(code=meta.parent.name, **data))
    return tuple(found)


def language(code: str) -> Language:
    for lang in languages():
        if lang.code == code:
            return lang
    raise KeyError(code)


@cache
def _messages(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((I18N_DIR / lang).glob("*.json")):
        if path.name != "language.json":
            merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def has(lang: str, key: str) -> bool:
    return key in _messages(lang)


def written(dialect: str) -> str:
    """The language a dialect is spoken form of (yue -> zh_CN); a language is its own."""
    return next((lang.code for lang in languages() if dialect in (lang.dialects or {})), dialect)


def counted(lang: str, key: str, count: object) -> str:
    """The key for a text about `count` things: `key.one` where the language has a singular
    form ("1 digit", not "1 digits"); Chinese needs none, so it has no `.one` keys."""
    one = f"{key}.one"
    if count == 1 and not isinstance(count, bool) and (
            one in _messages(lang) or one in _messages(written(lang))):
        return one
    return key


def tr(lang: str, key: str, **params: object) -> str:
    """The text for `key`; a {count} or {n} in `params` picks the singular form where one exists."""
    if "count" in params or "n" in params:
        key = counted(lang, key, params.get("count", params.get("n")))
    text = _messages(lang).get(key) or _messages(written(lang)).get(key) \
        or _messages(FALLBACK).get(key)
    if text is None:
        raise KeyError(f"no text for {key!r}")
    return text.format(**params) if params else text


@cache
def _spoken_forms(dialect: str) -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    """The written language's texts that the dialect says differently: exact texts, and
    patterns for texts with parameters ({count} -> (?P<count>.+?))."""
    base = _messages(written(dialect))
    exact, patterns = {}, []
    for key, said in _messages(dialect).items():
        text = base.get(key)
        if text is None:
            continue
        if "{" not in text:
            exact[text] = said
            continue
        seen: set[str] = set()

        def group(match: re.Match, seen: set[str] = seen) -> str:
            name = match[1]
            safe = re.sub(r"\W", "_", name)
            if safe in seen:
                return f"(?P={safe})"
            seen.add(safe)
            return f"(?P<{safe}>.+?)"

        pieces = re.split(r"(\{[^}]*\})", text)
        pattern = "".join(re.sub(r"\{([^}:!]*)[^}]*\}", group, piece) if piece.startswith("{")
                          else re.escape(piece) for piece in pieces)
        patterns.append((re.compile(pattern), re.sub(r"\{([^}]*)\}",
                                                     lambda m: "{" + re.sub(r"\W", "_", m[1])
                                                     + "}", said)))
    return exact, patterns


def spoken_form(text: str, dialect: str) -> str:
    """How the dialect says a text of its written language's catalogue: 已经办好了 becomes
    Cantonese 已經搞掂咗 where i18n/yue has its own words for it; any other text is unchanged."""
    exact, patterns = _spoken_forms(dialect)
    if text in exact:
        return exact[text]
    for pattern, said in patterns:
        if match := pattern.fullmatch(text):
            return said.format(**match.groupdict())
    return text


@cache
def fixed_texts() -> frozenset[str]:
    """Every text in every language that takes no values: words the same for everyone (the
    speech service may keep their audio; nothing a person typed or owns can be among them)."""
    return frozenset(text for lang in languages() for text in _messages(lang.code).values()
                     if "{" not in text)
