"""The keyboard's Chinese tabs on real widgets: a finger writes on the pad (mouse events from
the stroke files), the recogniser runs off the GUI thread, a tap on a tile types the character;
pinyin typed on the big letters does the same. Every tab at the largest size is readable and
touchable, and nothing stays from one person to the next."""

import itertools
import threading

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from kiosk.input import handwriting, shared
from tests.input.strokes import write
from tests.ui.test_widgets import assert_nothing_clipped, keyboard_page
from ui.widgets.big_button import BigButton


def candidates_of(panel):
    return panel.candidates.words()


def tile_for(panel, word):
    return next(tile for tile in panel.candidates.tiles if tile.text() == word and tile.isVisible())


def test_chinese_starts_on_handwriting_english_on_letters(qtbot, styled):
    styled()
    _entry, zh = keyboard_page(qtbot, lang="zh_CN")
    assert zh.tabs() == ["handwriting", "pinyin", "letters", "digits"]
    assert zh.tab() == "handwriting" and zh.page("handwriting").isVisible()
    _entry, en = keyboard_page(qtbot, lang="en")
    assert en.tab() == "letters"
    en.retranslate("zh_CN")  # nobody chose a tab yet: the language's own comes first
    assert en.tab() == "handwriting"
    _entry, digits = keyboard_page(qtbot, layout="digits", lang="zh_CN")
    assert digits.tabs() == []  # a number needs no handwriting


def test_writing_a_character_and_tapping_it_types_it(qtbot, styled, monkeypatch):
    styled()
    threads = []
    real = handwriting.Recogniser.candidates

    def watched(self, *args, **kwargs):  # the real recogniser, noting where it runs
        threads.append(threading.current_thread())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(handwriting.Recogniser, "candidates", watched)
    entry, keys = keyboard_page(qtbot, lang="zh_CN")
    panel = keys.page("handwriting")
    offered = []
    keys.offered.connect(offered.append)
    write(panel.pad, "zhong1")
    qtbot.waitUntil(lambda: "中" in candidates_of(panel)[:5], timeout=5000)
    assert threads and threading.main_thread() not in threads  # off the GUI thread
    assert offered[-1][:5] == candidates_of(panel)[:5]  # what is shown is offered for speech
    qtbot.mouseClick(tile_for(panel, "中"), Qt.MouseButton.LeftButton)
    assert entry.text() == "中"
    assert panel.pad.is_empty() and candidates_of(panel) == []  # ready for the next one
    write(panel.pad, "ren2")
    qtbot.waitUntil(lambda: "人" in candidates_of(panel)[:5], timeout=5000)
    qtbot.mouseClick(tile_for(panel, "人"), Qt.MouseButton.LeftButton)
    assert entry.text() == "中人"
    qtbot.mouseClick(panel.delete, Qt.MouseButton.LeftButton)
    assert entry.text() == "中"


def test_undo_stroke_and_write_again(qtbot, styled):
    styled()
    _entry, keys = keyboard_page(qtbot, lang="zh_CN")
    panel = keys.page("handwriting")
    write(panel.pad, "shi2")  # 十, then one stroke too many: 土 needs a third
    qtbot.waitUntil(lambda: candidates_of(panel)[:1] == ["十"], timeout=5000)
    write(panel.pad, "yi1")
    qtbot.waitUntil(lambda: candidates_of(panel)[:1] != ["十"], timeout=5000)
    qtbot.mouseClick(panel.undo, Qt.MouseButton.LeftButton)
    assert len(panel.pad.strokes()) == 2
    qtbot.waitUntil(lambda: candidates_of(panel)[:1] == ["十"], timeout=5000)
    qtbot.mouseClick(panel.again, Qt.MouseButton.LeftButton)
    assert panel.pad.is_empty() and candidates_of(panel) == []


def test_a_late_answer_for_older_ink_is_dropped(qtbot, styled):
    styled()
    _entry, keys = keyboard_page(qtbot, lang="zh_CN")
    panel = keys.page("handwriting")
    write(panel.pad, "shi2")
    panel.reset()  # cleared before the recogniser answered
    qtbot.wait(300)
    from ui.tasks import wait_for_background

    wait_for_background()
    qtbot.wait(50)
    assert candidates_of(panel) == []


