"""Live speech through one output stream, with the real engine (libespeak-ng in its own
process) and a real sound server (PulseAudio with a null sink, whose monitor we record)."""

import contextlib
import queue
import time
from functools import partial

import pytest

from kiosk.i18n import tr
from kiosk.speech.engine import CHUNK_MS, RATE, Engine
from kiosk.speech.player import Player
from kiosk.speech.prompt_cache import PromptCache
from kiosk.speech.script import money, private, reference
from kiosk.speech.service import VOLUMES, SpeechService, sentence
from kiosk.speech.synth import RATES
from tests.null_sink import Monitor

LONG = " ".join(["Please wait while we check the details of your pension with the office."] * 8)


class Listener:
    """Collects the service's events (they come from its threads) and waits for them."""

    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()
        self.seen: list = []

    def __call__(self, event) -> None:
        self.events.put(event)

    def wait_for(self, kind: str, uid: int, timeout: float = 20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.seen:
                if (event.kind, event.utterance) == (kind, uid):
                    return event
            with contextlib.suppress(queue.Empty):
                self.seen.append(self.events.get(timeout=0.05))
        raise AssertionError(f"no {kind} event for utterance {uid}: {self.seen}")


@pytest.fixture
def monitor(sound_server):
    recorder = Monitor()
    yield recorder
    recorder.close()


@pytest.fixture
def speech(sound_server):
    listener = Listener()
    service = SpeechService(on_event=listener)
    service.listener = listener
    yield service
    service.close()


def wait_until(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_engine_and_the_stream_start_with_the_service(speech):
    """Warm at launch: nothing said yet, and both processes are already running."""
    wait_until(lambda: speech.engine.pid is not None and speech.player.pid is not None)


def test_a_service_told_to_wait_starts_its_engine_on_begin_and_says_what_waited(sound_server):
    """main.py's voice: no engine process before the first frame; then what was said meanwhile
    (the welcome) is heard."""
    listener = Listener()
    service = SpeechService(on_event=listener, begin=False)
    try:
        uid, = service.say(["Welcome."], "en")
        with contextlib.suppress(AssertionError):
            listener.wait_for("started", uid, timeout=0.5)
            raise AssertionError("said before begin()")
        assert service.engine.pid is None
        service.begin()
        listener.wait_for("started", uid)
        assert service.engine.pid is not None
    finally:
        service.close()


def test_the_stream_stays_one_process_across_sentences(speech, monitor):
    wait_until(lambda: speech.player.pid is not None and speech.player._spare is not None)
    stream, spare = speech.player.pid, speech.player._spare.pid
    pids = []
    speech.on_event = lambda event: (pids.append(speech.player.pid), speech.listener(event))
    said_from = time.monotonic()
    first = speech.say(["Good morning.", "Pension.", "Three questions."], "en")
    for uid in first:
        speech.listener.wait_for("finished", uid)
    second = speech.add(["Thank you."], "en")  # later, with nothing to interrupt
    speech.listener.wait_for("finished", second[0])
    assert set(pids) == {stream}, "a new output process was started for a sentence"
    assert speech.player._spare.pid == spare  # nor was one started behind the scenes
    assert monitor.first_sound(said_from) is not None, "no sound reached the output"


def test_chunks_arrive_before_the_whole_sentence_is_synthesised(sound_server):
    engine = Engine(["gmw/en"])
    chunks = []
    assert engine.stream(LONG, "gmw/en", 135, 0.7, lambda pcm: chunks.append(pcm) or True)
    whole = sum(map(len, chunks))
    assert len(chunks) > 20
    assert len(chunks[0]) <= 2 * RATE * 2 * CHUNK_MS / 1000 < whole / 20  # a moment of sound
    # told to stop at the first chunk, the engine stops and is ready for the next request
    stopped = []
    assert not engine.stream(LONG, "gmw/en", 135, 0.7, lambda pcm: stopped.append(pcm) and False)
    assert len(stopped) == 1
    again = []
    assert engine.stream("Hello.", "gmw/en", 135, 0.7, lambda pcm: again.append(pcm) or True)
    assert 0 < sum(map(len, again)) < whole / 4
    engine.close()


class CountingEngine(Engine):
    """The real engine, noting each text it has finished synthesising."""

    def __init__(self, voices) -> None:
        super().__init__(voices)
        self.made: list[str] = []

    def stream(self, text, *args):
        whole = super().stream(text, *args)
        self.made.append(text)
        return whole


def test_a_fixed_prompt_is_cached_and_reused(sound_server):
    listener = Listener()
    engine = CountingEngine(["gmw/en"])
    speech = SpeechService(on_event=listener, engine=engine)
    prompt = sentence(tr("en", "menu.question"), "en")
    speech.say([tr("en", "menu.question")], "en")
    wait_until(lambda: speech.cache.texts() == [prompt])  # synthesis runs ahead of playback
    for _ in range(2):  # each interrupting the one before: said from memory, not synthesised
        uid = speech.say([tr("en", "menu.question")], "en")[0]
        listener.wait_for("started", uid)
    assert engine.made == [prompt]
    speech.close()


def test_personal_text_is_never_cached(sound_server):
    engine = CountingEngine(["gmw/en"])
    speech = SpeechService(engine=engine)
    speech.prefs.private = True  # headphones: the personal parts are spoken in full
    script = [tr("en", "menu.question"), private("Wang Xiuying"), money("3260.80", True),
              reference("PC-20261123-0042", True), "Your appointment is at the east hall."]
    speech.say(script, "en")
    wait_until(lambda: len(engine.made) == len(script))
    speech.prefs.private = False  # a loudspeaker: masked, said as a fixed phrase
    speech.say([private("Wang Xiuying")], "en")
    wait_until(lambda: len(engine.made) == len(script) + 1)
    kept = speech.cache.texts()
    assert sorted(kept) == sorted([sentence(tr("en", "menu.question"), "en"),
                                   sentence(tr("en", "speech.on_screen"), "en")])
    assert not any(secret in text for text in kept
                   for secret in ("Wang", "3260", "thousand", "0042", "east hall"))
    assert any("Wang" in text for text in engine.made)  # it was said, just not kept
    speech.close()


def test_interruption_stops_the_output_at_once(speech, monitor):
    wait_until(lambda: speech.player.pid is not None)
    uid = speech.say([LONG], "en")[0]
    speech.listener.wait_for("started", uid)
    assert monitor.wait_for_sound(time.monotonic() - 0.5) is not None
    speech.stop()
    speech.listener.wait_for("interrupted", uid)
    # a minute of speech was queued: a full second of silence means it was cut off
    assert monitor.wait_for_silence(1.0, timeout=5), "the old words kept playing"
    assert not any(e.kind == "finished" and e.utterance == uid for e in speech.listener.seen)
    after = time.monotonic()
    again = speech.say(["Who are you?"], "en")[0]  # and the next words still come out
    speech.listener.wait_for("finished", again)
    assert monitor.first_sound(after) is not None


def test_a_dead_engine_is_started_again(speech, monitor):
    wait_until(lambda: speech.engine.pid is not None)
    speech.engine._process.kill()
    after = time.monotonic()
    uid = speech.say(["Hello again."], "en")[0]
    speech.listener.wait_for("finished", uid)
    assert monitor.first_sound(after) is not None


def test_when_the_output_dies_the_words_are_shown_instead(speech):
    wait_until(lambda: speech.player.pid is not None)
    uid = speech.say([LONG], "en")[0]
    speech.listener.wait_for("started", uid)
    speech.player._stream.kill()  # as if the sound server went away mid-sentence
    assert speech.listener.wait_for("unavailable", uid).text.startswith("Please wait")


def test_the_cache_refuses_any_text_but_a_fixed_prompt():
    cache = PromptCache()
    for text in ("Wang Xiuying.", "Your code is 4821.", "What would you like to eat today?"):
        cache.put((text, "gmw/en", 135, 0.7), b"\x01\x00")
    cache.put(("What would you like to do today?", "gmw/en", 135, 0.7), b"\x01\x00")
    cache.put(("您想办什么事？", "sit/cmn", 135, 0.7), b"\x01\x00")  # not in the catalogue
    assert cache.texts() == ["What would you like to do today?"]


def test_rate_and_volume_apply_to_cached_prompts_and_mute_says_nothing(sound_server):
    engine = CountingEngine(["gmw/en"])
    speech = SpeechService(engine=engine)
    prompt = tr("en", "menu.question")
    kept = {}
    for rate, volume in (("normal", 3), ("slow", 3), ("normal", 1)):
        speech.prefs.rate, speech.prefs.volume = rate, volume
        speech.say([prompt], "en")
        key = (sentence(prompt, "en"), "gmw/en", RATES[rate], VOLUMES[volume - 1])
        wait_until(partial(speech.cache.get, key))
        kept[(rate, volume)] = speech.cache.get(key)
    assert len(engine.made) == 3  # each setting synthesised anew, never the other's audio
    assert len(kept[("slow", 3)]) > 1.15 * len(kept[("normal", 3)])
    assert peak(kept[("normal", 1)]) < 0.7 * peak(kept[("normal", 3)])
    speech.prefs.muted = True
    assert speech.say([prompt], "en") == []
    speech.close()


def peak(pcm: bytes) -> int:
    return max(abs(value) for value in memoryview(pcm).cast("h"))


def test_an_output_that_takes_one_stream_at_a_time_is_not_flooded(tmp_path):
    """An ALSA card without dmix refuses a second stream: the spare ends at once. The player
    stops keeping spares instead of starting one for every chunk."""
    player = Player(["flock", "-n", str(tmp_path / "card"), "cat"])
    started = []
    start = player._start
    player._start = lambda: started.append(1) or start()
    player.warm()  # as the service does at launch
    lost = 0
    for _ in range(30):
        lost += player.write(b"\x00\x01" * 441) is None
        time.sleep(0.01)  # a chunk every 10 ms, as the engine's come
    # a spare that has not yet failed to get the card can be taken for the stream on a busy
    # machine: a chunk or two go while the player learns; never a flood of processes
    assert lost <= 3
    assert len(started) <= 4  # the stream, a spare or two that found the card taken
    player.close()
