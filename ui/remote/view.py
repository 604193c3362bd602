"""What the kiosk shows now, read off the window for the desk (kiosk.remote.screen.View):
the screen's own script (with its personal flags), its title and step, the named buttons the
citizen can tap, the question's field or the answers being checked, and any error."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kiosk.remote.screen import Control, Field, View
from ui.fields.tiles import TileField
from ui.fields.typed import EntryField
from ui.screens.base import ErrorText, Screen
from ui.widgets.big_button import BigButton
from ui.widgets.keyboard import OnScreenKeyboard

if TYPE_CHECKING:
    from ui.screens.context import KioskContext as Kiosk

MAX_CONTROLS = 40
FILLABLE = (EntryField, TileField)  # typed or tapped answers a desk may fill in
NOT_SHOWN = "remote-"  # the remote help's own bar and ring are not part of the screen


def screen_name(screen: Screen) -> str:
    """"QuestionScreen" → "question"; "HelperSignInScreen" → "helper_sign_in"."""
    name = type(screen).__name__.removesuffix("Screen")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _inside(widget: QWidget, kind: type) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parentWidget()
    return False


def controls(kiosk: Kiosk, personal_options: bool) -> list[Control]:
    """The buttons the citizen sees, by their stable names: the bars' and the screen's (the
    keys of a keyboard are left out: the desk fills a field instead)."""
    window = kiosk.window
    found: list[Control] = []
    seen: set[str] = set()
    for button in window.findChildren(BigButton):
        name = button.objectName()
        if (not name or name in seen or name.startswith(NOT_SHOWN) or not button.isVisible()
                or _inside(button, OnScreenKeyboard)):
            continue
        seen.add(name)
        option = str(button.property("role") or "").startswith("option")
        in_bars = button.window() is window and not window.stack.isAncestorOf(button)
        found.append(Control(
            id=name, role="option" if option else "nav" if in_bars else "button",
            label=button.text() or button.accessibleName(),
            chosen=bool(button.property("selected")) if option else None,
            personal=option and personal_options))
        if len(found) >= MAX_CONTROLS:
            break
    return found


def _question_fields(kiosk: Kiosk, lang: str) -> list[Field]:
    question = kiosk.question
    step, widget = question.step, question.field
    if step is None or widget is None:
        return []
    if isinstance(widget, EntryField):
        shown = widget.entry.text()
    elif isinstance(widget, TileField):
        shown = next((tile.text() for value, tile in widget.tiles
                      if value == widget.chosen and value is not None), "")
    else:
        value = widget.value()
        shown = "" if value is None else str(value)
    return [Field(step.id, step.title.get(lang), shown, step.is_personal,
                  fillable=isinstance(widget, FILLABLE))]


def _review_fields(kiosk: Kiosk, lang: str) -> list[Field]:
    journey = kiosk.session.journey
    if journey is None:
        return []
    return [Field(row.step.id, row.label, row.answer, row.step.is_personal)
            for row in journey.summary(lang)]


def _timeout_warning(kiosk: Kiosk) -> View:
    """The idle warning covers the screen: the clerk sees it (and may pause the timer)."""
    lang, warning = kiosk.session.language, kiosk.idle.warning
    more = warning.more
    return View(screen="timeout_warning", lang=lang, text_size=kiosk.session.text_size,
                title=warning.heading.text(), question=warning.countdown.text(),
                controls=(Control(more.objectName(), "button", more.text()),),
                script=tuple(kiosk.idle.script(lang)))


def current_view(kiosk: Kiosk) -> View:
    if kiosk.idle.warning_shown:
        return _timeout_warning(kiosk)
    lang = kiosk.session.language
    screen = kiosk.current()
    journey = kiosk.session.journey
    step = None
    if journey is not None and screen is not None and screen.shows_step:
        step = journey.position()
    question, fields, personal_options = "", [], False
    if screen is kiosk.question and kiosk.question.step is not None:
        question = kiosk.question.heading.text()
        fields = _question_fields(kiosk, lang)
        personal_options = kiosk.question.step.is_personal
    elif screen is kiosk.review:
        question = kiosk.review.heading.text()
        fields = _review_fields(kiosk, lang)
    errors = [e.message() for e in screen.findChildren(ErrorText) if e.isVisible()]
    return View(screen=screen_name(screen), lang=lang, text_size=kiosk.session.text_size,
                title=screen.title(lang), question=question, step=step,
                controls=tuple(controls(kiosk, personal_options)), fields=tuple(fields),
                error=next((e for e in errors if e), ""), script=tuple(screen.script(lang)))
