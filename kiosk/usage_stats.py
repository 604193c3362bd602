"""The usage figures a centre reports, computed from visit records: `summarise(records)`.

Pure and exact (no clock, no I/O), shared by the kiosk's dashboard and the hub's centre page,
so both show the same numbers from the same records. A record is one visit, as
kiosk.usage.UsageLog writes it and POST /v1/usage carries it (docs/api/CONTRACT.md):

    {"id": "<uuid4>", "day": "2026-11-23", "seconds": 312,
     "help": [{"wait_s": 45}, {"wait_s": null}],          # one per help call; null: not answered
     "tasks": [{"service_id": "pay_bill", "outcome": "gave_up", "last_step": "account",
                "seconds": 120, "rating": 4, "comment": "usage.comment.easy"}]}

Definitions (every figure counts whole records; nothing is sampled or rounded):
- sessions: visits (a visit that started no task is still a session); per day by `day`.
- per service, over its tasks: started = every task of the service; completed / gave_up /
  ineligible = tasks with that outcome; completion_rate = completed / started;
  average_seconds = mean `seconds` of the completed tasks (None when none completed);
  give_up_steps = gave-up tasks counted by their last step reached ("" = before any step).
- help_requests = help calls; help_answered = those answered; average_help_wait_s = mean wait
  of the answered calls (None when none was answered).
- ratings = tasks rated 1..5 (all five scores present, zero when none); average_rating = mean
  score of the rated tasks (None when none); comments = tasks per comment phrase key.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

OUTCOMES = ("completed", "gave_up", "ineligible")
SCORES = (1, 2, 3, 4, 5)
NO_STEP = ""  # give_up_steps key of a task given up before its first step was shown

# Limits both sides hold to (the kiosk clamps, the hub refuses beyond them).
MAX_SECONDS = 86_400  # a visit or task longer than a day is a kiosk left alone: a day
MAX_TASKS = 50  # per visit
MAX_HELP_CALLS = 50  # per visit
MAX_RECORDS = 500  # per POST /v1/usage
MAX_BATCH_BYTES = 2 * 1024 * 1024  # per POST /v1/usage body (the hub answers 413 beyond)
IDENT_PATTERN = r"^[A-Za-z0-9_.-]{1,100}$"  # service, step and comment ids: never free text


@dataclass(frozen=True)
class ServiceFigures:
    started: int
    completed: int
    gave_up: int
    ineligible: int
    completion_rate: float
    average_seconds: float | None
    give_up_steps: dict[str, int]  # the most frequent first


@dataclass(frozen=True)
class Summary:
    sessions: int
    sessions_per_day: dict[str, int]  # ISO day -> visits, days in order
    per_service: dict[str, ServiceFigures]  # by service id
    help_requests: int
    help_answered: int
    average_help_wait_s: float | None
    ratings: dict[int, int]  # score 1..5 -> tasks so rated
    average_rating: float | None
    comments: dict[str, int]  # phrase key -> tasks, the most frequent first

    def as_json(self) -> dict[str, Any]:
        """JSON-ready (the ratings' keys become "1".."5")."""
        data = asdict(self)
        data["ratings"] = {str(score): count for score, count in self.ratings.items()}
        return data


def _mean(total: float, count: int) -> float | None:
    return total / count if count else None


def _most_first(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _service(tasks: list[Mapping[str, Any]]) -> ServiceFigures:
    outcomes = Counter(task["outcome"] for task in tasks)
    done = [task["seconds"] for task in tasks if task["outcome"] == "completed"]
    steps = Counter(task.get("last_step") or NO_STEP for task in tasks
                    if task["outcome"] == "gave_up")
    return ServiceFigures(
        started=len(tasks), completed=outcomes["completed"], gave_up=outcomes["gave_up"],
        ineligible=outcomes["ineligible"], completion_rate=outcomes["completed"] / len(tasks),
        average_seconds=_mean(sum(done), len(done)), give_up_steps=_most_first(steps))


def summarise(records: Iterable[Mapping[str, Any]]) -> Summary:
    days: Counter[str] = Counter()
    by_service: dict[str, list[Mapping[str, Any]]] = {}
    waits: list[int] = []
    calls = 0
    ratings: Counter[int] = Counter()
    comments: Counter[str] = Counter()
    for record in records:
        days[record["day"]] += 1
        for call in record.get("help", ()):
            calls += 1
            if call.get("wait_s") is not None:
                waits.append(call["wait_s"])
        for task in record.get("tasks", ()):
            by_service.setdefault(task["service_id"], []).append(task)
            if task.get("rating") is not None:
                ratings[task["rating"]] += 1
            if task.get("comment"):
                comments[task["comment"]] += 1
    rated = sum(ratings.values())
    return Summary(
        sessions=sum(days.values()),
        sessions_per_day=dict(sorted(days.items())),
        per_service={service: _service(tasks) for service, tasks in sorted(by_service.items())},
        help_requests=calls, help_answered=len(waits),
        average_help_wait_s=_mean(sum(waits), len(waits)),
        ratings={score: ratings[score] for score in SCORES},
        average_rating=_mean(sum(score * n for score, n in ratings.items()), rated),
        comments=_most_first(comments))


SUMMARY_COLUMNS = ("figure", "service", "item", "value")


def summary_rows(summary: Summary) -> Iterator[tuple[str, str, str, int | float | str]]:
    """The figures as (figure, service, item, value) rows: a spreadsheet-friendly long table.
    A figure with no value (an average of nothing) has an empty value."""

    def value(number: float | None) -> int | float | str:
        return "" if number is None else number

    yield "sessions", "", "", summary.sessions
    for day, count in summary.sessions_per_day.items():
        yield "sessions_on_day", "", day, count
    for service, figures in summary.per_service.items():
        yield "tasks_started", service, "", figures.started
        yield "tasks_completed", service, "", figures.completed
        yield "tasks_given_up", service, "", figures.gave_up
        yield "tasks_ineligible", service, "", figures.ineligible
        yield "completion_rate", service, "", figures.completion_rate
        yield "average_seconds_completed", service, "", value(figures.average_seconds)
        for step, count in figures.give_up_steps.items():
            yield "given_up_at_step", service, step, count
    yield "help_requests", "", "", summary.help_requests
    yield "help_answered", "", "", summary.help_answered
    yield "average_help_wait_s", "", "", value(summary.average_help_wait_s)
    for score, count in summary.ratings.items():
        yield "rated", "", str(score), count
    yield "average_rating", "", "", value(summary.average_rating)
    for key, count in summary.comments.items():
        yield "comment", "", key, count


def summary_csv_text(summary: Summary) -> str:
    """The figures as CSV text: the SUMMARY_COLUMNS heading, then summary_rows. The kiosk's
    file and the hub's download both write it as UTF-8 with a byte order mark (for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows(summary_rows(summary))
    return out.getvalue()
