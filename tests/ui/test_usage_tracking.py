"""The usage dashboard's figures come from what citizens really did on the kiosk: two visits
walked by tapping, then the log's summary has exactly their numbers, and nothing personal."""

from datetime import date

from kiosk.usage_stats import summarise
from ui.walker import Walker

PIN = "2468"  # the demo helper's
ACCOUNT = "20098765"  # typed into the second visit: never in the usage log


def test_a_rated_completion_and_a_give_up_after_help_give_exact_figures(make_kiosk, qtbot):
    kiosk = make_kiosk(idle_warning_s=0.2)
    walker = Walker(kiosk)

    # a citizen reports a problem, then rates it "Good: it was easy"
    walker.begin("en")
    walker.complete("report_problem")
    walker.finish(score=4, comment="easy")
    assert kiosk.current() is kiosk.attract

    # another starts paying a bill, calls for help at the account number, a helper comes,
    # then the citizen walks away and the kiosk times out
    walker.begin("zh_CN")
    walker.open_service("pay_bill")
    walker.answer_current({"utility": "water"})
    walker.type(ACCOUNT[:4])
    walker.tap("help")
    walker.tap("call-staff")
    qtbot.waitUntil(lambda: kiosk.help_call.state == "open")
    walker.tap("helper-sign-in")
    walker.tap("helper-wang")
    walker.type(PIN)
    walker.tap("next")
    walker.tap("consent-yes")
    walker.type(ACCOUNT[4:])
    assert kiosk.question.step.id == "account"
    kiosk.idle.set_timeout(0.1)
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.attract, timeout=3000)

    log = kiosk.usage.log
    summary = summarise(log.records())
    assert summary.sessions == 2
    assert summary.sessions_per_day == {date.today().isoformat(): 2}
    done, given_up = summary.per_service["report_problem"], summary.per_service["pay_bill"]
    assert (done.started, done.completed, done.completion_rate) == (1, 1, 1.0)
    assert done.give_up_steps == {}
    assert (given_up.started, given_up.completed, given_up.gave_up) == (1, 0, 1)
    assert given_up.completion_rate == 0.0 and given_up.average_seconds is None
    assert given_up.give_up_steps == {"account": 1}
    assert (summary.help_requests, summary.help_answered) == (1, 1)
    assert summary.average_help_wait_s is not None
    assert summary.ratings == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}
    assert summary.average_rating == 4.0
    assert summary.comments == {"usage.comment.easy": 1}

    raw = b"".join(p.read_bytes() for p in log.path.parent.glob("usage.sqlite3*"))
    assert ACCOUNT.encode() not in raw
    assert b"wang" not in raw.lower()  # not even who helped
