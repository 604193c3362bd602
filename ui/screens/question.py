"""One question per page: the question as the heading, a hint, the answer widget, and any
error in plain words."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from kiosk.backend import BackendError
from kiosk.i18n import tr
from kiosk.service import Service, Step
from kiosk.session import Move
from kiosk.speech.script import Script
from ui.fields import kept, make_field, part_for
from ui.fields.base import FieldWidget
from ui.ops import Op
from ui.screens.base import ErrorText, Nav, Screen, discard, label


class QuestionScreen(Screen):
    shows_step = True

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.step: Step | None = None
        self.field: FieldWidget | None = None
        self._preparing: list = []  # kept parts still to build (prepare)
        self.heading = label("heading")
        self.heading.setObjectName("question")
        self.hint = label("hint")
        self.error = ErrorText()
        for widget in (self.heading, self.hint, self.error):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def prepare(self, service: Service) -> None:
        """While "before you start" is read: build the keyboards and calendar this service's
        questions take and that are not kept yet (ui.fields.kept), one per turn of the event
        loop, so its first such question shows as fast as the next. Built on this page,
        hidden: a part never moves once styled. Nothing personal is in a new part."""
        wanted = {kind: make for kind, make in filter(None, map(part_for, service.steps))
                  if not kept.have(kind)}
        self._preparing = list(wanted.items())
        if self._preparing:
            QTimer.singleShot(0, self, self._prepare_one)

    def _prepare_one(self) -> None:
        if not self._preparing:
            return
        kind, make = self._preparing.pop(0)
        if not kept.have(kind):  # a question of this kind may have come and gone meanwhile
            part = make()
            part.hide()
            part.setParent(self.body)  # not styled yet: no restyle in the move
            kept.keep(kind, part)
        if self._preparing:
            QTimer.singleShot(0, self, self._prepare_one)

    @property
    def journey(self):
        return self.kiosk.session.journey

    def load(self, step: Step) -> None:
        """Build the answer widget for this step, starting from any earlier answer."""
        self.step = step
        self.error.say("")
        self._drop_field()
        journey = self.journey
        if not journey.has_live(step):  # fetched once per visit, off the GUI thread
            Op(self, lambda: journey.fetch_live(step), lambda _none: self._fetched(step),
               lambda problem: self.error.say(tr(self.lang, problem.key))).run()
            return
        self._build(step)

    def _fetched(self, step: Step) -> None:
        if self.step is not step:
            return
        self._build(step)
        self.kiosk.refresh()
        if self.kiosk.settings.speak_on_open:
            self.kiosk.repeat()

    def _build(self, step: Step) -> None:
        try:
            self.field = make_field(step, self.journey)
        except BackendError as problem:
            self.error.say(tr(self.lang, problem.key))
            return
        self.box.insertWidget(self.box.count() - 1, self.field)
        below = self.box.indexOf(self.field)
        for part in self.field.parts():  # kept parts wait on this page: moved in the layout only
            self.box.removeWidget(part)
            below += 1
            self.box.insertWidget(below, part)
        self.field.set_value(self.journey.pending(step))
        self.field.submitted.connect(self.on_next)
        self.field.announce.connect(self.kiosk.say)
        keys = self.field.keys
        if keys is not None:
            keys.typed.connect(lambda key: self.kiosk.echo(key, step.is_personal))
            keys.offered.connect(lambda words: self.kiosk.offer(words, step.is_personal))
        self.field.changed.connect(lambda: self.error.say(""))
        self.scroll.verticalScrollBar().setValue(0)

    def _drop_field(self) -> None:
        if self.field is not None:
            self.field.release()
        discard(self.field)
        self.field = None

    def nav(self) -> Nav:
        journey = self.journey
        last_query = journey is not None and journey.is_last_step \
            and journey.service.outcome == "none"
        return Nav(next_key="nav.finish" if last_query else "nav.next")

    def title(self, lang: str) -> str:
        return self.journey.service.title.get(lang) if self.journey else ""

    def retranslate(self, lang: str) -> None:
        if self.step is None:
            return
        self.heading.setText(self.step.title.get(lang))
        hint = self.step.hint.get(lang) if self.step.hint else ""
        if self.step.optional and not hint:  # a service's own hint already says so
            hint = tr(lang, "field.optional")
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        if self.field is not None:
            self.field.retranslate(lang)

    def script(self, lang: str) -> list[str]:
        if self.step is None:
            return []
        step = self.step
        asked = step.prompt.get(lang) if step.prompt else step.title.get(lang)
        # a page with a body (information, a declaration) says the body: its prompt only
        # says the same in other words
        lines: Script = [self.title(lang), "" if step.body else asked, self.hint.text()]
        if self.field is not None:
            lines += self.field.script(lang)
        return [*lines, self.error.message()]

    def withholds_personal(self, lang: str) -> bool:
        """A personal question keeps its offer to read aloud even before anything is typed."""
        personal = self.step is not None and self.step.is_personal
        return personal or super().withholds_personal(lang)

    def help_text(self, lang: str) -> str:
        if self.step is not None and self.step.help:
            return self.step.help.get(lang)
        return super().help_text(lang)

    def clear(self) -> None:
        if self.field is not None:
            self.field.clear()
        self._drop_field()
        self.step = None
        self.error.say("")

    def on_next(self) -> None:
        journey = self.journey
        if journey is None or self.step is None:
            return
        if self.field is None:  # its live data could not be fetched; try again
            return self.load(self.step)
        outcome = self.kiosk.session.answer(self.field.value())
        if outcome.move is Move.REFUSED:
            self.error.say(outcome.problem.text(self.lang))
            self.kiosk.say([self.error.message()], cue="error")
            return
        self.kiosk.route(outcome, cue="next")

    def on_back(self) -> None:
        self.kiosk.route(self.kiosk.session.back())
