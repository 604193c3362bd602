"""The usage log and its figures: a known set of visits over three days, recorded through the
recorder calls with a clock the test moves, gives exactly the dashboard's numbers; the CSV
files read back; nothing personal is stored; unsent records go to the backend once."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.backend.base import Unavailable
from kiosk.backend.demo import DemoBackend
from kiosk.backend.http import HttpBackend
from kiosk.usage import COMMENT_KEYS, CSV_COLUMNS, UsageLog, batches, send_pending
from kiosk.usage_stats import MAX_BATCH_BYTES, MAX_RECORDS, ServiceFigures, summarise

DAY1, DAY2, DAY3 = "2026-11-21", "2026-11-22", "2026-11-23"


class Clock:
    """Local wall time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def morning_of(self, day: str) -> None:
        self.now = datetime.fromisoformat(day).replace(hour=9, minute=30)


def task(log: UsageLog, clock: Clock, service: str, *steps_and_waits: str | int) -> None:
    """Start a service, then show steps ("id") and let time pass (seconds) in the given order."""
    log.task_started(service)
    for item in steps_and_waits:
        if isinstance(item, int):
            clock.wait(item)
        else:
            log.step_reached(item)


def record_three_days(log: UsageLog, clock: Clock) -> None:
    # Day 1: a bill paid; someone who only looked; a pension check done with a helper's help.
    clock.morning_of(DAY1)
    log.visit_started()
    task(log, clock, "pay_bill", "utility", 40, "account", 60)
    log.task_ended("completed")
    log.rated(5, "usage.comment.easy")
    clock.wait(10)
    log.visit_ended()

    log.visit_started()
    clock.wait(15)
    log.visit_ended()

    log.visit_started()
    task(log, clock, "pension_check", "about", 30, "declaration")
    log.help_called()
    clock.wait(45)
    log.help_answered()
    clock.wait(60)
    log.task_ended("completed")
    log.rated(4, "usage.comment.helper_kind")
    log.visit_ended()

    # Day 2: a bill given up at the account number, then a doctor booked; a bill abandoned
    # (the visit timed out with the task open) after an unanswered call for help.
    clock.morning_of(DAY2)
    log.visit_started()
    task(log, clock, "pay_bill", "utility", "account", 50)
    log.task_ended("gave_up")
    task(log, clock, "doctor_appointment", "hospital", 20, "department", 40)
    log.task_ended("completed")
    log.rated(2, "usage.comment.too_long")
    log.visit_ended()

    log.visit_started()
    task(log, clock, "pay_bill", "utility", 5)
    log.help_called()
    clock.wait(15)
    log.visit_ended()

    # Day 3: not eligible after two calls for help (the first cancelled, the second answered,
    # then the helper also signs in); a pension check left for a bill; a bill given up.
    clock.morning_of(DAY3)
    log.visit_started()
    task(log, clock, "senior_allowance", "lives_alone")
    log.help_called()
    clock.wait(10)
    log.help_called()
    clock.wait(30)
    log.help_answered()
    clock.wait(5)
    log.help_answered()
    log.task_ended("ineligible")
    log.visit_ended()

    log.visit_started()
    task(log, clock, "pension_check", "about", 5)
    task(log, clock, "pay_bill", "utility", "account", 80)
    log.task_ended("completed")
    log.rated(4)
    log.visit_ended()

    log.visit_started()
    task(log, clock, "pay_bill", "utility", "account", 30)
    log.task_ended("gave_up")
    log.visit_ended()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def log(tmp_path, clock):
    with UsageLog(tmp_path / "usage.sqlite3", now=clock) as usage:
        yield usage


@pytest.fixture
def recorded(log, clock) -> UsageLog:
    record_three_days(log, clock)
    return log


