"""Target health (SPEC §8) on SQLite and PostgreSQL, on hand-made data with known results:
the deviation rate per rep, team and month; the three health lights at the 70 % edge with their
sentences and who holds the shortfall; the intervention job's two-consecutive-weeks rule; scope.

The organisation is tests.factories.make_org (team Alpha: lead Lena, reps a1 Amy and a2 Ann; team
Beta: lead Leo, reps b1 Bob and b2 Ben; director Dora). NOW is Monday 23 November 2026, noon.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.base.db import read_session, write_tx
from core.base.models import Alert, Contract, Opportunity, Target, User
from core.base.scope import Scope, ScopeError
from core.people import target_health as th
from tests.factories import NOW, add_customer, scope_of

DAY = timedelta(days=1)


def target(s, rep: User, month: str, signed: float | None) -> None:
    s.add(Target(month=month, owner_id=rep.id, team_id=rep.team_id, signed_amount=signed, set_at=NOW - 60 * DAY))
    s.flush()


def contract(s, rep: User, amount: float, signed_at: datetime, status: str = "active") -> None:
    customer = add_customer(s, rep)
    s.add(Contract(number=f"HT-{rep.username}-{signed_at:%m%d%H%M}-{amount:.0f}", customer_id=customer.id,
                   owner_id=rep.id, team_id=rep.team_id, amount=amount, signed_at=signed_at, status=status,
                   created_at=signed_at))
    s.flush()


def open_deal(s, rep: User, amount: float, stage: str) -> None:
    customer = add_customer(s, rep)
    s.add(Opportunity(name=f"{rep.username} {stage}", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id,
                      amount=amount, stage=stage, status="open", stage_entered_at=NOW - 5 * DAY,
                      created_at=NOW - 20 * DAY))
    s.flush()


# ---- the pure part --------------------------------------------------------------------------------

def test_deviation_rate_is_actual_minus_target_over_target():
    assert th.deviation_rate(80_000, 100_000) == pytest.approx(-20.0)
    assert th.deviation_rate(125_000, 100_000) == pytest.approx(25.0)
    assert th.deviation_rate(0, 100_000) == pytest.approx(-100.0)
    assert th.deviation_rate(50_000, 0) is None and th.deviation_rate(50_000, None) is None


def test_achievement_coverage_and_the_run_of_low_weeks():
    assert th.achievement(69_900, 100_000) == pytest.approx(69.9)
    assert th.achievement(150_000, 100_000) == pytest.approx(150.0)  # not capped
    assert th.coverage(150_000, 100_000) == pytest.approx(150.0)
    assert th.coverage(10, 0) is None and th.coverage(10, -5) is None
    assert th.below_for([69.9, 50.0], 70) is True
    assert th.below_for([70.0, 50.0], 70) is False  # exactly at the threshold is not below
    assert th.below_for([None, 50.0], 70) is False  # a week without a target breaks the run
    assert th.below_for([], 70) is False


# ---- deviation rate ---------------------------------------------------------------------------------

@pytest.fixture
def year_data(engine, org):
    with write_tx(engine) as s:
        target(s, org.a1, "2026-10", 100_000)
        target(s, org.a1, "2026-11", 200_000)
        target(s, org.a2, "2026-11", 100_000)
        target(s, org.b1, "2026-11", 50_000)
        contract(s, org.a1, 80_000, datetime(2026, 10, 12))
        contract(s, org.a1, 250_000, datetime(2026, 11, 5))
        contract(s, org.a1, 999_000, datetime(2026, 11, 6), status="cancelled")  # not counted
        contract(s, org.a2, 50_000, datetime(2026, 11, 9))
        contract(s, org.b1, 60_000, datetime(2026, 11, 10))
    return org


def _cell(df, level, name, month):
    row = df[(df["level"] == level) & (df["name"] == name) & (df["month"] == month)]
    assert len(row) == 1, (level, name, month)
    return row.iloc[0]


def test_deviation_rate_per_rep_and_team_and_month(engine, year_data):
    o = year_data
    with read_session(engine) as s:
        df = th.deviation(scope_of(s, o.director), s, 2026, NOW)
    assert sorted(df["month"].unique()) == [f"2026-{m:02d}" for m in range(1, 12)]  # December not begun
    amy_oct, amy_nov = _cell(df, "rep", "Amy A1", "2026-10"), _cell(df, "rep", "Amy A1", "2026-11")
    assert (amy_oct["target"], amy_oct["actual"], amy_oct["deviation"]) == (100_000, 80_000, pytest.approx(-20.0))
    assert (amy_nov["actual"], amy_nov["deviation"]) == (250_000, pytest.approx(25.0))
    assert _cell(df, "rep", "Ann A2", "2026-11")["deviation"] == pytest.approx(-50.0)
    assert _cell(df, "rep", "Ann A2", "2026-10")["deviation"] != _cell(df, "rep", "Ann A2", "2026-10")["deviation"]  # NaN
    # Alpha's target is its reps' sum (300,000), its actual theirs (300,000): on target
    alpha_nov = _cell(df, "team", "Alpha", "2026-11")
    assert (alpha_nov["target"], alpha_nov["actual"], alpha_nov["deviation"]) == (300_000, 300_000, pytest.approx(0.0))
    assert _cell(df, "team", "Alpha", "2026-10")["deviation"] == pytest.approx(-20.0)
    assert _cell(df, "team", "Beta", "2026-11")["deviation"] == pytest.approx(20.0)


def test_deviation_rate_a_team_target_of_its_own_wins(engine, year_data):
    o = year_data
    with write_tx(engine) as s:
        s.add(Target(month="2026-11", owner_id=None, team_id=o.alpha.id, signed_amount=400_000, set_at=NOW))
    with read_session(engine) as s:
        df = th.deviation(scope_of(s, o.director), s, 2026, NOW)
    assert _cell(df, "team", "Alpha", "2026-11")["deviation"] == pytest.approx(-25.0)


def test_deviation_rate_in_scope_and_refused_inputs(engine, year_data):
    o = year_data
    with read_session(engine) as s:
        lena = th.deviation(scope_of(s, o.lead_alpha), s, 2026, NOW)
        amy = th.deviation(scope_of(s, o.a1), s, 2026, NOW)
        with pytest.raises(th.InvalidHealthInput) as bad:
            th.deviation(scope_of(s, o.director), s, 1999, NOW)
        assert bad.value.field == "year"
        with pytest.raises(th.InvalidHealthInput):
            th.deviation(scope_of(s, o.director), s, 2026, NOW, kind="bonus")
        with pytest.raises(ScopeError):  # finance does not open target health
            th.deviation(Scope(0, "finance", None), s, 2026, NOW)
    assert set(lena["team"]) == {"Alpha"}
    assert set(amy["level"]) == {"rep"} and set(amy["owner_id"]) == {o.a1.id}
    assert _cell(amy, "rep", "Amy A1", "2026-11")["deviation"] == pytest.approx(25.0)


def test_deviation_rate_of_collections_and_visits(engine, org):
    with write_tx(engine) as s:
        s.add(Target(month="2026-11", owner_id=org.a1.id, team_id=org.alpha.id, effective_visits=10, set_at=NOW))
    with read_session(engine) as s:
        df = th.deviation(scope_of(s, org.director), s, 2026, NOW, kind="effective_visits")
    assert _cell(df, "rep", "Amy A1", "2026-11")["deviation"] == pytest.approx(-100.0)


# ---- the health lights -----------------------------------------------------------------------------

MID = datetime(2026, 11, 16)  # half of November has passed: the target to date is half the month's


@pytest.fixture
def edge_data(engine, org):
    """Each rep of Alpha and b1 with a 200,000 target (100,000 due by MID) and 69,900 / 70,000 / 70,100
    signed; a1 has an open deal in negotiation (200,000 × 0.75 = 150,000 weighted)."""
    with write_tx(engine) as s:
        for rep, amount in ((org.a1, 69_900), (org.a2, 70_000), (org.b1, 70_100)):
            target(s, rep, "2026-11", 200_000)
            contract(s, rep, amount, datetime(2026, 11, 10))
        open_deal(s, org.a1, 200_000, "negotiation")
    return org


def _rep(result, name):
    rows = result.rows[(result.rows["level"] == "rep") & (result.rows["name"] == name)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_achievement_light_at_its_70_edge(engine, edge_data):
    with read_session(engine) as s:
        result = th.health(scope_of(s, edge_data.director), s, "2026-11", MID, "en")
    amy, ann, bob = _rep(result, "Amy A1"), _rep(result, "Ann A2"), _rep(result, "Bob B1")
    assert amy["target_to_date"] == pytest.approx(100_000)
    assert (amy["achievement"], amy["achievement_light"]) == (pytest.approx(69.9), "red")
    assert (ann["achievement"], ann["achievement_light"]) == (pytest.approx(70.0), "yellow")
    assert (bob["achievement"], bob["achievement_light"]) == (pytest.approx(70.1), "yellow")
    assert "¥69,900 signed of ¥100,000 due by now (69.9%)" in amy["reason"]
    assert _rep(result, "Ben B2")["achievement_light"] == "grey"  # no target


def test_the_edge_is_a_setting(engine, edge_data):
    from core.base import rules
    from core.base.scope import COMPANY

    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"health_achievement_red_below": 70.05}, NOW)
    with read_session(engine) as s:
        result = th.health(scope_of(s, edge_data.director), s, "2026-11", MID, "en")
    assert _rep(result, "Ann A2")["achievement_light"] == "red"
    assert _rep(result, "Bob B1")["achievement_light"] == "yellow"


def test_resource_match_and_process_lights(engine, edge_data):
    with read_session(engine) as s:
        result = th.health(scope_of(s, edge_data.director), s, "2026-11", MID, "en")
    amy, ann = _rep(result, "Amy A1"), _rep(result, "Ann A2")
    # 150,000 weighted for 130,100 still to sign: 115.3 % (red below 100, green above 150)
    assert (amy["pipeline"], amy["remaining"]) == (pytest.approx(150_000), pytest.approx(130_100))
    assert (amy["coverage"], amy["resource_light"]) == (pytest.approx(115.3), "yellow")
    assert "Weighted pipeline ¥150,000 for ¥130,100 still to sign (115.3%)." in amy["reason"]
    assert (ann["coverage"], ann["resource_light"]) == (pytest.approx(0.0), "red")
    assert amy["psi"] != amy["psi"] and amy["process_light"] == "grey"  # no process data: no PSI


def test_the_views_lights_say_who_holds_the_shortfall(engine, edge_data):
    with read_session(engine) as s:
        director = th.health(scope_of(s, edge_data.director), s, "2026-11", MID, "en")
        lena = th.health(scope_of(s, edge_data.lead_alpha), s, "2026-11", MID, "en")
    ach = director.overall[0]
    # Alpha 139,900 of 200,000 due, Beta 70,100 of 100,000: 70.0 % overall; Alpha holds 60,100 of 90,000 short
    assert (ach.code, ach.value, ach.color) == ("achievement", pytest.approx(70.0), "yellow")
    assert "Alpha holds 67% of the ¥90,000 short of the target to date." in ach.sentence
    # one team in view: its reps hold it (Amy 30,100 of 60,100 is already half); 139,900 of 200,000 is
    # 69.95 %, shown as 70.0 % and lit as what is shown
    assert lena.overall[0].value == pytest.approx(70.0) and lena.overall[0].color == "yellow"
    assert "(70.0%). Amy A1 holds 50% of the ¥60,100 short of the target to date." in lena.overall[0].sentence
    assert set(lena.rows["team"]) == {"Alpha"}


def test_a_rep_sees_only_their_own_row(engine, edge_data):
    with read_session(engine) as s:
        amy = th.health(scope_of(s, edge_data.a1), s, "2026-11", MID, "zh")
    assert list(amy.rows["name"]) == ["Amy A1"] and list(amy.rows["owner_id"]) == [edge_data.a1.id]
    assert amy.overall[0].color == "red" and "69.9%" in amy.overall[0].sentence


def test_a_month_met_and_a_month_over(engine, org):
    with write_tx(engine) as s:
        target(s, org.a1, "2026-10", 100_000)
        contract(s, org.a1, 120_000, datetime(2026, 10, 20))
        target(s, org.a2, "2026-10", 100_000)
    with read_session(engine) as s:
        result = th.health(scope_of(s, org.director), s, "2026-10", NOW, "en")
        with pytest.raises(th.InvalidHealthInput):
            th.health(scope_of(s, org.director), s, "2027-01", NOW, "en")
        with pytest.raises(th.InvalidHealthInput):
            th.health(scope_of(s, org.director), s, "2026-13", NOW, "en")
    assert _rep(result, "Amy A1")["resource_light"] == "green"  # met
    assert _rep(result, "Ann A2")["resource_light"] == "grey"  # the month is over


# ---- the intervention job --------------------------------------------------------------------------
# NOW is Monday 23 Nov: the last two complete weeks are 9–16 and 16–23 Nov. a1's November target of
# 300,000 gives each week 70,000; 48,930 signed in a week is 69.9 %, 70,000 is 100 %.

def _alerts(engine):
    with read_session(engine) as s:
        return s.execute(select(Alert.recipient_id, Alert.kind, Alert.message, Alert.dedupe_key)
                         .where(Alert.kind == th.ALERT_KIND).order_by(Alert.id)).all()


def test_one_week_below_raises_no_alert(engine, org):
    with write_tx(engine) as s:
        target(s, org.a1, "2026-11", 300_000)
        contract(s, org.a1, 70_000, datetime(2026, 11, 11))
        contract(s, org.a1, 48_930, datetime(2026, 11, 18))
    with write_tx(engine) as s:
        assert th.target_interventions(s, NOW) == 0
    assert _alerts(engine) == []


def test_a_week_at_exactly_70_percent_is_not_below(engine, org):
    with write_tx(engine) as s:
        target(s, org.a1, "2026-11", 300_000)
        contract(s, org.a1, 49_000, datetime(2026, 11, 11))
        contract(s, org.a1, 48_930, datetime(2026, 11, 18))
    with write_tx(engine) as s:
        assert th.target_interventions(s, NOW) == 0


def test_two_weeks_below_alert_the_lead_once(engine, org):
    with write_tx(engine) as s:
        target(s, org.a1, "2026-11", 300_000)
        contract(s, org.a1, 48_930, datetime(2026, 11, 11))
        contract(s, org.a1, 20_000, datetime(2026, 11, 18))
        s.get(User, org.lead_alpha.id).language = "en"
    with write_tx(engine) as s:
        assert th.target_interventions(s, NOW) == 2  # Amy, and Alpha (its target is hers)
    with write_tx(engine) as s:
        assert th.target_interventions(s, NOW) == 0  # the second run changes nothing
    alerts = _alerts(engine)
    assert len(alerts) == 2 and {a.recipient_id for a in alerts} == {org.lead_alpha.id}
    rep = next(a for a in alerts if ":rep:" in a.dedupe_key)
    assert "Amy A1 (Alpha)" in rep.message and "below 70% of the target for 2 weeks" in rep.message
    assert "week of 2026-11-09: 69.9% (¥48,930 of ¥70,000)" in rep.message
    assert "week of 2026-11-16: 28.6% (¥20,000 of ¥70,000)" in rep.message
    team = next(a for a in alerts if ":team:" in a.dedupe_key)
    assert "team Alpha" in team.message
    # a week later, still low: that week's alert
    with write_tx(engine) as s:
        assert th.target_interventions(s, NOW + 7 * DAY) == 2


def test_the_weeks_and_threshold_are_settings(engine, org):
    from core.base import rules
    from core.base.scope import COMPANY

    with write_tx(engine) as s:
        target(s, org.a1, "2026-11", 300_000)
        contract(s, org.a1, 70_000, datetime(2026, 11, 11))
        contract(s, org.a1, 48_930, datetime(2026, 11, 18))
        rules.save_settings(s, COMPANY, {"health_intervention_weeks": 1}, NOW)
    with write_tx(engine) as s:
        assert th.target_interventions(s, NOW) == 2
