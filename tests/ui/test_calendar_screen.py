"""The doctor's day picked on the calendar in late December, as a citizen taps it: the page turns
to January of the next year, a day is chosen and booked, what is said names the days that can be
chosen, and the screen passes the accessibility checks (clipping, targets, contrast) at the
largest text size on both pages, in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.i18n import tr
from kiosk.journey import Stage
from kiosk.speech import script as speech
from kiosk.speech import spoken
from tests.conftest import ELDEST
from tests.ui.test_accessibility import problems_on_screen
from tests.ui.test_chinese_speech_walk import ScriptRecorder

TODAY = date(2026, 12, 22)  # a Tuesday: tomorrow to two weeks ahead crosses the year


@pytest.fixture
def december(make_kiosk):
    voices = []

    def make(theme: str):
        voice = ScriptRecorder()  # the kiosk's voice, keeping what it is given to say
        voices.append(voice)
        return make_kiosk(voice=voice, today=TODAY, default_text_size="largest", theme=theme)

    yield make
    for voice in voices:
        voice.close()


@pytest.mark.parametrize(("lang", "theme"), [
    ("zh_CN", "standard"), ("en", "standard"), ("en", "high_contrast")])
def test_a_day_in_january_is_booked_from_december(december, lang, theme):
    from ui.walker import Walker

    kiosk = december(theme)
    walker = Walker(kiosk)
    walker.begin(lang)
    walker.open_service("doctor_appointment")
    walker.identify_by_card(ELDEST)
    journey = kiosk.session.journey
    walker.answer_until("day")
    picker = kiosk.question.field.picker
    assert picker.page() == (2026, 12)
    assert problems_on_screen(kiosk, theme) == []
    said = kiosk.question.script(lang)
    first, last = (spoken.day(day, lang, weekday=True)
                   for day in (date(2026, 12, 23), date(2027, 1, 5)))
    assert said[-3:-1] == [  # the days that can be chosen, then the one chosen now
        tr(lang, "speech.date_range", first=first, last=last),
        speech.day(date(2026, 12, 23)).framed(tr(lang, "speech.date_now", day=speech.VALUE))]
    assert {"en": "Wednesday", "zh_CN": "星期三"}[lang] in said[-3]  # 23 December, said whole

    walker.tap("month-next")
    assert picker.page() == (2027, 1)
    assert kiosk.voice.scripts[-1] == ([{"en": "January 2027", "zh_CN": "2027年1月"}[lang]], lang)
    assert problems_on_screen(kiosk, theme) == []
    with pytest.raises(LookupError, match="0 visible"):
        walker.tap("day-2027-01-11")  # a week with no day to book is left out
    with pytest.raises(LookupError, match="disabled"):
        walker.tap("day-2027-01-06")  # after the last day: shown in its week, not tappable
    walker.tap("day-2027-01-02")
    assert picker.value() == date(2027, 1, 2)
    walker.tap("next")
    assert journey.answers["day"] == "2027-01-02"
    assert journey.current.id == "slot" and journey.stage is Stage.STEP


def test_a_day_before_the_first_cannot_be_tapped(december):
    from ui.walker import Walker

    kiosk = december("standard")
    walker = Walker(kiosk)
    walker.begin("en")
    walker.open_service("doctor_appointment")
    walker.identify_by_card(ELDEST)
    walker.answer_until("day")
    walker.tap("month-next")
    walker.tap("day-2027-01-03")
    walker.tap("month-previous")
    with pytest.raises(LookupError, match="disabled"):
        walker.tap("day-2026-12-22")  # today, in the week of tomorrow: shown, not tappable
    assert kiosk.question.field.picker.value() == date(2027, 1, 3)
