"""Assisted mode: a helper signs in on the kiosk, the citizen is asked (on screen and aloud)
whether that helper may help, and every helper action goes to the tamper-evident audit log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.assist.audit import AuditLog
from kiosk.i18n import tr
from kiosk.settings import records_folder
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.assist.assistance import Assistance
    from kiosk.assist.helpers import Helper, HelperAccounts
    from ui.screens.context import KioskContext

log = logging.getLogger(__name__)

BADGE_PREFIX = "kiosk-helper:"
DEMO_HELPER = ("wang", "Wang 王", "2468")  # seeded on demo kiosks, like the demo citizens


class Assisted(QObject):
    changed = Signal()

    def __init__(self, kiosk: KioskContext) -> None:
        super().__init__()
        self.kiosk = kiosk
        folder = records_folder(kiosk.settings)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # a damaged log is set aside, not fatal; entries are written off the GUI thread
        self.audit = AuditLog(folder / "audit.log", writer=_off_the_gui_thread)
        self._folder = folder
        self._accounts: HelperAccounts | None = None
        self.helper: Helper | None = None
        self.assistance: Assistance | None = None
        self.filer: tuple[str, str] | None = None  # (name, relationship) when filing for someone

    @property
    def accounts(self) -> HelperAccounts:
        """The helpers' accounts, read when first needed (argon2 and the file are not part of
        main.py's first frame; it reads them right after). The demo's helper is seeded on a
        demo kiosk, and removed from a real one, before anyone can sign in."""
        if self._accounts is None:
            from kiosk.assist.helpers import HelperAccounts

            settings = self.kiosk.settings
            accounts = HelperAccounts(self._folder / "helpers.json",
                                      audit=self.audit, kiosk_id=settings.kiosk_id)
            helpers = {helper.helper_id for helper in accounts.listing()}  # and helpers.json
            if settings.demo and not helpers:
                accounts.create(*DEMO_HELPER)
            elif not settings.demo and DEMO_HELPER[0] in helpers \
                    and accounts.has_pin(DEMO_HELPER[0], DEMO_HELPER[2]):
                accounts.remove(DEMO_HELPER[0])  # seeded here by an older demo: a public PIN
            self._accounts = accounts
        return self._accounts

    @property
    def helping(self) -> bool:
        """A helper is signed in and the citizen has said yes."""
        return self.assistance is not None and self.assistance.can_act

    def sign_in(self, helper_id: str, pin: str) -> Helper:
        """A PIN, or a badge's QR text (a scanner types it like a keyboard). Raises the
        account's SignInRefused kinds for the screen to explain."""
        return self.begin(self.check(helper_id, pin))

    def check(self, helper_id: str, pin: str) -> Helper:
        """The slow half of a sign-in (an argon2id hash, the accounts file): no Qt, so a
        screen runs it in the background (ui.ops)."""
        now = datetime.now(UTC)
        if pin.startswith(BADGE_PREFIX):
            return self.accounts.sign_in_badge(pin, now)
        return self.accounts.sign_in_pin(helper_id, pin, now)

    def begin(self, helper: Helper) -> Helper:
        """The helper checked: the citizen is asked next."""
        from kiosk.assist.assistance import Assistance

        self.helper = helper
        journey = self.kiosk.session.journey
        self.assistance = Assistance(self.helper, self.audit, self.kiosk.settings.kiosk_id,
                                     journey.service.id if journey else "")
        self.assistance.ask_consent()
        self.assistance.follow(self.kiosk.session.events)  # answers while helping: audited
        self.changed.emit()
        return self.helper

    def consent(self, given: bool) -> None:
        if self.assistance is not None:
            self.assistance.answer_consent(given)
            if not given:
                self.assistance.unfollow()
                self.assistance = None
                self.helper = None
        self.changed.emit()

    def proxy(self, relationship: str, filer: str, for_whom: str) -> None:
        """Filed on someone's behalf: the filer's name stays with the submission, never in
        the audit log (which records only the kind of relationship)."""
        self.assistance.proxy(relationship, True, for_whom)
        self.filer = (filer, relationship)
        self.changed.emit()

    def note(self, text: str) -> None:
        self.assistance.note(text)  # kept for the submission; only its length is audited

    def pause_timer(self, paused: bool) -> None:
        if paused:
            self.assistance.timeout_paused()
        self.kiosk.idle.pause(paused)
        self.changed.emit()

    def language_switched(self, code: str) -> None:
        if self.helping:
            self.assistance.language_switched(code)

    def slip_lines(self, lang: str) -> list[str]:
        """What the helper did, in plain words, for the citizen's slip."""
        if self.assistance is None:
            return []
        name = self.helper.display_name if self.helper else ""
        return [tr(lang, f"slip.{action}", helper=name, where=where,
                   what=self._question(where, what, lang))
                for action, where, what in self.assistance.summary()]

    def _question(self, service_id: str, step_id: str, lang: str) -> str:
        """A step named as the citizen saw it: its question, not its id."""
        try:
            return self.kiosk.catalogue.get(service_id).step(step_id).title.get(lang)
        except KeyError:
            key = f"proxy.rel.{step_id}"  # a proxy's relationship
            return tr(lang, key) if step_id else ""

    def submission_extra(self) -> dict:
        """Filed with the submission and printed on the receipt: who helped, and how."""
        if not self.helping:
            return {}
        extra = {**self.assistance.submission_extra(), "helper_name": self.helper.display_name}
        if self.filer is not None:
            extra["filed_by"], extra["filed_by_relationship"] = self.filer
        return extra

    def flush(self) -> None:
        """At exit: every audit entry still waiting goes to disk (the background writes are
        done by now; this writes what the disk refused then)."""
        try:
            self.audit.flush()
        except OSError as problem:
            log.error("%d audit entries could not be written: %s", self.audit.waiting,
                      problem.strerror or type(problem).__name__)

    def end(self, by: str) -> None:
        self.kiosk.idle.pause(False)
        if self.assistance is not None:
            self.assistance.end(by)
        if self.helper is not None:
            self.accounts.sign_out(self.helper)
        self.assistance = None
        self.helper = None
        self.filer = None
        self.changed.emit()


def _off_the_gui_thread(write: Callable[[], None]) -> None:
    """An audit entry's append and fsync (milliseconds; far more on a slow card) run in the
    background; the log keeps the entries' order whichever write runs first. An entry made
    off the GUI thread already (a helper's sign-in check) is written where it is."""
    if threading.current_thread() is not threading.main_thread():
        write()
        return
    run_in_background(write, lambda _: None, _not_written, local=True)


def _not_written(problem: Exception) -> None:
    strerror = problem.strerror if isinstance(problem, OSError) else None
    log.warning("audit entries wait for the next write: %s", strerror or type(problem).__name__)
