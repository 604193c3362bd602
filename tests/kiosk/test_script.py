"""The one rule for what the loudspeaker may say, and values said inside their sentences."""

from datetime import date, datetime

import pytest

from kiosk.service import Shown, Step, Text
from kiosk.speech import script as speech
from kiosk.speech.script import VALUE, Part, render

PHONE = "+8613812345678"


def step(kind, personal=False):
    return Step(id="x", type=kind, title=Text({"en": "X"}), personal=personal)


@pytest.mark.parametrize(("kind", "marked", "personal"), [
    ("phone", False, True), ("id_number", False, True),  # by their kind, whatever the file says
    ("address", True, True), ("address", False, False),  # the place of a broken street light
    ("text", True, True), ("choice", False, False), ("date", False, False),
])
def test_personal_by_kind_or_by_mark(kind, marked, personal):
    assert step(kind, marked).is_personal is personal


def test_a_shown_value_may_say_it_is_about_the_task():
    bill = step("lookup", personal=True)
    amount = Shown(key="amount", label=Text({"en": "Amount"}), format="money", personal=False)
    holder = Shown(key="holder", label=Text({"en": "Name"}))
    assert not bill.shows_personal(amount) and bill.shows_personal(holder)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_withheld_never_in_part_and_the_way_to_hear_it_is_said_once(lang):
    phone = speech.labelled("Phone", speech.phone(PHONE), lang)
    name = speech.labelled("Name", speech.private("王秀英"), lang)
    loud = render(["Is this you?", name, phone], lang, False)
    said = " ".join(loud)
    assert "王" not in said and not any(d in said for d in "5678")
    digits_said = ("five", "six", "seven", "eight", "五", "六", "七", "八")
    assert not any(word in said for word in digits_said)
    assert loud[1].startswith("Name") and loud[2].startswith("Phone")
    assert loud[-1] == render([Part("text", "x", True)], lang, False)[-1]  # the offer, once
    assert len(loud) == 4
    heard = render(["Is this you?", name, phone], lang, True)
    assert "王秀英" in heard[1] and len(heard) == 3
    assert heard[2].endswith("八" if lang == "zh_CN" else "eight")


def test_a_withheld_value_keeps_only_the_words_before_it():
    age = Part("number", 72, personal=True).framed("年龄：{value}岁")
    assert render([age], "zh_CN", False)[0] == "年龄：不读出来"
    assert render([age], "zh_CN", True) == ["年龄：七十二岁"]


def test_sentences_nest_around_a_value():
    slot = speech.clock(datetime(2026, 11, 24, 8, 30)).framed(f"{VALUE}, 3 places left")
    chosen = speech.framed(slot, "You chose: {value}")
    assert render([chosen], "en", False) == \
        ["You chose: half past eight in the morning, 3 places left"]
    assert render([speech.framed("Water", "You chose: {value}")], "en", False) == \
        ["You chose: Water"]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "The day is Saturday, the fifth of December, twenty twenty-six"),
    ("zh_CN", "日期是二〇二六年十二月五日星期六"),
])
def test_dates_are_said_with_their_weekday(lang, said):
    frame = "The day is {value}" if lang == "en" else "日期是{value}"
    assert render([speech.day(date(2026, 12, 5)).framed(frame)], lang, False) == [said]
