"""ui.ops on a real kiosk and real threads: an answer that comes after the citizen has gone is
dropped (nothing personal lands in the next visit), and a failure the screen does not explain
itself ends in the plain words and the two ways on."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from kiosk.backend import Unavailable
from kiosk.backend.demo_data import CITIZENS
from kiosk.i18n import tr
from ui import ops
from ui.ops import Op


def test_an_answer_after_the_citizen_walked_away_is_dropped(kiosk, walker, qtbot):
    walker.begin("en")
    walker.open_service("insurance_balance")
    assert kiosk.current() is kiosk.card
    gate = threading.Event()
    got = []

    def slow_record():
        gate.wait(10)
        return kiosk.session.find_by_card(CITIZENS[0][0])

    assert Op(kiosk.card, slow_record, got.append).run()
    assert not Op(kiosk.card, slow_record, got.append).run()  # a second tap: swallowed
    assert not kiosk.card.body.isEnabled()
    kiosk.end_session()  # walked away while the hub was asked
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=5000)
    assert got == [] and kiosk.session.citizen is None
    assert kiosk.card.body.isEnabled()


def test_a_hub_out_of_reach_is_said_plainly_with_two_ways_on(kiosk, walker, qtbot):
    walker.begin("zh_CN")
    walker.open_service("insurance_balance")

    def unreachable():
        raise Unavailable()

    Op(kiosk.card, unreachable, lambda _r: None, lambda _p: None).run()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=5000)
    notice = kiosk.card.findChild(QWidget, "op-notice")
    assert notice.isVisible()
    assert notice.words.text() == tr("zh_CN", "backend.unavailable")
    assert notice.retry.isVisible() and notice.ask.isVisible()
