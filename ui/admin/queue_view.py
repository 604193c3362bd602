"""The Queue tab: the forms this kiosk took in that the hub has not filed yet, and the ones it
refused, with why. Send now; send the refused ones again once their cause is fixed (only a
person gives a form up); or save every unfiled form to a USB stick for the hub (a centre with
no connection for weeks). Only what the outbox knows without opening a form is shown:
service, time, state, tries and the last problem; never an answer or who filed it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.i18n import tr
from kiosk.ports import QueueAdmin
from kiosk.sync.bundle import BundleError, ExportResult, export_bundle
from kiosk.sync.outbox import ATTEMPTING, QUARANTINED, Outbox, OutboxItem
from kiosk.sync.sender import Outcome
from kiosk.usb import Ejected, UsbError, eject, flush
from ui.admin.parts import AdminPage, DrivePicker, OutcomeLine, Table, local_time, service_title
from ui.screens.base import label
from ui.tasks import run_in_background
from ui.widgets.big_button import BigButton


@dataclass(frozen=True)
class SendResult:
    sent: int = 0
    refused: int = 0
    problem: str = ""  # why the hub could not be reached ("" = it could)


class QueueView(AdminPage):
    def __init__(self, kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.lang = kiosk.session.language
        self.setProperty("role", "page")
        self.busy = False
        self.ejector = eject  # unmounts a stick (kiosk.usb); Ejected, or UsbError in words
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.heading = label("heading")
        self.summary = label("body")
        self.summary.setObjectName("queue-summary")
        self.offline_note = label("hint")
        self.send = BigButton(role="primary", icon="next", min_width=360)
        self.send.setObjectName("queue-send")
        self.send.clicked.connect(self.send_now)
        self.usb_heading = label("body")
        self.drives = DrivePicker("queue")
        self.drives.chosen.connect(self.export_to)
        self.outcome = OutcomeLine("queue")  # how the last act went
        self.done, self.error = self.outcome.done, self.outcome.error
        self.waiting_heading = label("heading")
        self.waiting = Table("queue-waiting", wide_column=-1)
        self.waiting_none = label("hint")
        self.refused_heading = label("heading")
        self.refused_note = label("hint")
        self.refused = Table("queue-refused", wide_column=-1)
        self.refused_none = label("hint")
        self.resend = BigButton(role="secondary", icon="next", min_width=640)
        self.resend.setObjectName("queue-resend")
        self.resend.clicked.connect(self.send_refused_again)
        resend_row = QHBoxLayout()
        resend_row.addWidget(self.resend)
        resend_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send)
        buttons.addStretch(1)
        box.addWidget(self.heading)
        box.addWidget(self.summary)
        box.addWidget(self.offline_note)
        box.addLayout(buttons)
        for widget in (self.usb_heading, self.drives, self.outcome,
                       self.waiting_heading, self.waiting, self.waiting_none,
                       self.refused_heading, self.refused_note, self.refused,
                       self.refused_none):
            box.addWidget(widget)
        box.addLayout(resend_row)
        self.refresh()

    # what is there
    @property
    def queue(self) -> QueueAdmin:
        return self.kiosk.ports.queue

    @property
    def outbox(self) -> Outbox | None:
        return self.queue.outbox  # None: the in-process demo keeps no queue

    def items(self) -> list[OutboxItem]:
        return self.outbox.items() if self.outbox is not None else []

    def refresh(self) -> None:
        self.drives.refresh()
        self._show()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.drives.retranslate(lang)
        self._show()

    def forget(self) -> None:
        """The last act's words gone: the admin screen opens afresh."""
        self.outcome.forget()

    def _service(self, service_id: str) -> str:
        return service_title(self.kiosk, service_id, self.lang)

    def _state(self, item: OutboxItem) -> str:
        if item.state == ATTEMPTING:
            return "→ " + tr(self.lang, "view.queue.state.attempting")
        return "… " + tr(self.lang, "view.queue.state.retry" if item.attempts
                         else "view.queue.state.waiting")

    def _show(self) -> None:
        lang = self.lang
        self.outcome.retranslate(lang)
        self.heading.setText(tr(lang, "view.queue.heading"))
        has_queue = self.outbox is not None
        for widget in (self.send, self.usb_heading, self.drives, self.waiting_heading,
                       self.refused_heading, self.refused_note):
            widget.setVisible(has_queue)
        self.restyle()
        offline = self.queue.policy == "offline"
        no_hub = self.kiosk.needs_staff is not None  # it does not know where to send
        self.offline_note.setText(tr(lang, "view.queue.needs_staff" if no_hub
                                     else "view.queue.offline_note"))
        self.offline_note.setVisible(has_queue and offline)
        self.send.setVisible(has_queue and not no_hub)
        if not has_queue:
            self.summary.setText(tr(lang, "view.queue.demo"))
            for widget in (self.waiting, self.waiting_none, self.refused, self.refused_none,
                           self.resend):
                widget.hide()
            return
        items = self.items()
        waiting = [i for i in items if i.state != QUARANTINED]
        refused = [i for i in items if i.state == QUARANTINED]
        self.summary.setText(
            tr(lang, "view.queue.summary", waiting=len(waiting), refused=len(refused)) if items
            else tr(lang, "view.queue.empty"))
        self.send.setText(tr(lang, "view.queue.sending" if self.busy else "view.queue.send"))
        self.send.setEnabled(bool(waiting) and not self.busy)
        self.drives.set_enabled(bool(items) and not self.busy)
        self.usb_heading.setText(tr(lang, "view.queue.usb"))
        self.waiting_heading.setText(tr(lang, "view.queue.waiting_heading"))
        self.waiting.fill([tr(lang, f"view.queue.col.{c}") for c in
                           ("service", "time", "state", "attempts", "error")],
                          [[self._service(i.service_id), local_time(i.created), self._state(i),
                            str(i.attempts), i.last_error or ""] for i in waiting])
        self.refused_heading.setText(tr(lang, "view.queue.refused_heading"))
        self.refused_note.setText(tr(lang, "view.queue.refused_note"))
        self.refused.fill([tr(lang, f"view.queue.col.{c}") for c in
                           ("service", "time", "attempts", "reason")],
                          [[self._service(i.service_id), local_time(i.created), str(i.attempts),
                            "⚠ " + (i.last_error or "")] for i in refused])
        none = tr(lang, "view.queue.none")
        for table, empty, rows in ((self.waiting, self.waiting_none, waiting),
                                   (self.refused, self.refused_none, refused)):
            table.setVisible(bool(rows))
            empty.setText(none)
            empty.setVisible(not rows)
        self.refused_note.setVisible(bool(refused))
        self.resend.setText(tr(lang, "view.queue.sending" if self.busy else "view.queue.resend"))
        self.resend.setVisible(bool(refused) and not no_hub)
        self.resend.setEnabled(not self.busy)

    def restyle(self) -> None:
        for table in (self.waiting, self.refused):
            table.restyle(self.kiosk.session.theme)

    # what happened last, in the admin's language
    def _tell(self, role: str, key: str, **params) -> None:
        self.outcome.tell(role, key, **params)

    # sending
    def send_now(self) -> None:
        queue = self.queue
        if self.outbox is None or self.busy:
            return
        if queue.policy == "offline":
            return self._tell("error", "view.queue.offline")
        keys = [i.key for i in self.items() if i.state != QUARANTINED]

        def send() -> SendResult:
            """Every waiting form now, whatever its backoff said; stop when the hub is away."""
            sent = refused = 0
            for key in keys:
                result = queue.sender.send(key)
                if result.outcome is Outcome.ACKED:
                    sent += 1
                elif result.outcome is Outcome.QUARANTINED:
                    refused += 1
                elif result.outcome is Outcome.RETRY and result.stop:
                    return SendResult(sent, refused, result.error or "?")
                elif result.outcome is Outcome.SKIPPED and result.error:
                    return SendResult(sent, refused, result.error)
            return SendResult(sent, refused)

        self._working()
        run_in_background(send, self._sent, self._failed)

    def send_refused_again(self) -> None:
        """The admin says the cause is fixed: each refused form goes back to waiting and is
        sent now (kiosk.sync.sender.Sender.send_again); one refused again stays refused."""
        queue = self.queue
        if self.outbox is None or self.busy:
            return
        if queue.policy == "offline":
            return self._tell("error", "view.queue.offline")
        keys = [i.key for i in self.items() if i.state == QUARANTINED]

        def send() -> tuple[int, int]:
            results = [queue.sender.send_again(key) for key in keys]
            return sum(r.outcome is Outcome.ACKED for r in results), len(keys)

        def done(counts: tuple[int, int]) -> None:
            self.busy = False
            sent, n = counts
            self._tell("ok" if sent == n else "error", "view.queue.resent", sent=sent, n=n)
            self._show()
            if not self.kiosk.closed:
                self.kiosk.check_connection()

        self._working()
        run_in_background(send, done, self._failed)

    def _working(self) -> None:
        self.busy = True
        self.outcome.forget()
        self._show()

    def _sent(self, result: SendResult) -> None:
        self.busy = False
        if result.problem:
            self._tell("error", "view.queue.not_reached", sent=result.sent, why=result.problem)
        elif result.refused:
            self._tell("error", "view.queue.sent_refused", sent=result.sent, n=result.refused)
        else:
            self._tell("ok", "view.queue.sent", n=result.sent)
        self._show()
        if not self.kiosk.closed:
            self.kiosk.check_connection()  # the count in the kiosk's top bar, too

    def _failed(self, problem: Exception) -> None:
        self.busy = False
        self._tell("error", "view.queue.failed", why=type(problem).__name__)
        self._show()

    # the USB stick: written, flushed to the device, unmounted, then "take it out now"
    def export_to(self, folder: Path, name: str) -> None:
        queue, outbox, ejector = self.queue, self.outbox, self.ejector
        if outbox is None or self.busy:
            return

        def export() -> tuple[ExportResult, Ejected | None]:
            result = export_bundle(outbox, queue.public_key_pem(), queue.kiosk_id,
                                   queue.sender.token, folder)
            flush(result.path)
            try:
                return result, ejector(folder)
            except UsbError as problem:
                if problem.key != "usb.not_mounted":
                    raise
                return result, None  # a folder, not a stick of its own: nothing to take out

        def done(outcome: tuple[ExportResult, Ejected | None]) -> None:
            self.busy = False
            result, ejected = outcome
            count = "one" if result.count == 1 else "many"
            key = f"view.queue.out.{count}" if ejected else f"view.queue.saved.{count}"
            self._tell("ok", key, n=result.count, where=name)
            self._show()
            self.drives.refresh()  # the stick taken out is no longer offered
            if ejected and not self.kiosk.closed:  # said, too: the admin may be at the port
                self.kiosk.say([tr(self.lang, key, n=result.count, where=name)])

        def failed(problem: Exception) -> None:
            self.busy = False
            if isinstance(problem, BundleError | UsbError):
                self._tell("error", problem.key, **problem.params)
            else:
                self._tell("error", "view.queue.save_failed", where=name,
                           why=type(problem).__name__)
            self._show()

        self._working()
        run_in_background(export, done, failed)
