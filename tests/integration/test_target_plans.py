"""Year and quarter plans (SPEC §8) on SQLite and PostgreSQL, on hand-made data
with known figures: allocation region → team → rep → month in whole yuan by the weighted basis; the
director's acceptance writing the reps' monthly targets (what the scorecard reads); the rolling
re-allocation from known actuals and weighted pipeline; edits as a new version, every version kept;
the weight matrix; where a target comes from; the reps' confirmations; refusals and scope.

Organisation: tests.factories.make_org (North: team Alpha, reps a1 a2, lead Lena; South: team Beta,
reps b1 b2, lead Leo; director Dora). The clock stands at NOW, 23 November 2026; the period is
2026-Q4 (October, November, December), so October has closed.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from core.base.access import Forbidden
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, Contract, Opportunity, Target, TargetPlanRow, TargetPlanVersion, TargetWeight
from core.people import targets
from core.people.targets import InvalidPlan
from tests.factories import NOW, add_customer, scope_of

Q4 = "2026-Q4"
OCT, NOV, DEC = "2026-10", "2026-11", "2026-12"


def _deal(s, rep, customer, amount, status, product, stage="contract_signed"):
    opp = Opportunity(name=f"{rep.username} {product}", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id,
                      product=product, source_channel="expo", amount=amount, stage=stage, status=status,
                      stage_entered_at=datetime(2026, 5, 1), created_at=datetime(2026, 4, 1), lost_reason="")
    s.add(opp)
    s.flush()
    return opp


def _contract(s, rep, customer, amount, signed_at, opp=None):
    s.add(Contract(number=f"HT-{rep.username}-{signed_at:%m%d}-{amount}", customer_id=customer.id,
                   opportunity_id=None if opp is None else opp.id, owner_id=rep.id, team_id=rep.team_id,
                   amount=amount, signed_at=signed_at, status="active", created_at=signed_at))
    s.flush()


@pytest.fixture
def world(engine, org):
    """a1: a 300,000 CT contract with a top hospital in June (weight 1.8: basis 540,000); a2: a plain
    100,000 contract in June and an open 200,000 deal at proposal (× 0.5: 100,000) — basis 200,000.
    Beta has no history: its reps share equally. a1 also has a November target row with collections."""
    with write_tx(engine) as s:
        hospital = add_customer(s, org.a1, name="Top hospital")
        hospital.customer_type = "三甲医院"
        plain = add_customer(s, org.a2, name="Plain customer")
        _contract(s, org.a1, hospital, 300_000, datetime(2026, 6, 1), _deal(s, org.a1, hospital, 300_000, "won", "CT设备"))
        _contract(s, org.a2, plain, 100_000, datetime(2026, 6, 2))
        _deal(s, org.a2, plain, 200_000, "open", "widgets", stage="proposal")
        s.add(Target(month=NOV, owner_id=org.a1.id, team_id=org.a1.team_id, signed_amount=1, collections=50_000,
                     effective_visits=4, set_at=NOW))
    return org


def _propose(engine, org, amounts):
    with write_tx(engine) as s:
        return targets.propose_allocation(s, scope_of(s, org.director), Q4, amounts, NOW)


def _accept(engine, org, version_id, edits=None):
    with write_tx(engine) as s:
        return targets.accept_version(s, scope_of(s, org.director), version_id, edits or {}, NOW)


def _months(engine, version_id):
    with read_session(engine) as s:
        return {(r.owner_id, r.month): float(r.amount) for r in s.scalars(
            select(TargetPlanRow).where(TargetPlanRow.version_id == version_id))}


def test_allocation_splits_region_team_rep_month_exactly(engine, world):
    o = world
    vid = _propose(engine, o, {o.north.id: 1_000_000, o.south.id: "500,001"})
    rows = _months(engine, vid)
    # Alpha gets all of North; a1 : a2 = 540,000 : 200,000 → 729,729.73 / 270,270.27 → the spare yuan to a1
    assert [rows[(o.a1.id, m)] for m in (OCT, NOV, DEC)] == [243_244, 243_243, 243_243]
    assert [rows[(o.a2.id, m)] for m in (OCT, NOV, DEC)] == [90_090, 90_090, 90_090]
    # Beta: no basis, equal shares 250,001 / 250,000, each over three months
    assert [rows[(o.b1.id, m)] for m in (OCT, NOV, DEC)] == [83_334, 83_334, 83_333]
    assert [rows[(o.b2.id, m)] for m in (OCT, NOV, DEC)] == [83_334, 83_333, 83_333]
    assert sum(rows.values()) == 1_500_001
    with read_session(engine) as s:
        director = scope_of(s, o.director)
        regions = targets.plan_summary(director, s, vid, "region").set_index("name")
        teams = targets.plan_summary(director, s, vid, "team").set_index("name")
        versions = targets.plan_versions(director, s, Q4)
        # a proposal does not touch the monthly targets yet
        assert float(s.scalar(select(Target.signed_amount).where(Target.owner_id == o.a1.id))) == 1
    assert regions.loc["North", "total"] == 1_000_000 and regions.loc["South", "total"] == 500_001
    assert teams.loc["Alpha", NOV] == 243_243 + 90_090
    assert versions[["number", "kind", "status", "total"]].values.tolist() == [[1, "allocation", "proposed", 1_500_001]]


def test_accepting_writes_the_reps_monthly_targets_and_keeps_collections(engine, world):
    o = world
    vid = _propose(engine, o, {o.north.id: 1_000_000, o.south.id: 500_001})
    assert _accept(engine, o, vid) == vid
    with read_session(engine) as s:
        month = targets.month_targets(scope_of(s, o.director), s, NOV).set_index("owner_id")
        audit = s.scalar(select(AuditLog.detail).where(AuditLog.entity == "target_plan", AuditLog.action == "accept"))
    assert month.loc[o.a1.id, "signed_amount"] == 243_243
    assert month.loc[o.a1.id, "collections"] == 50_000 and month.loc[o.a1.id, "effective_visits"] == 4
    assert month.loc[o.b2.id, "signed_amount"] == 83_333
    assert audit["months_changed"] == 12
    with pytest.raises(InvalidPlan) as err:  # accepted once: not a proposal any more
        _accept(engine, o, vid)
    assert err.value.msg_key == "plan.err.not_proposed"


def test_reallocation_from_known_actuals_and_pipeline(engine, world):
    o = world
    v1 = _propose(engine, o, {o.north.id: 1_000_000, o.south.id: 500_001})
    _accept(engine, o, v1)
    with write_tx(engine) as s:  # October's actuals: a1 signed 300,000, b2 100,000
        _contract(s, o.a1, add_customer(s, o.a1), 300_000, datetime(2026, 10, 10))
        _contract(s, o.b2, add_customer(s, o.b2), 100_000, datetime(2026, 10, 12))
        v2 = targets.propose_reallocation(s, scope_of(s, o.director), Q4, OCT, NOW)
    rows = _months(engine, v2)
    # October keeps its targets
    assert rows[(o.a1.id, OCT)] == 243_244 and rows[(o.a2.id, OCT)] == 90_090
    # Alpha still has 1,000,000 − 300,000 = 700,000 to sign; weights gap + pipeline: a1 429,730 + 0,
    # a2 270,270 + 100,000 → 376,013.75 / 323,986.25 → 376,014 / 323,986, over November and December
    assert (rows[(o.a1.id, NOV)], rows[(o.a1.id, DEC)]) == (188_007, 188_007)
    assert (rows[(o.a2.id, NOV)], rows[(o.a2.id, DEC)]) == (161_993, 161_993)
    # Beta: 500,001 − 100,000 = 400,001 by gaps 250,001 : 150,000
    assert (rows[(o.b1.id, NOV)], rows[(o.b1.id, DEC)]) == (125_001, 125_000)
    assert (rows[(o.b2.id, NOV)], rows[(o.b2.id, DEC)]) == (75_000, 75_000)
    # the director edits a2's December, accepts: a new version; the proposal and v1 are kept
    v3 = _accept(engine, o, v2, {(o.a2.id, DEC): "170000"})
    assert _months(engine, v3)[(o.a2.id, DEC)] == 170_000
    with read_session(engine) as s:
        director = scope_of(s, o.director)
        versions = targets.plan_versions(director, s, Q4)
        month = targets.month_targets(director, s, DEC).set_index("owner_id")
    assert versions[["number", "kind", "status", "basis_month"]].values.tolist() == [
        [3, "edit", "accepted", OCT], [2, "reallocation", "edited", OCT], [1, "allocation", "superseded", None]]
    assert month.loc[o.a2.id, "signed_amount"] == 170_000 and month.loc[o.a1.id, "signed_amount"] == 188_007


def test_reallocation_refusals(engine, world):
    o = world
    with write_tx(engine) as s, pytest.raises(InvalidPlan) as err:
        targets.propose_reallocation(s, scope_of(s, o.director), Q4, OCT, NOW)
    assert err.value.msg_key == "plan.err.no_plan"
    _accept(engine, o, _propose(engine, o, {o.north.id: 300_000}))
    for month, key in ((NOV, "plan.err.month_open"), ("2026-09", "plan.err.month_not_in_period")):
        with write_tx(engine) as s, pytest.raises(InvalidPlan) as err:
            targets.propose_reallocation(s, scope_of(s, o.director), Q4, month, NOW)
        assert err.value.msg_key == key
    with write_tx(engine) as s, pytest.raises(InvalidPlan) as err:
        targets.propose_reallocation(s, scope_of(s, o.director), Q4, DEC, datetime(2027, 1, 5))
    assert err.value.msg_key == "plan.err.nothing_left"


@pytest.mark.parametrize("amounts, key", [
    ({"north": -5}, "targets.err.negative"), ({"north": 10.5}, "plan.err.whole"), ({"north": "abc"}, "targets.err.number"),
    ({"north": 0}, "plan.err.empty"), ({"north": None}, "plan.err.amount"), ({999: 10}, "plan.err.region"),
])
def test_allocation_refuses_bad_amounts_and_writes_nothing(engine, world, amounts, key):
    o = world
    amounts = {o.north.id if k == "north" else k: v for k, v in amounts.items()}
    with write_tx(engine) as s, pytest.raises(InvalidPlan) as err:
        targets.propose_allocation(s, scope_of(s, o.director), Q4, amounts, NOW)
    assert err.value.msg_key == key and err.value.field == "region_amounts"
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(TargetPlanVersion)) == 0
    with write_tx(engine) as s, pytest.raises(InvalidPlan):
        targets.propose_allocation(s, scope_of(s, o.director), "2026-Q5", {o.north.id: 1}, NOW)


def test_only_the_director_or_admin_plans_and_only_a_rep_confirms(engine, world):
    o = world
    for who in (o.lead_alpha, o.a1):
        with write_tx(engine) as s, pytest.raises(Forbidden):
            targets.propose_allocation(s, scope_of(s, who), Q4, {o.north.id: 1}, NOW)
        with write_tx(engine) as s, pytest.raises(Forbidden):
            targets.save_weights(s, scope_of(s, who), {("诊所", "耗材"): 1}, NOW)
    with write_tx(engine) as s, pytest.raises(Forbidden):
        targets.confirm_target(s, scope_of(s, o.lead_alpha), NOV, NOW)


def test_weight_matrix_defaults_edits_validation_and_audit(engine, world):
    o = world
    with read_session(engine) as s:
        matrix = targets.weight_matrix(scope_of(s, o.director), s).set_index("customer_type")
    assert matrix.loc["三甲医院", "CT设备"] == 1.8 and matrix.loc["诊所", "耗材"] == 0.6
    assert matrix.loc["end user", "widgets"] == 1.0
    for bad in ("x", 10.5, -1, None, True):
        with write_tx(engine) as s, pytest.raises(InvalidPlan) as err:
            targets.save_weights(s, scope_of(s, o.director), {("end user", "widgets"): 2, ("诊所", "耗材"): bad}, NOW)
        assert err.value.msg_key == "plan.err.weight" and err.value.params["who"] == "诊所 × 耗材"
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(TargetWeight)) == 0  # all or nothing
    with write_tx(engine) as s:
        assert targets.save_weights(s, scope_of(s, o.director),
                                    {("end user", "widgets"): "2", ("三甲医院", "CT设备"): 1.8}, NOW) == 1
    with read_session(engine) as s:
        matrix = targets.weight_matrix(scope_of(s, o.director), s).set_index("customer_type")
        audit = s.scalar(select(AuditLog.detail).where(AuditLog.entity == "target_weight"))
    assert matrix.loc["end user", "widgets"] == 2.0
    assert audit == {"customer_type": "end user", "product": "widgets", "old": 1.0, "new": 2.0}
    # a2's open deal now counts twice: basis 100,000 + 200,000 → a1 : a2 = 540,000 : 300,000
    vid = _propose(engine, o, {o.north.id: 840})
    assert _months(engine, vid)[(o.a2.id, OCT)] == 100


def test_sources_existing_pipeline_new(engine, world):
    o = world
    _accept(engine, o, _propose(engine, o, {o.north.id: 1_000_000, o.south.id: 500_001}))
    with read_session(engine) as s:
        src = targets.target_sources(scope_of(s, o.lead_alpha), s, Q4).set_index("owner_id")
        mine = targets.target_sources(scope_of(s, o.a2), s, Q4)
    assert set(src.index) == {o.a1.id, o.a2.id}  # the lead: own team only
    # a1: 540,000 weighted history × 3/12 = 135,000 existing, no pipeline, the rest new business
    assert src.loc[o.a1.id, ["target", "existing", "pipeline", "new"]].tolist() == [729_730, 135_000, 0, 594_730]
    # a2: 100,000 × 3/12 = 25,000 existing, 100,000 weighted pipeline, 145,270 new
    assert src.loc[o.a2.id, ["existing", "pipeline", "new"]].tolist() == [25_000, 100_000, 145_270]
    assert src.loc[o.a2.id, "pipeline_pct"] == pytest.approx(37.0)
    assert mine["owner_id"].tolist() == [o.a2.id]


def test_reps_confirm_and_the_lead_sees_who_has_not(engine, world):
    o = world
    _accept(engine, o, _propose(engine, o, {o.north.id: 1_000_000}))
    with write_tx(engine) as s:
        targets.confirm_target(s, scope_of(s, o.a1), NOV, NOW)
    with read_session(engine) as s:
        lead = targets.confirmations(scope_of(s, o.lead_alpha), s, NOV).set_index("owner_id")
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "confirm"))
    assert lead["status"].to_dict() == {o.a1.id: "confirmed", o.a2.id: "unconfirmed"}
    assert lead.loc[o.a1.id, "confirmed_at"] == NOW and lead.loc[o.a1.id, "confirmed_amount"] == 243_243
    assert audit.user_id == o.a1.id and audit.detail == {"month": NOV, "amount": 243_243.0}
    with write_tx(engine) as s:  # the lead changes a1's November: unconfirmed again ("changed")
        t = s.scalar(select(Target).where(Target.owner_id == o.a1.id, Target.month == NOV))
        targets.save_targets(s, scope_of(s, o.lead_alpha), NOV,
                             [targets.TargetRow(250_000, 50_000, 4, rep_id=o.a1.id, version=t.version)], NOW)
    with read_session(engine) as s:
        assert targets.confirmations(scope_of(s, o.a1), s, NOV)["status"].tolist() == ["changed"]
    with write_tx(engine) as s, pytest.raises(InvalidPlan) as err:  # b1 has no target in North's plan
        targets.confirm_target(s, scope_of(s, o.b1), NOV, NOW)
    assert err.value.msg_key == "plan.err.no_target"


def test_plan_rows_in_scope(engine, world):
    o = world
    vid = _propose(engine, o, {o.north.id: 1_000_000, o.south.id: 500_001})
    with read_session(engine) as s:
        rep = targets.plan_rows(scope_of(s, o.a1), s, vid)
        lead = targets.plan_rows(scope_of(s, o.lead_beta), s, vid)
        director = targets.plan_rows(scope_of(s, o.director), s, vid)
    assert rep["owner_id"].tolist() == [o.a1.id] and rep["total"].tolist() == [729_730]
    assert set(lead["owner_id"]) == {o.b1.id, o.b2.id}
    assert len(director) == 4 and director["total"].sum() == 1_500_001
    assert list(director.columns[-4:]) == [OCT, NOV, DEC, "total"]
