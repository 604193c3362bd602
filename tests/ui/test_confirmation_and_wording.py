"""What the citizen reads on the last pages, and the words on real screens: a booking says where,
when and how to cancel (with the number), a payment is confirmed as a payment, check-your-answers
lists short labels one row each, and the Chinese and English wording fixed in issue 13."""

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from tests.conftest import ELDEST

LANGS = ["zh_CN", "en"]


def shown(kiosk, name: str) -> str:
    found = [w for w in kiosk.window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{name} is not on screen"
    widget = found[0]
    return widget.text() if isinstance(widget, QLabel) else widget.property("text")


def said(kiosk) -> str:
    return " ".join(str(part) for part in kiosk.current().script(kiosk.session.language))


@pytest.mark.parametrize("lang", LANGS)
def test_a_booking_says_where_when_and_how_to_cancel_on_screen_and_aloud(kiosk, walker, lang):
    walker.begin(lang)
    walker.complete("doctor_appointment", card=ELDEST,
                    answers={"hospital": "chaoyang", "department": "eye"})
    assert kiosk.current() is kiosk.confirmation
    journey = kiosk.session.journey
    rows = {row.step.id: row for row in journey.summary(lang)}
    booked = shown(kiosk, "booked")
    for step in ("hospital", "department", "day", "slot"):
        assert rows[step].answer in booked  # where and when, by short labels
        assert rows[step].label in booked
    assert rows["phone"].answer not in booked  # personal: not part of "where and when"
    change = shown(kiosk, "change-or-cancel")
    assert "12320" in change
    done = {"en": "Your appointment is booked.", "zh_CN": "挂号成功了。"}[lang]
    assert done in kiosk.confirmation.heading.text()
    words = said(kiosk)
    assert done in words and change in words
    assert "12320" in kiosk.confirmation.script(lang)[-2]  # said, not only shown


@pytest.mark.parametrize("lang", LANGS)
def test_a_bill_payment_is_confirmed_as_a_payment(kiosk, walker, lang):
    walker.begin(lang)
    walker.complete("pay_bill")
    heading = kiosk.confirmation.heading.text()
    assert {"en": "bill payment", "zh_CN": "交费"}[lang] in heading
    assert "收到您的申请" not in heading and "We have your request" not in heading
    assert not kiosk.confirmation.change.isVisible()  # nothing to cancel by phone


@pytest.mark.parametrize("lang", LANGS)
def test_check_your_answers_uses_short_labels_one_row_each(kiosk, walker, lang):
    walker.begin(lang)
    walker.complete("doctor_appointment", card=ELDEST, submit=False)
    labels = [name for name, _ in kiosk.review.rows]
    assert labels == {"en": ["Hospital", "Department", "Day", "Time", "Phone"],
                      "zh_CN": ["医院", "科室", "就诊日期", "就诊时间", "电话"]}[lang]
    grid = kiosk.review.table.layout()
    for i, step in enumerate(("hospital", "department", "day", "slot", "phone")):
        answer = kiosk.review.findChild(QLabel, f"answer-{step}")
        change = kiosk.review.findChild(QWidget, f"change-{step}")
        assert grid.getItemPosition(grid.indexOf(answer))[0] == i  # label, answer, Change:
        assert grid.getItemPosition(grid.indexOf(change))[0] == i  # one row
    assert "?" not in " ".join(labels) and "？" not in " ".join(labels)


def test_every_shipped_answer_has_a_short_label_in_both_languages():
    from kiosk.catalogue import load_catalogue

    for service in load_catalogue().services:
        for step in service.steps:
            if step.takes_answer:
                assert step.label is not None, f"{service.id}.{step.id} has no label"
                assert set(step.label.languages()) >= {"en", "zh_CN"}


def test_chinese_wording_on_the_confirmation_and_a_yes_no_question(kiosk, walker):
    walker.begin("zh_CN")
    walker.complete("senior_allowance", card=ELDEST, answers={"lives_alone": True},
                    submit=False)
    assert dict(kiosk.review.rows)["一个人住"] == "是的"  # not the stiff 是
    walker.tap("next")
    keep = kiosk.confirmation.print_button.text()  # 打印回执: 回执 everywhere here
    page = " ".join(w.text() for w in kiosk.confirmation.findChildren(QLabel)) + keep
    assert "回执" in keep and "凭条" not in page and "方形码" not in page
    assert "二维码" in kiosk.confirmation.keep.text()
    assert "二维码" in kiosk.confirmation.qr.accessibleName()


def test_an_unanswered_choice_asks_to_choose_one(kiosk, walker):
    walker.begin("zh_CN")
    walker.open_service("pay_bill")
    walker.tap("next")  # nothing chosen
    assert kiosk.question.error.text() == "⚠ 请选一项。"


def test_a_chosen_yes_shows_one_tick(kiosk, walker):
    walker.begin("en")
    walker.complete("senior_allowance", card=ELDEST, submit=False)
    walker.tap("change-lives_alone")
    walker.tap("choice-True")
    tile = walker.visible("choice-True")
    assert tile.is_selected()
    ticks = [w for w in tile.findChildren(QWidget) if w.isVisible()
             and (getattr(w, "text", lambda: "")() == "✓" or getattr(w, "lines", None))]
    assert len(ticks) == 1  # the Yes icon is the tick: no second check mark beside it


def test_the_dialect_choice_asks_mandarin_or_cantonese(make_kiosk):
    from kiosk.speech.player import Player
    from kiosk.speech.service import SpeechService
    from kiosk.speech.synth import Synthesiser
    from ui.voice import QtVoice
    from ui.walker import Walker

    synth = Synthesiser()
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(None)))
    kiosk = make_kiosk(voice=voice)
    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.tap("sound")
    page = " ".join(w.text() for w in kiosk.current().findChildren(QLabel) if w.isVisible())
    assert "说普通话还是粤语" in page and "口音" not in page
    voice.close()
    synth.close()


