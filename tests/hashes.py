"""PIN hashes in tests: argon2id with the cheapest parameters, and checking a file for a PIN.

Every kiosk a test builds seeds the demo helper, and argon2id at the library's own cost takes a
third of a second to a second per hash on the test machine: hundreds of kiosks a run. The hash
is the same algorithm with smaller numbers (tests/assist/test_helpers.py checks that the kiosk's
own default is argon2's full cost). A 4-digit PIN turns up by chance in hex SHA-256 hashes
(about one file in a hundred), so those are taken out before looking for one.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # still argon2id
# the modules that make a PasswordHasher() when none is given
DEFAULT_HASHERS = ("kiosk.assist.helpers", "kiosk.admin_pin")

_SHA256_HEX = re.compile(rb"[0-9a-f]{64}")


def without_hashes(raw: bytes) -> bytes:
    return _SHA256_HEX.sub(b"#", raw)


def fast_hasher() -> PasswordHasher:
    return FAST


@contextmanager
def fast_default_hashers() -> Iterator[None]:
    """Helper accounts and the admin PIN hash with FAST when a test gives no hasher."""
    patch = pytest.MonkeyPatch()
    for module in DEFAULT_HASHERS:
        patch.setattr(f"{module}.PasswordHasher", fast_hasher)
    try:
        yield
    finally:
        patch.undo()
