"""Lead routing (SPEC §3): rules to a team (first match wins), stateless round-robin under the daily
cap, fallback team, the 2-hour escalation job with auto-reassign, manual reassignment, the rules'
admin — on SQLite and PostgreSQL, with a fixed clock (tests.factories.NOW, Monday 12:00)."""
from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

import cli
from core.base.org import active_reps
from core.base import config
from core import schedule
from core.leads import routing
from core.base.db import make_engine, read_session, write_tx
from core.base.models import Alert, AuditLog, Lead, LeadAssignment, Region, RoutingRule, Team, Todo, User
from core.base.rules import save_settings
from core.base.scope import ScopeError, scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_user, make_org

H = timedelta(hours=1)
MIN = timedelta(minutes=1)
DAY_START = NOW.replace(hour=0, minute=0)
ADMIN = COMPANY
_seq = itertools.count(1)


@pytest.fixture
def org(engine):
    """make_org plus a third rep a3 in team Alpha and an admin ada."""
    with write_tx(engine) as s:
        o = make_org(s)
        o.a3 = add_user(s, "a3", "Abe A3", "rep", o.alpha)
        o.ada = add_user(s, "ada", "Ada Admin", "admin")
    return o


def new_lead(s, at: datetime, *, region: Region | None = None, industry: str = "", size: str = "",
             company: str | None = None) -> Lead:
    """A lead as the entry form makes it (added, flushed), then routed at ``at``."""
    lead = Lead(company=company or f"Lead {next(_seq)}", source_channel="website", grade="A", status="new",
                region_id=region.id if region else None, industry=industry, size=size, created_at=at)
    s.add(lead)
    s.flush()
    routing.assign_new_lead(s, lead, at)
    return lead


def rule(s, position: int, team: Team, region: Region | None = None, industry: str = "", size: str = "",
         active: bool = True) -> RoutingRule:
    r = RoutingRule(position=position, region_id=region.id if region else None, industry=industry, size=size,
                    team_id=team.id, active=active, created_at=NOW, updated_at=NOW)
    s.add(r)
    s.flush()
    return r


def route_all_to(s, team: Team) -> None:
    rule(s, 1, team)


def owners(engine, lead_ids) -> list[int | None]:
    with read_session(engine) as s:
        found = dict(s.execute(select(Lead.id, Lead.owner_id).where(Lead.id.in_(lead_ids))).all())
    return [found[i] for i in lead_ids]


def snapshot(engine) -> dict:
    """Every row a job may write (but not the data version)."""
    with read_session(engine) as s:
        return {model.__tablename__: [tuple(r) for r in s.execute(select(*model.__table__.c).order_by(
            *model.__table__.primary_key.columns))]
                for model in (Lead, LeadAssignment, Todo, Alert, AuditLog)}


# ---- choosing the team --------------------------------------------------------------------------

def test_the_first_matching_active_rule_wins_and_an_empty_criterion_matches_anything(engine, org):
    with write_tx(engine) as s:
        rule(s, 1, org.beta, region=org.south, industry="医疗")
        rule(s, 2, org.beta, size="large")
        rule(s, 3, org.beta, region=org.north, active=False)  # inactive: skipped
        rule(s, 4, org.alpha, region=org.north)
        north_medical = new_lead(s, NOW, region=org.north, industry="医疗", size="small")
        south_medical = new_lead(s, NOW, region=org.south, industry="医疗", size="small")
        north_large = new_lead(s, NOW, region=org.north, industry="零售", size="large")
        south_retail = new_lead(s, NOW, region=org.south, industry="零售", size="small")  # nothing matches
    with read_session(engine) as s:
        team = {lead.id: s.get(Lead, lead.id).team_id for lead in (north_medical, south_medical, north_large, south_retail)}
    assert team[north_medical.id] == org.alpha.id
    assert team[south_medical.id] == org.beta.id
    assert team[north_large.id] == org.beta.id
    assert team[south_retail.id] is None  # no fallback team: the company pool


def test_rules_are_tried_by_position_not_by_id(engine, org):
    with write_tx(engine) as s:
        rule(s, 2, org.alpha, region=org.north)
        rule(s, 1, org.beta, industry="医疗")
        lead = new_lead(s, NOW, region=org.north, industry="医疗")
    with read_session(engine) as s:
        assert s.get(Lead, lead.id).team_id == org.beta.id


# ---- round-robin, the daily cap, active reps ----------------------------------------------------------

