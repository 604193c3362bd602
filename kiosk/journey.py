"""The journey through one service: which step is current, answers, back and forward, the
check-your-answers summary, submission and what the receipt says. No Qt here: the screens only
ask the journey what to show and tell it what the citizen did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from types import SimpleNamespace
from typing import Any

from kiosk import formatting
from kiosk.backend import Backend, Slot, Submission, SubmitResult
from kiosk.citizen import Citizen
from kiosk.conditions import evaluate, resolve
from kiosk.fields import Checked, check, mask_id, mask_phone
from kiosk.i18n import tr
from kiosk.service import Condition, Eligibility, Option, Service, Step


class Stage(Enum):
    INELIGIBLE = "ineligible"  # a rule refuses this citizen: explain, offer what to do instead
    STEP = "step"  # answering one question
    REVIEW = "review"  # check your answers
    DONE = "done"  # submitted, or a query service's last page was read


@dataclass(frozen=True)
class SummaryRow:
    step: Step
    answer: str  # as shown on screen, "Not provided" for a skipped optional question
    label: str = ""  # the answer's short name ("Phone"): the step's label, else its question


class Journey:
    def __init__(self, service: Service, backend: Backend, citizen: Citizen | None = None,
                 today: date | None = None, language: str = "en") -> None:
        self.service = service
        self.backend = backend
        self.citizen = citizen
        self.today = today or date.today()
        self.language = language
        self.answers: dict[str, Any] = {}
        self.lookups: dict[str, dict] = {}
        self._lists: dict[tuple, list] = {}  # live options and slots, by step and parameters
        self.result: SubmitResult | None = None
        self.assistance: dict[str, Any] = {}
        self.idempotency_key: str | None = None
        self.finished = False
        self._reviewing = False
        self._back_to_review = False  # came from "Change" on the summary
        self.failed_rules: tuple[Eligibility, ...] = tuple(
            rule for rule in service.eligibility if not evaluate(rule.rule, self.facts()))
        visible = self.visible_steps()
        self._current = visible[0].id if visible else ""
        if not visible and service.outcome == "submit":
            self._reviewing = True

    # what is known
    def facts(self) -> dict[str, Any]:
        return {"citizen": self.citizen.facts() if self.citizen else {},
                "answers": self.answers, "lookup": self.lookups}

    def visible_steps(self) -> list[Step]:
        facts = self.facts()
        return [s for s in self.service.steps if s.when is None or evaluate(s.when, facts)]

    @property
    def stage(self) -> Stage:
        if self.failed_rules:
            return Stage.INELIGIBLE
        if self.result is not None or self.finished:
            return Stage.DONE
        return Stage.REVIEW if self._reviewing else Stage.STEP

    @property
    def current(self) -> Step:
        return self.service.step(self._current)

    def position(self) -> tuple[int, int | None]:
        """(n, total) for "Step n of total". The total is None while a later step's `when`
        waits on an answer not yet given (this step's or a later one's): a count that may still
        grow is never shown; the screen says "a few more questions" instead."""
        visible = [s.id for s in self.visible_steps()]
        here = self.service.steps.index(self.current)
        passed = {s.id for s in self.service.steps[:here]}
        undecided = any(s.when is not None and not _steps_named(s.when) <= passed
                        for s in self.service.steps[here + 1:])
        return visible.index(self._current) + 1, None if undecided else len(visible)

    @property
    def is_last_step(self) -> bool:
        visible = self.visible_steps()
        return bool(visible) and visible[-1].id == self._current

    def ineligible_reasons(self, lang: str) -> list[tuple[str, str]]:
        who = SimpleNamespace(**(self.citizen.facts() if self.citizen else {}))
        return [(r.reason.get(lang).format(citizen=who), r.instead.get(lang))
                for r in self.failed_rules]

    # live data for a step
    def params_for(self, step: Step) -> dict[str, Any]:
        return {name: self.answers.get(name) for name in step.params}

    def _list_key(self, step: Step) -> tuple:
        return step.id, tuple(sorted((k, str(v)) for k, v in self.params_for(step).items()))

    def _cached(self, step: Step, fetch) -> Any:
        key = self._list_key(step)
        if key not in self._lists:
            self._lists[key] = fetch()
        return self._lists[key]

    def options_for(self, step: Step) -> list[Option]:
        if not step.options_from:
            return list(step.options)
        return self._cached(
            step, lambda: self.backend.options(step.options_from, self.params_for(step)))

    def slots_for(self, step: Step) -> list[Slot]:
        return self._cached(step, lambda: self.backend.slots(self.params_for(step)))

    def lookup_for(self, step: Step) -> dict:
        """Runs the step's lookup (BackendError propagates: the screen says it plainly)."""
        self.lookups.pop(step.id, None)  # a failed lookup must not leave an older answer behind
        result = self._cached(step, lambda: self.backend.lookup(
            step.query, self.params_for(step), self.citizen))
        self.lookups[step.id] = result
        return result

    def _choices(self, step: Step) -> list[str] | None:
        if step.type == "choice":
            return [o.value for o in self.options_for(step)]
        if step.type == "slot":
            return [s.id for s in self.slots_for(step)]
        return None

    def pending(self, step: Step) -> Any:
        """What the widget starts with: the earlier answer, else what the government holds."""
        if step.id in self.answers:
            return self.answers[step.id]
        if step.prefill:
            value = resolve(step.prefill, self.facts())
            return value if isinstance(value, str | int) else None
        return None

    def check(self, step: Step, raw: Any) -> Checked:
        """The checks the citizen's own answer goes through, storing nothing (a remote
        clerk's fill is checked the same way before it is shown as refused or typed)."""
        return check(step, raw, self.today, self._choices(step))

    # moving through
    def answer(self, raw: Any) -> Checked:
        step = self.current
        checked = check(step, raw, self.today, self._choices(step))
        if checked.ok and step.takes_answer:
            before = self.answers.get(step.id)
            if checked.value is None:
                self.answers.pop(step.id, None)
            else:
                self.answers[step.id] = checked.value
            if before != checked.value:
                self._forget_dependents(step.id)
            self._forget_hidden()
        return checked

    def _forget_dependents(self, step_id: str) -> None:
        """A department chosen for one hospital, or a bill looked up for one account, is wrong
        once the hospital or account changes: forget them so they are asked again."""
        changed = {step_id}
        for step in self.service.steps:
            if changed.intersection(step.params):
                changed.add(step.id)
                self.answers.pop(step.id, None)
                self.lookups.pop(step.id, None)

    def _forget_hidden(self) -> None:
        """An answer to a step that is no longer asked must not be submitted."""
        visible = {s.id for s in self.visible_steps()}
        for step_id in [k for k in self.answers if k not in visible]:
            del self.answers[step_id]
        for step_id in [k for k in self.lookups if k not in visible]:
            del self.lookups[step_id]

    def _answered(self, step: Step) -> bool:
        if step.type == "lookup":
            return step.id in self.lookups
        return not step.takes_answer or step.optional or step.id in self.answers

    def next(self) -> None:
        """Forward from an accepted step (the screen calls answer() first)."""
        if not self._answered(self.current):
            raise ValueError(f"step {self._current!r} is not answered")
        visible = self.visible_steps()
        ids = [s.id for s in visible]
        later = visible[ids.index(self._current) + 1:]
        if self._back_to_review:
            later = [s for s in later if not self._answered(s)]
        if later:
            self._current = later[0].id
        elif self.service.outcome == "submit":
            self._reviewing = True
            self._back_to_review = False
        else:
            self.finished = True

    def back(self) -> bool:
        """One step back; False at the first step, where Back leaves the service."""
        if self.stage in (Stage.DONE, Stage.INELIGIBLE):
            return False
        visible = self.visible_steps()
        if not visible:
            return False
        if self._reviewing:
            self._reviewing = False
            self._current = visible[-1].id
            return True
        ids = [s.id for s in visible]
        here = ids.index(self._current)
        if here == 0:
            return False
        self._current = ids[here - 1]
        return True

    def change(self, step_id: str) -> None:
        self._reviewing = False
        self._back_to_review = True
        self._current = step_id

    # check your answers, submission, receipt
    def answer_text(self, step: Step, value: Any, lang: str) -> str:
        if value is None or value == "":
            return tr(lang, "common.not_provided")
        if step.type == "choice":
            labels = {o.value: o.label.get(lang) for o in self.options_for(step)}
            return labels.get(value, str(value))
        if step.type in ("yesno",):
            return tr(lang, "common.yes" if value else "common.no")
        if step.type == "consent":
            return tr(lang, "common.agreed")
        if step.type == "money":
            return formatting.money(value, lang)
        if step.type == "date":
            return formatting.day(value, lang, weekday=True)
        if step.type == "slot":
            slots = {s.id: s for s in self.slots_for(step)}
            return formatting.clock(slots[value].start) if value in slots else str(value)[-4:]
        if step.type == "phone":
            return formatting.phone(value)
        if step.type == "id_number":
            return mask_id(value)
        if step.type == "number" and step.unit:
            return f"{value} {step.unit.get(lang)}"
        return str(value)

    def summary(self, lang: str) -> list[SummaryRow]:
        return [SummaryRow(s, self.answer_text(s, self.answers.get(s.id), lang), s.short(lang))
                for s in self.visible_steps() if s.takes_answer]

    def submit(self, assistance: dict[str, Any] | None = None) -> SubmitResult:
        """`assistance`: who helped and how (from the helper's session), filed with it."""
        if self.stage is not Stage.REVIEW:
            raise ValueError("submit comes after check your answers")
        if self.idempotency_key is None:  # made once: pressing Submit again is the same filing
            import uuid  # (and platform): not for the kiosk's start

            self.idempotency_key = str(uuid.uuid4())
        submission = Submission(
            service_id=self.service.id,
            idempotency_key=self.idempotency_key,
            answers=dict(self.answers),
            citizen_id=self.citizen.id_number if self.citizen else None,
            language=self.language,
            created=datetime.now().astimezone().isoformat(timespec="seconds"),  # with offset
            assistance=dict(assistance or {}),
        )
        self.assistance = submission.assistance
        self.result = self.backend.submit(submission)  # SlotFull: choose_another_slot()
        return self.result

    def books_a_time(self) -> bool:
        """A booking: its time is only the citizen's once the hub has taken the place."""
        return any(step.type == "slot" for step in self.service.steps)

    def choose_another_slot(self) -> None:
        """Someone else took the chosen time: back to that step with today's free times (the
        next one first), and the new choice is a new filing: the provisional one is gone."""
        self.idempotency_key = None
        self.result = None
        for step in self.visible_steps():
            if step.type == "slot":
                self.answers.pop(step.id, None)
                self._lists = {k: v for k, v in self._lists.items() if k[0] != step.id}
                self.change(step.id)
                return

    def settle(self) -> SubmitResult | None:
        """After submit(), off the GUI thread: the official result if the hub files it now."""
        if self.result is None or not self.result.provisional or self.idempotency_key is None:
            return None
        return self.backend.settle(self.idempotency_key)  # SlotFull: choose_another_slot()

    def upgrade(self, result: SubmitResult | None) -> bool:
        """A provisional reference becomes the official one (on the GUI thread)."""
        if result is None or self.result is None or not self.result.provisional:
            return False
        self.result = result
        return True

    def fetch_live(self, step: Step) -> None:
        """The step's live data, fetched and kept for this visit (off the GUI thread), so that
        drawing the step and changing the text size never wait on the hub."""
        if step.type == "choice" and step.options_from:
            self.options_for(step)
        elif step.type == "slot":
            self.slots_for(step)
        elif step.type == "lookup":
            self.lookup_for(step)

    def has_live(self, step: Step) -> bool:
        """Whether drawing this step needs nothing more from the hub."""
        if not (step.type == "slot" or step.type == "lookup"
                or (step.type == "choice" and step.options_from)):
            return True
        return self._list_key(step) in self._lists

    def receipt_lines(self, lang: str) -> list[tuple[str, str]]:
        """What the paper receipt lists: personal answers masked, because paper gets left behind."""
        lines = []
        if self.citizen:
            lines.append((tr(lang, "receipt.name"), self.citizen.name[0] + "*" * (
                len(self.citizen.name) - 1)))
            lines.append((tr(lang, "receipt.id_number"), mask_id(self.citizen.id_number)))
        for row in self.summary(lang):
            value = self.answers.get(row.step.id)
            if row.step.is_personal and isinstance(value, str) and value:
                shown = mask_phone(value) if row.step.type == "phone" else _mask_text(value)
            else:
                shown = row.answer
            lines.append((row.label, shown))
        if self.assistance.get("helper_name"):
            lines.append((tr(lang, "receipt.assisted"), str(self.assistance["helper_name"])))
        remote = self.assistance.get("remote_helper")
        if isinstance(remote, dict) and remote.get("clerk"):  # a clerk at a remote desk
            lines.append((tr(lang, "receipt.remote"),
                          ", ".join(str(remote[k]) for k in ("clerk", "desk") if remote.get(k))))
        if self.assistance.get("filed_by"):  # both people on the paper: filer and citizen
            relation = tr(lang, f"proxy.rel.{self.assistance['filed_by_relationship']}")
            lines.append((tr(lang, "receipt.filed_by"),
                          f"{self.assistance['filed_by']} ({relation})"))
        return lines

    def wipe(self) -> None:
        """Forget everything personal; the object is unusable afterwards."""
        self.answers.clear()
        self.lookups.clear()
        self._lists.clear()
        self.citizen = None
        self.result = None
        self.failed_rules = ()
        self.finished = True


def _steps_named(cond: Condition) -> set[str]:
    """The steps whose answers or lookups a condition reads."""
    found = set().union(*(_steps_named(c) for c in (*cond.all_of, *cond.any_of)))
    head, _, rest = cond.field.partition(".")
    if head in ("answers", "lookup"):
        found.add(rest.partition(".")[0])
    return found


def _mask_text(value: str) -> str:
    keep = max(1, len(value) // 4)
    return value[:keep] + "*" * (len(value) - keep)
