"""The Diagnostics tab: kiosk.diagnostics.all_checks, made off the GUI thread (the hub and the
speech engine may take seconds), each check shown with a mark and a word (never colour alone)
and what to do, in the admin's language. The checks run again each time the tab opens, and on
"Check again"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.diagnostics import Check, verdict
from kiosk.i18n import tr
from ui.admin.parts import AdminPage
from ui.screens.base import ErrorText, discard, label
from ui.self_check import self_check
from ui.tasks import run_in_background
from ui.widgets.big_button import BigButton

MARKS = {True: "✓", False: "⚠"}


class DiagnosticsView(AdminPage):
    def __init__(self, kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.lang = kiosk.session.language
        self.setProperty("role", "page")
        self.checks: list[Check] = []
        self.running = False
        self.runs = 0  # finished runs (tests wait for the next one)
        self._problem = ""  # why the checks could not be made, if they could not
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.heading = label("heading")
        self.again = BigButton(role="primary")
        self.again.setObjectName("diag-again")
        self.again.clicked.connect(self.run)
        row = QHBoxLayout()
        row.addWidget(self.again)
        row.addStretch(1)
        self.status = label("body")
        self.status.setObjectName("diag-status")
        self.error = ErrorText()
        self.list = QWidget()
        self.list.setProperty("role", "page")
        self.grid = QGridLayout(self.list)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(24)
        self.grid.setColumnStretch(1, 1)
        self.rows: list[tuple[Check, QWidget, QWidget]] = []
        box.addWidget(self.heading)
        box.addLayout(row)
        box.addWidget(self.status)
        box.addWidget(self.error)
        box.addWidget(self.list)

    def refresh(self) -> None:
        self.run()

    def run(self) -> None:
        if self.running:
            return
        check = self_check(self.kiosk)

        self.running = True
        self._problem = ""
        self._show()
        run_in_background(check, self._checked, self._failed)

    def _checked(self, checks: list[Check]) -> None:
        self.running = False
        self.runs += 1
        self.checks = checks
        self.kiosk.self_checked(checks)  # the centre page shows what was found
        self._show()

    def _failed(self, problem: Exception) -> None:
        self.running = False
        self.runs += 1
        self._problem = type(problem).__name__
        self._show()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self._show()

    def shown(self) -> list[tuple[str, str, str]]:
        """(verdict with its mark, name, detail) of each check, as on screen."""
        return [(mark.text(), words.findChild(QWidget, "diag-name").text(),
                 words.findChild(QWidget, "diag-detail").text())
                for _check, mark, words in self.rows]

    def _show(self) -> None:
        lang = self.lang
        self.heading.setText(tr(lang, "view.diag.heading"))
        self.again.setText(tr(lang, "view.diag.again"))
        self.again.setEnabled(not self.running)
        problems = sum(not c.ok for c in self.checks)
        if self.running:
            words = tr(lang, "view.diag.checking")
        elif not problems:
            words = tr(lang, "view.diag.all_ok") if self.checks else ""
        else:
            words = tr(lang, "view.diag.problem_one") if problems == 1 \
                else tr(lang, "view.diag.problems", n=problems)
        self.status.setText(words)
        self.status.setVisible(bool(words))
        self.error.say(tr(lang, "view.diag.failed", why=self._problem) if self._problem else "")
        for _check, mark, words_box in self.rows:
            discard(mark)
            discard(words_box)
        self.rows = []
        problems_first = sorted(self.checks, key=lambda c: c.ok)  # what needs doing on top
        for n, check in enumerate(c.translated(lang) for c in problems_first):
            mark = label("ok" if check.ok else "error", wrap=False)
            mark.setObjectName("diag-verdict")
            mark.setText(f"{MARKS[check.ok]} {verdict(lang, check.ok)}")
            words_box = QWidget()
            words_box.setProperty("role", "page")
            column = QVBoxLayout(words_box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(4)
            name = label("body")
            name.setObjectName("diag-name")
            name.setText(check.name)
            name.setStyleSheet("font-weight: 700;")
            detail = label("hint" if check.ok else "body")
            detail.setObjectName("diag-detail")
            detail.setText(check.detail)
            column.addWidget(name)
            column.addWidget(detail)
            self.grid.addWidget(mark, n, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(words_box, n, 1)
            self.rows.append((check, mark, words_box))
