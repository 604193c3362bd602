"""The hub remembers known token hashes for a few seconds (one database read per kiosk every
TOKEN_TTL_S, not per request); an unknown token is never remembered, and a replaced token
stops working when the cache is told or its time is up."""

from __future__ import annotations

from sqlalchemy import update

from hub.auth import token_hash
from hub.db import Kiosk
from tests.hub.conftest import Client
from tests.hub.test_business_rules import second_kiosk
from tests.hub.test_v1 import assert_error


def replace_token(hub, kiosk_id: str, token: str) -> None:
    """What `python -m hub add-kiosk` does for a kiosk that exists, from another process."""
    with hub.app.state.hub.db.write() as session, session.begin():
        session.execute(update(Kiosk).where(Kiosk.kiosk_id == kiosk_id)
                        .values(token_hash=token_hash(token)))


def test_a_new_token_works_at_once_an_unknown_one_is_not_remembered(hub):
    stranger = Client(hub, "token-of-centre-7-b")
    assert_error(stranger.get("/v1/catalogue"), 401, "unauthorized")
    second_kiosk(hub)  # now it is known
    assert stranger.get("/v1/catalogue").status_code == 200


def test_a_replaced_token_stops_working_when_the_cache_forgets(hub):
    old = second_kiosk(hub)
    assert old.get("/v1/catalogue").status_code == 200
    replace_token(hub, "centre-7-b", "a-new-token")
    cache = hub.app.state.tokens
    assert old.get("/v1/catalogue").status_code == 200  # remembered, for at most the TTL
    cache.forget()
    assert_error(old.get("/v1/catalogue"), 401, "unauthorized")
    assert Client(hub, "a-new-token").get("/v1/catalogue").status_code == 200


def test_a_remembered_token_expires(hub):
    hub.app.state.tokens.ttl_s = 0.0  # a TTL that has always run out
    old = second_kiosk(hub)
    assert old.get("/v1/catalogue").status_code == 200
    replace_token(hub, "centre-7-b", "a-new-token")
    assert_error(old.get("/v1/catalogue"), 401, "unauthorized")
