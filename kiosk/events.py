"""A tiny Qt-free event emitter, and the events of a visit.

The core announces what happened (kiosk.session drives the journey and emits these); whoever
needs to know subscribes in kiosk/ — the usage figures (kiosk.usage_recorder), the assistance
record and its audit (kiosk.assist.assistance) — so none of them depends on which screen object
happens to be shown. Callbacks run on the thread that emits (the GUI thread, for a visit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Emitter:
    """One kind of event: callbacks connected to it, called in order on emit()."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        """A subscriber that fails is logged and skipped: a figure or a record going wrong never
        stops the citizen's action, nor the other subscribers."""
        for callback in list(self._callbacks):
            try:
                callback(*args)
            except Exception:
                log.exception("a subscriber to %s failed", self.name)


class VisitEvents:
    """What a visit announces (kiosk.session emits them). Arguments are ids and outcome words
    only, never an answer or who the citizen is: any subscriber is anonymous by construction."""

    def __init__(self) -> None:
        self.visit_started = Emitter("visit_started")  # ()
        self.task_started = Emitter("task_started")  # (service_id,): its first step reached
        self.step_reached = Emitter("step_reached")  # (service_id, step_id)
        self.answered = Emitter("answered")  # (service_id, step_id): an answer was accepted
        self.task_ended = Emitter("task_ended")  # (service_id, outcome)
        self.visit_ended = Emitter("visit_ended")  # ()


# task outcomes
COMPLETED = "completed"  # filed, or a query's last page read
INELIGIBLE = "ineligible"  # a rule of the service refused this citizen
GAVE_UP = "gave_up"  # left the service, walked away or timed out

IDENTITY_STEP = "identity"  # proving who they are, before the service's own steps
REVIEW_STEP = "review"  # check your answers
