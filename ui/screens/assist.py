"""A helper signs in on the kiosk (PIN on the keypad), then the citizen is asked, on screen and
aloud, whether that helper may help. Nothing a helper does happens before a yes."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.assist.helpers import Helper, SignInRefused, UnknownHelper
from kiosk.i18n import tr
from ui.assisted import BADGE_PREFIX
from ui.ops import Op
from ui.screens.base import Nav, OverlayScreen, Screen, label
from ui.screens.pin_pad import PinPad
from ui.widgets.big_button import BigButton


class HelperSignInScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.chosen = ""
        self.heading = label("heading")
        self.pick = label("body")
        host = QWidget()
        host.setProperty("role", "page")
        self.grid = QGridLayout(host)
        self.grid.setSpacing(16)
        self.helpers: dict[str, BigButton] = {}
        self.pad = PinPad()
        self.pin, self.keys, self.error = self.pad.entry, self.pad.keys, self.pad.error
        self.pad.submitted.connect(self.on_next)
        for widget in (self.heading, self.pick, host, self.pad):
            self.box.addWidget(widget)

    def _list_helpers(self) -> None:
        for n, helper in enumerate(self.kiosk.assisted.accounts.listing()):
            if helper.helper_id not in self.helpers:
                tile = BigButton(role="option", icon="person")
                tile.setObjectName(f"helper-{helper.helper_id}")
                tile.setText(helper.display_name)
                tile.clicked.connect(lambda _=False, h=helper.helper_id: self.choose(h))
                self.helpers[helper.helper_id] = tile
                self.grid.addWidget(tile, n // 3, n % 3)

    def choose(self, helper_id: str) -> None:
        self.chosen = helper_id
        for key, tile in self.helpers.items():
            tile.set_selected(key == helper_id)
        self.pin.setFocus()

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.next")

    def title(self, lang: str) -> str:
        return tr(lang, "assist.sign_in_title")

    def retranslate(self, lang: str) -> None:
        self._list_helpers()
        self.heading.setText(tr(lang, "assist.sign_in_title"))
        self.pick.setText(tr(lang, "assist.pick"))
        self.pad.set_prompt(tr(lang, "assist.pin"))
        self.keys.retranslate(lang)

    def clear(self) -> None:
        self.pin.setText("")
        self.error.say("")
        self.choose("")

    def on_next(self) -> None:
        typed, chosen = self.pin.text(), self.chosen
        badge = typed.startswith(BADGE_PREFIX)  # scanned: it names the helper itself
        if not chosen and not badge:
            return self.error.say(tr(self.lang, "assist.pick"))
        assisted = self.kiosk.assisted  # the PIN's argon2id check is slow: in the background
        Op(self, lambda: assisted.check(chosen, typed), self._checked,
           lambda refused: self._refused(refused, badge), explains=(SignInRefused,),
           wait_key="assist.checking").run()

    def _checked(self, helper: Helper) -> None:
        self.kiosk.assisted.begin(helper)
        under, self.under = self.under, None
        self.clear()
        self.kiosk.consent.ask(helper.display_name, under)

    def _refused(self, refused: SignInRefused, badge: bool) -> None:
        """A wrong PIN, a locked PIN, a forged badge, an unknown helper."""
        self.pin.setText("")
        if isinstance(refused, UnknownHelper):
            return self.error.say(tr(self.lang, "assist.bad_badge" if badge else "assist.pick"))
        self.error.say(refused.text(self.lang))


class ConsentScreen(Screen):
    """Asked of the citizen, in large words and aloud: may this helper help you?"""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.name = ""
        self.back_to: Screen | None = None
        self.question = label("heading")
        self.question.setObjectName("consent-question")
        self.explain = label("body")
        self.yes = BigButton(role="option", icon="yes", min_height=160)
        self.no = BigButton(role="option", icon="no", min_height=160)
        self.yes.setObjectName("consent-yes")
        self.no.setObjectName("consent-no")
        self.yes.clicked.connect(lambda: self.answer(True))
        self.no.clicked.connect(lambda: self.answer(False))
        for widget in (self.question, self.explain, self.yes, self.no):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def ask(self, name: str, back_to: Screen | None) -> None:
        self.name, self.back_to = name, back_to
        self.kiosk.show(self)

    def answer(self, given: bool) -> None:
        self.kiosk.assisted.consent(given)
        if given:
            self.kiosk.help_call.cancel()  # the helper is here: the desk's request is done
        back, self.back_to = self.back_to, None
        if back is not None and back is not self.kiosk.help:
            self.kiosk.show(back)
        else:
            self.kiosk.go_menu()

    def nav(self) -> Nav:
        return Nav(back=False, next_key=None)

    def title(self, lang: str) -> str:
        return tr(lang, "assist.consent_title")

    def retranslate(self, lang: str) -> None:
        self.question.setText(tr(lang, "assist.consent_question", name=self.name))
        self.explain.setText(tr(lang, "assist.consent_explain"))
        self.yes.setText(tr(lang, "assist.consent_yes"))
        self.no.setText(tr(lang, "assist.consent_no"))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.question.text(), self.explain.text(), self.yes.text(),
                self.no.text()]
