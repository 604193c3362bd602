"""The hub's submission key: kiosks seal to its public half, only the hub can open envelopes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.sync.sealing import load_private, new_private_key, private_pem


class MissingKey(RuntimeError):
    pass


def load_or_create(path: Path, create: bool) -> rsa.RSAPrivateKey:
    """The private key at `path`; a demo hub makes one the first time (mode 0600).

    Two hubs starting together on one data folder must end up with the same key, so the new
    file is linked into place only if nobody got there first.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise MissingKey(f"the hub's private key {path} does not exist; create it with "
                             "`python -m hub new-key` or start the hub with --demo")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            os.fchmod(handle, 0o600)
            os.write(handle, private_pem(new_private_key()))
            os.close(handle)
            with contextlib.suppress(FileExistsError):  # another hub made one first: use it
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return load_private(path.read_bytes())
