"""The helper desk's page: GET /desk, plain HTML that refreshes itself, for a signed-in desk.

No JavaScript: the open requests (longest waiting first) with an Acknowledge form and a Close
button each (POST /desk/acknowledge, /desk/close, then back to the page), and the centre's
kiosks, online or not, in words and a symbol (never colour alone). Everything shown is escaped.
Signing in (a form, then a cookie; never a token in the address): hub.routes.desk_session.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hub.errors import ApiError
from hub.remote.desks import regional
from hub.routes import help_requests, hub_of
from hub.routes.desk_session import (
    SIGN_OUT_BUTTON,
    page_desk,
    read_form,
    sign_in_page,
    signed_in,
)
from hub.routes.html import page

router = APIRouter()


def _minutes(seconds: int) -> str:
    minutes = seconds // 60
    if minutes < 1:
        return "under 1 minute"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _hidden(request_id: str) -> str:
    return f'<input type="hidden" name="id" value="{escape(request_id)}">'


def _request_row(item: dict[str, Any]) -> str:
    if item["clerk"]:  # a remote desk took it: nobody is walking over
        state = (f"&#10004; {escape(item['clerk'])} ({escape(item['desk'] or '')}) is helping "
                 "from a distance")
    elif item["state"] == "acknowledged":
        state = f"&#10004; {escape(item['helper_name'] or '')} is going"
    else:
        state = "&#9888; waiting for a helper"
    actions = (
        f'<form method="post" action="/desk/acknowledge">{_hidden(item["id"])}'
        f'<label>Helper name <input name="helper_name" required maxlength="60" '
        f'size="10"></label> <button type="submit">Acknowledge</button></form>'
        f'<form method="post" action="/desk/close">{_hidden(item["id"])}'
        f'<button type="submit">Close</button></form>')
    return (f"<tr><td>{escape(item['kiosk_id'])}</td>"
            f"<td>{escape(item['service_id'] or '-')}</td>"
            f"<td>{escape(item['step_id'] or '-')}</td>"
            f"<td>{_minutes(item['waiting_seconds'])}</td><td>{state}</td>"
            f"<td>{actions}</td></tr>")


def _kiosk_row(kiosk: dict[str, Any]) -> str:
    status = "&#9679; online" if kiosk["online"] else "&#9675; OFFLINE"
    waiting = kiosk["queue_waiting"] or 0
    stuck = kiosk["queue_quarantined"] or 0
    items = "&#10004; nothing waiting" if not waiting else f"&#8987; {waiting} waiting to send"
    if stuck:
        items += f", &#9888; {stuck} refused by the hub"
    return (f"<tr><td>{escape(kiosk['kiosk_id'])}</td><td>{status}</td>"
            f"<td>{escape(kiosk['last_seen'] or 'never')}</td><td>{items}</td></tr>")


def render(desk_id: str, centre: str, requests: list[dict[str, Any]],
           kiosks: list[dict[str, Any]]) -> HTMLResponse:
    if requests:
        rows = "".join(_request_row(item) for item in requests)
        table = ("<table><tr><th>Kiosk</th><th>Service</th><th>Step</th><th>Waiting</th>"
                 f"<th>State</th><th>Actions</th></tr>{rows}</table>")
    else:
        table = '<p class="none">No one is waiting for help.</p>'
    kiosk_rows = "".join(_kiosk_row(k) for k in kiosks)
    kiosk_table = ("<table><tr><th>Kiosk</th><th>Link</th><th>Last seen (UTC)</th>"
                   f"<th>Items</th></tr>{kiosk_rows}</table>" if kiosks
                   else '<p class="none">This centre has no kiosks.</p>')
    body = (f"<h1>Helper desk: {escape(centre or desk_id)}</h1>"
            f"<h2>Help requests, longest waiting first ({len(requests)})</h2>{table}"
            f"<h2>Kiosks</h2>{kiosk_table}"
            f"<p>This page refreshes itself every 5 seconds.</p>{SIGN_OUT_BUTTON}")
    return page(f"Helper desk: {centre or desk_id}", body, refresh=True)


def _back() -> RedirectResponse:
    return RedirectResponse("/desk", status_code=303)


@router.get("/desk", include_in_schema=False)
def desk_page(request: Request) -> Response:
    desk = page_desk(request, "/desk")
    if isinstance(desk, Response):
        return desk
    hub = hub_of(request)
    desk_id, centre = desk
    if regional(hub.db, desk_id):  # it serves many centres: its page is the live one
        return RedirectResponse("/desk/region", status_code=303)
    return render(desk_id, centre,
                  help_requests.desk_requests(hub.db, centre, help_requests.ACTIVE),
                  help_requests.desk_kiosks(hub.db, centre))


async def _act(request: Request, action: str) -> Response:
    form = await read_form(request)
    hub = hub_of(request)
    desk = await run_in_threadpool(signed_in, request)
    if desk is None:
        return sign_in_page("/desk")

    def act() -> None:
        if action == "acknowledge":
            help_requests.acknowledge(hub.db, desk[1], form.get("id", ""),
                                      form.get("helper_name", ""))
        else:
            help_requests.close(hub.db, desk[1], form.get("id", ""))

    try:
        await run_in_threadpool(act)
        if action == "close":  # a remote session of the call ends too (hub.remote)
            request.app.state.relay.end(form.get("id", ""), "clerk")
    except ApiError as problem:
        return page("Helper desk: not done",
                    f"<h1>Not done</h1><p>{escape(problem.message)}</p>"
                    '<p><a href="/desk">Back to the helper desk</a></p>', status=problem.status)
    return _back()


@router.post("/desk/acknowledge", include_in_schema=False)
async def desk_acknowledge(request: Request) -> Response:
    return await _act(request, "acknowledge")


@router.post("/desk/close", include_in_schema=False)
async def desk_close(request: Request) -> Response:
    return await _act(request, "close")
