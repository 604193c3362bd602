"""`python -m hub review`: the centre reads a problem report's own words before Open311 shows
them (description, a typed address); it publishes them, or withholds them for good."""

from __future__ import annotations

import sys

from hub.config import Settings
from hub.db import Database, iso
from hub.reports import awaiting_review, review


def review_command(settings: Settings, reference: str | None, publish: bool | None,
                   note: str | None) -> int:
    db = Database(settings.url)
    try:
        if reference is None:
            with db.read() as session:
                waiting = awaiting_review(session)
            for report in waiting:
                print(f"{report.service_request_id}  {iso(report.requested)}  "
                      f"{report.service_code}\n  place: {report.address_string!r}\n"
                      f"  words: {report.description!r}")
            print(f"{len(waiting)} report(s) await review; publish or withhold each with "
                  "`python -m hub review REF --publish` or `--withhold`.")
            return 0
        if publish is None:
            print("Say --publish or --withhold.", file=sys.stderr)
            return 2
        with db.write() as session, session.begin():
            found = review(session, reference, publish, note)
        if not found:
            print(f"There is no problem report {reference!r}.", file=sys.stderr)
            return 1
        print(f"{reference.upper()}: {'published' if publish else 'withheld'}")
        return 0
    finally:
        db.dispose()
