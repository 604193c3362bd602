"""What the journey benchmarks share: the demo day, the citizen, and one whole journey.

Not a benchmark itself. Import it after QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import re
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.backend.demo_data import CITIZENS, DEPARTMENTS, HOSPITALS
from kiosk.service import Service
from ui.walker import DEMO_ANSWERS, Walker

DAY = date(2026, 11, 23)
ELDEST = CITIZENS[0][0]  # aged 85 on DAY: eligible for every service
LANGS = ("zh_CN", "en")


def settle() -> None:
    """What the event loop does after a tap: handle what is posted (layout, paint) and delete
    what the kiosk threw away. app.exec() deletes those in the same loop turn; processEvents
    outside app.exec() never does, so without this they pile up."""
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def roomy_clinic(walker: Walker) -> dict[str, str]:
    """The hospital and department with the most free places on the first day the walker
    books (tomorrow). A kiosk in use for months meets new days, each with new places: when
    tomorrow is full everywhere (about 70 bookings on the demo's places), the kiosk's day
    moves on by one, as it would overnight, so a long run never runs out."""
    session = walker.kiosk.session
    backend = session.backend
    for _ in range(366):
        day = (session.day() + timedelta(days=1)).isoformat()
        free = {(h.value, d.value): sum(s.free for s in backend.slots(
                    {"hospital": h.value, "department": d.value, "day": day}))
                for h in HOSPITALS for d in DEPARTMENTS.get(h.value, ())}
        hospital, department = max(free, key=free.__getitem__)
        if free[hospital, department]:
            return {"hospital": hospital, "department": department}
        session.today = session.day() + timedelta(days=1)
    raise SystemExit("no free place in a year of days")


def journey(walker: Walker, service: Service, lang: str) -> None:
    """From the attract screen through the service to Finish and "How was it?" (a face), back on
    the attract screen."""
    kiosk = walker.kiosk
    walker.begin(lang)
    original = re.sub(r"_\d{3}$", "", service.id)  # a copy (bench/many_services.py)
    answers = dict(DEMO_ANSWERS.get(original, {}))
    if original == "doctor_appointment":
        answers.update(roomy_clinic(walker))
    walker.complete(service.id, card=ELDEST if service.needs_identity else None,
                    answers=answers)
    if kiosk.current() is not kiosk.attract:
        walker.finish(score=5)  # Finish (if not passed), a face on "How was it?": the visit ends
    if kiosk.current() is not kiosk.attract:
        raise SystemExit(f"{service.id} ({lang}) ended on {type(kiosk.current()).__name__}")
