"""The remote help's own strip under the top bar: who is helping and from where, the clerk's
last words, the citizen's "Let <clerk> see my details" and one large "End help"; while a voice
call is live, a large "on a call" state with a hang-up button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.screens.base import label
from ui.widgets.big_button import BigButton


class RemoteBar(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("remote-bar")
        self.setProperty("role", "banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 12, 24, 12)
        box.setSpacing(8)
        row = QHBoxLayout()
        row.setSpacing(20)
        self.who = label("banner")
        self.who.setObjectName("remote-who")
        self.details = BigButton(role="secondary", icon="person")
        self.details.setObjectName("remote-details")
        self.end = BigButton(role="primary", icon="no", min_height=96)
        self.end.setObjectName("remote-end")
        row.addWidget(self.who, 1)
        row.addWidget(self.details)
        row.addWidget(self.end)
        box.addLayout(row)
        self.call = QWidget()  # the voice call, large: nobody misses that a call is on
        call_row = QHBoxLayout(self.call)
        call_row.setContentsMargins(0, 0, 0, 0)
        call_row.setSpacing(20)
        self.on_call = label("heading")
        self.on_call.setObjectName("remote-on-call")
        self.hang_up = BigButton(role="primary", icon="no", min_height=96)
        self.hang_up.setObjectName("remote-hang-up")
        call_row.addWidget(self.on_call, 1)
        call_row.addWidget(self.hang_up)
        self.call.hide()
        box.addWidget(self.call)
        # the clerk's words: their room is kept from the start, so they move nothing
        self.words = label("banner")
        self.words.setObjectName("remote-words")
        box.addWidget(self.words)
        self.hide()

    def retranslate(self, lang: str, clerk: str, desk: str, personal: bool,
                    call_live: bool) -> None:
        self.who.setText(tr(lang, "remote.bar", clerk=clerk, desk=desk))
        self.details.setText(tr(lang, "remote.details_hide" if personal
                                else "remote.details_show", clerk=clerk))
        self.details.set_selected(personal)
        self.end.setText(tr(lang, "remote.end"))
        self.on_call.setText("📞  " + tr(lang, "remote.on_call", clerk=clerk))
        self.hang_up.setText(tr(lang, "remote.hang_up"))
        self.call.setVisible(call_live)

    def show_words(self, text: str) -> None:
        self.words.setText(text)
