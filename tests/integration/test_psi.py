"""The process certainty index (SPEC §6) on hand-made data: each part, the shorter-is-better
mappings at their targets, re-weighting without data, the tier edges, teams vs overall, trend and
what pulled it down — on SQLite and PostgreSQL, measured at tests.factories.NOW (23 Nov 2026, noon)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from core.process import psi
from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import CrossDeptRequest, CustomerIssue, ProcessStep
from core.base.scope import Scope, scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, add_step_instance

ALL = COMPANY
H = timedelta(hours=1)
D = timedelta(days=1)
NOV = datetime(2026, 11, 1)
OCT = datetime(2026, 10, 1)
SETTINGS = {d.key: d.default for d in rules.DEFINITIONS.values()}


def step(s, rep, triggered: datetime, late: bool | None, code: str = "needs_summary", team_id=None):
    """An instance due 24 h after ``triggered``: done on time (late False), done 5 h late (True) or
    still open (None)."""
    due = triggered + 24 * H
    done = None if late is None else (due + 5 * H if late else due - H)
    return add_step_instance(s, code, rep, triggered, due, done, team_id=team_id)


def issue(s, rep, raised: datetime, closed: datetime | None = None, title: str = "price"):
    customer = add_customer(s, rep)
    s.add(CustomerIssue(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, title=title,
                        raised_at=raised, closed_at=closed, resolution="done" if closed else ""))
    s.flush()


def request(s, rep, requested: datetime, answered: datetime | None = None, department: str = "support"):
    s.add(CrossDeptRequest(customer_id=None, owner_id=rep.id, team_id=rep.team_id, department=department,
                           subject="help", requested_at=requested, answered_at=answered,
                           answer="ok" if answered else ""))
    s.flush()


def report(engine, month: str = "2026-11", scope: Scope = ALL, team_id=None, now: datetime = NOW):
    with read_session(engine) as s:
        return psi.psi_report(scope, s, month, now, team_id)


# ---- the pure part -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, tier, pays", [
    (100.0, "full", 100.0), (90.0, "full", 100.0), (89.9, "partial", 80.0), (80.0, "partial", 80.0),
    (79.9, "none", 0.0), (0.0, "none", 0.0), (None, None, None)])
def test_tier_edges(value, tier, pays):
    assert psi.tier(value, SETTINGS) == tier
    assert psi.payout(value, SETTINGS) == pays


@pytest.mark.parametrize("measure, target, expected", [
    (3.0, 3.0, 100.0), (2.0, 3.0, 100.0), (0.0, 3.0, 100.0), (6.0, 3.0, 50.0), (3.0 + 1 / 24, 3.0, 300 / (3 + 1 / 24)),
    (24.0, 24.0, 100.0), (48.0, 24.0, 50.0), (96.0, 24.0, 25.0), (None, 24.0, None)])
def test_shorter_is_better_mapping(measure, target, expected):
    got = psi.shorter_is_better(measure, target)
    assert got == (None if expected is None else pytest.approx(expected))


def test_combine_reweights_over_the_parts_with_data():
    weights = {"on_time": 0.4, "closure": 0.35, "collaboration": 0.25}
    assert psi.combine({"on_time": 80.0, "closure": 60.0, "collaboration": 40.0}, weights)[0] == 63.0
    value, shares = psi.combine({"on_time": 80.0, "closure": 60.0, "collaboration": None}, weights)
    assert value == round((0.4 * 80 + 0.35 * 60) / 0.75, 1) == 70.7
    assert shares == pytest.approx({"on_time": 0.4 / 0.75, "closure": 0.35 / 0.75, "collaboration": 0.0})
    assert psi.combine({"on_time": None, "closure": None, "collaboration": None}, weights) == (
        None, {"on_time": 0.0, "closure": 0.0, "collaboration": 0.0})
    # only parts of weight 0 have data: no PSI, and no division by zero
    assert psi.combine({"on_time": 50.0, "closure": None, "collaboration": None},
                       weights | {"on_time": 0.0})[0] is None


def test_months_are_checked():
    with pytest.raises(psi.InvalidPsiInput) as bad:
        psi.parse_month("2026-13", NOW)
    assert bad.value.field == "month"
    for value in ("2026/11", "", None, "11-2026", "2026-1"):
        with pytest.raises(psi.InvalidPsiInput):
            psi.parse_month(value, NOW)
    with pytest.raises(psi.InvalidPsiInput) as future:
        psi.parse_month("2026-12", NOW)
    assert future.value.msg_key == "psi.err.month_future"
    assert psi.parse_month(" 2026-11 ", NOW).isoformat() == "2026-11-01"
    assert psi.recent_months(NOW, 3) == ["2026-11", "2026-10", "2026-09"]
    assert psi.shift(psi.parse_month("2026-01", NOW), -1).isoformat() == "2025-12-01"


# ---- on time ------------------------------------------------------------------------------------

def test_on_time_pools_every_active_step_of_the_month(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + 2 * D, late=False)
        step(s, org.a1, NOV + 3 * D, late=True, code="promotion_evidence")
        step(s, org.a2, NOV + 4 * D, late=None, code="solution_update")   # overdue, never done: a miss
        step(s, org.b1, NOV + 5 * D, late=False, code="solution_update")
        step(s, org.b1, NOW - 2 * H, late=None)                             # not due yet: counts nowhere
        step(s, org.b1, OCT + 30 * D, late=False)                           # triggered in October
        step(s, org.b2, NOV + 6 * D, late=True, code="promotion_evidence")
        s.execute(update(ProcessStep).where(ProcessStep.code == "promotion_evidence").values(active=False))
    on_time = report(engine).overall.part("on_time")
    # active steps only: a1 on time, a2 missing, b1 on time → 2 of 3
    assert (on_time.count, on_time.measure, on_time.value) == (3, pytest.approx(200 / 3), pytest.approx(200 / 3))


def test_overall_pools_the_rows_not_the_team_figures(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
        for late in (False, True, True):
            step(s, org.b1, NOV + D, late=late)
    r = report(engine)
    teams = {t.team: t for t in r.teams}
    assert teams["Alpha"].part("on_time").value == 100.0
    assert teams["Beta"].part("on_time").value == pytest.approx(100 / 3)
    assert r.overall.part("on_time").value == 50.0  # 2 of 4, not the mean of 100 and 33.3
    assert [t.team for t in r.teams] == ["Alpha", "Beta"]


# ---- closure and collaboration: what counts, and the mapping at the target -----------------------

def test_closure_is_the_median_days_to_close_with_100_at_the_target(engine, org):
    with write_tx(engine) as s:
        for days in (1, 3, 9):
            issue(s, org.a1, NOV + 2 * D, NOV + 2 * D + days * D)     # closed in November
        issue(s, org.a1, OCT + 20 * D, OCT + 28 * D)                  # closed in October: not counted
    closure = report(engine).overall.part("closure")
    assert (closure.count, closure.measure, closure.value, closure.open_overdue) == (3, pytest.approx(3.0), 100.0, 0)
    with write_tx(engine) as s:
        issue(s, org.a1, NOV + 2 * D, NOV + 2 * D + 10 * D)           # median now (3 + 9) / 2 = 6 days
    closure = report(engine).overall.part("closure")
    assert (closure.count, closure.measure, closure.value) == (4, pytest.approx(6.0), pytest.approx(50.0))


def test_closure_one_minute_over_the_target_is_under_100(engine, org):
    with write_tx(engine) as s:
        issue(s, org.a1, NOV + 2 * D, NOV + 5 * D + timedelta(minutes=1))
    closure = report(engine).overall.part("closure")
    assert closure.value == pytest.approx(100 * 3 / (3 + 1 / 1440), rel=1e-6)
    assert closure.value < 100


def test_collaboration_is_the_mean_hours_to_answer_with_100_at_the_target(engine, org):
    with write_tx(engine) as s:
        request(s, org.a1, NOV + D, NOV + D + 12 * H)
        request(s, org.b1, NOV + D, NOV + D + 36 * H)                 # mean 24 h: exactly the target
        request(s, org.b1, OCT + 3 * D, OCT + 4 * D)                  # answered in October
    collab = report(engine).overall.part("collaboration")
    assert (collab.count, collab.measure, collab.value) == (2, pytest.approx(24.0), 100.0)
    with write_tx(engine) as s:
        request(s, org.a2, NOV + 3 * D, NOV + 3 * D + 72 * H)         # mean (12 + 36 + 72) / 3 = 40 h
    collab = report(engine).overall.part("collaboration")
    assert (collab.count, collab.measure, collab.value) == (3, pytest.approx(40.0), pytest.approx(60.0))


def test_items_left_open_past_the_target_count_against_the_month_they_went_over(engine, org):
    with write_tx(engine) as s:
        request(s, org.a1, NOV + D, NOV + D + 12 * H)                 # answered in 12 h
        request(s, org.a1, NOW - 60 * H)                              # waiting 60 h at NOW: counts, 60 h
        request(s, org.a1, NOW - 10 * H)                              # waiting 10 h: inside its 24 h, nowhere
        request(s, org.a2, OCT + 5 * D)                               # over its target in October: not November
        request(s, org.a2, OCT + 31 * D - 12 * H, NOV + 2 * D + 12 * H)  # over target on 1 Nov, answered 3 Nov:
                                                                      # counted once, with its 72 h
    collab = report(engine).overall.part("collaboration")
    assert (collab.count, collab.open_overdue) == (3, 1)
    assert collab.measure == pytest.approx((12 + 60 + 72) / 3)
    assert collab.value == pytest.approx(100 * 24 / 48)
    # October: the one raised on 6 Oct, still open at October's end (age 26 days), and the one raised on
    # 31 Oct at noon (12 h old at the month's end, inside its target) counts nowhere in October
    october = report(engine, "2026-10").overall.part("collaboration")
    assert (october.count, october.open_overdue) == (1, 1)
    assert october.measure == pytest.approx(26 * 24.0)
    with write_tx(engine) as s:                                       # closure: the same rule, in days
        issue(s, org.b1, NOW - 5 * D)
        issue(s, org.b1, NOW - 2 * D)                                 # 2 days open: inside its 3 days
    closure = report(engine).overall.part("closure")
    assert (closure.count, closure.open_overdue, closure.measure) == (1, 1, pytest.approx(5.0))


# ---- the PSI: re-weighting, tiers at their edges, settings -------------------------------------------

def test_a_part_without_data_is_named_and_the_psi_reweighted(engine, org):
    empty = report(engine).overall
    assert (empty.value, empty.tier, empty.payout, empty.reweighted) == (None, None, None, False)
    assert empty.missing == psi.PARTS
    with write_tx(engine) as s:
        for late in (False, False, False, True):
            step(s, org.a1, NOV + D, late=late)                      # on time 75
        issue(s, org.a1, NOV + D, NOV + 7 * D)                       # closure 100 · 3 / 6 = 50
    r = report(engine).overall
    assert r.missing == ("collaboration",) and r.reweighted
    assert r.value == round((0.40 * 75 + 0.35 * 50) / 0.75, 1) == 63.3
    assert r.part("on_time").share == pytest.approx(0.40 / 0.75)
    assert r.part("collaboration").share == 0.0 and r.part("collaboration").count == 0
    assert (r.tier, r.payout) == ("none", 0.0)


@pytest.mark.parametrize("expected, tier, pays", [(90.0, "full", 100.0), (89.9, "partial", 80.0),
                                                  (80.0, "partial", 80.0), (79.9, "none", 0.0)])
def test_tier_edges_end_to_end(engine, org, expected, tier, pays):
    """On time 100 and collaboration 100, so PSI = 0.40·100 + 0.35·closure + 0.25·100 = 65 + 0.35·closure;
    the one issue's days to close sets closure = 100 · 3 / days exactly where the PSI lands on the edge."""
    days = 3 * 100 / ((expected - 65) / 0.35)
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
        request(s, org.a1, NOV + D, NOV + 2 * D)
        issue(s, org.a1, NOV + D, NOV + D + timedelta(seconds=round(days * 86400)))
    r = report(engine).overall
    assert (r.value, r.tier, r.payout, r.reweighted) == (expected, tier, pays, False)


