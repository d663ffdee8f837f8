"""The rep scorecard (SPEC §8) on SQLite and PostgreSQL, on hand-made data with known results: the
formula, a rep without targets, a new rep without history, team averages and ranks, the weekly
trend with pro-rata targets, points, scope; and the targets and satisfaction surveys behind it.

The organisation is tests.factories.make_org (team Alpha: lead Lena, reps a1 and a2; team Beta: lead
Leo, reps b1 and b2; director Dora). The clock stands at NOW, Monday 23 November 2026, noon; the
month measured is November 2026 (1 November up to NOW).
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from core.people import scorecard as sc
from core.people import targets
from core.base.db import read_session, write_tx
from core.base.models import (
    Activity, AuditLog, Contract, Opportunity, Payment, SatisfactionScore, Target, Todo, User,
)
from core.base.scope import Scope, ScopeError
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, add_step_instance, add_user, scope_of

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
NOV = "2026-11"
WEIGHTS = {"results": 0.60, "process": 0.25, "quality": 0.15}


def nov(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour)


# ---- builders ------------------------------------------------------------------------------------

def target(s, rep: User, month=NOV, signed=None, collections=None, visits=None) -> Target:
    row = Target(month=month, owner_id=rep.id, team_id=rep.team_id, signed_amount=signed, collections=collections,
                 effective_visits=visits, set_at=NOW - 30 * DAY)
    s.add(row)
    s.flush()
    return row


def contract(s, rep: User, customer, amount: float, signed_at: datetime, status="active") -> Contract:
    row = Contract(number=f"HT-{rep.username}-{signed_at:%m%d%H}-{amount:.0f}", customer_id=customer.id,
                   owner_id=rep.id, team_id=rep.team_id, amount=amount, signed_at=signed_at, status=status,
                   created_at=signed_at)
    s.add(row)
    s.flush()
    return row


def payment(s, c: Contract, received: float, received_at: datetime | None, due=None) -> Payment:
    row = Payment(contract_id=c.id, owner_id=c.owner_id, team_id=c.team_id,
                  due_date=(due or received_at or NOW).date(), amount_due=received or 10000,
                  amount_received=received, received_at=received_at, created_at=c.signed_at)
    s.add(row)
    s.flush()
    return row


def activity(s, rep: User, kind: str, customer, at: datetime, effective=True) -> None:
    s.add(Activity(kind=kind, customer_id=customer.id if customer else None, owner_id=rep.id, team_id=rep.team_id,
                   happened_at=at, logged_at=at + HOUR, effective=effective, fields={}, note=""))
    s.flush()


def survey(s, rep: User, customer, score: int, at: datetime) -> None:
    s.add(SatisfactionScore(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, score=score,
                            surveyed_at=at, note="", created_at=at))
    s.flush()


def won_deal(s, rep: User, customer, closed_at: datetime) -> None:
    s.add(Opportunity(name="won", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, amount=1,
                      stage="contract_signed", status="won", stage_entered_at=closed_at - DAY,
                      created_at=closed_at - 10 * DAY, closed_at=closed_at, lost_reason=""))
    s.flush()


def steps(s, rep: User, on_time: int = 0, late: int = 0, missed: int = 0, open_: int = 0, start=nov(9)) -> None:
    """Needs-summary instances triggered in November: on time, completed late, overdue, not yet due."""
    due = start + 24 * HOUR
    for _ in range(on_time):
        add_step_instance(s, "needs_summary", rep, start, due, start + 2 * HOUR)
    for _ in range(late):
        add_step_instance(s, "needs_summary", rep, start, due, due + 5 * HOUR)
    for _ in range(missed):
        add_step_instance(s, "needs_summary", rep, start, due, None)
    for _ in range(open_):
        add_step_instance(s, "needs_summary", rep, NOW - HOUR, NOW + 23 * HOUR, None)


def build_a1(s, org) -> None:
    """a1's November: every component with data (see test_the_formula_on_known_figures)."""
    a1 = org.a1
    c1, c2, c3, c4 = (add_customer(s, a1, name=f"a1 c{i}") for i in range(1, 5))
    target(s, a1, signed=100000, collections=50000, visits=10)
    target(s, a1, month="2026-10", signed=1, collections=1, visits=1)  # another month: not used
    contract(s, a1, c1, 60000, nov(5))
    contract(s, a1, c2, 70000, nov(10), status="cancelled")
    october = contract(s, a1, c3, 50000, datetime(2026, 10, 30, 15))
    payment(s, october, 30000, nov(8))
    payment(s, october, 25000, nov(20))
    payment(s, october, 20000, datetime(2026, 10, 31, 9))  # October's collection
    payment(s, october, 0, None, due=nov(30))              # not received yet
    steps(s, a1, on_time=4, late=1, missed=1, open_=1)
    for i in range(5):
        activity(s, a1, "visit", (c1, c2, c3, c4, c1)[i], nov(3 + i))
    activity(s, a1, "visit", c1, nov(12), effective=False)
    activity(s, a1, "call", c2, nov(13))
    activity(s, a1, "complaint", c2, nov(14))
    activity(s, a1, "call", c3, datetime(2026, 10, 20, 10))  # October: not active this month
    survey(s, a1, c1, 5, nov(6))
    survey(s, a1, c2, 3, nov(16))
    survey(s, a1, c3, 1, datetime(2026, 10, 15, 10))  # October
    won_deal(s, a1, c1, nov(5))
    won_deal(s, a1, c1, datetime(2026, 10, 28, 10))  # October


