"""What a screen reader is told about the custom widgets, in the citizen's language (the walk
through the platform's accessibility bus is tests/e2e/test_screen_reader.py)."""


from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.i18n import _messages, tr
from ui.tour import visit_every_screen


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



CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit)


def english_words(kiosk) -> set[str]:
    """Every English text the kiosk has: its messages and its services' words."""
    words = {text for text in _messages("en").values() if not text.startswith("{")}
    for service in kiosk.catalogue.services:
        words.add(service.title.get("en"))
        for step in service.steps:
            words.update(t.get("en") for t in (step.title, step.label) if t)
            words.update(option.label.get("en") for option in step.options)
    return words


def test_every_control_on_every_screen_has_a_name_in_the_citizen_s_language(make_kiosk):
    """A screen reader or a switch device says each control's accessible name: on every
    screen of every service none may be empty, nor English words left on a Chinese screen."""
    kiosk = make_kiosk(speak_on_open=False)
    english = english_words(kiosk)
    problems: dict[str, list[str]] = {}
    screens = []

    def look(screen: str) -> None:
        screens.append(screen)
        top = kiosk.idle.warning if kiosk.idle.warning_shown else kiosk.window
        for widget in top.findChildren(QWidget):
            if widget.isVisible() and isinstance(widget, CONTROLS):
                name, description = described(widget)
                where = f"{type(widget).__name__}({widget.objectName()})"
                if not name.strip():
                    problems.setdefault(screen, []).append(f"{where} has no name")
                for said in (name, description):
                    if said in english:
                        problems.setdefault(screen, []).append(f"{where} says {said!r}")

    visit_every_screen(kiosk, "zh_CN", "normal", look)
    assert len(screens) >= 50
    assert problems == {}