def test_45_leads_over_3_reps_in_a_day_give_15_each_in_turn_and_the_46th_waits_in_the_pool(engine, org):
    reps = [org.a1.id, org.a2.id, org.a3.id]
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        ids = [new_lead(s, DAY_START + 7 * H + i * 10 * MIN).id for i in range(45)]
    got = owners(engine, ids)
    assert got == reps * 15  # a1, a2, a3, a1, … : nobody is ever two ahead
    for n in range(1, 46):
        counts = Counter(got[:n])
        assert max(counts[r] for r in reps) - min(counts[r] for r in reps) <= 1
    with write_tx(engine) as s:
        extra = new_lead(s, DAY_START + 16 * H, company="Overflow Co")
    with read_session(engine) as s:
        lead = s.get(Lead, extra.id)
        assert (lead.owner_id, lead.team_id, lead.pool_reason) == (None, org.alpha.id, "team_full")
        assert lead.pooled_at == DAY_START + 16 * H and lead.assigned_at is None
        last = s.scalars(select(LeadAssignment).where(LeadAssignment.lead_id == extra.id)).one()
        assert (last.reason, last.to_user_id, last.team_id) == ("pooled", None, org.alpha.id)
        alert = s.scalars(select(Alert).where(Alert.ref_id == extra.id)).one()
        assert alert.recipient_id == org.lead_alpha.id and alert.kind == "lead_pooled"
        assert "Overflow Co" in alert.message and "15" in alert.message


def test_the_cap_counts_today_only_and_resets_at_midnight(engine, org):
    with write_tx(engine) as s:
        save_settings(s, COMPANY, {"rep_daily_lead_cap": 2}, NOW)
        route_all_to(s, org.alpha)
        s.get(User, org.a3.id).active = False
        yesterday = [new_lead(s, DAY_START - 5 * H + i * MIN).id for i in range(4)]
        today = [new_lead(s, DAY_START + 9 * H + i * MIN).id for i in range(5)]
    assert owners(engine, yesterday) == [org.a1.id, org.a2.id] * 2
    assert owners(engine, today) == [org.a1.id, org.a2.id, org.a1.id, org.a2.id, None]  # yesterday's 2 don't count


def test_a_full_rep_is_skipped(engine, org):
    """a1 already has 15 today (the default cap): the next leads alternate between a2 and a3."""
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        for i in range(15):
            lead = Lead(company=f"Earlier {i}", source_channel="expo", grade="B", status="new", owner_id=org.a1.id,
                        team_id=org.alpha.id, created_at=DAY_START + 6 * H, assigned_at=DAY_START + 6 * H)
            s.add(lead)
            s.flush()
            s.add(LeadAssignment(lead_id=lead.id, to_user_id=org.a1.id, team_id=org.alpha.id, reason="routed",
                                 at=DAY_START + 6 * H + i * MIN))
        ids = [new_lead(s, DAY_START + 9 * H + i * MIN).id for i in range(6)]
    got = owners(engine, ids)
    assert org.a1.id not in got
    assert Counter(got) == {org.a2.id: 3, org.a3.id: 3}


