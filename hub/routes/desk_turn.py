"""GET /desk/turn: the signed-in desk page's TURN servers for a voice call, with short-lived
credentials (hub/turn.py). In the answer's body, never in an address; not cached."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from hub.routes import hub_of
from hub.routes.desk_session import signed_in
from hub.turn import ice_servers

router = APIRouter()


@router.get("/desk/turn", include_in_schema=False)
async def desk_turn(request: Request) -> JSONResponse:
    desk = await run_in_threadpool(signed_in, request)
    if desk is None:
        return JSONResponse({"detail": "Sign in to the helper desk first."}, status_code=401)
    servers = ice_servers(hub_of(request).settings, desk[0], time.time())
    return JSONResponse({"ice_servers": servers}, headers={"Cache-Control": "no-store"})
