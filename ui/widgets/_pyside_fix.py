"""Keep Python 3.11 alive under PySide6 6.12's abi3 wheels.

PySide6/shiboken6 6.12.0 (cp310-abi3) returns None from every void method without taking a
reference to it, as if None were immortal (true only from Python 3.12, PEP 683). On 3.11 each
call such as `widget.setText(...)` drops None's reference count by one, and after a few thousand
calls the interpreter aborts with "Fatal Python error: none_dealloc: deallocating None".
PySide6 6.11.2 does not do this. Until the project pins a fixed PySide6 or runs on 3.12+, give
None so many references that it can never reach zero, which is what 3.12 does for every object
of its kind. Does nothing on 3.12+, on other Python implementations or other PySide6 versions.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6

_HEADROOM = 1 << 40


def keep_none_alive() -> bool:
    """Apply the guard once if needed; True if it was applied (now or before)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if tuple(PySide6.__version_info__[:2]) < (6, 12):
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _HEADROOM:
        refcount.value += _HEADROOM
    return True


keep_none_alive()
