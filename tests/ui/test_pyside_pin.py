"""PySide6 6.12.0 lost a reference to None on each super() call from a Python event override,
and the kiosk aborted ("deallocating None") after a few hundred text-size or theme changes."""

import sys

from PySide6.QtWidgets import QLabel, QWidget


class _Label(QLabel):
    def changeEvent(self, event):
        super().changeEvent(event)


def test_style_changes_do_not_eat_references_to_none(qapp):
    # styled through a parent, not the application: the same calls into Python overrides,
    # without restyling every other widget alive in the test run
    parent = QWidget()
    labels = [_Label("x", parent) for _ in range(20)]
    before = sys.getrefcount(None)
    for i in range(50):
        parent.setStyleSheet(f"QLabel {{ font-size: {20 + i % 3}px }}")
    assert sys.getrefcount(None) - before > -100, "Qt bindings are dropping references to None"
    del labels
