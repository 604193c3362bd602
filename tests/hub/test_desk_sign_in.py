"""The helper desk's pages sign in with a form and a cookie; a token is never in an address."""

from __future__ import annotations

import time

import requests
from sqlalchemy import update

from hub.auth import token_hash
from hub.db import Desk
from hub.routes.desk_session import COOKIE, LIFETIME_S, cookie_value
from hub.seed import DEMO_DESK, DEMO_DESK_TOKEN
from tests.hub.conftest import desk_browser

PAGES = ("/desk", "/usage", "/usage.csv")


def sign_in(hub, token: str, **headers: str) -> requests.Response:
    return requests.post(f"{hub.url}/desk/sign-in", data={"token": token, "next": "/usage"},
                         headers=headers, allow_redirects=False, timeout=30)


def test_signing_in_sets_a_strict_http_only_cookie_that_holds_no_token(hub):
    for path in PAGES:
        anonymous = requests.get(hub.url + path, timeout=30)
        assert anonymous.status_code == 401 and 'action="/desk/sign-in"' in anonymous.text
        assert 'type="password" name="token"' in anonymous.text
        assert anonymous.headers["Cache-Control"] == "no-store"

    wrong = sign_in(hub, "demo-token")  # a kiosk's token is not a desk's
    assert wrong.status_code == 401 and "not a helper desk token" in wrong.text
    assert "set-cookie" not in wrong.headers

    signed = sign_in(hub, DEMO_DESK_TOKEN)
    assert signed.status_code == 303 and signed.headers["Location"] == "/usage"
    cookie = signed.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes and "secure" not in attributes
    assert "samesite=strict" in cookie.lower() and f"max-age={LIFETIME_S}" in cookie.lower()
    value = signed.cookies[COOKIE]
    assert DEMO_DESK_TOKEN not in value and token_hash(DEMO_DESK_TOKEN) not in value

    over_https = sign_in(hub, DEMO_DESK_TOKEN, **{"X-Forwarded-Proto": "https"})  # a proxy
    assert "secure" in over_https.headers["set-cookie"].lower()

    browser = desk_browser(hub)
    for path in PAGES:
        shown = browser.get(hub.url + path, timeout=30)
        assert shown.status_code == 200, path
        assert DEMO_DESK_TOKEN not in shown.text and "token=" not in shown.text


def test_a_token_in_the_address_is_refused_and_not_used(hub):
    browser = desk_browser(hub)
    for path in PAGES:
        for who in (requests.Session(), browser):  # signed in or not: the address is wrong
            refused = who.get(hub.url + path, params={"token": DEMO_DESK_TOKEN}, timeout=30)
            assert refused.status_code == 400, path
            assert "never taken from a web address" in refused.text
            assert 'action="/desk/sign-in"' in refused.text
            assert "Help requests" not in refused.text and "Usage figures:" not in refused.text
            assert "set-cookie" not in refused.headers


def test_a_forged_expired_or_outdated_cookie_signs_nobody_in(hub):
    key = hub.app.state.hub.session_key
    db = hub.app.state.hub.db
    good = cookie_value(key, DEMO_DESK, token_hash(DEMO_DESK_TOKEN), time.time())
    assert _desk_page(hub, good).status_code == 200

    desk_id, expires, mac = good.split(".")
    forged = [
        f"{desk_id}.{int(expires) + 3600}.{mac}",  # a longer life, same signature
        f"{desk_id}.{expires}.{'A' * len(mac)}",
        cookie_value(b"\0" * 32, DEMO_DESK, token_hash(DEMO_DESK_TOKEN), time.time()),
        cookie_value(key, DEMO_DESK, token_hash(DEMO_DESK_TOKEN), time.time() - LIFETIME_S - 1),
        "not a cookie", "a.b.c", "",
    ]
    for value in forged:
        assert _desk_page(hub, value).status_code == 401, value

    with db.write() as session, session.begin():  # the desk is given a new token
        session.execute(update(Desk).where(Desk.desk_id == DEMO_DESK)
                        .values(token_hash=token_hash("a-new-desk-token")))
    assert _desk_page(hub, good).status_code == 401


def test_signing_out_ends_the_session_and_forms_need_one(hub):
    browser = desk_browser(hub)
    assert browser.get(f"{hub.url}/desk", timeout=30).status_code == 200
    out = browser.post(f"{hub.url}/desk/sign-out", allow_redirects=False, timeout=30)
    assert out.status_code == 303 and out.headers["Location"] == "/desk"
    assert COOKIE not in browser.cookies
    assert browser.get(f"{hub.url}/desk", timeout=30).status_code == 401
    acted = requests.post(f"{hub.url}/desk/close", data={"id": "x", "token": DEMO_DESK_TOKEN},
                          timeout=30)
    assert acted.status_code == 401  # a token in the form is not a session either


def _desk_page(hub, cookie: str) -> requests.Response:
    return requests.get(f"{hub.url}/desk", cookies={COOKIE: cookie}, timeout=30)
