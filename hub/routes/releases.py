"""GET /v1/releases/{version}: a release's wheel, for a kiosk whose heartbeat heard it offered
(hub.releases). The kiosk's token in the Authorization header, as for every kiosk call."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from hub import releases
from hub.auth import authenticate
from hub.errors import not_found
from hub.routes import hub_of
from kiosk import release

router = APIRouter(prefix="/v1")


@router.get("/releases/{version}", response_model=None)
def release_wheel(version: str, request: Request,
                  kiosk_id: str = Depends(authenticate)) -> FileResponse:
    del kiosk_id  # any kiosk of this hub: the wheel is signed, and holds nothing personal
    named = release.WHEEL.fullmatch(f"assisted_kiosk-{version}-py3-none-any.whl")
    stored = releases.stored(hub_of(request).settings, version) if named else None
    if stored is None:
        raise not_found("This hub offers no such release.")
    return FileResponse(stored.wheel, media_type="application/octet-stream",
                        filename=stored.wheel.name)
