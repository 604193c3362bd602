"""Mandarin that is Mandarin, Cantonese that is Cantonese: checked on espeak-ng's own phonemes
for every catalogue text and every service text, as the engine receives them.

The screens' spoken scripts are checked the same way by tests/ui/test_chinese_speech_walk.py.
"""

from __future__ import annotations

import re

import pytest

from kiosk.i18n import _messages, language, spoken_form, tr
from kiosk.speech.engine_text import engine_lines, sentence
from kiosk.speech.phonemes import ChineseReader, han_count, phonemes
from kiosk.speech.say_chinese import for_speech
from kiosk.speech.script import money, reference
from kiosk.speech.synth import Synthesiser, SynthesisError
from tests.kiosk.chinese_texts import (
    CANTONESE,
    MANDARIN,
    YUE,
    ZH,
    catalogue,
    engine_texts,
    english_words,
    service_texts,
    symbols,
)


@pytest.fixture(scope="module")
def mandarin_texts() -> list[str]:
    return engine_texts(catalogue(ZH) + service_texts())


@pytest.fixture(scope="module")
def cantonese_texts() -> list[str]:
    # the screens are written Chinese, said through the dialect's own words where it has them;
    # what the speech code asks of the yue catalogue directly (speech.on_screen) is there too
    return engine_texts(catalogue(ZH) + service_texts(), YUE) + engine_texts(catalogue(YUE))


def _unread(reader: ChineseReader, texts: list[str]) -> list[str]:
    return [f"{r.text!r}: {r.problem} [{r.phonemes}]" for r in reader.read(texts) if r.problem]


def test_the_mandarin_voice_reads_every_text_as_mandarin(mandarin_texts):
    assert len(mandarin_texts) > 650  # the whole catalogue and every service
    assert _unread(ChineseReader(MANDARIN), mandarin_texts) == []


def test_the_cantonese_voice_reads_every_text_as_cantonese(cantonese_texts):
    assert len(cantonese_texts) > 650
    assert _unread(ChineseReader(CANTONESE), cantonese_texts) == []


def test_no_english_word_digit_or_symbol_reaches_a_chinese_voice(mandarin_texts,
                                                                  cantonese_texts):
    for text in mandarin_texts + cantonese_texts:
        assert english_words(text) == [], text
        assert symbols(text) == [], text  # digits, %, ¥, /, :, - all said in words


def test_the_check_rejects_the_old_voice():
    """sit/cmn (espeak-ng issue 1236) reads Han as English pinyin with the tone said aloud."""
    reader = ChineseReader("sit/cmn")
    (said,) = reader.read(["办好了。"])
    assert said.phonemes.startswith("(en)")
    assert "read in another language" in said.problem
    texts = engine_texts(catalogue(ZH)[:200])
    assert len(_unread(reader, texts)) > 0.9 * len(texts)


def test_the_check_counts_syllables_not_only_language_switches():
    """A dropped or doubled syllable fails too: espeak says nothing for ¥ and 0 of 08:30."""
    reader = ChineseReader(MANDARIN)
    raw, prepared = reader.read(["¥30，08:30。", for_speech("¥30，08:30。", ZH)])
    assert raw.problem  # 三十 八 三十: five syllables for no Han character at all
    assert prepared.problem == "" and han_count(prepared.text) == 8  # 三十元，上午八点半
    assert reader.read(["办好了。"])[0].problem == ""
    assert "syllables" in reader.verdict("办好了。", "p'a51n_| X'Au214_|")


@pytest.mark.parametrize(("text", "said"), [
    ("50%的人", "百分之五十的人"),
    ("¥30", "三十元"),
    ("￥12.50元", "十二元五角"),
    ("08:30", "上午八点半"),
    ("08:30-17:00", "上午八点半到下午五点"),
    ("2026-11-23", "二〇二六年十一月二十三日"),
    ("3-5天", "三到五天"),
    ("8到12位数字", "八到十二位数字"),
    ("他/她", "他或她"),
    ("2个", "两个"),
    ("2月", "二月"),
    ("第2项", "第二项"),
    ("1,200元", "一千二百元"),
    ("13812345678", "幺三八幺二三四五六七八"),
    ("PDF 文件", "P D F 文件"),
    ("centre-12-a", "C E N T R E 杠十二杠 A"),
    ("✓ 已完成", "已完成"),
    ("尾号6789的手机", "尾号六七八九的手机"),
    ("比如 1234 或 4321", "比如 幺二三四 或 四三二幺"),
    ("（5 到 3600）", "（五到三千六百）"),
    ("2026年", "二〇二六年"),
    ("3600秒", "三千六百秒"),
    ("幸福路12号3单元401", "幸福路十二号三单元四零幺"),
    ("139 1234 5678", "幺三九幺二三四五六七八"),
    ("138****5678", "幺三八 五六七八"),
    ("王**", "王某某"),
    ("语言 / Language", "语言"),
    ("说粤语", "说广东话"),  # espeak-ng 1.51's Mandarin says 粤语 as yue yu yu
])
def test_symbols_inside_chinese_are_said_in_chinese(text, said):
    assert for_speech(text, ZH) == said


