"""A question's keyboard (one per layout) and its calendar are kept for the next step that needs
one (ui.fields.kept): each must arrive clean, as if new (nothing the last person wrote or chose,
no phrases of the last step, no one else listening)."""

from tests.conftest import ELDEST
from ui.widgets.keyboard import PHRASES, PINYIN


def test_the_next_step_gets_the_keyboard_back_clean(kiosk, walker):
    walker.begin("zh_CN")
    walker.open_service("report_problem")
    walker.answer_current({"category": "street_light"})
    place = kiosk.question.field
    assert kiosk.question.step.id == "place"
    keys = place.keys
    walker.tap(f"tab-{PINYIN}")
    for letter in "ni":
        walker.tap(f"pinyin-{letter}")
    assert keys.page(PINYIN).letters == "ni"
    walker.tap("tab-letters")
    walker.type("AB")
    assert place.entry.text() == "AB"
    walker.tap("next")

    description = kiosk.question.field
    assert kiosk.question.step.id == "description"
    assert description.keys is keys  # kept, not built again
    assert keys.page(PINYIN).letters == ""  # nothing of the last person's writing
    assert keys.tab() == PHRASES  # this step's phrases first, not the tab picked before
    chips = [w.text() for w in keys.page(PHRASES).findChildren(type(description.phrases[0]))]
    assert chips == [p.get("zh_CN") for p in kiosk.question.step.phrases]
    walker.tap("tab-letters")
    walker.type("C")
    assert description.entry.text() == "C"  # typed here only: the last entry hears nothing
    assert kiosk.session.journey.answers["place"] == "AB"


def test_a_keyboard_of_each_layout_is_kept_across_a_step_of_another(kiosk, walker):
    walker.begin("en")
    walker.open_service("report_problem")
    walker.answer_current({"category": "street_light"})
    walker.answer_current({"place": "AB"})
    text_keys = kiosk.question.field.keys
    walker.answer_current({})  # the description: a phrase
    assert kiosk.question.step.id == "contact_phone"
    digits = kiosk.question.field.keys
    assert digits is not text_keys and not text_keys.isVisible()
    walker.tap("back")
    assert kiosk.question.step.id == "description"
    assert kiosk.question.field.keys is text_keys and text_keys.isVisible()
    assert not digits.isVisible()
    walker.tap("next")
    assert kiosk.question.field.keys is digits


def test_the_calendar_is_kept_and_comes_back_clean(kiosk, walker):
    walker.begin("en")
    walker.open_service("doctor_appointment")
    walker.identify_by_card(ELDEST)
    journey = kiosk.session.journey
    walker.answer_until("day")
    picker = kiosk.question.field.picker
    other = next(day for day in picker._shown  # a day that can be chosen, not the one shown
                 if day is not None and picker.allowed(day) and day != picker.value())
    walker.tap(f"day-{other.isoformat()}")
    walker.tap("next")
    assert journey.current.id == "slot"
    assert not picker.isVisible() and picker.full.text() == ""  # the day chosen: not written
    assert not any(day.is_selected() for day in picker.days)  # nor marked
    walker.tap("back")
    assert kiosk.question.field.picker is picker and picker.isVisible()
    assert picker.value() == other and picker.day_button(other).is_selected()
    assert picker.day_text(other) in picker.full.text()
