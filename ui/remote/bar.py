"""The remote help's own strip under the top bar: who is helping and from where, the
citizen's "Let <clerk> see my details" and one large "End help"; under them, one line for the
clerk's last words (its room kept, so words arriving move nothing). While a voice call is
live the same row says so in large words, with a hang-up button in place of the details
button: the strip never grows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label
from ui.theme import text_px
from ui.widgets.big_button import BigButton

PLAIN = "border: none; padding: 0px;"  # the strip is the box; its words need none of their own


class RemoteBar(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("remote-bar")
        self.setProperty("role", "banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 10, 24, 10)
        box.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(20)
        self.who = label("banner")
        self.who.setObjectName("remote-who")
        self.who.setStyleSheet(PLAIN)
        self.on_call = label("banner")  # large: nobody misses that a call is on
        self.on_call.setObjectName("remote-on-call")
        self.on_call.setStyleSheet(PLAIN)
        self.on_call.hide()
        self.details = BigButton(role="secondary", icon="person")
        self.details.setObjectName("remote-details")
        self.hang_up = BigButton(role="primary", icon="phone")
        self.hang_up.setObjectName("remote-hang-up")
        self.hang_up.hide()
        self.end = BigButton(role="primary", icon="no")
        self.end.setObjectName("remote-end")
        row.addWidget(self.who, 1)
        row.addWidget(self.on_call, 1)
        row.addWidget(self.details)
        row.addWidget(self.hang_up)
        row.addWidget(self.end)
        box.addLayout(row)
        self.words = label("banner", wrap=False)
        self.words.setObjectName("remote-words")
        self.words.setStyleSheet(PLAIN)
        box.addWidget(self.words)
        self.hide()

    def retranslate(self, lang: str, size: str, clerk: str, desk: str, personal: bool,
                    call_live: bool) -> None:
        self.on_call.setStyleSheet(f"{PLAIN} font-weight: bold; "
                                   f"font-size: {text_px(size, 'heading')}px;")
        self.who.setText(tr(lang, "remote.bar", clerk=clerk, desk=desk))
        self.details.setText(tr(lang, "remote.details_hide" if personal
                                else "remote.details_show", clerk=clerk))
        self.details.set_selected(personal)
        self.end.setText(tr(lang, "remote.end"))
        self.on_call.setText(tr(lang, "remote.on_call", clerk=clerk))
        self.hang_up.setText(tr(lang, "remote.hang_up"))
        for widget, shown in ((self.who, not call_live), (self.details, not call_live),
                              (self.on_call, call_live), (self.hang_up, call_live)):
            widget.setVisible(shown)

    def show_words(self, text: str) -> None:
        """One line: a long sentence is cut with "…" here (it is said whole, and the
        captions show it whole)."""
        metrics = self.words.fontMetrics()
        width = max(200, self.width() - 48)
        self.words.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
        self.words.setAccessibleName(text)
