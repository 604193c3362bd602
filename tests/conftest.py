"""Shared fixtures: a real kiosk on the demo backend, in a 1920x1080 window, headless."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

import pytest

from kiosk.backend.demo_data import CITIZENS
from kiosk.settings import Settings
from tests.hashes import fast_default_hashers
from tests.keyrings import bare_machine, memory_keyring  # noqa: F401 - shared fixtures
from tests.log_audit import pytest_sessionfinish, pytest_sessionstart  # noqa: F401 - the audit
from tests.null_sink import null_sound_server

DAY = date(2026, 11, 23)
ELDEST, YOUNGER, OLDEST = (c[0] for c in CITIZENS)  # aged 85, 72 and 88 on DAY


@pytest.fixture(scope="session", autouse=True)
def fast_pin_hashes():
    """PINs hashed with cheap argon2id parameters unless a test chooses (tests/hashes.py)."""
    with fast_default_hashers():
        yield


@pytest.fixture(scope="session")
def sound_server():
    """A private PulseAudio server with a null sink, for the session (PULSE_SERVER points at
    it from then on)."""
    with null_sound_server() as address:
        yield address


@pytest.fixture
def make_kiosk(qtbot, tmp_path_factory):
    """Builds kiosks on the demo backend; each is shut down after the test."""
    from ui.launch import WINDOW_SIZE, demo_kiosk

    made = []

    def make(voice=None, today=DAY, **settings):
        data = str(tmp_path_factory.mktemp("kiosk-data"))  # helper accounts, audit log
        kiosk = demo_kiosk(Settings(**{"idle_timeout_s": 3600, "data_dir": data, **settings}),
                           today=today, voice=voice)
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.shutdown()


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk()


@pytest.fixture
def walker(kiosk):
    from ui.walker import Walker

    return Walker(kiosk)
