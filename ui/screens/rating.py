"""How was it? After a task, five large faces (each with its words) and, once one is chosen, a
few short phrases to add. Nothing here is required: Finish (or walking away) ends the visit.

The kiosk has already forgotten the citizen when this screen opens; a rating is anonymous and
belongs to the task just ended (ui/usage_tracking.py records it).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.usage import COMMENT_KEYS
from kiosk.usage_stats import SCORES  # very bad .. very good
from ui import theme
from ui.screens.base import Nav, Screen, label
from ui.widgets._style import set_style_property
from ui.widgets.big_button import CHECK_MARK, ICON_DIR, QUIET_FOCUS, BigButton, IconLabel

FACE_LINES = 2.0  # a face is this many text lines high: it grows with the text size
PHRASE_COLUMNS = 2


class FaceButton(QPushButton):
    """One large face with its words under it, as a choice tile: chosen shows a thick border
    and a check mark (never colour alone). Single tap; Return, Enter or Space when focused."""

    def __init__(self, score: int) -> None:
        super().__init__()
        self.score = score
        self.setObjectName(f"face-{score}")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._chosen = False
        self._text = ""
        self._ring = False
        self.face = IconLabel(lines=FACE_LINES)
        self.face.load(ICON_DIR / f"face_{score}.svg")
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QVBoxLayout(self)
        edge = theme.FRAME + theme.PADDING_V
        box.setContentsMargins(edge, edge + 8, edge, edge)
        box.setSpacing(8)
        box.addWidget(self.face, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.words)
        self.pressed.connect(self._sync_state)
        self.released.connect(self._sync_state)
        self._apply_role()

    def set_words(self, text: str) -> None:
        self._text = text
        self.words.setText(f"{CHECK_MARK} {text}" if self._chosen else text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def text(self) -> str:
        return self.words.text()

    def set_chosen(self, chosen: bool) -> None:
        self._chosen = chosen
        self._apply_role()
        self.set_words(self._text)

    def is_chosen(self) -> bool:
        return self._chosen

    def _apply_role(self) -> None:
        role = "option_selected" if self._chosen else "option"
        self.setProperty("selected", self._chosen)
        for widget in (self, self.face, self.words):
            widget.setProperty("role", role)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._sync_state()

    def _sync_state(self) -> None:
        ring = self.hasFocus() and self._ring
        set_style_property(self, "focusring", ring)
        state = "pressed" if self.isDown() else "focus" if ring else ""
        for part in (self.face, self.words):
            set_style_property(part, "state", state)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._ring = event.reason() not in QUIET_FOCUS  # Tab shows a ring; a tap does not
        self._sync_state()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._ring = False
        self._sync_state()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)

    # the layout decides the size: a QPushButton would size itself by its (empty) own text
    def sizeHint(self) -> QSize:
        return self.layout().totalSizeHint().expandedTo(QSize(theme.MIN_TARGET, theme.MIN_TARGET))

    def minimumSizeHint(self) -> QSize:
        return self.layout().totalMinimumSize().expandedTo(
            QSize(theme.MIN_TARGET, theme.MIN_TARGET))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(theme.MIN_TARGET, self.layout().totalHeightForWidth(width))


class RatingScreen(Screen):
    chosen = Signal(int, object)  # (score 1..5, comment key or None), at every change

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.score: int | None = None
        self.comment: str | None = None
        self.heading = label("heading")
        self.heading.setObjectName("rating-question")
        self.hint = label("hint")
        self.thanks = label("ok")  # in their place once a face is chosen: room for the phrases
        self.thanks.setObjectName("rating-thanks")
        for widget in (self.heading, self.hint, self.thanks):
            self.box.addWidget(widget)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.faces: dict[int, FaceButton] = {}
        for score in SCORES:
            face = FaceButton(score)
            face.clicked.connect(lambda _=False, s=score: self.choose(s))
            self.faces[score] = face
            row.addWidget(face, 1)
        self.box.addLayout(row)
        self.more = QWidget()  # the phrases, once a face is chosen
        self.more.setProperty("role", "page")
        grid = QGridLayout(self.more)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(24)
        self.phrases: dict[str, BigButton] = {}
        for i, key in enumerate(COMMENT_KEYS):
            button = BigButton(role="option")
            button.setObjectName(f"comment-{key.rpartition('.')[2]}")
            button.clicked.connect(lambda _=False, k=key: self.choose_comment(k))
            self.phrases[key] = button
            grid.addWidget(button, i // PHRASE_COLUMNS, i % PHRASE_COLUMNS)
        self.box.addWidget(self.more)
        self.box.addStretch(1)
        self._show_choice()

    def nav(self) -> Nav:
        return Nav(back=False, next_key="nav.finish")

    def title(self, lang: str) -> str:
        return tr(lang, "rating.title")

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "rating.question"))
        self.hint.setText(tr(lang, "rating.optional"))
        for score, face in self.faces.items():
            face.set_words(tr(lang, f"rating.face.{score}"))
        self.thanks.setText("✓ " + tr(lang, "rating.thanks"))
        for key, button in self.phrases.items():
            button.setText(tr(lang, key))
            button.retranslate(lang)

    def script(self, lang: str) -> list[str]:
        faces = [tr(lang, f"rating.face.{n}") for n in SCORES]
        return [self.title(lang), tr(lang, "rating.question"), *faces,
                tr(lang, "rating.optional")]

    def help_text(self, lang: str) -> str:
        return tr(lang, "rating.help")

    def choose(self, score: int) -> None:
        first = self.score is None
        self.score = score
        self._show_choice()
        self.chosen.emit(score, self.comment)
        if first:  # thanked once; the phrases are offered, spoken, never required
            self.kiosk.say([tr(self.lang, "rating.thanks"),
                            *(tr(self.lang, key) for key in self.phrases)], cue="next")

    def choose_comment(self, key: str) -> None:
        self.comment = None if self.comment == key else key  # a second tap takes it back
        self._show_choice()
        if self.score is not None:
            self.chosen.emit(self.score, self.comment)

    def _show_choice(self) -> None:
        for score, face in self.faces.items():
            face.set_chosen(score == self.score)
        for key, button in self.phrases.items():
            button.set_selected(key == self.comment)
        self.heading.setVisible(self.score is None)
        self.hint.setVisible(self.score is None)
        self.thanks.setVisible(self.score is not None)
        self.more.setVisible(self.score is not None)

    def clear(self) -> None:
        self.score = None
        self.comment = None
        self._show_choice()

    def on_next(self) -> None:
        self.kiosk.end_session()

    def on_back(self) -> None:
        self.kiosk.end_session()
