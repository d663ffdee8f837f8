"""The weekly bottleneck heatmap: stalled deals per stage and late or missing step instances per step,
team by team, with counts and rates — for the week ending 23 Nov 2026 (measured at NOW, noon) and a
week before it. Stage upper bounds (defaults): ic 5, nc 10, pr 8, ng 15, cs 3 days."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.process import heatmap
from core.base import rules
from core.base.db import read_session, write_tx
from core.base.vocabulary import STAGES
from core.base.scope import Scope, scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_step_instance, make_org
from tests.integration.test_funnel import T, add_deal

ALL = COMPANY
H = timedelta(hours=1)


@pytest.fixture
def org(engine):
    """Deals: a1 in proposal for 9 days (stalled) and for exactly 8 (not); a2 in negotiation for 20 days
    (stalled) and one moved from initial contact to needs confirmed 10 days ago (exactly the bound);
    b1 in initial contact for 6 days (stalled), and a1's deal lost 2 days ago after 14 days in proposal.
    Steps triggered this week: a1 needs summary on time and late, a2 promotion evidence missing,
    b1 solution update on time; not counted: a1's instance of 16 Nov and b1's not yet due."""
    with write_tx(engine) as s:
        org = make_org(s)
        add_deal(s, org.a1, "P9", [("ic", T(20)), ("pr", T(9))], 10)
        add_deal(s, org.a1, "P8", [("ic", T(20)), ("pr", T(8))], 10)
        add_deal(s, org.a2, "N20", [("ic", T(40)), ("ng", T(20))], 10)
        add_deal(s, org.a2, "NC10", [("ic", T(30)), ("nc", T(10))], 10)
        add_deal(s, org.b1, "I6", [("ic", T(6))], 10)
        add_deal(s, org.a1, "LOST", [("pr", T(16)), ("lost", T(2))], 10)
        tue = datetime(2026, 11, 17, 10)
        add_step_instance(s, "needs_summary", org.a1, tue, tue + 24 * H, tue + 20 * H)
        add_step_instance(s, "needs_summary", org.a1, tue, tue + 24 * H, tue + 30 * H)
        add_step_instance(s, "promotion_evidence", org.a2, tue, tue + 48 * H, None)
        add_step_instance(s, "solution_update", org.b1, tue, tue + 72 * H, tue + 70 * H)
        add_step_instance(s, "needs_summary", org.a1, tue - 24 * H, tue, None)
        add_step_instance(s, "solution_update", org.b1, NOW - 2 * H, NOW + 70 * H, None)
    return org


def cells(engine, week_end: date = NOW.date(), scope: Scope = ALL, now: datetime = NOW) -> dict:
    with read_session(engine) as s:
        df = heatmap.bottlenecks(scope, s, week_end, now)
    return {(r.team, r.code): (r.stalled, r.base, None if r.rate != r.rate else round(r.rate, 1))
            for r in df.itertuples()}


def test_this_weeks_stalled_deals_and_late_steps_per_team(engine, org):
    got = cells(engine)
    assert got[("Alpha", "proposal")] == (1, 2, 50.0)          # 9 days stalled, exactly 8 not
    assert got[("Alpha", "negotiation")] == (1, 1, 100.0)
    assert got[("Alpha", "needs_confirmed")] == (0, 1, 0.0)    # exactly at its 10 days
    assert got[("Alpha", "initial_contact")] == (0, 0, None)   # nothing to count: no rate
    assert got[("Beta", "initial_contact")] == (1, 1, 100.0)
    assert got[("Alpha", "needs_summary")] == (1, 2, 50.0)
    assert got[("Alpha", "promotion_evidence")] == (1, 1, 100.0)
    assert got[("Beta", "solution_update")] == (0, 1, 0.0)
    assert got[("Beta", "needs_summary")] == (0, 0, None)


def test_the_grid_is_complete_and_ordered_stages_then_steps(engine, org):
    with read_session(engine) as s:
        df = heatmap.bottlenecks(ALL, s, NOW.date(), NOW)
    assert len(df) == 2 * (len(STAGES) + 3)
    first = df[df["team"] == "Alpha"].sort_values("order")
    assert list(first["code"]) == [*STAGES, "needs_summary", "promotion_evidence", "solution_update"]
    assert list(first["kind"]) == ["stage"] * 5 + ["step"] * 3
    assert first["name_zh"].iloc[-1] == "异议方案进展"


def test_an_earlier_week_is_read_as_it_was_at_its_end(engine, org):
    """Week ending 16 Nov, at midnight: P9 had been in proposal 2.5 days, N20 in negotiation 13.5, NC10 in
    needs confirmed 3.5; the lost deal had been in proposal 9.5 days (stalled then); I6 not yet there."""
    got = cells(engine, date(2026, 11, 16))
    assert got[("Alpha", "proposal")] == (1, 3, pytest.approx(33.3))
    assert got[("Alpha", "negotiation")] == (0, 1, 0.0)
    assert got[("Alpha", "needs_confirmed")] == (0, 1, 0.0)
    assert got[("Beta", "initial_contact")] == (0, 0, None)
    assert got[("Alpha", "needs_summary")] == (1, 1, 100.0)   # 16 Nov's instance, never done


def test_stage_bounds_are_settings(engine, org):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"stage_max_days_proposal": 10, "stage_max_days_initial_contact": 7}, NOW)
    got = cells(engine)
    assert got[("Alpha", "proposal")] == (0, 2, 0.0)
    assert got[("Beta", "initial_contact")] == (0, 1, 0.0)


def test_a_lead_sees_only_their_teams_cells(engine, org):
    with read_session(engine) as s:
        leo = scope_for(s, s.get(type(org.lead_beta), org.lead_beta.id))
    got = cells(engine, scope=leo)
    assert {team for team, _ in got} == {"Beta"}
    assert got[("Beta", "initial_contact")] == (1, 1, 100.0)


def test_the_worst_cells_are_those_with_most_stalled_then_the_highest_rate(engine, org):
    with read_session(engine) as s:
        df = heatmap.bottlenecks(ALL, s, NOW.date(), NOW)
    worst = heatmap.worst(df)
    # the five cells of one stalled deal or late instance each, the 100 % ones first; none without one
    assert len(worst) == heatmap.TOP == 5 and (worst["stalled"] > 0).all()
    assert list(worst["rate"]) == [100.0, 100.0, 100.0, 50.0, 50.0]
    assert set(zip(worst["team"], worst["code"])) == {("Alpha", "proposal"), ("Alpha", "negotiation"),
                                                       ("Beta", "initial_contact"), ("Alpha", "needs_summary"),
                                                       ("Alpha", "promotion_evidence")}
    assert list(heatmap.worst(df, 2)["rate"]) == [100.0, 100.0]
    assert heatmap.worst(df[df["stalled"] == 0]).empty
