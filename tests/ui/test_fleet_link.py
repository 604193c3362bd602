"""Settings pushed by a real hub reach a kiosk configured for it (as main.py opens one) through
its heartbeat: on the welcome screen at once, during a citizen's visit only once it ends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hub.db import Database
from hub.fleet import set_setting
from hub.seed import DEMO_CENTRE
from hub.testing import running_hub
from kiosk import config, credentials
from kiosk.backend.http import HttpBackend
from kiosk.settings import Settings
from tests.keyrings import memory_keyring  # noqa: F401 - fixture
from ui.launch import WINDOW_SIZE, configured_kiosk


@pytest.fixture
def hub(private_key_file):
    with running_hub(private_key_path=private_key_file) as running:
        yield running


def hub_kiosk(hub, tmp_path, monkeypatch, **settings):
    """(kiosk, close): configured for `hub` as main.py opens one, every heartbeat sent afresh;
    `settings` over the defaults."""
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    credentials.choose_store(demo=False)
    credentials.save_token("demo-kiosk", hub.token)
    config.save(replace(Settings(), hub_url=hub.url, kiosk_id="demo-kiosk",
                        default_language="en", **settings), path)
    made, close = configured_kiosk(path, folder=tmp_path / "data")
    assert isinstance(made.session.backend, HttpBackend)  # the real hub, not the demo
    made.session.backend.alive_every = 0.0  # every heartbeat asks the hub afresh
    made.config_path = path
    return made, close


@pytest.fixture
def kiosk(hub, tmp_path, monkeypatch, qtbot, memory_keyring):  # noqa: F811
    made, close = hub_kiosk(hub, tmp_path, monkeypatch, idle_timeout_s=600)
    made.window.setFixedSize(*WINDOW_SIZE)
    made.window.show()
    yield made
    made.shutdown()
    close()


def push(hub, key: str, value: object) -> None:
    db = Database(hub.settings.url)
    try:
        set_setting(db, "centre", DEMO_CENTRE, key, value)
    finally:
        db.dispose()


def heartbeat(kiosk, qtbot, until) -> None:
    """The kiosk's next status poll is one that sends a heartbeat (ui.app HEARTBEAT_EVERY)."""
    kiosk._polls = 0
    kiosk.check_connection()
    qtbot.waitUntil(until, timeout=20_000)


def test_a_setting_pushed_on_the_welcome_screen_applies_at_once(hub, kiosk, qtbot):
    push(hub, "sync_every_s", 60)
    push(hub, "idle_timeout_s", 90)
    assert kiosk.current() is kiosk.attract
    heartbeat(kiosk, qtbot, lambda: kiosk.settings.idle_timeout_s == 90)
    assert kiosk.session.backend.sender.interval == 60  # as the admin form applies it
    assert kiosk.idle.quiet.interval() == 90_000
    saved = config.load(kiosk.config_path).settings
    assert (saved.sync_every_s, saved.idle_timeout_s, saved.hub_url) == (60, 90, hub.url)


def test_a_setting_pushed_during_a_visit_waits_for_its_end(hub, kiosk, qtbot):
    kiosk.begin()  # a citizen touched the welcome screen
    assert kiosk.current() is not kiosk.attract
    push(hub, "idle_timeout_s", 90)
    push(hub, "default_text_size", "largest")
    link = kiosk.fleet_link
    heartbeat(kiosk, qtbot, lambda: link.pending_settings is not None)
    # saved already (off the GUI thread), but this visit goes on as it began
    assert config.load(kiosk.config_path).settings.idle_timeout_s == 90
    assert kiosk.settings.idle_timeout_s == 600
    assert kiosk.idle.quiet.interval() == 600_000
    assert kiosk.session.text_size == "normal"
    kiosk.end_session()  # the citizen finished: back to the welcome screen
    qtbot.waitUntil(lambda: kiosk.settings.idle_timeout_s == 90, timeout=5_000)
    assert kiosk.idle.quiet.interval() == 90_000
    assert kiosk.settings.default_text_size == "largest"
    assert kiosk.session.text_size == "largest"  # the next visit starts with it
    assert link.pending_settings is None
