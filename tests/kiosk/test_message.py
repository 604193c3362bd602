"""One message type (kiosk.message): words in the reader's language, English in logs with
nothing personal, and one error base every kiosk error derives from."""

import importlib
import logging
import pickle
import re
from datetime import date

import pytest

from kiosk.admin_pin import PinRefused, check_rules
from kiosk.assist.helpers import BadBadge, LockedOut, UnknownHelper, WrongPin
from kiosk.backend.base import BackendError, NotFound, SlotFull, Unavailable, WrongCode
from kiosk.config import SettingError
from kiosk.credentials import NoSafeStore
from kiosk.escpos_printer import PrinterFault
from kiosk.fields import check
from kiosk.i18n import has
from kiosk.input import InputUnavailable
from kiosk.message import WITHHELD, KioskError, Message, Personal
from kiosk.sync.bundle import BundleError
from kiosk.sync.outbox import OutboxDamaged
from kiosk.usb import UsbError

CJK = re.compile(r"[\u4e00-\u9fff]")
NAME, PHONE = "王秀英", "13987654321"


def test_a_message_is_words_in_any_language_and_english_for_the_log():
    message = Message("assist.wrong_pin", left=2)
    assert message.text("en") == "That PIN is not right. 2 tries left before a pause."
    assert message.text("zh_CN") == "密码不对。再错2次就要等一会儿。"
    assert str(message) == message.text("en")
    assert Message("assist.wrong_pin", {"left": 2}) == message  # parameters built elsewhere


def test_a_message_inside_a_message_is_said_in_the_same_language():
    problem = Message("config.problem.bad_value", file="settings.toml", name="idle_timeout_s",
                      field=Message("config.label.idle_timeout_s"),
                      reason=Message("config.error.number"), default=120)
    zh = problem.text("zh_CN")
    assert CJK.search(zh) and "Please" not in zh
    assert "Please enter a whole number" in str(problem)


def test_personal_values_reach_the_person_but_never_a_log(caplog):
    caplog.set_level(logging.DEBUG)
    asked = Message("assist.consent_question", name=Personal(NAME))
    assert NAME in asked.text("en") and NAME in asked.text("zh_CN")
    assert asked.personal and not Message("assist.pick").personal
    assert NAME not in str(asked) and NAME not in repr(asked) and WITHHELD in str(asked)
    outer = Message("config.problem.bad_value", file="f", name="n", field="x", default=1,
                    reason=Message("assist.consent_question", name=Personal(PHONE)))
    assert outer.personal and PHONE not in str(outer) and PHONE in outer.text("en")

    try:  # an error carrying it, logged with its traceback the usual way
        raise KioskError("assist.consent_question", name=Personal(NAME))
    except KioskError as error:
        logging.getLogger("kiosk.test").exception("refused: %s (%r)", error, error)
        assert NAME in error.text("zh_CN")
    assert "refused: Allow helper [personal] to help you?" in caplog.text
    assert NAME not in caplog.text


def kiosk_errors():
    """One of each error a person may be told about, as the kiosk raises it."""
    return [
        SettingError("config.error.too_long", max=80), PinRefused("admin_pin.error.same"),
        WrongPin(2), LockedOut(90), UnknownHelper(), BadBadge(),
        BackendError(), NotFound(), WrongCode(), SlotFull(), Unavailable(), OutboxDamaged(),
        PrinterFault("printer.paper_out"), UsbError("usb.not_mounted", name="KINGSTON"),
        BundleError("bundle.nothing"), BundleError("bundle.unknown_kiosk", kiosk_id="'x'"),
        InputUnavailable("input.pinyin.no_library", library="libpinyin.so.15",
                         package="libpinyin15"),
        NoSafeStore(), NoSafeStore("secrets.pin_not_saved", why="locked keyring"),
    ]


@pytest.mark.parametrize("error", kiosk_errors(), ids=lambda e: type(e).__name__)
def test_every_kiosk_error_is_one_kind_and_says_itself_in_plain_words(error):
    assert isinstance(error, KioskError)
    assert isinstance(error.message, Message) and error.key == error.message.key
    english, chinese = error.text("en"), error.text("zh_CN")
    assert str(error) == english and "." not in english.split()[0]  # words, not a key
    assert CJK.search(chinese) and chinese != english


def test_callers_that_catch_the_old_kinds_still_catch_them():
    with pytest.raises(ValueError, match="same digit"):  # PinRefused was a ValueError
        check_rules("7777")
    with pytest.raises(ValueError):
        raise SettingError("config.error.switch")
    with pytest.raises(RuntimeError):
        raise NoSafeStore()


def test_a_technical_detail_goes_to_the_log_never_to_the_citizen():
    error = Unavailable("the hub's answer to the usage records was not understood")
    assert "not understood" in str(error)
    assert "not understood" not in error.text("en") and error.text("en") == Unavailable().text("en")


def test_a_validation_problem_is_a_message():
    from kiosk.service import Step, Text

    step = Step(id="people", type="number", title=Text({"en": "How many?"}), min=1, max=9)
    problem = check(step, "12", date(2026, 12, 4)).problem
    assert isinstance(problem, Message)
    assert problem.text("en") == "Please enter a number from 1 to 9."
    assert CJK.search(problem.text("zh_CN"))


def test_a_message_survives_a_copy_to_another_process():
    message = Message("assist.wrong_pin", left=2)
    assert pickle.loads(pickle.dumps(message)) == message


def every_error_class():
    for module in ("kiosk.admin_pin", "kiosk.assist.helpers", "kiosk.backend.base",
                   "kiosk.config", "kiosk.credentials", "kiosk.escpos_printer",
                   "kiosk.input", "kiosk.sync.bundle", "kiosk.sync.outbox", "kiosk.usb"):
        importlib.import_module(module)
    found, todo = [], [KioskError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_kind_of_kiosk_error_has_words_in_english_and_chinese():
    missing = [f"{cls.__name__}: {cls.key}" for cls in every_error_class()
               if not (has("en", cls.key) and has("zh_CN", cls.key))]
    assert missing == []
