"""Request bodies of the JSON endpoints (strict: a number is not a text, nor text a number)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _whole_float(value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer; so does the hub (but never "3" or true)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Count = Annotated[int, BeforeValidator(_whole_float), Field(ge=0, le=2**31 - 1)]  # an SQL INTEGER


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class IdNumber(_Body):
    id_number: str


class CodeCheck(_Body):
    id_number: str
    code: str


class LookupRequest(_Body):
    params: dict[str, Any] = Field(default_factory=dict)
    citizen_id: str | None = None


class Heartbeat(_Body):
    kiosk_id: str
    queue_waiting: Count
    queue_quarantined: Count
    version: str