def build_a2_without_target(s, org) -> None:
    """a2: no target at all; steps 1 of 2 on time; two active customers, no complaint; no survey."""
    a2 = org.a2
    d1, d2 = add_customer(s, a2, name="a2 d1"), add_customer(s, a2, name="a2 d2")
    contract(s, a2, d1, 90000, nov(7))
    steps(s, a2, on_time=1, late=1)
    activity(s, a2, "visit", d1, nov(4))
    activity(s, a2, "call", d2, nov(5))


def card_of(engine, caller: User, rep: User, month=NOV, now=NOW) -> sc.Scorecard:
    with read_session(engine) as s:
        return sc.scorecard(scope_of(engine, caller), s, rep.id, month, now)


@pytest.fixture
def alpha(engine, org):
    with write_tx(engine) as s:
        build_a1(s, org)
        build_a2_without_target(s, org)
    return org


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, abs_tol=1e-9)


# ---- the formula ------------------------------------------------------------------------------------

def test_the_formula_on_known_figures(engine, alpha):
    card = card_of(engine, alpha.lead_alpha, alpha.a1)
    comp = {c.code: c for p in card.parts for c in p.components}
    # results: signed 60,000 of 100,000 (the cancelled and the October contract do not count) → 60;
    # collected 30,000 + 25,000 = 55,000 of 50,000 → capped at 100
    assert (comp["signed_attainment"].actual, comp["signed_attainment"].target) == (60000, 100000)
    assert close(comp["signed_attainment"].value, 60.0)
    assert comp["collection_attainment"].actual == 55000 and close(comp["collection_attainment"].value, 100.0)
    # process: 4 on time of 6 decided (the step not yet due counts nowhere) → 66.67; 5 effective
    # visits of 10 → 50 (the ineffective visit and the calls do not count)
    assert comp["step_on_time"].basis == 6 and close(comp["step_on_time"].value, 400 / 6)
    assert comp["visit_attainment"].actual == 5 and close(comp["visit_attainment"].value, 50.0)
    # quality: 1 of 4 active customers complained → 75; satisfaction (5 + 3) / 2 = 4 → 75
    assert comp["complaint_free"].basis == 4 and close(comp["complaint_free"].value, 75.0)
    assert comp["satisfaction"].basis == 2 and close(comp["satisfaction"].actual, 4.0)
    assert close(comp["satisfaction"].value, 75.0)
    parts = {p.code: p.value for p in card.parts}
    assert close(parts["results"], 80.0) and close(parts["process"], (400 / 6 + 50) / 2)
    assert close(parts["quality"], 75.0)
    # 0.60 · 80 + 0.25 · 58.33 + 0.15 · 75
    assert close(card.score, 48 + 0.25 * (400 / 6 + 50) / 2 + 11.25)
    assert round(card.score, 2) == 73.83
    assert not card.reweighted and dict(card.weights_used) == pytest.approx(WEIGHTS)
    assert {p.code: p.weight for p in card.parts} == WEIGHTS
    assert all(c.missing is None for c in comp.values())
    assert (card.start, card.end) == (datetime(2026, 11, 1), NOW)


