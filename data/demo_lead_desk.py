"""The lead desk's demo (SPEC §3): routing rules, the fallback team, teams' own pool rules and
auto-reassign, and a lead pool (公海) that agrees with those rules at the demo's "now".

The generator (data/demo.py) writes six months of leads as if nobody ever recycled them. Here the
recycle rules are applied to that history: every open lead that, by its team's rules, should have
gone back to the pool did so at the moment the rule fired (a "returned" assignment then, no alert —
it is history). Some pool leads were then claimed by another rep of the team in the last days,
within the daily cap; rep1 claimed one this morning. The generator's own pool leads (no team) join
the pool of the team that lost them, and a handful of leads no rule routed wait in the company pool.
Everything is drawn from ``rng``: the same seed gives the same rows.
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from core.base import models as m
from core.leads.pool import company_rules, team_rules
from core.base.rules import all_settings, save_settings
from core.base.vocabulary import OPEN_LEAD_STATUSES
from core.base.scope import COMPANY

RULE_INDUSTRIES = ("医疗", "零售", "酒业", "制造", "教育", "物流")
OWN_RULES = {  # team: its own pool rules (the rest: company defaults)
    "深圳办事处": dict(not_converted_days=20, claim_cap_per_day=8),
    "北京一组": dict(no_follow_up_days=10),
}
AUTO_REASSIGN = ("杭州一组", "深圳办事处")
UNROUTED = (("宁波恒远包装材料有限公司", "展会"), ("义乌市佳诚日用品商行", "线上广告"), ("昆山德信精密模具厂", "官网"),
            ("常州市天宁区康乐养老院", "电话营销"), ("台州瑞丰汽配有限公司", "线上广告"), ("金华永盛五金制品厂", "展会"))
CLAIM_SHARE = 0.04  # of the pool leads of the last three weeks, claimed again in the last five days


def seed_routing_and_pool(session: Session, rng: random.Random, now: datetime, counts: dict[str, int]) -> None:
    """Write the lead desk's demo rows; ``counts`` (rows per table) is updated in place."""
    teams = session.execute(select(m.Team.id, m.Team.name, m.Team.region_id).order_by(m.Team.id)).all()
    team_id = {name: tid for tid, name, _ in teams}
    counts["routing_rules"] = _rules(session, teams, now)
    save_settings(session, COMPANY, {"routing_fallback_team": teams[0].id}, now)
    own = [m.TeamPoolRule(team_id=team_id[name], updated_at=now, **values)
           for name, values in OWN_RULES.items() if name in team_id]
    session.add_all(own)
    session.execute(update(m.Team).where(m.Team.name.in_(AUTO_REASSIGN)).values(auto_reassign=True))
    session.flush()
    counts["team_pool_rules"] = len(own)
    moves: list[dict] = []
    _teams_take_the_old_pool(session, moves)
    counts["pool_returns"] = _apply_recycle_rules(session, now, moves)
    counts["pool_claims"] = _claims(session, rng, now, moves)
    counts["company_pool_leads"] = _unrouted(session, rng, now, moves)
    counts["leads"] = counts.get("leads", 0) + counts["company_pool_leads"]
    if moves:
        session.execute(insert(m.LeadAssignment), moves)
    counts["lead_assignments"] = counts.get("lead_assignments", 0) + len(moves)


def _rules(session: Session, teams, now: datetime) -> int:
    """Per region: large hospitals and clinics (医疗, large) to its first team, other 医疗 to the
    second, then one industry per team in turn, and a catch-all to the region's last team."""
    rows, position = [], 0
    by_region: dict[int, list[int]] = {}
    for tid, _, region_id in teams:
        by_region.setdefault(region_id, []).append(tid)

    def rule(region_id, team, industry="", size=""):
        nonlocal position
        position += 1
        rows.append(dict(position=position, region_id=region_id, industry=industry, size=size, team_id=team,
                         active=True, created_at=now - timedelta(days=60), updated_at=now - timedelta(days=60),
                         updated_by=None, version=1))

    for region_id, tids in sorted(by_region.items()):
        rule(region_id, tids[0], "医疗", "large")
        for i, industry in enumerate(RULE_INDUSTRIES):
            rule(region_id, tids[(i + 1) % len(tids)], industry)
        rule(region_id, tids[-1])
    session.execute(insert(m.RoutingRule), rows)
    return len(rows)


def _teams_take_the_old_pool(session: Session, moves: list[dict]) -> None:
    """The generator's pool leads (no team) go into the pool of the team that lost them, since then."""
    la = m.LeadAssignment
    rows = session.execute(
        select(m.Lead.id, la.id, la.at, m.User.team_id)
        .join(la, (la.lead_id == m.Lead.id) & (la.reason == "returned"))
        .join(m.User, m.User.id == la.from_user_id)
        .where(m.Lead.owner_id.is_(None), m.Lead.team_id.is_(None))).all()
    if rows:
        leads = m.Lead.__table__
        session.execute(update(leads).where(leads.c.id == bindparam("b_id")).values(
            team_id=bindparam("b_team"), pooled_at=bindparam("b_at"), pool_reason="no_follow_up"),
            [{"b_id": lid, "b_team": team, "b_at": at} for lid, _, at, team in rows])
        table = la.__table__
        session.execute(update(table).where(table.c.id == bindparam("b_id")).values(team_id=bindparam("b_team")),
                        [{"b_id": aid, "b_team": team} for _, aid, _, team in rows])