def test_a_rep_deactivated_at_midday_gets_nothing_afterwards(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        morning = [new_lead(s, DAY_START + 8 * H + i * 10 * MIN).id for i in range(12)]
    with write_tx(engine) as s:
        s.get(User, org.a3.id).active = False
    with write_tx(engine) as s:
        afternoon = [new_lead(s, DAY_START + 13 * H + i * 10 * MIN).id for i in range(12)]
    assert Counter(owners(engine, morning)) == {org.a1.id: 4, org.a2.id: 4, org.a3.id: 4}
    assert Counter(owners(engine, afternoon)) == {org.a1.id: 6, org.a2.id: 6}


def test_ties_go_to_the_rep_waiting_longest_then_the_lowest_id():
    at = NOW - 3 * H
    reps = [routing.Candidate(3, 1, at), routing.Candidate(2, 1, at - H), routing.Candidate(1, 2, at - 2 * H)]
    assert routing.next_rep(reps, cap=15).rep_id == 2
    assert routing.next_rep([routing.Candidate(5, 0, None), routing.Candidate(4, 0, None)], cap=15).rep_id == 4
    assert routing.next_rep([routing.Candidate(4, 0, None), routing.Candidate(5, 0, at)], cap=15).rep_id == 4
    assert routing.next_rep([routing.Candidate(1, 15, at)], cap=15) is None


def test_the_longest_waiting_rep_gets_the_next_lead_across_days(engine, org):
    """Tomorrow everyone starts at 0: a3, who got the last lead of today, comes last."""
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        [new_lead(s, DAY_START + 9 * H + i * MIN) for i in range(3)]  # a1, a2, a3
        tomorrow = [new_lead(s, DAY_START + 33 * H + i * MIN).id for i in range(3)]
    assert owners(engine, tomorrow) == [org.a1.id, org.a2.id, org.a3.id]


# ---- fallback and nobody to take it ----------------------------------------------------------------

def test_a_lead_no_rule_matches_goes_to_the_fallback_team_and_its_lead_is_alerted(engine, org):
    with write_tx(engine) as s:
        rule(s, 1, org.alpha, industry="医疗")
        save_settings(s, COMPANY, {"routing_fallback_team": org.beta.id}, NOW)
        s.get(User, org.lead_beta.id).language = "zh"
        lead = new_lead(s, NOW, industry="物流", company="顺达物流有限公司")
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.team_id, got.owner_id, got.assigned_at) == (org.beta.id, org.b1.id, NOW)
        alert = s.scalars(select(Alert).where(Alert.ref_id == lead.id)).one()
        assert alert.recipient_id == org.lead_beta.id and alert.kind == "lead_unrouted"
        assert alert.message == "线索“顺达物流有限公司”没有匹配的分配规则，已分到兜底团队Beta。"
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "lead", AuditLog.entity_id == str(lead.id))).one()
        assert audit.detail["fallback"] is True and audit.detail["owner_id"] == org.b1.id


def test_without_rule_and_fallback_the_lead_waits_in_the_company_pool_and_admins_hear_of_it(engine, org):
    with write_tx(engine) as s:
        lead = new_lead(s, NOW, company="Nowhere Ltd")
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.owner_id, got.team_id, got.pool_reason, got.pooled_at) == (None, None, "unrouted", NOW)
        la = s.scalars(select(LeadAssignment).where(LeadAssignment.lead_id == lead.id)).one()
        assert (la.reason, la.to_user_id, la.team_id) == ("pooled", None, None)
        alerts = s.scalars(select(Alert).where(Alert.ref_id == lead.id)).all()
        assert [a.recipient_id for a in alerts] == [org.ada.id]
        assert alerts[0].message == "线索“Nowhere Ltd”没有匹配的分配规则，也未设置兜底团队，已进入公司公海。"  # default language


def test_a_team_without_active_reps_keeps_the_lead_in_its_pool(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        for rep in (org.a1, org.a2, org.a3):
            s.get(User, rep.id).active = False
        lead = new_lead(s, NOW)
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.owner_id, got.team_id, got.pool_reason) == (None, org.alpha.id, "no_active_rep")
        assert s.scalar(select(Alert.recipient_id).where(Alert.ref_id == lead.id)) == org.lead_alpha.id


# ---- the escalation job --------------------------------------------------------------------------------

