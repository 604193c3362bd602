"""What the government already holds about a citizen: shown and confirmed, never asked again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Citizen:
    id_number: str
    name: str
    birth_date: date
    address: str
    phone: str  # E.164, e.g. +8613812345678
    age: int  # on the day they were identified; rules such as "age >= 80" read it

    def facts(self) -> dict[str, object]:
        """The fields a service file may name as `citizen.<field>`."""
        return {
            "id_number": self.id_number,
            "name": self.name,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "phone": self.phone,
            "age": self.age,
        }
