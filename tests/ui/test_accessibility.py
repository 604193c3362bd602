"""Every screen of every service, at the largest text size, in both languages and both themes:
no text clipped or pushed off the screen, every touch target at least 64 x 64 px with gaps,
and every text at least 7:1 against its background (WCAG AAA), computed from the theme."""

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QLineEdit, QWidget

from kiosk.speech.player import Player
from kiosk.speech.service import SpeechService
from ui.theme import MIN_TARGET, THEMES, contrast_ratio
from ui.tour import visit_every_screen
from ui.voice import QtVoice

MIN_GAP = 12  # px between two touch targets (the layouts use 16; rounding and borders eat some)


def role_of(widget):
    while widget is not None:
        role = widget.property("role")
        if role:
            return role
        widget = widget.parentWidget()
    return None


def in_window(widget, window):
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def touchable(widget, window):
    """The part of a button a finger can reach: not what is scrolled out of view."""
    visible = widget.visibleRegion().boundingRect()
    return QRect(widget.mapTo(window, visible.topLeft()), visible.size())


def scrolled(widget):
    """Inside a scroll area: text below the fold is reached by scrolling, not cut off."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems_on_screen(kiosk, theme_name):
    window = kiosk.window
    theme = THEMES[theme_name]
    found = []
    # the timeout warning covers the whole window: what lies under it cannot be touched
    top = kiosk.idle.warning if kiosk.idle.warning_shown else window
    visible = [w for w in top.findChildren(QWidget) if w.isVisible()]
    for widget in visible:
        where = f"{type(widget).__name__}({widget.objectName() or ''})"
        text = widget.text() if isinstance(widget, QLabel | QLineEdit) else ""
        if text:
            role = role_of(widget)
            if role not in theme.roles:
                found.append(f"{where} {text[:30]!r} has no colour role")
            else:
                fg, bg = theme.roles[role]
                if contrast_ratio(fg, bg) < 7:
                    found.append(f"{where} role {role} contrast {contrast_ratio(fg, bg):.1f}")
                if isinstance(widget, QLabel) and role not in ("focus", "disabled"):
                    painted = widget.palette().color(QPalette.ColorRole.WindowText).name()
                    shown_role = widget.parentWidget().property("shown_role") \
                        if isinstance(widget.parentWidget(), QAbstractButton) else None
                    expected = {theme.roles[r][0].lower() for r in (role, shown_role) if r}
                    expected |= {theme.roles[r][0].lower() for r in ("focus", "disabled")}
                    if painted.lower() not in expected:
                        found.append(f"{where} {text[:20]!r} painted {painted}, not role {role}")
        if isinstance(widget, QLabel) and text:
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height() + 1:
                    found.append(f"{where} {text[:30]!r} needs {need}px, has {widget.height()}")
            elif widget.sizeHint().width() > widget.width() + 1:
                found.append(f"{where} {text[:30]!r} needs {widget.sizeHint().width()}px wide, "
                             f"has {widget.width()}")
            rect = in_window(widget, window)
            if rect.right() > window.width() or (rect.bottom() > window.height()
                                                 and not scrolled(widget)):
                found.append(f"{where} {text[:30]!r} runs off the screen at {rect}")
        if isinstance(widget, QAbstractButton | QLineEdit) and (
                widget.width() < MIN_TARGET or widget.height() < MIN_TARGET):
            found.append(f"{where} {text[:20]!r} is only {widget.width()}x{widget.height()}")
    targets = [(w, touchable(w, window)) for w in visible if isinstance(w, QAbstractButton)]
    targets = [(w, rect) for w, rect in targets if not rect.isEmpty()]
    for i, (a, ra) in enumerate(targets):
        for b, rb in targets[i + 1:]:
            if ra.adjusted(-MIN_GAP // 2, -MIN_GAP // 2, MIN_GAP // 2, MIN_GAP // 2).intersects(
                    rb.adjusted(-MIN_GAP // 2, -MIN_GAP // 2, MIN_GAP // 2, MIN_GAP // 2)):
                found.append(f"{a.objectName()} and {b.objectName()} are less than "
                             f"{MIN_GAP}px apart")
    return found


# Layout does not depend on the theme, so the high-contrast theme is walked once, in English
# (the longer texts); every theme's colour pairs are also checked on their own in test_widgets.
@pytest.mark.parametrize(("lang", "theme_name"), [
    ("zh_CN", "standard"), ("en", "standard"), ("en", "high_contrast")])
def test_every_screen_is_readable_and_touchable(make_kiosk, lang, theme_name):
    voice = QtVoice(SpeechService(player=Player(None)))  # so the sound screen is walked too
    kiosk = make_kiosk(voice=voice, default_text_size="largest", theme=theme_name,
                       speak_on_open=False, headset_fitted=True)
    report = {}
    screens = []

    def check(name):
        screens.append(name)
        problems = problems_on_screen(kiosk, theme_name)
        if problems:
            report[name] = problems

    visit_every_screen(kiosk, lang, "largest", check)
    voice.close()
    assert "sound" in screens and len(screens) >= 50
    assert report == {}
