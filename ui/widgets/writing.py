"""Writing Chinese on the on-screen keyboard: a pad to write one character with a finger, and
pinyin typed on big letter keys. Either way the candidates come as large tiles; one tap
chooses and types it. Recognition and look-up run off the GUI thread (ui.tasks).

Nothing is kept between two characters, nor between two people: `reset()` forgets the ink,
the letters and the candidates. Handwriting candidates are offered for speech (a person who
reads poorly hears which is which); pinyin ones are not: they all sound alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QWidget,
)

from kiosk.i18n import FALLBACK, tr
from kiosk.input import InputUnavailable
from ui import theme
from ui.tasks import run_in_background
from ui.widgets.big_button import BigButton

PAD_SIDE = 400  # px: room for an unsteady finger, and for the 田 guide lines
CANVAS = 300  # the recogniser's canvas (kiosk.input.handwriting.CANVAS)
HANDWRITING_TILES = 10
PINYIN_TILES = 8
EMPTY = "\u3000"  # an ideographic space: an empty tile keeps the height a character needs


def _text(role: str) -> QLabel:
    """A text with a colour role (so its contrast is checked), as ui.screens.base.label."""
    widget = QLabel()
    widget.setProperty("role", role)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def _keep_place(widget: QWidget) -> None:
    """Hidden, it still holds its place: nothing under a finger moves when tiles change."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


