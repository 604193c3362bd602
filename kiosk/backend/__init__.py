"""The one interface between the kiosk and government systems (see base.py)."""

from kiosk.backend.base import (
    Backend,
    BackendError,
    NotFound,
    Slot,
    SlotFull,
    Submission,
    SubmitResult,
    Unavailable,
    WrongCode,
)

__all__ = [
    "Backend", "BackendError", "NotFound", "Slot", "SlotFull", "Submission", "SubmitResult",
    "Unavailable", "WrongCode",
]