def test_pinyin_typed_on_big_letters_gives_characters_to_tap(qtbot, styled):
    styled()
    entry, keys = keyboard_page(qtbot, lang="zh_CN")
    qtbot.mouseClick(keys.findChild(BigButton, "tab-pinyin"), Qt.MouseButton.LeftButton)
    panel = keys.page("pinyin")
    assert panel.isVisible()
    before = {b: b.mapTo(keys, QPoint(0, 0)) for b in panel.keys.values()}
    for letter in "bei":
        qtbot.mouseClick(panel.keys[letter], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "北" in candidates_of(panel), timeout=5000)
    qtbot.wait(1)
    assert {b: b.mapTo(keys, QPoint(0, 0)) for b in panel.keys.values()} == before  # nothing moved
    assert "bei" in panel.typed.text()
    qtbot.mouseClick(tile_for(panel, "北"), Qt.MouseButton.LeftButton)
    assert entry.text() == "北" and panel.letters == ""
    for letter in "jing":
        qtbot.mouseClick(panel.keys[letter], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.delete, Qt.MouseButton.LeftButton)  # one letter, not the 北
    assert panel.letters == "jin" and entry.text() == "北"
    qtbot.mouseClick(panel.keys["g"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "京" in candidates_of(panel), timeout=5000)
    qtbot.mouseClick(tile_for(panel, "京"), Qt.MouseButton.LeftButton)
    assert entry.text() == "北京"
    qtbot.mouseClick(panel.delete, Qt.MouseButton.LeftButton)  # no letters: deletes in the entry
    assert entry.text() == "北"


def test_more_pages_through_the_candidates(qtbot, styled):
    styled()
    _entry, keys = keyboard_page(qtbot, lang="zh_CN", tab="pinyin")
    panel = keys.page("pinyin")
    for letter in "shi":
        panel.type_letter(letter)
    qtbot.waitUntil(lambda: len(candidates_of(panel)) == 8, timeout=5000)
    first = candidates_of(panel)
    assert panel.more.isVisible()
    qtbot.mouseClick(panel.more, Qt.MouseButton.LeftButton)
    assert candidates_of(panel) and not set(candidates_of(panel)) & set(first)


def test_reset_forgets_everything_between_two_people(qtbot, styled):
    styled()
    _entry, keys = keyboard_page(qtbot, lang="zh_CN")
    write(keys.page("handwriting").pad, "kou3")
    qtbot.waitUntil(lambda: bool(candidates_of(keys.page("handwriting"))), timeout=5000)
    qtbot.mouseClick(keys.findChild(BigButton, "tab-pinyin"), Qt.MouseButton.LeftButton)
    keys.page("pinyin").type_letter("w")
    qtbot.waitUntil(lambda: bool(candidates_of(keys.page("pinyin"))), timeout=5000)
    keys.reset()
    assert keys.tab() == "handwriting"
    assert keys.page("handwriting").pad.is_empty()
    assert candidates_of(keys.page("handwriting")) == []
    assert keys.page("pinyin").letters == "" and candidates_of(keys.page("pinyin")) == []


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("tab", ["handwriting", "pinyin", "digits"])
def test_every_tab_is_big_and_unclipped_at_the_largest_size(qtbot, styled, lang, tab):
    styled("standard", "largest")
    _entry, keys = keyboard_page(qtbot, lang=lang, tab=tab)
    page = keys.page(tab)
    if tab == "handwriting":
        write(page.pad, "zhong1")
        qtbot.waitUntil(lambda: len(candidates_of(page)) == 10, timeout=5000)
    elif tab == "pinyin":
        for letter in "zhongguo":
            page.type_letter(letter)
        qtbot.waitUntil(lambda: len(candidates_of(page)) == 8, timeout=5000)
    keys.host.resize(1872, keys.host.layout().totalHeightForWidth(1872))  # the 1920 px screen
    qtbot.wait(1)
    buttons = [b for b in keys.findChildren(BigButton) if b.isVisible()]
    assert len(buttons) >= 12
    for button in buttons:
        assert button.width() >= 64 and button.height() >= 64, button.objectName()
    where = {b: QRect(b.mapTo(keys, QPoint(0, 0)), b.size()) for b in buttons}
    for a, b in itertools.combinations(buttons, 2):
        assert not where[a].adjusted(-6, -6, 6, 6).intersects(where[b].adjusted(-6, -6, 6, 6)), (
            a.objectName(), b.objectName())
    assert_nothing_clipped(keys)
    if tab == "handwriting":
        assert page.pad.width() >= 400 and page.pad.height() >= 400


def test_the_admin_writes_the_centre_name_in_chinese_not_the_hub_address(qtbot, styled):
    from kiosk.config import FieldSpec
    from tests.input.strokes import write as write_strokes
    from ui.admin.field_input import FieldInput

    styled()
    name = FieldInput(FieldSpec("centre_name", "text"))
    hub = FieldInput(FieldSpec("hub_url", "text"))
    for field in (name, hub):
        qtbot.addWidget(field)
        field.retranslate("zh_CN")
        field.show()
        qtbot.mouseClick(field.keys_button, Qt.MouseButton.LeftButton)
    assert hub.keyboard.tabs() == [] and hub.keyboard.layout_name() == "address"
    assert name.keyboard.tabs() == ["handwriting", "pinyin", "letters", "digits"]
    assert name.keyboard.tab() == "handwriting"
    panel = name.keyboard.page("handwriting")
    write_strokes(panel.pad, "da4")
    qtbot.waitUntil(lambda: "大" in candidates_of(panel)[:5], timeout=5000)
    qtbot.mouseClick(tile_for(panel, "大"), Qt.MouseButton.LeftButton)
    assert name.value() == "大"
    qtbot.mouseClick(name.keyboard.findChild(BigButton, "tab-letters"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(name.keyboard.key("a"), Qt.MouseButton.LeftButton)  # the address letters
    assert name.value() == "大a"


def test_without_the_model_the_pad_says_so_in_plain_words(qtbot, styled, monkeypatch, tmp_path):
    styled()
    monkeypatch.setattr(handwriting, "MODEL", tmp_path / "gone.model")
    monkeypatch.setattr(handwriting, "recogniser",  # as on a machine never set up
                        shared(handwriting.Recogniser))
    _entry, keys = keyboard_page(qtbot, lang="zh_CN")
    panel = keys.page("handwriting")
    qtbot.waitUntil(panel.problem.isVisible, timeout=5000)
    assert "tegaki-zinnia-simplified-chinese" in panel.problem.text()
    assert "请换一种输入方式" in panel.problem.text()
    write(panel.pad, "shi2")  # writing anyway: nothing breaks, no candidates
    qtbot.wait(100)
    assert candidates_of(panel) == []
