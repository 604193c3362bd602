"""Every script the kiosk speaks on a Chinese visit, read by the real voices: the tour's walk
through every service and every screen it reaches, with what each screen says on opening,
on errors, help, the timeout warning and the rating, through a loudspeaker and a headset, in
Mandarin and in Cantonese.

The scripts are taken where the kiosk hands them to its voice; what the engine gets for each
is made by kiosk.speech.engine_text (as the speech service makes it), and espeak-ng's phonemes
for it are checked by kiosk.speech.phonemes.
"""

from __future__ import annotations

import pytest

from kiosk.settings import Settings
from kiosk.speech.engine_text import engine_lines
from kiosk.speech.phonemes import ChineseReader
from kiosk.speech.player import Player
from kiosk.speech.script import Script
from kiosk.speech.service import SpeechService
from tests.conftest import DAY
from tests.kiosk.chinese_texts import CANTONESE, MANDARIN, YUE, ZH, english_words, symbols
from ui.launch import WINDOW_SIZE, demo_kiosk
from ui.tour import visit_every_screen
from ui.voice import QtVoice


class ScriptRecorder(QtVoice):
    """The kiosk's voice, keeping each script it is asked to say instead of synthesising it."""

    def __init__(self) -> None:
        super().__init__(SpeechService(player=Player(None)))
        self.scripts: list[tuple[Script, str]] = []

    def say(self, script: Script, lang: str, cue: str = "") -> list[int]:
        self.scripts.append((list(script), lang))
        return []


@pytest.fixture(scope="module")
def said(qapp, tmp_path_factory) -> dict[str, list[str]]:
    """voice -> the engine texts of a whole Chinese visit (both listening modes, both dialects)."""
    voice = ScriptRecorder()
    kiosk = demo_kiosk(Settings(idle_timeout_s=3600, headset_fitted=True,
                                data_dir=str(tmp_path_factory.mktemp("kiosk-walk"))),
                       today=DAY, voice=voice)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    try:
        screens: list[str] = []
        visit_every_screen(kiosk, ZH, "normal", screens.append)
    finally:
        kiosk.shutdown()
        voice.close()
    assert len(screens) > 30 and len(voice.scripts) > 40
    by_voice: dict[str, set[str]] = {}
    for script, lang in voice.scripts:
        for private in (False, True):
            for dialect in ("", YUE):
                for text, engine_voice in engine_lines(script, lang, private, dialect):
                    by_voice.setdefault(engine_voice, set()).add(text)
    return {v: sorted(texts) for v, texts in by_voice.items()}


def _unread(voice: str, texts: list[str]) -> list[str]:
    return [f"{r.text!r}: {r.problem} [{r.phonemes}]" for r in ChineseReader(voice).read(texts)
            if r.problem]


def test_every_screen_script_is_said_in_mandarin(said):
    assert len(said[MANDARIN]) > 150
    assert _unread(MANDARIN, said[MANDARIN]) == []


def test_every_screen_script_is_said_in_cantonese(said):
    assert len(said[CANTONESE]) > 150
    assert _unread(CANTONESE, said[CANTONESE]) == []


def test_no_english_word_or_symbol_reaches_a_chinese_voice_on_any_screen(said):
    for text in said[MANDARIN] + said[CANTONESE]:
        assert english_words(text) == [], text
        assert symbols(text) == [], text
    assert "That is shown on the screen." not in " ".join(said[CANTONESE])


def test_the_same_walk_in_the_old_voice_is_rejected(said):
    """The check that passes above fails on sit/cmn, which reads Han as English pinyin."""
    texts = said[MANDARIN]
    assert len(_unread("sit/cmn", texts)) > 0.9 * len(texts)