def test_a_rep_without_a_target_is_reweighted_over_the_parts_with_data(engine, alpha):
    card = card_of(engine, alpha.lead_alpha, alpha.a2)
    comp = {c.code: c for p in card.parts for c in p.components}
    for code in ("signed_attainment", "collection_attainment", "visit_attainment"):
        assert comp[code].value is None and comp[code].missing == "no_target" and comp[code].target is None
    assert comp["signed_attainment"].actual == 90000  # signed, but nothing to measure it against
    assert card.part("results").value is None
    # process: the visit attainment drops out, the step on-time rate (1 of 2) is the part
    assert card.part("process").dropped == ("visit_attainment",)
    assert close(card.part("process").value, 50.0)
    # quality: no complaint among 2 active customers → 100; no survey → dropped
    assert comp["satisfaction"].missing == "no_surveys"
    assert close(card.part("quality").value, 100.0)
    # re-weighted over process (0.25) and quality (0.15): (0.25 · 50 + 0.15 · 100) / 0.40 = 68.75
    assert card.reweighted and close(card.score, 68.75)
    assert dict(card.weights_used) == pytest.approx({"process": 0.625, "quality": 0.375})


def test_a_new_rep_without_history_has_no_score_and_no_division_by_zero(engine, alpha):
    with write_tx(engine) as s:
        newbie = add_user(s, "nina", "Nina New", "rep", alpha.alpha)
        newbie.created_at = NOW - 2 * DAY
    card = card_of(engine, alpha.lead_alpha, newbie)
    assert card.score is None and not card.reweighted and card.weights_used == ()
    assert all(p.value is None for p in card.parts)
    missing = {c.code: c.missing for p in card.parts for c in p.components}
    assert missing == {"signed_attainment": "no_target", "collection_attainment": "no_target",
                       "step_on_time": "no_steps", "visit_attainment": "no_target",
                       "complaint_free": "no_customers", "satisfaction": "no_surveys"}
    assert card.points_total == 0 and all(line.count == 0 for line in card.points)
    assert card.rank is None and card.joined == (NOW - 2 * DAY).date()
    # the team still has its average, over the reps whose score rests on all three parts (a1 only:
    # a2's is re-weighted)
    assert close(card.team_average, card_of(engine, alpha.lead_alpha, alpha.a1).score) and card.ranked == 1
    with read_session(engine) as s:
        trend = sc.weekly_trend(scope_of(engine, alpha.lead_alpha), s, newbie.id, NOW, weeks=4)
        team = sc.team_scorecards(scope_of(engine, alpha.lead_alpha), s, NOV, NOW)
    assert len(trend) == 4 and trend["score"].isna().all()
    row = team[team["owner_id"] == newbie.id].iloc[0]
    assert math.isnan(row["score"]) and pd.isna(row["rank"]) and row["points"] == 0


def test_a_zero_target_counts_as_no_target(engine, org):
    with write_tx(engine) as s:
        cust = add_customer(s, org.b1)
        target(s, org.b1, signed=0, collections=0, visits=0)
        contract(s, org.b1, cust, 5000, nov(3))
        activity(s, org.b1, "visit", cust, nov(3))
    card = card_of(engine, org.lead_beta, org.b1)
    comp = {c.code: c for p in card.parts for c in p.components}
    assert all(comp[c].missing == "no_target" for c in ("signed_attainment", "collection_attainment",
                                                         "visit_attainment"))
    # only quality has data (one active customer, no complaint): the score is that part
    assert close(card.score, 100.0) and dict(card.weights_used) == {"quality": 1.0}


def test_a_future_month_has_no_data_and_an_earlier_month_its_own(engine, alpha):
    future = card_of(engine, alpha.lead_alpha, alpha.a1, month="2026-12")
    assert future.score is None and future.end == future.start == datetime(2026, 12, 1)
    october = card_of(engine, alpha.lead_alpha, alpha.a1, month="2026-10")
    comp = {c.code: c for p in october.parts for c in p.components}
    # October: the 50,000 contract of 30 October against a target of 1 → 100; the 20,000 received
    assert comp["signed_attainment"].actual == 50000 and close(comp["signed_attainment"].value, 100)
    assert comp["collection_attainment"].actual == 20000
    assert comp["complaint_free"].basis == 1 and comp["satisfaction"].actual == 1.0
    assert close(comp["satisfaction"].value, 0.0)
    assert [(line.code, line.count) for line in october.points if line.count] == [
        ("won_deal", 1), ("payment_collected", 1)]


