"""What a screen reader is told about the custom widgets, in the citizen's language (the walk
through the platform's accessibility bus is tests/e2e/test_screen_reader.py)."""

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from kiosk.i18n import tr


def described(widget) -> tuple[str, str]:
    """Name and description as Qt hands them to the accessibility bridge."""
    face = QAccessible.queryAccessibleInterface(widget)
    return face.text(QAccessible.Text.Name), face.text(QAccessible.Text.Description)


def test_a_chosen_tile_is_said_to_be_selected_in_the_screen_s_language(kiosk, walker):
    walker.begin("zh_CN")
    walker.open_service("report_problem")
    tile = walker.visible("choice-rubbish")
    assert described(tile) == ("垃圾没人收", "")
    walker.tap("choice-rubbish")
    assert described(tile) == (tile.text(), tr("zh_CN", "widget.button.selected"))
    assert tr("zh_CN", "widget.button.selected") != tr("en", "widget.button.selected")
    # the text-size buttons in the top bar: the one in use is selected, in Chinese too
    size = kiosk.window.sizes[kiosk.session.text_size]
    assert described(size) == (tr("zh_CN", f"nav.size.{kiosk.session.text_size}"),
                               tr("zh_CN", "widget.button.selected"))

    kiosk.set_language("en")
    QApplication.processEvents()
    tile = walker.visible("choice-rubbish")
    assert described(tile) == ("Rubbish was not collected", "Selected")
    assert described(kiosk.window.sizes[kiosk.session.text_size])[1] == "Selected"
