"""What a receipt says, in one language: built from the journey, printed by the UI.

Paper gets left behind on the kiosk shelf, so personal answers are masked on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs

from kiosk import formatting
from kiosk.i18n import tr
from kiosk.journey import Journey

PAPERS = ("a5", "a4", "roll80")  # sheets, or an 80 mm roll on a Qt/CUPS receipt printer


def paper_of(printer: str) -> tuple[str, str]:
    """A Qt printer setting ("", "pdf", a printer name) with an optional "?paper=roll80":
    (the printer, the paper). ValueError for a paper the kiosk cannot lay out."""
    name, _, query = printer.partition("?")
    options = {key: values[-1] for key, values in parse_qs(query).items()}
    paper = options.get("paper", PAPERS[0]).strip().lower()
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    return name.strip(), paper


@dataclass(frozen=True)
class Receipt:
    service: str
    reference: str  # grouped for reading: GL 4017 2953
    provisional: bool
    when: str
    lines: tuple[tuple[str, str], ...]
    next_steps: str
    qr_text: str  # what a phone gets when it scans the code
    keep: str
    labels: dict[str, str]


def build(journey: Journey, lang: str, now: datetime | None = None) -> Receipt:
    if journey.result is None:
        raise ValueError("a receipt needs a submitted journey")
    result = journey.result
    when = now or datetime.now()
    service = journey.service.title.get(lang)
    reference = formatting.reference(result.reference)
    return Receipt(
        service=service,
        reference=reference,
        provisional=result.provisional,
        when=f"{formatting.day(when.date(), lang)} {when:%H:%M}",
        lines=tuple(journey.receipt_lines(lang)),
        next_steps=_next_steps(journey, lang),
        qr_text=f"{service}: {result.reference}",
        keep=tr(lang, "receipt.keep"),
        labels={key: tr(lang, f"receipt.{key}") for key in
                ("reference", "provisional", "date", "service", "next")},
    )


def _next_steps(journey: Journey, lang: str) -> str:
    """What was done, what happens next and, for a booking, how to change or cancel it (with
    the number)."""
    service, confirmation = journey.service, journey.service.confirmation
    words = [confirmation.done.get(lang) if confirmation and confirmation.done else "",
             service.next_steps.get(lang) if service.next_steps else "",
             confirmation.change_text(lang) if confirmation else ""]
    text = ""
    for part in (w for w in words if w):  # Chinese sentences follow each other with no space
        text += ("" if not text or text.endswith(("。", "！", "？")) else " ") + part
    return text
