"""What the hub's plain HTML pages share (the helper desk's, the centre's usage figures):
one style sheet of very large text and the page around a body (never cached: it shows a
centre's data)."""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

STYLE = """
body { font-family: sans-serif; font-size: 28px; line-height: 1.4; margin: 1em; }
h1 { font-size: 44px; } h2 { font-size: 36px; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 2px solid #333; padding: 0.4em; text-align: left; vertical-align: top; }
input, button { font-size: 28px; padding: 0.3em; }
form { display: inline-block; margin: 0.2em 0.4em 0.2em 0; }
.none { font-style: italic; }
.problem { font-weight: bold; }
"""


def page(title: str, body: str, status: int = 200, refresh: bool = False) -> HTMLResponse:
    """A whole page: `title` is escaped here; `body` is HTML whose parts the caller escaped.
    refresh: the browser reloads it every 5 seconds."""
    meta = '<meta http-equiv="refresh" content="5">' if refresh else ""
    return HTMLResponse(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"{meta}<meta name=\"referrer\" content=\"no-referrer\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n", status_code=status,
        headers={"Cache-Control": "no-store"})
