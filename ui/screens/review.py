"""Check your answers, with Change beside each; skipped ones say "Not provided"."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.backend import BackendError, SlotFull
from kiosk.i18n import tr
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.ops import Op
from ui.screens.base import ErrorText, Nav, Screen, discard, label
from ui.widgets.big_button import BigButton


class ReviewScreen(Screen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("heading")
        self.error = ErrorText()
        self.box.addWidget(self.heading)
        self.box.addWidget(self.error)
        self.table: QWidget | None = None
        self.box.addStretch(1)
        self.rows: list[tuple[str, str]] = []

    def nav(self) -> Nav:
        return Nav(next_key="nav.submit")

    def title(self, lang: str) -> str:
        journey = self.kiosk.session.journey
        return journey.service.title.get(lang) if journey else ""

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "review.heading"))
        journey = self.kiosk.session.journey
        if journey is None:
            return
        host = QWidget()
        host.setProperty("role", "page")
        grid = QGridLayout(host)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        self.rows = []
        for i, row in enumerate(journey.summary(lang)):
            name = label("hint", row.label)  # "Phone", not "Is this your phone number?"
            answer = label("body", row.answer)
            answer.setObjectName(f"answer-{row.step.id}")
            change = BigButton(tr(lang, "review.change"), role="secondary")
            change.setObjectName(f"change-{row.step.id}")
            change.setAccessibleName(tr(lang, "review.change_named",
                                        question=row.label))
            change.clicked.connect(lambda _=False, s=row.step.id: self.change(s))
            grid.addWidget(name, i, 0)  # one row per answer: name, answer, Change
            grid.addWidget(answer, i, 1)
            grid.addWidget(change, i, 2)
            self.rows.append((name.text(), row.answer))
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self._drop_table()
        self.table = host
        self.box.insertWidget(2, host)

    def _drop_table(self) -> None:
        discard(self.table)
        self.table = None

    def script(self, lang: str) -> Script:
        """Each question with its answer in one sentence; personal answers by the rule."""
        journey = self.kiosk.session.journey
        said: Script = [self.title(lang), self.heading.text()]
        for row in journey.summary(lang) if journey else []:
            answer = speech.answer(journey, row.step, journey.answers.get(row.step.id), lang)
            said.append(speech.labelled(row.label, answer, lang))
        return [*said, tr(lang, "review.say"), self.error.message()]

    def change(self, step_id: str) -> None:
        self.kiosk.route(self.kiosk.session.change(step_id))

    def clear(self) -> None:
        self._drop_table()
        self.rows = []
        self.error.say("")

    def on_next(self) -> None:
        """Sealed and queued on the kiosk: the reference at once. A booking also waits for the
        hub's word (one try, in the background): its time may have been taken meanwhile."""
        journey = self.kiosk.session.journey
        extra = {**self.kiosk.assisted.submission_extra(), **self.kiosk.remote.submission_extra()}
        Op(self, lambda: journey.submit(extra), lambda _: self._filed(journey), self._refused,
           local=True).run()  # sealed and queued here: never behind a call the hub holds

    def _filed(self, journey) -> None:
        if journey.books_a_time():  # the time is the citizen's once the hub takes the place
            Op(self, journey.settle, lambda settled: self._submitted(journey, settled),
               self._refused).run()
        else:
            self._submitted(journey, None)

    def _refused(self, problem: BackendError) -> None:
        if isinstance(problem, SlotFull):  # someone took the time: back to it, and say why
            self.kiosk.session.journey.choose_another_slot()
            self.kiosk.show_journey()
            error = self.kiosk.question.error
            error.say(tr(self.lang, problem.key))
            self.kiosk.say([error.message()], cue="error")
            return
        self.error.say(tr(self.lang, problem.key))  # the key is kept: retrying is safe

    def _submitted(self, journey, settled) -> None:
        journey.upgrade(settled)
        self.error.say("")
        self.kiosk.show_journey()
        if journey.result is not None and journey.result.provisional:
            self.kiosk.confirmation.settle(journey)

    def on_back(self) -> None:
        self.kiosk.route(self.kiosk.session.back())
