"""The settings a hub pushes to its kiosks: a centre's, overridden by a kiosk's own.

Checked with the kiosk's own rules (kiosk.fleet.check, the admin form's kiosk.config.parse),
so the hub never keeps a value a kiosk would refuse. `python -m hub set-setting` sets one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.config import Settings
from hub.db import Database, FleetSetting, Kiosk, utcnow
from hub.published import publish
from hub.remote.escalation import ESCALATE_KEY
from kiosk.config import SettingError
from kiosk.fleet import check, plain, settings_hash

SCOPES = ("centre", "kiosk")
# Kept per centre (or kiosk) like the kiosks' settings, but for the hub itself: never pushed.
# help_escalate_after_s: an unanswered help call goes to the regional desk after this long.
HUB_ONLY = {ESCALATE_KEY: (0, 3600)}


def _hub_only(key: str, raw: object) -> int:
    """A hub-only setting's value (whole seconds in its range), or SettingError."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise SettingError("config.error.number")
    low, high = HUB_ONLY[key]
    if not low <= raw <= high:
        raise SettingError("config.error.seconds_range", min=low, max=high)
    return raw


def settings_for(session: Session, kiosk_id: str, centre: str) -> dict[str, object]:
    """What this kiosk should have: its centre's settings, then its own over them."""
    rows = session.scalars(select(FleetSetting).where(
        ((FleetSetting.scope == "centre") & (FleetSetting.scope_id == centre))
        | ((FleetSetting.scope == "kiosk") & (FleetSetting.scope_id == kiosk_id)))).all()
    chosen: dict[str, object] = {}
    for row in sorted(rows, key=lambda row: SCOPES.index(row.scope)):  # the kiosk's last
        chosen[row.key] = row.value
    return chosen


def config_answer(session: Session, kiosk_id: str, centre: str, kiosk_hash: str) -> dict:
    """The heartbeat's `config`: {} when the kiosk already has them (same hash), else all
    of them and their hash, so the kiosk can tell it has applied them on its next beat."""
    chosen = {key: value for key, value in settings_for(session, kiosk_id, centre).items()
              if key not in HUB_ONLY}
    if not chosen:
        return {}
    wanted = settings_hash(chosen)
    return {} if wanted == kiosk_hash else {"settings": chosen, "hash": wanted}


def value_from_text(text: str) -> object:
    """A value typed on the command line: JSON when it reads as JSON (90, true, ["en"]),
    else the text itself (high_contrast)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def set_setting(db: Database, scope: str, scope_id: str, key: str, raw: object,
                services: Iterable[str] | None = None) -> object:
    """Keep one setting (SettingError when a kiosk would refuse it); None removes it.
    `services`: the ids the hub publishes, which a `services` setting must be among."""
    with db.write() as session, session.begin():
        where = ((FleetSetting.scope == scope) & (FleetSetting.scope_id == scope_id)
                 & (FleetSetting.key == key))
        if raw is None:
            session.execute(delete(FleetSetting).where(where))
            return None
        value = (_hub_only(key, raw) if key in HUB_ONLY
                 else plain(check(key, raw, services)))
        session.merge(FleetSetting(scope=scope, scope_id=scope_id, key=key, value=value,
                                   changed=utcnow()))
    return value


def set_setting_command(settings: Settings, centre: str, kiosk: str, key: str | None,
                        text: str | None) -> int:
    """`set-setting --centre C|--kiosk K KEY VALUE` (VALUE "-" removes it)."""
    if bool(centre) == bool(kiosk) or not key or text is None:
        print("usage: python -m hub set-setting --centre CENTRE|--kiosk KIOSK KEY VALUE "
              '(VALUE "-" removes the setting)', file=sys.stderr)
        return 2
    scope, scope_id = ("centre", centre) if centre else ("kiosk", kiosk)
    db = Database(settings.url)
    try:
        if scope == "kiosk":
            with db.read() as session:
                if session.get(Kiosk, scope_id) is None:
                    print(f"There is no kiosk {scope_id} at this hub (add-kiosk adds one).",
                          file=sys.stderr)
                    return 1
        value = set_setting(db, scope, scope_id, key, None if text == "-" else
                            value_from_text(text), publish(settings.services_dir).ids)
    except SettingError as problem:
        print(f"{key} was not set: {problem.text('en')} / {problem.text('zh_CN')}",
              file=sys.stderr)
        return 1
    finally:
        db.dispose()
    done = "removed" if value is None else f"set to {json.dumps(value, ensure_ascii=False)}"
    print(f"{key} {done} for {scope} {scope_id}; kiosks take it at their next heartbeat")
    return 0
