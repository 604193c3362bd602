"""A clerk's value put into the question on the kiosk's screen, where the citizen sees it:
typed a few characters at a time into an entry (a tapped answer is chosen), then through the
citizen's own checks (`Journey.check`). A refusal shows as the citizen's own would: the
field's message under the question, said with the error sound (it names no value)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.i18n import tr
from ui.fields.tiles import TileField
from ui.fields.typed import EntryField

if TYPE_CHECKING:
    from ui.screens.context import KioskContext as Kiosk

TYPE_MS = 60  # a few characters each tick: the citizen sees it typed
TYPE_STEPS = 20  # ... in at most this many ticks

# (outcome, words): "taken" with the field's name, "refused" by the checks with their message,
# "not_here" (not on screen, or still typing the last one) with why, in plain words
Finished = Callable[[str, str], None]


class FieldFiller(QObject):
    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.typing = QTimer(self)
        self.typing.setInterval(TYPE_MS)
        self.typing.timeout.connect(self._type_more)
        self._job: tuple | None = None  # (field, step, value, characters shown, finished)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def fill(self, step_id: str, value: str, finished: Finished) -> None:
        """`finished(outcome, words)` once the value is checked, or at once when the field
        is not on screen or a value is still being typed."""
        kiosk, lang = self.kiosk, self.kiosk.session.language
        question = kiosk.question
        field, step = question.field, question.step
        if (kiosk.current() is not question or step is None or step.id != step_id
                or not isinstance(field, EntryField | TileField)):
            return finished("not_here", tr(lang, "remote.refused.no_field"))
        if self.busy:
            return finished("not_here", tr(lang, "remote.refused.busy"))
        if isinstance(field, TileField):
            return self._check(field, step, value, finished)
        field.entry.setText("")
        self._job = (field, step, value, 0, finished)
        self.typing.start()

    def stop(self) -> None:
        """The session ended: a value half typed stays as it is, unchecked, for the citizen."""
        self.typing.stop()
        self._job = None

    def _type_more(self) -> None:
        field, step, value, shown, finished = self._job
        question = self.kiosk.question
        if question.field is not field or self.kiosk.current() is not question:
            self.stop()  # the citizen moved on meanwhile
            return finished("not_here", tr(self.kiosk.session.language,
                                           "remote.refused.no_field"))
        shown = min(len(value), shown + max(1, -(-len(value) // TYPE_STEPS)))
        field.entry.setText(value[:shown])
        self._job = (field, step, value, shown, finished)
        if shown >= len(value):
            self.stop()
            self._check(field, step, value, finished)

    def _check(self, field, step, value: str, finished: Finished) -> None:
        kiosk, lang = self.kiosk, self.kiosk.session.language
        checked = kiosk.session.journey.check(step, value)
        if not checked.ok:
            error = kiosk.question.error
            error.say(checked.problem.text(lang))
            kiosk.say([error.message()], cue="error")
            return finished("refused", error.message())
        if isinstance(field, TileField):
            field.choose(checked.value)
        finished("taken", step.title.get(lang))