def test_the_figures_of_a_known_set_of_visits_are_exact(recorded):
    figures = summarise(recorded.records())
    assert figures.sessions == 8
    assert figures.sessions_per_day == {DAY1: 3, DAY2: 2, DAY3: 3}
    assert figures.per_service == {
        "doctor_appointment": ServiceFigures(started=1, completed=1, gave_up=0, ineligible=0,
                                             completion_rate=1.0, average_seconds=60.0,
                                             give_up_steps={}),
        "pay_bill": ServiceFigures(started=5, completed=2, gave_up=3, ineligible=0,
                                   completion_rate=0.4, average_seconds=90.0,
                                   give_up_steps={"account": 2, "utility": 1}),
        "pension_check": ServiceFigures(started=2, completed=1, gave_up=1, ineligible=0,
                                        completion_rate=0.5, average_seconds=135.0,
                                        give_up_steps={"about": 1}),
        "senior_allowance": ServiceFigures(started=1, completed=0, gave_up=0, ineligible=1,
                                           completion_rate=0.0, average_seconds=None,
                                           give_up_steps={}),
    }
    assert list(figures.per_service) == sorted(figures.per_service)
    assert (figures.help_requests, figures.help_answered) == (4, 2)
    assert figures.average_help_wait_s == 37.5  # (45 + 30) / 2: unanswered calls do not count
    assert figures.ratings == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}
    assert figures.average_rating == 3.75
    assert figures.comments == {"usage.comment.easy": 1, "usage.comment.helper_kind": 1,
                                "usage.comment.too_long": 1}


def test_a_visit_record_holds_the_day_whole_seconds_and_ids_only(recorded):
    records = recorded.records()
    assert [r["day"] for r in records] == [DAY1] * 3 + [DAY2] * 2 + [DAY3] * 3
    assert len({r["id"] for r in records}) == 8
    looked_only, timed_out = records[1], records[4]
    assert {k: v for k, v in looked_only.items() if k != "id"} == {
        "day": DAY1, "seconds": 15, "help": [], "tasks": []}
    assert {k: v for k, v in timed_out.items() if k != "id"} == {
        "day": DAY2, "seconds": 20, "help": [{"wait_s": None}],
        "tasks": [{"service_id": "pay_bill", "outcome": "gave_up", "last_step": "utility",
                   "seconds": 20, "rating": None, "comment": None}]}
    assert records[5]["help"] == [{"wait_s": None}, {"wait_s": 30}]
    assert recorded.records(since=date(2026, 11, 23)) == records[5:]


def test_nothing_personal_can_be_stored(recorded, tmp_path):
    db = sqlite3.connect(tmp_path / "usage.sqlite3")
    columns = {table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
               for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert columns == {
        "visits": ["id", "day", "seconds", "sent"],
        "tasks": ["visit_id", "position", "service_id", "outcome", "last_step", "seconds",
                  "rating", "comment"],
        "help_calls": ["visit_id", "position", "wait_s"],
    }
    assert b"09:30" not in (tmp_path / "usage.sqlite3").read_bytes()  # no time of day


def test_rating_and_outcome_take_only_known_values(log):
    log.visit_started()
    log.task_started("pay_bill")
    with pytest.raises(ValueError):
        log.task_ended("finished")
    log.task_ended("completed")
    with pytest.raises(ValueError):
        log.rated(6)
    with pytest.raises(ValueError):
        log.rated(3, "I hated it")  # free text never: only the phrases
    log.rated(3, COMMENT_KEYS[0])
    log.visit_ended()
    assert log.records()[0]["tasks"][0]["rating"] == 3


def test_the_csv_has_one_row_per_task_and_opens_in_excel(recorded, tmp_path):
    path = tmp_path / "usage.csv"
    assert recorded.csv(path, lang="zh_CN") == 10  # 9 tasks and the visit without a task
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == CSV_COLUMNS
    first = rows[0]
    assert (first["day"], first["visit_seconds"], first["task"], first["service_id"],
            first["outcome"], first["task_seconds"], first["rating"], first["comment"],
            first["comment_text"]) == (DAY1, "110", "1", "pay_bill", "completed", "100", "5",
                                       "usage.comment.easy", "很简单")
    assert (rows[1]["day"], rows[1]["task"], rows[1]["service_id"]) == (DAY1, "", "")
    helped = rows[6]  # day 3's first visit: two calls, one answered after 30 seconds
    assert (helped["help_calls"], helped["help_answered"], helped["help_wait_s"],
            helped["outcome"], helped["last_step"]) == ("2", "1", "30", "ineligible",
                                                        "lives_alone")


def test_the_summary_csv_holds_the_same_figures(recorded, tmp_path):
    path = tmp_path / "figures.csv"
    recorded.summary_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = {tuple(row[:3]): row[3] for row in csv.reader(file)}
    assert rows[("sessions", "", "")] == "8"
    assert rows[("sessions_on_day", "", DAY2)] == "2"
    assert rows[("completion_rate", "pay_bill", "")] == "0.4"
    assert rows[("given_up_at_step", "pay_bill", "account")] == "2"
    assert rows[("average_seconds_completed", "senior_allowance", "")] == ""
    assert rows[("average_help_wait_s", "", "")] == "37.5"
    assert rows[("rated", "", "4")] == "2"


def test_pending_records_are_sent_once_and_only_when_the_hub_takes_them(recorded, tmp_path):
    offline = HttpBackend("http://127.0.0.1:9", "token", tmp_path / "outbox.sqlite3", "k",
                          policy="offline")
    assert send_pending(recorded, offline) == 0
    assert recorded.unsent_count() == 8

    demo = DemoBackend()
    assert send_pending(recorded, demo) == 8
    assert set(demo.usage) == {r["id"] for r in recorded.records()}
    assert recorded.unsent_count() == 0 and recorded.records(unsent_only=True) == []
    assert send_pending(recorded, demo) == 0
    assert len(recorded.records()) == 8  # kept for the kiosk's own dashboard


def test_a_log_reopened_keeps_its_records(recorded, tmp_path, clock):
    recorded.close()
    with UsageLog(tmp_path / "usage.sqlite3", now=clock) as again:
        assert summarise(again.records()).sessions == 8


def test_out_of_order_calls_never_break_the_kiosk(log):
    log.task_ended("completed")  # nothing open: ignored
    log.visit_ended()
    log.rated(5)
    log.task_started("pay_bill")  # no visit_started: one starts
    log.visit_started()  # the open visit is written first, its task given up
    log.visit_ended()
    assert [len(r["tasks"]) for r in log.records()] == [1, 0]
    assert log.records()[0]["tasks"][0]["outcome"] == "gave_up"


def test_figures_of_no_records():
    figures = summarise([])
    assert (figures.sessions, figures.per_service, figures.average_help_wait_s,
            figures.average_rating) == (0, {}, None, None)
    assert figures.ratings == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_every_comment_phrase_is_translated():
    root = Path(__file__).resolve().parents[2] / "i18n"
    for lang in ("en", "zh_CN"):
        texts = json.loads((root / lang / "usage.json").read_text(encoding="utf-8"))
        assert set(texts) == set(COMMENT_KEYS)
    zh = json.loads((root / "zh_CN" / "usage.json").read_text(encoding="utf-8"))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in zh.values())


