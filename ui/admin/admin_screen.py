"""The admin screen: the centre's own header (name, language, back to the kiosk, close the
program) over four tabs: Settings, Queue, Usage, Diagnostics. The citizen bars are hidden, and
nothing is said aloud."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.i18n import language, tr
from ui.admin.diagnostics_view import DiagnosticsView
from ui.admin.parts import AdminPage
from ui.admin.queue_view import QueueView
from ui.admin.settings_form import SettingsForm
from ui.admin.usage_view import UsageView
from ui.screens.base import Nav, Screen, label
from ui.widgets.big_button import BigButton
from ui.window import bar, bar_button

if TYPE_CHECKING:
    from ui.admin.admin import Admin

TABS = ("settings", "queue", "usage", "diagnostics")


class AdminScreen(Screen):
    def __init__(self, kiosk, admin: Admin) -> None:
        super().__init__(kiosk)
        self.admin = admin
        self.setObjectName("admin-screen")
        self.header, row = bar("topbar")
        self.centre = label("topbar")  # "Admin · <centre name>": where am I, on one line
        self.centre.setObjectName("admin-centre")
        self.language = bar_button("admin-language", admin.switch_language)
        self.back = bar_button("admin-back", admin.leave, icon="back")
        self.close_button = bar_button("admin-close", self.ask_close, icon="no")
        row.addWidget(self.centre, 1)
        for button in (self.language, self.back, self.close_button):
            row.addWidget(button)

        self.confirm, row = bar("banner")  # closing is the one step that cannot be undone
        self.confirm.setObjectName("admin-confirm")
        self.confirm_words = label("banner")
        self.confirm_yes = bar_button("admin-close-yes", admin.close_program, role="primary")
        self.confirm_no = bar_button("admin-close-no", self.cancel_close)
        row.addWidget(self.confirm_words, 1)
        row.addWidget(self.confirm_no)
        row.addWidget(self.confirm_yes)
        self.confirm.hide()

        self.notice = label("banner")  # the settings file had faults: said as soon as we open
        self.notice.setObjectName("admin-notice")
        self.notice.setContentsMargins(24, 8, 24, 8)
        self.notice.hide()

        tabs_host, tabs = bar("page")
        self.tabs: dict[str, BigButton] = {}
        for name in TABS:
            tab = bar_button(f"tab-{name}", lambda _=False, n=name: self.show_tab(n),
                          role="option")
            self.tabs[name] = tab
            tabs.addWidget(tab, 1)

        self.settings = SettingsForm(kiosk, admin)
        self.pages: dict[str, AdminPage] = {"settings": self.settings, "queue": QueueView(kiosk),
                                          "usage": UsageView(kiosk),
                                          "diagnostics": DiagnosticsView(kiosk)}
        for name, page in self.pages.items():
            page.setObjectName(f"page-{name}")
            self.box.addWidget(page)
            page.hide()
        self.box.addStretch(1)

        # The header, notice and tabs stay put; only the tab's page scrolls under them.
        outer = self.layout()
        outer.removeWidget(self.scroll)
        outer.removeWidget(self.pager)
        column = QVBoxLayout()
        column.setSpacing(0)
        for fixed in (self.header, self.confirm, self.notice, tabs_host):
            column.addWidget(fixed)
        scrolled = QHBoxLayout()
        scrolled.addWidget(self.scroll, 1)
        scrolled.addWidget(self.pager)
        column.addLayout(scrolled, 1)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(column, 1)

    def nav(self) -> Nav:
        return Nav(back=False, next_key=None, bars=False)

    def script(self, lang: str) -> list[str]:
        return []  # the admin screen says nothing aloud

    def open(self) -> None:
        """Signed in: the settings as they are now, and any fault found in the file."""
        self.cancel_close()
        self.settings.load()
        for page in self.pages.values():  # what the last visit did is not news to this one
            page.forget()
        self.show_tab("settings")

    def show_tab(self, name: str) -> None:
        for key, page in self.pages.items():
            page.setVisible(key == name)
            self.tabs[key].set_selected(key == name)
        self.pages[name].refresh()
        self.scroll.verticalScrollBar().setValue(0)

    def ask_close(self) -> None:
        self.confirm.show()

    def cancel_close(self) -> None:
        self.confirm.hide()

    def retranslate_all(self, lang: str) -> None:
        super().retranslate_all(self.admin.lang)

    def retranslate(self, lang: str) -> None:
        lang = self.admin.lang
        self.centre.setText(f"{tr(lang, 'admin.title')} · {self.kiosk.settings.centre_name}")
        self.language.setText(language(self.admin.other_language()).name)
        self.language.setAccessibleName(tr(lang, "admin.language"))
        self.back.setText(tr(lang, "admin.back"))
        self.close_button.setText(tr(lang, "admin.close"))
        self.confirm_words.setText(tr(lang, "admin.close_confirm"))
        self.confirm_yes.setText(tr(lang, "admin.close_yes"))
        self.confirm_no.setText(tr(lang, "admin.close_no"))
        for name, tab in self.tabs.items():
            tab.setText(tr(lang, f"admin.tab.{name}"))
            tab.retranslate(lang)
        problems = self.admin.problems
        self.notice.setText(tr(lang, "admin.notice_problems", n=len(problems)))
        self.notice.setVisible(bool(problems))
        self.settings.retranslate(lang)
        for page in self.pages.values():
            if page is not self.settings:
                page.retranslate(lang)

    def clear(self) -> None:
        self.cancel_close()
        self.settings.clear()
