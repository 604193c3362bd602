"""Calling a helper: one tap raises a request with the hub's helper desk (where the citizen is
stuck, never who they are), and the kiosk shows and says who is coming. If the hub cannot be
reached, the kiosk alerts the room itself: the help sound and a flag staff can see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.i18n import tr
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.ports import HelpDesk
    from ui.screens.context import KioskContext

RETRY_MS = 20000  # with no hub: sound again, and try to reach the desk again


class HelpCall(QObject):
    changed = Signal()
    taken_remotely = Signal(str, str, str)  # request id, clerk, desk: ui/remote takes over

    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.state = ""  # "" | calling | open | acknowledged | local (no hub: the room is told)
        self.request_id = ""
        self.helper_name = ""
        self.desk = ""  # the remote desk that took the call, if it was one
        self.where: tuple[str | None, str | None] = (None, None)
        self.poll = QTimer(self)
        self.poll.timeout.connect(self._tick)

    @property
    def active(self) -> bool:
        return bool(self.state)

    def call(self, service_id: str | None, step_id: str | None) -> None:
        if self.active:
            return  # already called: pressing again does not queue a second helper
        self.where = (service_id, step_id)
        self._set("calling")
        self.kiosk.cue("help")
        self._send()

    @property
    def port(self) -> HelpDesk:
        return self.kiosk.ports.help_desk

    def _send(self) -> None:
        desk = self.port
        run_in_background(lambda: desk.call_help(*self.where), self._called, self._no_hub)

    def _called(self, request_id: str) -> None:
        if not self.active:  # cancelled while the call was on its way
            desk = self.port
            run_in_background(lambda: desk.cancel_help(request_id),
                              lambda _r: None)
            return
        self.request_id = request_id
        self._set("open")
        self.poll.start(int(self.kiosk.settings.help_poll_s * 1000))

    def _no_hub(self, _problem: Exception) -> None:
        if self.active:
            self._set("local")
            self.poll.start(RETRY_MS)

    def _tick(self) -> None:
        if self.state == "local":
            self.kiosk.cue("help")  # the room hears it again until someone comes
            self._send()
            return
        desk, request_id = self.port, self.request_id
        run_in_background(lambda: desk.help_status(request_id), self._status)

    def _status(self, status: dict) -> None:
        if self.kiosk.closed or not self.request_id or status.get("id") != self.request_id:
            return  # an answer about a call since cancelled or ended
        if status.get("state") in ("acknowledged", "taken") and self.state != "acknowledged":
            self.helper_name = str(status.get("clerk") or status.get("helper_name") or "")
            self.desk = str(status.get("desk") or "") if status.get("remote") else ""
            self._set("acknowledged")
            if status.get("remote"):  # a clerk far away: the remote help says who, and asks
                self.taken_remotely.emit(self.request_id, self.helper_name, self.desk)
            else:
                self.kiosk.say([self.message(self.kiosk.session.language)], cue="help")
        elif status.get("state") == "closed":
            self.reset()

    def cancel(self) -> None:
        """The citizen no longer needs help, or has left."""
        if self.request_id:
            desk, request_id = self.port, self.request_id
            run_in_background(lambda: desk.cancel_help(request_id), lambda _r: None,
                              lambda _p: None)
        self.reset()

    def reset(self) -> None:
        self.poll.stop()
        self.request_id = self.helper_name = self.desk = ""
        self._set("")

    def _set(self, state: str) -> None:
        self.state = state
        if not self.kiosk.closed:
            self.changed.emit()

    def message(self, lang: str) -> str:
        if self.state == "acknowledged" and self.helper_name:
            return tr(lang, "help.on_the_way", name=self.helper_name)
        if self.state == "local":
            return tr(lang, "help.local")
        return tr(lang, "help.coming") if self.active else ""

    def flag(self, lang: str) -> str:
        """The same, in a few words for the strip at the top of the screen."""
        if self.state == "acknowledged" and self.desk:  # the remote bar says it, once shared
            return "" if self.kiosk.remote.sharing else \
                tr(lang, "remote.flag.taken", clerk=self.helper_name, desk=self.desk)
        if self.state == "acknowledged" and self.helper_name:
            return tr(lang, "help.flag.on_the_way", name=self.helper_name)
        if self.state == "local":
            return tr(lang, "help.flag.local")
        return tr(lang, "help.flag.coming") if self.active else ""
