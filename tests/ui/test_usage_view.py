"""The Usage tab shows exactly the figures of a known set of visits: read from the charts'
series and axes and from the tables, not from pixels; and saves them as CSV files."""

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt

from kiosk.usage import UsageLog
from ui.admin.usage_view import UsageView

TODAY = date.today()  # the usage log stamps visits with the real day
YESTERDAY = TODAY - timedelta(days=1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.combine(YESTERDAY, time(9))

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, hour: int, minute: int, second: int = 0) -> None:
        self.now = datetime.combine(day, time(hour, minute, second))


def record_four_visits(path) -> None:
    clock = Clock()
    log = UsageLog(path, now=clock)
    # yesterday: a problem reported in 2 minutes with help (30 s wait), rated 5 "it was easy"
    clock.at(YESTERDAY, 10, 0)
    log.visit_started()
    log.task_started("report_problem")
    clock.at(YESTERDAY, 10, 0, 20)
    log.help_called()
    clock.at(YESTERDAY, 10, 0, 50)
    log.help_answered()
    clock.at(YESTERDAY, 10, 2)
    log.task_ended("completed")
    log.rated(5, "usage.comment.easy")
    log.visit_ended()
    # yesterday: a bill left at the account number
    clock.at(YESTERDAY, 11, 0)
    log.visit_started()
    log.task_started("pay_bill")
    log.step_reached("utility")
    log.step_reached("account")
    clock.at(YESTERDAY, 11, 1)
    log.visit_ended()
    # today: a bill paid in 5 minutes (rated 4), then a report given up at its first step
    clock.at(TODAY, 9, 0)
    log.visit_started()
    log.task_started("pay_bill")
    log.step_reached("review")
    clock.at(TODAY, 9, 5)
    log.task_ended("completed")
    log.rated(4)
    log.task_started("report_problem")
    log.step_reached("category")
    clock.at(TODAY, 9, 6)
    log.visit_ended()
    # today: the allowance refused after the identity check, help never came, rated 1
    clock.at(TODAY, 9, 30)
    log.visit_started()
    log.task_started("senior_allowance")
    log.step_reached("identity")
    log.help_called()
    clock.at(TODAY, 9, 31)
    log.task_ended("ineligible")
    log.rated(1)
    log.visit_ended()
    log.close()


def test_the_dashboard_shows_the_exact_figures_of_known_visits(make_kiosk, qtbot, tmp_path):
    kiosk = make_kiosk()
    record_four_visits(kiosk.usage.log.path)
    view = UsageView(kiosk)
    qtbot.addWidget(view)
    stick = tmp_path / "STICK"
    stick.mkdir()
    view.drives.finder = lambda: [stick]
    view.retranslate("en")
    view.refresh()
    title = {s: kiosk.catalogue.get(s).title.get("en")
             for s in ("senior_allowance", "pay_bill", "report_problem")}
    allowance, bill, report = title.values()  # in the menu's order

    assert view.sessions.text() == "Visits in this period: 4."
    days = view.sessions_chart
    assert len(days.values()) == 14 and days.values()[-2:] == [2.0, 2.0] \
        and sum(days.values()) == 4
    assert days.categories()[-1] == f"{TODAY.month}-{TODAY.day}"
    assert view.services.cells() == [
        [allowance, "1", "0", "1", "0", "0%", "—"],
        [bill, "2", "1", "0", "1", "50%", "5 min 0 s"],
        [report, "2", "1", "0", "1", "50%", "2 min 0 s"]]
    assert view.completion_chart.categories() == [allowance, bill, report]
    assert view.completion_chart.values() == [0.0, 50.0, 50.0]
    assert view.time_chart.categories() == [bill, report]
    assert view.time_chart.values() == [5.0, 2.0]
    account = kiosk.catalogue.get("pay_bill").step("account").title.get("en")
    category = kiosk.catalogue.get("report_problem").step("category").title.get("en")
    assert view.give_up.cells() == [[bill, account, "1"], [report, category, "1"]]
    assert view.help.text() == ("Calls for help: 2. Answered by a helper: 1. "
                                "On average a helper came after 30 s.")
    assert view.ratings.text() == "Ratings: 3, on average 3.3 out of 5."
    assert view.ratings_chart.categories() == ["Very bad", "Bad", "Okay", "Good", "Very good"]
    assert view.ratings_chart.values() == [1.0, 0.0, 0.0, 1.0, 1.0]
    assert view.comments.cells() == [["It was easy", "1"]]

    qtbot.mouseClick(view.periods["7"], Qt.MouseButton.LeftButton)
    assert len(view.sessions_chart.values()) == 7 and view.summary.sessions == 4

    qtbot.mouseClick(view.drives.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(view.done.text() or view.error.text()), timeout=5000)
    files = sorted(p.name for p in stick.iterdir())
    assert view.done.text() == f"Saved to STICK: {files[1]}, {files[0]}."
    visits = (stick / files[1]).read_text(encoding="utf-8-sig").splitlines()
    assert len(visits) == 1 + 5  # a header and one row per task

    view.retranslate("zh_CN")
    assert view.completion_chart.categories()[0] == \
        kiosk.catalogue.get("senior_allowance").title.get("zh_CN")
    assert view.help.text() == "求助次数：2。工作人员来了：1 次，平均等了30秒。"
