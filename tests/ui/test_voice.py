"""The talking kiosk, with the real engine (pyttsx3 driving espeak-ng) and a real sound server
(PulseAudio with a null sink plays in real time, as a sound card would)."""

import array
import math
import re
import time
import wave

import pytest
from PySide6.QtCore import QTimer

from kiosk.backend.demo_data import CITIZENS
from kiosk.speech import spoken
from kiosk.speech.player import Player
from kiosk.speech.script import render
from kiosk.speech.service import SpeechService
from kiosk.speech.synth import Synthesiser
from ui.tour import visit_every_screen
from ui.voice import QtVoice


@pytest.fixture(scope="module")
def synth():
    engine = Synthesiser()
    yield engine
    engine.close()


def wav_facts(path):
    with wave.open(str(path)) as clip:
        frames = clip.readframes(clip.getnframes())
        seconds = clip.getnframes() / clip.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples[::7]) / max(1, len(samples[::7])))
    return seconds, rms


def units(text):
    """Rough count of spoken units: Chinese characters and other words."""
    return len(re.findall(r"[\u4e00-\u9fff]", text)) + len(re.findall(r"[A-Za-z0-9]+", text))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_screen_is_spoken_as_real_speech_and_keeps_secrets(make_kiosk, synth, tmp_path,
                                                                 lang):
    """Each screen: title and options said, real audio of a plausible length, and no personal
    detail of the demo citizens said through the loudspeaker (only with headphones on)."""
    kiosk = make_kiosk()
    speech = SpeechService(synthesiser=synth, player=Player(None))
    checked, leaks, heard_own_name = [], {}, []
    secrets = personal_spoken_forms()

    def listen(name):
        screen = kiosk.current()
        lines = render(screen.script(lang), lang, private_listening=False)
        said = " ".join(lines)
        if found := [form for form in secrets if form in said]:
            leaks[name] = found
        if CITIZENS[0][1] in " ".join(render(screen.script(lang), lang, True)):
            heard_own_name.append(name)
        title = screen.title(lang)
        if title:
            assert title in said, f"{name}: the title is not spoken"
        field = getattr(screen, "field", None)
        options = {o.value: o for o in getattr(field, "options", [])}  # a choice's own `say`
        for value, tile in getattr(field, "tiles", []) if screen is kiosk.question else []:
            option = options.get(value)
            first_line = option.say.get(lang) if option is not None and option.say \
                else tile.text().split("\n")[0]
            assert first_line in said or ":" in first_line, f"{name}: {tile.text()!r} unsaid"
        wav = speech.render_to_file(screen.script(lang), lang, tmp_path / f"{name}.wav")
        seconds, rms = wav_facts(wav)
        assert rms > 300, f"{name}: the speech is silent"
        n = units(said)
        assert 0.05 * n <= seconds <= 1.2 * n + 2, f"{name}: {seconds:.1f}s for {n} units"
        checked.append(name)

    visit_every_screen(kiosk, lang, "normal", listen)
    speech.close()
    assert len(checked) >= 50
    assert leaks == {}
    assert heard_own_name, "with headphones on, the citizen hears their own details"


def personal_spoken_forms():
    forms = []
    for id_number, name, _birth, address, e164 in CITIZENS:
        national = e164.removeprefix("+86")
        forms += [id_number, name, address, national, id_number[-8:], national[-8:]]
        for lang in ("zh_CN", "en"):
            forms += [spoken.digits(national, lang), spoken.digits(id_number[:-1], lang)]
    forms += ["3260", "3,260", spoken.money("3260.80", "zh_CN"), spoken.money("3260.80", "en")]
    return forms


def test_next_interrupts_a_long_prompt_and_the_loop_keeps_running(make_kiosk, qtbot,
                                                                   sound_server, synth):
    voice = QtVoice(SpeechService(synthesiser=synth))
    assert voice.service.player.available
    kiosk = make_kiosk(voice=voice)
    from ui.walker import Walker

    walker = Walker(kiosk)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    walker.begin("en")
    events = []
    voice.event.connect(events.append)
    walker.tap("service-pension_check")  # a long "before you start" page
    page = set(kiosk._saying)

    def started():
        return [e for e in events if e.kind == "started" and e.utterance in page]

    qtbot.waitUntil(lambda: bool(started()), timeout=10000)
    first = started()[0]
    ticks_at_start = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > ticks_at_start + 5, timeout=3000)
    assert not any(e.utterance == first.utterance and e.kind != "started" for e in events), \
        "the screen kept running while the prompt was still being spoken"
    walker.tap("next")  # start: to the card screen
    qtbot.waitUntil(lambda: any(e.kind == "interrupted" and e.utterance == first.utterance
                                for e in events), timeout=5000)
    qtbot.waitUntil(lambda: any(e.kind == "started" and e.utterance > max(page)
                                for e in events), timeout=10000)
    later = next(e for e in events if e.kind == "started" and e.utterance > max(page))
    assert later.text.startswith("Who are you")  # the new screen's title, said next
    assert not any(e.kind == "finished" and e.utterance == first.utterance for e in events)
    timer.stop()
    voice.close()


def test_without_sound_the_words_are_shown(make_kiosk, qtbot, synth):
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(None)))
    kiosk = make_kiosk(voice=voice)
    from ui.walker import Walker

    Walker(kiosk).begin("en")
    qtbot.waitUntil(lambda: "What would you like to do today?" in kiosk.window.caption.text(),
                    timeout=10000)
    assert kiosk.window.caption.isVisible()
    assert kiosk.window.caption.text().startswith("Services.")  # this screen's words only
    voice.close()


def test_sound_settings_reset_for_the_next_person(make_kiosk, qtbot, synth):
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(None)))
    kiosk = make_kiosk(voice=voice, headset_fitted=True)
    from ui.walker import Walker

    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.tap("sound")
    for name in ("rate-slow", "volume-up", "volume-up", "private", "dialect-yue"):
        walker.tap(name)
    assert voice.prefs.rate == "slow" and voice.prefs.volume == 5
    assert voice.prefs.private and voice.prefs.dialect == "yue"
    walker.tap("next")  # done
    assert kiosk.current() is kiosk.menu
    kiosk.end_session()
    assert (voice.prefs.rate, voice.prefs.volume, voice.prefs.private, voice.prefs.dialect) \
        == ("normal", 3, False, "")
    voice.close()


def test_cantonese_is_a_different_voice(synth, tmp_path):
    speech = SpeechService(synthesiser=synth, player=Player(None))
    speech.render_to_file(["您好，请问您想办什么事？"], "zh_CN", tmp_path / "cmn.wav")
    speech.prefs.dialect = "yue"
    speech.render_to_file(["您好，请问您想办什么事？"], "zh_CN", tmp_path / "yue.wav")
    assert (tmp_path / "cmn.wav").read_bytes() != (tmp_path / "yue.wav").read_bytes()
    assert wav_facts(tmp_path / "yue.wav")[1] > 300
    speech.close()