def test_weights_targets_and_tier_edges_are_settings(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
        step(s, org.a1, NOV + D, late=True)                           # on time 50
        issue(s, org.a1, NOV + D, NOV + 7 * D)                        # 6 days: closure 50
        request(s, org.a1, NOV + D, NOV + 3 * D)                      # 48 h: collaboration 50
    assert report(engine).overall.value == 50.0
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"psi_closure_target_days": 6, "psi_collaboration_target_hours": 48,
                                "psi_weight_on_time": 0.0, "psi_tier_full": 95, "psi_tier_partial": 60,
                                "psi_tier_partial_payout": 50}, NOW)
    r = report(engine).overall
    assert [p.value for p in r.parts] == [50.0, 100.0, 100.0]
    assert r.part("on_time").share == 0.0
    assert (r.value, r.tier, r.payout) == (100.0, "full", 100.0)
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"psi_weight_on_time": 1.0}, NOW)
    r = report(engine).overall
    assert r.value == round((50 + 0.35 * 100 + 0.25 * 100) / 1.6, 1) == 68.8
    assert (r.tier, r.payout) == ("partial", 50.0)
    assert report(engine).settings["psi_tier_partial"] == 60.0


# ---- teams, trend, what pulled it down, scope -------------------------------------------------------

def test_trend_covers_the_last_six_months_oldest_first(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, datetime(2026, 6, 10), late=True)
        step(s, org.a1, datetime(2026, 9, 10), late=False)
        step(s, org.a1, NOV + D, late=False)
    trend = report(engine).trend
    assert [t.month for t in trend] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert [t.value for t in trend] == [0.0, None, None, 100.0, None, 100.0]
    assert trend[-1] == report(engine).overall
    assert [t.month for t in report(engine, "2026-09").trend][-1] == "2026-09"


