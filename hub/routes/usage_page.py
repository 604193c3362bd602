"""The centre manager's usage page: GET /usage[?from=&to=], plain HTML, for a signed-in desk.

The figures of GET /v1/usage/summary as tables (sessions per day, each service's completion,
where people give up, help and its waiting time, average time, satisfaction, comments, the
kiosks), for the days chosen in a small form (the last 30 days until others are chosen; an
empty field: no limit), and the same figures as a CSV file (GET /usage.csv, UTF-8 with a byte
order mark for Excel). No JavaScript; everything escaped. Signing in: hub.routes.desk_session.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hub.published import Published, english
from hub.routes import hub_of
from hub.routes.desk_session import SIGN_OUT_BUTTON, page_desk
from hub.routes.html import page
from hub.routes.usage import CentreUsage, a_day, centre_usage
from kiosk.i18n import has, tr
from kiosk.usage_stats import summary_csv_text

router = APIRouter()

DEFAULT_DAYS = 30  # the period shown when none was chosen: the last 30 days, today included


def _day(text: str, name: str) -> date | None:
    """The day a form field gives (hub.routes.usage.a_day, as everywhere); "": no limit."""
    if not text:
        return None
    try:
        return a_day(text)
    except ValueError:
        raise ValueError(f"“{name}” must be a day written like 2026-11-01.") from None


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _table(headings: tuple[str, ...], rows: list[tuple[Any, ...]], empty: str) -> str:
    if not rows:
        return f'<p class="none">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _named(title: Any, ident: str) -> str:
    name = english(title)
    return f"{name} ({ident})" if name else ident


def _service_name(catalogue: Published, service_id: str) -> str:
    return _named((catalogue.get(service_id) or {}).get("title"), service_id)


def _step_name(catalogue: Published, service_id: str, step_id: str) -> str:
    if not step_id:
        return "before the first step"
    return _named(catalogue.step(service_id, step_id).get("title"), step_id)


def _comment(key: str) -> str:
    return tr("en", key) if has("en", key) else key


def render(usage: CentreUsage, catalogue: Published) -> HTMLResponse:
    figures = usage.summary
    services = figures.per_service

    def name(service_id: str) -> str:
        return _service_name(catalogue, service_id)

    first, last = (day.isoformat() if day else "" for day in (usage.first, usage.last))
    period = (f"{first or 'the first day'} to {last or 'today'}" if first or last
              else "all days")
    form = (f'<form method="get" action="/usage"><label>From <input type="date" name="from" '
            f'value="{first}"></label> <label>To <input type="date" name="to" '
            f'value="{last}"></label> <button type="submit">Show</button></form>')
    download = escape(urlencode({"from": first, "to": last}))
    rated = sum(figures.ratings.values())
    average = figures.average_rating
    used = sum(1 for visits in usage.kiosks.values() if visits)
    sections = [
        f"<h1>Usage figures: {escape(usage.centre)}</h1>",
        f"<p>{_count(figures.sessions, 'session')} on {used} of "
        f"{_count(len(usage.kiosks), 'kiosk')}, {escape(period)}. "
        f"Anonymous counts only.</p>{form}",
        f'<p><a href="/usage.csv?{download}">Download these figures as a CSV file (opens in '
        "Excel)</a></p>",
        "<h2>Sessions per day</h2>",
        _table(("Day", "Sessions"), list(figures.sessions_per_day.items()),
               "No sessions in these days."),
        "<h2>Services</h2>",
        _table(("Service", "Started", "Completed", "Completion rate", "Gave up",
                "Not eligible", "Average time (completed)"),
               [(name(s), f.started, f.completed, _share(f.completed, f.started), f.gave_up,
                 f.ineligible, _duration(f.average_seconds)) for s, f in services.items()],
               "No service was started."),
        "<h2>Where people give up</h2>",
        _table(("Service", "Step", "Times"),
               [(name(s), _step_name(catalogue, s, step), count)
                for s, f in services.items() for step, count in f.give_up_steps.items()],
               "Nobody gave up."),
        "<h2>Help</h2>",
        _table(("Help calls", "Answered", "Average wait for a helper"),
               [(figures.help_requests, figures.help_answered,
                 _duration(figures.average_help_wait_s))], ""),
        "<h2>Satisfaction</h2>",
        _table(("Rating", "Tasks", "Share"),
               [(f"{score} ({tr('en', f'rating.face.{score}')})", count,
                 _share(count, rated))
                for score, count in figures.ratings.items()], ""),
        f"<p>Average rating: {'-' if average is None else f'{average:.2f}'} out of 5 "
        f"({rated} rated).</p>",
        "<h2>Comments</h2>",
        _table(("Comment", "Times"), [(_comment(k), n) for k, n in figures.comments.items()],
               "No comments."),
        "<h2>Kiosks</h2>",
        _table(("Kiosk", "Sessions"), list(usage.kiosks.items()), "This centre has no kiosks."),
        SIGN_OUT_BUTTON,
    ]
    return page(f"Usage figures: {usage.centre}", "".join(sections))


def _usage(request: Request) -> CentreUsage | HTMLResponse:
    """The signed-in desk's centre's figures for the days asked (from, to; an empty one: no
    limit; neither asked: the last DEFAULT_DAYS days), or the page saying why not."""
    hub = hub_of(request)
    desk = page_desk(request, "/usage")
    if isinstance(desk, HTMLResponse):
        return desk
    asked = request.query_params
    if "from" not in asked and "to" not in asked:
        today = hub.settings.today_date()
        return centre_usage(hub.db, desk[1], today - timedelta(days=DEFAULT_DAYS - 1), today)
    try:
        days = _day(asked.get("from", ""), "From"), _day(asked.get("to", ""), "To")
    except ValueError as problem:
        return page("Usage figures: not shown",
                    f"<h1>Not shown</h1><p>{escape(str(problem))}</p>"
                    f'<p><a href="/usage">Show the last {DEFAULT_DAYS} days</a></p>',
                    status=422)
    return centre_usage(hub.db, desk[1], *days)


@router.get("/usage", include_in_schema=False)
def usage_page(request: Request) -> Response:
    found = _usage(request)
    if isinstance(found, HTMLResponse):
        return found
    return render(found, hub_of(request).catalogue)


@router.get("/usage.csv", include_in_schema=False)
def usage_csv(request: Request) -> Response:
    found = _usage(request)
    if isinstance(found, HTMLResponse):
        return found
    return Response(summary_csv_text(found.summary).encode("utf-8-sig"),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="usage.csv"'})
