"""Shared fixtures: a real kiosk on the demo backend, in a 1920x1080 window, headless."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from datetime import date
from functools import lru_cache
from pathlib import Path

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
def private_key_file(tmp_path_factory) -> Path:
    """One RSA-3072 key for the session's hubs (making one takes 0.3-1 s; a demo hub given
    none makes its own at every start in a new folder)."""
    from kiosk.sync.sealing import new_private_key, private_pem

    path = tmp_path_factory.mktemp("hubkey") / "submission_key.pem"
    path.write_bytes(private_pem(new_private_key()))
    return path


def keep_hub_key(key: Path, hub_data: Path) -> Path:
    """A copy of `key` where a hub's first start leaves its own (mode 0600, in the hub's data
    folder): the test may move or replace it."""
    from hub.config import KEY_FILE

    hub_data.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(key, hub_data / KEY_FILE)
    (hub_data / KEY_FILE).chmod(0o600)
    return hub_data / KEY_FILE


@pytest.fixture(scope="session", autouse=True)
def hub_keys_checked_once():
    """A hub checks its RSA key's arithmetic at every start (0.2 s); the suite starts hundreds
    of hubs on a few keys, so a key read again is the one already checked (same bytes)."""
    import hub.keys

    patch = pytest.MonkeyPatch()
    patch.setattr(hub.keys, "load_private", lru_cache(maxsize=32)(hub.keys.load_private))
    yield
    patch.undo()


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
