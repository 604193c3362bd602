"""The hub's routes, one module per part of the contract (docs/api/CONTRACT.md).

The routes kiosks call all the time say `response_model=None`: their answers are built by the
hub itself, and FastAPI would otherwise re-validate each one in a worker thread (a second
thread hop per request)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from hub.app import Hub


def hub_of(request: Request) -> Hub:
    return request.app.state.hub
