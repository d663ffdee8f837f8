"""The persistent low-rate alert (SPEC §5) at its edges, with a fixed clock: a team below 70 % on a
light for 3 complete days in a row alerts its lead with the three most common open issues of its
customers not updated in 7 days.

At NOW (Mon 23 Nov 2026, noon) the needs summary's (24 h) last complete day is 21 Nov, so the days
judged are 19, 20 and 21 Nov; the first response's (48 h) are 18, 19 and 20 Nov."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core import schedule
from core.process import alerts as process_alerts
from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import Activity, Alert, CustomerIssue, User
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, add_lead, add_step_instance, make_org

H = timedelta(hours=1)
D = timedelta(days=1)
JUDGED = [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21)]


def step_day(s, rep, day: date, on_time: int, total: int, code: str = "needs_summary", hours: int = 24):
    """``total`` instances triggered at 10:00 on ``day``: ``on_time`` done within the window, the rest
    never done (overdue)."""
    start = datetime.combine(day, time(10))
    for i in range(total):
        done = start + H if i < on_time else None
        add_step_instance(s, code, rep, start, start + hours * H, done)


def low_week(s, rep, days=JUDGED, rates=((2, 3),) * 3, code="needs_summary"):
    for day, rate in zip(days, rates):
        if rate is not None:
            step_day(s, rep, day, *rate, code=code)


def run(engine, now: datetime = NOW) -> int:
    with write_tx(engine) as s:
        return process_alerts.team_low_rate(s, now)


def alerts(engine) -> list[Alert]:
    with read_session(engine) as s:
        return s.scalars(select(Alert).where(Alert.kind == "team_low_rate").order_by(Alert.id)).all()


@pytest.fixture
def org(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        s.get(User, org.lead_alpha.id).language = "en"
    return org


def test_three_complete_days_below_70_alert_the_lead(engine, org):
    with write_tx(engine) as s:
        low_week(s, org.a1)
        step_day(s, org.b1, JUDGED[0], 2, 3)                     # Beta: one low day only
    assert run(engine) == 1
    (alert,) = alerts(engine)
    assert (alert.recipient_id, alert.team_id, alert.ref_type, alert.ref_id) == (
        org.lead_alpha.id, org.alpha.id, "team", org.alpha.id)
    assert alert.dedupe_key == "team_low_rate:%d:needs_summary:2026-11-23" % org.alpha.id
    assert alert.message.startswith("Alpha: “Needs summary” on time below 70% for 3 days in a row "
                                    "(11-19: 67%, 11-20: 67%, 11-21: 67%).")
    assert "No open issues among customers not updated in 7 days." in alert.message


@pytest.mark.parametrize("rates, alerted", [
    (((2, 3), (2, 3), (2, 3)), True),
    (((13, 19), (2, 3), (1, 2 * 1 + 1)), True),               # 68.4 %, 66.7 %, 33.3 %
    (((2, 3), (7, 10), (2, 3)), False),                        # exactly 70 % is not below
    (((2, 3), (2, 3), (3, 3)), False),                         # the last day recovered
    (((3, 3), (2, 3), (2, 3)), False),                         # only two days in a row
    (((2, 3), None, (2, 3)), False),                           # a day without data breaks the run
])
def test_the_rule_at_its_edges(engine, org, rates, alerted):
    with write_tx(engine) as s:
        low_week(s, org.a1, rates=rates)
    assert run(engine) == int(alerted)
    assert len(alerts(engine)) == int(alerted)


def test_a_day_still_inside_its_window_is_not_judged_yet(engine, org):
    """22 Nov is low too, but at NOW its deadlines have not all passed: judged only from the 24th on."""
    with write_tx(engine) as s:
        low_week(s, org.a1, days=[date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)])
        step_day(s, org.a1, date(2026, 11, 19), 3, 3)
    assert run(engine) == 0
    assert run(engine, NOW + D) == 1
    assert alerts(engine)[0].message.split("(")[1].startswith("11-20: 67%, 11-21: 67%, 11-22: 67%")


def test_running_again_changes_nothing_and_the_next_day_alerts_again(engine, org):
    with write_tx(engine) as s:
        low_week(s, org.a1, days=[date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)],
                 rates=((2, 3),) * 4)
    assert run(engine) == 1
    assert run(engine) == 0
    assert run(engine, NOW + 3 * H) == 0                        # later the same day: same dedupe key
    assert len(alerts(engine)) == 1
    assert run(engine, NOW + D) == 1                            # the next day, still low: that day's alert
    assert [a.dedupe_key.rsplit(":", 1)[1] for a in alerts(engine)] == ["2026-11-23", "2026-11-24"]


def test_the_alert_names_the_three_most_common_open_issues_of_stale_customers(engine, org):
    stale = NOW - 10 * D
    with write_tx(engine) as s:
        low_week(s, org.a1)

        def customer(owner, updated=stale, **kw):
            return add_customer(s, owner, created_at=updated, **kw)

        def issues(c, title, n, closed=False):
            s.add_all([CustomerIssue(customer_id=c.id, owner_id=c.owner_id, team_id=c.team_id, title=title,
                                     raised_at=stale, closed_at=NOW - D if closed else None, resolution="")
                       for _ in range(n)])

        c1, c2, c3 = customer(org.a1), customer(org.a2), customer(org.a1)
        issues(c1, "invoice wrong", 2)
        issues(c2, "invoice wrong", 1)
        issues(c1, "price", 2)
        issues(c3, "delivery late", 1)
        issues(c3, "training", 1)                                # ties with delivery late: the first by title wins
        issues(c2, "closed already", 5, closed=True)
        touched = customer(org.a1)                               # an activity 2 days ago: not stale
        issues(touched, "recent", 6)
        s.add(Activity(kind="call", customer_id=touched.id, owner_id=org.a1.id, team_id=org.alpha.id,
                       happened_at=NOW - 2 * D, logged_at=NOW - 2 * D, effective=True, fields={}, note=""))
        edited = customer(org.a2, updated=NOW - D)               # the record itself updated yesterday
        issues(edited, "edited", 6)
        old_log = customer(org.a2)                               # happened long ago, logged 3 days ago: touched
        issues(old_log, "logged late", 6)
        s.add(Activity(kind="visit", customer_id=old_log.id, owner_id=org.a2.id, team_id=org.alpha.id,
                       happened_at=NOW - 20 * D, logged_at=NOW - 3 * D, effective=True, fields={}, note=""))
        issues(customer(org.b1), "other team", 9)
        s.flush()
    with read_session(engine) as s:
        got = process_alerts.stale_issue_titles(s, org.alpha.id, NOW, rules.all_settings(s))
    assert got == [("invoice wrong", 3), ("price", 2), ("delivery late", 1)]
    run(engine)
    assert alerts(engine)[0].message.endswith(
        " Most common open issues of customers not updated in 7 days: invoice wrong (3), price (2), delivery late (1).")


def test_the_message_is_in_the_leads_language(engine, org):
    with write_tx(engine) as s:
        low_week(s, org.b1)
    run(engine)
    (alert,) = alerts(engine)
    assert alert.recipient_id == org.lead_beta.id
    assert alert.message.startswith("Beta：“需求纪要”按时率已连续3天低于70%（11-19为67%、11-20为67%、11-21为67%）。")
    assert alert.message.endswith("7天未更新的客户中暂无未解决问题。")


def test_the_first_response_light_counts_too(engine, org):
    """Each of 18–20 Nov: one lead contacted within 10 h, two after 60 h → 33 % within 48 h."""
    with write_tx(engine) as s:
        for day in (date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)):
            created = datetime.combine(day, time(10))
            add_lead(s, org.a2, created, created + 10 * H)
            add_lead(s, org.a2, created, created + 60 * H)
            add_lead(s, org.a1, created, created + 60 * H)
    assert run(engine) == 1
    (alert,) = alerts(engine)
    assert alert.dedupe_key.split(":")[2] == "first_response"
    assert "“48 h first response” on time below 70%" in alert.message
    assert "(11-18: 33%, 11-19: 33%, 11-20: 33%)" in alert.message


def test_threshold_and_days_are_settings(engine, org):
    with write_tx(engine) as s:
        low_week(s, org.a1, rates=((3, 3), (2, 3), (2, 3)))
    assert run(engine) == 0
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"team_low_rate_days": 2}, NOW)
    assert run(engine) == 1
    assert "for 2 days in a row (11-20: 67%, 11-21: 67%)" in alerts(engine)[0].message
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"team_low_rate": 60}, NOW)
    assert run(engine, NOW + D) == 0


def test_a_team_without_an_active_lead_is_skipped(engine, org):
    with write_tx(engine) as s:
        low_week(s, org.a1)
        s.get(User, org.lead_alpha.id).active = False
    assert run(engine) == 0


def test_the_job_is_registered_and_runs_in_the_registry(engine, org):
    assert "team_low_rate" in [j.name for j in schedule.JOBS]
    with write_tx(engine) as s:
        low_week(s, org.a1)
    [result] = schedule.run(engine, NOW, ["team_low_rate"])
    assert (result.name, result.count, result.error) == ("team_low_rate", 1, "")
    [again] = schedule.run(engine, NOW, ["team_low_rate"])
    assert again.count == 0
