"""The admin's diagnostics say plainly what is missing, with the real engine and data."""

import shutil
import subprocess
from pathlib import Path

from kiosk.diagnostics import report, speech_checks
from kiosk.speech.synth import Synthesiser


def espeak_data() -> Path:
    """Where espeak-ng keeps its voices, as it says itself ("... Data at: /usr/lib/...")."""
    said = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
    return Path(said.split("Data at:")[1].strip())


def test_all_voices_found_with_espeak_installed():
    synth = Synthesiser()
    checks = {c.name: c for c in speech_checks(synth)}
    synth.close()
    assert checks["Speech engine"].ok
    assert checks["Voice for 中文"].ok and checks["Voice for English"].ok
    assert checks["Voice for 粤语"].ok


def test_a_missing_cantonese_voice_is_reported(tmp_path, monkeypatch):
    data = tmp_path / "espeak-ng-data"
    shutil.copytree(espeak_data(), data)
    for voice in (data / "lang" / "sit").glob("yue*"):
        voice.unlink()
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(tmp_path))  # the engine's child reads it
    synth = Synthesiser()
    checks = {c.name: c for c in speech_checks(synth)}
    synth.close()
    assert checks["Voice for 中文"].ok
    assert not checks["Voice for 粤语"].ok
    assert "sit/yue is missing" in report(list(checks.values()))


def test_no_sound_output_is_reported_in_plain_words(monkeypatch):
    """These machines have no sound card; with no sound server either, nothing can play."""
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/socket")
    synth = Synthesiser()
    checks = {c.name: c for c in speech_checks(synth)}
    synth.close()
    sound = checks["Sound output"]
    assert not sound.ok and "shows the words instead" in sound.detail
