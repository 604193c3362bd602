"""The hub's tables and database connections (SQLAlchemy 2.0; SQLite or PostgreSQL).

Everything the hub remembers lives here, none of it in the process, so several hub instances
can serve one region from one PostgreSQL database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time the hub stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    """W3C / RFC 3339 UTC time to the second, as both APIs write times."""
    return aware(moment).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Kiosk(Base):
    __tablename__ = "kiosks"
    kiosk_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    centre: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex, never the token
    last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    queue_waiting: Mapped[int | None] = mapped_column(Integer)
    queue_quarantined: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[str | None] = mapped_column(String(100))
    audit_head: Mapped[str | None] = mapped_column(String(64))  # its audit log's newest hash
    audit_seq: Mapped[int | None] = mapped_column(Integer)  # and how many entries it had


class FleetSetting(Base):
    """A setting the hub pushes (a key of the kiosk's settings.toml): for every kiosk of a
    centre (scope "centre") or for one kiosk (scope "kiosk", which wins)."""

    __tablename__ = "fleet_settings"
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)  # centre | kiosk
    scope_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    changed: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Desk(Base):
    """A helper desk: a centre's own answers the help requests of the kiosks of its centre; a
    regional desk (`region` set) those of the centres it `serves` once they escalate."""

    __tablename__ = "desks"
    desk_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    centre: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex, never the token
    region: Mapped[str] = mapped_column(String(200), default="", server_default="")
    serves: Mapped[list[str] | None] = mapped_column(JSON)  # a regional desk's centres


class HelpRequest(Base):
    """A citizen at a kiosk asked for a helper. No personal data: where they are stuck, when,
    and the display name of the helper who comes."""

    __tablename__ = "help_requests"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.kiosk_id"), index=True)
    service_id: Mapped[str | None] = mapped_column(String(100))
    step_id: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(12), index=True)  # open | acknowledged | closed
    helper_name: Mapped[str | None] = mapped_column(String(60))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    acknowledged: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    level: Mapped[str] = mapped_column(String(8), default="centre",
                                       server_default="centre")  # centre | region
    clerk: Mapped[str | None] = mapped_column(String(60))  # who took it at a desk, remotely
    desk: Mapped[str | None] = mapped_column(String(200))  # that desk's name
    taken_by: Mapped[str | None] = mapped_column(String(100))  # that desk's id


class UsageRecord(Base):
    """One anonymous visit at a kiosk (kiosk.usage_stats describes `record`): the day, whole
    seconds, service / step / phrase ids, outcomes and ratings. No time of day, nothing personal.
    A record id is the kiosk's; stored once per kiosk however often it is sent."""

    __tablename__ = "usage_records"
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.kiosk_id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID
    day: Mapped[date] = mapped_column(Date, index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    received: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Citizen(Base):
    __tablename__ = "citizens"
    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str] = mapped_column(String(20))  # E.164


class IdentityCode(Base):
    """The one-time code last sent to a citizen's phone; three wrong tries burn it. Only the
    kiosk that asked for it can use it (the citizen is standing there)."""

    __tablename__ = "identity_codes"
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), primary_key=True)
    code: Mapped[str] = mapped_column(String(12))
    kiosk_id: Mapped[str | None] = mapped_column(String(100))  # None: from before 0004, unusable
    tries_left: Mapped[int] = mapped_column(Integer)
    sent: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ListOption(Base):
    """One entry of a live list (hospitals; departments of one hospital)."""

    __tablename__ = "options"
    __table_args__ = (UniqueConstraint("source", "parent_value", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(50))
    parent_param: Mapped[str] = mapped_column(String(50), default="")  # e.g. "hospital"
    parent_value: Mapped[str] = mapped_column(String(100), default="")
    value: Mapped[str] = mapped_column(String(100))
    label: Mapped[dict[str, str]] = mapped_column(JSON)
    icon: Mapped[str] = mapped_column(String(50), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Bill(Base):
    __tablename__ = "bills"
    utility: Mapped[str] = mapped_column(String(50), primary_key=True)
    account: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))  # masked, as the utility shows it
    period: Mapped[dict[str, str]] = mapped_column(JSON)
    amount: Mapped[str] = mapped_column(String(20))  # decimal text, as the kiosk shows it
    due: Mapped[date] = mapped_column(Date)