def test_a_lead_uncontacted_2h_after_assignment_gives_a_todo_and_a_lead_alert_once(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        late = new_lead(s, NOW - 3 * H, company="Late Co")           # 3 h: escalated
        fresh = new_lead(s, NOW - H, company="Fresh Co")              # 1 h: not yet
        called = new_lead(s, NOW - 5 * H, company="Called Co")        # contacted: nothing
        s.get(Lead, called.id).first_contact_at = NOW - 4 * H
        s.get(Lead, called.id).status = "contacted"
        old = new_lead(s, NOW - 72 * H, company="Old Co")             # beyond 48 h: the cockpit's miss, no escalation
    with write_tx(engine) as s:
        assert routing.escalate_uncontacted_leads(s, NOW) == 1
    with read_session(engine) as s:
        todo = s.scalars(select(Todo).where(Todo.kind == "lead_escalation")).one()
        assert (todo.owner_id, todo.ref_type, todo.ref_id, todo.due_at) == (late.owner_id, "lead", late.id, NOW)
        assert "Late Co" in todo.title
        alert = s.scalars(select(Alert).where(Alert.kind == "lead_escalation")).one()
        assert alert.recipient_id == org.lead_alpha.id and "Late Co" in alert.message
        assert {fresh.id, called.id, old.id}.isdisjoint({todo.ref_id, alert.ref_id})
    before = snapshot(engine)
    with write_tx(engine) as s:
        assert routing.escalate_uncontacted_leads(s, NOW) == 0
    assert snapshot(engine) == before


def test_run_jobs_twice_at_the_same_now_changes_nothing_the_second_time(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        s.get(Team, org.alpha.id).auto_reassign = True
        for i in range(3):
            new_lead(s, NOW - 3 * H + i * MIN)
    first = {r.name: r for r in schedule.run(engine, NOW, only=["lead_escalation", "lead_recycle"])}
    assert first["lead_escalation"].count == 3 and not first["lead_escalation"].error
    before = snapshot(engine)
    second = {r.name: r.count for r in schedule.run(engine, NOW, only=["lead_escalation", "lead_recycle"])}
    assert second == {"lead_escalation": 0, "lead_recycle": 0}
    assert snapshot(engine) == before


def test_auto_reassign_moves_the_lead_round_the_rotation_logs_it_and_tells_everyone(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        s.get(Team, org.alpha.id).auto_reassign = True
        lead = new_lead(s, NOW - 3 * H, company="Hot Lead")
    assert owners(engine, [lead.id]) == [org.a1.id]
    with write_tx(engine) as s:
        assert routing.escalate_uncontacted_leads(s, NOW) == 1
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.owner_id, got.assigned_at) == (org.a2.id, NOW)
        told = {(a.recipient_id, a.kind) for a in s.scalars(select(Alert).where(Alert.ref_id == lead.id))}
        assert told == {(org.a2.id, "lead_reassigned"), (org.a1.id, "lead_reassigned"),
                        (org.lead_alpha.id, "lead_reassigned")}
        todo = s.scalars(select(Todo).where(Todo.ref_id == lead.id)).one()
        assert todo.owner_id == org.a2.id and todo.due_at == NOW + 2 * H
    before = snapshot(engine)
    with write_tx(engine) as s:
        assert routing.escalate_uncontacted_leads(s, NOW) == 0  # idempotent at the same now
    assert snapshot(engine) == before

    later = NOW + 2 * H + MIN
    with write_tx(engine) as s:
        assert routing.escalate_uncontacted_leads(s, later) == 1
    assert owners(engine, [lead.id]) == [org.a3.id]
    last = later + 2 * H + MIN  # everyone has held it: a3 keeps it, with a to-do and the lead's alert
    with write_tx(engine) as s:
        assert routing.escalate_uncontacted_leads(s, last) == 1
    with read_session(engine) as s:
        assert s.get(Lead, lead.id).owner_id == org.a3.id
        assert s.scalar(select(func.count()).select_from(Todo).where(Todo.ref_id == lead.id,
                                                                       Todo.owner_id == org.a3.id)) == 2
        history = routing.lead_history(scope_for(s, s.get(User, org.lead_alpha.id)), s, lead.id)
    assert history[["reason", "from_rep", "to_rep"]].fillna("").values.tolist() == [
        ["routed", "", "Amy A1"], ["reassigned", "Amy A1", "Ann A2"], ["reassigned", "Ann A2", "Abe A3"]]
    assert history["at"].tolist() == [NOW - 3 * H, NOW, later]


def test_the_reassigned_lead_counts_towards_the_new_reps_cap(engine, org):
    with write_tx(engine) as s:
        save_settings(s, COMPANY, {"rep_daily_lead_cap": 1}, NOW)
        route_all_to(s, org.alpha)
        s.get(Team, org.alpha.id).auto_reassign = True
        s.get(User, org.a3.id).active = False
        late = new_lead(s, NOW - 3 * H)   # a1
    with write_tx(engine) as s:
        routing.escalate_uncontacted_leads(s, NOW)  # → a2 (1 today: full)
        nxt = new_lead(s, NOW + MIN)      # a1 and a2 are full: the pool
    assert owners(engine, [late.id, nxt.id]) == [org.a2.id, None]


def test_the_cli_runs_the_jobs_at_a_given_now(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "secrets.toml")
    monkeypatch.delenv("COCKPIT_ENV", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["init-db"]) == 0
    eng = make_engine(url)
    try:
        with write_tx(eng) as s:
            o = make_org(s)
            route_all_to(s, o.alpha)
            new_lead(s, NOW - 3 * H)
        capsys.readouterr()
        argv = ["run-jobs", "--now", NOW.isoformat(), "--only", "lead_escalation", "lead_recycle"]
        assert cli.main(argv) == 0
        assert capsys.readouterr().out.splitlines() == ["lead_escalation: 1", "lead_recycle: 0"]
        assert cli.main(argv) == 0
        assert capsys.readouterr().out.splitlines() == ["lead_escalation: 0", "lead_recycle: 0"]
    finally:
        eng.dispose()


# ---- manual reassignment by a lead -------------------------------------------------------------------

def test_a_lead_reassigns_a_lead_of_their_team_and_both_reps_are_told(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        lead = new_lead(s, NOW - 5 * H)
        lena = scope_for(s, s.get(User, org.lead_alpha.id))
        routing.reassign_lead(s, lena, lead.id, org.a3.id, NOW)
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.owner_id, got.assigned_at) == (org.a3.id, NOW)
        la = s.scalars(select(LeadAssignment).where(LeadAssignment.lead_id == lead.id)
                       .order_by(LeadAssignment.id.desc())).first()
        assert (la.reason, la.from_user_id, la.to_user_id, la.by_user_id) == ("manual", org.a1.id, org.a3.id,
                                                                              org.lead_alpha.id)
        assert {a.recipient_id for a in s.scalars(select(Alert).where(Alert.ref_id == lead.id))} == {org.a1.id, org.a3.id}


def test_reassignment_is_refused_outside_the_callers_teams(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        lead = new_lead(s, NOW - 5 * H)
    with write_tx(engine) as s:
        lena = scope_for(s, s.get(User, org.lead_alpha.id))
        leo = scope_for(s, s.get(User, org.lead_beta.id))
        with pytest.raises(routing.InvalidRoutingInput) as exc:
            routing.reassign_lead(s, lena, lead.id, org.b1.id, NOW)
        assert exc.value.field == "to_rep_id"
        with pytest.raises(routing.InvalidRoutingInput) as exc:
            routing.reassign_lead(s, leo, lead.id, org.b1.id, NOW)
        assert exc.value.field == "lead_id"
        with pytest.raises(routing.InvalidRoutingInput):
            routing.reassign_lead(s, lena, lead.id, org.a1.id, NOW)  # already a1's
        with pytest.raises(ScopeError):
            routing.reassign_lead(s, scope_for(s, s.get(User, org.a1.id)), lead.id, org.a2.id, NOW)
    assert owners(engine, [lead.id]) == [org.a1.id]


# ---- the admin's rules -----------------------------------------------------------------------------------

def test_the_admin_adds_reorders_edits_and_deletes_rules(engine, org):
    with write_tx(engine) as s:
        first = routing.add_rule(s, ADMIN, region_id=org.north.id, industry=" 医疗 ", team_id=org.alpha.id, now=NOW)
        second = routing.add_rule(s, ADMIN, size="large", team_id=org.beta.id, now=NOW)
        third = routing.add_rule(s, ADMIN, team_id=org.beta.id, now=NOW)
    with read_session(engine) as s:
        df = routing.routing_rules(ADMIN, s)
    assert df["id"].tolist() == [first, second, third] and df["position"].tolist() == [1, 2, 3]
    assert df.loc[0, "industry"] == "医疗" and df.loc[0, "region"] == "North"
    with write_tx(engine) as s:
        routing.move_rule(s, ADMIN, third, -5, NOW)      # to the top (clamped)
        routing.move_rule(s, ADMIN, first, 1, NOW)       # one down
    with read_session(engine) as s:
        df = routing.routing_rules(ADMIN, s)
    assert df["id"].tolist() == [third, second, first] and df["position"].tolist() == [1, 2, 3]
    version = int(df.loc[df["id"] == second, "version"].iloc[0])
    with write_tx(engine) as s:
        routing.update_rule(s, ADMIN, second, version, size="medium", team_id=org.alpha.id, active=False, now=NOW)
        routing.delete_rule(s, ADMIN, third, NOW)
    with read_session(engine) as s:
        df = routing.routing_rules(ADMIN, s)
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "routing_rule").order_by(AuditLog.id)).all()
    assert df[["id", "position", "size", "team_id", "active"]].values.tolist() == [
        [second, 1, "medium", org.alpha.id, False], [first, 2, "", org.alpha.id, True]]
    assert actions == ["create", "create", "create", "reorder", "reorder", "update", "delete"]


def test_rule_input_is_checked_before_anything_is_written(engine, org):
    with write_tx(engine) as s:
        routing.add_rule(s, ADMIN, region_id=org.north.id, team_id=org.alpha.id, now=NOW)
    cases = [
        (dict(region_id=999, team_id=org.alpha.id), "region_id"),
        (dict(size="huge", team_id=org.alpha.id), "size"),
        (dict(industry="x" * 41, team_id=org.alpha.id), "industry"),
        (dict(team_id=None), "team_id"),
        (dict(team_id=999), "team_id"),
        (dict(region_id=org.north.id, team_id=org.beta.id), "industry"),  # same criteria as rule 1
    ]
    for kwargs, field in cases:
        with pytest.raises(routing.InvalidRoutingInput) as exc:
            with write_tx(engine) as s:
                routing.add_rule(s, ADMIN, now=NOW, **kwargs)
        assert exc.value.field == field, kwargs
    with pytest.raises(routing.InvalidRoutingInput) as exc:
        with write_tx(engine) as s:
            routing.set_fallback_team(s, ADMIN, 999, NOW)
    assert exc.value.field == "fallback_team"
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(RoutingRule)) == 1


