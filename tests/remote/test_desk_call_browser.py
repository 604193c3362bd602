"""The desk page's side of the voice call in headless Chromium (its own WebRTC, fake media
devices: the microphone plays a 440 Hz WAV), against the real hub on loopback, with the
kiosk's end played by `Talk` (aiortc, sending 660 Hz from a WAV) behind the kiosk's long poll.
The clerk signs in through the form, takes the call and presses Talk (only after consent);
the page shows "On a call"; the kiosk hears the browser's tone and the page hears the
kiosk's (measured in the page with Web Audio); either side hangs up (the clerk even before
the call is made) and the page says which; a kiosk that stops polling ends the page's call
with "the link was lost"."""

from __future__ import annotations

import asyncio
import json

import pytest

from hub.remote.relay import LINK_LOST_S
from hub.testing import running_hub
from kiosk.remote.voice import Audio, CallState, EndedBy, Talk
from tests.chromium import Chromium, Page
from tests.hub.remote_support import Region, call, up
from tests.remote.test_voice_call import AUDIO_S, DESK_HZ, KIOSK_HZ, TIMEOUT_S, Changes
from tests.remote.test_voice_hub import KioskChannel
from tests.remote.voice_audio import PITCH_TOLERANCE_HZ, assert_heard, write_tone

# The page's view of what it receives: the loudest frequency of the call's incoming sound.
INCOMING_PITCH = """
new Promise(function (resolve) {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(document.getElementById('call-audio').srcObject);
  const analyser = context.createAnalyser();
  analyser.fftSize = 16384;
  source.connect(analyser);
  setTimeout(function () {
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    resolve({hz: best * context.sampleRate / analyser.fftSize, db: bins[best]});
    context.close();
  }, 700);
})
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(None, data_dir=tmp_path_factory.mktemp("desk_call_hub")) as running:
        yield running


@pytest.fixture
def browser(tmp_path):
    """Fake media devices: the microphone plays a WAV, permission is granted without asking.
    The tone is loud: the browser's voice processing (gain control, noise suppression) stays
    on, as for a clerk's headset, and takes some of it away."""
    tone = write_tone(tmp_path / "desk.wav", DESK_HZ, seconds=5, amplitude=20000)
    with Chromium(tmp_path / "profile", "--use-fake-device-for-media-stream",
                  "--use-fake-ui-for-media-stream", f"--use-file-for-fake-audio-capture={tone}",
                  "--autoplay-policy=no-user-gesture-required",
                  "--disable-features=WebRtcHideLocalIpsWithMdns") as chromium:
        yield chromium


class Session:
    """A far kiosk's call taken on the page by a signed-in clerk, the citizen's consent given,
    the kiosk's `Talk` behind its long poll."""

    def __init__(self, hub, browser: Chromium, tmp_path) -> None:
        self.region = Region(hub)
        self.call_id = call_id = call(self.region.far)
        self.page = page = self._sign_in(browser)
        take = f'tr[data-call="{call_id}"] button.take'
        page.wait(f"!!document.querySelector({json.dumps(take)})")
        page.type_into("#clerk", "Li Ming")
        page.click(take)
        page.wait("!document.getElementById('session').hidden")
        assert page.run("document.getElementById('talk').disabled")  # no Talk before consent
        assert up(self.region.far, call_id, {"kind": "consent", "see": True}).status_code == 200
        page.wait("!document.getElementById('talk').disabled")
        self.heard_at_kiosk = tmp_path / "at-kiosk.wav"
        self.channel, self.changes = KioskChannel(self.region, call_id), Changes()
        self.talk = Talk(self.channel.send, self.changes,
                         Audio(source=str(write_tone(tmp_path / "kiosk.wav", KIOSK_HZ)),
                               sink=str(self.heard_at_kiosk)))
        self.channel.start(self.talk)

    def _sign_in(self, browser: Chromium) -> Page:
        """As a clerk does: a form asks for the desk's token (never in the address)."""
        page = browser.page(f"{self.region.hub.url}/desk/region")
        page.type_into("input[name=token]", self.region.token)
        page.click("button[type=submit]")
        page.wait("location.pathname === '/desk/region' && !!window.deskCall")
        return page

    async def talk_button(self) -> None:
        self.page.click("#talk")
        await self.changes.wait_for(CallState.LIVE)
        self.page.wait("deskCall.state === 'live'", TIMEOUT_S)

    def page_says(self, words: str) -> str:
        return self.page.wait(f"deskCall.state === 'ended' && "
                              f"deskCall.words.includes({json.dumps(words)}) && deskCall.words",
                              TIMEOUT_S)

    async def close(self) -> None:
        self.talk.close()
        assert await asyncio.to_thread(self.talk.wait_closed)
        self.region.desk_post(self.call_id, "end")
        await asyncio.to_thread(self.channel.stop)


def test_the_desk_page_calls_the_kiosk_and_both_hear_each_other(hub, browser, tmp_path):
    helped = Session(hub, browser, tmp_path)
    page = helped.page

    async def run() -> dict:
        try:
            await helped.talk_button()
            assert "通话中 On a call" in page.run("deskCall.words")
            page.screenshot(tmp_path / "desk-on-a-call.png")
            await asyncio.sleep(AUDIO_S)  # the sound to analyse
            incoming = page.run(INCOMING_PITCH)
            page.click("#call-hangup")
            assert await helped.changes.wait_for(CallState.ENDED) == EndedBy.CLERK
            helped.page_says("You hung up")
            return incoming
        finally:
            await helped.close()

    incoming = asyncio.run(run())
    assert_heard(helped.heard_at_kiosk, DESK_HZ)  # the browser's fake microphone, via WebRTC
    assert abs(incoming["hz"] - KIOSK_HZ) <= PITCH_TOLERANCE_HZ, incoming
    assert incoming["db"] > -50, incoming  # loud, not the noise floor (about -100 dB)


def test_hang_ups_on_either_side_and_a_lost_link(hub, browser, tmp_path):
    helped = Session(hub, browser, tmp_path)
    clock = hub.app.state.relay.clock

    async def run() -> None:
        try:
            # the clerk changes their mind while the browser still opens the microphone
            state = helped.page.run("(async () => { const calling = deskCall.start(); "
                                    "deskCall.hangUp(); await calling; "
                                    "return [deskCall.state, deskCall.words]; })()")
            assert state == ["ended", "您已挂断 You hung up"]
            assert helped.changes.seen.empty()  # the kiosk was never called
            await helped.talk_button()
            helped.talk.hang_up()  # the kiosk's Hang up button
            helped.page_says("The citizen hung up")
            await helped.talk_button()  # the clerk calls again: a new call in the session
            helped.channel.stop_after_next()  # the kiosk's poll stops (its network went)
            helped.region.send(helped.call_id, {"kind": "say", "words": "Can you hear me?"})
            await asyncio.to_thread(helped.channel.stop)
            clock.shift_s += LINK_LOST_S + 1  # the hub's time, not a sleep
            helped.page_says("The link to the kiosk was lost")
            assert helped.page.run("document.getElementById('call-audio').srcObject") is None
        finally:
            clock.shift_s = 0.0
            await helped.close()

    asyncio.run(run())
