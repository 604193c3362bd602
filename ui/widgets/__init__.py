"""Reusable widgets sized and coloured for elderly users at a touch screen.

Every widget that shows text carries a `role` property (a colour pair of ui.theme) and has
`retranslate(lang)`; every control has an accessible name and works with Tab and Enter.
"""

import importlib

# Each imported when first asked for: the welcome screen needs only the big button, not the
# keyboard, date picker and entry (and what they load) before main.py's first frame.
_MODULES = {"BigButton": "big_button", "BigEntry": "entry", "DatePicker": "date_picker",
            "OnScreenKeyboard": "keyboard"}

__all__ = ["BigButton", "BigEntry", "DatePicker", "OnScreenKeyboard"]


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
