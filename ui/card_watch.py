"""The card reader's events, on the GUI thread: a card read on the card screen identifies the
citizen; the card of the identified citizen taken out ends the visit and wipes it.

A real reader calls from its own thread; the signal below is queued to the GUI thread (the
demo reader's tap is on the GUI thread already, and is delivered at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.identity import READ, REMOVED, UNREADABLE, CardEvent

if TYPE_CHECKING:
    from ui.screens.context import KioskContext


class CardWatch(QObject):
    arrived = Signal(object)  # CardEvent

    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.present = False  # a card is in the reader (its number is not kept)
        self.identified = False  # this visit's citizen came from the card still in the reader
        self.arrived.connect(self._handle)
        kiosk.session_ended.connect(self._visit_ended)
        kiosk.reader.start(self.arrived.emit)

    def close(self) -> None:
        self.kiosk.reader.close()

    def _handle(self, event: CardEvent) -> None:
        kiosk = self.kiosk
        if kiosk.closed:
            return
        if event.kind == REMOVED:
            self.present = False
            if self.identified and (kiosk.session.citizen is not None
                                    or kiosk.session.journey is not None):
                kiosk.end_session()  # the citizen walked away with their card
            self.identified = False
            return
        self.present = not kiosk.reader.is_demo  # a demo tap leaves no card in a slot
        if kiosk.current() is not kiosk.card:
            return  # a card put in elsewhere is read only when the card screen asks for it
        if event.kind == READ:
            kiosk.card.card_read(event.id_number)  # sets `identified` once the record is found
        elif event.kind == UNREADABLE:
            kiosk.card.unreadable()

    def _visit_ended(self) -> None:
        self.identified = False
