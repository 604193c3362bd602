"""What a signed-in helper can do beside filling in answers: add a note to the application,
pause the clearing timer while explaining, and file for someone else."""

from __future__ import annotations

from kiosk.i18n import tr
from ui.screens.base import ErrorText, Nav, OverlayScreen, label
from ui.widgets.big_button import BigButton
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard


class HelperToolsScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.pause = BigButton(role="option", icon="clock")
        self.pause.setObjectName("pause-timer")
        self.pause.clicked.connect(self.toggle_pause)
        self.for_someone = BigButton(role="secondary", icon="family_home")
        self.for_someone.setObjectName("file-for-someone")
        self.for_someone.clicked.connect(lambda: kiosk.proxy.open_over(self.under or kiosk.menu))
        self.note_label = label("heading")
        self.note = BigEntry()
        self.note.setObjectName("note")
        self.keys = OnScreenKeyboard("text")
        self.keys.offered.connect(lambda words: kiosk.offer(words, personal=True))
        self.note.attach(self.keys)
        self.save = BigButton(role="secondary", icon="yes")
        self.save.setObjectName("save-note")
        self.save.clicked.connect(self.save_note)
        self.saved = label("ok")
        self.saved.hide()
        self.error = ErrorText()
        for widget in (self.pause, self.for_someone, self.note_label, self.note, self.save,
                       self.saved, self.error, self.keys):
            self.box.addWidget(widget)

    def toggle_pause(self) -> None:
        self.kiosk.assisted.pause_timer(not self.kiosk.idle.paused)
        self.retranslate(self.lang)

    def save_note(self) -> None:
        text = " ".join(self.note.text().split())
        if not text:
            return self.error.say(tr(self.lang, "tools.note_empty"))
        self.kiosk.assisted.note(text)
        self.note.setText("")
        self.error.say("")
        self.saved.setText(tr(self.lang, "tools.note_saved"))
        self.saved.show()

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.close_sound")

    def title(self, lang: str) -> str:
        return tr(lang, "tools.title")

    def retranslate(self, lang: str) -> None:
        paused = self.kiosk.idle.paused
        self.pause.setText(tr(lang, "tools.resume" if paused else "tools.pause"))
        self.pause.set_selected(paused)
        self.for_someone.setText(tr(lang, "proxy.button"))
        self.note_label.setText(tr(lang, "tools.note"))
        self.note.setAccessibleName(tr(lang, "tools.note"))
        self.save.setText(tr(lang, "tools.save"))
        self.keys.retranslate(lang)

    def clear(self) -> None:
        self.note.setText("")
        self.keys.reset()
        self.saved.hide()
        self.error.say("")


class SlipScreen(OverlayScreen):
    """When help ends: what the helper did, to read and to print."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.lines: list[str] = []
        self.heading = label("heading")
        self.body = label("body")
        self.body.setObjectName("slip")
        self.print_button = BigButton(role="secondary", icon="printer")
        self.print_button.setObjectName("print-slip")
        self.print_button.clicked.connect(self.print_slip)
        self.printed = label("banner")
        self.printed.hide()
        for widget in (self.heading, self.body, self.print_button, self.printed):
            self.box.addWidget(widget)
        self.box.addStretch(1)
        self.last_print = ""

    def show_for(self, lines: list[str], under) -> None:
        self.lines = lines
        self.printed.hide()
        self.open_over(under)

    def nav(self) -> Nav:
        return Nav(back=False, next_key="nav.close_sound")

    def title(self, lang: str) -> str:
        return tr(lang, "slip.title")

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "slip.heading"))
        self.body.setText("\n".join(f"•  {line}" for line in self.lines))
        self.print_button.setText(tr(lang, "slip.print"))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), *self.lines]  # the heading only says the title again

    def print_slip(self) -> None:
        from ui.printing import Printed, deliver_lines, practice_mark

        def done(printed: Printed) -> None:
            if not self.lines:
                return  # closed meanwhile
            self.last_print = printed.where
            key = printed.problem or ("confirm.saved_pdf" if printed.as_pdf
                                      else "confirm.printed")
            self.printed.setText(tr(self.lang, key))
            self.printed.show()

        settings = self.kiosk.settings
        deliver_lines(tr(self.lang, "slip.heading"), self.lines, settings, done,
                      practice_mark(settings, self.lang))

    def clear(self) -> None:
        self.lines = []
        self.body.clear()
