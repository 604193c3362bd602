"""The one way to carry words to a person: `Message(key, **params)`, and `KioskError`.

A message is an i18n key and its parameters, turned into words only when shown:
`message.text(lang)` in any language (through `kiosk.i18n.tr`), `str(message)` in English for
logs and the command line. A parameter may itself be a message (or anything with `text(lang)`),
rendered in the same language.

A parameter wrapped in `Personal(...)` (a name, a phone number, an ID) is shown by `text(lang)`,
which is for the person it belongs to, but never by `str()` or `repr()`: those go to logs,
tracebacks and support bundles, where nothing personal may be written.

`KioskError` is the base of every error the kiosk explains to a person: it carries a message,
`str(error)` is its English (masked) text, and a subclass names its usual key as a class
attribute, so `raise NotFound()` needs no words at the place it is raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from kiosk.i18n import tr

WITHHELD = "[personal]"  # what str() writes instead of a personal value


class Words(Protocol):
    def text(self, lang: str) -> str: ...


class Personal:
    """A value that belongs to a citizen: shown to them, never logged."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return WITHHELD

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return WITHHELD

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Personal) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("personal", repr(self.value)))


class Message:
    """Words for a person, translated when shown.

    `Message("assist.wrong_pin", left=2)`; `Message(key, {"left": 2})` for parameters built
    elsewhere (a dict may hold names that are not Python identifiers)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: Mapping[str, object] | None = None, /,
                 **more: object) -> None:
        self.key = key
        self.params: dict[str, object] = {**(params or {}), **more}

    def text(self, lang: str) -> str:
        """The words in `lang` (English where not translated), personal values included."""
        return tr(lang, self.key, **{name: _shown(value, lang)
                                     for name, value in self.params.items()})

    def __str__(self) -> str:
        """English, for logs: personal values are withheld."""
        return tr("en", self.key, **{name: _logged(value) for name, value in self.params.items()})

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={_logged(value)!r}" for name, value in self.params.items())
        return f"Message({self.key!r}{', ' if shown else ''}{shown})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (other.key, other.params) == (self.key, self.params)

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def personal(self) -> bool:
        """Whether any part of it belongs to a citizen (then it is not said aloud unasked)."""
        return any(isinstance(value, Personal)
                   or (isinstance(value, Message) and value.personal)
                   for value in self.params.values())


def _shown(value: object, lang: str) -> object:
    if isinstance(value, Personal):
        value = value.value
    text = getattr(value, "text", None)
    return text(lang) if callable(text) and not isinstance(value, str) else value


def _logged(value: object) -> object:
    if isinstance(value, Personal):
        return WITHHELD
    if isinstance(value, Message):
        return str(value)
    text = getattr(value, "text", None)
    return text("en") if callable(text) and not isinstance(value, str) else value


class KioskError(Exception):
    """An error a person is told about in plain words: `.message`, `.text(lang)`, and
    `str()` in English for logs. `key` (class attribute) is the usual words of a subclass."""

    key = "backend.error"  # "Something went wrong on our side. Nothing you entered is lost."

    def __init__(self, key: str | Message | None = None, /, **params: object) -> None:
        if isinstance(key, Message):
            self.message = key
        else:
            self.message = Message(key or type(self).key, params)
        self.key = self.message.key  # the words of this very error (a subclass may vary them)
        self.params = self.message.params
        super().__init__(str(self.message))

    def text(self, lang: str) -> str:
        return self.message.text(lang)
