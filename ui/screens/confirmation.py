"""Done: the reference very large, what happens next, a QR code to keep it, and a receipt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk import receipt
from kiosk.backend import BackendError, SlotFull
from kiosk.formatting import reference
from kiosk.i18n import tr
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.ops import Op
from ui.printing import Printed, deliver_receipt, practice_mark
from ui.screens.base import Nav, Screen, label
from ui.widgets.big_button import BigButton

BOOKED_TYPES = ("choice", "date", "slot")
SETTLE_S = 5.0  # how long a provisional reference may still become official on this screen


class ConfirmationScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("ok")
        self.ref_label = label("body")
        self.reference = label("reference")
        self.reference.setObjectName("reference")
        self.reference.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.booked = label("body")  # a booking: where and when, on screen and aloud
        self.booked.setObjectName("booked")
        self.next_steps = label("body")
        self.change = label("body")  # a booking: how to change or cancel it, with the number
        self.change.setObjectName("change-or-cancel")
        self.qr = QLabel()
        self.qr.setObjectName("qr")
        self.qr.setFixedSize(240, 240)
        self.qr.setScaledContents(True)
        self.keep = label("hint")
        self.printed = label("banner")
        self.printed.hide()
        self.print_button = BigButton(role="secondary", icon="printer")
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self.print_receipt)
        self.another = BigButton(role="secondary", icon="menu")
        self.another.setObjectName("another")
        self.another.clicked.connect(kiosk.go_menu)
        for widget in (self.heading, self.ref_label, self.reference):
            self.box.addWidget(widget)
        row = QHBoxLayout()
        row.setSpacing(32)
        words = QVBoxLayout()
        words.addWidget(self.booked)
        words.addWidget(self.next_steps)
        words.addWidget(self.change)
        words.addWidget(self.keep)
        words.addStretch(1)
        row.addLayout(words, 1)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.box.addLayout(row)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.another)
        self.box.addLayout(buttons)
        self.box.addWidget(self.printed)  # below the buttons: "Printing…" moves none of them
        self.box.addStretch(1)
        self.last_print = ""

    def nav(self) -> Nav:
        return Nav(back=False, next_key="nav.finish")

    def title(self, lang: str) -> str:
        journey = self.kiosk.session.journey
        return journey.service.title.get(lang) if journey else ""

    def retranslate(self, lang: str) -> None:
        journey = self.kiosk.session.journey
        if journey is None or journey.result is None:
            return
        result = journey.result
        self.heading.setText("✓ " + self._done(lang))
        self.ref_label.setText(tr(lang, "receipt.provisional" if result.provisional
                                  else "receipt.reference"))
        self.reference.setText(reference(result.reference))
        self.reference.setAccessibleDescription(self.ref_label.text())  # what the number is
        booked = self._booked_rows(lang)
        self.booked.setText("\n".join(tr(lang, "confirm.booked_row", label=row.label,
                                         answer=row.answer) for row in booked))
        self.booked.setVisible(bool(booked))
        steps = journey.service.next_steps
        self.next_steps.setText(steps.get(lang) if steps else "")
        confirmation = journey.service.confirmation
        self.change.setText(confirmation.change_text(lang) if confirmation else "")
        self.change.setVisible(bool(self.change.text()))
        self.keep.setText(tr(lang, "confirm.keep"))
        from ui.qr import qr_image  # qrcode: loaded after the first frame (ui.launch), not before

        self.qr.setPixmap(QPixmap.fromImage(qr_image(result.reference)))
        self.qr.setAccessibleName(tr(lang, "confirm.qr"))
        self.print_button.setText(tr(lang, "confirm.print"))
        self.another.setText(tr(lang, "confirm.another"))

    def script(self, lang: str) -> Script:
        journey = self.kiosk.session.journey
        if journey is None or journey.result is None:
            return []
        private = self.kiosk.settings.reference_is_personal
        booked = [speech.labelled(row.label, speech.answer(
            journey, row.step, journey.answers.get(row.step.id), lang), lang)
            for row in self._booked_rows(lang)]
        return [self.title(lang), self._done(lang),
                speech.labelled(self.ref_label.text(),
                                speech.reference(journey.result.reference, private), lang),
                *booked, self.next_steps.text(), self.change.text(), self.keep.text()]

    def _done(self, lang: str) -> str:
        """What was done, in the service's own words ("Your appointment is booked.")."""
        confirmation = self.kiosk.session.journey.service.confirmation
        if confirmation and confirmation.done:
            return confirmation.done.get(lang)
        return tr(lang, "confirm.heading")

    def _booked_rows(self, lang: str) -> list:
        """For a booking (a service with a time to choose): what, where and when."""
        journey = self.kiosk.session.journey
        if journey is None or not any(s.type == "slot" for s in journey.service.steps):
            return []
        return [row for row in journey.summary(lang)
                if row.step.type in BOOKED_TYPES and not row.step.is_personal]

    def settle(self, journey) -> None:
        """The reference is shown already; if the hub files it within a few seconds, the
        provisional one becomes the official one, on screen and said."""
        def upgraded(result) -> None:
            if self.kiosk.session.journey is journey and journey.upgrade(result):
                self.kiosk.refresh()
                self.kiosk.say([self.ref_label.text(), speech.reference(
                    result.reference, self.kiosk.settings.reference_is_personal)])

        def refused(problem: BackendError) -> None:
            """A booking's time taken meanwhile (the background sender got there first):
            back to the times, saying why; any other refusal waits for the admin."""
            if isinstance(problem, SlotFull) and self.kiosk.session.journey is journey:
                journey.choose_another_slot()
                self.kiosk.show_journey()
                error = self.kiosk.question.error
                error.say(tr(self.lang, problem.key))
                self.kiosk.say([error.message()], cue="error")

        Op(self, journey.settle, upgraded, refused, quiet=True, wait_s=SETTLE_S).run()

    def print_receipt(self) -> None:
        journey = self.kiosk.session.journey
        content = receipt.build(journey, self.lang)
        self.print_button.setEnabled(False)  # one receipt per tap, even on a slow printer
        self.printed.setText(tr(self.lang, "confirm.printing"))
        self.printed.show()

        def done(printed: Printed) -> None:
            if self.kiosk.session.journey is not journey:
                return  # the visit ended meanwhile: the receipt is kept, nothing is shown
            self.last_print = printed.where
            key = printed.problem or ("confirm.saved_pdf" if printed.as_pdf
                                      else "confirm.printed")
            self.printed.setText(tr(self.lang, key))
            self.print_button.setEnabled(True)
            if printed.problem:
                self.kiosk.say([self.printed.text()], cue="error")

        settings = self.kiosk.settings
        deliver_receipt(content, settings, done, practice_mark(settings, self.lang))

    def clear(self) -> None:
        for widget in (self.reference, self.booked, self.next_steps, self.change, self.printed):
            widget.clear()
        self.printed.hide()
        self.print_button.setEnabled(True)
        self.qr.clear()
        self.last_print = ""

    def on_next(self) -> None:
        self.kiosk.ask_rating()
