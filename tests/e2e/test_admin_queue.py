"""The admin's Queue tab against a real hub on loopback: a form the hub refused is listed with
its reason, a waiting one with its state, no cell shows anything personal; Send now files the
waiting one; every unfiled form (the refused one too) goes to a USB stick as one bundle; once
the cause is fixed at the hub, "Send the refused forms again" files the refused one."""

import uuid
from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from kiosk.backend.base import BackendError, Submission
from kiosk.backend.demo_data import CITIZENS
from ui.admin.queue_view import QueueView

ID_NUMBER, NAME, _BIRTH, ADDRESS, PHONE = CITIZENS[0]
DESCRIPTION = "路灯不亮，门口很黑"


def submission(service_id: str) -> Submission:
    return Submission(service_id=service_id, idempotency_key=str(uuid.uuid4()),
                      answers={"category": "street_light", "place": ADDRESS,
                               "description": DESCRIPTION, "contact_phone": PHONE},
                      citizen_id=ID_NUMBER, language="zh_CN",
                      created=datetime.now().astimezone().isoformat(timespec="seconds"))


def everything_shown(view) -> str:
    tables = [cell for table in (view.waiting, view.refused) for row in table.cells()
              for cell in row]
    return "\n".join([*tables, view.summary.text(), view.done.text(), view.error.text()])


def test_refused_and_waiting_forms_are_listed_sent_and_saved_to_a_stick(embedded, qtbot,
                                                                        tmp_path):
    kiosk, _hub = embedded
    backend = kiosk.session.backend
    backend.sender.stop()  # nothing is sent behind the test's back: only Send now sends
    backend.set_policy("online")
    backend.public_key()  # the kiosk has the hub's key...
    hub = _hub.hub
    hub.stop()
    kept = tmp_path / "hub-key.pem"
    hub.settings.key_path.rename(kept)
    hub.start()  # ...and the hub lost its key file: it made a new one
    refused = submission("report_problem")
    assert backend.submit(refused).provisional  # taken in at once, on the kiosk
    assert backend.settle(refused.idempotency_key) is None  # it cannot open it: kept aside
    with pytest.raises(BackendError):  # Submit again: still refused, not resent
        backend.submit(refused)
    backend.set_policy("offline")
    assert backend.submit(submission("report_problem")).provisional  # waits in the outbox

    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    view = QueueView(kiosk)
    qtbot.addWidget(view)
    view.drives.finder = lambda: [stick]  # as if the stick were mounted under /media
    view.retranslate("en")
    view.refresh()
    view.resize(1800, 1200)
    view.show()

    assert view.summary.text() == "1 waiting to be sent, 1 refused by the hub."
    [waiting] = view.waiting.cells()
    title = kiosk.catalogue.get("report_problem").title.get("en")
    assert waiting[0] == title and waiting[2:4] == ["… Waiting", "0"]
    [refused] = view.refused.cells()
    assert refused[0] == title and refused[2] == "1"
    assert refused[3].startswith("⚠ HTTP 422 unreadable_envelope")
    assert view.resend.isVisible()
    shown = everything_shown(view)
    for personal in (ID_NUMBER, NAME, ADDRESS, PHONE, PHONE[3:], DESCRIPTION):
        assert personal not in shown

    qtbot.mouseClick(view.drives.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.done.isVisible(), timeout=10000)
    assert view.done.text() == "2 applications saved to KINGSTON: take the stick to the hub."
    assert len(list(stick.glob("*.kbundle"))) == 1

    qtbot.mouseClick(view.send, Qt.MouseButton.LeftButton)  # set to work offline: refused
    assert view.error.message().startswith("This kiosk is set to work offline")
    hub.stop()  # the hub's staff put the key file back
    kept.replace(hub.settings.key_path)
    hub.start()
    backend.set_policy("online")
    qtbot.mouseClick(view.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.done.isVisible(), timeout=10000)
    assert view.done.text() == "1 sent to the hub."
    assert view.waiting.isHidden() and view.waiting_none.text() == "None."
    assert len(view.refused.cells()) == 1  # a refused form is never sent again by itself
    assert backend.outbox.waiting_count() == 0
    qtbot.mouseClick(view.resend, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.done.isVisible(), timeout=10000)
    assert view.done.text() == "1 of 1 refused forms sent to the hub."
    assert view.refused.isHidden() and view.resend.isHidden()
    assert backend.outbox.quarantined_count() == backend.outbox.waiting_count() == 0


def test_with_the_demo_backend_there_is_no_queue(kiosk, qtbot):
    view = QueueView(kiosk)
    qtbot.addWidget(view)
    view.retranslate("zh_CN")
    assert "没有等待发送的队列" in view.summary.text()
    assert view.send.isHidden() and view.waiting.isHidden() and view.refused.isHidden()


def test_a_stick_is_listed_saved_to_unmounted_and_the_admin_told_to_take_it_out(
        embedded, qtbot, tmp_path):
    """A real (loop-mounted) stick: the tab finds it in the mounts table, the bundle is written
    and flushed, the stick unmounted, and "you can take it out now" is shown and said."""
    from kiosk.usb import sticks
    from tests.usb_stick import make_image, mount, unmount_if_mounted

    kiosk, _hub = embedded
    backend = kiosk.session.backend
    backend.sender.stop()
    backend.set_policy("online")
    backend.public_key()
    backend.set_policy("offline")
    for _ in range(2):
        assert backend.submit(submission("report_problem")).provisional
    image = make_image(tmp_path)
    media = tmp_path / "media"
    point = mount(image, media / "KINGSTON")
    said = []
    speak = kiosk.say
    kiosk.say = lambda script, cue="": (said.append(list(script)), speak(script, cue))
    try:
        view = QueueView(kiosk)
        qtbot.addWidget(view)
        view.drives.finder = lambda: sticks([media])  # as the appliance's /run/kiosk-usb is
        view.retranslate("en")
        view.refresh()
        view.show()
        assert [b.text() for b in view.drives.buttons] == ["Save to USB stick KINGSTON"]

        qtbot.mouseClick(view.drives.buttons[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.done.isVisible() or bool(view.error.text()), timeout=10000)
        told = ("2 applications saved to KINGSTON. You can take the USB stick out now: "
                "take it to the hub.")
        assert (view.done.text(), view.error.text()) == (told, "")
        assert said == [[told]]
        assert not view.drives.buttons and view.drives.none.isVisible()  # taken out
        view.retranslate("zh_CN")
        assert "现在可以拔出U盘了" in view.done.text()
        again = mount(image, tmp_path / "again", "loop,ro")
        [bundle] = again.glob("*.kbundle")
        assert '"format": "assisted-kiosk-bundle/1"' in bundle.read_text()
    finally:
        kiosk.say = speak
        unmount_if_mounted(point)
        unmount_if_mounted(tmp_path / "again")
