"""Done: the reference very large, what happens next, a QR code to keep it, and a receipt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk import receipt
from kiosk.formatting import reference
from kiosk.i18n import tr
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.ops import Op
from ui.printing import print_receipt
from ui.qr import qr_image
from ui.screens.base import Nav, Screen, label
from ui.widgets.big_button import BigButton

SETTLE_S = 5.0  # how long a provisional reference may still become official on this screen


class ConfirmationScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("ok")
        self.ref_label = label("body")
        self.reference = label("reference")
        self.reference.setObjectName("reference")
        self.reference.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_steps = label("body")
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
        words.addWidget(self.next_steps)
        words.addWidget(self.keep)
        words.addStretch(1)
        row.addLayout(words, 1)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.box.addLayout(row, 1)
        self.box.addWidget(self.printed)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.another)
        self.box.addLayout(buttons)
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
        self.heading.setText("✓ " + tr(lang, "confirm.heading"))
        self.ref_label.setText(tr(lang, "receipt.provisional" if result.provisional
                                  else "receipt.reference"))
        self.reference.setText(reference(result.reference))
        steps = journey.service.next_steps
        self.next_steps.setText(steps.get(lang) if steps else "")
        self.keep.setText(tr(lang, "confirm.keep"))
        self.qr.setPixmap(QPixmap.fromImage(qr_image(result.reference)))
        self.qr.setAccessibleName(tr(lang, "confirm.qr"))
        self.print_button.setText(tr(lang, "confirm.print"))
        self.another.setText(tr(lang, "confirm.another"))

    def script(self, lang: str) -> Script:
        journey = self.kiosk.session.journey
        if journey is None or journey.result is None:
            return []
        private = self.kiosk.settings.reference_is_personal
        return [self.title(lang), self.heading.text(), self.ref_label.text(),
                speech.reference(journey.result.reference, private), self.next_steps.text(),
                self.keep.text()]

    def settle(self, journey) -> None:
        """The reference is shown already; if the hub files it within a few seconds, the
        provisional one becomes the official one, on screen and said."""
        def upgraded(result) -> None:
            if self.kiosk.session.journey is journey and journey.upgrade(result):
                self.kiosk.refresh()
                self.kiosk.say([self.ref_label.text(), speech.reference(
                    result.reference, self.kiosk.settings.reference_is_personal)])

        Op(self, journey.settle, upgraded, quiet=True, wait_s=SETTLE_S).run()

    def print_receipt(self) -> None:
        journey = self.kiosk.session.journey
        content = receipt.build(journey, self.lang)
        settings = self.kiosk.settings
        self.last_print = print_receipt(content, settings.receipt_dir, settings.printer,
                                        settings.centre_name)
        key = "confirm.saved_pdf" if self.last_print.endswith(".pdf") else "confirm.printed"
        self.printed.setText(tr(self.lang, key))
        self.printed.show()

    def clear(self) -> None:
        for widget in (self.reference, self.next_steps, self.printed):
            widget.clear()
        self.printed.hide()
        self.qr.clear()
        self.last_print = ""

    def on_next(self) -> None:
        self.kiosk.ask_rating()
