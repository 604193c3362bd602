"""Card readers: how a citizen proves who they are with their card.

A reader is pluggable (docs/card-reader.md): `start(on_event)` once, and it calls back with a
`CardEvent` whenever a card is read, cannot be read, or is taken out — from any thread (a real
reader watches on its own; the UI carries each event to the GUI thread). `close()` at the end.
The demo reader has a `tap()` so a newcomer (and the tests) can simulate putting a card on it.
Biometrics are never the only way in: ID number plus a code sent to the phone always works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.settings import Settings

READ, UNREADABLE, REMOVED = "read", "unreadable", "removed"
READER_CHOICES = ("none", "pcsc")  # Settings.card_reader


@dataclass(frozen=True)
class CardEvent:
    kind: str  # READ | UNREADABLE | REMOVED
    id_number: str = ""  # READ only

    def __repr__(self) -> str:  # the number never reaches a log by way of a repr
        return f"CardEvent({self.kind!r})"


OnEvent = Callable[[CardEvent], None]


class CardReader(Protocol):
    is_demo: bool  # the demo's pretend cards, shown as buttons
    problem: str  # what keeps the reader from working, for the admin ("" when it works)
    prompt: str  # what the citizen does: "tap" a card, "insert" it, or "" (no reader here)

    def start(self, on_event: OnEvent) -> None: ...

    def close(self) -> None: ...


class NullCardReader:
    """No reader fitted: citizens type their ID number and get a code on their phone."""

    is_demo = False
    prompt = ""
    problem = ""

    def start(self, on_event: OnEvent) -> None:
        pass

    def close(self) -> None:
        pass


class DemoCardReader:
    is_demo = True
    prompt = "tap"
    problem = ""

    def __init__(self) -> None:
        self._on_event: OnEvent | None = None

    def start(self, on_event: OnEvent) -> None:
        self._on_event = on_event

    def close(self) -> None:
        self._on_event = None

    def demo_cards(self) -> list[tuple[str, str]]:
        """(id number, name) of the demo citizens, for the simulate-a-tap buttons."""
        from kiosk.backend.demo_data import CITIZENS  # not for a kiosk's start

        return [(c[0], c[1]) for c in CITIZENS]

    def tap(self, id_number: str) -> None:
        if self._on_event is not None:
            self._on_event(CardEvent(READ, id_number))

    def take_out(self) -> None:
        if self._on_event is not None:
            self._on_event(CardEvent(REMOVED))


def reader_for(settings: Settings) -> CardReader:
    """The reader the settings choose: a PC/SC reader, or none (the demo card in the demo and
    in practice mode only)."""
    if settings.card_reader == "pcsc":
        from kiosk.pcsc import PcscCardReader  # pyscard loads libpcsclite: only when chosen

        return PcscCardReader()
    return DemoCardReader() if settings.demo or settings.practice else NullCardReader()
