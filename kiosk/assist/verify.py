"""`verify-audit PATH [--hub [URL]]`: checks an audit log and says, in plain words, whether it
is intact; with --hub, also that it still holds the newest entry the hub was told of (a log
cut short at a line ending is a valid chain: only the hub's head shows what was lost)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import requests

from kiosk.assist.audit import verify

TOKEN_ENV = "KIOSK_HUB_TOKEN"  # the token for --hub URL (a secret: never in the URL)


def against_hub(path: Path, seq: int, head: str) -> str | None:
    """What is wrong with the log given the hub's head (seq entries, the newest `head`)."""
    if seq <= 0:
        return None
    lines = path.read_bytes().split(b"\n")
    entries = [line for line in lines if line]
    if len(entries) < seq:
        return (f"the hub was told of {seq} entries but this log has only {len(entries)}: "
                "entries were removed from its end")
    if json.loads(entries[seq - 1])["hash"] != head:
        return f"entry {seq} is not the one the hub was told of: the log was rewritten"
    return None


def hub_head(url: str, token: str) -> tuple[int, str]:
    answer = requests.get(f"{url.rstrip('/')}/v1/audit-head", timeout=(5, 30),
                          headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    body = answer.json()
    return int(body["audit_seq"]), str(body["audit_head"])


def _configured_hub() -> tuple[str, str]:
    """The kiosk's own hub address and token (settings.toml and its safe store)."""
    from kiosk import credentials
    from kiosk.config import config_path, load

    settings = load(config_path(), repair=False).settings
    credentials.choose_store(demo=not settings.hub_url, repair=False)
    return settings.hub_url, credentials.load_token(settings.kiosk_id) or ""


def main(argv: Sequence[str]) -> int:
    """argv: the arguments after the command name. Returns 0 if intact, else 1."""
    parser = argparse.ArgumentParser(prog="verify-audit")
    parser.add_argument("path", type=Path)
    parser.add_argument("--hub", nargs="?", const="", default=None, metavar="URL",
                        help="compare with the hub's head (default: this kiosk's hub; the "
                        f"token from ${TOKEN_ENV} or the kiosk's safe store)")
    try:
        args = parser.parse_args(list(argv))
    except SystemExit:  # argparse said what is missing; the command's failure code is 1
        return 1
    path = args.path
    if not path.is_file():
        print(f"no audit log at {path}", file=sys.stderr)
        return 1
    result = verify(path)
    if not result.ok:
        print(f"BROKEN: {path}: {result.reason} ({result.entries} entries before it are "
              "intact)")
        return 1
    if args.hub is None:
        print(f"OK: {path}: {result.reason}")
        return 0
    url, token = args.hub, os.environ.get(TOKEN_ENV, "")
    if not url or not token:
        configured_url, configured_token = _configured_hub()
        url, token = url or configured_url, token or configured_token
    if not url or not token:
        print("no hub to compare with: give --hub URL and the token in "
              f"${TOKEN_ENV}, or set up this kiosk's hub", file=sys.stderr)
        return 1
    try:
        seq, head = hub_head(url, token)
    except (requests.RequestException, ValueError, KeyError) as problem:
        print(f"the hub could not be asked for its audit head: {type(problem).__name__}",
              file=sys.stderr)
        return 1
    problem = against_hub(path, seq, head)
    if problem:
        print(f"CUT SHORT: {path}: {result.reason}, but {problem}")
        return 1
    print(f"OK: {path}: {result.reason}, and it holds the newest entry the hub was told of "
          f"({seq})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