def test_what_pulled_it_down_names_the_part_and_the_step_and_team_with_most_misses(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=True)
        step(s, org.b1, NOV + D, late=True, code="solution_update")
        step(s, org.b2, NOV + D, late=None, code="solution_update")
        step(s, org.b2, NOV + D, late=False, code="solution_update")
        issue(s, org.a1, NOV + D, NOV + 2 * D)
        request(s, org.a1, NOV + D, NOV + D + 2 * H)
    r = report(engine)
    drag = r.drag
    # on time 1 of 4 = 25 → it cost 0.40 · 75 = 30 points; closure and collaboration cost nothing
    assert (drag.part, drag.points) == ("on_time", 30.0)
    assert (drag.step, drag.team, drag.misses, drag.share) == ("solution_update", "Beta", 2, pytest.approx(2 / 3))
    assert drag.step_zh and drag.step_en


def test_what_pulled_it_down_names_the_weakest_team_for_closure(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
        issue(s, org.a1, NOV + D, NOV + 4 * D)                        # Alpha: 3 days → 100
        issue(s, org.b1, NOV + D, NOV + 13 * D)                       # Beta: 12 days → 25
    r = report(engine)
    assert r.drag.part == "closure" and r.drag.team == "Beta" and r.drag.step is None
    assert r.drag.points == pytest.approx(round(0.35 / 0.75 * (100 - 300 / 7.5), 1))


def test_nothing_pulled_down_a_perfect_month(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
    drag = report(engine).drag
    assert (drag.part, drag.points) == (None, 0.0)


def test_a_lead_sees_only_their_team_and_one_team_can_be_chosen(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
        step(s, org.b1, NOV + D, late=True)
    with read_session(engine) as s:
        lena = scope_for(s, s.get(type(org.lead_alpha), org.lead_alpha.id))
    mine = report(engine, scope=lena)
    assert [t.team for t in mine.teams] == ["Alpha"]
    assert mine.overall.value == 100.0 and mine.overall.part("on_time").count == 1
    beta = report(engine, team_id=org.beta.id)
    assert (beta.overall.team, beta.overall.value, beta.teams) == ("Beta", 0.0, ())
    assert [t.value for t in beta.trend][-1] == 0.0
    # a lead asking for another team's figures gets nothing of it
    other = report(engine, scope=lena, team_id=org.beta.id)
    assert other.overall.value is None and other.overall.team is None


def test_report_dict_is_plain_data(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, NOV + D, late=False)
    data = psi.report_dict(report(engine))
    assert data["month"] == "2026-11" and data["overall"]["value"] == 100.0
    assert data["overall"]["missing"] == ["closure", "collaboration"]
    assert [t["month"] for t in data["trend"]][-1] == "2026-11" and data["trend"][-1]["on_time"] == 100.0
    assert data["settings"]["psi_weight_on_time"] == 0.40


def test_the_change_from_last_month_and_the_instances_on_time(engine, org):
    with write_tx(engine) as s:
        step(s, org.a1, OCT + 2 * D, late=True)
        step(s, org.a1, OCT + 3 * D, late=False)
        for late in (False, False, True):
            step(s, org.a1, NOV + 2 * D, late=late)
    r = report(engine)
    on_time = r.overall.part("on_time")
    assert (on_time.hits, on_time.count) == (2, 3)
    assert r.overall.part("closure").hits is None
    assert r.change == pytest.approx(r.overall.value - 50.0) and r.trend[-2].value == 50.0
    assert report(engine, "2026-10").change is None        # nothing in September
