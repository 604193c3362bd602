"""Card readers: how a citizen proves who they are with their ID card.

A reader is pluggable: it is told to listen and calls back with the ID number it read. The
demo reader has a `tap()` so a newcomer (and the tests) can simulate putting a card on it.
Biometrics are never the only way in: ID number plus a code sent to the phone always works.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.backend.demo_data import CITIZENS

OnCard = Callable[[str], None]


class CardReader(Protocol):
    is_demo: bool

    def listen(self, on_card: OnCard) -> None: ...

    def stop(self) -> None: ...


class NoCardReader:
    """A kiosk with no card reader fitted: citizens type their ID number (and get a code)."""

    is_demo = False

    def listen(self, on_card: OnCard) -> None:
        del on_card

    def stop(self) -> None:
        pass


class DemoCardReader:
    is_demo = True

    def __init__(self) -> None:
        self._on_card: OnCard | None = None

    def listen(self, on_card: OnCard) -> None:
        self._on_card = on_card

    def stop(self) -> None:
        self._on_card = None

    def demo_cards(self) -> list[tuple[str, str]]:
        """(id number, name) of the demo citizens, for the simulate-a-tap buttons."""
        return [(c[0], c[1]) for c in CITIZENS]

    def tap(self, id_number: str) -> None:
        if self._on_card is not None:
            self._on_card(id_number)
