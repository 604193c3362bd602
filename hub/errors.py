"""One error shape per API: {"error", "message"} under /v1; Open311's own (JSON or XML).

An unexpected exception is logged as its type, the route and the line it came from, never its
message or traceback text: a database error's message can quote the values of the row (a
reporter's e-mail, a decrypted answer), and a request body is a citizen's data.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from hub import open311_format

log = logging.getLogger(__name__)

OPEN311_PREFIX = "/open311/"
HUB_DIR = Path(__file__).resolve().parent

_STARLETTE_CODES = {
    400: ("invalid_json", "The body could not be read as JSON."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
}


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}


def not_found(message: str = "Nothing was found for what was asked.") -> ApiError:
    return ApiError(404, "not_found", message)


def invalid(message: str, error: str = "invalid_request") -> ApiError:
    return ApiError(422, error, message)


def error_response(request: Request, status: int, error: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith(OPEN311_PREFIX):
        return open311_format.errors(request.url.path, status, message, headers)
    return JSONResponse({"error": error, "message": message}, status_code=status,
                        headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.error, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if any(_not_json(e) for e in exc.errors()):  # 400, as POST /v1/submissions answers
            return error_response(request, 400, *_STARLETTE_CODES[400])
        problems = "; ".join(_describe(e) for e in exc.errors()[:5])
        status = 400 if request.url.path.startswith(OPEN311_PREFIX) else 422
        return error_response(request, status, "invalid_request",
                              f"The request is not written the right way: {problems}.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        error, message = _STARLETTE_CODES.get(exc.status_code, ("error", str(exc.detail)))
        return error_response(request, exc.status_code, error, message,
                              getattr(exc, "headers", None))



Scope = MutableMapping[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]


class ServerErrors:
    """ASGI middleware: an unexpected exception becomes a 500 and one log line without values.

    (Starlette's own handler would re-raise it for the server to print with its traceback.)"""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as problem:  # every kind ends here, said without values
            log.error("500 on %s %s: %s", scope["method"], _route(scope), describe(problem))
            if not started:
                response = error_response(Request(scope), 500, "internal_error",
                                          "The hub had a problem; nothing was changed. "
                                          "Please try again.")
                await response(scope, receive, send)


def describe(problem: BaseException) -> str:
    """The exception's type, its causes' types and the hub's line it came through (else the
    last line): no message, no args."""
    kinds = []
    cause: BaseException | None = problem
    while cause is not None and len(kinds) < 4:
        kinds.append(f"{type(cause).__module__.split('.')[0]}.{type(cause).__qualname__}")
        cause = cause.__cause__ or cause.__context__
    frames = traceback.extract_tb(problem.__traceback__)
    ours = [frame for frame in frames if HUB_DIR in Path(frame.filename).parents]
    where = ""
    if frames:
        last = (ours or frames)[-1]
        where = f" at {Path(last.filename).name}:{last.lineno} in {last.name}"
    return " from ".join(kinds) + where


def _route(scope: Scope) -> str:
    """The route's template (/v1/applications/{reference}), not the path a client wrote."""
    route = scope.get("route")
    return getattr(route, "path", None) or "(no route)"


def _not_json(error: dict) -> bool:
    """The body of a route taking a model was no JSON: not JSON text, or not sent as JSON
    (without a JSON Content-Type, FastAPI hands the model the raw bytes)."""
    return error.get("type") == "json_invalid" or (
        tuple(error.get("loc", ())) == ("body",) and isinstance(error.get("input"), bytes))


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where or 'body'}: {error.get('msg', 'invalid')}"
