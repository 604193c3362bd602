"""Answers given by tapping a big tile: choices (with icons), yes / no, and appointment times."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk import formatting
from kiosk.i18n import tr
from kiosk.journey import Journey
from kiosk.service import Step
from kiosk.speech import script as speech
from kiosk.speech.script import VALUE, Part, Script
from ui.fields.base import FieldWidget
from ui.screens.base import label
from ui.widgets.big_button import BigButton


class TileField(FieldWidget):
    columns = 2

    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.chosen: Any = None
        self.tiles: list[tuple[Any, BigButton]] = []
        grid_host = QWidget()
        grid_host.setProperty("role", "page")
        self.grid = QGridLayout(grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(24)
        self.empty = label("body")
        self.empty.hide()
        self.box.addWidget(grid_host)
        self.box.addWidget(self.empty)

    def add_tile(self, value: Any, icon: str = "") -> BigButton:
        tile = BigButton(role="option", icon=icon)
        tile.setObjectName(f"choice-{value}")
        tile.clicked.connect(lambda _=False, v=value: self.choose(v))
        n = len(self.tiles)
        self.grid.addWidget(tile, n // self.columns, n % self.columns)
        self.tiles.append((value, tile))
        return tile

    def choose(self, value: Any) -> None:
        self.set_value(value)
        self.changed.emit()

    def value(self) -> Any:
        return self.chosen

    def set_value(self, value: Any) -> None:
        self.chosen = value
        for tile_value, tile in self.tiles:
            tile.set_selected(tile_value == value and value is not None)

    def spoken_option(self, index: int, lang: str) -> str | Part:
        return self.tiles[index][1].text()

    def script(self, lang: str) -> Script:
        """The options one by one, by their words (the buttons carry no numbers), the one
        chosen already marked as it is said."""
        said: Script = [tr(lang, "speech.options")] if self.tiles else []
        for i, (value, _tile) in enumerate(self.tiles):
            option = self.spoken_option(i, lang)
            if value == self.chosen and value is not None:
                option = speech.framed(option, tr(lang, "speech.chosen_option", option=VALUE))
            said.append(option)
        return said


class ChoiceField(TileField):
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.options = journey.options_for(step)
        for option in self.options:
            self.add_tile(option.value, option.icon)

    def retranslate(self, lang: str) -> None:
        for option, (_, tile) in zip(self.options, self.tiles, strict=True):
            tile.setText(option.label.get(lang))

    def spoken_option(self, index: int, lang: str) -> str | Part:
        """The option's `say` where the service file gives one: a label that reads badly."""
        option = self.options[index]
        return (option.say or option.label).get(lang)


class YesNoField(TileField):
    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.add_tile(True, "yes")
        self.add_tile(False, "no")

    def retranslate(self, lang: str) -> None:
        for value, tile in self.tiles:
            tile.setText(tr(lang, "common.yes" if value else "common.no"))


class SlotField(TileField):
    columns = 3

    def __init__(self, step: Step, journey: Journey) -> None:
        super().__init__(step, journey)
        self.slots = journey.slots_for(step)
        for slot in self.slots:
            self.add_tile(slot.id, "clock")

    def spoken_option(self, index: int, lang: str) -> str | Part:
        slot = self.slots[index]
        return speech.clock(slot.start).framed(tr(lang, "speech.slot", time=VALUE,
                                                  free=slot.free))

    def retranslate(self, lang: str) -> None:
        for slot, (_, tile) in zip(self.slots, self.tiles, strict=True):
            tile.setText(tr(lang, "field.slot", time=formatting.clock(slot.start),
                            free=slot.free))
        self.empty.setText(tr(lang, "field.no_slots"))
        self.empty.setVisible(not self.slots)