def test_a_sentence_ending_inside_brackets_is_not_ended_again():
    assert sentence("我要交。（不会扣钱。）", ZH) == "我要交。（不会扣钱。）"
    assert sentence("好（演示）", ZH) == "好（演示）。"


def test_cantonese_says_one_as_yat_not_yao():
    assert for_speech("13812345678", YUE) == "一三八一二三四五六七八"


def test_the_voices_are_chosen_deliberately():
    assert MANDARIN == "sit/cmn-latn-pinyin" and CANTONESE == "sit/yue"
    assert phonemes(["办好了"], MANDARIN) == ["p'a51n_| X'Au214_| l'@11_|"]
    assert phonemes(["办好了"], CANTONESE) == ["b'aa6n_| h'ou2_| l'iu5_|"]


# --- Cantonese never falls back to English ---------------------------------------------------

def test_cantonese_falls_back_to_chinese_never_to_english():
    assert tr(YUE, "speech.on_screen") == "呢一项请睇屏幕。"
    for key in _messages("en"):
        if key in _messages(ZH):
            assert tr(YUE, key) in (_messages(YUE).get(key), _messages(ZH)[key]), key


def test_the_cantonese_catalogue_matches_the_chinese_one():
    """Every Cantonese phrase replaces a Chinese text and takes the same parameters."""
    def fields(text: str) -> set[str]:
        return set(re.findall(r"\{([^}]*)\}", text))

    zh, yue = _messages(ZH), _messages(YUE)
    assert len(yue) > 80
    for key, said in yue.items():
        assert key in zh, key
        assert fields(said) == fields(zh[key]), key
        assert said != zh[key], f"{key}: the same as the written text; leave it out"


def test_a_chinese_screen_line_is_said_in_colloquial_cantonese():
    written = tr(ZH, "identity.code_sent", ending="五 六 七 八")
    assert spoken_form(written, YUE) == "我哋发咗一条短讯去你尾号五 六 七 八嘅手机，入面有6个数字。"
    assert spoken_form("一句屏幕上的话", YUE) == "一句屏幕上的话"
    lines = engine_lines([tr(ZH, "confirm.heading"), money("120.5", personal=True),
                          reference("GL40172953", personal=True)], ZH, False, YUE)
    assert lines == [("搞掂，我哋已经收到你嘅申请。", CANTONESE), ("呢一项请睇屏幕。", CANTONESE),
                     ("呢一项请睇屏幕。", CANTONESE), (tr(YUE, "speech.withheld_offer"), CANTONESE)]


def test_an_english_screen_is_not_said_in_cantonese_even_if_chosen():
    assert engine_lines(["Hello", money("12.5")], "en", False, YUE) == [
        ("Hello.", language("en").voice), ("twelve yuan and fifty fen.", language("en").voice)]


def test_the_synthesiser_speaks_with_exactly_the_voice_asked_for(tmp_path):
    """pyttsx3 lists espeak's voices by lower-case id; a name that espeak matches to another
    voice ("yue" is sit/yue's name) is refused, so no text is read by a voice nobody chose."""
    synth = Synthesiser()
    try:
        assert synth.available()
        assert MANDARIN in synth.voices and CANTONESE in synth.voices
        said = synth.to_file("办好了。", tmp_path / "zh.wav", MANDARIN, 135, 0.7)
        assert said.stat().st_size > 10_000
        with pytest.raises(SynthesisError, match="the engine used the voice sit/yue, not yue"):
            synth.to_file("办好了。", tmp_path / "yue.wav", "yue", 135, 0.7)
    finally:
        synth.close()
