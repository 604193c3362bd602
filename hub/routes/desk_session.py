"""Signing in to the hub's HTML pages (/desk, /usage, /usage.csv): a form, then a cookie.

A desk's token is typed into a form (POST /desk/sign-in), never put in an address: browsers,
proxies and access logs keep addresses. An address with ?token= is refused, and the token in it
is not used. The cookie holds no token: the desk id, an expiry and an HMAC over them and the
desk's token hash, under a key derived from the hub's private key (every hub process of a
region has it, so any of them accepts the cookie; a desk given a new token is signed out).
HttpOnly, SameSite=Strict (so another site's page cannot make a signed-in browser press
Acknowledge), Secure when the page came over https.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from html import escape
from urllib.parse import parse_qsl

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from hub.auth import desk_for_token, token_hash
from hub.db import Database, Desk
from hub.routes import hub_of
from hub.routes.html import page

COOKIE = "hub_desk"
LIFETIME_S = 12 * 3600  # a long shift; then the desk signs in again
PAGES = ("/desk", "/usage", "/centre", "/desk/region")  # where a sign-in may lead

router = APIRouter()


def session_key(private_key: rsa.RSAPrivateKey) -> bytes:
    """The cookies' HMAC key: derived from the private key every hub process shares."""
    secret = private_key.private_bytes(serialization.Encoding.DER,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"hub desk session v1").derive(secret)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, desk_id: str, expires: int, hashed_token: str) -> bytes:
    return hmac.new(key, f"{desk_id}\n{expires}\n{hashed_token}".encode(),
                    hashlib.sha256).digest()


def cookie_value(key: bytes, desk_id: str, hashed_token: str, now: float) -> str:
    expires = int(now) + LIFETIME_S
    mac = _mac(key, desk_id, expires, hashed_token)
    return f"{_b64(desk_id.encode())}.{expires}.{_b64(mac)}"


def desk_of_cookie(db: Database, key: bytes, value: str, now: float) -> tuple[str, str] | None:
    """(desk_id, centre) of a valid, unexpired cookie, or None."""
    try:
        encoded_id, expires_text, mac_text = value.split(".")
        desk_id, expires, mac = _unb64(encoded_id).decode(), int(expires_text), _unb64(mac_text)
    except ValueError:  # also a bad base64 or UTF-8
        return None
    if expires < now:
        return None
    with db.read() as session:
        found = session.execute(select(Desk.centre, Desk.token_hash)
                                .where(Desk.desk_id == desk_id)).first()
    if found is None or not hmac.compare_digest(mac, _mac(key, desk_id, expires, found[1])):
        return None
    return desk_id, found[0]


def signed_in(request: Request) -> tuple[str, str] | None:
    """The desk whose cookie came with the request (desk_id, centre), or None."""
    value = request.cookies.get(COOKIE, "")
    hub = hub_of(request)
    return desk_of_cookie(hub.db, hub.session_key, value, time.time()) if value else None


def sign_in_page(next_page: str, status: int = 401, problem: str = "") -> HTMLResponse:
    """The form: the desk's token (made with `python -m hub add-desk`), then back to next_page."""
    warning = f'<p class="problem">&#9888; {escape(problem)}</p>' if problem else ""
    body = (f"<h1>Helper desk: sign in</h1>{warning}"
            "<p>Type the helper desk's token (made with <code>python -m hub add-desk</code>)."
            "</p><form method=\"post\" action=\"/desk/sign-in\">"
            f'<input type="hidden" name="next" value="{escape(next_page)}">'
            '<label>Desk token <input type="password" name="token" required '
            'autocomplete="current-password" size="30"></label> '
            '<button type="submit">Sign in</button></form>')
    return page("Helper desk: sign in", body, status=status)


def token_in_address(request: Request, next_page: str) -> HTMLResponse | None:
    """The refusal of an address carrying ?token= (the token is not used), or None."""
    if "token" not in request.query_params:
        return None
    return sign_in_page(next_page, 400, "A token is never taken from a web address: addresses "
                        "are kept in browser history and server logs. Sign in here instead, and "
                        "give this desk a new token (python -m hub add-desk) if that address was "
                        "shared.")


def page_desk(request: Request, path: str) -> tuple[str, str] | HTMLResponse:
    """The signed-in desk (desk_id, centre) that may see the page at `path`, or the page to
    show instead: the refusal of a token in the address, or the sign-in form."""
    refused = token_in_address(request, path)
    if refused is not None:
        return refused
    return signed_in(request) or sign_in_page(path)


async def read_form(request: Request) -> dict[str, str]:
    raw = await request.body()
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True,
                          max_num_fields=20))


@router.post("/desk/sign-in", include_in_schema=False)
async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    next_page = form.get("next") if form.get("next") in PAGES else PAGES[0]
    hub = hub_of(request)
    token = form.get("token", "").strip()
    desk = await run_in_threadpool(desk_for_token, hub.db, token)
    if desk is None:
        return sign_in_page(next_page, 401, "That token is not a helper desk token on this hub.")
    response = RedirectResponse(next_page, status_code=303)
    response.set_cookie(COOKIE, cookie_value(hub.session_key, desk[0], token_hash(token),
                                             time.time()),
                        max_age=LIFETIME_S, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.post("/desk/sign-out", include_in_schema=False)
async def sign_out(request: Request) -> Response:
    response = RedirectResponse(PAGES[0], status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


SIGN_OUT_BUTTON = ('<form method="post" action="/desk/sign-out">'
                   '<button type="submit">Sign out</button></form>')
