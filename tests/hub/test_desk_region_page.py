"""The regional desk page (/desk/region) in headless Chromium against a real hub on loopback:
a clerk signs in through the form, a kiosk's call appears without a reload, the clerk takes
it, sees the screen the kiosk posts (a personal value masked as given), and clicks a control
to point at it: the kiosk's long poll receives the `point`."""

from __future__ import annotations

import json

import pytest

from tests.chromium import Chromium
from tests.hub.remote_support import Region, call, down, up

SCREEN = {"screen": "question", "lang": "zh_CN", "text_size": "largest",
          "title": "缴费", "question": "您的户号是多少？", "step": {"n": 2, "of": 5},
          "controls": [{"id": "back", "role": "button", "label": "返回"},
                       {"id": "option:water", "role": "option", "label": "水费",
                        "chosen": True},
                       {"id": "next", "role": "button", "label": "下一步"}],
          "fields": [{"id": "account", "label": "户号", "value": "•••", "masked": True}],
          "error": "户号应是 8 位数字"}


@pytest.fixture
def region(start_hub) -> Region:
    return Region(start_hub())


def js(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_a_clerk_takes_a_call_sees_the_screen_and_points(region, tmp_path):
    hub = region.hub
    with Chromium(tmp_path / "profile") as browser:
        page = browser.page(f"{hub.url}/desk/region")
        # not signed in: the form (the token typed, never in the address)
        page.wait("document.querySelector('input[name=token]') !== null")
        page.type_into("input[name=token]", region.token)
        page.click("button[type=submit]")
        page.wait("location.pathname === '/desk/region' && "
                  "document.getElementById('calls') !== null")
        assert "token" not in page.run("location.href")
        page.wait("document.getElementById('link').textContent.includes('Connected')")
        # the hub's own script runs under the page's policy (no inline script would)
        assert page.run("typeof window.deskChannel.send") == "function"
        page.type_into("#clerk", "李明")

        call_id = call(region.far, "pay_bill", "account")  # after the page opened: live
        row = f"tr[data-call={js(call_id)}]"
        page.wait(f"document.querySelector({js(row)}) !== null")
        cells = page.run(f"[...document.querySelectorAll({js(row + ' td')})]"
                         ".map(c => c.textContent)")
        assert cells[:4] == [region.far_id, "Far village point", "pay_bill", "account"]
        assert "分钟" in cells[4] and "min" in cells[4]

        page.click(f"{row} button.take")
        taken = down(region.far, call_id).json()["messages"]
        assert taken == [{"kind": "taken", "clerk": "李明", "desk": region.name, "seq": 1}]
        page.wait("!document.getElementById('session').hidden")

        assert up(region.far, call_id, {"kind": "consent", "see": True, "personal": False},
                  {"kind": "screen", "model": SCREEN}).json() == {"accepted": 2}
        page.wait("document.querySelector('.kiosk-screen .title') !== null")
        shown = page.run("""(() => { const s = document.querySelector('.kiosk-screen');
            return {title: s.querySelector('.title').textContent,
                    question: s.querySelector('.question').textContent,
                    step: s.querySelector('.step').textContent,
                    error: s.querySelector('.error').textContent,
                    controls: [...s.querySelectorAll('.control')].map(
                        b => [b.dataset.id, b.textContent]),
                    fields: [...s.querySelectorAll('.fields dd')].map(d => d.textContent),
                    state: document.getElementById('session-state').textContent}; })()""")
        assert (shown["title"], shown["question"]) == ("缴费", "您的户号是多少？")
        assert "第 2 步，共 5 步" in shown["step"] and "Step 2 of 5" in shown["step"]
        assert shown["error"] == "⚠ 户号应是 8 位数字"
        assert shown["controls"] == [["back", "返回"], ["option:water", "✓ 水费"],
                                     ["next", "下一步"]]
        assert shown["fields"] == ["••• （已隐藏） (hidden)"]
        assert "details hidden" in shown["state"]

        page.type_into("#words", "请点绿色的按钮")
        page.click(".kiosk-screen .control[data-id=next]")
        pointed = down(region.far, call_id, after=1).json()["messages"]
        assert pointed == [{"kind": "point", "target": "next", "words": "请点绿色的按钮",
                            "seq": 2}]
        page.wait("document.getElementById('outcome').textContent.includes('下一步')")

        # a filled value goes through the kiosk's checks; its refusal shows in plain words
        page.run("document.getElementById('fill-field').value = 'account'")
        page.type_into("#fill-value", "1234")
        page.click("#fill")
        filled = down(region.far, call_id, after=2).json()["messages"]
        assert filled == [{"kind": "fill", "field": "account", "value": "1234", "seq": 3}]
        assert up(region.far, call_id, {"kind": "done", "ref": 3, "ok": False, "message":
                  "户号应是 8 位数字 The account number has 8 digits"}).json() == {"accepted": 1}
        page.wait("document.getElementById('outcome').textContent.includes('8 digits')")
        assert page.run("document.getElementById('fill-value').value") == ""
        page.screenshot(tmp_path / "desk-region.png")

        # the kiosk loses its link: the page says so in both languages
        hub.app.state.relay.clock.shift_s = 16
        page.wait("document.getElementById('session-state').textContent"
                  ".includes('The link to the kiosk was lost')")
        assert "连接中断" in page.run("document.getElementById('session-state').textContent")


def test_consent_refused_the_page_shows_no_screen_and_the_clerk_can_only_speak(
        region, tmp_path):
    hub = region.hub
    call_id = call(region.far)
    with Chromium(tmp_path / "profile") as browser:
        page = browser.page(f"{hub.url}/desk/region")
        page.type_into("input[name=token]", region.token)
        page.click("button[type=submit]")
        page.wait("document.getElementById('link').textContent.includes('Connected')")
        page.type_into("#clerk", "Li Ming")
        page.wait(f"document.querySelector('tr[data-call={js(call_id)}] button.take') !== null")
        page.click(f"tr[data-call={js(call_id)}] button.take")
        assert down(region.far, call_id).json()["messages"][0]["clerk"] == "Li Ming"
        up(region.far, call_id, {"kind": "consent", "see": False, "personal": False})
        page.wait("document.getElementById('session-state').textContent.includes('said no')")
        assert up(region.far, call_id, {"kind": "screen", "model": SCREEN}).status_code == 409
        disabled = page.run("['fill', 'set-lang', 'set-size', 'pause', 'talk', 'say', 'end']"
                            ".map(id => document.getElementById(id).disabled)")
        assert disabled == [True, True, True, True, True, False, False]
        page.type_into("#words", "别着急，慢慢来")
        page.click("#say")
        said = down(region.far, call_id, after=1).json()["messages"]
        assert said == [{"kind": "say", "words": "别着急，慢慢来", "seq": 2}]
        page.screenshot(tmp_path / "desk-refused.png")
        page.click("#end")
        assert down(region.far, call_id, after=2).json() == {
            "state": "ended", "messages": [{"kind": "end", "by": "clerk", "seq": 3}]}
        page.wait("document.getElementById('session-state').textContent"
                  ".includes('You ended the help')")
        assert page.run("document.querySelector('.kiosk-screen')") is None
