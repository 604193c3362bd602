"""main.py's start: the window first, then the embedded hub and the hub's catalogue. Until the
hub serves, the kiosk's requests wait at its port (slow, never "offline")."""

import shutil

from PySide6.QtCore import QTimer

from kiosk.catalogue import SERVICES_DIR
from kiosk.settings import Settings
from ui.launch import WINDOW_SIZE, embedded_kiosk


def test_the_hub_starts_after_the_first_frame_and_its_catalogue_is_used(tmp_path, qtbot):
    served = tmp_path / "served"  # the hub publishes two services; the kiosk ships seven
    served.mkdir()
    for name in ("pension_check.yaml", "pay_bill.yaml"):
        shutil.copy(SERVICES_DIR / name, served / name)
    kiosk, hub = embedded_kiosk(Settings(idle_timeout_s=3600, status_every_s=0.2,
                                         data_dir=str(tmp_path)),
                                folder=tmp_path / "embedded", after_frame=True,
                                services_dir=served)
    try:
        assert hub.hub.app is None  # built, not serving: nothing of the web stack ran yet
        assert len(kiosk.catalogue.services) == 7  # the shipped ones, until the hub's arrive
        seen = []
        sampler = QTimer()
        sampler.timeout.connect(lambda: seen.append(kiosk.connection[0]))
        sampler.start(10)
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        qtbot.waitUntil(lambda: hub.hub.app is not None, timeout=20000)
        qtbot.waitUntil(lambda: set(kiosk.catalogue.ids) == {"pension_check", "pay_bill"},
                        timeout=20000)
        qtbot.waitUntil(lambda: kiosk.connection == (True, 0), timeout=20000)
        sampler.stop()
        assert all(seen), "the kiosk said offline while its hub was starting"
        assert sorted(p.stem for p in (tmp_path / "embedded" / "catalogue").glob("*.json")) \
            == ["pay_bill", "pension_check"]
        assert set(kiosk.menu.tiles) == {"pension_check", "pay_bill"}
    finally:
        kiosk.shutdown()
        hub.close()
