"""A PC/SC card reader (pcscd, through pyscard) for contact social-security cards.

A thread of its own waits on pcscd for cards put in and taken out, reads the ID number from a
card with the exchange in docs/card-reader.md, and reports each as a `CardEvent` (from that
thread: the UI carries it to the GUI thread). pcscd missing or stopped is not fatal: the reader
tries again every few seconds, and `problem` says what is wrong for the admin screen.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from smartcard import scard

from kiosk.identity import READ, REMOVED, UNREADABLE, CardEvent, OnEvent

log = logging.getLogger(__name__)

PNP = "\\\\?PnP?\\Notification"  # pcscd's pseudo reader: its state changes when readers come/go
WAIT_MS = 2_000  # one wait on pcscd; close() cancels it, and a missed cancel costs this long
RETRY_S = 3.0  # pcscd not running: try again after this long
OK = 0x9000
NO_SERVICE, NO_READER = "no_service", "no_reader"  # PcscCardReader.problem (diagnostics)


@dataclass(frozen=True)
class CardContract:
    """Where a card keeps the holder's ID number (docs/card-reader.md): an application chosen
    by its name (SELECT by DF name), and in it a transparent file read from its start."""

    aid: bytes
    number_file: int
    number_length: int = 18  # a resident ID number: 17 digits and a check character

    def select_application(self) -> list[int]:
        return [0x00, 0xA4, 0x04, 0x0C, len(self.aid), *self.aid]

    def select_number(self) -> list[int]:
        return [0x00, 0xA4, 0x02, 0x0C, 0x02, self.number_file >> 8, self.number_file & 0xFF]

    def read_number(self) -> list[int]:
        return [0x00, 0xB0, 0x00, 0x00, self.number_length]


# "sx1.sh.社会保障" in GBK: the name social-security cards give their application directory
SOCIAL_SECURITY = CardContract(aid="sx1.sh.社会保障".encode("gbk"), number_file=0xEF05)


class CardUnreadable(Exception):
    """Not our kind of card, or it answered something other than an ID number."""


def read_id_number(transmit, contract: CardContract = SOCIAL_SECURITY) -> str:
    """The ID number, by the contract's three commands; `transmit(apdu) -> (data, sw)`."""
    for apdu in (contract.select_application(), contract.select_number()):
        if transmit(apdu)[1] != OK:
            raise CardUnreadable("select refused")
    data, sw = transmit(contract.read_number())
    if sw != OK:
        raise CardUnreadable("read refused")
    number = bytes(data).decode("ascii", "replace").strip().upper()
    if len(number) != contract.number_length or not number[:-1].isdigit() \
            or not (number[-1].isdigit() or number[-1] == "X"):
        raise CardUnreadable("not an ID number")
    return number


class PcscCardReader:
    is_demo = False
    prompt = "insert"  # a contact reader: the card goes into its slot and stays there

    def __init__(self, contract: CardContract = SOCIAL_SECURITY) -> None:
        self.contract = contract
        self.problem = ""  # what keeps the reader from working: NO_SERVICE, NO_READER or ""
        self._on_event: OnEvent | None = None
        self._stopping = threading.Event()
        self._context: int | None = None
        self._thread: threading.Thread | None = None

    def start(self, on_event: OnEvent) -> None:
        self._on_event = on_event
        self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stopping.set()
        context = self._context
        if context is not None:
            scard.SCardCancel(context)  # wakes the thread out of its wait on pcscd
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._on_event = None

    # the reader's thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if result != scard.SCARD_S_SUCCESS:
                self._fault(NO_SERVICE)
                self._stopping.wait(RETRY_S)
                continue
            self._context = context
            try:
                self._watch(context)
            finally:
                self._context = None
                scard.SCardReleaseContext(context)
            if not self._stopping.is_set():
                self._stopping.wait(RETRY_S)

    def _watch(self, context: int) -> None:
        """Until pcscd goes away or close(): report each card put in or taken out."""
        states = {PNP: scard.SCARD_STATE_UNAWARE}
        present: dict[str, bool] = {}
        while not self._stopping.is_set():
            result, readers = scard.SCardListReaders(context, [])
            names = list(readers) if result == scard.SCARD_S_SUCCESS else []
            if result not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_NO_READERS_AVAILABLE):
                return self._fault(NO_SERVICE)
            self._fault("" if names else NO_READER)
            states = {name: states.get(name, scard.SCARD_STATE_UNAWARE) for name in [PNP, *names]}
            for gone in set(present) - set(names):
                if present.pop(gone):
                    self._emit(CardEvent(REMOVED))
            result, changed = scard.SCardGetStatusChange(context, WAIT_MS, list(states.items()))
            if result == scard.SCARD_E_TIMEOUT:
                continue
            if result != scard.SCARD_S_SUCCESS:
                if result != scard.SCARD_E_CANCELLED:
                    log.warning("pcscd: %s", scard.SCardGetErrorMessage(result))
                return None
            for name, state, _atr in changed:
                states[name] = state & ~scard.SCARD_STATE_CHANGED
                if name == PNP:
                    continue
                has_card = bool(state & scard.SCARD_STATE_PRESENT)
                if has_card and not present.get(name):
                    self._emit(self._read(context, name))
                elif present.get(name) and not has_card:
                    self._emit(CardEvent(REMOVED))
                present[name] = has_card
        return None

    def _read(self, context: int, reader: str) -> CardEvent:
        result, card, protocol = scard.SCardConnect(
            context, reader, scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if result != scard.SCARD_S_SUCCESS:
            return CardEvent(UNREADABLE)

        def transmit(apdu: list[int]) -> tuple[list[int], int]:
            result, response = scard.SCardTransmit(card, protocol, apdu)
            if result != scard.SCARD_S_SUCCESS or len(response) < 2:
                raise CardUnreadable("no answer")
            return response[:-2], response[-2] << 8 | response[-1]

        try:
            return CardEvent(READ, read_id_number(transmit, self.contract))
        except CardUnreadable as why:
            log.info("card not read: %s", why)  # why, never what the card holds
            return CardEvent(UNREADABLE)
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

    def _emit(self, event: CardEvent) -> None:
        on_event = self._on_event
        if on_event is not None and not self._stopping.is_set():
            on_event(event)

    def _fault(self, problem: str) -> None:
        if problem != self.problem:
            if problem:
                log.warning("card reader: %s", problem.replace("_", " "))
            self.problem = problem
