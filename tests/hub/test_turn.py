"""The desk page's TURN servers: short-lived coturn credentials (use-auth-secret), none
without a configured server, never the secret itself."""

from __future__ import annotations

import base64
import hashlib
import hmac

import requests

from hub.config import Settings
from hub.turn import LIFETIME_S, ice_servers
from tests.hub.conftest import desk_browser

NOW = 1_800_000_000


def test_no_turn_configured_gives_no_servers():
    assert ice_servers(Settings(), "county", NOW) == []


def test_turn_credentials_expire_and_are_the_hmac_coturn_checks():
    settings = Settings(turn_urls=("turn:turn.example:3478", "stun:turn.example:3478"),
                        turn_secret="s3cret-shared-with-coturn")
    stun, turn = ice_servers(settings, "county", NOW)
    assert stun == {"urls": ["stun:turn.example:3478"]}
    assert turn["urls"] == ["turn:turn.example:3478"]
    expiry, desk = turn["username"].split(":")
    assert (int(expiry), desk) == (NOW + LIFETIME_S, "county")
    # coturn's check (turn_server/userdb.c): base64(HMAC-SHA1(static-auth-secret, username))
    expected = hmac.new(b"s3cret-shared-with-coturn", turn["username"].encode(), hashlib.sha1)
    assert base64.b64decode(turn["credential"]) == expected.digest()
    assert "s3cret" not in repr(turn)


def test_the_secret_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("KIOSK_HUB_TURN_URLS", " turn:a:3478 , turns:a:5349,")
    monkeypatch.setenv("KIOSK_HUB_TURN_SECRET", "x")
    settings = Settings.from_env()
    assert settings.turn_urls == ("turn:a:3478", "turns:a:5349")
    assert settings.turn_secret == "x"


def test_a_signed_in_desk_page_gets_its_servers_and_no_one_else(start_hub):
    hub = start_hub(None, turn_urls=("turn:turn.example:3478",),
                    turn_secret="s3cret-shared-with-coturn")
    assert requests.get(f"{hub.url}/desk/turn", timeout=30).status_code == 401
    wrong = desk_browser(hub, "not-a-desk-token")
    assert wrong.get(f"{hub.url}/desk/turn", timeout=30).status_code == 401
    answer = desk_browser(hub).get(f"{hub.url}/desk/turn", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    (turn,) = answer.json()["ice_servers"]
    assert turn["urls"] == ["turn:turn.example:3478"]
    assert turn["username"].endswith(":demo-desk")
    assert "s3cret" not in answer.text
