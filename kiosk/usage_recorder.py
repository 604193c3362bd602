"""The usage figures of a visit, noted as the visit announces them (kiosk.events): which
services were started, the last step reached, how each task ended. They depend on what the
citizen did, never on which screen object was shown.

Anonymous by construction: the events carry only service ids, step ids and outcome words.
"""

from __future__ import annotations

from kiosk.events import VisitEvents
from kiosk.usage import UsageLog


class UsageRecorder:
    def __init__(self, log: UsageLog, events: VisitEvents) -> None:
        self.log = log
        self.events = events
        self._subscriptions = (
            (events.visit_started, log.visit_started),
            (events.task_started, log.task_started),
            (events.step_reached, self._step_reached),
            (events.task_ended, self._task_ended),
            (events.visit_ended, log.visit_ended),
        )
        for emitter, callback in self._subscriptions:
            emitter.connect(callback)

    def _step_reached(self, _service_id: str, step_id: str) -> None:
        self.log.step_reached(step_id)

    def _task_ended(self, _service_id: str, outcome: str) -> None:
        self.log.task_ended(outcome)

    def detach(self) -> None:
        """No more figures (the log is about to close)."""
        for emitter, callback in self._subscriptions:
            emitter.disconnect(callback)