def test_a_bad_month_is_refused_with_a_message(engine, alpha):
    for bad in ("2026-13", "2026-1", "November", None, 202611):
        with pytest.raises(sc.InvalidMonth) as err:
            card_of(engine, alpha.lead_alpha, alpha.a1, month=bad)
        assert err.value.field == "month"


# ---- team average, rank, points ----------------------------------------------------------------------

def complete_rep(s, rep: User, score_100: bool = True) -> None:
    """A rep with data in every part: 100 in each when ``score_100``."""
    cust = add_customer(s, rep)
    target(s, rep, signed=1000, collections=1000, visits=1)
    c = contract(s, rep, cust, 1000, nov(4))
    payment(s, c, 1000 if score_100 else 500, nov(6))
    steps(s, rep, on_time=1)
    activity(s, rep, "visit", cust, nov(5))


def test_team_average_and_rank_take_only_scores_with_all_three_parts(engine, alpha):
    a1 = card_of(engine, alpha.lead_alpha, alpha.a1)
    a2 = card_of(engine, alpha.lead_alpha, alpha.a2)
    # a2's score is re-weighted (no results part): shown, but not ranked nor averaged
    assert (a1.rank, a1.ranked, a2.rank, a2.ranked) == (1, 1, None, 1)
    assert close(a1.team_average, a1.score) and a1.team_visible
    # each part's team average: the mean of the reps with data in it
    assert close(a1.part("results").team_average, 80.0)  # a2 has no results part
    assert close(a1.part("process").team_average, (a1.part("process").value + 50) / 2)
    assert close(a1.part("quality").team_average, (75 + 100) / 2)
    with write_tx(engine) as s:
        b = add_user(s, "a4", "Abe A4", "rep", alpha.alpha)
        complete_rep(s, b, score_100=False)  # collections 50 → results 75 → 85
    a1 = card_of(engine, alpha.lead_alpha, alpha.a1)
    assert (a1.rank, a1.ranked) == (2, 2) and close(a1.team_average, (a1.score + 85) / 2)


def test_a_rep_sees_team_average_and_rank_only_in_a_team_big_enough(engine, alpha):
    own = card_of(engine, alpha.a1, alpha.a1)
    assert own.score == card_of(engine, alpha.lead_alpha, alpha.a1).score
    assert not own.team_visible and own.team_average is None and own.rank is None and own.ranked is None
    assert all(p.team_average is None for p in own.parts)
    with write_tx(engine) as s:  # a third rep with a full score: still two short of three with all parts
        a3 = add_user(s, "a3", "Al A3", "rep", alpha.alpha)
        complete_rep(s, a3)
    assert not card_of(engine, alpha.a1, alpha.a1).team_visible
    with write_tx(engine) as s:  # a fourth: now three reps have a score with all three parts
        complete_rep(s, add_user(s, "a4", "Abe A4", "rep", alpha.alpha))
    own = card_of(engine, alpha.a1, alpha.a1)
    assert own.team_visible and (own.rank, own.ranked) == (3, 3)
    assert close(own.team_average, (own.score + 100 + 100) / 3)
    assert close(own.part("quality").team_average, (75 + 100 + 100 + 100) / 4)  # a2's quality too


def test_points_and_how_they_are_made(engine, alpha):
    card = card_of(engine, alpha.a1, alpha.a1)
    lines = {line.code: (line.count, line.each, line.points) for line in card.points}
    # 4 steps on time × 2, 5 effective visits × 1, 1 deal won in November × 10, 2 payments × 5
    assert lines == {"step_on_time": (4, 2.0, 8.0), "effective_visit": (5, 1.0, 5.0),
                     "won_deal": (1, 10.0, 10.0), "payment_collected": (2, 5.0, 10.0)}
    assert card.points_total == 33.0
    from core.base import rules

    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"points_won_deal": 25, "scorecard_weight_results": 0.5}, NOW)
    card = card_of(engine, alpha.a1, alpha.a1)
    assert card.points_total == 48.0
    # the weights are settings too: 0.5 · 80 + 0.25 · 58.33 + 0.15 · 75, over 0.9
    assert close(card.score, (40 + 0.25 * (400 / 6 + 50) / 2 + 11.25) / 0.9)


