"""One citizen's visit: identification, starting services, and the wipe when the visit ends."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.backend import NotFound, WrongCode
from kiosk.backend.demo import DemoBackend
from kiosk.backend.demo_data import CITIZENS
from kiosk.catalogue import load_catalogue
from kiosk.journey import Stage
from kiosk.session import Session
from kiosk.settings import Settings

DAY = date(2026, 11, 23)
ELDEST, YOUNGER, OLDEST = (c[0] for c in CITIZENS)  # aged 85, 72 and 88 on DAY


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def backend():
    return DemoBackend(today=DAY)


@pytest.fixture
def session(backend):
    return Session(Settings(), backend, today=DAY)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_visit_starts_with_the_kiosk_defaults(session):
    assert session.language == "zh_CN"
    assert session.text_size == "normal"
    assert session.citizen is None
    assert session.journey is None
    assert session.day() == DAY


def test_a_service_that_needs_identity_is_refused_before_identification(session, catalogue):
    pension = catalogue.get("pension_check")
    assert session.needs_identity(pension)
    with pytest.raises(PermissionError):
        session.start(pension)
    assert session.journey is None


def test_a_service_without_identity_starts_straight_away(session, catalogue):
    journey = session.start(catalogue.get("report_problem"))
    assert journey is session.journey
    assert journey.stage is Stage.STEP
    assert journey.citizen is None


def test_an_identified_citizen_is_not_passed_to_a_service_that_does_not_need_them(
        session, catalogue):
    session.identify_by_card(ELDEST)
    journey = session.start(catalogue.get("pay_bill"))
    assert journey.citizen is None
    assert journey.facts()["citizen"] == {}


def test_identify_by_card(session, catalogue):
    citizen = session.identify_by_card(OLDEST)
    assert session.citizen == citizen
    assert citizen.name == "陈桂兰"
    assert citizen.age == 88
    pension = catalogue.get("pension_check")
    assert not session.needs_identity(pension)
    journey = session.start(pension)
    assert journey.citizen == citizen
    assert journey.today == DAY


def test_an_unknown_card_is_not_found(session):
    with pytest.raises(NotFound):
        session.identify_by_card("110105194103150000")
    assert session.citizen is None


def test_the_journey_speaks_the_visit_language(session, catalogue):
    session.language = "en"
    journey = session.start(catalogue.get("report_problem"))
    assert journey.language == "en"


def test_identify_by_code(session, backend):
    assert session.send_code(ELDEST) == "5678"  # the last four digits of the phone on record
    code = backend.last_code
    assert len(code) == 6 and code.isdigit()
    with pytest.raises(WrongCode):
        session.identify_by_code(ELDEST, wrong(code))
    assert session.citizen is None
    citizen = session.identify_by_code(ELDEST, f" {code} ")
    assert session.citizen == citizen
    assert citizen.id_number == ELDEST


def test_a_code_cannot_be_used_twice(session, backend):
    session.send_code(YOUNGER)
    code = backend.last_code
    session.identify_by_code(YOUNGER, code)
    with pytest.raises(WrongCode):
        session.identify_by_code(YOUNGER, code)


def test_a_code_is_refused_without_one_being_sent(session):
    with pytest.raises(WrongCode):
        session.identify_by_code(ELDEST, "000000")


def test_after_three_wrong_codes_even_the_right_one_fails(session, backend):
    session.send_code(ELDEST)
    code = backend.last_code
    for _ in range(3):
        with pytest.raises(WrongCode):
            session.identify_by_code(ELDEST, wrong(code))
    with pytest.raises(WrongCode):
        session.identify_by_code(ELDEST, code)
    assert session.citizen is None

    session.send_code(ELDEST)  # a new code must be requested
    assert session.identify_by_code(ELDEST, backend.last_code).id_number == ELDEST


def test_two_wrong_codes_still_leave_a_try(session, backend):
    session.send_code(OLDEST)
    code = backend.last_code
    for _ in range(2):
        with pytest.raises(WrongCode):
            session.identify_by_code(OLDEST, wrong(code))
    assert session.identify_by_code(OLDEST, code).id_number == OLDEST


def test_end_wipes_the_visit_and_resets_preferences(backend, catalogue):
    settings = Settings(default_language="en", default_text_size="large")
    session = Session(settings, backend, today=DAY)
    assert (session.language, session.text_size) == ("en", "large")
    session.language, session.text_size, session.theme = "zh_CN", "huge", "dark"
    session.identify_by_card(ELDEST)
    journey = session.start(catalogue.get("pension_check"))
    journey.next()
    assert journey.answer(journey.pending(journey.current)).ok

    session.end()
    assert session.citizen is None
    assert session.journey is None
    assert journey.answers == {}
    assert journey.lookups == {}
    assert journey.citizen is None
    assert journey.stage is Stage.DONE
    assert (session.language, session.text_size) == ("en", "large")
    assert session.theme == settings.theme

    with pytest.raises(PermissionError):  # the next person must identify again
        session.start(catalogue.get("pension_check"))


def test_end_with_the_default_settings(session, catalogue):
    session.language, session.text_size = "en", "large"
    session.identify_by_card(YOUNGER)
    session.end()
    assert (session.language, session.text_size) == ("zh_CN", "normal")
    assert session.citizen is None


def test_starting_another_service_wipes_the_first(session, catalogue):
    session.identify_by_card(ELDEST)
    first = session.start(catalogue.get("pay_bill"))
    assert first.answer("water").ok
    second = session.start(catalogue.get("report_problem"))
    assert first.answers == {}
    assert session.journey is second


def test_leaving_a_service_keeps_the_citizen(session, catalogue):
    session.identify_by_card(ELDEST)
    journey = session.start(catalogue.get("pension_check"))
    journey.next()
    assert journey.answer(journey.pending(journey.current)).ok
    session.leave_service()
    assert session.journey is None
    assert journey.answers == {}
    assert session.citizen is not None
