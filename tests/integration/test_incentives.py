"""Incentives (SPEC §8) on hand-made data: the points ledger (what it grants, once), the PSI tier edges,
the circuit breaker at its threshold and just above, the payout formula, the what-if sandbox saving
nothing, applying a version (audited), the payroll export (audited) and who may see what."""
from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from core.base import rules
from core.base.access import Forbidden
from core.base.db import read_session, write_tx
from core.base.models import Activity, AuditLog, IncentiveModel, Opportunity, PointsEntry, TeamStanding
from core.base.scope import COMPANY, ScopeError
from core.people import incentives as inc
from tests.factories import NOW, add_customer, add_step_instance, make_org, scope_of

D = timedelta(days=1)
MONTH = "2026-11"
P = inc.default_params({d.key: d.default for d in rules.DEFINITIONS.values()})


# ---- pure: tiers, breaker, the formula ----------------------------------------------------------------

@pytest.mark.parametrize("psi, expected", [(90.0, ("full", 100.0)), (89.9, ("partial", 80.0)),
                                           (80.0, ("partial", 80.0)), (79.9, ("none", 0.0)), (None, (None, 0.0))])
def test_tier_edges(psi, expected):
    assert inc.tier(psi, P) == expected


def test_circuit_breaker_at_its_threshold_does_not_trip_and_just_above_does():
    assert P.breaker_threshold_pct == 10.0
    assert inc.complaint_rate(10, 100) == 10.0 and not inc.tripped(10.0, P)
    assert inc.complaint_rate(101, 1000) == pytest.approx(10.1) and inc.tripped(inc.complaint_rate(101, 1000), P)
    assert not inc.tripped(inc.complaint_rate(0, 0), P)  # no active customers: no rate, no breaker


def test_the_formula_with_known_numbers():
    points = {("result", "strategic"): 10.0, ("result", "standard"): 5.0, ("process", "standard"): 20.0,
              ("collaboration", "standard"): 10.0}
    got = inc.pay(points, 80.0, False, P)
    # result 10·1.5 + 5 = 20 → ¥400; process 20 · ¥20 · 80 % = ¥320; collaboration 10 · 0.3 = 3 → ¥60
    assert (got.result_points, got.process_points, got.collaboration_points) == (20.0, 20.0, 3.0)
    assert (got.result_pay, got.process_pay, got.collaboration_pay, got.frozen, got.total) == (400, 320, 60, 0, 780)
    tripped = inc.pay(points, 80.0, True, P)
    assert (tripped.process_pay, tripped.frozen, tripped.total) == (224.0, 96.0, 684.0)  # 30 % of 320 frozen


def test_model_changes_are_checked():
    with pytest.raises(inc.InvalidIncentiveInput) as e:
        inc.with_changes(P, {"weight_strategic": "lots"})
    assert e.value.field == "weight_strategic"
    with pytest.raises(inc.InvalidIncentiveInput) as e:
        inc.with_changes(P, {"tier_partial": 95})
    assert e.value.field == "tier_partial"
    with pytest.raises(inc.InvalidIncentiveInput) as e:
        inc.with_changes(P, {"bonus": 1})
    assert e.value.field == "bonus"
    with pytest.raises(inc.InvalidIncentiveInput):
        inc.with_changes(P, {"breaker_freeze_pct": 101})
    assert inc.with_changes(P, {"weight_strategic": 2, "strategic_industries": "医疗, 教育"}).strategic_industries \
        == ("医疗", "教育")


# ---- the ledger and payouts on a database -------------------------------------------------------------

def _records(s):
    """Amy (a1, Alpha): a step on time and one late, an effective visit, two won deals — a hospital
    (strategic) and a first win with a manufacturer (new customer); Bob (b1, Beta): one step on time."""
    org = make_org(s)
    hospital = add_customer(s, org.a1, "General Hospital")
    factory = add_customer(s, org.a1, "Steel Works")
    hospital.industry = "医疗"
    add_step_instance(s, "needs_summary", org.a1, NOW - 5 * D, NOW - 4 * D, NOW - 4 * D - timedelta(hours=1))
    add_step_instance(s, "needs_summary", org.a1, NOW - 5 * D, NOW - 4 * D, NOW - 3 * D)  # late: nothing
    add_step_instance(s, "needs_summary", org.b1, NOW - 5 * D, NOW - 4 * D, NOW - 4 * D - timedelta(hours=2))
    s.add(Activity(kind="visit", customer_id=factory.id, owner_id=org.a1.id, team_id=org.a1.team_id,
                   happened_at=NOW - 2 * D, logged_at=NOW - 2 * D, effective=True, fields={}, note=""))
    for cust, name in ((hospital, "CT scanner"), (factory, "Press line")):
        s.add(Opportunity(name=name, customer_id=cust.id, owner_id=org.a1.id, team_id=org.a1.team_id, product="x",
                          source_channel="expo", amount=1000, stage="contract_signed", status="won",
                          stage_entered_at=NOW - 3 * D, created_at=NOW - 9 * D, closed_at=NOW - 3 * D, lost_reason=""))
    s.flush()
    return org