class Insurance(Base):
    __tablename__ = "insurance"
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), primary_key=True)
    balance: Mapped[str] = mapped_column(String(20))
    spent_this_year: Mapped[str] = mapped_column(String(20))
    last_claim_date: Mapped[date] = mapped_column(Date)
    last_claim_amount: Mapped[str] = mapped_column(String(20))
    last_claim_place: Mapped[dict[str, str]] = mapped_column(JSON)


class Submission(Base):
    """A filed application; `plaintext` is the opened envelope, kept as the kiosk sealed it."""

    __tablename__ = "submissions"
    reference: Mapped[str] = mapped_column(String(20), primary_key=True)
    provisional_reference: Mapped[str | None] = mapped_column(String(200))
    provisional_search: Mapped[str | None] = mapped_column(String(200), index=True)  # normalised
    service_id: Mapped[str] = mapped_column(String(100))
    kiosk_id: Mapped[str | None] = mapped_column(ForeignKey("kiosks.kiosk_id"))
    source: Mapped[str] = mapped_column(String(20), default="kiosk")  # kiosk | open311 | seed
    plaintext: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(30), default="received")
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdempotencyKey(Base):
    """One row per key, for ever. The unique key decides races between hub instances."""

    __tablename__ = "idempotency_keys"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(50))
    request_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # processing | done
    owner: Mapped[str] = mapped_column(String(36))  # the attempt now processing it
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Booking(Base):
    """One place taken in an appointment slot (one row per booking: inserts never race)."""

    __tablename__ = "bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slot_id: Mapped[str] = mapped_column(String(200), index=True)
    reference: Mapped[str] = mapped_column(ForeignKey("submissions.reference"))


class SlotPlaces(Base):
    """Places taken per slot: one conditional UPDATE takes a place or finds the slot full, so
    concurrent bookings on several hubs can never exceed a slot's capacity."""

    __tablename__ = "slot_places"
    slot_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)


class Open311Request(Base):
    """A problem report as Open311 sees it; its service_request_id is the submission reference."""

    __tablename__ = "open311_requests"
    service_request_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.reference"), primary_key=True)
    token: Mapped[str] = mapped_column(String(36), unique=True)
    service_code: Mapped[str] = mapped_column(String(50), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    address_string: Mapped[str] = mapped_column(String(500), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    long: Mapped[float | None] = mapped_column(Float)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON)
    contact: Mapped[dict[str, str]] = mapped_column(JSON)  # email, phone, names: as given
    media_url: Mapped[str] = mapped_column(String(1000), default="")
    requested: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # UTC
    address_id: Mapped[str] = mapped_column(String(200), default="")
    zipcode: Mapped[str] = mapped_column(String(20), default="")
    # The citizen's own words are published only once the centre has read them:
    # pending | published | withheld (hub.reports.review).
    review: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    status_notes: Mapped[str | None] = mapped_column(Text)  # the centre's public note
    reviewed: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def make_engine(url: str, pool_size: int = 20) -> Engine:
    """`pool_size`: at least the hub's worker threads (hub.app.WORKER_THREADS) plus the lease
    keeper, so a busy hub never opens and closes overflow connections; no pre-ping (a round
    trip per checkout); a connection that died is recycled when it fails."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               hide_parameters=True)
        _sqlite_transactions(engine)
        return engine
    engine = create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30,
                           pool_pre_ping=False, pool_recycle=3600, pool_use_lifo=True,
                           hide_parameters=True)  # a citizen's data in errors and logs otherwise
    _postgres_soft_commits(engine)
    return engine


def _postgres_soft_commits(engine: Engine) -> None:
    """A `soft_write()` transaction commits without waiting for its WAL flush: for what may be
    lost in a crash of the database server and is simply sent again (a heartbeat, the
    bookkeeping of an idempotency key being processed). Everything filed still waits."""

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if connection.get_execution_options().get("hub_soft", False):
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


def _sqlite_transactions(engine: Engine) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE for writing sessions.

    pysqlite's own deferred BEGIN lets two writers both read and then fail to upgrade their
    locks ("database is locked" at once, no waiting); taking the write lock up front waits.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # the "begin" hook below issues BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        immediate = connection.get_execution_options().get("hub_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine and its session factories: `read()`, `write()` (a writing transaction) and
    `soft_write()` (one whose loss in a database crash costs nothing: see above)."""

    def __init__(self, url: str, pool_size: int = 20) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size)
        self.read = sessionmaker(self.engine, expire_on_commit=False)
        self.write = sessionmaker(self.engine.execution_options(hub_write=True),
                                  expire_on_commit=False)
        self.soft_write = sessionmaker(
            self.engine.execution_options(hub_write=True, hub_soft=True), expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()
