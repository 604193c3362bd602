"""What the usage dashboard counts, noted as it happens: the kiosk's screens and help calls
turned into kiosk.usage.UsageLog calls.

Anonymous by construction: only service ids, step ids, outcomes, help timings and ratings reach
the log, never an answer or who the citizen is. Practice visits are not counted. After each
visit, the records the hub does not have yet go to it (off the GUI thread; offline they wait).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.settings import Settings, records_folder
from kiosk.usage import UsageLog, send_pending
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from ui.screens.base import Screen
    from ui.screens.context import KioskContext

IDENTITY_STEP = "identity"  # proving who they are, before the service's own steps
REVIEW_STEP = "review"  # check your answers


def usage_log_path(settings: Settings) -> Path:
    folder = records_folder(settings)  # a demo's made-up visits never reach the real figures
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "usage.sqlite3"


class UsageTracking(QObject):
    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.log = UsageLog(usage_log_path(kiosk.settings))
        self.visiting = False
        self.task: str | None = None  # the service under way
        self.step: str | None = None  # its last step reached
        self._help = ""  # the help call's last state
        self._answered = False  # this call's helper has come (or said they are coming)
        if kiosk.settings.practice:
            return  # practice visits are not the centre's figures
        kiosk.screen_shown.connect(self._shown)
        kiosk.session_ended.connect(self._visit_ended)
        kiosk.help_call.changed.connect(self._help_changed)
        kiosk.assisted.changed.connect(self._helper_changed)
        kiosk.rating.chosen.connect(self._rated)

    def _shown(self, screen: Screen) -> None:
        kiosk = self.kiosk
        if not self.visiting:
            if screen not in (kiosk.languages, kiosk.menu):
                return  # the welcome screen, or the admin's way in: nobody is visiting
            self.visiting = True
            self.log.visit_started()
        if screen is kiosk.question:
            self._reached(kiosk.question.step.id)
        elif screen is kiosk.review:
            self._reached(REVIEW_STEP)
        elif screen in (kiosk.card, kiosk.id_number, kiosk.code, kiosk.who):
            self._reached(IDENTITY_STEP)
        elif screen in (kiosk.confirmation, kiosk.rating):
            self._task_ended("completed")  # filed, or a query's last page read
        elif screen is kiosk.ineligible:
            self._task_ended("ineligible")
        elif screen is kiosk.menu:
            self._task_ended("gave_up")  # left the service for the menu

    def _reached(self, step: str) -> None:
        if self.task is None:
            journey = self.kiosk.session.journey
            service = journey.service if journey is not None else self.kiosk.chosen
            if service is None:
                return
            self.task = service.id
            self.step = None
            self.log.task_started(service.id)
        if step != self.step:  # coming back from help or sound is not a new step
            self.step = step
            self.log.step_reached(step)

    def _task_ended(self, outcome: str) -> None:
        if self.task is not None:
            self.log.task_ended(outcome)
            self.task = self.step = None

    def _rated(self, score: int, comment: str | None) -> None:
        if self.visiting:
            self.log.rated(score, comment)

    def _help_changed(self) -> None:
        state = self.kiosk.help_call.state
        if self.visiting and state and not self._help:
            self._answered = False
            self.log.help_called()
        if state == "acknowledged":
            self._helper_came()
        self._help = state

    def _helper_changed(self) -> None:
        if self.kiosk.assisted.helper is not None:
            self._helper_came()

    def _helper_came(self) -> None:
        if self.visiting and self._help and not self._answered:
            self._answered = True
            self.log.help_answered()

    def _visit_ended(self) -> None:
        if self.visiting:
            self._task_ended("gave_up")  # walked away, or timed out, mid-service
            self.visiting = False
            self.log.visit_ended()
            self._send()

    def close(self) -> None:
        """At shutdown, after the background work is done (a send may be using the log)."""
        self.log.close()

    def _send(self) -> None:
        backend, log = self.kiosk.session.backend, self.log
        if hasattr(backend, "send_usage"):
            run_in_background(lambda: send_pending(log, backend), lambda _sent: None)
