"""Request bodies of the JSON endpoints (strict: a number is not a text, nor text a number).

Every string has a length limit and plain characters (`Line`): no control character (NUL
would make PostgreSQL fail) and no lone surrogate (it cannot be written as UTF-8). Fields a
model does not name are ignored, never stored: their characters do not matter.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

_NOT_PLAIN = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
MAX_PARAMS = 20
MAX_PARAM_TEXT = 1000
MAX_PROBLEMS = 20
MAX_PROBLEM = 300


def _whole_float(value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer; so does the hub (but never "3" or true)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def plain(text: str) -> str:
    if _NOT_PLAIN.search(text):
        raise ValueError("must be plain text: no control character (such as NUL) and no lone "
                         "surrogate character")
    return text


def Line(max_length: int, min_length: int = 0) -> Any:  # a type, hence the name
    """A one-line text of at most `max_length` characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length),
                     AfterValidator(plain)]


Count = Annotated[int, BeforeValidator(_whole_float), Field(ge=0, le=2**31 - 1)]  # an SQL INTEGER
IdNumberText = Line(32, 1)
Ident = Line(100)  # a kiosk, service or step id
CodeText = Line(12)
VersionText = Line(100)
ParamName = Line(50)
ParamValue = Line(MAX_PARAM_TEXT) | int | float | bool | None


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class IdNumber(_Body):
    id_number: IdNumberText


class CodeCheck(_Body):
    id_number: IdNumberText
    code: CodeText


class LookupRequest(_Body):
    """params are earlier answers: texts, numbers, yes/no, or lists of them (a multiple
    choice)."""

    params: Annotated[dict[ParamName, ParamValue | list[ParamValue]],
                      Field(max_length=MAX_PARAMS)] = Field(default_factory=dict)
    citizen_id: IdNumberText | None = None


class Heartbeat(_Body):
    kiosk_id: Ident
    queue_waiting: Count
    queue_quarantined: Count
    version: VersionText
    settings_hash: Line(64) = ""  # of the settings the hub last pushed, as the kiosk has them
    audit_head: Line(64) = ""  # the newest hash of the kiosk's audit log
    audit_seq: Count = 0  # and how many entries it has
    # The failed checks of the kiosk's last self-check (kiosk.diagnostics), and when it ran
    problems: Annotated[list[Line(MAX_PROBLEM)], Field(max_length=MAX_PROBLEMS)] = \
        Field(default_factory=list)
    problems_checked: Line(40) = ""  # ISO 8601; "" = it has not checked itself yet
    update_problem: Line(300) = ""  # why the last release offered was not installed