def test_points_ledger_grants_each_key_action_once(engine):
    with write_tx(engine) as s:
        org = _records(s)
        assert inc.points_ledger(s, NOW) == 5
    with write_tx(engine) as s:
        assert inc.points_ledger(s, NOW) == 0  # idempotent
        assert inc.points_ledger(s, NOW + timedelta(hours=1)) == 0
    with read_session(engine) as s:
        lines = s.execute(select(PointsEntry.owner_id, PointsEntry.rule, PointsEntry.part, PointsEntry.weight_key,
                                 PointsEntry.points, PointsEntry.reason, PointsEntry.month)
                          .order_by(PointsEntry.owner_id, PointsEntry.rule, PointsEntry.reason)).all()
    got = [(o, r, p, k, float(pt), reason, m) for o, r, p, k, pt, reason, m in lines]
    assert sorted((g[1], g[3]) for g in got if g[0] == org.a1.id) == [
        ("effective_visit", "standard"), ("step_on_time", "standard"), ("won_deal", "new_customer"),
        ("won_deal", "strategic")]
    assert [(g[1], g[4]) for g in got if g[0] == org.b1.id] == [("step_on_time", 2.0)]


def _standing(s, team_id, psi, complaints, active):
    s.add(TeamStanding(month=MONTH, team_id=team_id, psi=psi, complaint_customers=complaints,
                       active_customers=active, computed_at=NOW))


def test_payouts_use_the_tier_and_the_breaker(engine):
    with write_tx(engine) as s:
        org = _records(s)
        inc.points_ledger(s, NOW)
        _standing(s, org.alpha.id, 85.0, 11, 100)   # partial tier; 11 % > 10 %: the breaker trips
        _standing(s, org.beta.id, 92.0, 10, 100)    # full tier; at 10 % exactly: it does not
    with read_session(engine) as s:
        got = inc.payouts(COMPANY, s, MONTH)
        amy = got.reps.set_index("owner_id").loc[org.a1.id]
        # result 10·1.5 + 10·1.0 = 25 pts → ¥500; process 3 pts · ¥20 · 80 % = ¥48, 30 % frozen → ¥33.60
        assert (amy.result_points, amy.process_points, amy.result_pay) == (25.0, 3.0, 500.0)
        assert (amy.process_share, bool(amy.breaker), amy.frozen, amy.process_pay, amy.total) == \
            (80.0, True, 14.4, 33.6, 533.6)
        bob = got.reps.set_index("owner_id").loc[org.b1.id]
        assert (bob.process_share, bool(bob.breaker), bob.frozen, bob.total) == (100.0, False, 0.0, 40.0)
        teams = got.teams.set_index("team")
        assert teams.loc["Alpha", "process_pool"] == 48.0 and teams.loc["Alpha", "frozen"] == 14.4
        assert got.total == 573.6

        # a rep sees their own line only, and only their own statement
        a1 = scope_of(s, org.a1)
        mine = inc.payouts(a1, s, MONTH)
        assert list(mine.reps["owner_id"]) == [org.a1.id] and mine.total == 533.6
        st = inc.statement(a1, s, org.a1.id, MONTH)
        assert len(st.lines) == 4 and st.row["total"] == 533.6
        assert sorted(st.lines["weighted"]) == [1.0, 2.0, 10.0, 15.0]
        with pytest.raises(ScopeError):
            inc.statement(a1, s, org.b1.id, MONTH)
        with pytest.raises(Forbidden):
            inc.what_if(a1, s, MONTH, {"weight_strategic": 2})
        # a lead: their team only
        lena = inc.payouts(scope_of(s, org.lead_alpha), s, MONTH)
        assert set(lena.reps["owner_id"]) == {org.a1.id}


