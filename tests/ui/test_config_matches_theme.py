"""The admin's settings offer exactly the text sizes and themes the UI can draw: kiosk/config.py
keeps its own copy of the names (the core imports no ui), so this checks the copy."""

from kiosk import config
from ui import theme


def test_the_settings_offer_the_text_sizes_the_ui_has_in_the_same_order():
    assert tuple(theme.TEXT_SIZES) == config.TEXT_SIZES


def test_the_settings_offer_the_themes_the_ui_has_in_the_same_order():
    assert tuple(theme.THEMES) == config.THEMES