@pytest.mark.parametrize(("typed", "expected"), [
    ("1", "The ID number has 1 digit; it needs 18."),
    ("12", "The ID number has 2 digits; it needs 18."),
])
def test_english_counts_are_singular_and_plural(kiosk, walker, typed, expected):
    walker.begin("en")
    walker.open_service("insurance_balance")
    walker.tap("type-id")
    walker.type(typed)
    walker.tap("next")
    assert kiosk.current().error.text().endswith(expected)


def test_a_count_of_one_picks_the_singular_only_where_a_language_has_one():
    from kiosk.i18n import tr

    assert tr("en", "view.diag.problems", n=1).startswith("1 problem found")
    assert tr("en", "view.diag.problems", n=3).startswith("3 problems found")
    assert tr("zh_CN", "error.id.length", count=1) == tr("zh_CN", "error.id.length", count=1)
    assert "1" in tr("zh_CN", "error.id.length", count=1)


def test_printing_moves_no_button_under_a_finger(make_kiosk, tmp_path):
    from ui.walker import Walker

    kiosk = make_kiosk(receipt_dir=str(tmp_path), printer="pdf")
    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.complete("pay_bill")
    buttons = [walker.visible("print"), walker.visible("another")]
    before = [b.mapToGlobal(b.rect().center()) for b in buttons]
    walker.tap("print")
    assert "回执已保存" in kiosk.confirmation.printed.text()
    assert [b.mapToGlobal(b.rect().center()) for b in buttons] == before


def test_every_shipped_service_that_sends_says_what_was_done():
    from kiosk.catalogue import load_catalogue

    for service in load_catalogue().services:
        if service.outcome == "submit":
            done = service.confirmation.done if service.confirmation else None
            assert done is not None, f"{service.id} does not say what was done"
            assert set(done.languages()) >= {"en", "zh_CN"}
            assert done.get("zh_CN") != "办好了，我们已经收到您的申请。"
