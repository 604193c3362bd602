"""Qt runs headless in tests; set before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from ui.theme import THEMES, stylesheet


@pytest.fixture
def styled(qapp):
    """Apply the kiosk stylesheet: `styled("high_contrast", "largest")`. Reset afterwards."""

    def apply(theme: str = "standard", size: str = "largest") -> None:
        qapp.setStyleSheet(stylesheet(THEMES[theme], size))

    yield apply
    qapp.setStyleSheet("")