def test_team_scorecards_rank_each_team(engine, alpha):
    with write_tx(engine) as s:
        cust = add_customer(s, alpha.b1)
        activity(s, alpha.b1, "call", cust, nov(2))
    with read_session(engine) as s:
        df = sc.team_scorecards(scope_of(engine, alpha.director), s, NOV, NOW)
        lead = sc.team_scorecards(scope_of(engine, alpha.lead_alpha), s, NOV, NOW)
        beta_only = sc.team_scorecards(scope_of(engine, alpha.director), s, NOV, NOW, team_id=alpha.beta.id)
    by_rep = df.set_index("rep")
    assert list(df.columns) == sc.TEAM_COLUMNS
    assert round(by_rep.loc["Amy A1", "score"], 2) == 73.83 and by_rep.loc["Ann A2", "score"] == 68.75
    assert by_rep.loc["Amy A1", "rank"] == 1 and by_rep.loc["Bob B1", "score"] == 100
    assert pd.isna(by_rep.loc["Ann A2", "rank"]) and pd.isna(by_rep.loc["Bob B1", "rank"])  # re-weighted scores
    assert by_rep.loc["Amy A1", "points"] == 33 and math.isnan(by_rep.loc["Ben B2", "score"])
    assert set(lead["rep"]) == {"Amy A1", "Ann A2"} and set(beta_only["rep"]) == {"Bob B1", "Ben B2"}
    with read_session(engine) as s, pytest.raises(ScopeError):
        sc.team_scorecards(scope_of(engine, alpha.a1), s, NOV, NOW)


# ---- the weekly trend ----------------------------------------------------------------------------------

def test_prorated_targets_split_a_week_over_its_months():
    monthly = {"2026-10": 31000.0, "2026-11": 30000.0}
    # 26 October – 2 November: 6 days of October (6,000) and 1 of November (1,000)
    assert sc.prorated_target(monthly, datetime(2026, 10, 26), datetime(2026, 11, 2)) == pytest.approx(7000)
    assert sc.prorated_target(monthly, datetime(2026, 11, 16), datetime(2026, 11, 23)) == pytest.approx(7000)
    assert sc.prorated_target({"2026-11": 30000.0}, datetime(2026, 10, 26), datetime(2026, 11, 2)) is None
    assert sc.prorated_target({"2026-11": 0.0}, datetime(2026, 11, 16), datetime(2026, 11, 23)) is None
    assert sc.prorated_target(monthly, NOW, NOW) is None


def test_weekly_trend_against_pro_rata_targets(engine, org):
    with write_tx(engine) as s:
        cust = add_customer(s, org.b1)
        target(s, org.b1, signed=30000)               # a week of November: 7,000
        contract(s, org.b1, cust, 3500, nov(17))      # week of 16 November: 50 %
        contract(s, org.b1, cust, 9000, nov(10))      # week of 9 November: capped at 100 %
        contract(s, org.b1, cust, 4000, datetime(2026, 10, 28, 10))  # October has no target
    with read_session(engine) as s:
        trend = sc.weekly_trend(scope_of(engine, org.lead_beta), s, org.b1.id, NOW, weeks=5)
    assert [str(w) for w in trend["week"]] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16",
                                                "2026-11-23"]
    # only the results part has data: the score is the signed-amount attainment
    assert trend["score"].tolist()[2:4] == pytest.approx([100.0, 50.0])
    assert math.isnan(trend["score"][0])  # it spans October, which has no target
    # nothing signed: 0 of the week's target (this week: 12 hours, 30,000 · 0.5 / 30 = 500)
    assert trend["score"][1] == 0.0 and trend["score"][4] == 0.0
    assert trend["process"].isna().all() and trend["quality"].isna().all()


def test_weekly_trend_shows_the_team_average_to_the_lead_not_to_a_lone_rep(engine, alpha):
    with read_session(engine) as s:
        lead = sc.weekly_trend(scope_of(engine, alpha.lead_alpha), s, alpha.a1.id, NOW, weeks=3)
        own = sc.weekly_trend(scope_of(engine, alpha.a1), s, alpha.a1.id, NOW, weeks=3)
    assert lead["score"].tolist() == pytest.approx(own["score"].tolist(), nan_ok=True)
    assert lead["team_average"].notna().any() and own["team_average"].isna().all()


