"""A USB bundle from a kiosk with no connection, imported by the hub: every item arrives once.

A real kiosk (HttpBackend, its outbox file) queues submissions offline against a real hub;
the admin exports them; the hub's operator imports the file with `python -m hub import-bundle`
(its main(), in this process); later the kiosk's link comes back and its sender drains.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.__main__ import main as hub_main
from hub.db import Submission as Filed
from kiosk.backend import Submission
from kiosk.backend.http import HttpBackend
from kiosk.sync.bundle import export_bundle
from kiosk.sync.outbox import ACKNOWLEDGED, WAITING
from kiosk.sync.sealing import load_public, seal
from tests.hub.conftest import Client

ANSWERS = {
    "report_problem": {"category": "street_light", "place": "幸福路12号",
                       "description": "路灯不亮", "contact_phone": "+8613800001111"},
    "senior_allowance": {"lives_alone": True, "bank_account": "6222020200112233445"},
    "pension_check": {"address": "幸福路12号", "still_receiving": True},
}


@pytest.fixture
def kiosk(hub, tmp_path) -> Iterator[HttpBackend]:
    """The demo kiosk, offline: it fetched the hub's key once, then lost its link."""
    made = HttpBackend(hub.url, hub.token, tmp_path / "outbox.sqlite3", "demo-kiosk", "online")
    made.public_key()
    made.policy = "offline"
    yield made
    made.outbox.close()


def submit_offline(kiosk: HttpBackend) -> dict[str, str]:
    """Each service once, as the citizen's Submit does: idempotency key -> provisional ref."""
    provisional = {}
    for service, answers in ANSWERS.items():
        key = str(uuid.uuid4())
        result = kiosk.submit(Submission(service, key, answers, "110105194103150021", "zh_CN",
                                         datetime.now().isoformat(timespec="seconds")))
        assert result.provisional
        provisional[key] = result.reference
    return provisional


def import_with_cli(hub, bundle: Path, capsys) -> tuple[int, str, str]:
    """The exit code, what it printed (stdout) and what it complained of (stderr)."""
    settings = hub.settings
    database = ["--database-url", settings.database_url] if settings.database_url else []
    code = hub_main(["import-bundle", str(bundle), "--data-dir", str(settings.data_dir),
                     "--private-key", str(settings.key_path), *database])
    said = capsys.readouterr()
    return code, said.out, said.err


def filed(hub) -> dict[str, str]:
    """Provisional -> official reference of everything kiosks filed on the hub."""
    with hub.app.state.hub.db.read() as session:
        rows = session.execute(select(Filed.provisional_reference, Filed.reference)
                               .where(Filed.source == "kiosk")).all()
        senders = set(session.scalars(select(Filed.kiosk_id).where(Filed.source == "kiosk")))
    assert senders <= {"demo-kiosk"}  # filed as the kiosk that made the bundle
    mapping = dict(rows)
    assert len(mapping) == len(rows), "a provisional reference filed twice"
    return mapping


def test_a_usb_export_imported_by_the_hub_files_every_item_once(hub, kiosk, tmp_path, capsys):
    provisional = submit_offline(kiosk)
    stick = tmp_path / "stick"
    stick.mkdir()
    exported = export_bundle(kiosk.outbox, kiosk.outbox.meta("hub_public_key_pem"),
                             "demo-kiosk", hub.token, stick)
    assert exported.count == 3

    code, out, err = import_with_cli(hub, exported.path, capsys)
    assert (code, out, err) == (0, "3 filed, 0 already filed, 0 refused (kiosk demo-kiosk)\n",
                                "")
    on_hub = filed(hub)
    assert set(on_hub) == set(provisional.values())
    client = Client(hub)
    for reference, official in on_hub.items():  # the citizen's receipt already finds it
        assert client.get(f"/v1/applications/{reference}").json()["reference"] == official

    code, out, err = import_with_cli(hub, exported.path, capsys)  # carried in a second time
    assert (code, out, err) == (0, "0 filed, 3 already filed, 0 refused (kiosk demo-kiosk)\n",
                                "")
    assert filed(hub) == on_hub

    assert {item.state for item in kiosk.outbox.items()} == {WAITING}  # the kiosk still waits
    kiosk.policy = "online"  # weeks later the link comes back
    assert kiosk.sender.drain_once() == 3
    for key, reference in provisional.items():
        item = kiosk.outbox.get(key)
        assert item.state == ACKNOWLEDGED and item.reference == on_hub[reference]
        assert kiosk.outbox.official_reference(reference) == on_hub[reference]
    assert filed(hub) == on_hub  # still one submission each


def test_changed_or_foreign_bundles_are_refused_whole_and_bad_items_one_by_one(
        hub, kiosk, tmp_path, capsys):
    submit_offline(kiosk)
    pem = kiosk.outbox.meta("hub_public_key_pem")
    changed = export_bundle(kiosk.outbox, pem, "demo-kiosk", hub.token, tmp_path).path
    bundle = json.loads(changed.read_text())
    bundle["sealed"]["created"] = "2025-01-01T00:00:00+00:00"  # only its visible date changed
    changed.write_text(json.dumps(bundle))
    code, out, err = import_with_cli(hub, changed, capsys)
    assert code == 1 and out == ""
    assert err.startswith("The whole bundle was refused, nothing was filed:")
    assert "was changed after export" in err
    stranger = export_bundle(kiosk.outbox, pem, "centre-99-z", "a token this hub never gave",
                             tmp_path, now=datetime(2026, 1, 1, tzinfo=UTC)).path
    code, out, err = import_with_cli(hub, stranger, capsys)
    assert code == 1 and out == ""
    assert "The kiosk 'centre-99-z' is not known to this hub." in err
    forged = export_bundle(kiosk.outbox, pem, "demo-kiosk", "not the demo kiosk's token",
                           tmp_path, now=datetime(2026, 1, 2, tzinfo=UTC)).path
    code, out, err = import_with_cli(hub, forged, capsys)
    assert code == 1 and out == "" and "made with another token" in err
    assert filed(hub) == {}

    unknown = str(uuid.uuid4())  # sealed properly, but for a service this hub does not offer
    envelope = seal(load_public(pem), {"service_id": "dog_licence", "answers": {}},
                    "dog_licence", "2026-11-20T09:00:00+08:00", "P-DOGLICENCE")
    kiosk.outbox.put(unknown, "dog_licence", "2026-11-20T09:00:00+08:00",
                     json.dumps(envelope).encode(), "P-DOGLICENCE")
    mixed = export_bundle(kiosk.outbox, pem, "demo-kiosk", hub.token, tmp_path,
                          now=datetime(2026, 1, 3, tzinfo=UTC)).path
    code, out, err = import_with_cli(hub, mixed, capsys)
    assert code == 1 and err == ""
    assert out == ("3 filed, 0 already filed, 1 refused (kiosk demo-kiosk)\n"
                   f"  refused {unknown}: There is no service 'dog_licence' in the hub's "
                   "catalogue.\n")
    assert len(filed(hub)) == 3
