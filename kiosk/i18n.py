"""The one translation call: `tr(lang, key, **params)`.

Each language is a folder under i18n/ holding `language.json` (its own name, text direction,
speech voice, spoken dialects) and any number of `*.json` files of key -> text, merged. A new
language is a new folder, no code change. Missing keys fall back to English so a half-done
translation still works.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
FALLBACK = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # the language's name in itself: what a speaker looks for
    direction: str = "ltr"
    voice: str = ""  # the speech engine's voice (espeak-ng names: sit/cmn, gmw/en)
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


def tr(lang: str, key: str, **params: object) -> str:
    text = _messages(lang).get(key) or _messages(FALLBACK).get(key)
    if text is None:
        raise KeyError(f"no text for {key!r}")
    return text.format(**params) if params else text


@cache
def fixed_texts() -> frozenset[str]:
    """Every text in every language that takes no values: words the same for everyone (the
    speech service may keep their audio; nothing a person typed or owns can be among them)."""
    return frozenset(text for lang in languages() for text in _messages(lang.code).values()
                     if "{" not in text)
