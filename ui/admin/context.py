"""What the admin's corner (and the fleet link, which applies what the hub pushes) may ask of the
kiosk: the screens' view, plus settings, catalogue and the usage figures. `ui.app.Kiosk`
satisfies it; the admin never imports ui.app (pyproject import layers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ui.screens.context import KioskContext

if TYPE_CHECKING:
    from kiosk.catalogue import Catalogue
    from kiosk.diagnostics import Check
    from kiosk.settings import Settings
    from ui.usage_tracking import UsageTracking
    from ui.window import KioskWindow


@runtime_checkable
class AdminContext(KioskContext, Protocol):
    window: KioskWindow
    usage: UsageTracking

    def apply_settings(self, settings: Settings) -> None: ...

    def use_catalogue(self, catalogue: Catalogue) -> None: ...

    def check_connection(self) -> None: ...

    def self_checked(self, checks: list[Check]) -> None: ...
