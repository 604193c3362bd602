"""Escalation: a help call goes from its centre's desk to the regional desk.

`level` "region" once the call has waited unanswered for its centre's `help_escalate_after_s`
(hub.fleet.HUB_ONLY; a kiosk's own setting wins; DEFAULT_ESCALATE_AFTER_S unless set), or at
once when its centre has no desk of its own. Decided whenever calls are read (no timer per
call), and kept once reached: a call never goes back to the centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hub.db import Database, Desk, FleetSetting, HelpRequest, Kiosk, aware

DEFAULT_ESCALATE_AFTER_S = 120
ESCALATE_KEY = "help_escalate_after_s"


def level_of(row: HelpRequest, after_s: int, centre_has_desk: bool, now: datetime) -> str:
    """"region" once a call waited `after_s` unanswered, or at once with no centre desk."""
    if row.level == "region" or not centre_has_desk:
        return "region"
    if row.state == "open" and (now - aware(row.created)).total_seconds() >= after_s:
        return "region"
    return row.level


@dataclass
class Centres:
    """What escalation needs to know of the centres of some kiosks, read once per list."""

    with_desk: set[str]
    seconds: dict[tuple[str, str], int]  # (scope, scope id) -> help_escalate_after_s

    @classmethod
    def read(cls, session: Session, centres: set[str]) -> Centres:
        with_desk = set(session.scalars(select(Desk.centre).where(
            Desk.centre.in_(centres), Desk.region == "")).all())
        rows = session.execute(select(FleetSetting.scope, FleetSetting.scope_id,
                                      FleetSetting.value)
                               .where(FleetSetting.key == ESCALATE_KEY)).all()
        return cls(with_desk, {(scope, scope_id): int(value) for scope, scope_id, value in rows})

    def after_s(self, kiosk: Kiosk) -> int:  # the kiosk's own setting wins, as in hub.fleet
        return self.seconds.get(("kiosk", kiosk.kiosk_id),
                                self.seconds.get(("centre", kiosk.centre),
                                                 DEFAULT_ESCALATE_AFTER_S))

    def level(self, row: HelpRequest, kiosk: Kiosk, now: datetime) -> str:
        return level_of(row, self.after_s(kiosk), kiosk.centre in self.with_desk, now)


def escalate(db: Database, ids: list[str]) -> None:
    """Keep the levels decided on reading (never lowered again)."""
    if ids:
        with db.write() as session, session.begin():
            session.execute(update(HelpRequest).where(HelpRequest.id.in_(ids),
                                                      HelpRequest.level == "centre")
                            .values(level="region"))


def kiosk_view(db: Database, row_id: str, kiosk_id: str, now: datetime) -> dict[str, Any]:
    """What the kiosk's status poll adds: level, who took it, whether remotely."""
    with db.read() as session:
        row = session.get(HelpRequest, row_id)
        kiosk = session.get(Kiosk, kiosk_id)
        level = Centres.read(session, {kiosk.centre}).level(row, kiosk, now)
    if level != row.level:
        escalate(db, [row.id])
    return {"level": level, "clerk": row.clerk, "desk": row.desk,
            "remote": row.taken_by is not None}
