"""The centre page: GET /centre, plain HTML for a signed-in desk, one row per kiosk of its
centre: online or not, last seen, software version, queue, the problems the kiosk's own last
self-check (`diagnose`) found and why it did not take an update, as its heartbeat said.

A kiosk behind the newest version in its centre is pointed out (it may have missed an
update). No JavaScript; everything escaped; never cached. Signing in: hub.routes.desk_session.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from packaging.version import InvalidVersion, Version

from hub.db import utcnow
from hub.routes import help_requests, hub_of
from hub.routes.desk_session import SIGN_OUT_BUTTON, page_desk
from hub.routes.html import page

router = APIRouter()


def ago(iso_text: str | None, now: datetime) -> str:
    """"4 minutes ago (2026-12-04 22:10 UTC)", or "never"."""
    if not iso_text:
        return "never"
    moment = datetime.fromisoformat(iso_text)
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 1:
        words = "under a minute ago"
    elif minutes < 120:
        words = "1 minute ago" if minutes == 1 else f"{minutes} minutes ago"
    elif minutes < 48 * 60:
        words = f"{minutes // 60} hours ago"
    else:
        words = f"{minutes // (24 * 60)} days ago"
    return f"{words} ({moment:%Y-%m-%d %H:%M} UTC)"


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def newest_version(kiosks: list[dict[str, Any]]) -> Version | None:
    known = [v for v in (_version(k["version"]) for k in kiosks) if v is not None]
    return max(known, default=None)


def _version_cell(kiosk: dict[str, Any], newest: Version | None) -> str:
    text = kiosk["version"]
    if not text:
        return "not told"
    mine = _version(text)
    if newest is not None and mine is not None and mine < newest:
        return f"&#9888; {escape(text)}, older than {escape(str(newest))}"
    return escape(text)


def _queue_cell(kiosk: dict[str, Any]) -> str:
    waiting = kiosk["queue_waiting"] or 0
    refused = kiosk["queue_quarantined"] or 0
    text = "&#10004; nothing waiting" if not waiting else f"&#8987; {waiting} waiting to send"
    if refused:
        text += f", &#9888; {refused} refused by the hub (see the kiosk's admin screen)"
    return text


def _problems_cell(kiosk: dict[str, Any], now: datetime) -> str:
    update = kiosk["update_problem"]
    if update:
        return (f'<p class="problem">&#9888; Update: {escape(update)}</p>'
                + _checked_cell(kiosk, now))
    return _checked_cell(kiosk, now)


def _checked_cell(kiosk: dict[str, Any], now: datetime) -> str:
    if kiosk["problems_checked"] is None:
        return '<span class="none">not checked yet</span>'
    when = f"checked {ago(kiosk['problems_checked'], now)}"
    if not kiosk["problems"]:
        return f"&#10004; none ({when})"
    items = "".join(f"<li>{escape(problem)}</li>" for problem in kiosk["problems"])
    return f'<span class="problem">&#9888; {len(kiosk["problems"])}</span><ul>{items}</ul>{when}'


def _row(kiosk: dict[str, Any], newest: Version | None, now: datetime) -> str:
    link = "&#9679; online" if kiosk["online"] else "&#9675; OFFLINE"
    return (f"<tr><td>{escape(kiosk['kiosk_id'])}</td><td>{link}</td>"
            f"<td>{ago(kiosk['last_seen'], now)}</td><td>{_version_cell(kiosk, newest)}</td>"
            f"<td>{_queue_cell(kiosk)}</td><td>{_problems_cell(kiosk, now)}</td></tr>")


def render(desk_id: str, centre: str, kiosks: list[dict[str, Any]],
           now: datetime) -> HTMLResponse:
    name = centre or desk_id
    if kiosks:
        newest = newest_version(kiosks)
        rows = "".join(_row(kiosk, newest, now) for kiosk in kiosks)
        table = ("<table><tr><th>Kiosk</th><th>Link</th><th>Last seen</th><th>Version</th>"
                 f"<th>Queue</th><th>Problems</th></tr>{rows}</table>")
    else:
        table = '<p class="none">This centre has no kiosks.</p>'
    troubled = sum(1 for k in kiosks if k["problems"] or k["update_problem"] or not k["online"])
    needs = "needs" if troubled == 1 else "need"
    summary = (f"<p>Kiosks: {len(kiosks)}; {troubled} {needs} a look.</p>" if kiosks else "")
    body = (f"<h1>Centre: {escape(name)}</h1>{summary}{table}"
            "<p>Problems are what each kiosk found when it last checked itself (the same "
            "checks as its admin screen's Diagnostics tab). This page refreshes itself every "
            f"5 seconds.</p>{SIGN_OUT_BUTTON}")
    return page(f"Centre: {name}", body, refresh=True)


@router.get("/centre", include_in_schema=False)
def centre_page(request: Request) -> Response:
    desk = page_desk(request, "/centre")
    if isinstance(desk, Response):
        return desk
    desk_id, centre = desk
    return render(desk_id, centre, help_requests.desk_kiosks(hub_of(request).db, centre),
                  utcnow())
