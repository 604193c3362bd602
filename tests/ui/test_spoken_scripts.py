"""Every screen of every service, as a person who cannot read hears it, in Chinese and English:
times and dates said as people say them (dates with their weekday), each sentence whole and said
once, options never announced by numbers the buttons do not show, and no personal detail of the
demo citizens through the loudspeaker, yet all of it with headphones or "read my details aloud".
"""

import itertools
import re

import pytest

from kiosk.backend.demo_data import CITIZENS
from kiosk.speech import spoken
from kiosk.speech.player import Player
from kiosk.speech.script import render
from kiosk.speech.service import SpeechService
from ui.tour import visit_every_screen
from ui.voice import QtVoice
from ui.widgets.big_button import BigButton

CLOCK = re.compile(r"\b\d{1,2}[:：]\d{2}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
EN_DATE = re.compile(r"(\w+), the [\w-]+ of (" + "|".join(spoken.EN_MONTHS) + ")")
EN_DATE_ANY = re.compile(r"the [\w-]+ of (" + "|".join(spoken.EN_MONTHS) + ")")
ZH_DATE = re.compile(r"[〇一二三四五六七八九十]+月[一二三四五六七八九十]+日(星期.)?")
SENTENCE_END = re.compile(r"(?<=[.。!！?？])\s*")
# half a sentence: "The day chosen now is" / "现在选的日期是" / "Number 1:" (the answer 不是 is
# whole)
CUT_OFF = re.compile(r"(?<![\w-])(the|a|an|of|to|and|your)[.]?\s*$"
                     r"|(?<=[\u4e00-\u9fff])(?<!不)是[。]?\s*$"
                     r"|[：:]\s*$", re.IGNORECASE)
LINKING = re.compile(r"\b(is|are|was|were|be)$")
ANNOUNCED_NUMBER = re.compile(r"\bNumber (\w+)|第(\d+|[一二三四五六七八九十]+)项")


def personal_forms(lang):
    """Everything of the demo citizens that must not reach a loudspeaker, as text and as said."""
    forms = []
    for id_number, name, _birth, address, e164 in CITIZENS:
        national = e164.removeprefix("+86")
        for value in (national, national[-4:], id_number[-6:]):
            forms += [value, spoken.digits(value, lang)]
        forms += [id_number, name, address]
    return forms


def sentences(lines):
    for line in lines:
        yield from (s for s in SENTENCE_END.split(line) if s.strip())


def normal(sentence):
    return re.sub(r"[\W_]+", " ", sentence.lower()).strip()


def long_enough(text):
    """Worth checking for repeats: three English words or four Chinese characters."""
    return len(text.split()) >= 3 or len(re.findall(r"[\u4e00-\u9fff]", text)) >= 4


def repeats(lines, title=""):
    """Sentences said twice, or one said again inside a longer one ("About 3 minutes."); the
    screen's title (a service's name) may well come up again in a sentence."""
    said = [normal(s) for s in sentences(lines)]
    found = []
    for i, a in enumerate(said):
        if not long_enough(a) or a == normal(title):
            continue
        for j, b in enumerate(said):
            if i != j and ((a == b and i < j) or (a != b and f" {a} " in f" {b} ")):
                found.append(a)
    return found


def script_of(kiosk, name):
    if name == "timeout-warning":
        return kiosk.idle.script(kiosk.session.language)
    return kiosk.current().script(kiosk.session.language)


@pytest.fixture
def quiet_kiosk(make_kiosk):
    """A voice that neither synthesises nor plays, so the sound screen is walked too."""
    voice = QtVoice(SpeechService(player=Player(None)))
    kiosk = make_kiosk(voice=voice, speak_on_open=False, headset_fitted=True)
    yield kiosk
    voice.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_screen_is_said_as_people_say_it(quiet_kiosk, lang):
    kiosk = quiet_kiosk
    secrets = personal_forms(lang)
    problems: dict[str, list[str]] = {}
    heard_privately = set()
    screens = []

    def listen(name):
        screens.append(name)
        script = script_of(kiosk, name)
        title = kiosk.current().title(lang)
        loud = render(script, lang, False)
        private = render(script, lang, True)
        found = []
        for lines in (loud, private):
            text = "\n".join(lines)
            found += [f"clock {m}" for m in CLOCK.findall(text)]
            found += [f"ISO date {m}" for m in ISO_DATE.findall(text)]
            if lang == "en":
                dated = EN_DATE_ANY.findall(text)
                weekdays = [w for w, _ in EN_DATE.findall(text) if w in spoken.EN_WEEKDAYS]
                if len(weekdays) != len(dated):
                    found.append(f"a date without its weekday: {text!r}")
            else:
                found += [f"date without weekday {m.group()}" for m in ZH_DATE.finditer(text)
                          if not m.group(1)]
            found += [f"cut off: {line!r}" for line in lines if CUT_OFF.search(line)]
            found += [f"cut off: {a!r} / {b!r}" for a, b in itertools.pairwise(lines)
                      if LINKING.search(a) and b[0].islower()]  # "... now is" / "the fifth"
            found += [f"said twice: {r!r}" for r in repeats(lines, title)]
            found += [f"announced number {m.group()}" for m in ANNOUNCED_NUMBER.finditer(text)
                      if not numbered_button(kiosk, m.group(1) or m.group(2))]
        said_loud = "\n".join(loud)
        journey = kiosk.session.journey
        if journey is not None and journey.result is not None:  # a random reference's digits
            said_loud = said_loud.replace(spoken.characters(journey.result.reference, lang), "")
        found += [f"loudspeaker says {form!r}" for form in secrets if form and form in said_loud]
        heard_privately.update(form for form in secrets if form in "\n".join(private))
        if found:
            problems[name] = found

    visit_every_screen(kiosk, lang, "normal", listen)
    assert len(screens) >= 50
    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())
    # with headphones (or "read my details aloud") the citizen hears their own details
    _id, name, _birth, address, e164 = CITIZENS[0]  # the card the walk identifies with
    assert {name, address, spoken.digits(e164.removeprefix("+86"), lang)} <= heard_privately


def numbered_button(kiosk, number):
    """A visible button showing this number as its label (or starting with it)."""
    buttons = [b for b in kiosk.window.findChildren(BigButton) if b.isVisible()]
    return any(re.match(rf"\s*{re.escape(number)}\b", b.text()) for b in buttons)
