"""The embedded default, for end-to-end tests that need the real hub on loopback."""

import pytest

from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, embedded_kiosk


@pytest.fixture
def embedded(tmp_path, qtbot):
    """(kiosk, EmbeddedHub): the kiosk talking HTTP to a demo hub; connection known."""
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