# ---- scope ----------------------------------------------------------------------------------------------

def test_a_rep_cannot_open_another_reps_scorecard_by_any_read(engine, alpha):
    a1 = scope_of(engine, alpha.a1)
    with read_session(engine) as s:
        for rep_id in (alpha.a2.id, alpha.b1.id, alpha.lead_alpha.id, 99999, str(alpha.a2.id), None, True):
            for read, args in ((sc.scorecard, (NOV, NOW)), (sc.weekly_trend, (NOW,)), (sc.open_todos, (NOW,)),
                               (sc.result_records, (NOV, NOW)), (sc.rep_customers, ())):
                with pytest.raises(ScopeError) as err:
                    read(a1, s, rep_id, *args)
                assert str(err.value) == f"rep {rep_id!r} is not in your scope"  # the same for 'not there'


def test_a_lead_cannot_open_another_teams_rep(engine, alpha):
    with read_session(engine) as s:
        with pytest.raises(ScopeError):
            sc.scorecard(scope_of(engine, alpha.lead_alpha), s, alpha.b1.id, NOV, NOW)
        with pytest.raises(ScopeError):
            sc.scorecard(Scope(99, "finance", None), s, alpha.a1.id, NOV, NOW)
        assert sc.scorecard(scope_of(engine, alpha.director), s, alpha.b1.id, NOV, NOW).rep == "Bob B1"


def test_open_todos_and_records_behind_the_results(engine, alpha):
    with write_tx(engine) as s:
        s.add_all([Todo(owner_id=alpha.a1.id, team_id=alpha.alpha.id, title="辅导要点：准备报价对比", kind="coaching",
                        due_at=NOW - DAY, created_at=NOW - 3 * DAY),
                   Todo(owner_id=alpha.a1.id, team_id=alpha.alpha.id, title="回访", kind="manual",
                        due_at=NOW + DAY, created_at=NOW - DAY),
                   Todo(owner_id=alpha.a1.id, team_id=alpha.alpha.id, title="done", kind="manual",
                        created_at=NOW - DAY, done_at=NOW - HOUR),
                   Todo(owner_id=alpha.a2.id, team_id=alpha.alpha.id, title="a2's", kind="manual", created_at=NOW)])
    with read_session(engine) as s:
        todos = sc.open_todos(scope_of(engine, alpha.lead_alpha), s, alpha.a1.id, NOW)
        records = sc.result_records(scope_of(engine, alpha.a1), s, alpha.a1.id, NOV, NOW)
    assert todos[["title", "kind", "overdue"]].values.tolist() == [
        ["辅导要点：准备报价对比", "coaching", True], ["回访", "manual", False]]
    assert set(todos["owner_id"]) == {alpha.a1.id}
    assert records[["kind", "amount"]].values.tolist() == [["contract", 60000.0], ["payment", 30000.0],
                                                          ["payment", 25000.0]]
    assert set(records["owner_id"]) == {alpha.a1.id}


# ---- targets ----------------------------------------------------------------------------------------------

def save(engine, caller, rows, month=NOV):
    with write_tx(engine) as s:
        return targets.save_targets(s, scope_of(engine, caller), month, rows, NOW)


def test_a_lead_sets_targets_of_their_reps_with_audit_rows(engine, org):
    n = save(engine, org.lead_alpha, [targets.TargetRow(120000, "80,000", 12, rep_id=org.a1.id),
                                      targets.TargetRow(100000, None, None, rep_id=org.a2.id)])
    assert n == 2
    with read_session(engine) as s:
        df = targets.month_targets(scope_of(engine, org.lead_alpha), s, NOV)
        teams = targets.team_targets(scope_of(engine, org.director), s, NOV)
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "target").order_by(AuditLog.id)).all()
    rows = df.set_index("rep")
    assert (rows.loc["Amy A1", "signed_amount"], rows.loc["Amy A1", "collections"],
            rows.loc["Amy A1", "effective_visits"], rows.loc["Amy A1", "version"]) == (120000, 80000, 12, 1)
    assert math.isnan(rows.loc["Ann A2", "collections"]) and pd.isna(rows.loc["Ann A2", "effective_visits"])
    assert [a.user_id for a in audit] == [org.lead_alpha.id] * 2
    assert audit[0].detail == {"month": NOV, "owner_id": org.a1.id, "team_id": org.alpha.id, "old": None,
                               "new": {"signed_amount": 120000.0, "collections": 80000.0, "effective_visits": 12}}
    alpha_row = teams.set_index("team").loc["Alpha"]
    assert (alpha_row["source"], alpha_row["signed_amount"], alpha_row["collections"]) == ("reps", 220000, 80000)
    assert teams.set_index("team").loc["Beta", "source"] == "none"
    # the team's own row wins over the sum; saving the same values again changes nothing
    assert save(engine, org.director, [targets.TargetRow(250000, 90000, 30, team_id=org.alpha.id)]) == 1
    assert save(engine, org.lead_alpha, [targets.TargetRow(120000, 80000, 12, rep_id=org.a1.id, version=1)]) == 0
    with read_session(engine) as s:
        teams = targets.team_targets(scope_of(engine, org.lead_alpha), s, NOV)
    assert teams[["team", "source", "signed_amount"]].values.tolist() == [["Alpha", "team", 250000.0]]
    assert card_of(engine, org.lead_alpha, org.a1).component("signed_attainment").target == 120000


