"""`verify-audit PATH`: checks an audit log and says, in plain words, whether it is intact."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.assist.audit import verify


def main(argv: Sequence[str]) -> int:
    """argv: the arguments after the command name, i.e. [PATH]. Returns 0 if intact, else 1."""
    if len(argv) != 1:
        print("usage: verify-audit PATH", file=sys.stderr)
        return 1
    path = Path(argv[0])
    if not path.is_file():
        print(f"no audit log at {path}", file=sys.stderr)
        return 1
    result = verify(path)
    if result.ok:
        print(f"OK: {path}: {result.reason}")
        return 0
    print(f"BROKEN: {path}: {result.reason} ({result.entries} entries before it are intact)")
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
