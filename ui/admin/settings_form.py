"""The Settings tab: every setting of kiosk.config.FIELDS with its current value, and the hub
token. Save checks every value first (kiosk.config.parse) and saves nothing while any is wrong,
each reason shown under its own setting; then it writes the settings file, then the token (a
new one, or the stored one carried over to a new kiosk id), and the kiosk uses the new settings
at once (Kiosk.apply_settings)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk import config, credentials
from kiosk.config import FIELDS, Message, SettingError
from kiosk.i18n import has, language, tr
from ui.admin.field_input import FieldInput
from ui.admin.parts import AdminPage
from ui.screens.base import ErrorText, label
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from kiosk.settings import Settings
    from ui.admin.admin import Admin

TOKEN = "token"
RESTART_FIELDS = ("hub_url", "kiosk_id", "card_reader")  # the kiosk is built with them at start


class SettingsForm(AdminPage):
    def __init__(self, kiosk, admin: Admin) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.admin = admin
        self.setProperty("role", "page")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.problems_heading = label("heading")
        self.problems = label("banner")
        self.problems.setObjectName("settings-problems")
        box.addWidget(self.problems_heading)
        box.addWidget(self.problems)

        host = QWidget()
        host.setProperty("role", "page")
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(40)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 2)
        self.inputs: dict[str, FieldInput] = {}
        self.labels: dict[str, tuple] = {}
        rows = [(spec, self._choices(spec)) for spec in FIELDS]
        for n, (spec, choices) in enumerate(rows):
            self._add_row(grid, n, spec.name, FieldInput(spec, choices, self._namer(spec)))
        token_spec = config.FieldSpec(TOKEN, "text")
        self._add_row(grid, len(rows), TOKEN,
                      FieldInput(token_spec, secret=True, label_key="admin.token"))
        box.addWidget(host)

        self.status = ErrorText()  # after Save: what happened, in plain words
        self.status.setObjectName("settings-status")
        self.saved = label("ok")
        self.saved.setObjectName("settings-saved")
        self.save_button = BigButton(role="primary", icon="yes")
        self.save_button.setObjectName("admin-save")
        self.save_button.clicked.connect(self.save)
        for widget in (self.status, self.saved, self.save_button):
            box.addWidget(widget)
        self._outcome: Message | None = None
        self._failed: list[str] = []
        self._problem: Message | None = None  # why nothing could be saved, not a value's fault

    def _add_row(self, grid: QGridLayout, row: int, name: str, field: FieldInput) -> None:
        words = QWidget()
        words.setProperty("role", "page")
        column = QVBoxLayout(words)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        title = label("body")
        title.setObjectName(f"label-{name}")
        hint = label("hint")
        column.addWidget(title)
        column.addWidget(hint)
        column.addStretch(1)
        grid.addWidget(words, 2 * row, 0)
        grid.addWidget(field, 2 * row, 1)
        # an on-screen keyboard, when asked for, goes under its row across the whole width:
        # thirteen keys a row would be too narrow in the value column at the largest text size
        field.place_keyboard = lambda keyboard, under=2 * row + 1: grid.addWidget(
            keyboard, under, 0, 1, 2)
        self.inputs[name] = field
        self.labels[name] = (title, hint)

    def _choices(self, spec: config.FieldSpec) -> tuple[str, ...]:
        if spec.name == "services":  # the catalogue knows them, not the settings
            return tuple(service.id for service in self.kiosk.catalogue.services)
        return spec.choices

    def _namer(self, spec: config.FieldSpec):
        if spec.name in ("languages", "default_language"):
            return lambda value, lang: language(value).name
        if spec.name == "services":
            titles = {s.id: s.title for s in self.kiosk.catalogue.services}
            return lambda value, lang: titles[value].get(lang) if value in titles else value
        return lambda value, lang: tr(lang, spec.choice_key(value))

    # showing
    def load(self) -> None:
        """The settings the kiosk runs on now; any earlier errors and typed token gone."""
        settings = self.kiosk.settings
        for spec in FIELDS:
            self.inputs[spec.name].set_value(getattr(settings, spec.name))
        self.inputs[TOKEN].set_value("")
        self._outcome = None
        self._failed = []
        self._problem = None
        self.retranslate(self.admin.lang)

    def clear(self) -> None:
        self.inputs[TOKEN].set_value("")  # a secret is never left on screen

    def retranslate(self, lang: str) -> None:
        for name, (title, hint) in self.labels.items():
            key = "admin.token" if name == TOKEN else f"config.label.{name}"
            hint_key = "admin.token_hint" if name == TOKEN else f"config.hint.{name}"
            title.setText(tr(lang, key))
            hint.setText(tr(lang, hint_key) if has("en", hint_key) else "")
            hint.setVisible(bool(hint.text()))
        for field in self.inputs.values():
            field.retranslate(lang)
        problems = self.admin.problems
        self.problems_heading.setText(tr(lang, "admin.problems_heading"))
        self.problems.setText("\n\n".join(problem.text(lang) for problem in problems))
        self.problems_heading.setVisible(bool(problems))
        self.problems.setVisible(bool(problems))
        self.save_button.setText(tr(lang, "admin.save"))
        failed = ", ".join(tr(lang, f"config.label.{name}") if name != TOKEN
                           else tr(lang, "admin.token") for name in self._failed)
        self.status.say(tr(lang, "admin.not_saved", fields=failed) if self._failed
                        else self._problem.text(lang) if self._problem else "")
        self.saved.setText(self._outcome.text(lang) if self._outcome else "")
        self.saved.setVisible(self._outcome is not None)

    # saving
    def save(self) -> None:
        """All or nothing: every value checked, then the file, then the token."""
        lang = self.admin.lang
        old = self.kiosk.settings
        values: dict[str, object] = {}
        faults: dict[str, object] = {}
        for spec in FIELDS:
            field = self.inputs[spec.name]
            try:
                values[spec.name] = config.parse(spec.name, field.value(),
                                                 self._choices(spec) or None)
            except SettingError as fault:
                faults[spec.name] = fault
        new = replace(old, **values)
        if not faults:
            for conflict in config.conflicts(new):
                faults["default_language"] = conflict
        token = self.inputs[TOKEN].value().strip()
        self._outcome = None
        self._problem = None
        if not faults:
            faults = self._write(old, new, token)
        for name, field in self.inputs.items():
            field.show_fault(faults.get(name))
        self._failed = list(faults)
        if not faults and self._problem is None:
            self.inputs[TOKEN].set_value("")
            restart = bool(token) or any(getattr(new, n) != getattr(old, n)
                                         for n in RESTART_FIELDS)
            self._outcome = Message("admin.saved_restart" if restart else "admin.saved")
            self.admin.settings_saved()
            self.kiosk.apply_settings(new)
        self.retranslate(lang)

    def _write(self, old: Settings, new: Settings, token: str) -> dict:
        """The file first, then the token: a token never goes ahead of settings that were not
        written. A new kiosk id with no token typed takes the stored token along, or the next
        start would find none under the new id and fall back to the demo hub. Returns the
        faults (a token that could not be kept: the file is put back as it was)."""
        path = config.config_path()
        try:
            config.save(new, path)
        except OSError as problem:
            why = problem.strerror or type(problem).__name__
            self._problem = Message("admin.save_failed", {"why": why})
            return {}
        if not token and new.kiosk_id != old.kiosk_id:
            token = credentials.load_token(old.kiosk_id) or ""
        if token:
            try:
                credentials.save_token(new.kiosk_id, token)
            except credentials.NoSafeStore:
                with suppress(OSError):  # nothing saved, as the words under the token say
                    config.save(old, path)
                return {TOKEN: Message("admin.token_no_store")}
        return {}
