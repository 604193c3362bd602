"""Sound settings, over any screen: speed, loudness, mute, headphones, reading details aloud,
captions and the spoken dialect. All of it goes back to the defaults when the visit ends."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.i18n import language, tr
from kiosk.speech.service import VOLUMES
from kiosk.speech.synth import RATES
from ui.aloud import AloudOffer
from ui.screens.base import Nav, OverlayScreen, label
from ui.widgets.big_button import BigButton


class SoundScreen(OverlayScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.buttons: dict[str, BigButton] = {}
        self.labels: dict[str, object] = {}
        grid_host = QWidget()
        grid_host.setProperty("role", "page")
        grid = QGridLayout(grid_host)
        grid.setSpacing(24)
        rows = [("rate", [f"rate-{r}" for r in RATES]),
                ("volume", ["volume-down", "volume-up"]),
                ("mute", ["mute"]),
                ("private", ["private"]),
                ("captions", ["captions"]),
                ("dialect", ["dialect-", *[f"dialect-{d}" for d in self._dialects()]])]
        for row, (name, keys) in enumerate(rows):  # one row a setting: its name, its buttons
            heading = label("heading")
            self.labels[name] = heading
            grid.addWidget(heading, row, 0)
            span = 3 // len(keys)
            for col, key in enumerate(keys):
                button = BigButton(role="option")
                button.setObjectName(key)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                self.buttons[key] = button
                grid.addWidget(button, row, 1 + col * span, 1, span)
        self.labels["aloud"] = label("heading")  # asks first, like the strip under a page
        self.aloud = AloudOffer(kiosk, "sound-aloud", steady=False)
        grid.addWidget(self.labels["aloud"], len(rows), 0)
        grid.addWidget(self.aloud, len(rows), 1, 1, 3)
        grid.setColumnStretch(0, 2)
        for col in (1, 2, 3):
            grid.setColumnStretch(col, 3)
        self.box.addWidget(grid_host)
        self.box.addStretch(1)

    def _dialects(self) -> list[str]:
        found = []
        for code in self.kiosk.offered_languages():
            found += list(language(code).dialects or {})
        return found

    @property
    def prefs(self):
        return self.kiosk.voice.prefs

    def press(self, key: str) -> None:
        prefs = self.prefs
        if key.startswith("rate-"):
            prefs.rate = key.removeprefix("rate-")
        elif key == "volume-down":
            prefs.volume = max(1, prefs.volume - 1)
        elif key == "volume-up":
            prefs.volume = min(len(VOLUMES), prefs.volume + 1)
        elif key == "mute":
            prefs.muted = not prefs.muted
        elif key == "private":
            prefs.private = not prefs.private
        elif key == "captions":
            prefs.captions = not prefs.captions
        elif key.startswith("dialect-"):
            prefs.dialect = key.removeprefix("dialect-")
        self.kiosk.refresh()  # captions take or give back their room now, not mid-page
        self.kiosk.say([tr(self.lang, "sound.sample")])  # hear the change at once

    def nav(self) -> Nav:
        return Nav(back=True, next_key="nav.close_sound")

    def title(self, lang: str) -> str:
        return tr(lang, "sound.title")

    def retranslate(self, lang: str) -> None:
        if self.kiosk.voice is None:
            return
        prefs = self.prefs
        for name, heading in self.labels.items():
            heading.setText(tr(lang, f"sound.{name}"))
        for key, button in self.buttons.items():
            if key.startswith("dialect-"):
                code = key.removeprefix("dialect-")
                button.setText(tr(lang, "sound.dialect_default") if not code else
                               self._dialect_name(code))
                button.set_selected(prefs.dialect == code)
            elif key.startswith("rate-"):
                button.setText(tr(lang, f"sound.{key}"))
                button.set_selected(prefs.rate == key.removeprefix("rate-"))
            elif key.startswith("volume-"):
                button.setText(tr(lang, f"sound.{key}", level=prefs.volume))
            else:  # mute, private and captions are switches: the words say their state
                on = {"mute": prefs.muted, "private": prefs.private,
                      "captions": prefs.captions}[key]
                button.setText(tr(lang, f"sound.{key}_{'on' if on else 'off'}"))
                button.set_selected(on)
        self.aloud.retranslate(lang)
        headset = self.kiosk.settings.headset_fitted
        self.labels["private"].setVisible(headset)
        self.buttons["private"].setVisible(headset)
        dialects = bool(language(lang).dialects)
        self.labels["dialect"].setVisible(dialects)
        for key, button in self.buttons.items():
            if key.startswith("dialect-"):
                button.setVisible(dialects)

    def _dialect_name(self, code: str) -> str:
        for lang_code in self.kiosk.offered_languages():
            dialects = language(lang_code).dialects or {}
            if code in dialects:
                return dialects[code]["name"]
        return code

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), tr(lang, "sound.say")]
