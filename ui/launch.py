"""Putting the kiosk together: the Qt application, the catalogue, the backend and the reader.
main.py, the tour, the tests and the benchmarks all start the kiosk through here."""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.backend.demo import DemoBackend
from kiosk.catalogue import load_catalogue
from kiosk.identity import DemoCardReader
from kiosk.settings import Settings
from ui.app import Kiosk, Voice

# Latin first so English reads in its own face; the CJK face covers Chinese. Both from Debian's
# fonts-noto-cjk (its Latin glyphs too), so the look is the same on every kiosk.
FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"]
WINDOW_SIZE = (1920, 1080)  # the reference kiosk screen: a 21.5 inch full-HD touch panel


def qt_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    available = set(QFontDatabase.families())
    font = QFont()
    font.setFamilies([f for f in FONT_FAMILIES if f in available] or FONT_FAMILIES)
    app.setFont(font)
    return app


def demo_kiosk(settings: Settings | None = None, today: date | None = None,
               voice: Voice | None = None) -> Kiosk:
    """The embedded default: demo backend, demo card reader, the shipped services."""
    qt_app()
    return Kiosk(settings or Settings(), DemoBackend(today), load_catalogue(),
                 DemoCardReader(), voice=voice, today=today)