def _apply_recycle_rules(session: Session, now: datetime, moves: list[dict]) -> int:
    """Return to the pool, at the moment their rule fired, the open leads the rules would have returned."""
    defaults = company_rules(all_settings(session))
    rules_of = {tid: team_rules(session, tid) for tid in session.scalars(select(m.Team.id))}
    rows = session.execute(
        select(m.Lead.id, m.Lead.owner_id, m.Lead.team_id, m.Lead.assigned_at, m.Lead.created_at,
               m.Lead.last_activity_at)
        .where(m.Lead.owner_id.is_not(None), m.Lead.status.in_(OPEN_LEAD_STATUSES)).order_by(m.Lead.id)).all()
    returns = []
    for lid, owner, tid, assigned_at, created_at, last_at in rows:
        r = rules_of.get(tid, defaults)
        assigned = assigned_at or created_at
        touch = max(assigned, last_at or assigned)
        fired = []
        if r.no_follow_up_days:
            fired.append((touch + timedelta(days=r.no_follow_up_days), "no_follow_up"))
        if r.not_converted_days:
            fired.append((assigned + timedelta(days=r.not_converted_days), "not_converted"))
        if not fired:
            continue
        at, reason = min(fired, key=lambda f: (f[0], f[1] != "no_follow_up"))
        if at <= now:
            returns.append({"b_id": lid, "b_at": at, "b_reason": reason})
            moves.append(dict(lead_id=lid, from_user_id=owner, to_user_id=None, team_id=tid, reason="returned", at=at,
                              by_user_id=None))
    if returns:
        leads = m.Lead.__table__
        session.execute(update(leads).where(leads.c.id == bindparam("b_id")).values(
            owner_id=None, assigned_at=None, pooled_at=bindparam("b_at"), pool_reason=bindparam("b_reason")), returns)
    return len(returns)


def _claims(session: Session, rng: random.Random, now: datetime, moves: list[dict]) -> int:
    """Some pool leads of the last three weeks claimed again by another rep of the team in the last
    five days (working hours, within the daily cap); rep1 claims one this morning."""
    reps: dict[int, list[int]] = {}
    for uid, tid in session.execute(select(m.User.id, m.User.team_id).where(m.User.role == "rep", m.User.active.is_(True))
                                    .order_by(m.User.id)):
        reps.setdefault(tid, []).append(uid)
    last_owner = {lead_id: owner for lead_id, owner, reason in
                  ((mv["lead_id"], mv["from_user_id"], mv["reason"]) for mv in moves) if reason == "returned"}
    la = m.LeadAssignment
    for lead_id, owner in session.execute(select(la.lead_id, la.from_user_id).where(la.reason == "returned")):
        last_owner.setdefault(lead_id, owner)
    pool = session.execute(
        select(m.Lead.id, m.Lead.team_id, m.Lead.pooled_at)
        .where(m.Lead.owner_id.is_(None), m.Lead.team_id.is_not(None), m.Lead.pooled_at > now - timedelta(days=21),
               m.Lead.pooled_at < now - timedelta(days=1))
        .order_by(m.Lead.id)).all()
    caps = {tid: team_rules(session, tid).claim_cap_per_day for tid in reps}
    per_day: dict[tuple[int, object], int] = {}
    claims = []
    rep1 = session.scalar(select(m.User.id).where(m.User.username == "rep1"))
    morning = datetime.combine(now.date(), time(8, 5))
    for lead_id, tid, pooled_at in pool:
        rep1_first = rep1 is not None and not any(c["b_owner"] == rep1 for c in claims) and tid in reps \
            and rep1 in reps[tid] and last_owner.get(lead_id) != rep1 and morning < now
        if not rep1_first and rng.random() >= CLAIM_SHARE:
            continue
        others = [r for r in reps.get(tid, []) if r != last_owner.get(lead_id)]
        if not others:
            continue
        if rep1_first:
            rep, at = rep1, morning
        else:
            rep = rng.choice(others)
            day = now.date() - timedelta(days=rng.randint(1, 5))
            at = datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)))
        if at <= pooled_at or at >= now or per_day.get((rep, at.date()), 0) >= caps[tid]:
            continue
        per_day[(rep, at.date())] = per_day.get((rep, at.date()), 0) + 1
        claims.append({"b_id": lead_id, "b_owner": rep, "b_at": at})
        moves.append(dict(lead_id=lead_id, from_user_id=None, to_user_id=rep, team_id=tid, reason="claimed", at=at,
                          by_user_id=rep))
    if claims:
        leads = m.Lead.__table__
        session.execute(update(leads).where(leads.c.id == bindparam("b_id")).values(
            owner_id=bindparam("b_owner"), assigned_at=bindparam("b_at"), pooled_at=None, pool_reason=None), claims)
    return len(claims)


def _unrouted(session: Session, rng: random.Random, now: datetime, moves: list[dict]) -> int:
    """Leads of the last three days that no rule routed (no region given): the company pool."""
    next_id = (session.scalar(select(func.max(m.Lead.id))) or 0) + 1
    rows = []
    for i, (company, channel) in enumerate(UNROUTED):
        created = now - timedelta(hours=rng.uniform(2, 72))
        lid = next_id + i
        rows.append(dict(id=lid, customer_id=None, company=company, contact_name="", phone="", source_channel=channel,
                         industry="", size="", region_id=None, grade=rng.choice(("B", "C")), status="new",
                         owner_id=None, team_id=None, created_at=created.replace(microsecond=0), assigned_at=None,
                         first_contact_at=None, last_activity_at=None, next_action="", next_action_at=None,
                         converted_at=None, pooled_at=created.replace(microsecond=0), pool_reason="unrouted", version=1))
        moves.append(dict(lead_id=lid, from_user_id=None, to_user_id=None, team_id=None, reason="pooled",
                          at=created.replace(microsecond=0), by_user_id=None))
    session.execute(insert(m.Lead), rows)
    return len(rows)
