"""The kiosk's voice: the speech service, with its events brought onto the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.speech.script import Script
from kiosk.speech.service import Event, Preferences, SpeechService


class QtVoice(QObject):
    """Implements the Voice protocol of ui.screens.context; `event` fires on the GUI thread."""

    event = Signal(object)

    def __init__(self, service: SpeechService | None = None) -> None:
        super().__init__()
        self.service = service or SpeechService()
        # the worker thread emits; Qt queues the call onto the thread that owns this object
        self.service.on_event = self.event.emit
        self.last: Event | None = None
        self.event.connect(self._remember)

    def _remember(self, event: Event) -> None:
        self.last = event

    @property
    def prefs(self):
        return self.service.prefs

    def say(self, script: Script, lang: str, cue: str = "") -> list[int]:
        """Instead of anything still being said; returns the ids its events will carry."""
        self.service.stop()
        if cue:
            self.service.cue(cue)
        return self.service.add(script, lang)

    def cue(self, name: str) -> None:
        self.service.cue(name)

    def synthesiser(self) -> object | None:
        return self.service.synth

    def can_sound(self) -> bool:
        player = self.service.player
        return player is None or player.available

    def stop(self) -> None:
        self.service.stop()

    def reset(self) -> None:
        self.service.reset()

    def set_defaults(self, rate: str, volume: int) -> None:
        """The centre's speech rate and volume: what reset() returns to after each visit."""
        self.service.defaults = Preferences(rate=rate, volume=volume)

    def close(self) -> None:
        self.service.close()
