"""Reusable widgets sized and coloured for elderly users at a touch screen.

Every widget that shows text carries a `role` property (a colour pair of ui.theme) and has
`retranslate(lang)`; every control has an accessible name and works with Tab and Enter.
"""

from ui.widgets.big_button import BigButton
from ui.widgets.date_picker import DatePicker
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard

__all__ = ["BigButton", "BigEntry", "DatePicker", "OnScreenKeyboard"]
