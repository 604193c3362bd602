"""What the usage dashboard counts: the visit's own events (kiosk.usage_recorder: services,
steps, outcomes) plus what happens around it on the kiosk (help calls, the rating), and after
each visit the records the hub does not have yet go to it (off the GUI thread; offline they
wait).

Anonymous by construction: only service ids, step ids, outcomes, help timings and ratings reach
the log, never an answer or who the citizen is. Practice visits are not counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.settings import Settings, records_folder
from kiosk.usage import UsageLog, send_pending
from kiosk.usage_recorder import UsageRecorder
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from ui.screens.context import KioskContext
    from ui.screens.rating import RatingScreen


def usage_log_path(settings: Settings) -> Path:
    folder = records_folder(settings)  # a demo's made-up visits never reach the real figures
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "usage.sqlite3"


class UsageTracking(QObject):
    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.log = UsageLog(usage_log_path(kiosk.settings))
        self.recorder: UsageRecorder | None = None
        self._help = ""  # the help call's last state
        self._answered = False  # this call's helper has come (or said they are coming)
        if kiosk.settings.practice:
            return  # practice visits are not the centre's figures
        self.recorder = UsageRecorder(self.log, kiosk.session.events)
        kiosk.session_ended.connect(self._send)
        kiosk.help_call.changed.connect(self._help_changed)
        kiosk.assisted.changed.connect(self._helper_changed)

    def follow_rating(self, rating: RatingScreen) -> None:
        """The rating screen, once built (ui.app.Later), reports the faces chosen."""
        if self.recorder is not None:
            rating.chosen.connect(self._rated)

    @property
    def visiting(self) -> bool:
        return self.kiosk.session.visiting

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

    def close(self) -> None:
        """At shutdown, after the background work is done (a send may be using the log)."""
        if self.recorder is not None:
            self.recorder.detach()
        self.log.close()

    def _send(self) -> None:
        if self.kiosk.settings.practice:
            return
        uplink, log = self.kiosk.ports.uplink, self.log
        run_in_background(lambda: send_pending(log, uplink), lambda _sent: None)
