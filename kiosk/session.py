"""One citizen's visit: language, text size, who they are, the service in progress.

`end()` is the only way a visit finishes (Finish, idle timeout, or walking away), and it wipes
everything personal so the next person finds nothing.
"""

from __future__ import annotations

from datetime import date

from kiosk.backend import Backend
from kiosk.citizen import Citizen
from kiosk.journey import Journey
from kiosk.service import Service
from kiosk.settings import Settings


class Session:
    def __init__(self, settings: Settings, backend: Backend, today: date | None = None) -> None:
        self.settings = settings
        self.backend = backend
        self.today = today
        self.citizen: Citizen | None = None
        self.journey: Journey | None = None
        self.reset_preferences()

    def day(self) -> date:
        """Today, or the fixed day a test or a demo runs on."""
        return self.today or date.today()

    def reset_preferences(self) -> None:
        self.language = self.settings.default_language
        self.text_size = self.settings.default_text_size
        self.theme = self.settings.theme

    # identity
    def needs_identity(self, service: Service) -> bool:
        return service.needs_identity and self.citizen is None

    # Off the GUI thread (ui.ops): what the hub holds, not yet taken as this visit's citizen.
    def find_by_card(self, id_number: str) -> Citizen:
        return self.backend.citizen_by_card(id_number)

    def find_by_code(self, id_number: str, code: str) -> Citizen:
        return self.backend.verify_code(id_number, code)

    def demo_code(self) -> str:
        """The one-time code a demo hub shows (no phone receives it); empty for a real hub."""
        return str(getattr(self.backend, "last_code", ""))

    def identify_by_card(self, id_number: str) -> Citizen:
        self.citizen = self.backend.citizen_by_card(id_number)
        return self.citizen

    def send_code(self, id_number: str) -> str:
        """Returns the last four digits of the phone the code went to."""
        return self.backend.send_code(id_number)

    def identify_by_code(self, id_number: str, code: str) -> Citizen:
        self.citizen = self.backend.verify_code(id_number, code)
        return self.citizen

    # services
    def start(self, service: Service) -> Journey:
        if self.needs_identity(service):
            raise PermissionError(f"{service.id} needs the citizen identified first")
        if self.journey is not None:
            self.journey.wipe()
        self.journey = Journey(service, self.backend, self.citizen if service.needs_identity
                               else None, self.today, self.language)
        return self.journey

    def leave_service(self) -> None:
        if self.journey is not None:
            self.journey.wipe()
        self.journey = None

    def end(self) -> None:
        self.leave_service()
        self.citizen = None
        self.reset_preferences()
