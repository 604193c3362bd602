"""A touch or a key anywhere on the kiosk keeps the visit alive. Sent the way a touch screen
and a keyboard send them: to the window (QWindow), before any widget sees them."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def test_a_touch_or_a_key_on_the_window_restarts_the_quiet_spell(kiosk, walker):
    walker.begin("en")
    handle = kiosk.window.windowHandle()
    assert handle is not None
    kiosk.idle.quiet.stop()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(5, kiosk.window.height() // 2))
    assert kiosk.idle.quiet.isActive()
    kiosk.idle.quiet.stop()
    QTest.keyClick(handle, Qt.Key.Key_Shift)
    assert kiosk.idle.quiet.isActive()


def test_nothing_is_watched_once_the_kiosk_stops(kiosk, walker):
    walker.begin("en")
    kiosk.idle.stop()
    QTest.mouseClick(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(5, kiosk.window.height() // 2))
    assert not kiosk.idle.quiet.isActive()
