"""The shape of a service file once loaded: immutable data the journey, screens and speech read.

Texts are kept per language (`Text`), so a screen can switch language without reloading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Field types a step can ask for. Each has a validator in kiosk.fields and a widget in ui.fields.
FIELD_TYPES = (
    "choice", "yesno", "number", "money", "date", "text", "id_number",
    "phone", "address", "consent", "info", "slot", "lookup",
)
# Types that show something but take no answer from the citizen.
DISPLAY_ONLY = ("info", "lookup")
# Answers that say who someone is or how to reach them: personal whatever a service file says.
# (An address is not always: the place of a broken street light is not; a file marks its own.)
PERSONAL_TYPES = ("phone", "id_number")


@dataclass(frozen=True)
class Text:
    """One message in several languages; falls back to English, then to any language given."""

    by_lang: dict[str, str]

    def get(self, lang: str) -> str:
        if lang in self.by_lang:
            return self.by_lang[lang]
        base = lang.split("_")[0]
        for key, value in self.by_lang.items():
            if key.split("_")[0] == base:
                return value
        return self.by_lang.get("en") or next(iter(self.by_lang.values()), "")

    def languages(self) -> set[str]:
        return set(self.by_lang)


@dataclass(frozen=True)
class Condition:
    """A test on a known value: `citizen.age >= 80`, `answers.lives_alone == true`.

    `all_of` / `any_of` combine sub-conditions; a leaf has `field`, `op` and `value`.
    """

    field: str = ""
    op: str = "=="
    value: Any = None
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    icon: str = ""
    say: Text | None = None  # a spoken form when the label does not read well aloud


@dataclass(frozen=True)
class Shown:
    """One line of a lookup result: a label and the key of the value in the backend's answer."""

    key: str
    label: Text
    format: str = "text"  # text | money | date | status
    personal: bool | None = None  # None: as its step says; False: about the task, not the person


@dataclass(frozen=True)
class Step:
    id: str
    type: str
    title: Text
    hint: Text | None = None
    help: Text | None = None
    prompt: Text | None = None  # spoken question; the title is spoken when absent
    body: Text | None = None  # page text for info and consent steps
    optional: bool = False
    when: Condition | None = None
    options: tuple[Option, ...] = ()
    options_from: str = ""  # a backend list (hospitals, departments, ...) instead of fixed options
    params: tuple[str, ...] = ()  # answers passed to options_from / lookup / slot queries
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    keyboard: str = "text"  # text fields: text | digits | alnum
    unit: Text | None = None
    phrases: tuple[Text, ...] = ()  # common phrases the citizen can tap instead of typing
    prefill: str = ""  # e.g. "citizen.phone": shown for the citizen to confirm, not asked again
    query: str = ""  # lookup steps: which backend lookup to run
    shown: tuple[Shown, ...] = ()  # lookup steps: what to show of the answer
    personal: bool = False  # the answer is personal data: masked in speech and on receipts
    label: Text | None = None  # a short name for the answer ("Phone"): check page and receipt

    def short(self, lang: str) -> str:
        """The answer's name where answers are listed: its label, else the question."""
        return (self.label or self.title).get(lang)

    @property
    def takes_answer(self) -> bool:
        return self.type not in DISPLAY_ONLY

    @property
    def is_personal(self) -> bool:
        """The one rule for an answer: personal by its kind, or because the file says so."""
        return self.personal or self.type in PERSONAL_TYPES

    def shows_personal(self, item: Shown) -> bool:
        """The rule for one value a lookup shows: its own mark, else the step's."""
        return self.is_personal if item.personal is None else item.personal


@dataclass(frozen=True)
class Eligibility:
    rule: Condition
    reason: Text  # why not, in plain words; may use {citizen.age}-style placeholders
    instead: Text  # what to do instead


@dataclass(frozen=True)
class Confirmation:
    """The confirmation page's own words: what was done, and how to change or cancel it."""

    done: Text | None = None  # "Your payment has been made." instead of "We have your request."
    change: Text | None = None  # may hold {phone}
    cancel_phone: str = ""

    def change_text(self, lang: str) -> str:
        return self.change.get(lang).format(phone=self.cancel_phone) if self.change else ""


@dataclass(frozen=True)
class Service:
    id: str
    title: Text
    summary: Text
    icon: str
    steps: tuple[Step, ...]
    needs_identity: bool = False
    outcome: str = "submit"  # submit: check answers, submit, reference | none: ends on last step
    you_will_need: tuple[Text, ...] = ()
    eligibility: tuple[Eligibility, ...] = ()
    next_steps: Text | None = None  # what happens after submission, on the confirmation page
    confirmation: Confirmation | None = None  # what was done; how to change or cancel it
    source: str = ""  # the file it came from
    languages: frozenset[str] = field(default_factory=frozenset)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def needs_live_data(self) -> bool:
        return any(s.type in ("lookup", "slot") or s.options_from for s in self.steps)
