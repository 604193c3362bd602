"""Limits checked before anything is parsed: body size per route, JSON depth, characters.

An ASGI middleware reads the body itself, counting bytes as they arrive: a declared or streamed
body over its route's limit is refused with 413 at once, so memory stays bounded whatever is
sent. Then, still before any parser runs, it refuses what would make a parser or a database
fail: JSON nested deeper than MAX_JSON_DEPTH (json would raise RecursionError) and control
characters in the path or the query (PostgreSQL refuses NUL). Each refusal names its cause in
plain words. The fields of a body are checked where they are read: lengths and characters (NUL,
lone surrogates) by the models (hub.routes.models), Open311's form by hub.open311_guard.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from hub.errors import OPEN311_PREFIX, error_response
from kiosk.usage_stats import MAX_BATCH_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

KIB = 1024
DEFAULT_BODY_LIMIT = 64 * KIB  # identity, heartbeat, lookups, help requests: well under 1 KiB
BODY_LIMITS = {  # (method, path) -> the most a body of that route may be, in bytes
    ("POST", "/v1/usage"): MAX_BATCH_BYTES,  # the kiosk splits its batches to fit
    ("POST", "/v1/submissions"): 1024 * KIB,  # a sealed form: a few KiB of answers
    ("POST", "/open311/v2/requests.json"): 64 * KIB,  # 4,000 Chinese characters are ~36 KiB
    ("POST", "/open311/v2/requests.xml"): 64 * KIB,
}
MAX_JSON_DEPTH = 32  # the deepest body the hub reads (a usage batch) is 5 levels

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)  # to the end if unclosed
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_INNERMOST = re.compile(rb"\[\]")
_CONTROL_IN_URL = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF])|[\x00-\x1f\x7f]")


class Refusal(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def body_limit(method: str, path: str) -> int:
    return BODY_LIMITS.get((method, path), DEFAULT_BODY_LIMIT)


def _too_large(limit: int) -> Refusal:
    return Refusal(413, "too_large", f"The request is too large: this address takes at most "
                   f"{limit // KIB} KiB.")


def _bad_text(where: str) -> Refusal:
    return Refusal(422, "invalid_characters", f"The {where} holds a control character (such as "
                   "NUL), which the hub does not accept.")


def json_depth_exceeds(body: bytes, depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON `body` nests arrays and objects more than `depth` deep (or never closes
    them): strings are taken out, then each pass removes the innermost level. C-speed regexes
    only, linear in the body for each level (a Python loop over 1 MiB would take a while)."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body))
    if len(brackets) <= 2 * depth:
        return False
    brackets = brackets.replace(b"{", b"[").replace(b"}", b"]")
    for _ in range(depth):
        brackets, removed = _INNERMOST.subn(b"", brackets)
        if not removed:
            break
    return b"[" in brackets


def check_target(scope: Scope) -> None:
    """The path and query: no control characters, raw or percent-encoded."""
    if _CONTROL_IN_URL.search(scope.get("raw_path") or scope["path"].encode("utf-8", "replace")):
        raise _bad_text("address")
    if _CONTROL_IN_URL.search(scope.get("query_string", b"")):
        raise _bad_text("query")


def check_body(body: bytes) -> None:
    if body.lstrip()[:1] not in (b"{", b"["):
        return  # not JSON: the route says so in its own words
    if json_depth_exceeds(body):
        raise Refusal(400, "too_deep", f"The JSON is nested too deep (or its brackets do not "
                      f"close): at most {MAX_JSON_DEPTH} levels of arrays and objects.")


class InputLimits:
    """ASGI middleware: the checks above, on every HTTP request, before the app sees it."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_target(scope)
            body = await _read_body(scope, receive, body_limit(scope["method"], scope["path"]))
            if body is None:
                return  # the client went away
            check_body(body)
        except Refusal as refusal:
            await _refuse(scope, receive, send, refusal)
            return
        await self.app(scope, _replay(body, receive), send)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes | None:
    declared = _header(scope, b"content-length")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)  # not one byte read
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # a disconnect, for whoever waits for one

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: Refusal) -> None:
    status = refusal.status
    if status == 422 and scope["path"].startswith(OPEN311_PREFIX):
        status = 400  # the status GeoReport v2 gives every bad request
    response = error_response(Request(scope), status, refusal.error, refusal.message)
    await response(scope, receive, send)
