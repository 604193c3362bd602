"""The service format's `label` and `confirmation` keys, as a centre admin writes them."""

import textwrap

from kiosk.catalogue import load_catalogue

BOOKING = """\
id: booking
title: {en: Book, zh_CN: 预约}
summary: {en: Book a time, zh_CN: 预约时间}
icon: doctor
steps:
  - id: reference
    type: text
    label: {en: Reference, zh_CN: 编号}
    title: {en: "What is your reference?", zh_CN: 您的编号是多少？}
confirmation:
  done: {en: Your appointment is booked., zh_CN: 挂号成功了。}
  change: {en: "To cancel, call {phone}.", zh_CN: "要取消，请打{phone}。"}
  cancel_phone: "12320"
"""


def load(tmp_path, text):
    (tmp_path / "booking.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_catalogue(tmp_path)


def test_a_label_and_a_confirmation_are_read(tmp_path):
    catalogue = load(tmp_path, BOOKING)
    assert catalogue.problems == ()
    [service] = catalogue.services
    assert service.steps[0].short("zh_CN") == "编号"
    assert service.confirmation.done.get("en") == "Your appointment is booked."
    assert service.confirmation.change_text("zh_CN") == "要取消，请打12320。"


def test_without_a_label_the_question_names_the_answer(tmp_path):
    catalogue = load(tmp_path, BOOKING.replace(
        "    label: {en: Reference, zh_CN: 编号}\n", ""))
    assert catalogue.services[0].steps[0].short("en") == "What is your reference?"


def test_a_phone_placeholder_needs_the_number(tmp_path):
    catalogue = load(tmp_path, BOOKING.replace('  cancel_phone: "12320"\n', ""))
    assert [str(p) for p in catalogue.problems] == [
        "booking.yaml, at confirmation: the text says {phone}: add cancel_phone with the number"]


def test_only_phone_can_be_filled_in(tmp_path):
    catalogue = load(tmp_path, BOOKING.replace("call {phone}", "call {number}"))
    assert [str(p) for p in catalogue.problems] == [
        "booking.yaml, at confirmation.change.en: the only placeholder here is {phone}, "
        "the number in cancel_phone"]


def test_an_unknown_confirmation_key_is_refused(tmp_path):
    catalogue = load(tmp_path, BOOKING.replace("  cancel_phone:", "  phone:"))
    assert catalogue.services == ()
    assert "'phone' is not a known key here" in str(catalogue.problems[0])
