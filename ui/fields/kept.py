"""Parts of a question kept for the next step that needs one: a keyboard (12 to 90 keys) or a
calendar (46 buttons), which take a question 10-60 ms to build.

A kept part never changes parent: Qt restyles the whole subtree of a styled widget that moves,
which costs about as much as building it again. So a part is laid out by the question screen
under the field that uses it (ui.screens.question), and waits there, hidden and clean (nothing
of the last person's), when the field goes. One part of each kind (a keyboard per layout, one
calendar).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from shiboken6 import delete, isValid

_KEPT: dict[str, QWidget] = {}


def take(kind: str) -> QWidget | None:
    """The part of this kind kept from an earlier step, if any (and still alive)."""
    part = _KEPT.pop(kind, None)
    return part if part is not None and isValid(part) else None


def keep(kind: str, part: QWidget) -> None:
    """Keep `part` (already set aside by its field) for the next step of this kind."""
    old = _KEPT.pop(kind, None)
    if old is not None and old is not part and isValid(old):
        old.deleteLater()
    _KEPT[kind] = part


def have(kind: str) -> bool:
    part = _KEPT.get(kind)
    return part is not None and isValid(part)


def drop_all() -> None:
    """Deleted now, before the whole application is restyled (text size, theme): restyling a
    kept part costs as much as building it when it is next needed."""
    for part in _KEPT.values():
        if isValid(part):
            delete(part)  # hidden and out of use: nothing is inside one of its handlers
    _KEPT.clear()
