"""A large push button whose words wrap instead of being cut off.

QPushButton draws its text on one line and clips it; elderly users get the largest text size and
Chinese and English labels of very different lengths, so the words live in an inner word-wrapping
QLabel (transparent to the mouse) and the button reports the height the label needs. The label
carries the button's `role` and mirrors its state (`state` = focus / pressed / disabled) so the
stylesheet colours it to match the button.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

from kiosk.i18n import FALLBACK, tr
from kiosk.resources import resource
from ui import theme
from ui.widgets._style import repolish, set_style_property

ICON_DIR = resource("assets", "icons")
CHECK_MARK = "✓"
TICK_ICONS = ("yes",)  # icons that are a check mark already: chosen, they show one tick, not two
_OPTION_ROLES = ("option", "option_selected")
_NO_LIMIT = 16777215  # QWIDGETSIZE_MAX
# Focus that arrives without anyone pressing Tab: a window opening hands its first control the
# focus, and a tap focuses nothing (TabFocus policy). A touch user would read a ring there as
# "chosen", so these draw none.
QUIET_FOCUS = (
    Qt.FocusReason.ActiveWindowFocusReason,
    Qt.FocusReason.MouseFocusReason,
    Qt.FocusReason.PopupFocusReason,
)


class IconLabel(QLabel):
    """An SVG icon `lines` text lines high (it grows with the text size), tinted with the
    label colour so it follows the theme."""

    def __init__(self, parent: QWidget | None = None, lines: float = 1.0) -> None:
        super().__init__(parent)
        self.lines = lines
        self._renderer: QSvgRenderer | None = None
        self._path = ""
        self._drawn: tuple | None = None  # what the pixmap shown was drawn for
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def load(self, path: Path | None) -> bool:
        self._path = str(path) if path is not None else ""
        self._renderer = _renderer(self._path) if self._path else None
        self._render()
        return self._renderer is not None

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):
            self._render()

    def _render(self) -> None:
        if self._renderer is None:
            self._drawn = None
            self.clear()
            return
        side = round(self.fontMetrics().height() * self.lines)
        drawn = (self._path, side, self.devicePixelRatioF(),
                 self.palette().color(QPalette.ColorRole.WindowText).rgba())
        if drawn == self._drawn:
            return  # restyled, but the same size and colour: nothing to draw
        self._drawn = drawn
        self.setPixmap(_tinted(self._renderer, *drawn))
        self.setFixedSize(side, side)


_RENDERERS: dict[str, QSvgRenderer | None] = {}
_PIXMAPS: dict[tuple, QPixmap] = {}
_KEEP_PIXMAPS = 512  # icons x sizes x colours in use; a theme or size change adds a few dozen


def _renderer(path: str) -> QSvgRenderer | None:
    """Each picture read once (None: missing or broken)."""
    if path not in _RENDERERS:
        renderer = QSvgRenderer(path) if Path(path).is_file() else None
        _RENDERERS[path] = renderer if renderer is not None and renderer.isValid() else None
    return _RENDERERS[path]


def _tinted(renderer: QSvgRenderer, path: str, side: int, ratio: float, rgba: int) -> QPixmap:
    """The picture drawn `side` px square in one colour, each size and colour drawn once."""
    key = (path, side, ratio, rgba)
    pixmap = _PIXMAPS.get(key)
    if pixmap is None:
        image = QImage(round(side * ratio), round(side * ratio), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(image.rect(), QColor.fromRgba(rgba))
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        if len(_PIXMAPS) >= _KEEP_PIXMAPS:
            _PIXMAPS.clear()
        _PIXMAPS[key] = pixmap
    return pixmap


class BigButton(QPushButton):
    """A touch button >= 64x64 px (96 px high by default) with wrapping text and optional icon.

    Return, Enter and Space activate it when focused. It takes focus from Tab only, never from a
    tap, and draws the focus ring (property `focusring`) only for focus given by Tab or by the
    program, never for the focus a window hands its first control when it opens.
    `set_selected(True)` turns a choice tile's border thick and shows a check mark; a screen
    reader hears "selected" (the accessible description) in the screen's language: the one
    given to `retranslate()`, else the nearest ancestor's `lang` property (the window's).
    """

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        role: str = "secondary",
        icon: str | None = None,
        min_height: int = 96,
        min_width: int = theme.MIN_TARGET,
        scale: str | None = None,
        padding: tuple[int, int] = (theme.PADDING_H, theme.PADDING_V),
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._role = role
        self._selected = False
        self._ring = False  # show the focus ring: focus came from the keyboard or the program
        self._state_stale = False  # enabled or disabled while hidden: `state` not set yet
        self._min_hint: QSize | None = None  # minimumSizeHint, until what it depends on changes
        self._fitted: int | None = None  # the words' natural width the group was fitted to
        self._lang: str | None = None  # given by retranslate(); else the window's
        self._min = QSize(max(min_width, theme.MIN_TARGET), max(min_height, theme.MIN_TARGET))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setProperty("selected", False)
        self.setProperty("focusring", False)

        self._check = QLabel(CHECK_MARK, self)
        self._icon = IconLabel(self)
        self._label = QLabel(self)
        self._label.setObjectName("text")
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        for part in (self._check, self._icon, self._label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            part.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if scale:
                part.setProperty("scale", scale)
        self._check.hide()
        self._icon.hide()

        layout = QHBoxLayout(self)
        h = theme.FRAME + padding[0]
        v = theme.FRAME + padding[1]
        layout.setContentsMargins(h, v, h, v)
        layout.setSpacing(12)
        # Spacers either side centre [check][icon][words] as one group when the words fit on one
        # line; otherwise they shrink to nothing and the words take all the width to wrap in.
        self._before = QSpacerItem(0, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self._after = QSpacerItem(0, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        layout.addSpacerItem(self._before)
        layout.addWidget(self._check, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._label, 1)
        layout.addSpacerItem(self._after)
        self._label.installEventFilter(self)

        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        # Layouts ask a widget with a layout for its layout's height-for-width, bypassing
        # heightForWidth() below, so the minimum height must be explicit. The minimum width is
        # left to minimumSizeHint(), which knows the widest word.
        self.setMinimumHeight(self._min.height())

        self.pressed.connect(self._sync_state)
        self.released.connect(self._sync_state)
        self._apply_role()
        self.set_icon(icon)
        self.setText(text)

    # ---- text -------------------------------------------------------------------------------
    def setText(self, text: str) -> None:
        if text == self._text and text:  # screens set every text each time they are shown
            self._describe()  # the same words ("A+", a day) in another language: not "selected"
            return
        self._text = text
        self._label.setText(text)
        self.setAccessibleName(text)
        self._describe()  # the words change with the language: so does "selected"
        self._refit()
        self.updateGeometry()

    def text(self) -> str:
        return self._text

    def label(self) -> QLabel:
        """The inner label drawing the words (for tests and layout checks)."""
        return self._label

    def retranslate(self, lang: str) -> None:
        """The words are handed in by the screen; only the 'selected' description is ours."""
        self._lang = lang
        self._describe()

    def _describe(self) -> None:
        if not self._selected:  # no words to say: no language to look up among the parents
            self.setAccessibleDescription("")
            return
        lang = self._lang or self._screen_language()
        self.setAccessibleDescription(tr(lang, "widget.button.selected"))

    def _screen_language(self) -> str:
        widget = self.parentWidget()
        while widget is not None:
            lang = widget.property("lang")
            if lang:
                return str(lang)
            widget = widget.parentWidget()
        return FALLBACK

    # ---- role, icon, selection ---------------------------------------------------------------
    def role(self) -> str:
        return self._role

    def set_role(self, role: str) -> None:
        self._role = role
        self._apply_role()

    def set_icon(self, name: str | None) -> bool:
        """Show assets/icons/<name>.svg before the words. A missing or broken file shows none."""
        self._icon_name = name or ""
        path = ICON_DIR / f"{name}.svg" if name else None
        shown = self._icon.load(path)
        self._icon.setVisible(shown)
        self._refit()
        self.updateGeometry()
        return shown

    def has_icon(self) -> bool:
        return not self._icon.isHidden()

    def set_selected(self, selected: bool) -> None:
        if bool(selected) == self._selected:  # restyling costs: the bars set this on every refresh
            self._describe()  # but the language may have changed, and "selected" with it
            return
        self._selected = bool(selected)
        self.setProperty("selected", self._selected)
        self._check.setVisible(self._selected and self._icon_name not in TICK_ICONS)
        self._apply_role(restyle=True)
        self._refit()
        self._describe()

    def is_selected(self) -> bool:
        return self._selected

    def _shown_role(self) -> str:
        if self._role in _OPTION_ROLES:
            return "option_selected" if self._selected else "option"
        return self._role

    def _apply_role(self, restyle: bool = False) -> None:
        """`restyle`: a property the stylesheet selects on changed besides the role."""
        role = self._shown_role()
        if role == self.property("role") and not restyle:
            return
        self.setProperty("role", role)
        option = self._role in _OPTION_ROLES
        # Choice tiles keep room for the check mark so their words do not jump when chosen.
        policy = self._check.sizePolicy()
        policy.setRetainSizeWhenHidden(option)
        self._check.setSizePolicy(policy)
        align = Qt.AlignmentFlag.AlignLeft if option else Qt.AlignmentFlag.AlignHCenter
        self._label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        for part in (self._check, self._icon, self._label):
            part.setProperty("role", role)
        self._min_hint = None
        self._repolish()

    # ---- state mirrored onto the inner labels ------------------------------------------------
    def _state(self) -> str:
        if not self.isEnabled():
            return "disabled"
        if self.isDown():
            return "pressed"
        if self.hasFocus() and self._ring:
            return "focus"
        return ""

    def _sync_state(self) -> None:
        set_style_property(self, "focusring", self.hasFocus() and self._ring)
        state = self._state()
        for part in (self._check, self._icon, self._label):
            set_style_property(part, "state", state)

    def _repolish(self) -> None:
        for widget in (self, self._check, self._icon, self._label):
            repolish(widget)  # not while being built: styled once, when first shown
        self._sync_state()
        self.updateGeometry()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason != Qt.FocusReason.ActiveWindowFocusReason:
            self._ring = reason not in QUIET_FOCUS
        self._sync_state()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.ActiveWindowFocusReason:
            self._ring = False
        self._sync_state()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._min_hint = None  # its parts' sizes change with the style
        elif event.type() == QEvent.Type.EnabledChange:
            if self.isVisible():
                self._sync_state()
            else:  # a whole page disabled while it waits (ui.ops) holds hidden buttons too
                self._state_stale = True  # restyled when shown, if ever

    def showEvent(self, event: QShowEvent) -> None:
        if self._state_stale:
            self._state_stale = False
            self._sync_state()
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat() and self.isEnabled():
                self.click()
            event.accept()
            return
        super().keyPressEvent(event)

    # ---- size --------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_group(event.size().width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._label and event.type() == QEvent.Type.FontChange:
            self._refit()
        return False

    def _refit(self) -> None:
        """The words, the icon, the check mark or the font changed."""
        self._min_hint = None
        self._fit_group(self.width())

    def _fit_group(self, width: int) -> None:
        label = self._label
        sides = not self._icon.isHidden() or not self._check.isHidden()
        natural = 0
        if sides and self._role not in _OPTION_ROLES:
            natural = math.ceil(QFontMetricsF(label.font()).horizontalAdvance(self._text)) + 2
            margins = label.contentsMargins()
            natural += margins.left() + margins.right()
            if natural > width - self._side_width():
                natural = 0
        if natural == self._fitted:
            return  # as it is: a layout pass resizes every button, and relaying one out
        self._fitted = natural  # would ask its page for another pass
        grow = QSizePolicy.Policy.Expanding if natural else QSizePolicy.Policy.Fixed
        for spacer in (self._before, self._after):
            spacer.changeSize(0, 0, grow, QSizePolicy.Policy.Minimum)
        label.setMaximumWidth(natural or _NO_LIMIT)
        self.layout().invalidate()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self.ensurePolished()
        return max(self._min.height(), self.layout().totalHeightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """Asked by every layout pass (a menu of 200 tiles: 400 times a pass), kept."""
        self.ensurePolished()
        if self._min_hint is None:
            width = max(self._min.width(), self._longest_unbreakable() + self._side_width())
            self._min_hint = QSize(width, self._min.height())
        return QSize(self._min_hint)

    def sizeHint(self) -> QSize:
        self.ensurePolished()
        width = max(self.minimumSizeHint().width(), self.layout().sizeHint().width())
        return QSize(width, self.heightForWidth(width))

    def _side_width(self) -> int:
        """Width of everything in the button but the words: margins, check mark, icon."""
        layout = self.layout()
        margins = layout.contentsMargins()
        width = margins.left() + margins.right()
        for part in (self._check, self._icon):
            if not part.isHidden() or part.sizePolicy().retainSizeWhenHidden():
                width += part.sizeHint().width() + layout.spacing()
        return width

    def _longest_unbreakable(self) -> int:
        """The widest word (or CJK character run that cannot break): the label cannot wrap
        narrower than this without cutting it."""
        font = self._label.font()
        key = (self._text, font.key())
        widest = _WIDEST.get(key)
        if widest is None:  # a menu of 200 tiles in two languages: 400 texts
            if len(_WIDEST) >= _KEEP_WIDEST:
                _WIDEST.clear()
            widest = _WIDEST[key] = longest_unbreakable(self._text, font)
        return widest


_WIDEST: dict[tuple[str, str], int] = {}  # longest_unbreakable by text and font
_KEEP_WIDEST = 4096


def longest_unbreakable(text: str, font: QFont) -> int:
    """Width in px of the widest piece of `text` a word-wrapping label cannot break: a word in
    English, usually one character in Chinese (Qt applies the Unicode line-breaking rules)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    widest = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(0)
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return math.ceil(widest) + 2
