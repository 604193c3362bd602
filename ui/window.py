"""The kiosk window: a top bar (where am I, language, text size, contrast), the current screen,
and a bottom bar whose Back, Help, Repeat aloud and Next never move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import language, tr
from ui.aloud import AloudOffer
from ui.screens.base import Screen, label
from ui.theme import TEXT_SIZES
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.screens.context import KioskContext

SIZE_MARKS = {"normal": "A", "large": "A+", "largest": "A++"}


def bar_button(name: str, on_click, role: str = "secondary", icon: str | None = None) -> BigButton:
    """A bar button: named (for tests and the tour to find it) and connected in one place."""
    button = BigButton(role=role, icon=icon)
    button.setObjectName(name)
    button.clicked.connect(on_click)
    return button


def _notice(name: str) -> QLabel:
    """A full-width strip of words (help is coming, practice mode): hidden until needed."""
    strip = label("banner")
    strip.setObjectName(name)
    strip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    strip.setContentsMargins(24, 8, 24, 8)
    strip.hide()
    return strip


def bar(role: str) -> tuple[QWidget, QHBoxLayout]:
    bar = QWidget()
    bar.setProperty("role", role)
    bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # so the role colours paint
    row = QHBoxLayout(bar)
    row.setContentsMargins(24, 12, 24, 12)
    row.setSpacing(20)
    return bar, row


class Caption(QLabel):
    """The words the kiosk says, shown when there is no sound or captions were asked for.

    A column beside the page, its room kept for the whole visit: the page is narrower, never
    shorter, so a keypad keeps its rows on screen, and nothing moves between two taps. With
    sound it shows the sentence being said, like television captions; without, a screen's
    words from the start, as many as fit."""

    SHARE = 0.26  # of the window's width: the page keeps the rest

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("caption")
        self.setProperty("role", "banner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setContentsMargins(16, 16, 16, 16)
        self.said: list[str] = []
        self.hide()

    def add(self, text: str) -> None:
        """One more sentence of what would be said."""
        self.said.append(text)
        self._fit()

    def now(self, text: str) -> None:
        """The sentence being said now, instead of the one before."""
        self.said = [text]
        self._fit()

    def clear_caption(self) -> None:
        self.said = []
        self.setText("")

    def reserve(self) -> None:
        """Its share of the window's width, whatever it shows."""
        self.setFixedWidth(round(self.window().width() * self.SHARE))
        self._fit()

    def _fits(self, text: str) -> bool:
        self.setText(text)
        return self.heightForWidth(self.width()) <= self.height()

    def _fit(self) -> None:
        """The first sentences that fit, and "…" where words are left out."""
        said = list(self.said)
        text = "  ".join(said)
        while len(said) > 1 and not self._fits(text):
            said.pop()
            text = "  ".join(said) + " …"
        while len(text) > 1 and not self._fits(text):  # one sentence too long alone
            cut = text.rstrip(" …")
            text = (cut.rsplit(" ", 1)[0] if " " in cut else cut[:-1]) + " …"