@pytest.mark.parametrize("row, field, key", [
    (dict(signed_amount=-1), "signed_amount", "targets.err.negative"),
    (dict(collections="lots"), "collections", "targets.err.number"),
    (dict(collections=float("inf")), "collections", "targets.err.number"),
    (dict(effective_visits=2.5), "effective_visits", "targets.err.whole"),
    (dict(effective_visits=True), "effective_visits", "targets.err.number"),
    (dict(signed_amount=1e12), "signed_amount", "targets.err.too_big"),
])
def test_a_bad_target_names_its_field_and_nothing_is_saved(engine, org, row, field, key):
    good = targets.TargetRow(1000, 1000, 1, rep_id=org.a1.id)
    with pytest.raises(targets.InvalidTarget) as err:
        save(engine, org.lead_alpha, [good, targets.TargetRow(rep_id=org.a2.id, **row)])
    assert (err.value.field, err.value.msg_key, err.value.params["who"]) == (field, key, "Ann A2")
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Target)) == 0


def test_targets_only_for_own_reps_in_a_real_month(engine, org):
    with pytest.raises(targets.InvalidTarget) as err:
        save(engine, org.lead_alpha, [targets.TargetRow(1, 1, 1, rep_id=org.b1.id)])
    assert err.value.field == "rep_id"
    with pytest.raises(targets.InvalidTarget):
        save(engine, org.lead_alpha, [targets.TargetRow(1, 1, 1, team_id=org.beta.id)])
    with pytest.raises(targets.InvalidTarget) as err:
        save(engine, org.lead_alpha, [targets.TargetRow(1, rep_id=org.a1.id), targets.TargetRow(2, rep_id=org.a1.id)])
    assert err.value.msg_key == "targets.err.twice"
    with pytest.raises(sc.InvalidMonth):
        save(engine, org.lead_alpha, [targets.TargetRow(1, rep_id=org.a1.id)], month="2026/11")
    with pytest.raises(ScopeError):
        save(engine, org.a1, [targets.TargetRow(1, rep_id=org.a1.id)])
    with read_session(engine) as s, pytest.raises(ScopeError):
        targets.team_targets(scope_of(engine, org.a1), s, NOV)
    with read_session(engine) as s:  # a rep opens the targets page to confirm their own: their row only
        assert list(targets.month_targets(scope_of(engine, org.a1), s, NOV)["owner_id"]) == [org.a1.id]


