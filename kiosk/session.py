"""One citizen's visit: language, text size, who they are, the service in progress.

The visit drives the journey: one call per citizen action (`begin()`, `choose()`, `answer()`,
`back()`, `change()`, `leave_service()`, `end()`) returns what happened, an Outcome the screens
only draw, and announces it on `events` (kiosk.events) for the usage figures and the assistance
record. `end()` is the only way a visit finishes (Finish, idle timeout, or walking away), and it
wipes everything personal so the next person finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from kiosk.backend import Backend
from kiosk.citizen import Citizen
from kiosk.events import (
    COMPLETED,
    GAVE_UP,
    IDENTITY_STEP,
    INELIGIBLE,
    REVIEW_STEP,
    VisitEvents,
)
from kiosk.fields import Problem
from kiosk.journey import Journey, Stage
from kiosk.service import Service, Step
from kiosk.settings import Settings


class Move(Enum):
    JOURNEY = "journey"  # on to the journey's stage: a step, review, done or ineligible
    IDENTIFY = "identify"  # the service needs to know who the citizen is first
    REFUSED = "refused"  # the answer was not taken: say why, stay on the step
    LEFT = "left"  # out of the service, back to the menu


@dataclass(frozen=True)
class Outcome:
    """What one citizen action led to."""

    move: Move
    stage: Stage | None = None  # where the journey is now (JOURNEY)
    step: Step | None = None  # the step now asked (JOURNEY at Stage.STEP, REFUSED)
    problem: Problem | None = None  # why the answer was refused, to say in plain words


class Session:
    def __init__(self, settings: Settings, backend: Backend, today: date | None = None) -> None:
        self.settings = settings
        self.backend = backend
        self.today = today
        self.citizen: Citizen | None = None
        self.journey: Journey | None = None
        self.events = VisitEvents()
        self.visiting = False  # begun by a citizen (the welcome screen touched), not yet ended
        self._task: str | None = None  # the service under way, from its first step reached
        self._step: str | None = None  # the last step announced in it
        self.reset_preferences()

    def day(self) -> date:
        """Today, or the fixed day a test or a demo runs on."""
        return self.today or date.today()

    def reset_preferences(self) -> None:
        self.language = self.settings.default_language
        self.text_size = self.settings.default_text_size
        self.theme = self.settings.theme

    # identity
    def needs_identity(self, service: Service) -> bool:
        return service.needs_identity and self.citizen is None

    # Off the GUI thread (ui.ops): what the hub holds, not yet taken as this visit's citizen.
    def find_by_card(self, id_number: str) -> Citizen:
        return self.backend.citizen_by_card(id_number)

    def find_by_code(self, id_number: str, code: str) -> Citizen:
        return self.backend.verify_code(id_number, code)

    def demo_code(self) -> str:
        """The one-time code a demo hub shows (no phone receives it); empty for a real hub."""
        return self.backend.demo_code()

    def identify_by_card(self, id_number: str) -> Citizen:
        self.citizen = self.backend.citizen_by_card(id_number)
        return self.citizen

    def send_code(self, id_number: str) -> str:
        """Returns the last four digits of the phone the code went to."""
        return self.backend.send_code(id_number)

    def identify_by_code(self, id_number: str, code: str) -> Citizen:
        self.citizen = self.backend.verify_code(id_number, code)
        return self.citizen

    # services
    def start(self, service: Service) -> Journey:
        if self.needs_identity(service):
            raise PermissionError(f"{service.id} needs the citizen identified first")
        if self.journey is not None:
            self.journey.wipe()
        self.journey = Journey(service, self.backend, self.citizen if service.needs_identity
                               else None, self.today, self.language)
        return self.journey

    def leave_service(self) -> None:
        """Out of the service (to the menu, or the visit ends): a task not finished is given up."""
        self._end_task(GAVE_UP)
        if self.journey is not None:
            self.journey.wipe()
        self.journey = None

    def end(self) -> None:
        self.leave_service()
        self.citizen = None
        self.reset_preferences()
        if self.visiting:
            self.visiting = False
            self.events.visit_ended.emit()

    # the citizen's actions: each returns what happened, and announces it
    def begin(self) -> None:
        """The welcome screen was touched: a fresh visit."""
        self.end()
        self.visiting = True
        self.events.visit_started.emit()

    def choose(self, service: Service) -> Outcome:
        """After "before you start": prove identity if needed, else the service's first step."""
        if self.needs_identity(service):
            self._reached(service.id, IDENTITY_STEP)
            return Outcome(Move.IDENTIFY)
        self.start(service)
        return self.announce()

    def answer(self, raw: Any) -> Outcome:
        """Next on a step: the answer checked, taken, and the journey moved on."""
        journey = self._journey()
        step = journey.current
        checked = journey.answer(raw)
        if not checked.ok:
            return Outcome(Move.REFUSED, Stage.STEP, step, checked.problem)
        self.events.answered.emit(journey.service.id, step.id)
        journey.next()
        return self.announce()

    def back(self) -> Outcome:
        """One step back; from the first step, out of the service."""
        if self.journey is not None and self.journey.back():
            return self.announce()
        self.leave_service()
        return Outcome(Move.LEFT)

    def change(self, step_id: str) -> Outcome:
        """"Change" on check your answers: that step again, then back to the summary."""
        self._journey().change(step_id)
        return self.announce()

    def announce(self) -> Outcome:
        """Where the journey is now, announced once (a screen shown again, after help or after
        the reference came, is not a new step); also after a submission or its settling."""
        journey = self.journey
        if journey is None:
            self.leave_service()
            return Outcome(Move.LEFT)
        stage, service = journey.stage, journey.service.id
        if stage is Stage.STEP:
            self._reached(service, journey.current.id)
            return Outcome(Move.JOURNEY, stage, journey.current)
        if stage is Stage.REVIEW:
            self._reached(service, REVIEW_STEP)
        else:
            if self._task is None:  # ended before any step: refused at once, or nothing to ask
                self._reached(service, None)
            self._end_task(INELIGIBLE if stage is Stage.INELIGIBLE else COMPLETED)
        return Outcome(Move.JOURNEY, stage)

    def _journey(self) -> Journey:
        if self.journey is None:
            raise RuntimeError("no service is under way")
        return self.journey

    def _reached(self, service_id: str, step_id: str | None) -> None:
        if self._task is None:
            self._task, self._step = service_id, None
            self.events.task_started.emit(service_id)
        if step_id is not None and step_id != self._step:
            self._step = step_id
            self.events.step_reached.emit(service_id, step_id)

    def _end_task(self, outcome: str) -> None:
        if self._task is not None:
            task, self._task, self._step = self._task, None, None
            self.events.task_ended.emit(task, outcome)
