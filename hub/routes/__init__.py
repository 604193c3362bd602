"""The hub's routes, one module per part of the contract (docs/api/CONTRACT.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from hub.app import Hub


def hub_of(request: Request) -> Hub:
    return request.app.state.hub
