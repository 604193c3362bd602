"""The Usage tab: what the centre reports to the council, from this kiosk's anonymous visit
records (kiosk.usage) through the same summarise() the hub uses. Visits per day, how many finish
each service and how long it takes, where people give up, help and its waiting time, and how
people rated their visit; saved as CSV files for a spreadsheet."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.events import IDENTITY_STEP, REVIEW_STEP
from kiosk.i18n import tr
from kiosk.usage_stats import NO_STEP, SCORES, Summary, summarise
from ui.admin.parts import (
    AdminPage,
    BarChart,
    DrivePicker,
    OutcomeLine,
    Table,
    duration,
    service_title,
)
from ui.screens.base import label
from ui.tasks import run_in_background
from ui.widgets.big_button import BigButton

PERIODS = {"7": 7, "30": 30, "all": None}  # days back from today; None: every record
DAY_BARS = 14  # visits per day: the last two weeks at most, so each day's label fits
TOP_STEPS = 3  # where people give up: the most frequent steps of each service


class UsageView(AdminPage):
    def __init__(self, kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.lang = kiosk.session.language
        self.setProperty("role", "page")
        self.period = "30"
        self.summary: Summary = summarise([])
        self.records: list[dict] = []
        self.busy = False  # a CSV export under way: one at a time
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.heading = label("heading")
        self.intro = label("hint")
        periods = QHBoxLayout()
        periods.setSpacing(24)
        self.periods: dict[str, BigButton] = {}
        for name in PERIODS:
            button = BigButton(role="option")
            button.setObjectName(f"usage-period-{name}")
            button.clicked.connect(lambda _=False, n=name: self.choose_period(n))
            self.periods[name] = button
            periods.addWidget(button)
        periods.addStretch(1)
        self.sessions = label("body")
        self.sessions.setObjectName("usage-sessions")
        self.sessions_chart = BarChart("usage-sessions-chart")
        self.services_heading = label("heading")
        self.services = Table("usage-services", wide_column=0)
        self.completion_chart = BarChart("usage-completion-chart", horizontal=True)
        self.time_chart = BarChart("usage-time-chart", horizontal=True)
        self.give_up_heading = label("heading")
        self.give_up = Table("usage-give-up", wide_column=1)
        self.give_up_none = label("body")
        self.help_heading = label("heading")
        self.help = label("body")
        self.help.setObjectName("usage-help")
        self.satisfaction_heading = label("heading")
        self.ratings = label("body")
        self.ratings.setObjectName("usage-ratings")
        self.ratings_chart = BarChart("usage-ratings-chart")
        self.comments = Table("usage-comments", wide_column=0)
        self.export_words = label("body")
        self.drives = DrivePicker("usage")
        self.drives.chosen.connect(self.export_to)
        self.outcome = OutcomeLine("usage")  # how the last export went
        self.done, self.error = self.outcome.done, self.outcome.error
        box.addWidget(self.heading)
        box.addWidget(self.intro)
        box.addLayout(periods)
        for widget in (self.sessions, self.sessions_chart, self.services_heading, self.services,
                       self.completion_chart, self.time_chart, self.give_up_heading,
                       self.give_up, self.give_up_none, self.help_heading, self.help,
                       self.satisfaction_heading, self.ratings, self.ratings_chart,
                       self.comments, self.export_words, self.drives, self.outcome):
            box.addWidget(widget)

    @property
    def log(self):
        return self.kiosk.usage.log

    def choose_period(self, name: str) -> None:
        self.period = name
        self.refresh()

    def refresh(self) -> None:
        days = PERIODS[self.period]
        since = None if days is None else date.today() - timedelta(days=days - 1)
        self.records = self.log.records(since=since)
        self.summary = summarise(self.records)
        self.drives.refresh()
        self._show()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.drives.retranslate(lang)
        self._show()

    # names in the admin's language
    def _services(self) -> list[str]:
        """The services with figures, in the kiosk's menu order (others after, by id)."""
        known = [s.id for s in self.kiosk.catalogue.services]
        found = list(self.summary.per_service)
        return [s for s in known if s in found] + sorted(s for s in found if s not in known)

    def _service(self, service_id: str) -> str:
        return service_title(self.kiosk, service_id, self.lang)

    def _step(self, service_id: str, step_id: str) -> str:
        special = {IDENTITY_STEP: "identity", REVIEW_STEP: "review", NO_STEP: "none"}
        try:
            return self.kiosk.catalogue.get(service_id).step(step_id).title.get(self.lang)
        except KeyError:
            if step_id in special:
                return tr(self.lang, f"view.usage.step.{special[step_id]}")
            return step_id

    # showing
    def _show(self) -> None:
        lang, summary = self.lang, self.summary
        look = {"theme": self.kiosk.session.theme, "size": self.kiosk.session.text_size}
        self.heading.setText(tr(lang, "view.usage.heading"))
        self.intro.setText(tr(lang, "view.usage.intro"))
        for name, button in self.periods.items():
            button.setText(tr(lang, f"view.usage.period.{name}"))
            button.set_selected(name == self.period)
            button.retranslate(lang)
        for table in (self.services, self.give_up, self.comments):
            table.restyle(self.kiosk.session.theme)
        any_visit = summary.sessions > 0
        self.sessions.setText(tr(lang, "view.usage.sessions", n=summary.sessions) if any_visit
                              else tr(lang, "view.usage.none"))
        days = self._days()
        self.sessions_chart.show_bars(
            tr(lang, "view.usage.sessions_chart", n=len(days)),
            [f"{day.month}-{day.day}" for day in days],
            [summary.sessions_per_day.get(day.isoformat(), 0) for day in days], **look)

        services = self._services()
        figures = [summary.per_service[s] for s in services]
        names = [self._service(s) for s in services]
        self.services_heading.setText(tr(lang, "view.usage.services_heading"))
        self.services.fill(
            [tr(lang, f"view.usage.col.{c}") for c in
             ("service", "started", "completed", "ineligible", "gave_up", "rate", "time")],
            [[name, str(f.started), str(f.completed), str(f.ineligible), str(f.gave_up),
              f"{round(f.completion_rate * 100)}%", duration(f.average_seconds, lang)]
             for name, f in zip(names, figures, strict=True)])
        self.completion_chart.show_bars(
            tr(lang, "view.usage.completion_chart"), names,
            [round(f.completion_rate * 100) for f in figures], unit="%", maximum=100, **look)
        timed = [(n, f) for n, f in zip(names, figures, strict=True)
                 if f.average_seconds is not None]
        self.time_chart.show_bars(
            tr(lang, "view.usage.time_chart"), [n for n, _ in timed],
            [round(f.average_seconds / 60, 1) for _, f in timed], **look)
        for widget in (self.services_heading, self.services, self.completion_chart):
            widget.setVisible(bool(services))
        self.time_chart.setVisible(bool(timed))

        rows = [[name, self._step(service, step), str(count)]
                for service, name in zip(services, names, strict=True)
                for step, count in list(summary.per_service[service].give_up_steps.items())
                [:TOP_STEPS]]
        self.give_up_heading.setText(tr(lang, "view.usage.give_up_heading"))
        self.give_up.fill([tr(lang, f"view.usage.col.{c}") for c in
                           ("service", "step", "times")], rows)
        self.give_up.setVisible(bool(rows))
        self.give_up_none.setText(tr(lang, "view.usage.give_up_none"))
        self.give_up_none.setVisible(not rows)

        self.help_heading.setText(tr(lang, "view.usage.help_heading"))
        if summary.average_help_wait_s is not None:
            words = tr(lang, "view.usage.help_waited", calls=summary.help_requests,
                       answered=summary.help_answered,
                       wait=duration(summary.average_help_wait_s, lang))
        elif summary.help_requests:
            words = tr(lang, "view.usage.help", calls=summary.help_requests,
                       answered=summary.help_answered)
        else:
            words = tr(lang, "view.usage.no_help")
        self.help.setText(words)

        self.satisfaction_heading.setText(tr(lang, "view.usage.satisfaction_heading"))
        rated = sum(summary.ratings.values())
        self.ratings.setText(
            tr(lang, "view.usage.ratings", n=rated, average=f"{summary.average_rating:.1f}")
            if summary.average_rating is not None else tr(lang, "view.usage.no_ratings"))
        self.ratings_chart.show_bars(
            tr(lang, "view.usage.ratings_chart"),
            [tr(lang, f"rating.face.{score}") for score in SCORES],
            [summary.ratings[score] for score in SCORES], **look)
        self.ratings_chart.setVisible(rated > 0)
        self.comments.fill([tr(lang, "view.usage.col.comment"), tr(lang, "view.usage.col.times")],
                           [[tr(lang, key), str(n)] for key, n in summary.comments.items()])
        self.comments.setVisible(bool(summary.comments))

        self.export_words.setText(tr(lang, "view.usage.export"))
        self.drives.set_enabled(any_visit and not self.busy)
        self.outcome.retranslate(lang)

    def _days(self) -> list[date]:
        """The days of the visits-per-day chart: up to today, or to the last recorded day."""
        last = date.today()
        if PERIODS[self.period] is None and self.summary.sessions_per_day:
            last = date.fromisoformat(max(self.summary.sessions_per_day))
        count = min(DAY_BARS, PERIODS[self.period] or DAY_BARS)
        return [last - timedelta(days=n) for n in reversed(range(count))]

    # CSV files
    def forget(self) -> None:
        """The last export's words gone: the admin screen opens afresh."""
        self.outcome.forget()

    def export_to(self, folder: Path, name: str) -> None:
        if self.busy:  # a second tap while the files are written: one writer only
            return
        log, records, lang = self.log, list(self.records), self.lang
        kiosk_id = re.sub(r"[^A-Za-z0-9._-]+", "_", self.kiosk.settings.kiosk_id) or "kiosk"
        stamp = f"{kiosk_id}-{date.today():%Y%m%d}"
        visits, figures = f"usage-visits-{stamp}.csv", f"usage-figures-{stamp}.csv"

        def export() -> list[str]:
            log.csv(folder / visits, lang, records=records)
            log.summary_csv(folder / figures, records=records)
            return [visits, figures]

        def done(files: list[str]) -> None:
            self._idle()
            self.outcome.tell("ok", "view.usage.exported", where=name, files=", ".join(files))

        def failed(problem: Exception) -> None:
            self._idle()
            why = (problem.strerror if isinstance(problem, OSError) else None) \
                or type(problem).__name__
            self.outcome.tell("error", "view.usage.export_failed", where=name, why=why)

        self.busy = True
        self.outcome.forget()
        self.drives.set_enabled(False)
        run_in_background(export, done, failed)

    def _idle(self) -> None:
        self.busy = False
        self.drives.set_enabled(self.summary.sessions > 0)
