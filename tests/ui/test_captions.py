"""Captions that fit: with no sound (or captions asked for), the words are shown in a strip whose
room is kept for the whole visit, so no key moves or hides while a person taps; and "read my
details aloud" is asked first, with a spoken warning, and forgotten when the visit ends."""

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest

from kiosk.backend.demo_data import CITIZENS
from kiosk.speech import spoken
from kiosk.speech.player import Player
from kiosk.speech.service import SpeechService
from ui.voice import QtVoice
from ui.walker import Walker
from ui.widgets.keyboard import OnScreenKeyboard

ELDEST = CITIZENS[0]


def in_window(widget):
    window = widget.window()
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def seen(widget):
    """The part of a widget a finger can reach now (what scrolling or a strip leaves)."""
    visible = widget.visibleRegion().boundingRect()
    return QRect(widget.mapTo(widget.window(), visible.topLeft()), visible.size())


def keys_now(kiosk):
    keyboards = [k for k in kiosk.current().findChildren(OnScreenKeyboard) if k.isVisible()]
    assert len(keyboards) == 1
    return {key.objectName(): (in_window(key), seen(key)) for key in keyboards[0].keys()  # noqa: SIM118 - a method
            if key.isVisible()}


@pytest.fixture
def silent_voice(synth):
    """The real engine, but no sound can come out: the kiosk must show its words."""
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(None)))
    yield voice
    voice.close()


@pytest.fixture(scope="module")
def synth():
    from kiosk.speech.synth import Synthesiser

    engine = Synthesiser()
    yield engine
    engine.close()


@pytest.mark.parametrize(("lang", "screen"), [("zh_CN", "id"), ("en", "phone")])
def test_keys_stay_put_under_the_captions(make_kiosk, qtbot, silent_voice, lang, screen):
    kiosk = make_kiosk(voice=silent_voice, default_text_size="largest")
    walker = Walker(kiosk)
    walker.begin(lang)
    if screen == "id":
        walker.open_service("pension_check")
        walker.tap("type-id")
    else:  # the emergency phone number: typed, personal, on the largest text
        walker.complete("senior_allowance", card=ELDEST[0],
                        answers={"lives_alone": True}, submit=False)
        walker.tap("change-emergency_phone")
        walker.tap("key-clear")
    caption = kiosk.window.caption
    qtbot.waitUntil(lambda: caption.text() != "", timeout=20000)  # the screen's words
    assert caption.isVisible()
    before = keys_now(kiosk)
    assert before
    strip = in_window(caption)
    for _where, reachable in before.values():  # a key below the fold is reached by paging
        assert not reachable.intersects(strip)
    keyboard = next(k for k in kiosk.current().findChildren(OnScreenKeyboard) if k.isVisible())
    for token in "13912":
        QTest.mouseClick(keyboard.key(token), Qt.MouseButton.LeftButton)
        qtbot.wait(300)  # the tick, and any words, arrive
        assert keys_now(kiosk) == before, f"keys moved after {token!r}"
        assert in_window(caption) == strip and caption.isVisible()


def test_captions_asked_for_on_the_sound_screen_keep_their_room(make_kiosk, qtbot, synth):
    """With sound (a player that plays nothing, at once), captions are off until asked for;
    once on, they keep their room for the visit and are off again for the next person."""
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(["cat"])))
    kiosk = make_kiosk(voice=voice, default_text_size="largest")
    walker = Walker(kiosk)
    walker.begin("en")
    assert not kiosk.window.caption.isVisible()
    walker.tap("sound")
    walker.tap("captions")
    walker.tap("next")
    assert kiosk.window.caption.isVisible()
    walker.open_service("pension_check")
    walker.tap("type-id")
    qtbot.waitUntil(lambda: kiosk.window.caption.text() != "", timeout=20000)
    before = keys_now(kiosk)
    walker.type("110")
    qtbot.wait(300)
    assert keys_now(kiosk) == before
    kiosk.end_session()
    assert not voice.prefs.captions and not kiosk.window.caption.isVisible()
    voice.close()


def test_details_are_read_aloud_only_after_a_spoken_warning(make_kiosk, qtbot, silent_voice):
    """The check-your-answers page withholds the phone number from the loudspeaker; the
    citizen asks to hear it, hears the warning first, agrees, and hears it; the next citizen
    starts private again."""
    kiosk = make_kiosk(voice=silent_voice)
    heard = []
    silent_voice.event.connect(lambda e: heard.append(e.text) if e.kind == "unavailable"
                               else None)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.complete("pension_check", card=ELDEST[0], submit=False)
    national = ELDEST[4].removeprefix("+86")
    said_phone = spoken.digits(national, "en")
    assert kiosk.window.aloud.isVisible()
    kiosk.repeat()
    qtbot.waitUntil(lambda: any("not read aloud" in t for t in heard), timeout=20000)
    assert not any(said_phone in t for t in heard)
    heard.clear()
    walker.tap("aloud-first")  # "Read my details aloud": first the warning, nothing personal
    qtbot.waitUntil(lambda: any("nearby may hear" in t for t in heard), timeout=20000)
    assert not silent_voice.prefs.aloud and not any(said_phone in t for t in heard)
    walker.tap("aloud-yes")  # "Yes, read them aloud" (where "No" is not)
    qtbot.waitUntil(lambda: any(said_phone in t for t in heard), timeout=30000)
    assert silent_voice.prefs.aloud
    kiosk.end_session()
    assert not silent_voice.prefs.aloud


def test_muted_the_words_are_still_shown(make_kiosk, qtbot, synth):
    """Muting stops the sound, not the words: they appear in the caption column at once."""
    voice = QtVoice(SpeechService(synthesiser=synth, player=Player(["cat"])))
    kiosk = make_kiosk(voice=voice)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.tap("sound")
    walker.tap("mute")
    walker.tap("next")  # back to the menu, said (silently) again
    caption = kiosk.window.caption
    assert caption.isVisible()
    kiosk.repeat()
    assert caption.said[:2] == ["Services", "What would you like to do today?"]
    kiosk.end_session()
    assert not caption.isVisible()
    voice.close()