def test_the_table_editor_sends_only_the_rows_it_changed(engine, org):
    save(engine, org.lead_alpha, [targets.TargetRow(100000, None, 10, rep_id=org.a1.id)])  # version 1
    with read_session(engine) as s:
        current = targets.month_targets(scope_of(engine, org.lead_alpha), s, NOV)  # Amy A1, Ann A2
    kinds = ["signed_amount", "collections", "effective_visits"]
    assert targets.changed_rows(current, current[kinds].copy()) == []  # nothing changed, empty cells alike
    edited = current[kinds].astype(object)
    edited.loc[0, "collections"] = 50000            # Amy: an empty cell gets a number
    assert targets.changed_rows(current, edited) == [
        targets.TargetRow(100000.0, 50000, 10, rep_id=org.a1.id, version=1)]
    edited = current[kinds].astype(object)
    edited.loc[0, "effective_visits"] = None        # Amy: a number is emptied
    edited.loc[1, "signed_amount"] = 80000.0        # Ann: her first target
    assert targets.changed_rows(current, edited) == [
        targets.TargetRow(100000.0, None, None, rep_id=org.a1.id, version=1),
        targets.TargetRow(80000.0, None, None, rep_id=org.a2.id, version=None)]
    assert targets.changed_rows(current, current[kinds].assign(signed_amount=[100000.0, float("nan")])) == []
    assert save(engine, org.lead_alpha, targets.changed_rows(current, edited)) == 2
    # one rep's form: on the version the table showed
    assert targets.rep_row(current, org.a1.id, 1, 2, 3) == targets.TargetRow(1, 2, 3, rep_id=org.a1.id, version=1)
    assert targets.rep_row(current, org.a2.id, 1, None, None).version is None


def test_a_second_save_on_an_old_version_is_a_conflict(engine, org):
    save(engine, org.lead_alpha, [targets.TargetRow(1000, rep_id=org.a1.id)])           # version 1
    save(engine, org.director, [targets.TargetRow(2000, rep_id=org.a1.id, version=1)])  # version 2
    with pytest.raises(targets.TargetConflict) as err:  # Lena still looks at version 1
        save(engine, org.lead_alpha, [targets.TargetRow(3000, rep_id=org.a2.id),
                                      targets.TargetRow(1500, rep_id=org.a1.id, version=1)])
    assert err.value.params["who"] == "Amy A1"
    with pytest.raises(targets.TargetConflict):  # a new row where someone has made one meanwhile
        save(engine, org.lead_alpha, [targets.TargetRow(1500, rep_id=org.a1.id, version=None)])
    with read_session(engine) as s:
        rows = s.execute(select(Target.owner_id, Target.signed_amount, Target.version)).all()
    assert [(o, float(a), v) for o, a, v in rows] == [(org.a1.id, 2000.0, 2)]  # a2's row was not written either


# ---- satisfaction surveys ----------------------------------------------------------------------------

def test_a_lead_records_a_survey_that_counts_for_the_customers_owner(engine, org):
    with write_tx(engine) as s:
        cust = add_customer(s, org.a1, name="满意客户")
        other = add_customer(s, org.b1)
        activity(s, org.a1, "call", cust, nov(2))
    with write_tx(engine) as s:
        sid = targets.record_satisfaction(s, scope_of(engine, org.lead_alpha), customer_id=cust.id, score=2,
                                          surveyed_on=NOW.date() - 3 * DAY, note=" 回访 ", now=NOW)
    with read_session(engine) as s:
        row = s.get(SatisfactionScore, sid)
        assert (row.owner_id, row.team_id, row.score, row.note, row.recorded_by) == (
            org.a1.id, org.alpha.id, 2, "回访", org.lead_alpha.id)
        assert row.surveyed_at == datetime(2026, 11, 20, 12)
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "satisfaction_score")) == 1
        customers = sc.rep_customers(scope_of(engine, org.a1), s, org.a1.id)
    assert customers[["customer", "last_score"]].values.tolist() == [["满意客户", 2]]
    assert close(card_of(engine, org.a1, org.a1).component("satisfaction").value, 25.0)
    bad = [(dict(customer_id=other.id), "customer_id"), (dict(customer_id=None), "customer_id"),
           (dict(score=6), "score"), (dict(score=True), "score"), (dict(surveyed_on="yesterday"), "surveyed_on"),
           (dict(surveyed_on=NOW.date() + DAY), "surveyed_on"), (dict(surveyed_on=NOW.date() - 400 * DAY), "surveyed_on"),
           (dict(note="x" * 301), "note")]
    for change, field in bad:
        values = dict(customer_id=cust.id, score=4, surveyed_on=NOW.date(), note="") | change
        with pytest.raises(targets.InvalidSurvey) as err, write_tx(engine) as s:
            targets.record_satisfaction(s, scope_of(engine, org.lead_alpha), now=NOW, **values)
        assert err.value.field == field
    with pytest.raises(ScopeError), write_tx(engine) as s:
        targets.record_satisfaction(s, scope_of(engine, org.a1), customer_id=cust.id, score=5,
                                    surveyed_on=NOW.date(), now=NOW)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(SatisfactionScore)) == 1
