"""The admin PIN: chosen twice on first start, asked for afterwards; wrong PINs lock the entry
for a growing time, with a countdown. Nothing here is spoken, not even the title: a passer-by
must not learn from the loudspeaker that an admin entry exists.

Checking or keeping a PIN (a slow argon2id hash, the secrets store, a synced file) runs in the
background, the keypad and OK off meanwhile. The lockout is read once when it starts and counted
down in memory."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.admin_pin import AdminPin, NoPinSet, PinRefused, Verdict, check_rules
from kiosk.credentials import NoSafeStore
from kiosk.i18n import language, tr
from kiosk.lockout import wait_message
from ui.screens.base import ErrorText, Nav, Screen, label
from ui.screens.pin_pad import PinPad
from ui.tasks import run_in_background
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.admin.admin import Admin

# what the screen is asking for
ENTER, CHOOSE, AGAIN, NO_STORE = "enter", "choose", "again", "no_store"


class AdminPinScreen(Screen):
    def __init__(self, kiosk, admin: Admin) -> None:
        super().__init__(kiosk)
        self.admin = admin
        self.step = ENTER
        self.first = ""  # the new PIN typed once, while it is asked again
        self.heading = label("heading")
        self.heading.setObjectName("admin-pin-heading")
        self.language = BigButton(role="secondary")
        self.language.setObjectName("admin-language")
        self.language.clicked.connect(admin.switch_language)
        top = QWidget()
        top.setProperty("role", "page")
        heading_row = QHBoxLayout(top)
        heading_row.setContentsMargins(0, 0, 0, 0)
        heading_row.setSpacing(24)
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.language)
        self.problem = ErrorText()  # no safe store: the plain reason, and where to read on
        self.problem.setObjectName("admin-pin-problem")
        self.pad = PinPad()
        self.pad.submitted.connect(self.on_next)
        column = QWidget()
        column.setProperty("role", "page")
        buttons = QVBoxLayout(column)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(24)
        self.cancel = BigButton(role="secondary", icon="back")
        self.cancel.setObjectName("admin-cancel")
        self.cancel.clicked.connect(self.admin.leave)
        self.ok = BigButton(role="primary", icon="next")
        self.ok.setObjectName("admin-ok")
        self.ok.clicked.connect(self.on_next)
        buttons.addWidget(self.ok, 1)
        buttons.addWidget(self.cancel, 1)
        self.pad.beside_keys.addWidget(column, 1)  # in reach of the thumb that typed the PIN
        for widget in (top, self.problem, self.pad):
            self.box.addWidget(widget)
        self.box.addStretch(1)
        self.clock = time.monotonic  # the lockout's deadline is in memory, on this clock
        self.deadline: float | None = None
        self.working = False  # a PIN being checked or kept in the background
        self._asked = 0  # which question a background answer belongs to
        self.tick = QTimer(self)  # the lockout countdown
        self.tick.setInterval(500)
        self.tick.timeout.connect(self._tick)

    @property
    def pin(self) -> AdminPin:
        return self.admin.pin

    def nav(self) -> Nav:
        return Nav(back=False, next_key=None, bars=False)

    def script(self, lang: str) -> list[str]:
        return []  # said aloud: nothing

    def start(self) -> None:
        """Fresh each time: which question to ask depends on whether a PIN exists yet."""
        self.first = ""
        self._asked += 1  # an answer still on its way is for an earlier visit
        self.working = False
        self.pad.clear()
        self.pad.error.say("")
        self.problem.say("")
        try:
            self.step = ENTER if self.pin.is_set() else CHOOSE
        except NoSafeStore:
            self.step = NO_STORE
        self.count_down()

    def retranslate(self, lang: str) -> None:
        lang = self.admin.lang  # the admin's own language, not the citizen's
        self.heading.setText(tr(lang, "admin.pin_title"))
        self.language.setText(language(self.admin.other_language()).name)
        self.language.setAccessibleName(tr(lang, "admin.language"))
        self.pad.set_prompt(tr(lang, f"admin.pin_{self.step}"))
        self.pad.keys.retranslate(lang)
        self.cancel.setText(tr(lang, "admin.cancel"))
        self.ok.setText(tr(lang, "admin.ok"))
        no_store = self.step == NO_STORE  # then only the reason, and the way back
        self.problem.say(tr(lang, "admin.no_store") if no_store else "")
        for part in (self.pad.prompt, self.pad.entry, self.pad.keys, self.ok):
            part.setVisible(not no_store)
        if self.tick.isActive():
            self._say_locked()

    def retranslate_all(self, lang: str) -> None:
        super().retranslate_all(self.admin.lang)

    def clear(self) -> None:
        self.first = ""
        self._asked += 1
        self.working = False
        self.pad.clear()
        self.pad.error.say("")
        self.tick.stop()
        self.deadline = None

    def _show_step(self, step: str) -> None:
        self.step = step
        self.pad.clear()
        self.retranslate(self.admin.lang)

    def on_next(self) -> None:
        if self.step == NO_STORE or self.tick.isActive() or self.working:
            return
        lang = self.admin.lang
        typed = self.pad.text()
        self.pad.clear()
        if self.step == CHOOSE:
            problem = self._rule_broken(typed, lang)
            if problem:
                return self.pad.error.say(problem)
            self.first = typed
            self.pad.error.say("")
            return self._show_step(AGAIN)
        pin = self.pin
        if self.step == AGAIN:
            first, self.first = self.first, ""
            if typed != first:
                self.pad.error.say(tr(lang, "admin.pin_differ"))
                return self._show_step(CHOOSE)
            return self._in_background(lambda: pin.set_pin(typed), self._pin_kept)
        self._in_background(lambda: pin.check(typed), self._checked)

    def _in_background(self, work, done) -> None:
        asked = self._asked

        def answer(result) -> None:
            if asked == self._asked:  # not left (or timed out) meanwhile
                self._set_working(False)
                done(result)

        def failed(problem: Exception) -> None:
            if asked == self._asked:
                self._set_working(False)
                self._went_wrong(problem)

        self._set_working(True)
        run_in_background(work, answer, failed)

    def _set_working(self, working: bool) -> None:
        self.working = working
        self._tick()

    def _pin_kept(self, _result: None) -> None:
        self.pad.error.say("")
        self.admin.signed_in()

    def _checked(self, verdict: Verdict) -> None:
        if verdict.ok:
            self.pad.error.say("")
            return self.admin.signed_in()
        if verdict.locked_for > 0:
            return self._lock(verdict.locked_for)
        key = "admin.pin_wrong_1" if verdict.tries_left == 1 else "admin.pin_wrong"
        self.pad.error.say(tr(self.admin.lang, key, left=verdict.tries_left))

    def _went_wrong(self, problem: Exception) -> None:
        lang = self.admin.lang
        if isinstance(problem, NoSafeStore):
            return self._show_step(NO_STORE)
        if isinstance(problem, NoPinSet):  # forgotten meanwhile (the store was emptied)
            return self._show_step(CHOOSE)
        if isinstance(problem, PinRefused):
            self.pad.error.say(problem.text(lang))
            return self._show_step(CHOOSE)
        self.pad.error.say(tr(lang, "admin.pin_failed", why=type(problem).__name__))

    @staticmethod
    def _rule_broken(typed: str, lang: str) -> str:
        """The PIN rules, checked before it is asked again (not after two typings)."""
        try:
            check_rules(typed)
        except PinRefused as broken:
            return broken.text(lang)
        return ""

    # the lockout
    def count_down(self) -> None:
        """Whether a lock is on, read once (at the start); counted down in memory after."""
        self._lock(self.pin.locked_for() if self.step == ENTER else 0.0)

    def _lock(self, seconds: float) -> None:
        self.deadline = self.clock() + seconds if seconds > 0 else None
        self._tick()

    def _left(self) -> float:
        return 0.0 if self.deadline is None else self.deadline - self.clock()

    def _tick(self) -> None:
        locked = self._left() > 0
        self.pad.set_locked(locked or self.working or self.step == NO_STORE)
        self.ok.setEnabled(not (locked or self.working) and self.step != NO_STORE)
        if locked:
            if not self.tick.isActive():
                self.tick.start()
            self._say_locked()
        elif self.tick.isActive():  # the wait is over: the keypad works again
            self.tick.stop()
            self.deadline = None
            self.pad.error.say("")

    def _say_locked(self) -> None:
        self.pad.error.say(wait_message(self._left()).text(self.admin.lang))
