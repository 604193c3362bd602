"""The screen model a remote desk sees (SCREEN in the contract): built from what the kiosk
already speaks from (the screen's script and its personal flags) and what it draws (title,
step, the named controls, the fields), with every personal value masked unless the citizen let
the clerk see their details.

A few kB at most on a rural link: texts are cut, and a screen too large loses its spoken lines
first, then controls, never a field or the error."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kiosk.speech.script import VALUE, Part, Script

MASK = "•••"  # never a part of the value (no last four digits): the speech rule, on a screen
MAX_TEXT = 300  # characters of any one text
MAX_BYTES = 4096  # the JSON of one screen model


@dataclass(frozen=True)
class Control:
    id: str  # the widget's objectName: what a desk's "point" targets
    role: str  # button | option | nav
    label: str
    chosen: bool | None = None  # options only
    personal: bool = False  # its label shows a personal value (an option naming the citizen)


@dataclass(frozen=True)
class Field:
    id: str  # the step id: what a desk's "fill" targets
    label: str
    value: str  # as shown on the kiosk
    personal: bool
    fillable: bool = False  # a desk may fill it (typed or chosen answers)


@dataclass(frozen=True)
class View:
    """What the kiosk shows now, before masking."""

    screen: str
    lang: str
    text_size: str
    title: str = ""
    question: str = ""
    step: tuple[int, int | None] | None = None
    controls: tuple[Control, ...] = ()
    fields: tuple[Field, ...] = ()
    error: str = ""
    script: tuple[str | Part, ...] = ()


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def shown_line(item: str | Part, personal_ok: bool) -> str:
    """A line of the script as the desk reads it: a personal value masked by the same flag
    that keeps it off the loudspeaker."""
    if not isinstance(item, Part):
        return item
    value = str(item.value) if personal_ok or not item.personal else MASK
    return item.frame.replace(VALUE, value)


def said_lines(script: Script, personal_ok: bool) -> list[str]:
    return [_cut(line) for line in (shown_line(item, personal_ok) for item in script)
            if line and line.strip()]


def build(view: View, personal_ok: bool) -> dict:
    """The SCREEN dict sent to the desk."""

    def control(c: Control) -> dict:
        out = {"id": c.id, "role": c.role,
               "label": MASK if c.personal and not personal_ok else _cut(c.label)}
        if c.chosen is not None:
            out["chosen"] = c.chosen
        return out

    def field(f: Field) -> dict:
        masked = f.personal and not personal_ok and bool(f.value)
        return {"id": f.id, "label": _cut(f.label), "value": MASK if masked else _cut(f.value),
                "masked": masked, "fillable": f.fillable}

    model: dict = {"screen": view.screen, "lang": view.lang, "text_size": view.text_size,
                   "title": _cut(view.title), "question": _cut(view.question),
                   "step": {"n": view.step[0], "of": view.step[1]} if view.step else None,
                   "controls": [control(c) for c in view.controls],
                   "fields": [field(f) for f in view.fields],
                   "error": _cut(view.error),
                   "said": said_lines(list(view.script), personal_ok)}
    return fit(model)


def size(model: dict) -> int:
    return len(encode(model))


def encode(model: dict) -> bytes:
    return json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fit(model: dict) -> dict:
    """Within MAX_BYTES: spoken lines go first (the desk has the title, question and fields),
    then controls from the end (keys of a keyboard before the bars' buttons)."""
    while size(model) > MAX_BYTES and model["said"]:
        model["said"].pop()
    while size(model) > MAX_BYTES and model["controls"]:
        model["controls"].pop()
    return model
