"""The shared widgets, checked for what a person at the kiosk notices: can they read it, hit it,
type with it, and does it stop them going wrong."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui import theme
from ui.theme import (
    BUTTON_ROLES,
    ROLES,
    TEXT_SIZES,
    THEMES,
    contrast_ratio,
    stylesheet,
    text_px,
)
from ui.widgets import BigButton, BigEntry, DatePicker, OnScreenKeyboard, big_button
from ui.widgets.big_button import longest_unbreakable
from ui.widgets.keyboard import CLEAR, DELETE, LAYOUTS, SPACE

LONG = {
    "en": "Apply for the old-age allowance and the annual pension identification check",
    "zh_CN": "申请高龄津贴和每年一次的养老金领取资格认证手续",
}


def page(*children: QWidget, width: int | None = None) -> QWidget:
    """A top-level page holding the widgets, laid out at its natural (or given) width."""
    host = QWidget()
    host.setProperty("role", "page")
    box = QVBoxLayout(host)
    box.setContentsMargins(24, 24, 24, 24)
    box.setSpacing(16)
    for child in children:
        box.addWidget(child)
    return host


def lay_out(qtbot, host: QWidget, width: int | None = None) -> QWidget:
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    w = width or max(host.sizeHint().width(), host.minimumSizeHint().width())
    host.resize(w, host.layout().totalHeightForWidth(w))
    qtbot.wait(1)
    return host


def texts_in(root: QWidget) -> list[QWidget]:
    kinds = (QLabel, QAbstractButton, QLineEdit)
    found = [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]
    return [
        w for w in found if not (isinstance(w, QLabel) and not w.text() and w.pixmap().isNull())
    ]


def assert_nothing_clipped(root: QWidget) -> None:
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        where = f"{label.text()!r} in {type(label.parent()).__name__}"
        if label.wordWrap():
            assert label.heightForWidth(label.width()) <= label.height(), where
            assert longest_unbreakable(label.text(), label.font()) <= label.width() + 2, where
        else:
            assert label.sizeHint().width() <= label.width(), where
            assert label.sizeHint().height() <= label.height(), where
        inside = QRect(0, 0, label.parentWidget().width(), label.parentWidget().height())
        assert inside.contains(label.geometry()), where


# ---- theme ----------------------------------------------------------------------------------
def test_contrast_ratio_matches_known_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_colour_pair_is_aaa(name):
    roles = THEMES[name].roles
    assert set(ROLES) <= set(roles)
    for role, (fg, bg) in roles.items():
        assert contrast_ratio(fg, bg) >= 7.0, f"{name}.{role} {fg} on {bg}"


@pytest.mark.parametrize("name", sorted(THEMES))
def test_borders_and_rings_stand_out_from_the_page(name):
    t = THEMES[name]
    page_bg = t.roles["page"][1]
    for colour in (t.edge, t.mark, t.ring):
        assert contrast_ratio(colour, page_bg) >= 7.0


def test_themes_look_as_described():
    std, hc = THEMES["standard"], THEMES["high_contrast"]
    assert theme.relative_luminance(std.roles["page"][1]) > 0.85  # warm off-white
    assert theme.relative_luminance(std.roles["body"][0]) < 0.05  # dark text
    assert hc.roles["page"][1] == "#000000"
    assert hc.roles["body"][0] in ("#FFFFFF", "#FFFF00")


@pytest.mark.parametrize(("name", "size"), list(itertools.product(sorted(THEMES), TEXT_SIZES)))
def test_stylesheet_sizes_and_selectors(name, size):
    qss = stylesheet(THEMES[name], size)
    assert f"font-size: {TEXT_SIZES[size]}px" in qss
    assert f"font-size: {round(TEXT_SIZES[size] * 1.4)}px" in qss
    for role in ROLES:
        assert f'[role="{role}"]' in qss
    for role in BUTTON_ROLES:
        assert f'QPushButton[role="{role}"]:disabled' in qss
        assert f'QPushButton[role="{role}"][focusring="true"]' in qss
    assert TEXT_SIZES["normal"] >= 28


def test_text_sizes_and_line_spacing_on_screen(qtbot, styled):
    styled("standard", "largest")
    body = QLabel("正文 Body")
    body.setProperty("role", "body")
    heading = QLabel("标题 Heading")
    heading.setProperty("role", "heading")
    _host = lay_out(qtbot, page(body, heading))
    assert body.font().pixelSize() == 42
    assert heading.font().pixelSize() == text_px("largest", "heading") == 59
    for label in (body, heading):
        metrics = QFontMetrics(label.font())
        assert metrics.lineSpacing() >= theme.LINE_SPACING * label.font().pixelSize()


# ---- roles on every text --------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_has_a_role_and_its_colours(qtbot, styled, name):
    styled(name, "largest")
    picker = DatePicker()
    keys = OnScreenKeyboard("text")
    entry = BigEntry()
    tile = BigButton("Married", role="option")
    tile.set_selected(True)
    host = lay_out(qtbot, page(BigButton("Next", role="primary"), tile, entry, keys, picker))
    roles = THEMES[name].roles
    for widget in texts_in(host):
        role = widget.property("role")
        assert role in roles, f"{type(widget).__name__} {getattr(widget, 'text', str)()!r}"
        if isinstance(widget, QLabel) and widget.isEnabled():
            fg = widget.palette().color(QPalette.ColorRole.WindowText).name().upper()
            assert fg == roles[role][0], f"{widget.text()!r} drawn in {fg}, role {role}"


# ---- BigButton ------------------------------------------------------------------------------
def test_button_activates_on_click_and_on_enter_return_space_when_focused(qtbot, styled):
    styled()
    button = BigButton("Next", role="primary")
    _host = lay_out(qtbot, page(button))
    hits = []
    button.clicked.connect(lambda: hits.append(1))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(hits) == 1
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
        qtbot.keyClick(button, key)
    assert len(hits) == 4
    button.setEnabled(False)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(hits) == 4


def test_button_is_big_enough(qtbot, styled):
    styled()
    small = BigButton("A", min_width=10, min_height=10)
    default = BigButton("OK")
    _host = lay_out(qtbot, page(small, default))
    assert small.width() >= 64 and small.height() >= 64
    assert default.height() >= 96


def test_focus_ring_shows_for_tab_not_for_a_tap_or_a_window_opening(qtbot, styled):
    styled()
    first, second = BigButton("Back"), BigButton("Next", role="primary")
    host = lay_out(qtbot, page(first, second))
    qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
    assert not second.hasFocus()  # a tap does not move the focus
    first.setFocus(Qt.FocusReason.ActiveWindowFocusReason)  # what a window opening does
    qtbot.waitUntil(first.hasFocus)
    assert first.property("focusring") is False
    assert first.label().property("state") == ""
    qtbot.keyClick(host.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(second.hasFocus)
    assert second.property("focusring") is True
    assert second.label().property("state") == "focus"
    qtbot.keyClick(second, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(first.hasFocus)
    assert first.property("focusring") is True and second.property("focusring") is False


@pytest.mark.parametrize("name", sorted(THEMES))
def test_pressed_and_disabled_looks_keep_aaa_text(qtbot, styled, name):
    styled(name, "largest")
    button = BigButton("Next", role="primary")
    _host = lay_out(qtbot, page(button))
    roles = THEMES[name].roles

    def text_colour() -> str:
        return button.label().palette().color(QPalette.ColorRole.WindowText).name().upper()

    qtbot.mousePress(button, Qt.MouseButton.LeftButton)
    assert button.label().property("state") == "pressed"
    assert text_colour() == roles["primary"][1]  # colours swap while pressed: still 7:1
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert text_colour() == roles["primary"][0]
    button.setEnabled(False)
    assert button.label().property("state") == "disabled"
    assert text_colour() == roles["disabled"][0]


def test_text_and_accessible_name_stay_in_sync(qtbot):
    button = BigButton("Continue")
    qtbot.addWidget(button)
    assert button.text() == button.accessibleName() == button.label().text() == "Continue"
    button.setText("继续")
    assert button.text() == button.accessibleName() == button.label().text() == "继续"


def test_selected_tile_has_a_check_mark_and_thick_border_not_just_colour(qtbot, styled):
    styled()
    tile = BigButton("Married", role="option")
    other = BigButton("Single", role="option")
    _host = lay_out(qtbot, page(tile, other))
    left_before = tile.label().geometry().left()
    tile.set_selected(True)
    tile.retranslate("en")
    qtbot.wait(1)
    assert tile.is_selected() and tile.property("selected") is True
    assert tile.property("role") == "option_selected"
    marks = [w for w in tile.findChildren(QLabel) if w.text() == "✓"]
    assert marks and marks[0].isVisible()
    assert tile.accessibleDescription() == "Selected"
    assert tile.label().geometry().left() == left_before  # the words do not jump
    tile.retranslate("zh_CN")
    assert tile.accessibleDescription() == "已选择"
    tile.set_selected(False)
    assert tile.property("role") == "option" and not marks[0].isVisible()
    assert tile.accessibleDescription() == ""


def test_missing_icon_is_no_icon_and_a_real_one_shows(qtbot, styled, tmp_path, monkeypatch):
    styled()
    missing = BigButton("Help", icon="no-such-icon")
    assert not missing.has_icon()
    (tmp_path / "star.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10" fill="black"/></svg>'
    )
    (tmp_path / "broken.svg").write_text("not svg at all")
    monkeypatch.setattr(big_button, "ICON_DIR", tmp_path)
    shown = BigButton("Star", icon="star")
    broken = BigButton("Broken", icon="broken")
    _host = lay_out(qtbot, page(missing, shown, broken))
    assert shown.has_icon() and not broken.has_icon()
    assert_nothing_clipped(shown)


@pytest.mark.parametrize("icon", [False, True])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", sorted(THEMES))
def test_long_label_wraps_inside_a_400px_button_at_largest_size(
    qtbot, styled, tmp_path, monkeypatch, lang, name, icon
):
    styled(name, "largest")
    (tmp_path / "star.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<circle cx="5" cy="5" r="4" fill="black"/></svg>'
    )
    monkeypatch.setattr(big_button, "ICON_DIR", tmp_path)
    button = BigButton(LONG[lang], role="secondary" if icon else "option")
    if icon:
        assert button.set_icon("star")
    else:
        button.set_selected(True)
    host = page(button)
    host.layout().addStretch(1)
    width = 480 if icon else 400  # an icon beside "identification" needs a little more
    _host = lay_out(qtbot, host, width=width + 48)
    assert button.width() == width
    label = button.label()
    line = QFontMetrics(label.font()).lineSpacing()
    assert label.height() >= 3 * line  # it really wrapped
    assert label.heightForWidth(label.width()) <= label.height()
    assert QRect(0, 0, button.width(), button.height()).contains(label.geometry())
    assert_nothing_clipped(host)


def test_short_label_and_icon_are_centred_together(qtbot, styled, tmp_path, monkeypatch):
    styled("standard", "largest")
    (tmp_path / "star.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<circle cx="5" cy="5" r="4" fill="black"/></svg>'
    )
    monkeypatch.setattr(big_button, "ICON_DIR", tmp_path)
    button = BigButton("Next", role="primary", icon="star")
    _host = lay_out(qtbot, page(button), width=800)
    icon = next(w for w in button.findChildren(QLabel) if not w.pixmap().isNull())
    left_gap = icon.geometry().left()
    right_gap = button.width() - button.label().geometry().right()
    assert abs(left_gap - right_gap) <= 4
    assert_nothing_clipped(button)


# ---- keyboard and entry ---------------------------------------------------------------------
def keyboard_page(qtbot, layout="text", lang="en", tab=None, writing=None):
    entry = BigEntry()
    keys = OnScreenKeyboard(layout, writing=writing)
    keys.retranslate(lang)
    if tab is not None:
        keys.show_tab(tab)
    entry.attach(keys)
    keys.host = lay_out(qtbot, page(entry, keys))  # pytest-qt holds widgets weakly
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    return entry, keys


def tap(qtbot, keys, *tokens):
    for token in tokens:
        qtbot.mouseClick(keys.key(token), Qt.MouseButton.LeftButton)


def test_tapping_keys_types_into_the_entry(qtbot, styled):
    styled()
    entry, keys = keyboard_page(qtbot)
    tap(qtbot, keys, "L", "I", SPACE, "W", "E", "I", "-", "1")
    assert entry.text() == "LI WEI-1"
    assert entry.hasFocus()  # tapping a key leaves the cursor in the entry


def test_delete_and_clear_all(qtbot, styled):
    styled()
    entry, keys = keyboard_page(qtbot, "id")
    tap(qtbot, keys, "1", "1", "0", "X")
    tap(qtbot, keys, DELETE)
    assert entry.text() == "110"
    entry.setCursorPosition(1)
    tap(qtbot, keys, DELETE)
    assert entry.text() == "10"  # deletes before the cursor, like Backspace
    tap(qtbot, keys, CLEAR)
    assert entry.text() == ""
    tap(qtbot, keys, DELETE)  # nothing to delete: nothing happens
    assert entry.text() == ""


def test_physical_keyboard_still_types(qtbot, styled):
    styled()
    entry, keys = keyboard_page(qtbot)
    qtbot.keyClicks(entry, "Wang Fang")
    tap(qtbot, keys, "2")
    qtbot.keyClick(entry, Qt.Key.Key_Backspace)
    qtbot.keyClick(entry, Qt.Key.Key_Left)
    qtbot.keyClicks(entry, "X")
    assert entry.text() == "Wang FanXg"
    with qtbot.waitSignal(entry.returnPressed, timeout=1000):
        qtbot.keyClick(entry, Qt.Key.Key_Return)


def test_entry_can_move_to_another_keyboard(qtbot, styled):
    styled()
    entry, first = keyboard_page(qtbot, "digits")
    second = OnScreenKeyboard("digits")
    entry.attach(second)
    first.key("1").click()
    second.key("2").click()
    assert entry.text() == "2" and entry.keyboard() is second
    entry.detach()
    second.key("3").click()
    assert entry.text() == "2"


def test_keyboard_signals(qtbot):
    keys = OnScreenKeyboard("text")
    qtbot.addWidget(keys)
    with qtbot.waitSignal(keys.typed) as typed:
        keys.key(SPACE).click()
    assert typed.args == [" "]
    with qtbot.waitSignal(keys.backspace):
        keys.key(DELETE).click()
    with qtbot.waitSignal(keys.cleared):
        keys.key(CLEAR).click()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_key_is_a_big_target_with_gaps(qtbot, styled, layout, lang):
    styled("standard", "largest")
    # Chinese starts on handwriting: these are the letter keys
    _entry, keys = keyboard_page(qtbot, layout, lang, tab="letters" if layout == "text" else None)
    buttons = keys.keys()
    assert len(buttons) == len(LAYOUTS[layout])
    for button in buttons:
        assert button.width() >= 64 and button.height() >= 64, button.text()
        if layout in ("digits", "id", "decimal"):
            assert button.width() >= 120 and button.height() >= 96, button.text()
    for a, b in itertools.combinations(buttons, 2):
        grown = a.geometry().adjusted(-8, -8, 8, 8)
        assert not grown.intersects(b.geometry().adjusted(-7, -7, 7, 7)), (a.text(), b.text())
    assert_nothing_clipped(keys)


def test_layouts_have_what_they_promise():
    def chars(name):
        return {k.token for k in LAYOUTS[name]}

    letters = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    digits = set("0123456789")
    assert letters | digits | {SPACE, DELETE, CLEAR} <= chars("text")
    assert chars("alnum") == letters | digits | {DELETE, CLEAR}
    assert chars("digits") == digits | {DELETE, CLEAR}
    assert chars("id") == digits | {"X", DELETE, CLEAR}
    assert chars("decimal") == digits | {".", DELETE, CLEAR}


def test_keys_are_named_for_screen_readers_and_switch_language(qtbot):
    keys = OnScreenKeyboard("text")
    qtbot.addWidget(keys)
    keys.retranslate("en")
    assert keys.key(DELETE).accessibleName() == "Delete"
    assert keys.key(CLEAR).accessibleName() == "Clear all"
    assert keys.key(SPACE).accessibleName() == "Space"
    assert keys.key("-").accessibleName() == "Hyphen"
    assert keys.key("A").accessibleName() == "A"
    keys.retranslate("zh_CN")
    assert keys.key(DELETE).text() == keys.key(DELETE).accessibleName() == "删除"
    assert keys.key(CLEAR).accessibleName() == "清空"
    keys.set_layout("digits")
    assert keys.layout_name() == "digits"
    assert keys.key(DELETE).accessibleName() == "删除"  # new keys come in the current language
    with pytest.raises(ValueError):
        keys.set_layout("klingon")


def test_keys_work_with_tab_and_enter(qtbot, styled):
    styled()
    _entry, keys = keyboard_page(qtbot, "digits")
    typed = []
    keys.typed.connect(typed.append)
    keys.key("5").setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(keys.key("5").hasFocus)
    qtbot.keyClick(keys.key("5"), Qt.Key.Key_Return)
    assert typed == ["5"]


# ---- date picker: a calendar ---------------------------------------------------------------
def picker_page(qtbot, lang="en", first=date(1920, 1, 1), last=date(2030, 12, 31)):
    picker = DatePicker()
    picker.set_range(first, last)
    picker.retranslate(lang)
    picker.host = lay_out(qtbot, page(picker))  # pytest-qt holds widgets weakly
    return picker


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_december_turns_to_january_of_the_next_year(qtbot, styled):
    """The old spinner's "month +" was disabled in December; the calendar turns the page."""
    styled()
    picker = picker_page(qtbot, first=date(2026, 12, 20), last=date(2027, 1, 19))
    picker.set_value(date(2026, 12, 20))
    assert picker.page() == (2026, 12)
    assert picker.next.isEnabled() and not picker.previous.isEnabled()
    assert picker.next.text() == "January ›"
    with qtbot.waitSignal(picker.page_changed):
        click(qtbot, picker.next)
    assert picker.page() == (2027, 1)
    assert picker.month.text() == "January 2027"
    assert not picker.next.isEnabled()  # no day after 19 January can be chosen
    with qtbot.waitSignal(picker.changed) as changed:
        click(qtbot, picker.day_button(date(2027, 1, 4)))
    assert changed.args == [date(2027, 1, 4)]
    assert picker.value() == date(2027, 1, 4)
    assert picker.day_button(date(2027, 1, 4)).is_selected()
    assert picker.full.text() == "Chosen: Monday 4 January 2027"
    late = picker.day_button(date(2027, 1, 20))  # in the week of the last day, after it
    assert late.isVisible() and not late.isEnabled()
    click(qtbot, late)
    assert picker.value() == date(2027, 1, 4)  # not tappable
    assert late.accessibleName() == "Wednesday 20 January 2027, cannot be chosen"
    click(qtbot, picker.previous)
    assert picker.page() == (2026, 12)


