"""The lead pool (公海, SPEC §3): the recycle job per team rules, claims under the daily cap and the
cooldown, two claims racing for one lead, the countdown before a lead returns, and the pool's size
and age — on SQLite and PostgreSQL, with a fixed clock (tests.factories.NOW)."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.leads import pool
from core.base.db import read_session, session_factory, write_tx
from core.base.models import Alert, AuditLog, Lead, LeadAssignment, Team, TeamPoolRule, Todo, User
from core.base.rules import save_settings
from core.base.scope import Scope, ScopeError
from core.base.scope import COMPANY
from tests.factories import NOW, add_lead, add_pool_records, add_user, make_org, scope_of

H = timedelta(hours=1)
D = timedelta(days=1)
ADMIN = COMPANY


@pytest.fixture
def org(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        o.ada = add_user(s, "ada", "Ada Admin", "admin")
    return o


def owned(s, rep, *, assigned_ago, activity_ago=None, company=None, status=None) -> Lead:
    """An open lead of ``rep`` created and assigned ``assigned_ago`` before NOW; first contacted (its
    last touch) ``activity_ago`` before NOW, or never."""
    lead = add_lead(s, rep, NOW - assigned_ago, None if activity_ago is None else NOW - activity_ago, company=company)
    if status:
        lead.status = status
    s.flush()
    return lead


def pooled(s, team_id, company, *, since=NOW - 2 * D, reason="no_follow_up") -> Lead:
    lead = Lead(company=company, source_channel="expo", grade="A", status="contacted", team_id=team_id,
                phone="13800000000", contact_name="王经理", created_at=since - 10 * D, pooled_at=since,
                pool_reason=reason)
    s.add(lead)
    s.flush()
    return lead


def snapshot(engine) -> dict:
    with read_session(engine) as s:
        return {m.__tablename__: [tuple(r) for r in s.execute(select(*m.__table__.c).order_by(
            *m.__table__.primary_key.columns))] for m in (Lead, LeadAssignment, Todo, Alert, AuditLog)}


# ---- the recycle job ------------------------------------------------------------------------------

def test_recycle_returns_leads_by_each_rule_and_team_override_once(engine, org):
    with write_tx(engine) as s:
        idle = owned(s, org.a1, assigned_ago=20 * D, activity_ago=8 * D, company="Idle Co")        # no follow-up 8 > 7
        edge = owned(s, org.a1, assigned_ago=7 * D, company="Edge Co")                             # exactly 7 days: returns
        slow = owned(s, org.a1, assigned_ago=31 * D, activity_ago=1 * D, company="Slow Co")        # not converted 31 > 30
        fine = owned(s, org.a1, assigned_ago=6 * D, company="Fine Co")                             # 6 days: stays
        gone = owned(s, org.a2, assigned_ago=1 * D, activity_ago=1 * H, company="Orphan Co")       # owner deactivated
        won = owned(s, org.a1, assigned_ago=60 * D, activity_ago=50 * D, status="converted", company="Won Co")
        # Beta: no follow-up after 10 days, the not-converted rule switched off
        s.add(TeamPoolRule(team_id=org.beta.id, no_follow_up_days=10, not_converted_days=0, updated_at=NOW))
        beta_idle = owned(s, org.b1, assigned_ago=40 * D, activity_ago=8 * D, company="Beta Idle")   # stays (8 < 10)
        beta_gone = owned(s, org.b2, assigned_ago=40 * D, activity_ago=11 * D, company="Beta Gone")  # 11 > 10
        s.get(User, org.a2.id).active = False
    with write_tx(engine) as s:
        assert pool.recycle_leads(s, NOW) == 5
    with read_session(engine) as s:
        got = {lead.company: s.get(Lead, lead.id) for lead in (idle, edge, slow, fine, gone, won, beta_idle, beta_gone)}
        returned = {name: (g.pool_reason, g.team_id) for name, g in got.items() if g.owner_id is None}
        assert returned == {"Idle Co": ("no_follow_up", org.alpha.id), "Edge Co": ("no_follow_up", org.alpha.id),
                            "Slow Co": ("not_converted", org.alpha.id), "Orphan Co": ("owner_inactive", org.alpha.id),
                            "Beta Gone": ("no_follow_up", org.beta.id)}
        assert all(got[n].pooled_at == NOW and got[n].assigned_at is None for n in returned)
        rows = s.execute(select(LeadAssignment.lead_id, LeadAssignment.from_user_id, LeadAssignment.to_user_id)
                         .where(LeadAssignment.reason == "returned")).all()
        assert sorted(rows) == sorted([(idle.id, org.a1.id, None), (edge.id, org.a1.id, None), (slow.id, org.a1.id, None),
                                       (gone.id, org.a2.id, None), (beta_gone.id, org.b2.id, None)])
        alerts = {a.recipient_id: a.message for a in s.scalars(select(Alert).where(Alert.kind == "lead_returned"))}
        # a1 hears once of their three; the deactivated a2's lead is told to Lena; b2 of theirs
        assert set(alerts) == {org.a1.id, org.lead_alpha.id, org.b2.id}
        assert alerts[org.a1.id].startswith("您有 3 条线索已被回收至公海") and "Idle Co" in alerts[org.a1.id]
        assert "Ann A2" in alerts[org.lead_alpha.id] and "Orphan Co" in alerts[org.lead_alpha.id]
    before = snapshot(engine)
    with write_tx(engine) as s:
        assert pool.recycle_leads(s, NOW) == 0
    assert snapshot(engine) == before


def test_rules_switched_off_company_wide_return_nothing_but_deactivated_owners(engine, org):
    with write_tx(engine) as s:
        save_settings(s, COMPANY, {"pool_no_follow_up_days": 0, "pool_not_converted_days": 0}, NOW)
        owned(s, org.a1, assigned_ago=90 * D, company="Ancient Co")
        owned(s, org.b1, assigned_ago=1 * D, company="Orphan Co")
        s.get(User, org.b1.id).active = False
    with write_tx(engine) as s:
        assert pool.recycle_leads(s, NOW) == 1
    with read_session(engine) as s:
        assert s.scalar(select(Lead.company).where(Lead.owner_id.is_(None))) == "Orphan Co"


# ---- the countdown --------------------------------------------------------------------------------

def test_countdown_gives_the_days_left_under_the_rule_that_returns_the_lead_first(engine, org):
    with write_tx(engine) as s:
        soon = owned(s, org.a1, assigned_ago=6 * D, company="Soon Co")                              # 1 day (no follow-up)
        stale = owned(s, org.a1, assigned_ago=28 * D, activity_ago=D + 12 * H, company="Stale Co")  # 2 days (not converted)
        calm = owned(s, org.a1, assigned_ago=2 * D, activity_ago=H, company="Calm Co")              # 7 days
        owned(s, org.a2, assigned_ago=6 * D, company="Theirs Co")
        s.add(TeamPoolRule(team_id=org.beta.id, no_follow_up_days=10, updated_at=NOW))
        owned(s, org.b1, assigned_ago=6 * D, company="Beta Co")                                     # 4 days (team rule)
    with read_session(engine) as s:
        mine = pool.return_countdown(scope_of(s, org.a1), s, NOW)
        within = pool.return_countdown(scope_of(s, org.a1), s, NOW, within_days=2)
        everyone = pool.return_countdown(scope_of(s, org.director), s, NOW)
    assert mine[["company", "days_left", "rule"]].values.tolist() == [
        ["Soon Co", 1, "no_follow_up"], ["Stale Co", 2, "not_converted"], ["Calm Co", 6, "no_follow_up"]]
    assert mine["returns_at"].tolist() == [NOW + D, NOW + 2 * D, NOW + 6 * D + 23 * H]
    assert set(mine["owner_id"]) == {org.a1.id}
    assert within["company"].tolist() == ["Soon Co", "Stale Co"]
    beta = everyone.set_index("company").loc["Beta Co"]
    assert (beta["days_left"], beta["rule"]) == (4, "no_follow_up")
    assert {soon.id, stale.id, calm.id} <= set(everyone["id"])


def test_a_lead_sees_a_deactivated_reps_leads_as_returning_at_the_next_run(engine, org):
    with write_tx(engine) as s:
        owned(s, org.a2, assigned_ago=D, activity_ago=H, company="Orphan Co")
        s.get(User, org.a2.id).active = False
    with read_session(engine) as s:
        df = pool.return_countdown(scope_of(s, org.lead_alpha), s, NOW, within_days=0)
    assert df[["company", "days_left", "rule", "returns_at"]].values.tolist() == [["Orphan Co", 0, "owner_inactive", NOW]]


# ---- claims -------------------------------------------------------------------------------------------

def test_a_rep_claims_a_lead_of_their_team_pool(engine, org):
    with write_tx(engine) as s:
        lead = pooled(s, org.alpha.id, "Pool Co")
    with write_tx(engine) as s:
        pool.claim(s, scope_of(s, org.a1), lead.id, NOW)
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.owner_id, got.team_id, got.assigned_at, got.pooled_at, got.pool_reason) == (
            org.a1.id, org.alpha.id, NOW, None, None)
        assert got.version == 2
        la = s.scalars(select(LeadAssignment).where(LeadAssignment.lead_id == lead.id)).one()
        assert (la.reason, la.to_user_id, la.by_user_id, la.at) == ("claimed", org.a1.id, org.a1.id, NOW)
        assert s.scalar(select(AuditLog.action).where(AuditLog.entity_id == str(lead.id))) == "claim"
        assert pool.claim_allowance(scope_of(s, org.a1), s, NOW) == pool.ClaimAllowance(1, 5, 7)


def test_a_company_pool_lead_joins_the_claiming_reps_team_and_other_pools_are_out_of_reach(engine, org):
    with write_tx(engine) as s:
        company = pooled(s, None, "Nobody's Co", reason="unrouted")
        beta = pooled(s, org.beta.id, "Beta Pool Co")
        theirs = owned(s, org.a2, assigned_ago=D, company="Owned Co")
    with write_tx(engine) as s:
        pool.claim(s, scope_of(s, org.a1), company.id, NOW)
    for lead_id in (beta.id, theirs.id, 999, "1", None):
        with pytest.raises(pool.PoolError) as exc:
            with write_tx(engine) as s:
                pool.claim(s, scope_of(s, org.a1), lead_id, NOW)
        assert exc.value.msg_key == "pool.err.gone" and exc.value.field == "lead_id"
    with read_session(engine) as s:
        assert s.get(Lead, company.id).team_id == org.alpha.id
        assert s.get(Lead, beta.id).owner_id is None and s.get(Lead, theirs.id).owner_id == org.a2.id
        for user in (org.lead_alpha, org.director):
            with pytest.raises(ScopeError):
                pool.claim(s, scope_of(s, user), beta.id, NOW)


def test_the_daily_claim_cap_refuses_the_next_claim_and_writes_nothing(engine, org):
    with write_tx(engine) as s:
        save_settings(s, COMPANY, {"pool_claim_cap_per_day": 2}, NOW)
        leads = [pooled(s, org.alpha.id, f"Pool {i}") for i in range(4)]
        # yesterday's claim does not count
        s.add(LeadAssignment(lead_id=leads[3].id, to_user_id=org.a1.id, team_id=org.alpha.id, reason="claimed",
                             at=NOW - D))
    for lead in leads[:2]:
        with write_tx(engine) as s:
            pool.claim(s, scope_of(s, org.a1), lead.id, NOW)
    before = snapshot(engine)
    with pytest.raises(pool.PoolError) as exc:
        with write_tx(engine) as s:
            pool.claim(s, scope_of(s, org.a1), leads[2].id, NOW + H)
    assert exc.value.msg_key == "pool.err.cap" and exc.value.message("en").startswith("You have claimed 2 leads today")
    assert snapshot(engine) == before
    with write_tx(engine) as s:  # a team's own cap wins over the company's
        s.add(TeamPoolRule(team_id=org.alpha.id, claim_cap_per_day=3, updated_at=NOW))
    with write_tx(engine) as s:
        pool.claim(s, scope_of(s, org.a1), leads[2].id, NOW + H)
    with write_tx(engine) as s:  # tomorrow the count starts again
        assert pool.claim_allowance(scope_of(s, org.a1), s, NOW + D).claimed_today == 0


def test_a_rep_cannot_reclaim_a_lead_they_lost_within_the_cooldown_but_a_teammate_can(engine, org):
    with write_tx(engine) as s:
        lost = add_pool_records(s, org.a1, "a1")  # returned from a1 three days ago
    with pytest.raises(pool.PoolError) as exc:
        with write_tx(engine) as s:
            pool.claim(s, scope_of(s, org.a1), lost.id, NOW)
    assert exc.value.msg_key == "pool.err.cooldown"
    assert exc.value.params == {"days": 7, "until": (NOW + 4 * D).strftime("%Y-%m-%d %H:%M")}
    with read_session(engine) as s:
        mine = pool.claimable_leads(scope_of(s, org.a1), s, NOW)
        theirs = pool.claimable_leads(scope_of(s, org.a2), s, NOW)
    assert mine.loc[mine["id"] == lost.id, "cooldown_until"].tolist() == [NOW + 4 * D]
    assert theirs.loc[theirs["id"] == lost.id, "cooldown_until"].isna().all()
    with write_tx(engine) as s:  # after the cooldown a1 may take it back
        pool.claim(s, scope_of(s, org.a1), lost.id, NOW + 4 * D + H)
    with read_session(engine) as s:
        assert s.get(Lead, lost.id).owner_id == org.a1.id


def test_of_two_claims_racing_for_one_lead_exactly_one_wins(engine, org):
    """Both sessions see the lead in the pool; the first commits; the second's conditional UPDATE
    finds an owner and is told someone else was quicker."""
    with write_tx(engine) as s:
        lead = pooled(s, org.alpha.id, "Contested Co")
    make = session_factory(engine)
    with make() as s1, make() as s2:
        with s2.begin():
            seen = s2.get(Lead, lead.id)  # a2 looked (and holds on to what they saw): still in the pool
            assert seen.owner_id is None
        with s1.begin():
            pool.claim(s1, scope_of(s1, org.a1), lead.id, NOW)
        with pytest.raises(pool.PoolError) as exc:
            with s2.begin():
                pool.claim(s2, scope_of(s2, org.a2), lead.id, NOW)
    assert exc.value.msg_key == "pool.err.taken"
    with read_session(engine) as s:
        assert s.get(Lead, lead.id).owner_id == org.a1.id
        assert s.execute(select(LeadAssignment.to_user_id).where(LeadAssignment.reason == "claimed")).all() == [(org.a1.id,)]


def test_two_threads_claiming_at_once_leave_the_lead_with_one_rep(engine, org):
    with write_tx(engine) as s:
        lead = pooled(s, org.alpha.id, "Contested Co")
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def go(rep):
        try:
            with write_tx(engine) as s:
                scope = scope_of(s, rep)
                barrier.wait(10)
                pool.claim(s, scope, lead.id, NOW)
            outcome[rep.username] = "won"
        except pool.PoolError as exc:
            outcome[rep.username] = exc.msg_key

    threads = [threading.Thread(target=go, args=(rep,)) for rep in (org.a1, org.a2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcome.values()) in (["pool.err.taken", "won"], ["pool.err.gone", "won"])
    winner = next(name for name, result in outcome.items() if result == "won")
    with read_session(engine) as s:
        assert s.get(User, s.get(Lead, lead.id).owner_id).username == winner
        assert s.scalar(select(func.count()).select_from(LeadAssignment).where(LeadAssignment.reason == "claimed")) == 1


# ---- what a rep sees of the pool ----------------------------------------------------------------------

def test_a_rep_sees_their_team_pool_and_the_company_pool_but_no_contact_details(engine, org):
    with write_tx(engine) as s:
        mine = pooled(s, org.alpha.id, "Alpha Pool", since=NOW - 5 * D)
        company = pooled(s, None, "Company Pool", since=NOW - D, reason="unrouted")
        pooled(s, org.beta.id, "Beta Pool")
        owned(s, org.a2, assigned_ago=D, company="Teammate's own")
        s.add(Lead(company="Closed", source_channel="expo", grade="C", status="lost", team_id=org.alpha.id,
                   created_at=NOW - 9 * D))
    with read_session(engine) as s:
        df = pool.claimable_leads(scope_of(s, org.a1), s, NOW)
        with pytest.raises(ScopeError):
            pool.claimable_leads(scope_of(s, org.lead_alpha), s, NOW)
        with pytest.raises(ScopeError):
            pool.claimable_leads(org.a1.id, s, NOW)
    assert df["company"].tolist() == ["Company Pool", "Alpha Pool"]  # newest in the pool first
    assert df["pool"].tolist() == ["company", "team"]
    assert df["days_in_pool"].round(3).tolist() == [1.0, 5.0]
    assert not {"phone", "contact_name", "owner", "last_owner", "owner_id"} & set(df.columns)
    assert {mine.id, company.id} == set(df["id"])


# ---- leads and directors: size and age -------------------------------------------------------------------

def test_pool_size_and_age_by_team_with_returns_and_claims_of_the_week(engine, org):
    with write_tx(engine) as s:
        for days in (1, 3, 10, 45):
            pooled(s, org.alpha.id, f"Alpha {days}", since=NOW - days * D)
        pooled(s, org.beta.id, "Beta 20", since=NOW - 20 * D)
        pooled(s, None, "Nobody", since=NOW - 2 * D, reason="unrouted")
        add_pool_records(s, org.a1, "a1")  # returned 3 days ago (and in the Alpha pool)
        taken = pooled(s, org.alpha.id, "Taken")
    with write_tx(engine) as s:
        pool.claim(s, scope_of(s, org.a2), taken.id, NOW)
    with read_session(engine) as s:
        director = pool.pool_summary(scope_of(s, org.director), s, NOW).set_index("team")
        lena = pool.pool_summary(scope_of(s, org.lead_alpha), s, NOW)
        leads = pool.pool_leads(scope_of(s, org.lead_alpha), s, NOW)
        everything = pool.pool_leads(scope_of(s, org.director), s, NOW)
        with pytest.raises(ScopeError):
            pool.pool_summary(scope_of(s, org.a1), s, NOW)
        with pytest.raises(ScopeError):
            pool.pool_leads(scope_of(s, org.a1), s, NOW)
    alpha = director.loc["Alpha"]
    assert (alpha["leads"], alpha["days_0_7"], alpha["days_8_30"], alpha["days_over_30"]) == (5, 3, 1, 1)
    assert alpha["mean_days"] == pytest.approx((1 + 3 + 10 + 45 + 3) / 5)
    assert alpha["max_days"] == pytest.approx(45)
    assert (alpha["returned"], alpha["claimed"]) == (1, 1)
    assert director.loc["Beta", "leads"] == 1 and director.loc["Beta", "days_8_30"] == 1
    company = director[director["team_id"].isna()]
    assert company["leads"].tolist() == [1]
    assert lena["team"].tolist() == ["Alpha"] and lena["leads"].tolist() == [5]
    assert leads["company"].tolist() == ["Alpha 45", "Alpha 10", "Alpha 3", "a1 pooled", "Alpha 1"]  # a tie: by id
    assert leads.set_index("company").loc["a1 pooled", "last_owner"] == "Amy A1"
    assert set(everything["company"]) == {"Alpha 45", "Alpha 10", "a1 pooled", "Alpha 3", "Alpha 1", "Beta 20", "Nobody"}


def test_the_pools_together_and_the_window_of_returns_and_claims_a_setting(engine, org):
    with write_tx(engine) as s:
        for days in (1, 3, 10, 45):
            pooled(s, org.alpha.id, f"Alpha {days}", since=NOW - days * D)
        pooled(s, org.beta.id, "Beta 20", since=NOW - 20 * D)
        pooled(s, None, "Nobody", since=NOW - 2 * D, reason="unrouted")
        add_pool_records(s, org.a1, "a1")  # returned 3 days ago (and in the Alpha pool)
        taken = pooled(s, org.alpha.id, "Taken")
    with write_tx(engine) as s:
        pool.claim(s, scope_of(s, org.a2), taken.id, NOW)
    with read_session(engine) as s:
        director = pool.pool_summary(scope_of(s, org.director), s, NOW)
        lena = pool.pool_summary(scope_of(s, org.lead_alpha), s, NOW)
        two_days = pool.pool_summary(scope_of(s, org.director), s, NOW, days=2)
    # every pool: Alpha 1, 3, 10, 45 and a1's lead (3 days), Beta 20, the company pool's 2 days
    assert director.attrs == {"leads": 7, "mean_days": pytest.approx((1 + 3 + 10 + 45 + 3 + 20 + 2) / 7),
                              "days_over_30": 1, "returned": 1, "claimed": 1, "days": 7}
    assert lena.attrs["leads"] == 5 and lena.attrs["mean_days"] == pytest.approx((1 + 3 + 10 + 45 + 3) / 5)
    assert (two_days.attrs["returned"], two_days.attrs["claimed"], two_days.attrs["days"]) == (0, 1, 2)
    with write_tx(engine) as s:
        save_settings(s, COMPANY, {"assignment_log_days": 2}, NOW)
    with read_session(engine) as s:
        assert pool.pool_summary(scope_of(s, org.director), s, NOW).attrs == two_days.attrs
        nobody = pool.pool_summary(Scope(999, "lead", frozenset()), s, NOW)
    assert nobody.empty and nobody.attrs == {"leads": 0, "mean_days": None, "days_over_30": 0, "returned": 0,
                                             "claimed": 0, "days": 2}


# ---- the admin's team settings --------------------------------------------------------------------------------

def test_the_admin_sets_a_teams_pool_rules_and_auto_reassign(engine, org):
    with write_tx(engine) as s:
        pool.save_team_settings(s, ADMIN, org.beta.id, auto_reassign=True, no_follow_up_days=10,
                                claim_cap_per_day=None, now=NOW)
    with read_session(engine) as s:
        df = pool.team_settings(ADMIN, s).set_index("team")
        assert bool(s.get(Team, org.beta.id).auto_reassign) is True
        assert pool.team_rules(s, org.beta.id) == pool.PoolRules(10, 30, 5, 7)
        assert pool.team_rules(s, org.alpha.id) == pool.PoolRules(7, 30, 5, 7)
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "team_pool_rules")).one()
    assert (df.loc["Beta", "no_follow_up_days"], df.loc["Beta", "no_follow_up_days_in_force"]) == (10, 10)
    assert pd_isna(df.loc["Beta", "claim_cap_per_day"]) and df.loc["Beta", "claim_cap_per_day_in_force"] == 5
    assert audit.detail["new"]["no_follow_up_days"] == 10 and audit.detail["new"]["auto_reassign"] is True
    for kwargs, field in ((dict(no_follow_up_days=-1), "no_follow_up_days"), (dict(claim_cap_per_day=0), "claim_cap_per_day"),
                          (dict(not_converted_days=2.5), "not_converted_days"), (dict(claim_cooldown_days="7"), "claim_cooldown_days")):
        with pytest.raises(pool.PoolError) as exc:
            with write_tx(engine) as s:
                pool.save_team_settings(s, ADMIN, org.beta.id, auto_reassign=False, now=NOW, **kwargs)
        assert exc.value.field == field
    with read_session(engine) as s:
        assert bool(s.get(Team, org.beta.id).auto_reassign) is True  # nothing of the refused saves was kept
        with pytest.raises(ScopeError):
            pool.save_team_settings(s, scope_of(s, org.lead_beta), org.beta.id, auto_reassign=False, now=NOW)


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


# ---- the migration keeps every lead -------------------------------------------------------------------------

def test_migration_0003_adds_the_pool_columns_to_a_populated_database_and_takes_them_back(db_url):
    from alembic import command
    from sqlalchemy import inspect, text

    from core.base.db import make_engine
    from core.base.migrate import alembic_config, upgrade

    def alembic(engine, action, revision):
        with engine.begin() as conn:
            cfg = alembic_config(engine.url.render_as_string(hide_password=False))
            cfg.attributes["connection"] = conn
            getattr(command, action)(cfg, revision)

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO regions (id, name) VALUES (1, 'North')"))
            conn.execute(text("INSERT INTO teams (id, name, region_id, auto_reassign) VALUES (1, 'Alpha', 1, false)"))
            conn.execute(text("INSERT INTO users (id, username, display_name, email, role, team_id, password_hash, "
                              "active, failed_logins, created_at) VALUES (1, 'a1', 'Amy', '', 'rep', 1, 'x', true, 0, "
                              ":at)"), {"at": NOW})
            for i, owner in ((1, 1), (2, None)):
                conn.execute(text("INSERT INTO leads (id, company, contact_name, phone, source_channel, industry, size, "
                                  "grade, status, owner_id, team_id, created_at, next_action, version) VALUES "
                                  "(:id, :c, '', '', 'expo', '', '', 'A', 'new', :o, 1, :at, '', 1)"),
                             {"id": i, "c": f"Lead {i}", "o": owner, "at": NOW})
            conn.execute(text("INSERT INTO lead_assignments (lead_id, to_user_id, team_id, reason, at) "
                              "VALUES (1, 1, 1, 'routed', :at)"), {"at": NOW})
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, owner_id, pooled_at, pool_reason FROM leads ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, 1, None, None), (2, None, None, None)]
        assert {"routing_rules", "team_pool_rules"} <= set(inspect(engine).get_table_names())
        alembic(engine, "downgrade", "0002")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM leads")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM lead_assignments")).scalar() == 1
        columns = {c["name"] for c in inspect(engine).get_columns("leads")}
        assert "pooled_at" not in columns and "routing_rules" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
