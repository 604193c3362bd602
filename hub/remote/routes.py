"""The live channel's routes: the kiosk's long poll and posts (kiosk token), the desk's take,
send, end and event stream (the desk page's cookie, same origin; hub.routes.desk_session).

The kiosk's routes are under its help request, /v1/help-requests/{id}/remote/..., and also
/v1/help/{id}/remote/... as REMOTE.md writes them. Nothing of a message is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from hub.auth import authenticate
from hub.errors import ApiError, invalid, not_found
from hub.remote import desks
from hub.remote.desks import DeskScope
from hub.remote.messages import desk_message, kiosk_batch
from hub.remote.relay import Channel, Relay
from hub.routes import help_requests, hub_of
from hub.routes.desk_session import signed_in

router = APIRouter()
TICK_S = 1.0  # the desk's list is read again this often (new calls, escalations)
CALLS_AT_LEAST_EVERY_S = 15.0  # and sent at least this often (minutes waited; a keep-alive)
STREAM_FOR_S = 300.0  # then the browser reconnects (EventSource does): a hub can stop


def relay_of(request: Request) -> Relay:
    return request.app.state.relay


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        raise ApiError(400, "invalid_json", "The body could not be read as JSON.") from None


# --- the kiosk's side -----------------------------------------------------------------------


async def _kiosk_channel(request: Request, call_id: str, kiosk_id: str) -> Channel:
    relay = relay_of(request)
    channel = relay.channels.get(call_id)
    if channel is not None:
        if channel.kiosk_id != kiosk_id:
            raise not_found("This kiosk has no help request with this id.")
        return channel
    row = await run_in_threadpool(desks.kiosk_call, hub_of(request).db, call_id, kiosk_id)
    if row is None:
        raise not_found("This kiosk has no help request with this id.")
    if row.state == "closed" or row.taken_by is not None:  # taken: its session was lost
        raise ApiError(410, "ended", "This help session has ended.")
    return relay.channel(call_id, kiosk_id)


async def kiosk_down(request_id: str, request: Request,
                     after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
                     kiosk_id: str = Depends(authenticate)) -> dict[str, Any]:
    """Long poll: the desk's messages after seq `after`, at once or within 20 s."""
    channel = await _kiosk_channel(request, request_id, kiosk_id)
    return await relay_of(request).wait_down(channel, after)


async def kiosk_up(request_id: str, request: Request,
                   kiosk_id: str = Depends(authenticate)) -> Response:
    """The kiosk's messages for the desk; 409 when screens came before consent (dropped)."""
    messages = kiosk_batch(await _json(request))
    channel = await _kiosk_channel(request, request_id, kiosk_id)
    accepted, dropped = relay_of(request).up(channel, messages)
    if dropped:
        return JSONResponse({"error": "no_consent", "accepted": accepted,
                             "message": "The citizen has not let the clerk see the screen: "
                             f"{dropped} screen(s) dropped."}, status_code=409)
    return JSONResponse({"accepted": accepted})


# REMOTE.md writes the help request's own address short, too: the same status answer.
router.add_api_route("/v1/help/{request_id}", help_requests.help_status, methods=["GET"],
                     response_model=None, include_in_schema=False)
for _base, _listed in (("/v1/help-requests/{request_id}/remote", True),
                       ("/v1/help/{request_id}/remote", False)):  # REMOTE.md's short form
    router.add_api_route(f"{_base}/down", kiosk_down, methods=["GET"], response_model=None,
                         include_in_schema=_listed)
    router.add_api_route(f"{_base}/up", kiosk_up, methods=["POST"], response_model=None,
                         include_in_schema=_listed)


# --- the desk's side ------------------------------------------------------------------------


async def _desk(request: Request) -> DeskScope:
    desk = await run_in_threadpool(signed_in, request)
    scope = (await run_in_threadpool(desks.scope_of, hub_of(request).db, desk[0])
             if desk else None)
    if scope is None:
        raise ApiError(401, "unauthorized", "Sign in at /desk/region first (the desk's token "
                       "in the form).")
    return scope