def test_days_outside_the_range_cannot_be_tapped(qtbot, styled):
    styled()
    picker = picker_page(qtbot, "zh_CN", first=date(2026, 11, 24), last=date(2026, 12, 7))
    picker.set_value(date(2026, 11, 24))
    shown = {int(b.text()): b for b in picker.days if b.isVisible()}
    assert sorted(shown) == list(range(23, 31))  # the week of the 24th, and the next
    assert not shown[23].isEnabled()
    click(qtbot, shown[23])
    assert picker.value() == date(2026, 11, 24)
    click(qtbot, shown[30])
    assert picker.value() == date(2026, 11, 30)
    assert picker.full.text() == "您选的是：2026年11月30日 星期一"
    assert [w.text() for w in picker.weekdays] == ["周一", "周二", "周三", "周四", "周五", "周六",
                                                   "周日"]
    assert picker.month.text() == "2026年11月"
    assert picker.previous_year.isHidden()  # a two-week range needs no year arrows


def test_a_value_outside_the_range_is_clamped_and_shown(qtbot):
    picker = picker_page(qtbot, first=date(2026, 11, 1), last=date(2026, 12, 31))
    picker.set_value(date(1999, 1, 1))
    assert picker.value() == date(2026, 11, 1)
    assert picker.page() == (2026, 11)
    picker.set_value(date(2030, 1, 1))
    assert (picker.value(), picker.page()) == (date(2026, 12, 31), (2026, 12))


