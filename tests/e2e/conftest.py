"""The embedded default, for end-to-end tests that need the real hub on loopback."""

import pytest

from kiosk.settings import Settings
from tests.conftest import keep_hub_key
from ui.launch import WINDOW_SIZE, embedded_kiosk


@pytest.fixture
def embedded(tmp_path, qtbot, private_key_file):
    """(kiosk, EmbeddedHub): the kiosk talking HTTP to a demo hub; connection known. The hub's
    key is the one a first start left (tests/e2e/test_first_frame.py starts from nothing)."""
    keep_hub_key(private_key_file, tmp_path / "hub")
    kiosk, hub = embedded_kiosk(
        Settings(idle_timeout_s=3600, status_every_s=0.2, help_poll_s=0.2,
                 data_dir=str(tmp_path)),
        folder=tmp_path)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.connection == (True, 0), timeout=10000)
    yield kiosk, hub
    kiosk.shutdown()
    hub.close()