class WritingPad(QWidget):
    """A square a finger writes one character on; the ink stays until cleared."""

    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("writing-pad")
        self.setProperty("role", "option")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedSize(PAD_SIDE, PAD_SIDE)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._strokes: list[list[QPointF]] = []
        self._writing = False
        self._hint = ""

    def strokes(self) -> list[list[tuple[float, float]]]:
        """The strokes in the order written, on the recogniser's 300 x 300 canvas."""
        scale_x, scale_y = CANVAS / self.width(), CANVAS / self.height()
        return [[(p.x() * scale_x, p.y() * scale_y) for p in stroke] for stroke in self._strokes]

    def is_empty(self) -> bool:
        return not self._strokes

    def undo(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self._writing = False
            self.update()

    def clear(self) -> None:
        self._strokes = []
        self._writing = False
        self.update()

    def set_hint(self, text: str) -> None:
        self._hint = text
        self.setAccessibleName(text)
        self.update()

    def _inside(self, event: QMouseEvent) -> QPointF:
        p = event.position()
        return QPointF(min(max(p.x(), 0.0), self.width()), min(max(p.y(), 0.0), self.height()))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._strokes.append([self._inside(event)])
        self._writing = True
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._writing:
            return
        point, last = self._inside(event), self._strokes[-1][-1]
        if abs(point.x() - last.x()) + abs(point.y() - last.y()) >= 2:
            self._strokes[-1].append(point)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._writing or event.button() != Qt.MouseButton.LeftButton:
            return
        self._writing = False
        point = self._inside(event)
        if point != self._strokes[-1][-1]:
            self._strokes[-1].append(point)
        self.update()
        self.stroke_finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        w, h = self.width(), self.height()
        painter.setPen(QPen(ink, theme.BORDER))
        painter.drawRect(QRectF(1.5, 1.5, w - 3, h - 3))
        guide = QColor(ink)
        guide.setAlpha(70)  # the 田 grid guides the hand; it is not text
        painter.setPen(QPen(guide, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(w / 2, 8), QPointF(w / 2, h - 8))
        painter.drawLine(QPointF(8, h / 2), QPointF(w - 8, h / 2))
        if not self._strokes and self._hint:
            painter.setPen(ink)
            painter.drawText(QRectF(16, 16, w - 32, h / 2 - 24),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._hint)
        painter.setPen(QPen(ink, 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
            else:
                painter.drawPolyline(stroke)
        painter.end()


class CandidateTiles(QWidget):
    """Big tiles, one a candidate; tapping one emits `chosen` with its text."""

    chosen = Signal(str)

    def __init__(self, count: int, columns: int, prefix: str) -> None:
        super().__init__()
        self.setProperty("role", "page")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.GAP)
        self.tiles: list[BigButton] = []
        for n in range(count):
            tile = BigButton(role="key", min_width=96, min_height=96, scale="heading",
                             padding=(4, 2))
            tile.setObjectName(f"{prefix}-{n}")
            tile.clicked.connect(lambda _=False, t=tile: self.chosen.emit(t.text()))
            _keep_place(tile)
            tile.setText(EMPTY)
            tile.hide()
            self.tiles.append(tile)
            grid.addWidget(tile, n // columns, n % columns)
        for col in range(columns):
            grid.setColumnStretch(col, 1)

    def set_words(self, words: Sequence[str]) -> None:
        for tile, word in zip(self.tiles, [*words, *[""] * len(self.tiles)], strict=False):
            tile.setText(word or EMPTY)
            tile.setVisible(bool(word))

    def words(self) -> list[str]:
        return [tile.text() for tile in self.tiles if tile.isVisibleTo(self)]


def _command(name: str, role: str = "secondary") -> BigButton:
    button = BigButton(role=role, min_width=120, min_height=80, padding=(8, 4))
    button.setObjectName(name)
    return button


class _Lookup:
    """The newest request wins: an answer to an older one (the person wrote on) is dropped."""

    def __init__(self) -> None:
        self.generation = 0

    def run(self, work: Callable[[], list[str]], show: Callable[[list[str]], None],
            failed: Callable[[Exception], None]) -> None:
        self.generation += 1
        asked = self.generation

        def done(words: list[str]) -> None:
            if asked == self.generation:
                show(words)

        run_in_background(work, done, failed, local=True)

    def forget(self) -> None:
        self.generation += 1


class HandwritingPanel(QWidget):
    """The pad, its candidates, and Undo stroke / Write again / Delete."""

    chosen = Signal(str)
    backspace = Signal()
    offered = Signal(list)  # the candidates now shown, best first (a host may speak them)

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "page")
        self._lang = FALLBACK
        self._lookup = _Lookup()
        self.pad = WritingPad()
        self.pad.stroke_finished.connect(self._recognise)
        self.candidates = CandidateTiles(HANDWRITING_TILES, 5, "candidate")
        self.candidates.chosen.connect(self._choose)
        self.undo = _command("pad-undo")
        self.undo.clicked.connect(self._undo)
        self.again = _command("pad-clear")
        self.again.clicked.connect(self.reset)
        self.delete = _command("key-delete")
        self.delete.clicked.connect(self.backspace)
        self.problem = _text("error")
        self.problem.setObjectName("pad-problem")
        self.problem.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.GAP)
        grid.addWidget(self.pad, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.candidates, 0, 1, 3, 1)
        grid.addWidget(self.undo, 0, 2)
        grid.addWidget(self.again, 1, 2)
        grid.addWidget(self.delete, 2, 2)
        grid.addWidget(self.problem, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self._prepare()

    def _prepare(self) -> None:
        """Open the recogniser now, off the GUI thread, so a missing one is said at once."""
        from kiosk.input.handwriting import recogniser

        run_in_background(recogniser, lambda _: None, self._unavailable, local=True)

    def _recognise(self) -> None:
        from kiosk.input.handwriting import recogniser

        strokes = self.pad.strokes()
        if not strokes:
            self._lookup.forget()
            self.candidates.set_words([])
            return
        self._lookup.run(lambda: recogniser().candidates(strokes, CANVAS, CANVAS),
                         self._show, self._unavailable)

    def _show(self, words: list[str]) -> None:
        self.candidates.set_words(words)
        if words:
            self.offered.emit(words[:5])

    def _unavailable(self, problem: Exception) -> None:
        why = problem.text(self._lang) if isinstance(problem, InputUnavailable) else str(problem)
        self.problem.setText(f"⚠ {why} {tr(self._lang, 'input.unavailable_here')}")
        self.problem.show()

    def _undo(self) -> None:
        self.pad.undo()
        self._recognise()

    def _choose(self, word: str) -> None:
        self.chosen.emit(word)
        self.reset()

    def reset(self) -> None:
        self._lookup.forget()
        self.pad.clear()
        self.candidates.set_words([])

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.pad.set_hint(tr(lang, "widget.pad.hint"))
        self.pad.setAccessibleDescription(tr(lang, "widget.pad.name"))
        self.undo.setText(tr(lang, "widget.pad.undo"))
        self.again.setText(tr(lang, "widget.pad.clear"))
        self.delete.setText(tr(lang, "widget.key.delete"))
        for button in (self.undo, self.again, self.delete):
            button.retranslate(lang)


class PinyinPanel(QWidget):
    """Letters a-z in alphabetical order; the characters for what was typed as tiles."""

    chosen = Signal(str)
    backspace = Signal()
    cleared = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "page")
        self._lang = FALLBACK
        self._lookup = _Lookup()
        self.letters = ""
        self._found: list[str] = []
        self._page = 0
        self.candidates = CandidateTiles(PINYIN_TILES, PINYIN_TILES, "pinyin-candidate")
        self.candidates.chosen.connect(self._choose)
        self.more = _command("pinyin-more")
        self.more.clicked.connect(self._next_page)
        _keep_place(self.more)
        self.more.hide()
        self.delete = _command("pinyin-delete")
        self.delete.clicked.connect(self._delete)
        self.clear_all = _command("pinyin-clear")
        self.clear_all.clicked.connect(self._clear)
        self.typed = _text("body")
        self.typed.setObjectName("pinyin-typed")
        self.typed.setProperty("box", True)
        self.problem = _text("error")
        self.problem.setObjectName("pinyin-problem")
        self.problem.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.GAP)
        grid.addWidget(self.candidates, 0, 0, 1, 9)
        grid.addWidget(self.more, 0, 9, 1, 2)
        grid.addWidget(self.delete, 0, 11, 1, 2)
        self.keys: dict[str, BigButton] = {}
        # 72 px (not 80): thirteen keys a row still fit beside the caption column at A++
        for n, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
            key = BigButton(letter, role="key", min_width=72, min_height=80, scale="key",
                            padding=(8, 4))
            key.setObjectName(f"pinyin-{letter}")
            key.clicked.connect(lambda _=False, c=letter: self.type_letter(c))
            self.keys[letter] = key
            grid.addWidget(key, 1 + n // 13, n % 13)
        grid.addWidget(self.typed, 3, 0, 1, 10)
        grid.addWidget(self.clear_all, 3, 10, 1, 3)
        grid.addWidget(self.problem, 4, 0, 1, 13)
        for col in range(13):
            grid.setColumnStretch(col, 1)
        self.typed.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def type_letter(self, letter: str) -> None:
        from kiosk.input.pinyin import MAX_LETTERS

        if len(self.letters) < MAX_LETTERS:
            self.letters += letter
            self._look_up()

    def _delete(self) -> None:
        if self.letters:
            self.letters = self.letters[:-1]
            self._look_up()
        else:
            self.backspace.emit()

    def _clear(self) -> None:
        if self.letters:
            self.reset()
        else:
            self.cleared.emit()

    def _look_up(self) -> None:
        from kiosk.input.pinyin import pinyin

        self._show_typed()
        letters = self.letters
        if not letters:
            self._lookup.forget()
            self._show([])
            return
        self._lookup.run(lambda: pinyin().candidates(letters), self._show, self._unavailable)

    def _show(self, words: list[str]) -> None:
        self._found = words
        self._page = 0
        self._show_page()

    def _show_page(self) -> None:
        start = self._page * PINYIN_TILES
        self.candidates.set_words(self._found[start:start + PINYIN_TILES])
        self.more.setVisible(len(self._found) > PINYIN_TILES)

    def _next_page(self) -> None:
        pages = max(1, -(-len(self._found) // PINYIN_TILES))
        self._page = (self._page + 1) % pages
        self._show_page()

    def _unavailable(self, problem: Exception) -> None:
        why = problem.text(self._lang) if isinstance(problem, InputUnavailable) else str(problem)
        self.problem.setText(f"⚠ {why} {tr(self._lang, 'input.unavailable_here')}")
        self.problem.show()

    def _choose(self, word: str) -> None:
        self.chosen.emit(word)
        self.reset()

    def _show_typed(self) -> None:
        self.typed.setText(tr(self._lang, "widget.pinyin.typed", letters=self.letters)
                           if self.letters else tr(self._lang, "widget.pinyin.empty"))

    def reset(self) -> None:
        self._lookup.forget()
        self.letters = ""
        self._show([])
        self._show_typed()

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self._show_typed()
        self.more.setText(tr(lang, "widget.pinyin.more"))
        self.delete.setText(tr(lang, "widget.pinyin.delete"))
        self.clear_all.setText(tr(lang, "widget.key.clear"))
        for button in (self.more, self.delete, self.clear_all, *self.keys.values()):
            button.retranslate(lang)
