"""What the government already holds about a citizen: shown and confirmed, never asked again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# A Chinese address names its province (or autonomous region), city and county-level unit
# (区, 县, 旗, or a county-level 市) before the street: 北京市朝阳区幸福路12号 is in 北京市, 朝阳区.
_PLACE = re.compile(r"(?:[^省]{2,}?省|.{2,}?自治区)?(?P<city>.{2,}?(?:市|自治州|地区|盟))?"
                    r"(?P<district>.{1,}?(?:区|县|旗|市))")


def residence(address: str) -> tuple[str, str]:
    """(city, district) named at the start of a Chinese address; "" for what it does not name.
    Service files test residence with them: citizen.district in [朝阳区, 东城区]."""
    found = _PLACE.match(address.strip())
    if found is None:
        return "", ""
    return found["city"] or "", found["district"]


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
            "city": residence(self.address)[0],
            "district": residence(self.address)[1],
            "phone": self.phone,
            "age": self.age,
        }
