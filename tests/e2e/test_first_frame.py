"""main.py's start: the window first, then the embedded hub and the hub's catalogue. Until the
hub serves, the kiosk's requests wait at its port (slow, never "offline")."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kiosk.catalogue import SERVICES_DIR
from kiosk.settings import Settings
from kiosk.speech.player import Player
from kiosk.speech.service import SpeechService
from ui.launch import WINDOW_SIZE, embedded_kiosk
from ui.voice import QtVoice
from ui.walker import Walker
from ui.widgets.big_button import BigButton

ROOT = Path(__file__).resolve().parents[2]

# `main.py --windowed` in a child, reporting at the first paint of the kiosk's window what
# is loaded and built (ui.window is imported first to watch its show(): it is needed anyway)
_FIRST_PAINT = """
import json, os, sys
import ui.window
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched.isWidgetType() \\
                and isinstance(watched.window(), ui.window.KioskWindow):
            kiosk = watched.window().kiosk
            print(json.dumps({"modules": sorted(sys.modules), "built": sorted(vars(kiosk)),
                              "screen": type(kiosk.current()).__name__}), flush=True)
            os._exit(0)
        return False

shown = ui.window.KioskWindow.show

def show(window):
    app = QApplication.instance()
    app.spy = Painted()
    app.installEventFilter(app.spy)
    shown(window)

ui.window.KioskWindow.show = show
from ui.cli import main
main(["--windowed"])
"""

# What the welcome screen does without (each a tenth of a second or more of a start)
LATER = ("requests", "keyring", "yaml", "jsonschema", "cryptography", "phonenumbers", "stdnum",
         "argon2", "escpos", "fastapi", "sqlalchemy", "uvicorn", "qrcode", "kiosk.catalogue",
         "kiosk.credentials", "kiosk.receipt", "ui.screens.menu", "ui.screens.question",
         "ui.widgets.keyboard", "ui.admin.pin_screen", "ui.remote.help")


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


def test_main_py_paints_the_welcome_screen_before_loading_the_rest(tmp_path):
    """The first frame is the real welcome screen; the other screens, the catalogue, the HTTP
    stack, the keyring and the embedded hub's web stack come after it (main.py)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_CONFIG": "",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", _FIRST_PAINT], cwd=ROOT, env=env, text=True,
                           capture_output=True, timeout=120)
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    assert lines, child.stderr[-2000:]
    painted = json.loads(lines[-1])
    assert painted["screen"] == "AttractScreen"
    loaded = [name for name in painted["modules"]
              if any(name == later or name.startswith(later + ".") for later in LATER)]
    assert loaded == []
    assert "attract" in painted["built"]
    assert not {"menu", "question", "languages", "remote"} & set(painted["built"])


@pytest.mark.parametrize("early", [False, True], ids=["built-first", "tapped-first"])
def test_what_comes_after_the_first_frame_is_built_in_turn_and_shown_as_before(tmp_path, qtbot,
                                                                              early):
    """main.py's kiosk (after_frame): the welcome screen alone at first, no bars; the bars
    and the screens are built after it, hidden where the screen has no bars; a citizen who
    taps before they are built gets them all the same."""
    kiosk, hub = embedded_kiosk(Settings(idle_timeout_s=3600, data_dir=str(tmp_path)),
                                folder=tmp_path / "embedded", after_frame=True)
    try:
        window = kiosk.window
        window.setFixedSize(*WINDOW_SIZE)
        window.show()
        assert window.findChild(BigButton, "next") is None
        assert "menu" not in vars(kiosk) and "question" not in vars(kiosk)
        if not early:
            done = []
            kiosk.build_later(lambda: done.append(True))
            qtbot.waitUntil(lambda: bool(done), timeout=20000)
            assert {"menu", "question", "review", "rating", "remote"} <= set(vars(kiosk))
            assert not window.top.isVisible() and not window.bottom.isVisible()
        walker = Walker(kiosk)
        walker.begin("en")
        assert kiosk.current() is kiosk.menu
        assert window.top.isVisible() and window.bottom.isVisible()
        assert window.back.text() == "Back" and window.findChild(BigButton, "next") \
            is window.next
        assert window.connection.text().endswith("Online")
    finally:
        kiosk.shutdown()
        hub.close()


class ScriptRecorder(QtVoice):
    """The kiosk's voice, keeping each script it is asked to say instead of synthesising it."""

    def __init__(self) -> None:
        super().__init__(SpeechService(player=Player(None)))
        self.scripts: list[list] = []

    def say(self, script, lang: str, cue: str = "") -> list[int]:
        self.scripts.append(list(script))
        return []


@pytest.mark.parametrize("early", [False, True], ids=["waited", "tapped-first"])
def test_main_py_says_its_welcome_once_the_first_frame_is_up(tmp_path, qtbot, early):
    voice = ScriptRecorder()
    kiosk, hub = embedded_kiosk(Settings(idle_timeout_s=3600, data_dir=str(tmp_path)),
                                voice=voice, folder=tmp_path / "embedded", after_frame=True)
    try:
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        assert voice.scripts == []  # nothing said while the first frame is made
        if early:  # a touch before the kiosk had finished starting: that screen speaks
            Walker(kiosk).tap("begin")
            assert kiosk.current() is kiosk.languages and len(voice.scripts) == 1
        qtbot.waitUntil(lambda: hub.hub.app is not None, timeout=20000)  # finish_start ran
        if early:
            assert len(voice.scripts) == 1  # and the welcome is not said over it
        else:
            assert voice.scripts == [kiosk.attract.script(kiosk.session.language)]
    finally:
        kiosk.shutdown()
        hub.close()
        voice.close()
