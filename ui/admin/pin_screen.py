"""The admin PIN: chosen twice on first start, asked for afterwards; wrong PINs lock the entry
for a growing time, with a countdown. Nothing here is spoken, not even the title: a passer-by
must not learn from the loudspeaker that an admin entry exists."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.admin_pin import AdminPin, NoPinSet, PinRefused, check_rules
from kiosk.credentials import NoSafeStore
from kiosk.i18n import language, tr
from ui.screens.base import ErrorText, Nav, Screen, label
from ui.screens.pin_pad import PinPad
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
        self.tick = QTimer(self)  # the lockout countdown
        self.tick.setInterval(500)
        self.tick.timeout.connect(self.count_down)

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
        self.pad.clear()
        self.pad.error.say("")
        self.tick.stop()

    def _show_step(self, step: str) -> None:
        self.step = step
        self.pad.clear()
        self.retranslate(self.admin.lang)

    def on_next(self) -> None:
        if self.step == NO_STORE or self.tick.isActive():
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
        if self.step == AGAIN:
            first, self.first = self.first, ""
            if typed != first:
                self.pad.error.say(tr(lang, "admin.pin_differ"))
                return self._show_step(CHOOSE)
            try:
                self.pin.set_pin(typed)
            except NoSafeStore:
                return self._show_step(NO_STORE)
            except PinRefused as broken:
                self.pad.error.say(broken.text(lang))
                return self._show_step(CHOOSE)
            return self.admin.signed_in()
        try:
            verdict = self.pin.check(typed)
        except NoSafeStore:
            return self._show_step(NO_STORE)
        except NoPinSet:  # forgotten meanwhile (the secrets store was emptied): choose anew
            return self._show_step(CHOOSE)
        if verdict.ok:
            self.pad.error.say("")
            return self.admin.signed_in()
        if verdict.locked_for > 0:
            return self.count_down()
        key = "admin.pin_wrong_1" if verdict.tries_left == 1 else "admin.pin_wrong"
        self.pad.error.say(tr(lang, key, left=verdict.tries_left))

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
        locked = self.step == ENTER and self.pin.locked_for() > 0
        self.pad.set_locked(locked or self.step == NO_STORE)
        self.ok.setEnabled(not locked and self.step != NO_STORE)
        if locked:
            if not self.tick.isActive():
                self.tick.start()
            self._say_locked()
        elif self.tick.isActive():  # the wait is over: the keypad works again
            self.tick.stop()
            self.pad.error.say("")

    def _say_locked(self) -> None:
        seconds = max(1, math.ceil(self.pin.locked_for()))
        self.pad.error.say(tr(self.admin.lang, "admin.pin_locked", seconds=seconds))
