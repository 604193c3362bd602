"""Small helpers shared by the widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

POLISHED = Qt.WidgetAttribute.WA_WState_Polished


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the stylesheet selects on, and re-apply the stylesheet.

    Qt does not re-evaluate `[prop="..."]` selectors by itself when a property changes. A
    widget not polished yet (still being built) is styled by it once, when first shown.
    """
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Apply the stylesheet again, to a widget that has been styled (polished) already."""
    if not widget.testAttribute(POLISHED):
        return
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
