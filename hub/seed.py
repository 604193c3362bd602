"""Demo mode: the same invented citizens, bills, hospitals and applications as the kiosk's
in-process demo backend (kiosk.backend.demo_data), written into the hub's database once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

from sqlalchemy.exc import IntegrityError

from hub.auth import token_hash
from hub.config import DEMO_TOKEN
from hub.db import (
    Bill,
    Citizen,
    Database,
    Desk,
    Insurance,
    Kiosk,
    ListOption,
    Submission,
)
from kiosk.backend import demo_data
from kiosk.service import Option

log = logging.getLogger(__name__)

DEMO_KIOSK = "demo-kiosk"
DEMO_CENTRE = "Demo community centre"
DEMO_DESK = "demo-desk"
DEMO_DESK_TOKEN = "demo-desk-token"


def seed_demo(db: Database) -> None:
    """Idempotent, and safe when two hubs start together: the first one's rows win."""
    _seed_demo_data(db)
    _seed_demo_desk(db)


def _seed_demo_desk(db: Database) -> None:
    """The demo centre's helper desk (its own step: databases seeded before desks existed)."""
    with db.read() as session:
        if session.get(Desk, DEMO_DESK) is not None:
            return
    try:
        with db.write() as session, session.begin():
            session.add(Desk(desk_id=DEMO_DESK, centre=DEMO_CENTRE,
                             token_hash=token_hash(DEMO_DESK_TOKEN)))
    except IntegrityError:
        return
    log.info("demo helper desk %r added", DEMO_DESK)


def _seed_demo_data(db: Database) -> None:
    with db.read() as session:
        if session.get(Kiosk, DEMO_KIOSK) is not None:
            return
    try:
        with db.write() as session, session.begin():
            session.add(Kiosk(kiosk_id=DEMO_KIOSK, centre=DEMO_CENTRE,
                              token_hash=token_hash(DEMO_TOKEN)))
            session.add_all(_citizens())
            session.flush()  # citizens before the rows that point at them
            session.add_all(_options())
            session.add_all(_bills())
            session.add_all(_insurance())
            session.add_all(_applications())
    except IntegrityError:
        log.info("demo data was already written by another hub")
        return
    log.info("demo data written: kiosk %r", DEMO_KIOSK)


def _citizens() -> list[Citizen]:
    return [Citizen(id_number=number, name=name, birth_date=birth, address=address, phone=phone)
            for number, name, birth, address, phone in demo_data.CITIZENS]


def _option(source: str, option: Option, position: int, parent: str = "") -> ListOption:
    return ListOption(source=source, parent_param="hospital" if parent else "",
                      parent_value=parent, value=option.value, label=dict(option.label.by_lang),
                      icon=option.icon, position=position)


def _options() -> list[ListOption]:
    rows = [_option("hospitals", o, i) for i, o in enumerate(demo_data.HOSPITALS)]
    for hospital, departments in demo_data.DEPARTMENTS.items():
        rows += [_option("departments", o, i, hospital) for i, o in enumerate(departments)]
    return rows


def _bills() -> list[Bill]:
    return [Bill(utility=utility, account=account, holder=holder, period=period, amount=amount,
                 due=due)
            for (utility, account), (holder, period, amount, due) in demo_data.BILLS.items()]


def _insurance() -> list[Insurance]:
    return [Insurance(id_number=number, balance=balance, spent_this_year=spent,
                      last_claim_date=when, last_claim_amount=amount, last_claim_place=place)
            for number, (balance, spent, when, amount, place) in demo_data.INSURANCE.items()]


def _applications() -> list[Submission]:
    def midnight(day) -> datetime:
        return datetime.combine(day, time(), tzinfo=UTC)

    return [Submission(reference=reference, service_id=service, source="seed",
                       submitted=midnight(submitted), status=status, updated=midnight(updated))
            for reference, (service, submitted, status, updated)
            in demo_data.APPLICATIONS.items()]

