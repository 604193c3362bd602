"""GET /v1/catalogue (with ETag / If-None-Match) and GET /v1/keys/submissions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from hub.auth import authenticate
from hub.routes import hub_of

router = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])


def _matches(if_none_match: str, version: str) -> bool:
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"')
        if tag == version:
            return True
    return False


@router.get("/catalogue")
def get_catalogue(request: Request) -> Response:
    published = hub_of(request).catalogue
    etag = f'"{published.version}"'
    if _matches(request.headers.get("if-none-match", ""), published.version):
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse({"version": published.version, "services": published.services},
                        headers={"ETag": etag})


@router.get("/keys/submissions")
def get_submission_key(request: Request) -> dict[str, str]:
    return {"public_key_pem": hub_of(request).public_key_pem}
