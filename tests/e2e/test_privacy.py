"""A shared machine forgets: after Finish and after an idle timeout, nothing personal is left in
any widget (text, accessible name, undo history) or in the journey."""

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from kiosk.backend.demo_data import CITIZENS
from kiosk.formatting import phone
from tests.conftest import ELDEST

TYPED = ["13987654321", "139 8765 4321"]


def personal_strings():
    found = list(TYPED)
    for id_number, name, _birth, address, e164 in CITIZENS:
        found += [id_number, name, address, e164, e164[3:], phone(e164)]
    return [s for s in found if len(s) >= 2]


def everything_shown(window):
    texts = []
    for widget in window.findChildren(QWidget):
        texts += [widget.accessibleName(), widget.toolTip()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
    return "\n".join(t for t in texts if t)


def undo_left(window):
    """Ctrl+Z on a helper's keyboard must not bring back the last citizen's typing."""
    return [w.objectName() for w in window.findChildren(QLineEdit) if w.isUndoAvailable()]


def leftovers(kiosk):
    shown = everything_shown(kiosk.window)
    return [s for s in personal_strings() if s in shown and (not s.isdigit() or len(s) > 4)]


def assert_forgotten(kiosk, journey):
    assert kiosk.current() is kiosk.attract
    assert kiosk.session.citizen is None and kiosk.session.journey is None
    assert journey.answers == {} and journey.lookups == {} and journey.citizen is None
    assert journey.result is None
    assert leftovers(kiosk) == []
    assert undo_left(kiosk.window) == []


def start_allowance(walker, kiosk):
    walker.begin("zh_CN")
    walker.complete("senior_allowance", card=ELDEST,
                    answers={"lives_alone": True, "emergency_phone": "13987654321"},
                    submit=False)
    journey = kiosk.session.journey
    assert leftovers(kiosk), "the test must see personal data on screen before the wipe"
    return journey


def test_finish_wipes_everything(kiosk, walker):
    journey = start_allowance(walker, kiosk)
    walker.tap("next")  # send it
    walker.tap("print")
    walker.tap("next")  # finish
    assert kiosk.current() is kiosk.rating  # "How was it?" asks with everything already gone
    assert kiosk.session.citizen is None and kiosk.session.journey is None
    assert leftovers(kiosk) == [] and undo_left(kiosk.window) == []
    walker.tap("next")
    assert_forgotten(kiosk, journey)


def test_typed_id_number_cannot_be_brought_back_after_finish(kiosk, walker):
    walker.begin("en")
    walker.open_service("insurance_balance")
    walker.identify_by_code(ELDEST)
    walker.finish()
    assert kiosk.current() is kiosk.attract
    assert leftovers(kiosk) == []
    assert undo_left(kiosk.window) == []


def test_timeout_warns_then_wipes(make_kiosk, qtbot):
    from ui.walker import Walker

    kiosk = make_kiosk(idle_warning_s=0.5)
    walker = Walker(kiosk)
    journey = start_allowance(walker, kiosk)
    kiosk.idle.set_timeout(0.3)  # the citizen walks away now
    qtbot.waitUntil(lambda: kiosk.idle.warning_shown, timeout=3000)
    assert kiosk.idle.warning.more.isVisible()
    assert "秒" in kiosk.idle.warning.countdown.text()
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.attract, timeout=3000)
    assert not kiosk.idle.warning_shown
    assert_forgotten(kiosk, journey)


def test_more_time_keeps_the_answers(make_kiosk, qtbot):
    from ui.walker import Walker

    kiosk = make_kiosk(idle_warning_s=30)
    walker = Walker(kiosk)
    journey = start_allowance(walker, kiosk)
    kiosk.idle.set_timeout(0.3)
    qtbot.waitUntil(lambda: kiosk.idle.warning_shown, timeout=3000)
    walker.tap("more-time")
    assert not kiosk.idle.warning_shown
    assert kiosk.current() is kiosk.review
    assert journey.answers["emergency_phone"] == "+8613987654321"
