"""POST /v1/heartbeat: a kiosk says it is alive and how much it still has to send.

Also the help requests (hub.routes.help_requests): kiosks calling a helper, and the helper desk."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from sqlalchemy import update

from hub.auth import authenticate
from hub.db import Kiosk, iso, utcnow
from hub.fleet import config_answer
from hub.releases import update_answer
from hub.routes import help_requests, hub_of
from hub.routes.models import Heartbeat

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1")


@router.post("/heartbeat", response_model=None)
def heartbeat(body: Heartbeat, request: Request,
              kiosk_id: str = Depends(authenticate)) -> dict:
    """Answers with `config` (the settings the hub keeps for this kiosk, when they differ
    from what it has: hub.fleet), the catalogue's version, so a kiosk refetches it when
    it changed, and `update`: a newer release offered to it (hub.releases), else {}."""
    now = utcnow()
    hub = hub_of(request)
    seen = {"last_seen": now, "queue_waiting": body.queue_waiting,
            "queue_quarantined": body.queue_quarantined, "version": body.version,
            "update_problem": body.update_problem}
    checked = _moment(body.problems_checked)
    if checked is not None:  # a kiosk that has not checked itself yet keeps what it said last
        seen.update(problems=body.problems, problems_checked=checked)
    with hub.db.soft_write() as session, session.begin():  # the next one comes
        kiosk = session.get(Kiosk, kiosk_id)
        if body.audit_head and body.audit_seq >= (kiosk.audit_seq or 0):
            seen.update(audit_head=body.audit_head, audit_seq=body.audit_seq)
        elif body.audit_head:  # never lowered: the head seen is the evidence of what was there
            log.warning("kiosk %s reports %d audit entries; it had %d", kiosk_id,
                        body.audit_seq, kiosk.audit_seq)
        # Recorded against the kiosk the token belongs to, whatever id the body gives.
        session.execute(update(Kiosk).where(Kiosk.kiosk_id == kiosk_id).values(**seen)
                        .execution_options(synchronize_session=False))  # no objects to sync
        config = config_answer(session, kiosk_id, kiosk.centre, body.settings_hash)
        centre = kiosk.centre
        news = body.update_problem and body.update_problem != kiosk.update_problem
    if news:  # once, not with every heartbeat; the centre page shows it meanwhile
        log.warning("kiosk %s could not update: %s", kiosk_id, body.update_problem)
    return {"server_time": iso(now), "config": config,
            "catalogue_version": hub.catalogue.version,
            "update": update_answer(hub.settings, centre, body.version)}


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/audit-head")
def audit_head(request: Request, kiosk_id: str = Depends(authenticate)) -> dict:
    """The newest audit entry this kiosk's heartbeats reported: `verify-audit --hub` checks
    that the kiosk's log still holds it (a log cut short loses it)."""
    with hub_of(request).db.read() as session:
        kiosk = session.get(Kiosk, kiosk_id)
        return {"kiosk_id": kiosk_id, "audit_head": kiosk.audit_head or "",
                "audit_seq": kiosk.audit_seq or 0}


help_requests.add_routes(router)  # /v1/help-requests..., /v1/desk/...
