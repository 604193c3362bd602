"""Calling a helper: one tap on every screen; the desk's answer shown and said; with no hub,
the kiosk alerts the room itself. Nothing about the citizen goes with the call."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.conftest import ELDEST
from ui.walker import Walker, settle


def test_help_is_called_and_the_helpers_name_is_shown(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.complete("senior_allowance", card=ELDEST, submit=False)
    walker.tap("back")  # back on a question: the last step
    step = kiosk.question.step.id
    walker.tap("help")
    assert kiosk.current() is kiosk.help
    assert not kiosk.help_call.active  # asked first, never called by the Help button alone
    assert kiosk.help.status.text() == "Call a member of staff to this kiosk?"
    walker.tap("call-staff")
    assert kiosk.window.help_flag.text() == "A helper is coming."
    assert kiosk.help.status.text() == "A helper is coming. Please stay here."
    backend = kiosk.session.backend
    qtbot.waitUntil(lambda: bool(backend.help_requests), timeout=5000)
    [request] = backend.help_requests.values()
    assert (request["service_id"], request["step_id"]) == ("senior_allowance", step)
    assert set(request) == {"id", "state", "helper_name", "service_id", "step_id"}  # no person
    walker.tap("help")  # pressing again does not call a second helper
    assert len(backend.help_requests) == 1
    assert not [w for w in kiosk.window.findChildren(QWidget, "call-staff") if w.isVisible()]

    backend.desk_acknowledge(request["id"], "Wang")
    qtbot.waitUntil(lambda: "Helper Wang is on the way" in kiosk.window.help_flag.text(),
                    timeout=5000)
    assert kiosk.help.status.text() == "Helper Wang is on the way."
    walker.tap("cancel-help")  # "Cancel the call": the hub is told in the background
    qtbot.waitUntil(lambda: backend.help_requests[request["id"]]["state"] == "closed",
                    timeout=5000)
    assert not kiosk.window.help_flag.isVisible()
    assert kiosk.current() is kiosk.question  # back where the citizen was


def test_leaving_the_kiosk_cancels_the_call(make_kiosk, qtbot):
    kiosk = make_kiosk()
    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.tap("help")
    walker.tap("call-staff")
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=5000)
    kiosk.end_session()
    assert not kiosk.help_call.active
    [request] = kiosk.session.backend.help_requests.values()
    qtbot.waitUntil(lambda: request["state"] == "closed", timeout=5000)  # sent off the GUI


def test_with_the_hub_down_the_kiosk_alerts_the_room(embedded, qtbot):
    kiosk, hub = embedded
    hub.backend.alive_every = 0.2  # the link's state asked every 0.2 s, not every 30 s
    hub.hub.stop()
    qtbot.waitUntil(lambda: not kiosk.connection[0], timeout=15000)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.tap("help")
    walker.tap("call-staff")
    qtbot.waitUntil(lambda: kiosk.help_call.state == "local", timeout=10000)
    assert kiosk.window.help_flag.isVisible()
    assert "Help needed at this kiosk" in kiosk.window.help_flag.text()


def test_the_desk_receives_acknowledges_and_closes_through_the_hub(embedded, qtbot):
    import requests

    kiosk, hub = embedded
    desk = requests.Session()
    desk.headers["Authorization"] = "Bearer demo-desk-token"
    url = hub.hub.url
    walker = Walker(kiosk)
    walker.begin("en")
    walker.open_service("report_problem")
    walker.tap("help")
    walker.tap("call-staff")
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=10000)
    [request] = desk.get(f"{url}/v1/desk/help-requests").json()
    assert (request["kiosk_id"], request["service_id"], request["step_id"]) == \
        ("demo-kiosk", "report_problem", "category")
    desk.post(f"{url}/v1/desk/help-requests/{request['id']}/acknowledge",
              json={"helper_name": "Wang"}).raise_for_status()
    qtbot.waitUntil(lambda: "Helper Wang is on the way" in kiosk.window.help_flag.text(),
                    timeout=10000)
    desk.post(f"{url}/v1/desk/help-requests/{request['id']}/close").raise_for_status()
    qtbot.waitUntil(lambda: not kiosk.help_call.active, timeout=10000)
    assert not kiosk.window.help_flag.isVisible()
    assert desk.get(f"{url}/v1/desk/help-requests").json() == []


def test_no_thank_you_calls_nobody_and_closing_help_closes_the_call(make_kiosk, qtbot):
    kiosk = make_kiosk()
    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.open_service("pay_bill")
    walker.tap("help")
    assert kiosk.help.status.text() == "要请工作人员到这台机器来帮您吗？"
    said = kiosk.help.script("zh_CN")
    assert "要请工作人员到这台机器来帮您吗？" in said and "不用了" in said  # asked aloud too
    walker.tap("no-call")
    assert kiosk.current() is kiosk.question and not kiosk.help_call.active
    assert not kiosk.session.backend.help_requests
    walker.tap("help")
    walker.tap("call-staff")
    assert kiosk.help.status.text() == "工作人员马上就来，请在这里稍等。"  # shown, and said:
    assert kiosk.help.script("zh_CN")[1] == "工作人员马上就来，请在这里稍等。"
    backend = kiosk.session.backend
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=5000)
    walker.tap("next")  # "close help"
    assert kiosk.current() is kiosk.question and not kiosk.help_call.active
    [request] = backend.help_requests.values()
    qtbot.waitUntil(lambda: request["state"] == "closed", timeout=5000)


def _tap_at(window: QWidget, point: QPoint) -> None:
    """A finger on the glass: the tap goes to the window at that place, and Qt gives it to
    whatever widget is there now."""
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton,
                     pos=window.mapFromGlobal(point))
    settle()


def test_a_tap_lands_on_the_same_option_after_the_help_strip_appears(make_kiosk, qtbot):
    """Where the finger was before help was called, the same option is after: the strip that
    says help is coming has its room kept, so it pushes nothing down."""
    kiosk = make_kiosk(help_poll_s=0.1)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.open_service("pay_bill")  # "Which bill?": big option tiles
    tiles = [tile for _, tile in kiosk.question.field.tiles]
    second = tiles[1]
    where = second.mapToGlobal(second.rect().center())  # recorded before any strip
    walker.tap("help")
    yes = walker.visible("call-staff")
    at_yes = yes.mapToGlobal(yes.rect().center())
    walker.tap("call-staff")
    assert kiosk.window.help_flag.isVisible()  # the strip is up, over the help page ...
    cancel = walker.visible("cancel-help")
    assert cancel.mapToGlobal(cancel.rect().center()).y() == at_yes.y()  # ... moving nothing
    backend = kiosk.session.backend
    qtbot.waitUntil(lambda: bool(backend.help_requests), timeout=5000)
    [request] = backend.help_requests.values()
    backend.desk_acknowledge(request["id"], "Wang")
    qtbot.waitUntil(lambda: "Wang" in kiosk.window.help_flag.text(), timeout=5000)
    walker.tap("back")
    assert kiosk.current() is kiosk.question
    assert second.mapToGlobal(second.rect().center()) == where
    _tap_at(kiosk.window, where)
    assert second.is_selected() and not tiles[0].is_selected()
    # the strip shows on a question page too while a call is open: still nothing moves
    walker.tap("help")
    walker.tap("call-staff")
    kiosk.help.under = None  # leave the help page without closing the call (as a helper would)
    kiosk.show(kiosk.question)
    settle()
    assert kiosk.window.help_flag.isVisible()
    assert second.mapToGlobal(second.rect().center()) == where
    _tap_at(kiosk.window, tiles[0].mapToGlobal(tiles[0].rect().center()))
    assert tiles[0].is_selected()
    kiosk.help_call.cancel()


def test_the_help_page_with_a_call_on_its_way_is_readable_and_touchable(make_kiosk, qtbot):
    from tests.ui.test_accessibility import problems_on_screen

    for lang in ("zh_CN", "en"):
        kiosk = make_kiosk(default_text_size="largest", speak_on_open=False)
        walker = Walker(kiosk)
        walker.begin(lang)
        walker.open_service("report_problem")
        walker.tap("help")
        assert problems_on_screen(kiosk, "standard") == []
        walker.tap("call-staff")
        assert kiosk.window.help_flag.isVisible()
        # the flag joins the top bar: judged once the bar's layout has taken it in
        qtbot.waitUntil(lambda k=kiosk: problems_on_screen(k, "standard") == [], timeout=3000)
        kiosk.help_call.cancel()
