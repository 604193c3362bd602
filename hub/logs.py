"""What the hub's logs may hold: no query string, no SQL parameters or rows.

A query string can carry a secret however often clients are told not to put one there (an old
bookmark of /desk?token=..., an Open311 api_key), so the access log shows the path and
"?[query hidden]". SQLAlchemy logs SQL with its parameters and the rows it reads (citizens'
names) when its logger is at INFO or DEBUG, which `--log-level debug` would reach: its engine
logger stays at WARNING (hub.db also hides parameters in error messages).
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
_QUERY = re.compile(r'\?[^\s"]*')
HIDDEN = "?[query hidden]"


class HideQueries(logging.Filter):
    """Rewrites an access-log record with its query strings replaced by "?[query hidden]".

    uvicorn's access formatter reads the record's args (client, method, path, version, status):
    the path among them is rewritten in place, any other record's whole message."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, str) and "?" in a for a in args):
            record.args = tuple(_QUERY.sub(HIDDEN, a) if isinstance(a, str) else a
                                for a in args)
        elif "?" in str(record.msg):
            record.msg, record.args = _QUERY.sub(HIDDEN, record.getMessage()), None
        return True


def install() -> None:
    """Idempotent: every app made in a process shares the loggers."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, HideQueries) for f in access.filters):
        access.addFilter(HideQueries())
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