def test_a_stale_rule_edit_is_refused(engine, org):
    with write_tx(engine) as s:
        rid = routing.add_rule(s, ADMIN, industry="医疗", team_id=org.alpha.id, now=NOW)
    with write_tx(engine) as s:
        routing.update_rule(s, ADMIN, rid, 1, industry="医疗", team_id=org.beta.id, active=True, now=NOW)
    with pytest.raises(routing.RoutingConflict):
        with write_tx(engine) as s:
            routing.update_rule(s, ADMIN, rid, 1, industry="零售", team_id=org.alpha.id, active=True, now=NOW)
    with read_session(engine) as s:
        assert s.get(RoutingRule, rid).team_id == org.beta.id


def test_only_admins_manage_rules(engine, org):
    with write_tx(engine) as s:
        director = scope_for(s, s.get(User, org.director.id))
        with pytest.raises(ScopeError):
            routing.add_rule(s, director, team_id=org.alpha.id, now=NOW)
        with pytest.raises(ScopeError):
            routing.routing_rules(director, s)
        with pytest.raises(ScopeError):
            routing.set_fallback_team(s, scope_for(s, s.get(User, org.lead_alpha.id)), org.alpha.id, NOW)


# ---- the assignment history and whom a lead can go to ------------------------------------------------------

