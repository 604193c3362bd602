"""A citizen changes their address in the pension check by writing a character with a finger
on the keyboard's pad, and by typing pinyin; the hub receives it. The keyboard of the next
citizen remembers nothing of it."""

import os

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest

from kiosk.journey import Stage
from tests.conftest import ELDEST
from tests.input.strokes import write
from tests.ui.test_accessibility import problems_on_screen
from ui.walker import settle

ADDRESS = "北京市朝阳区幸福路12号3单元401"
SHOTS = os.environ.get("KIOSK_SHOTS")  # a folder: the address step is saved there as PNG


def filed(kiosk):
    return {s.service_id: s for s, _ in kiosk.session.backend.submissions.values()}


def to_address_step(kiosk, walker, lang):
    walker.begin(lang)
    walker.open_service("pension_check")
    walker.identify_by_card(ELDEST)
    while kiosk.question.step.id != "address":
        walker.answer_current({})
    walker.tap("change-it")
    return walker.keyboard()


def tile(walker, word):
    panel = walker.keyboard().page(walker.keyboard().tab())
    return next(t for t in panel.candidates.tiles if t.isVisible() and t.text() == word)


def finish(kiosk, walker):
    walker.tap("next")
    while kiosk.session.journey.stage is Stage.STEP:
        walker.answer_current({})
    walker.tap("next")  # the review: send it
    return filed(kiosk)["pension_check"].answers["address"]


def shot(kiosk, name):
    if SHOTS:
        kiosk.window.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.mark.parametrize(("lang", "theme"), [("zh_CN", "standard"), ("en", "high_contrast")])
def test_address_gets_a_character_written_on_the_pad(make_kiosk, qtbot, lang, theme):
    from ui.walker import Walker

    kiosk = make_kiosk(default_text_size="largest", theme=theme)
    walker = Walker(kiosk)
    keyboard = to_address_step(kiosk, walker, lang)
    if lang == "en":
        walker.tap("tab-handwriting")  # English screens start on letters
    assert keyboard.tab() == "handwriting"
    write(walker.visible("writing-pad"), "zhong1")
    qtbot.waitUntil(lambda: "中" in keyboard.page("handwriting").candidates.words()[:5],
                    timeout=5000)
    shot(kiosk, f"address-handwriting-{lang}-{theme}")
    assert problems_on_screen(kiosk, theme) == []  # readable, touchable, nothing clipped
    viewport = kiosk.question.scroll.viewport()
    assert viewport.rect().contains(QRect(keyboard.mapTo(viewport, QPoint(0, 0)),
                                          keyboard.size()))  # the whole pad can be written on
    QTest.mouseClick(tile(walker, "中"), Qt.MouseButton.LeftButton)
    settle()
    assert kiosk.question.field.value() == ADDRESS + "中"
    assert finish(kiosk, walker) == ADDRESS + "中"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_address_gets_a_character_typed_in_pinyin(make_kiosk, qtbot, lang):
    from ui.walker import Walker

    kiosk = make_kiosk(default_text_size="largest")
    walker = Walker(kiosk)
    keyboard = to_address_step(kiosk, walker, lang)
    walker.tap("tab-pinyin")
    for letter in "bei":
        walker.tap(f"pinyin-{letter}")
    qtbot.waitUntil(lambda: "北" in keyboard.page("pinyin").candidates.words(), timeout=5000)
    settle()
    shot(kiosk, f"address-pinyin-{lang}")
    viewport = kiosk.question.scroll.viewport()

    def whole_keyboard_shown() -> bool:  # none of it under the fold, once the scroll settled
        return viewport.rect().contains(QRect(keyboard.mapTo(viewport, QPoint(0, 0)),
                                              keyboard.size()))

    qtbot.waitUntil(whole_keyboard_shown, timeout=3000)
    assert problems_on_screen(kiosk, "standard") == []
    QTest.mouseClick(tile(walker, "北"), Qt.MouseButton.LeftButton)
    settle()
    assert kiosk.question.field.value() == ADDRESS + "北"
    assert finish(kiosk, walker) == ADDRESS + "北"


def test_the_next_citizen_finds_nothing_of_the_last_ones_writing(make_kiosk, qtbot):
    """The helper's note keyboard lives as long as the kiosk: the session wipe clears it."""
    from tests.e2e.test_assisted import helper_signs_in, reach_emergency_phone

    kiosk = make_kiosk()
    walker = reach_emergency_phone(kiosk)
    helper_signs_in(walker)
    walker.tap("consent-yes")
    walker.tap("helper-tools")
    keys = walker.keyboard()
    walker.tap("tab-handwriting")
    write(walker.visible("writing-pad"), "kou3")
    qtbot.waitUntil(lambda: bool(keys.page("handwriting").candidates.words()), timeout=5000)
    walker.tap("tab-pinyin")
    walker.tap("pinyin-w")
    qtbot.waitUntil(lambda: bool(keys.page("pinyin").candidates.words()), timeout=5000)
    kiosk.end_session()
    assert keys.page("handwriting").pad.is_empty()
    assert keys.page("handwriting").candidates.words() == []
    assert keys.page("pinyin").letters == "" and keys.page("pinyin").candidates.words() == []
    assert keys.tab() == keys.default_tab()  # the tab the helper chose is not kept either


def test_candidates_are_spoken_but_a_personal_field_only_through_a_headset(make_kiosk, qtbot):
    """Without sound the kiosk shows what it says: the caption shows what would be heard."""
    from kiosk.speech.player import Player
    from kiosk.speech.service import SpeechService
    from kiosk.speech.synth import Synthesiser
    from ui.voice import QtVoice
    from ui.walker import Walker

    synth = Synthesiser()
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(None)))
    kiosk = make_kiosk(voice=voice)
    walker = Walker(kiosk)
    try:
        keyboard = to_address_step(kiosk, walker, "zh_CN")  # the address is personal
        write(walker.visible("writing-pad"), "kou3")
        qtbot.waitUntil(lambda: bool(keyboard.page("handwriting").candidates.words()),
                        timeout=5000)
        qtbot.wait(500)  # nothing may be said: a fixed wait is the point
        assert "您写的是不是" not in kiosk.window.caption.text()
        kiosk.go_menu()  # the report's own words are not personal: they are said aloud
        walker.tap("service-report_problem")
        walker.tap("next")
        walker.answer_current({"category": "street_light"})
        walker.answer_current({})  # the place: a phrase
        assert kiosk.question.step.id == "description"
        walker.tap("tab-handwriting")
        write(walker.visible("writing-pad"), "kou3")
        page = walker.keyboard().page("handwriting")
        # each stroke is recognised as it ends: wait for the whole character's answer
        qtbot.waitUntil(lambda: "口" in page.candidates.words()[:5], timeout=10000)
        qtbot.waitUntil(lambda: "、".join(page.candidates.words()[:5])
                        in kiosk.window.caption.text(), timeout=10000)  # the five best, in order
    finally:
        voice.close()
        synth.close()

