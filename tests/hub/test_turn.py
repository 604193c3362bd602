"""The desk page's TURN servers: short-lived coturn credentials (use-auth-secret), none
without a configured server, never the secret itself."""

from __future__ import annotations

import base64
import hashlib
import hmac

from hub.config import Settings
from hub.turn import LIFETIME_S, ice_servers

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
