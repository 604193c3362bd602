"""The real recogniser (zinnia and its Tegaki model) and the real pinyin engine (libpinyin):
hand-written stroke files must come back with their character in the first five."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.diagnostics import writing_checks
from kiosk.input import InputUnavailable
from kiosk.input.handwriting import SAMPLE, Recogniser, load_strokes, recogniser
from kiosk.input.pinyin import Pinyin, pinyin
from tests.input.strokes import CHARACTERS, FOLDER, stroke_file

ROOT = Path(__file__).resolve().parents[2]


def test_there_are_stroke_files_for_twenty_characters():
    files = {path.stem for path in FOLDER.glob("*.json")}
    assert files == set(CHARACTERS)
    assert len(set(CHARACTERS.values())) >= 20
    for name in files:  # real strokes: several points each, not two end points
        strokes = load_strokes(stroke_file(name))
        assert all(len(stroke) >= 3 for stroke in strokes), name


@pytest.mark.parametrize(("name", "character"), sorted(CHARACTERS.items()))
def test_each_character_is_among_the_first_five(name, character):
    candidates = recogniser().candidates(load_strokes(stroke_file(name)))
    assert character in candidates[:5], (name, candidates[:5])


def test_stroke_order_matters_so_the_recogniser_is_not_guessing_from_a_picture():
    strokes = load_strokes(stroke_file("shi2"))
    assert recogniser().candidates(strokes)[0] == "十"
    assert recogniser().candidates(strokes[::-1])[0] != "十"  # down first: not how 十 is written


def run_recognise(*args):
    return subprocess.run([sys.executable, "main.py", "recognise", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", ["zhong1", "kou3", "ren2", "da4", "tian2", "yue4"])
def test_recognise_command_prints_candidates_best_first(name):
    done = run_recognise(str(stroke_file(name)))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert CHARACTERS[name] in lines[:5]
    assert len(lines) == 10 and all(len(line) == 1 for line in lines)


def test_recognise_command_says_what_is_wrong_with_a_bad_file(tmp_path):
    cases = {
        "missing.json": "cannot read",
        "broken.json": "is not JSON",
        "flat.json": "should be [x, y] numbers",
        "outside.json": "off the 300 x 300 canvas",
    }
    (tmp_path / "broken.json").write_text("[[[1, 2]", encoding="utf-8")
    (tmp_path / "flat.json").write_text("[[1, 2]]", encoding="utf-8")
    (tmp_path / "outside.json").write_text(json.dumps([[[10, 10], [400, 10]]]), encoding="utf-8")
    for file, words in cases.items():
        done = run_recognise(str(tmp_path / file))
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.startswith("Cannot recognise:") and words in done.stderr, done.stderr


def test_a_missing_library_or_model_is_said_in_plain_words(tmp_path):
    with pytest.raises(InputUnavailable) as missing:
        Recogniser(model=tmp_path / "none.model")
    assert "Install the Debian package tegaki-zinnia-simplified-chinese" in str(missing.value)
    assert "手写模型" in missing.value.text("zh_CN")
    with pytest.raises(InputUnavailable) as no_library:
        Recogniser(library="libzinnia-not-here.so.0")
    assert "libzinnia0" in str(no_library.value)
    with pytest.raises(InputUnavailable) as no_pinyin:
        Pinyin(data=tmp_path)
    assert "libpinyin-data" in str(no_pinyin.value) and "拼音" in no_pinyin.value.text("zh_CN")


def test_a_damaged_model_is_refused_not_fatal(tmp_path):
    model = tmp_path / "damaged.model"
    model.write_bytes(b"not a model at all")
    with pytest.raises(InputUnavailable) as damaged:
        Recogniser(model=model)
    assert "could not be opened" in str(damaged.value)


def test_no_ink_no_candidates():
    assert recogniser().candidates([]) == []
    assert recogniser().candidates([[]]) == []


def test_pinyin_offers_characters_and_words_by_how_common_they_are():
    bei = pinyin().candidates("bei")
    assert "北" in bei[:8] and "被" in bei[:8]
    assert bei.index("北") < bei.index("鹎")  # common before rare
    assert pinyin().candidates("beijing")[0] == "北京"
    assert "张" in pinyin().candidates("zhang")[:8]
    assert "中" in pinyin().candidates("zh")[:20]  # incomplete pinyin, as people start typing


def test_pinyin_refuses_what_is_not_pinyin():
    assert pinyin().candidates("") == []
    assert pinyin().candidates("北") == []
    assert pinyin().candidates("bei1; drop") == []
    assert pinyin().candidates("a" * 100) == []


def test_pinyin_learns_nothing_from_one_citizen_for_the_next():
    engine = Pinyin()
    first = engine.candidates("shi")
    for _ in range(20):
        engine.candidates("shi")
    assert engine.candidates("shi") == first
    user = Path(engine._user.name)
    assert [p.name for p in user.iterdir()] == ["user.conf"]  # nothing saved
    engine.close()
    assert not user.exists()


def test_diagnostics_check_writing_on_this_machine():
    handwriting, pinyin_check = writing_checks()
    assert handwriting.ok and "十" in handwriting.detail
    assert pinyin_check.ok and "北" in pinyin_check.detail
    assert "十" in recogniser().candidates(SAMPLE)[:1]


def test_a_missing_pinyin_library_is_said_in_plain_words():
    with pytest.raises(InputUnavailable) as missing:
        Pinyin(library="libpinyin-not-here.so.1")
    assert "libpinyin15" in str(missing.value) and "libpinyin-not-here" in str(missing.value)


def test_the_one_recogniser_is_opened_once_and_a_failure_is_not_kept(monkeypatch, tmp_path):
    """Ten threads asking at once share one recogniser; on a machine without the model each
    use says so, and once the model is there the next use opens it."""
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.input import handwriting, shared

    assert recogniser() is recogniser() and pinyin() is pinyin()
    model = handwriting.MODEL
    monkeypatch.setattr(handwriting, "MODEL", tmp_path / "gone.model")
    fresh = shared(handwriting.Recogniser)
    for _ in range(2):
        with pytest.raises(InputUnavailable):
            fresh()
    monkeypatch.setattr(handwriting, "MODEL", model)  # the package installed meanwhile
    with ThreadPoolExecutor(10) as pool:
        opened = list(pool.map(lambda _n: fresh(), range(10)))
    assert all(one is opened[0] for one in opened) and opened[0] is not recogniser()
    opened[0].close()