def test_what_if_saves_nothing_and_apply_writes_a_version_with_its_audit_row(engine):
    with write_tx(engine) as s:
        org = _records(s)
        inc.points_ledger(s, NOW)
        _standing(s, org.alpha.id, 85.0, 11, 100)
        _standing(s, org.beta.id, 92.0, 10, 100)
    changes = {"weight_strategic": 2.0, "breaker_threshold_pct": 12.0}
    with read_session(engine) as s:
        director = scope_of(s, org.director)
        cmp_ = inc.what_if(director, s, MONTH, changes)
        amy = cmp_.reps.set_index("owner_id").loc[org.a1.id]
        # strategic 10·2 + 10 = 30 → ¥600; breaker off at 12 %: process ¥48 → 648
        assert (amy.before, amy.after, amy.change) == (533.6, 648.0, 114.4)
        assert (cmp_.total_before, cmp_.total_after, cmp_.total_change) == (573.6, 688.0, 114.4)
        alpha = cmp_.teams.set_index("team").loc["Alpha"]
        assert bool(alpha.breaker_before) and not bool(alpha.breaker_after)
        assert s.scalar(select(func.count()).select_from(IncentiveModel)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0
    with write_tx(engine) as s:
        with pytest.raises(Forbidden):
            inc.apply_model(s, scope_of(s, org.a1), changes, "", NOW)
        with pytest.raises(inc.InvalidIncentiveInput):
            inc.apply_model(s, scope_of(s, org.director), {}, "", NOW)
        assert inc.apply_model(s, scope_of(s, org.director), changes, "more for hospitals", NOW) == 1
    with write_tx(engine) as s:
        assert inc.apply_model(s, scope_of(s, org.director), {"yuan_per_point": 25}, "", NOW) == 2
    with read_session(engine) as s:
        model = inc.current_model(COMPANY, s)
        assert model.version == 2 and model.params.weight_strategic == 2.0 and model.params.yuan_per_point == 25
        assert list(inc.model_versions(COMPANY, s)["version"]) == [2, 1]
        audit = s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.detail)
                          .order_by(AuditLog.id)).all()
        assert [(a, e, i) for a, e, i, _ in audit] == [("apply", "incentive_model", "1"), ("apply", "incentive_model", "2")]
        assert audit[0].detail["changes"]["weight_strategic"] == {"old": 1.5, "new": 2.0}
        assert inc.payouts(COMPANY, s, MONTH).total == pytest.approx(688.0 * 25 / 20)


def test_payroll_export_is_in_scope_and_audited(engine):
    with write_tx(engine) as s:
        org = _records(s)
        inc.points_ledger(s, NOW)
    with write_tx(engine) as s:
        data = inc.export_payouts(s, scope_of(s, org.lead_alpha), MONTH, NOW)
        with pytest.raises(Forbidden):
            inc.export_payouts(s, scope_of(s, org.a1), MONTH, NOW)
        with pytest.raises(inc.InvalidIncentiveInput):
            inc.export_payouts(s, scope_of(s, org.director), "2026-13", NOW)
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="reps", engine="openpyxl")
    assert list(sheet["owner_id"]) == [org.a1.id]
    with read_session(engine) as s:
        assert s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id)).all() == [
            ("export", "payout", MONTH)]


def test_standings_job_takes_psi_and_complaints(engine):
    with write_tx(engine) as s:
        org = _records(s)
        hospital_id = s.scalar(select(Opportunity.customer_id).where(Opportunity.name == "CT scanner"))
        s.add(Activity(kind="complaint", customer_id=hospital_id, owner_id=org.a1.id, team_id=org.alpha.id,
                       happened_at=NOW - D, logged_at=NOW - D, effective=True, fields={}, note=""))
        s.flush()
        assert inc.incentive_standings(s, NOW) > 0
        assert inc.incentive_standings(s, NOW) == 0
    with read_session(engine) as s:
        row = s.scalar(select(TeamStanding).where(TeamStanding.month == MONTH, TeamStanding.team_id == org.alpha.id))
        assert (row.complaint_customers, row.active_customers) == (1, 2)
        assert row.psi is not None  # one step on time, one late: on-time 50 %
        assert row.psi == pytest.approx(50.0)


def test_a_bad_month_is_refused(engine):
    with read_session(engine) as s:
        with pytest.raises(inc.InvalidIncentiveInput) as e:
            inc.payouts(COMPANY, s, "November")
        assert e.value.field == "month"

