"""The whole test run's logs, searched for secrets: no token, no demo citizen's data.

A handler on the root logger and on uvicorn's own (which may not propagate) sees every record
the run emits, whatever test emits it; each is checked as it comes (message and traceback
text) against the demo tokens, the tokens tests register with `secret()`, and every demo
citizen's name, ID number, phone, address and birth date. At the end of the session, any line
holding one is printed and the run fails. tests/conftest.py installs it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from hub.seed import DEMO_DESK_TOKEN, DEMO_TOKEN
from kiosk.backend.demo_data import CITIZENS

LOGGERS = ("", "uvicorn", "uvicorn.access", "uvicorn.error")
_secrets: set[str] = {DEMO_TOKEN, DEMO_DESK_TOKEN}
for _number, _name, _birth, _address, _phone in CITIZENS:
    _secrets |= {_number, _name, _address, _phone, _phone.removeprefix("+86"), _birth.isoformat()}


def secret(value: str) -> str:
    """A value no log line may hold from now on (a token a test made); returned as it is."""
    _secrets.add(value)
    return value


def secrets() -> frozenset[str]:
    return frozenset(_secrets)


def leaks(text: str) -> list[str]:
    return sorted(s for s in _secrets if s in text)


class AuditHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.found: list[str] = []
        self.seen = 0
        self.paused = False
        self._formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        if self.paused:
            return
        self.seen += 1
        try:
            text = self._formatter.format(record)
        except Exception as problem:  # a record that cannot be formatted is reported too
            text = f"{record.name}: unformattable record ({type(problem).__name__})"
        if leaks(text) and len(self.found) < 100:
            self.found.append(text)


HANDLER = AuditHandler()


@contextmanager
def planted_leak() -> Iterator[None]:
    """For a test that logs a secret on purpose (to prove a check of its own catches it)."""
    HANDLER.paused = True
    try:
        yield
    finally:
        HANDLER.paused = False


def pytest_sessionstart(session) -> None:
    for name in LOGGERS:
        logging.getLogger(name).addHandler(HANDLER)


def pytest_sessionfinish(session, exitstatus) -> None:
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(HANDLER)
    if HANDLER.found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "secrets or personal data in the logs of this run", red=True)
            for line in HANDLER.found:
                reporter.write_line(line[:2000])
        session.exitstatus = 1