@pytest.mark.parametrize("answer", [{}, [], {"stored": "many", "already_stored": 0},
                                    {"stored": None, "already_stored": 0}])
def test_a_hub_answer_that_is_not_understood_leaves_the_records_waiting(recorded, tmp_path,
                                                                         answer):
    """A hub (or a proxy before it) that answers the usage call with the wrong JSON is
    Unavailable for the sender: nothing escapes send_pending, nothing is marked sent."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Odd(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes = b"") -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # the online probe (the catalogue)
            self._answer(304)

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer(200, json.dumps(answer).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Odd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    backend = HttpBackend(f"http://127.0.0.1:{server.server_port}", "token",
                          tmp_path / "outbox.sqlite3", "k")
    try:
        with pytest.raises(Unavailable, match="not understood"):  # the hub was reached
            backend.send_usage(recorded.records())
        assert send_pending(recorded, backend) == 0
        assert recorded.unsent_count() == 8
    finally:
        backend.outbox.close()
        server.shutdown()
        server.server_close()


def test_batches_fit_the_hubs_limits_in_records_and_bytes():
    """The hub refuses a POST /v1/usage body over MAX_BATCH_BYTES (413) or with more than
    MAX_RECORDS records: the kiosk cuts its records to fit both, in order, none left out."""
    task = {"service_id": "pay_bill", "outcome": "gave_up", "last_step": "x" * 100,
            "seconds": 30, "rating": None, "comment": None}
    big = [{"id": str(n), "tasks": [task] * 50} for n in range(400)]  # ~10.5 KiB each
    small = [{"id": f"s{n}"} for n in range(1200)]
    for records in (big, small, big[:1], []):
        cut = list(batches(records))
        assert [r for batch in cut for r in batch] == records
        for batch in cut:
            assert 0 < len(batch) <= MAX_RECORDS
            assert len(json.dumps({"records": batch}).encode()) <= MAX_BATCH_BYTES
    assert len(list(batches(big))) == 3 and len(list(batches(small))) == 3
