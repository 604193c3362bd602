"""A question's keyboard is kept for the next step that needs one: it must arrive clean, as if
new (nothing the last person wrote, no phrases of the last step, no one else listening)."""

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
