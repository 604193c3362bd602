"""One helper assisting one citizen with one service: consent first, every act logged.

Until the citizen says yes, `can_act` is False and every action raises `NotAllowed`. Each call
writes one audit entry holding only non-personal facts (ids, relationship kind, lengths); the
note texts and the "for whom" label stay in memory for the submission and receipt.
"""

from __future__ import annotations

from typing import Any

from kiosk.assist.audit import AuditLog
from kiosk.assist.helpers import Helper
from kiosk.events import VisitEvents

RELATIONSHIPS = ("spouse", "child", "grandchild", "sibling", "other_relative", "carer",
                 "neighbour_friend")
ENDED_BY = ("citizen", "helper", "timeout")
MAX_NOTE = 500
MAX_LABEL = 80


class NotAllowed(PermissionError):
    """The helper may not do this (no consent yet, or the assistance has ended)."""


class Assistance:
    def __init__(self, helper: Helper, audit: AuditLog, kiosk_id: str, service_id: str) -> None:
        self.helper = helper
        self.audit = audit
        self.kiosk_id = kiosk_id
        self.service_id = service_id
        self.consent: bool | None = None  # None: not answered yet
        self.asked = False
        self.ended_by: str | None = None
        self.notes: list[str] = []
        self.proxy_declaration: dict[str, Any] | None = None
        self._done: list[tuple[str, str, str]] = []
        self._events: VisitEvents | None = None

    @property
    def can_act(self) -> bool:
        return self.consent is True and self.ended_by is None

    def _log(self, action: str, **detail: Any) -> None:
        self.audit.append(action, self.kiosk_id, self.helper.helper_id,
                          {"service": self.service_id, **detail})

    def _act(self, action: str, subject: str = "", **detail: Any) -> None:
        if not self.can_act:
            why = "assistance has ended" if self.ended_by else "the citizen has not consented"
            raise NotAllowed(f"{action}: {why}")
        self._log(action, **detail)
        self._done.append((action, self.service_id, subject))

    def follow(self, events: VisitEvents) -> None:
        """Every answer the visit accepts while this helper may act is recorded (audited)."""
        self.unfollow()
        self._events = events
        events.answered.connect(self._answered)

    def unfollow(self) -> None:
        if self._events is not None:
            self._events.answered.disconnect(self._answered)
            self._events = None

    def _answered(self, _service_id: str, step_id: str) -> None:
        if self.can_act:
            self.field_filled(step_id)

    # consent
    def ask_consent(self) -> None:
        if self.ended_by is not None:
            raise NotAllowed("assistance has ended")
        self.asked = True
        self._log("consent_asked")

    def answer_consent(self, given: bool) -> None:
        if not self.asked or self.ended_by is not None:
            raise NotAllowed("consent must be asked first")
        self.asked = False
        self.consent = bool(given)
        self._log("consent_given" if given else "consent_refused")

    # acts (need consent)
    def field_filled(self, step_id: str) -> None:
        self._act("field_filled", step_id, step=step_id)

    def note(self, text: str) -> None:
        text = text.strip()
        if not text or len(text) > MAX_NOTE:
            raise ValueError(f"a note is 1 to {MAX_NOTE} characters")
        self._act("note_added", length=len(text))
        self.notes.append(text)

    def proxy(self, relationship: str, declaration_accepted: bool, for_whom_label: str) -> None:
        """The helper files on someone's behalf (e.g. for the citizen's housebound spouse)."""
        if relationship not in RELATIONSHIPS:
            raise ValueError(f"relationship must be one of {', '.join(RELATIONSHIPS)}")
        label = for_whom_label.strip()
        if not label or len(label) > MAX_LABEL:
            raise ValueError(f"say for whom, in 1 to {MAX_LABEL} characters")
        if declaration_accepted is not True:
            raise NotAllowed("the declaration must be accepted to file for someone else")
        self._act("proxy_declared", relationship, relationship=relationship, declaration=True)
        self.proxy_declaration = {"relationship": relationship, "for_whom": label,
                                  "declaration_accepted": True}

    def language_switched(self, language: str) -> None:
        self._act("language_switched", language, language=language)

    def timeout_paused(self) -> None:
        self._act("timeout_paused")

    def end(self, by: str) -> None:
        if by not in ENDED_BY:
            raise ValueError(f"ended by one of {', '.join(ENDED_BY)}")
        if self.ended_by is not None:
            raise NotAllowed("assistance has already ended")
        self.ended_by = by
        self.unfollow()
        self._log("assistance_ended", by=by)

    # for the citizen's slip, the submission and the receipt
    def summary(self) -> list[tuple[str, str, str]]:
        """What the helper did, in order: (action, service id, step id / relationship / "")."""
        return list(self._done)

    def submission_extra(self) -> dict[str, Any]:
        proxy = dict(self.proxy_declaration) if self.proxy_declaration else None
        return {"assisted_by": self.helper.helper_id, "notes": list(self.notes), "proxy": proxy}
