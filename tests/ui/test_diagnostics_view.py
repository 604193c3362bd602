"""The Diagnostics tab makes its checks off the GUI thread and shows each with a mark and a
word, in the admin's language: here an unreachable hub is a problem, with what to do."""

import socket

from PySide6.QtCore import Qt


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_hub_is_shown_as_a_problem_and_checked_again(make_kiosk, qtbot):
    from ui.admin.diagnostics_view import DiagnosticsView

    url = f"http://127.0.0.1:{closed_port()}"
    kiosk = make_kiosk(hub_url=url)
    view = DiagnosticsView(kiosk)
    qtbot.addWidget(view)
    view.retranslate("en")
    view.refresh()
    assert view.status.text().startswith("Checking")
    qtbot.waitUntil(lambda: view.runs == 1, timeout=30000)
    rows = {name: (mark, detail) for mark, name, detail in view.shown()}
    mark, detail = rows["Connection to the hub"]
    assert mark == "⚠ Problem"
    assert detail.startswith(f"cannot reach the hub at {url}: check the network cable")
    assert rows["Chinese fonts"][0] == "✓ OK"
    problems = sum(mark.startswith("⚠") for mark, _name, _detail in view.shown())
    assert view.status.text() == (f"{problems} problems found: see below what to do."
                                  if problems > 1 else "1 problem found: see below what to do.")

    view.retranslate("zh_CN")
    rows = {name: (mark, detail) for mark, name, detail in view.shown()}
    assert rows["与服务中心的连接"][0] == "⚠ 有问题"

    qtbot.mouseClick(view.again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.runs == 2, timeout=30000)
    assert len(view.shown()) == len(rows)