def test_years_for_birth_dates(qtbot):
    picker = picker_page(qtbot, first=date(1920, 1, 1), last=date(2026, 11, 23))
    picker.set_value(date(2026, 11, 23))
    assert picker.next_year.isVisible() and not picker.next_year.isEnabled()
    for _ in range(70):
        click(qtbot, picker.previous_year)
    assert picker.page() == (1956, 11)
    assert sum(b.isVisible() for b in picker.days) == 30  # a whole month, every day allowed
    click(qtbot, picker.day_button(date(1956, 11, 5)))
    assert picker.value() == date(1956, 11, 5)
    assert picker.previous_year.accessibleName() == "Previous year"


def test_picker_works_with_tab_and_enter(qtbot, styled):
    styled()
    picker = picker_page(qtbot)
    picker.set_value(date(2000, 5, 5))
    button = picker.day_button(date(2000, 5, 6))
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert picker.value() == date(2000, 5, 6)


def test_empty_range_is_refused():
    with pytest.raises(ValueError):
        DatePicker().set_range(date(2026, 1, 2), date(2026, 1, 1))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", sorted(THEMES))
def test_picker_fits_its_text_at_largest_size(qtbot, styled, lang, name):
    styled(name, "largest")
    picker = picker_page(qtbot, lang)
    picker.set_value(date(2026, 9, 30))  # Wednesday, September: the longest names
    qtbot.wait(1)
    picker.window().resize(
        picker.window().width(), picker.window().heightForWidth(picker.window().width())
    )
    qtbot.wait(1)
    assert_nothing_clipped(picker)
    buttons = [b for b in (*picker.days, picker.previous, picker.next, picker.previous_year,
                           picker.next_year) if b.isVisible()]
    assert len(buttons) == 30 + 4
    for button in buttons:
        assert button.width() >= 64 and button.height() >= 64
