"""Short-lived TURN credentials for a voice call (coturn's "TURN REST API", use-auth-secret).

The hub and coturn share one secret (KIOSK_HUB_TURN_SECRET = coturn's static-auth-secret);
for each desk page the hub makes a username "EXPIRY:desk-id" and its password, the base64
HMAC-SHA1 of that username under the secret. coturn checks them itself: no accounts to keep,
and credentials seen in a browser stop working within hours. The desk page hands the same
servers to the kiosk in its `call` message, so kiosks keep no TURN secret at all
(docs/remote-help.md, "Voice and TURN").
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from hub.config import Settings

LIFETIME_S = 12 * 3600  # a desk's shift (hub/routes/desk_session.py LIFETIME_S)


def credential(secret: str, username: str) -> str:
    mac = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode("ascii")


def ice_servers(settings: Settings, desk_id: str, now: float) -> list[dict[str, object]]:
    """The RTCIceServer list for a desk page (JSON as the browser takes it); [] without TURN:
    then calls work only where the desk and the kiosk reach each other directly."""
    if not settings.turn_urls:
        return []
    stun = [url for url in settings.turn_urls if url.startswith("stun:")]
    turn = [url for url in settings.turn_urls if url.startswith(("turn:", "turns:"))]
    servers: list[dict[str, object]] = [{"urls": stun}] if stun else []
    if turn and settings.turn_secret:
        username = f"{int(now) + LIFETIME_S}:{desk_id}"
        servers.append({"urls": turn, "username": username,
                        "credential": credential(settings.turn_secret, username)})
    return servers
