"""A release the hub offers reaches a kiosk configured for it (as main.py opens one on the
appliance, KIOSK_UPDATES set): fetched and checked in the background during a visit, handed to
the updater only once the welcome screen shows again (the updater restarts the kiosk)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hub import releases
from hub.testing import running_hub
from kiosk import config, credentials, release
from kiosk.settings import Settings
from kiosk.update import Spool
from kiosk.version import version
from tests.keyrings import memory_keyring  # noqa: F401 - fixture
from tests.ui.test_fleet_link import heartbeat
from ui.launch import WINDOW_SIZE, configured_kiosk

OFFERED = "99.0.0"  # newer than this checkout's


@pytest.fixture
def hub(tmp_path, private_key_file):
    """A real hub offering a release signed with a key the kiosk trusts."""
    keys = tmp_path / "keys"
    keys.mkdir()
    public = release.new_key(tmp_path / "region.pem")
    public.rename(keys / public.name)
    wheel = tmp_path / f"assisted_kiosk-{OFFERED}-py3-none-any.whl"
    wheel.write_bytes(b"the kiosk checks the hash and the signature; the updater installs it")
    signature = release.sign(wheel, tmp_path / "region.pem")
    with running_hub(private_key_path=private_key_file) as running:
        releases.offer(running.settings, wheel, signature)
        running.keys = keys
        yield running


@pytest.fixture
def kiosk(hub, tmp_path, monkeypatch, qtbot, memory_keyring):  # noqa: F811
    assert version(), "the checkout is installed (pip install -e): it has a version to report"
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    monkeypatch.setenv("KIOSK_UPDATES", str(tmp_path / "updates"))
    monkeypatch.setenv(release.KEYS_ENV, str(hub.keys))
    credentials.choose_store(demo=False)
    credentials.save_token("demo-kiosk", hub.token)
    config.save(replace(Settings(), hub_url=hub.url, kiosk_id="demo-kiosk",
                        default_language="en", idle_timeout_s=600), path)
    made, close = configured_kiosk(path, folder=tmp_path / "data")
    made.session.backend.alive_every = 0.0  # every heartbeat asks the hub afresh
    made.window.setFixedSize(*WINDOW_SIZE)
    made.window.show()
    yield made, Spool(tmp_path / "updates")
    made.shutdown()
    close()


def test_a_release_fetched_during_a_visit_is_handed_over_once_it_ends(kiosk, qtbot):
    kiosk, spool = kiosk
    updates = kiosk.fleet_link.fleet.updates
    kiosk.begin()  # a citizen touched the welcome screen
    heartbeat(kiosk, qtbot, updates.ready)  # downloaded and checked in the background
    link, answers = kiosk.fleet_link, []
    arrived = link.arrived
    link.arrived = lambda taken: (answers.append(taken), arrived(taken))
    heartbeat(kiosk, qtbot, lambda: bool(answers))  # a later answer, taken mid-visit
    assert not any(spool.install.iterdir())  # never restarted under a citizen
    kiosk.end_session()  # back to the welcome screen
    wheel = f"assisted_kiosk-{OFFERED}-py3-none-any.whl"
    qtbot.waitUntil(lambda: (spool.install / wheel).exists(), timeout=5_000)
    assert (spool.install / f"{wheel}.sig").exists() and not updates.ready()


def test_a_release_ready_on_the_welcome_screen_is_handed_over_at_the_next_heartbeat(
        kiosk, qtbot):
    kiosk, spool = kiosk
    updates = kiosk.fleet_link.fleet.updates
    assert kiosk.current() is kiosk.attract
    heartbeat(kiosk, qtbot, updates.ready)
    heartbeat(kiosk, qtbot, lambda: any(spool.install.glob("*.whl")))
