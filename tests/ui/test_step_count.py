"""The step counter in the header never grows: a total is shown only once no answer still to
come can change it; until then it says "a few" ("Step 2 of a few", 第2步，还有几步). Read off
the screen while a person's taps walk the conditional services, down each branch, in both
languages."""

from __future__ import annotations

import re

import pytest

from kiosk.journey import Stage
from tests.conftest import ELDEST, OLDEST

COUNT = {"en": re.compile(r"Step (\d+) of (\d+)"), "zh_CN": re.compile(r"第(\d+)步，共(\d+)步")}
FEW = {"en": re.compile(r"Step (\d+) of a few"), "zh_CN": re.compile(r"第(\d+)步，还有几步")}


def headers(kiosk, walker, lang, service_id, card, answers) -> list[tuple[int, int | None]]:
    """(step, total or None) from the header of each question page, in the order seen."""
    seen: list[tuple[int, int | None]] = []

    def shot(_label: str) -> None:
        if kiosk.current() is not kiosk.question:
            return
        step = kiosk.window.step
        assert step.isVisible()
        text = step.text()
        if counted := COUNT[lang].fullmatch(text):
            seen.append((int(counted[1]), int(counted[2])))
        else:
            few = FEW[lang].fullmatch(text)
            assert few, f"unexpected step text {text!r}"
            seen.append((int(few[1]), None))

    walker.shot = shot
    walker.begin(lang)
    assert walker.complete(service_id, card=card, answers=answers, submit=False) is Stage.REVIEW
    return seen


def assert_never_grows(seen: list[tuple[int, int | None]]) -> None:
    shown = [total for _, total in seen if total is not None]
    assert shown, "a total is shown once nothing can change it"
    assert all(later == shown[0] for later in shown), f"the total changed: {seen}"
    assert [n for n, _ in seen] == list(range(1, len(seen) + 1))
    assert seen[-1] == (len(seen), len(seen))  # the last page says so


BRANCHES = [
    ("pension_check", ELDEST, {"lives_at_home": False, "living_where": "with_family"}, 6),
    ("pension_check", ELDEST, {"lives_at_home": True}, 5),
    ("senior_allowance", OLDEST, {"lives_alone": True}, 5),
    ("senior_allowance", OLDEST, {"lives_alone": False}, 4),
]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(("service_id", "card", "answers", "pages"), BRANCHES)
def test_the_step_total_never_grows(kiosk, walker, lang, service_id, card, answers, pages):
    seen = headers(kiosk, walker, lang, service_id, card, answers)
    assert len(seen) == pages
    assert seen[0][1] is None  # the first page cannot know whether the branch is taken
    assert_never_grows(seen)


def test_a_service_without_conditions_counts_from_the_first_page(kiosk, walker):
    seen = headers(kiosk, walker, "en", "pay_bill", None, {})
    assert seen == [(n, len(seen)) for n in range(1, len(seen) + 1)]