class KioskWindow(QWidget):
    may_close = False  # only the admin's "Close the kiosk program" lets the window close

    # built with the first screen that shows the bars (the welcome screen has none), with the
    # offer to read details aloud over the bottom one: main.py's first frame does without
    # their dozen buttons
    BAR_PARTS = frozenset({"top", "title", "step", "help_flag", "title_slot", "connection",
                           "language", "sizes", "contrast", "assist_bar", "assisting",
                           "end_help", "tools", "aloud", "bottom", "back", "help", "repeat",
                           "sound", "next"})

    def __init__(self, kiosk: KioskContext, bars_later: bool = False) -> None:
        """`bars_later` (main.py): the bars are built when first needed (`build_bars`)."""
        super().__init__()
        self.kiosk = kiosk
        self.setProperty("role", "page")
        self.setObjectName("kiosk")
        self.outer = outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.practice = _notice("practice")  # on every screen: nothing here is real
        self.practice.setVisible(kiosk.settings.practice)
        outer.addWidget(self.practice)
        self.remote_slot = QVBoxLayout()  # a remote desk's help bar (ui/remote) goes here
        self.remote_slot.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.remote_slot)
        middle = QHBoxLayout()
        middle.setSpacing(0)
        self.stack = QStackedWidget()
        middle.addWidget(self.stack, 1)
        self.caption = Caption()
        middle.addWidget(self.caption)
        outer.addLayout(middle, 1)
        self._bars = False
        if not bars_later:
            self.build_bars()

    def __getattr__(self, name: str):
        """A part of the bars asked for before they were built: built now."""
        if name in KioskWindow.BAR_PARTS and not self.__dict__.get("_bars", True):
            self.build_bars()
            return getattr(self, name)
        raise AttributeError(name)

    def build_bars(self) -> None:
        """The top bar (where am I, language, text size, contrast), the helper's bar and the
        bottom bar (Back, Help, Repeat, Sound, Next), in their places around the screen."""
        if self._bars:
            return
        self._bars = True
        kiosk = self.kiosk
        outer = self.outer
        self.top, row = bar("topbar")
        self.title = label("topbar")
        self.title.setObjectName("title")
        self.step = label("topbar", wrap=False)
        self.step.setObjectName("step")
        # The help strip takes the title's place while a call is open: a room of its own,
        # kept all the time, so it never pushes the page down under a finger.
        self.help_flag = _notice("help-flag")  # seen from across the room: help is needed here
        self.help_flag.setContentsMargins(16, 0, 16, 0)
        self.help_flag.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.title_slot = QStackedWidget()  # as high as the title: the bar never grows
        self.title_slot.addWidget(self.title)
        self.title_slot.addWidget(self.help_flag)
        row.addWidget(self.title_slot, 1)
        row.addWidget(self.step)
        self.connection = label("topbar", wrap=False)
        self.connection.setObjectName("connection")
        row.addWidget(self.connection)
        self.language = bar_button("language", kiosk.next_language)
        row.addWidget(self.language)
        self.sizes = {}
        for size in TEXT_SIZES:
            button = BigButton(SIZE_MARKS[size], role="secondary")
            button.setObjectName(f"size-{size}")
            button.clicked.connect(lambda _=False, s=size: kiosk.set_text_size(s))
            self.sizes[size] = button
            row.addWidget(button)
        self.contrast = bar_button("contrast", kiosk.toggle_theme)
        row.addWidget(self.contrast)
        outer.insertWidget(1, self.top)  # under the practice notice

        self.assist_bar, row = bar("banner")  # who is helping, and the citizen's way to stop it
        self.assisting = label("banner")
        self.assisting.setObjectName("assisting")
        self.end_help = bar_button("end-help", kiosk.end_assistance, icon="no")
        self.tools = bar_button("helper-tools", kiosk.open_helper_tools, icon="person")
        row.addWidget(self.assisting, 1)
        row.addWidget(self.tools)
        row.addWidget(self.end_help)
        self.assist_bar.hide()
        outer.insertWidget(2, self.assist_bar)

        self.aloud = AloudOffer(kiosk, "aloud")  # shown only where details are left unsaid
        self.aloud.hide()
        outer.addWidget(self.aloud)

        self.bottom, row = bar("topbar")
        self.back = bar_button("back", kiosk.back, icon="back")
        self.help = bar_button("help", kiosk.show_help, icon="help")
        self.repeat = bar_button("repeat", kiosk.repeat, icon="speaker")
        self.sound = bar_button("sound", kiosk.show_sound, icon="sliders")
        self.next = bar_button("next", kiosk.next, role="primary", icon="next")
        for button, stretch in ((self.back, 2), (self.help, 2), (self.repeat, 2),
                                (self.sound, 2), (self.next, 3)):
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # a hidden Back or Next moves nothing else
            button.setSizePolicy(policy)
            row.addWidget(button, stretch)
        outer.addWidget(self.bottom)
        self.refresh()  # their words, and hidden where the screen has no bars

    def reset_aloud(self) -> None:
        """A new screen: the offer to read details aloud starts afresh."""
        if self._bars:
            self.aloud.reset()

    def show_screen(self, screen: Screen) -> None:
        if self.stack.indexOf(screen) < 0:
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self.refresh()

    def current(self) -> Screen:
        return self.stack.currentWidget()

    def _speech_strips(self, screen: Screen, lang: str, nav) -> None:
        """Captions and the offer to read details aloud: decided per screen and per visit,
        never between two taps on one screen."""
        kiosk = self.kiosk
        captions = kiosk.captions_on() and nav.bars
        if captions != self.caption.isVisible():
            self.caption.setVisible(captions)
        if captions:
            self.caption.reserve()
        if not self._bars:  # the offer is a strip over the bottom bar
            return
        voice = kiosk.voice
        offer = (voice is not None and nav.bars and not voice.prefs.private
                 and not voice.prefs.muted and screen.withholds_personal(lang))
        self.aloud.setVisible(offer)
        if offer:
            self.aloud.retranslate(lang)

    def _help_strip(self, lang: str) -> None:
        """The help strip in the title's place, short words that read from across the room."""
        words = self.kiosk.help_call.flag(lang)
        self.help_flag.setText(words)
        self.help_flag.setVisible(bool(words))
        self.title_slot.setCurrentWidget(self.help_flag if words else self.title)

    def closeEvent(self, event: QCloseEvent) -> None:
        """A public kiosk: Alt+F4 or a compositor's close request does nothing."""
        if self.may_close or self.kiosk.closed:
            event.accept()
        else:
            event.ignore()

    def refresh(self) -> None:
        """Bring the bars and the screen in line with the language and the screen's needs."""
        lang = self.kiosk.session.language
        screen = self.current()
        if screen is None:
            return
        self.setProperty("lang", lang)  # the buttons' "selected", said to a screen reader
        nav = screen.nav()
        if nav.bars and not self._bars:
            return self.build_bars()  # which refreshes
        screen.retranslate_all(lang)
        self.practice.setText(tr(lang, "practice.banner"))
        if self._bars:
            self._refresh_bars(screen, lang, nav)
        self._speech_strips(screen, lang, nav)
        rtl = language(lang).direction == "rtl"
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl
                                else Qt.LayoutDirection.LeftToRight)

    def _refresh_bars(self, screen: Screen, lang: str, nav) -> None:
        self.top.setVisible(nav.bars)
        self.bottom.setVisible(nav.bars)
        self.title.setText(screen.title(lang))
        journey = self.kiosk.session.journey
        step_text = ""
        if journey is not None and screen.shows_step:
            n, total = journey.position()
            step_text = tr(lang, "nav.step_of_few", n=n) if total is None \
                else tr(lang, "nav.step", n=n, total=total)
        self.step.setText(step_text)
        self.step.setVisible(bool(step_text))
        if step_text:  # as wide as its widest text: the title beside it never rewraps mid-way
            self.step.ensurePolished()
            widest = (tr(lang, "nav.step_of_few", n=88), tr(lang, "nav.step", n=88, total=88))
            self.step.setMinimumWidth(max(map(self.step.fontMetrics().horizontalAdvance, widest)))
        assisted = self.kiosk.assisted
        self.assist_bar.setVisible(assisted.helping and nav.bars)
        if assisted.helping:
            words = tr(lang, "assist.banner", name=assisted.helper.display_name)
            if assisted.filer is not None:
                words += " · " + tr(lang, "proxy.banner", whom=self.kiosk.proxy._whom())
            self.assisting.setText(words)
            self.end_help.setText(tr(lang, "assist.end"))
            self.tools.setText(tr(lang, "tools.title"))
        self._help_strip(lang)
        online, waiting = self.kiosk.connection
        words = tr(lang, "connection.online" if online else "connection.offline")
        if waiting:
            words += " · " + tr(lang, "connection.waiting", n=waiting)
        self.connection.setText(("●  " if online else "○  ") + words)  # a mark, not colour alone
        self.language.setText(self.kiosk.other_language_name())
        self.language.setAccessibleName(tr(lang, "nav.language"))
        for size, button in self.sizes.items():
            button.set_selected(size == self.kiosk.session.text_size)
            button.setAccessibleName(tr(lang, f"nav.size.{size}"))
        self.contrast.setText(tr(lang, "nav.contrast"))
        self.back.setText(tr(lang, "nav.back"))
        self.back.setVisible(nav.back)
        self.help.setText(tr(lang, "nav.help"))
        self.repeat.setText(tr(lang, "nav.repeat"))
        self.sound.setText(tr(lang, "nav.sound"))
        self.sound.setVisible(self.kiosk.voice is not None)
        self.next.setVisible(nav.next_key is not None)
        if nav.next_key:
            self.next.setText(tr(lang, nav.next_key))
