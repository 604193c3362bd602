"""The centre admin's way in and out: the hidden corner, the PIN, the admin screen, its own idle
timeout and language, and the one way to close the kiosk program."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.config import Problem
from ui.admin.admin_idle import AdminIdle
from ui.admin.corner import CornerHold

if TYPE_CHECKING:
    from kiosk.admin_pin import AdminPin
    from ui.admin.admin_screen import AdminScreen
    from ui.admin.context import AdminContext
    from ui.admin.pin_screen import AdminPinScreen

IDLE_S = 120  # the admin screen closes itself after this long without a touch
ADMIN_LANGUAGES = ("zh_CN", "en")  # the admin screens have their own language switch


class Admin(QObject):
    closing_program = Signal()  # main.py quits the application on it

    def __init__(self, kiosk: AdminContext) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.lang = kiosk.session.language  # the admin's own language switch sets it
        self.file_problems: list = []  # what config.load found wrong in the settings file
        self.start_problems: list = []  # e.g. a hub address but no token: the demo hub is used
        self._pin: AdminPin | None = None  # read when first asked for (argon2, the keyring)
        self.idle = AdminIdle(IDLE_S)
        self.idle.timed_out.connect(self.leave)
        self._pin_screen: AdminPinScreen | None = None  # built when first asked for
        self.screen: AdminScreen | None = None  # built on first sign-in: most kiosks never do
        self.corner = CornerHold(kiosk.attract, on_tap=kiosk.begin, on_hold=self.open_pin)

    @property
    def pin(self) -> AdminPin:
        if self._pin is None:
            from kiosk.admin_pin import AdminPin, state_path

            self._pin = AdminPin(state_path())
        return self._pin

    @pin.setter
    def pin(self, pin: AdminPin) -> None:
        self._pin = pin

    @property
    def pin_screen(self) -> AdminPinScreen:
        """Built on first use: most days nobody opens the admin entry, and every widget alive
        is restyled whenever the citizen changes the text size."""
        if self._pin_screen is None:
            from ui.admin.pin_screen import AdminPinScreen

            self._pin_screen = AdminPinScreen(self.kiosk, self)
        return self._pin_screen

    @property
    def problems(self) -> list:
        """Shown on the admin screen; each has .text(lang)."""
        return [*self.file_problems, *self.start_problems, *self.service_problems()]

    def service_problems(self) -> list[Problem]:
        """Each service file the kiosk did not load, with its first problem: otherwise its
        service is silently missing from the menu."""
        first: dict[str, str] = {}
        for problem in self.kiosk.catalogue.problems:
            first.setdefault(problem.file, str(problem))
        return [Problem("admin.problem.service_file", reason=why) for why in first.values()]

    def settings_saved(self) -> None:
        self.file_problems = []  # the file was just written whole and good
        if self.kiosk.needs_staff is not None:  # it chose its hub at start: start it again
            from kiosk.config import Problem

            self.start_problems = [Problem("admin.problem.restart")]

    def open_pin(self) -> None:
        """The corner was held: ask for the admin PIN (the citizen's idle watch is off)."""
        self.lang = self.kiosk.session.language
        self.kiosk.idle.pause(True)
        self.idle.start()
        self.pin_screen.start()
        self.kiosk.show(self.pin_screen)

    def signed_in(self) -> None:
        if self.screen is None:
            from ui.admin.admin_screen import AdminScreen

            self.screen = AdminScreen(self.kiosk, self)
        self.pin_screen.clear()
        self.screen.open()
        self.kiosk.show(self.screen)

    def other_language(self) -> str:
        """What the admin screens' language button switches to."""
        return ADMIN_LANGUAGES[1] if self.lang == ADMIN_LANGUAGES[0] else ADMIN_LANGUAGES[0]

    def switch_language(self) -> None:
        self.lang = self.other_language()
        self.kiosk.refresh()

    def leave(self) -> None:
        """Back to the welcome screen, with any new defaults (text size, theme, speech)."""
        self.idle.stop()
        for screen in (self._pin_screen, self.screen):
            if screen is not None:
                screen.clear()
        kiosk = self.kiosk
        kiosk.idle.pause(False)
        kiosk.session.end()
        if kiosk.voice is not None:
            kiosk.voice.reset()
        kiosk.apply_look()
        kiosk.show(kiosk.attract)

    def close_program(self) -> None:
        """The admin confirmed: the window may close now, and the program ends (the
        appliance's service manager starts it again; see deploy/README.md)."""
        self.idle.stop()
        self.kiosk.window.may_close = True
        self.closing_program.emit()
        self.kiosk.window.close()

    def stop(self) -> None:
        """The kiosk shuts down: timers off, and screens never shown deleted with it."""
        self.idle.stop()
        if self._pin_screen is not None:
            self._pin_screen.tick.stop()
        for screen in (self._pin_screen, self.screen):
            if screen is not None and screen.parentWidget() is None:
                screen.deleteLater()