@router.get("/desk/calls", include_in_schema=False)
async def desk_calls(request: Request) -> list[dict[str, Any]]:
    scope = await _desk(request)
    return await run_in_threadpool(desks.calls_for, hub_of(request).db, scope,
                                   relay_of(request).clock.now())


@router.post("/desk/calls/{call_id}/take", include_in_schema=False)
async def desk_take(call_id: str, request: Request) -> dict[str, Any]:
    scope = await _desk(request)
    body = await _json(request)
    clerk = body.get("clerk") if isinstance(body, dict) else None
    if not isinstance(clerk, str):
        raise invalid("Type your name first: the citizen is told who helps them.")
    relay = relay_of(request)
    taken = await run_in_threadpool(desks.take, hub_of(request).db, scope, call_id, clerk,
                                    relay.clock.now())
    relay.take(call_id, taken["kiosk_id"], scope.desk_id, taken["clerk"], taken["desk"])
    return taken


@router.post("/desk/calls/{call_id}/send", include_in_schema=False)
async def desk_send(call_id: str, request: Request) -> dict[str, Any]:
    scope = await _desk(request)
    message = desk_message(await _json(request))
    return {"seq": relay_of(request).send(call_id, scope.desk_id, message)}


@router.post("/desk/calls/{call_id}/end", include_in_schema=False)
async def desk_end(call_id: str, request: Request) -> dict[str, Any]:
    """The clerk is done: the session ends and the call is closed."""
    scope = await _desk(request)
    relay = relay_of(request)
    await run_in_threadpool(desks.end, hub_of(request).db, scope, call_id, relay.clock.now())
    relay.end(call_id, "clerk")
    return {"id": call_id, "state": "closed"}


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _unchanging(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in call.items() if k != "waited_s"} for call in calls]


async def _stream(request: Request, scope: DeskScope) -> AsyncIterator[str]:
    """`calls` when the desk's list changes (read every TICK_S); `remote`: each kiosk
    message of the calls it holds, as soon as it comes (without reading the list again)."""
    relay, db = relay_of(request), hub_of(request).db
    loop = asyncio.get_running_loop()
    stop_at = loop.time() + STREAM_FOR_S
    sent, sent_at, read_at, cursors = None, 0.0, 0.0, {}
    relay.desk_open(scope.desk_id, True)
    try:
        yield "retry: 2000\n\n"
        while loop.time() < stop_at:
            changed = relay.changed
            relay.desk_alive(scope.desk_id)
            relay.check_links()
            if loop.time() >= read_at + TICK_S:
                read_at = loop.time()
                calls = await run_in_threadpool(desks.calls_for, db, scope, relay.clock.now())
                if _unchanging(calls) != sent or read_at - sent_at > CALLS_AT_LEAST_EVERY_S:
                    sent, sent_at = _unchanging(calls), read_at
                    yield _event("calls", {"calls": calls})
            for channel in relay.held_by(scope.desk_id):
                for message in _for_desk(relay, channel, cursors):
                    yield _event("remote", message)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), max(0.0, read_at + TICK_S - loop.time()))
    finally:
        relay.desk_open(scope.desk_id, False)


def _for_desk(relay: Relay, channel: Channel, cursors: dict[str, int]) -> list[dict]:
    """The kiosk's messages this stream has not sent. A stream seeing the channel first (a
    page opened again) starts where the desk's pages had read, with the consent and the
    newest screen: never old signals or answers again."""
    key = f"{channel.call_id}:{id(channel)}"  # a call taken again has a new channel
    if key in cursors:
        found = relay.unread(channel, cursors[key])
    else:
        found = relay.unread(channel, channel.desk_read)
        if channel.ended_by and not found:
            found = []
        else:
            have = {message["seq"] for message in found}
            found = sorted([m for m in relay.snapshot(channel) if m["seq"] not in have]
                           + found, key=lambda message: message["seq"])
        cursors[key] = channel.desk_read
    if found:
        cursors[key] = max(cursors[key], found[-1]["seq"])
    return found


@router.get("/desk/events", include_in_schema=False)
async def desk_events(request: Request) -> Response:
    scope = await _desk(request)
    return StreamingResponse(_stream(request, scope), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
