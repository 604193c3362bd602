"""A robot citizen: walks the kiosk by tapping what a person would tap, nothing else.

The tour uses it to photograph every screen; the end-to-end tests use it to complete services.
It finds buttons by their object names among the *visible* widgets and clicks them with real
mouse events, and types only by tapping keys of the on-screen keyboard.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.journey import Stage
from ui import ops
from ui.app import Kiosk
from ui.screens.base import Screen
from ui.widgets.keyboard import SPACE, OnScreenKeyboard

Shot = Callable[[str], None]

# What the robot answers when a test or the tour gives nothing else: the demo citizens' cases.
DEMO_ANSWERS: dict[str, dict[str, Any]] = {
    "pay_bill": {"utility": "water", "account": "10012345"},
    "application_status": {"reference": "GL40172953"},
    "report_problem": {"category": "street_light"},
}
# Typed answers for required fields that nothing prefills.
TYPED_DEFAULTS = {"phone": "13912345678", "number": "1", "money": "10"}


def settle() -> None:
    """What the event loop does between two taps: layouts settle (one relayout can ask for
    another) and discarded screens are deleted (outside app.exec() nothing else would). While
    the kiosk says "one moment" the robot waits for the answer (or the timeout), as a person
    would."""
    while ops.busy():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)
    for _ in range(3):
        QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class Walker:
    def __init__(self, kiosk: Kiosk, shot: Shot | None = None) -> None:
        self.kiosk = kiosk
        self.shot = shot

    # finding and tapping
    def visible(self, name: str) -> QWidget:
        found = [w for w in self.kiosk.window.findChildren(QWidget, name) if w.isVisible()]
        if len(found) != 1:
            raise LookupError(f"{len(found)} visible widgets named {name!r} "
                              f"on {type(self.kiosk.current()).__name__}")
        return found[0]

    def tap(self, name: str) -> None:
        widget = self.visible(name)
        if not widget.isEnabled():
            raise LookupError(f"{name!r} is disabled")
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        settle()

    def keyboard(self) -> OnScreenKeyboard:
        keyboards = [k for k in self.kiosk.current().findChildren(OnScreenKeyboard)
                     if k.isVisible()]
        if len(keyboards) != 1:
            raise LookupError("no single keyboard on screen")
        return keyboards[0]

    def type(self, text: str) -> None:
        keyboard = self.keyboard()
        for char in text:
            token = SPACE if char == " " else char.upper()
            if not keyboard.key(token).isVisible():  # on another tab: open it, as a person would
                self.tap(f"tab-{keyboard.tab_with(token)}")
            QTest.mouseClick(keyboard.key(token), Qt.MouseButton.LeftButton)
        settle()

    def clear_typing(self) -> None:
        """Clear all, on the letters tab where a typed answer is started."""
        keyboard = self.keyboard()
        if keyboard.tabs() and keyboard.tab() != keyboard.tab_with("A"):
            self.tap(f"tab-{keyboard.tab_with('A')}")
        self.tap("key-clear")

    def snap(self, label: str) -> None:
        if self.shot is not None:
            self.shot(label)

    @property
    def screen(self) -> Screen:
        return self.kiosk.current()

    # whole journeys
    def begin(self, lang: str) -> None:
        self.snap("attract")
        self.tap("begin")
        self.snap("language")
        self.tap(f"lang-{lang}")
        self.snap("menu")

    def open_service(self, service_id: str) -> None:
        self.tap(f"service-{service_id}")
        self.snap(f"{service_id}-before-start")
        self.tap("next")

    def identify_by_card(self, id_number: str) -> None:
        self.snap("identity-card")
        self.tap(f"demo-card-{id_number[-4:]}")
        self.snap("identity-who")
        self.tap("next")

    def identify_by_code(self, id_number: str) -> None:
        """The ID number and the code sent to the phone; on a kiosk with a card reader the
        card screen comes first, and the citizen chooses to type instead."""
        if self.screen is self.kiosk.card:
            self.snap("identity-card")
            self.tap("type-id")
        self.type(id_number)
        self.snap("identity-id-number")
        self.tap("next")
        self.type(self.kiosk.code.demo_code)  # as a person reads it off the demo screen
        self.snap("identity-code")
        self.tap("next")
        self.snap("identity-who")
        self.tap("next")

    def answer_current(self, answers: dict[str, Any]) -> None:
        """Answer the step on screen as a person would, then tap Next."""
        step = self.kiosk.question.step
        given = answers.get(step.id, ...)
        if step.type in ("choice", "slot"):
            field = self.kiosk.question.field
            if given is ...:
                given = field.tiles[0][0]
            self.tap(f"choice-{given}")
        elif step.type == "yesno":
            self.tap(f"choice-{given if given is not ... else True}")
        elif step.type == "consent":
            self.tap("agree")
        elif step.type in ("text", "number", "money", "phone", "id_number", "address"):
            field = self.kiosk.question.field
            if given is ... and not field.value() and not step.phrases and not step.optional:
                given = TYPED_DEFAULTS.get(step.type, ...)
            if given is not ...:
                if field.change.isVisible():
                    self.tap("change-it")
                self.clear_typing()
                self.type(str(given))
            elif step.phrases and not field.value() and not step.optional:
                self.tap("phrase-0")
        self.snap(f"{self.kiosk.session.journey.service.id}-{step.id}")
        self.tap("next")

    def answer_until(self, step_id: str, answers: dict[str, Any] | None = None) -> None:
        """Answer the steps before `step_id` as a person would, and stop on it."""
        while self.kiosk.session.journey.current.id != step_id:
            self.answer_current(answers or {})

    def complete(self, service_id: str, answers: dict[str, Any] | None = None,
                 card: str | None = None, code: str | None = None,
                 submit: bool = True) -> Stage:
        """From the menu to the confirmation (or as far as the journey lets us)."""
        answers = {**DEMO_ANSWERS.get(service_id, {}), **(answers or {})}
        self.open_service(service_id)
        if card:
            self.identify_by_card(card)
        elif code:
            self.identify_by_code(code)
        journey = self.kiosk.session.journey
        while journey.stage is Stage.STEP:
            before = (journey.current.id, len(journey.answers))
            self.answer_current(answers)
            if journey.stage is Stage.STEP and (journey.current.id, len(journey.answers)) \
                    == before:
                raise AssertionError(f"stuck on {before[0]}: {self.kiosk.question.error.text()}")
        if journey.stage is Stage.INELIGIBLE:
            self.snap(f"{service_id}-ineligible")
        elif journey.stage is Stage.REVIEW:
            self.snap(f"{service_id}-review")
            if submit:
                self.tap("next")
                self.snap(f"{service_id}-confirmation")
        return journey.stage

    def finish(self, score: int | None = None, comment: str | None = None) -> None:
        """Finish (on the confirmation, or a query's last page), then "How was it?": a face and
        a phrase if given, otherwise skipped, as most people will; the visit ends. A query's
        last page may already have been passed by `complete()`: then it starts at the rating."""
        if self.kiosk.current() is not self.kiosk.rating:
            self.tap("next")
        self.snap("rating")
        if score is not None:
            self.tap(f"face-{score}")
            if comment is not None:
                self.tap(f"comment-{comment}")
            self.snap("rating-chosen")
        self.tap("next")
