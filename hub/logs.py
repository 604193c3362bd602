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


class HideQueries(logging.Filter):
    """Rewrites an access-log line with its query strings replaced by "?[query hidden]"."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = _QUERY.sub("?[query hidden]", message), None
        return True


def install() -> None:
    """Idempotent: every app made in a process shares the loggers."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, HideQueries) for f in access.filters):
        access.addFilter(HideQueries())
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
