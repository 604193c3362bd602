"""What the speech engine is given: for each line of a spoken script, the voice and the text.

The one place that prepares text for speech. A line of a Chinese screen said in Cantonese takes
the dialect's own words where i18n/yue has them (kiosk.i18n.spoken_form); a Chinese line has its
digits, symbols and Latin words turned into Chinese words (kiosk.speech.say_chinese); every
line ends as a sentence, so the voice falls in pitch and pauses.
"""

from __future__ import annotations

from kiosk.i18n import language, spoken_form
from kiosk.speech.say_chinese import for_speech
from kiosk.speech.script import Script, voiced

ENDINGS = ".。!！?？:：;；,，"
CLOSERS = ")）]】」』”’\"'"  # a sentence may end inside brackets or quotes: （不会扣钱。）


def dialect_of(lang: str, dialect: str) -> str:
    """The chosen dialect where `lang` has it (yue for zh_CN), else "" (English stays English)."""
    return dialect if dialect and dialect in (language(lang).dialects or {}) else ""


def voice_for(lang: str, dialect: str = "") -> str:
    info = language(lang)
    if dialect and info.dialects and dialect in info.dialects:
        return info.dialects[dialect]["voice"]
    return info.voice


def chinese(lang: str) -> bool:
    return lang.startswith("zh") or lang == "yue"


def sentence(line: str, lang: str) -> str:
    if line.rstrip(CLOSERS)[-1:] in tuple(ENDINGS):
        return line
    return line + ("。" if chinese(lang) else ".")


def for_engine(line: str, lang: str, dialect: str = "") -> str:
    """The text the engine says for one line of `lang`, spoken in `dialect` if given."""
    if dialect:
        line = spoken_form(line, dialect)
    if chinese(lang):
        line = for_speech(line, dialect or lang)
    return sentence(line, lang) if line else ""


def engine_lines(script: Script, lang: str, personal_aloud: bool,
                 dialect: str = "") -> list[tuple[str, str]]:
    """(text, voice) for each line of the script, in order. `personal_aloud`: the citizen
    listens through a headset or chose to hear their details, so personal parts are said;
    `dialect` (yue) is how lines in the screen's own language are said."""
    dialect = dialect_of(lang, dialect)
    lines = []
    for line, line_lang in voiced(script, lang, personal_aloud, dialect):
        said_in = dialect if line_lang == lang else ""
        if text := for_engine(line, line_lang, said_in):
            lines.append((text, voice_for(line_lang, said_in)))
    return lines
