"""Calling a helper: one tap on every screen; the desk's answer shown and said; with no hub,
the kiosk alerts the room itself. Nothing about the citizen goes with the call."""

from tests.conftest import ELDEST
from ui.walker import Walker


def test_help_is_called_and_the_helpers_name_is_shown(make_kiosk, qtbot):
    kiosk = make_kiosk(help_poll_s=0.1)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.complete("senior_allowance", card=ELDEST, submit=False)
    walker.tap("back")  # back on a question: the last step
    step = kiosk.question.step.id
    walker.tap("help")
    assert kiosk.current() is kiosk.help
    assert kiosk.window.help_flag.text() == "A helper is coming. Please stay here."
    backend = kiosk.session.backend
    qtbot.waitUntil(lambda: bool(backend.help_requests), timeout=5000)
    [request] = backend.help_requests.values()
    assert (request["service_id"], request["step_id"]) == ("senior_allowance", step)
    assert set(request) == {"id", "state", "helper_name", "service_id", "step_id"}  # no person
    walker.tap("help")  # pressing again does not call a second helper
    assert len(backend.help_requests) == 1

    backend.desk_acknowledge(request["id"], "Wang")
    qtbot.waitUntil(lambda: "Helper Wang is on the way" in kiosk.window.help_flag.text(),
                    timeout=5000)
    assert kiosk.help.status.text() == "Helper Wang is on the way."
    walker.tap("cancel-help")  # "I do not need help now"
    assert backend.help_requests[request["id"]]["state"] == "closed"
    assert not kiosk.window.help_flag.isVisible()
    assert kiosk.current() is kiosk.question  # back where the citizen was


def test_leaving_the_kiosk_cancels_the_call(make_kiosk, qtbot):
    kiosk = make_kiosk()
    walker = Walker(kiosk)
    walker.begin("zh_CN")
    walker.tap("help")
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open", timeout=5000)
    kiosk.end_session()
    assert not kiosk.help_call.active
    [request] = kiosk.session.backend.help_requests.values()
    qtbot.waitUntil(lambda: request["state"] == "closed", timeout=5000)  # sent off the GUI


def test_with_the_hub_down_the_kiosk_alerts_the_room(embedded, qtbot):
    kiosk, hub = embedded
    hub.hub.stop()
    qtbot.waitUntil(lambda: not kiosk.connection[0], timeout=15000)
    walker = Walker(kiosk)
    walker.begin("en")
    walker.tap("help")
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
