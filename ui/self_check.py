"""The kiosk's self-check (kiosk.diagnostics.all_checks and the card reader's), as one call to
run off the GUI thread: the admin screen's Diagnostics tab shows it, and the fleet link runs it
on its own now and then so that the centre page shows what each kiosk found."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import qVersion
from PySide6.QtPrintSupport import QPrinterInfo

from kiosk.diagnostics import Check, all_checks, card_reader_check

if TYPE_CHECKING:
    from ui.admin.context import AdminContext


def self_check(kiosk: AdminContext) -> Callable[[], list[Check]]:
    """Gathered on the GUI thread (Qt's printer list, the kiosk's parts); call the result on a
    worker thread: the hub and the speech engine may take seconds."""
    queue = kiosk.ports.queue
    outbox = queue.outbox  # None: the in-process demo keeps no queue
    token = queue.sender.token if queue.sender is not None else ""
    synth = kiosk.voice.synthesiser() if kiosk.voice is not None else None
    printers = (QPrinterInfo.availablePrinterNames(), QPrinterInfo.defaultPrinterName())
    settings = kiosk.settings
    catalogue = kiosk.catalogue
    reader_problem = kiosk.reader.problem

    def check() -> list[Check]:
        return [*all_checks(settings, synth, outbox, token, printers, qt_version=qVersion(),
                            catalogue=catalogue),
                card_reader_check(settings.card_reader, reader_problem)]

    return check
