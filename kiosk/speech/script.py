"""A spoken script: what a screen says, with values tagged so they are said the way people say
them and personal ones are withheld from a loudspeaker.

Screens build scripts from the same data that draws them; `voiced` is the one place that decides
how each part is spoken and what stays private. The rule, the same on every screen:

- A value is personal by its kind: who the citizen is and how to reach them (name, address,
  phone, ID number: `kiosk.service.PERSONAL_TYPES` and the identity record), anything a service
  file marks `personal` (an account number, a balance, a name on a bill), and a reference when
  the centre says so. Nothing else is: a date, a time, a choice, the amount of a bill being paid.
- A personal value is said only when the citizen listens privately (headphones) or chose "read
  my details aloud" after a spoken warning that others may hear. Both reset after each visit.
- Otherwise its sentence is still said with the value left out ("Address: not read aloud."),
  never a part of it (no last four digits), and the screen ends by saying how to hear it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from kiosk.i18n import tr
from kiosk.journey import Journey
from kiosk.service import Step
from kiosk.speech import spoken

VALUE = "{value}"  # where a part's value goes in its sentence


@dataclass(frozen=True)
class Part:
    kind: str  # text | money | date | time | reference | number | digits
    value: object
    personal: bool = False  # withheld unless the citizen listens privately or chose aloud
    lang: str = ""  # said in this language's voice, not the screen's (the language menu)
    frame: str = VALUE  # the sentence the value is said in: "Address: {value}"

    def framed(self, frame: str) -> Part:
        """This value, with the words already around it, inside a larger sentence: `frame`
        holds VALUE where they go ("You chose: {value}" around "{value}, 3 places left")."""
        return replace(self, frame=frame.replace(VALUE, self.frame))


Script = list["str | Part"]


def money(value: str | Decimal, personal: bool = False) -> Part:
    return Part("money", str(value), personal)


def day(value: str | date, personal: bool = False) -> Part:
    """Dates are always said with their weekday: people plan by it."""
    return Part("date", value, personal)


def clock(value: datetime) -> Part:
    return Part("time", value)


def reference(value: str, personal: bool = False) -> Part:
    return Part("reference", value, personal)


def private(text: str) -> Part:
    """Personal text (a name, an address)."""
    return Part("text", text, personal=True)


def phone(e164: str) -> Part:
    """A phone number, digit by digit, without the country code; always personal."""
    return Part("digits", e164.removeprefix("+86"), personal=True)


def framed(value: str | Part, frame: str) -> str | Part:
    """A value, said or withheld, inside its sentence: `frame` holds VALUE where it goes."""
    return value.framed(frame) if isinstance(value, Part) else frame.replace(VALUE, value)


def labelled(label: str, value: str | Part, lang: str) -> str | Part:
    """"Money left: one hundred yuan." as one sentence, not a label and a value apart."""
    if not label:
        return value
    return framed(value, tr(lang, "speech.labelled", label=label.rstrip(":：?？ "), value=VALUE))


def answer(journey: Journey, step: Step, value: object, lang: str) -> str | Part:
    """An answer as it is said: times, dates, money and numbers in words, phone and ID numbers
    digit by digit, and personal by the rule."""
    personal = step.is_personal
    if value is None or value == "":
        return journey.answer_text(step, value, lang)  # "Not provided"
    if step.type == "slot":
        slots = {slot.id: slot for slot in journey.slots_for(step)}
        if value in slots:
            return Part("time", slots[value].start, personal)
    if step.type == "date":
        return day(str(value), personal)
    if step.type == "money":
        return money(str(value), personal)
    if step.type in ("phone", "id_number") or (step.type == "text"
                                                 and step.keyboard == "digits"):
        return Part("digits", str(value).removeprefix("+86"), personal)
    if step.type == "text" and step.keyboard == "alnum":  # a code: letters and digits in groups
        return Part("reference", str(value), personal)
    if step.type == "number":
        unit = step.unit.get(lang) if step.unit else ""
        return Part("number", value, personal, frame=f"{VALUE} {unit}".strip())
    text = journey.answer_text(step, value, lang)
    return Part("text", text, personal) if personal else text


def in_language(text: str, lang: str) -> Part:
    return Part("text", text, lang=lang)


def speech_lang(lang: str, dialect: str = "") -> str:
    """The language whose spoken forms apply: a dialect of it (yue) where one is chosen."""
    return dialect or lang


def _say(part: Part, lang: str) -> str:
    value = part.value
    if part.kind == "money":
        return spoken.money(str(value), lang)
    if part.kind == "date":
        when = date.fromisoformat(value) if isinstance(value, str) else value
        return spoken.day(when, lang, weekday=True)
    if part.kind == "time":
        return spoken.clock(value, lang)
    if part.kind == "reference":
        return spoken.characters(str(value), lang)
    if part.kind == "number":
        return spoken.number(value, lang)
    if part.kind == "digits":
        return spoken.digits(str(value), lang)
    return str(value)


def withholds(script: Script) -> bool:
    """Does this script hold a value the loudspeaker does not say?"""
    return any(isinstance(item, Part) and item.personal for item in script)


def voiced(script: Script, lang: str, personal_aloud: bool,
           dialect: str = "") -> list[tuple[str, str]]:
    """(sentence, language) to speak, in order; empty lines dropped. `personal_aloud`: the
    citizen listens privately or chose to hear their details aloud. `dialect` (yue) is how
    lines in the screen's own language are said."""
    lines = []
    held_back = False
    for item in script:
        line_lang = item.lang or lang if isinstance(item, Part) else lang
        said_in = speech_lang(line_lang, dialect if line_lang == lang else "")
        if not isinstance(item, Part):
            text = item
        elif item.personal and not personal_aloud:
            held_back = True
            said_before = item.frame.split(VALUE)[0]  # "年龄：" of "年龄：{value}岁"
            text = said_before + tr(said_in, "speech.withheld") if said_before.strip() \
                else tr(said_in, "speech.on_screen")
        else:
            text = item.frame.replace(VALUE, _say(item, said_in))
        if text and text.strip():
            lines.append((text.strip(), line_lang))
    if held_back:
        lines.append((tr(speech_lang(lang, dialect), "speech.withheld_offer"), lang))
    return lines


def render(script: Script, lang: str, personal_aloud: bool, dialect: str = "") -> list[str]:
    """The sentences to speak, in order; empty lines dropped."""
    return [text for text, _ in voiced(script, lang, personal_aloud, dialect)]
