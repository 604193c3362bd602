"""Writing Chinese without a keyboard: handwriting (zinnia) and pinyin (libpinyin), both
through thin ctypes bindings to the Debian libraries, so the core stays free of Qt."""

from __future__ import annotations

from kiosk.i18n import tr


class InputUnavailable(Exception):
    """A writing method cannot work on this machine; `key` and `params` say why (i18n)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(tr("en", key, **params))
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        return tr(lang, self.key, **self.params)