def test_the_recent_assignments_cover_the_days_of_a_setting_up_to_the_end_of_the_minute(engine, org):
    with write_tx(engine) as s:
        route_all_to(s, org.alpha)
        old = new_lead(s, NOW - timedelta(days=6, hours=23), company="Six days ago")
        older = new_lead(s, NOW - timedelta(days=7, minutes=1), company="Over a week ago")
        now = new_lead(s, NOW + 30 * timedelta(seconds=1), company="This minute")
    with read_session(engine) as s:
        lena = scope_for(s, s.get(User, org.lead_alpha.id))
        week = routing.recent_assignments(lena, s, NOW)
        beta = routing.recent_assignments(lena, s, NOW, team_id=org.beta.id)
        pooled = routing.recent_assignments(lena, s, NOW, reasons=("pooled",))
        with pytest.raises(ScopeError):
            routing.recent_assignments(scope_for(s, s.get(User, org.a1.id)), s, NOW)
    assert week["company"].tolist() == ["This minute", "Six days ago"] and week.attrs["days"] == 7
    assert beta.empty and pooled.empty
    with write_tx(engine) as s:
        save_settings(s, COMPANY, {"assignment_log_days": 8}, NOW)
    with read_session(engine) as s:
        eight = routing.recent_assignments(scope_for(s, s.get(User, org.lead_alpha.id)), s, NOW)
    assert eight["lead_id"].tolist() == [now.id, old.id, older.id] and eight.attrs["days"] == 8


def test_a_lead_can_go_to_the_active_reps_in_the_callers_scope(engine, org):
    with write_tx(engine) as s:
        s.get(User, org.a2.id).active = False
    with read_session(engine) as s:
        lena = active_reps(scope_for(s, s.get(User, org.lead_alpha.id)), s)
        dora = active_reps(scope_for(s, s.get(User, org.director.id)), s)
        amy = active_reps(scope_for(s, s.get(User, org.a1.id)), s)
    assert lena[["display_name", "team"]].values.tolist() == [["Abe A3", "Alpha"], ["Amy A1", "Alpha"]]
    assert set(lena.columns) == {"id", "display_name", "team", "team_id", "owner_id"}
    assert dora["team"].tolist() == ["Alpha", "Alpha", "Beta", "Beta"]
    assert amy["id"].tolist() == [org.a1.id]
