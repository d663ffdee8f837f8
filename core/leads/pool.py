"""The lead pool (公海, SPEC §3): leads nobody owns, the recycle job that returns leads to it, claims
from it, the countdown before a lead returns, and the pool's size and age.

A lead is in the pool while it is open (new, contacted, qualified) and has no owner. It waits in
its team's pool, or in the company pool when it has no team (no routing rule and no fallback team).
``pooled_at`` and ``pool_reason`` say since when and why (POOL_REASONS).

Recycle rules, per team (``team_pool_rules``; a NULL value means the company default, setting
``pool_*``; 0 days switches a rule off): an open lead goes back to its team's pool when its owner is
deactivated, when it had no follow-up for N days (no activity since the later of its assignment and
its last activity), or when it was not converted M days after the current owner got it.

Claims: a rep claims from their own team's pool and the company pool, at most ``claim_cap_per_day``
a day, and not a lead they lost (returned, reassigned away) less than ``claim_cooldown_days`` ago.
Two reps claiming the same lead at once: the conditional UPDATE … WHERE owner_id IS NULL lets
exactly one of them have it; the other is told it is gone.

Who sees what: team leads see their teams' pools, directors and admins every pool (scoped reads,
proved by tests/integration/test_scope_reads.py). A rep sees what they may claim — the open,
unowned leads of their own team and of the company pool, without phone, contact or previous owner —
through ``claimable_leads``, which is deliberately not a ``scoped_read``: pool rows are shared
within the team by design, so the "a rep sees nothing another rep's records could change" proof
does not apply to it; tests/integration/test_pool.py proves what it shows instead.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import DateTime, and_, case, func, literal, or_, select, update
from sqlalchemy.orm import Session

from core.base import access, rules
from core.base.access import guarded
from core.base.errors import UserError

from core.base.models import AuditLog, Lead, LeadAssignment, Region, Team, TeamPoolRule, User
from core.leads.routing import MANUAL, REASSIGNED, alert_each, day_bounds, lead_or_admins
from core.base.scope import Scope, company_read, scoped_read
from core.base.sqlfn import hours_between
from core.base.vocabulary import OPEN_LEAD_STATUSES

RETURNED, CLAIMED = "returned", "claimed"
LOST_REASONS = (RETURNED, REASSIGNED, MANUAL)  # the rep lost the lead: the cooldown applies
POOL_REASONS = ("unrouted", "team_full", "no_active_rep", "no_follow_up", "not_converted", "owner_inactive")
RULE_FIELDS = ("no_follow_up_days", "not_converted_days", "claim_cap_per_day", "claim_cooldown_days")
DEFAULT_KEYS = {"no_follow_up_days": "pool_no_follow_up_days", "not_converted_days": "pool_not_converted_days",
                "claim_cap_per_day": "pool_claim_cap_per_day", "claim_cooldown_days": "pool_claim_cooldown_days"}
AGE_BUCKETS = (7, 30)  # days: up to 7, 8–30, over 30


class PoolError(UserError):
    """A claim or pool setting that cannot be done; ``field`` names the form field."""


@dataclass(frozen=True)
class PoolRules:
    no_follow_up_days: int
    not_converted_days: int
    claim_cap_per_day: int
    claim_cooldown_days: int


def company_rules(settings: dict) -> PoolRules:
    return PoolRules(**{f: int(settings[DEFAULT_KEYS[f]]) for f in RULE_FIELDS})


def team_rules(session: Session, team_id: int | None) -> PoolRules:
    """The rules that apply in a team: its own values, the company default where it has none."""
    base = company_rules(rules.all_settings(session))
    row = session.get(TeamPoolRule, team_id) if team_id is not None else None
    if row is None:
        return base
    return PoolRules(**{f: getattr(row, f) if getattr(row, f) is not None else getattr(base, f) for f in RULE_FIELDS})


def _in_pool():
    return and_(Lead.owner_id.is_(None), Lead.status.in_(OPEN_LEAD_STATUSES))


def _assigned():
    return func.coalesce(Lead.assigned_at, Lead.created_at)


def _last_touch():
    """The later of the lead's assignment and its last activity."""
    assigned = _assigned()
    return case((Lead.last_activity_at > assigned, Lead.last_activity_at), else_=assigned)


def now_param(now: datetime):
    """``now`` as a typed SQL value, so date arithmetic works the same on SQLite and PostgreSQL."""
    return literal(now, DateTime())


# ---- the recycle job --------------------------------------------------------------------------

def due_returns(session: Session, now: datetime) -> list[tuple[Lead, str]]:
    """Owned open leads that must go back to the pool now, each with its reason (owner deactivated
    first, then no follow-up, then not converted)."""
    found: dict[int, tuple[Lead, str]] = {}
    owned_open = and_(Lead.owner_id.is_not(None), Lead.status.in_(OPEN_LEAD_STATUSES))
    for lead in session.scalars(select(Lead).join(User, User.id == Lead.owner_id)
                                .where(owned_open, User.active.is_(False)).order_by(Lead.id)):
        found[lead.id] = (lead, "owner_inactive")
    defaults = company_rules(rules.all_settings(session))
    overrides = {r.team_id: r for r in session.scalars(select(TeamPoolRule))}
    team_ids: list[int | None] = [*session.scalars(select(Team.id).order_by(Team.id)), None]
    for team_id in team_ids:
        row = overrides.get(team_id)
        r = defaults if row is None else PoolRules(**{
            f: getattr(row, f) if getattr(row, f) is not None else getattr(defaults, f) for f in RULE_FIELDS})
        in_team = Lead.team_id.is_(None) if team_id is None else Lead.team_id == team_id
        for days, when, reason in ((r.no_follow_up_days, _last_touch(), "no_follow_up"),
                                   (r.not_converted_days, _assigned(), "not_converted")):
            if not days:
                continue
            stmt = select(Lead).where(owned_open, in_team, when <= now - timedelta(days=days)).order_by(Lead.id)
            for lead in session.scalars(stmt):
                found.setdefault(lead.id, (lead, reason))
    return [found[k] for k in sorted(found)]


def return_to_pool(session: Session, lead: Lead, reason: str, now: datetime, by_user_id: int | None = None) -> int | None:
    """Take the lead from its owner into its team's pool; the assignment and audit rows. The old owner's id."""
    old = lead.owner_id
    lead.owner_id, lead.assigned_at, lead.pooled_at, lead.pool_reason = None, None, now, reason
    session.add(LeadAssignment(lead_id=lead.id, from_user_id=old, to_user_id=None, team_id=lead.team_id,
                               reason=RETURNED, at=now, by_user_id=by_user_id))
    session.add(AuditLog(at=now, user_id=by_user_id, action="return", entity="lead", entity_id=str(lead.id),
                         detail={"from": old, "reason": reason}))
    return old


def recycle_leads(session: Session, now: datetime) -> int:
    """Leads back to the pool: owner deactivated, no follow-up for N days, not converted in M days."""
    returns = due_returns(session, now)
    by_owner: dict[int, list[tuple[Lead, str]]] = {}
    for lead, reason in returns:
        old = return_to_pool(session, lead, reason, now)
        by_owner.setdefault(old, []).append((lead, reason))
    session.flush()
    stamp = now.strftime("%Y%m%dT%H%M%S")
    for owner_id, leads in by_owner.items():
        owner = session.get(User, owner_id)
        names = "、".join(lead.company for lead, _ in leads[:5]) + ("…" if len(leads) > 5 else "")
        team_id = leads[0][0].team_id
        if owner is not None and owner.active:
            alert_each(session, [owner_id], key=f"lead_recycle:{owner_id}:{stamp}", kind="lead_returned",
                       text_key="pool.alert.returned", now=now, team_id=team_id, lead_id=leads[0][0].id,
                       n=len(leads), companies=names)
        else:
            alert_each(session, lead_or_admins(session, team_id), key=f"lead_recycle:inactive:{owner_id}:{stamp}",
                       kind="lead_returned", text_key="pool.alert.returned_inactive", now=now, team_id=team_id,
                       lead_id=leads[0][0].id, n=len(leads), rep=owner.display_name if owner else "—",
                       companies=names)
    return len(returns)


# ---- claims -------------------------------------------------------------------------------------

def claims_today(session: Session, rep_id: int, now: datetime) -> int:
    start, end = day_bounds(now)
    return session.scalar(select(func.count()).select_from(LeadAssignment).where(
        LeadAssignment.reason == CLAIMED, LeadAssignment.to_user_id == rep_id,
        LeadAssignment.at >= start, LeadAssignment.at < end)) or 0


def last_lost(session: Session, rep_id: int, lead_id: int) -> datetime | None:
    """When the rep last lost this lead (returned to the pool, reassigned away), or None."""
    return session.scalar(select(func.max(LeadAssignment.at)).where(
        LeadAssignment.lead_id == lead_id, LeadAssignment.from_user_id == rep_id,
        LeadAssignment.reason.in_(LOST_REASONS)))


def _claiming_rep(session: Session, scope: Scope) -> User:
    """The calling rep (access "lead.claim": only reps claim, and only they see what they may claim)."""
    access.require(scope, "lead.claim")
    rep = session.get(User, scope.user_id)
    if rep is None or not rep.active or rep.team_id is None:
        raise PoolError("pool.err.no_team", None)
    return rep


@guarded("lead.claim")
def claim(session: Session, scope: Scope, lead_id: Any, now: datetime) -> None:
    """The rep takes an open, unowned lead of their team's pool (or the company pool). Refused,
    with nothing written, at the daily cap, within the cooldown of a lead they lost, or when the
    lead is not (or no longer) in their pool."""
    rep = _claiming_rep(session, scope)
    session.execute(select(User.id).where(User.id == rep.id).with_for_update())  # one claim of a rep at a time (PostgreSQL)
    lead = session.get(Lead, lead_id) if isinstance(lead_id, int) and not isinstance(lead_id, bool) else None
    if (lead is None or lead.owner_id is not None or lead.status not in OPEN_LEAD_STATUSES
            or lead.team_id not in (None, rep.team_id)):
        raise PoolError("pool.err.gone", "lead_id")
    r = team_rules(session, rep.team_id)
    if claims_today(session, rep.id, now) >= r.claim_cap_per_day:
        raise PoolError("pool.err.cap", "lead_id", cap=r.claim_cap_per_day)
    lost = last_lost(session, rep.id, lead.id)
    if lost is not None and r.claim_cooldown_days and now < lost + timedelta(days=r.claim_cooldown_days):
        until = lost + timedelta(days=r.claim_cooldown_days)
        raise PoolError("pool.err.cooldown", "lead_id", days=r.claim_cooldown_days, until=until.strftime("%Y-%m-%d %H:%M"))
    leads = Lead.__table__
    taken = session.execute(
        update(leads).where(leads.c.id == lead.id, leads.c.owner_id.is_(None),
                            or_(leads.c.team_id.is_(None), leads.c.team_id == rep.team_id))
        .values(owner_id=rep.id, team_id=rep.team_id, assigned_at=now, pooled_at=None, pool_reason=None,
                version=leads.c.version + 1))
    if taken.rowcount != 1:
        raise PoolError("pool.err.taken", "lead_id")
    session.expire(lead)
    session.add(LeadAssignment(lead_id=lead.id, from_user_id=None, to_user_id=rep.id, team_id=rep.team_id,
                               reason=CLAIMED, at=now, by_user_id=rep.id))
    session.add(AuditLog(at=now, user_id=rep.id, action="claim", entity="lead", entity_id=str(lead.id), detail={}))
    session.flush()
    if claims_today(session, rep.id, now) > r.claim_cap_per_day:  # another claim of this rep got in first
        raise PoolError("pool.err.cap", "lead_id", cap=r.claim_cap_per_day)


@dataclass(frozen=True)
class ClaimAllowance:
    claimed_today: int
    cap: int
    cooldown_days: int

    @property
    def left(self) -> int:
        return max(0, self.cap - self.claimed_today)


# A rep's read of the pool they may claim from: pool rows are shared within a team on purpose (see the
# module docstring), so test_pool.py proves them instead of the owner-invariance proof.
pool_read = company_read


@pool_read
def claim_allowance(scope: Scope, session: Session, now: datetime) -> ClaimAllowance:
    """The calling rep's claims today, their team's daily cap and cooldown (their own figures only;
    the cap and cooldown are the team's pool rules, so it is read with the pool)."""
    rep = _claiming_rep(session, scope)
    r = team_rules(session, rep.team_id)
    return ClaimAllowance(claims_today(session, rep.id, now), r.claim_cap_per_day, r.claim_cooldown_days)



def _pool_columns(now: datetime):
    since = func.coalesce(Lead.pooled_at, Lead.created_at)
    return (Lead.id, Lead.company, Lead.grade, Lead.industry, Lead.size, Region.name.label("region"),
            Lead.source_channel, Lead.pool_reason, since.label("pooled_at"),
            (hours_between(now_param(now), since) / 24.0).label("days_in_pool"))


@pool_read
def claimable_leads(scope: Scope, session: Session, now: datetime, limit: int = 500) -> pd.DataFrame:
    """What the calling rep may claim: the open, unowned leads of their team's pool (pool "team") and
    of the company pool ("company"), newest in the pool first — id, company, grade, industry, size,
    region, source_channel, pool_reason, pooled_at, days_in_pool, pool, and cooldown_until when the
    rep lost the lead recently (no phone, contact or previous owner). The number of leads before
    the limit is in ``df.attrs["total"]``."""
    rep = _claiming_rep(session, scope)
    r = team_rules(session, rep.team_id)
    lost = (select(func.max(LeadAssignment.at)).where(
        LeadAssignment.lead_id == Lead.id, LeadAssignment.from_user_id == rep.id,
        LeadAssignment.reason.in_(LOST_REASONS)).scalar_subquery())
    stmt = (select(*_pool_columns(now), case((Lead.team_id.is_(None), "company"), else_="team").label("pool"),
                   lost.label("lost_at"))
            .outerjoin(Region, Region.id == Lead.region_id)
            .where(_in_pool(), or_(Lead.team_id == rep.team_id, Lead.team_id.is_(None)))
            .order_by(func.coalesce(Lead.pooled_at, Lead.created_at).desc(), Lead.id.desc())
            .limit(max(1, min(int(limit), 5000))))
    df = pd.read_sql(stmt, session.connection())
    df.attrs["total"] = int(session.scalar(select(func.count()).select_from(Lead).where(
        _in_pool(), or_(Lead.team_id == rep.team_id, Lead.team_id.is_(None)))) or 0)
    lost_at = pd.to_datetime(df.pop("lost_at"))
    until = lost_at + pd.Timedelta(days=r.claim_cooldown_days)
    df["cooldown_until"] = until.where(until > now)
    df["pooled_at"] = pd.to_datetime(df["pooled_at"])
    return df


# ---- reads for leads and directors ------------------------------------------------------------------

@scoped_read
def pool_leads(scope: Scope, session: Session, now: datetime, team_id: int | None = None,
               limit: int = 500) -> pd.DataFrame:
    """The pool leads of the teams in scope (directors and admins: also the company pool), longest in
    the pool first: id, company, grade, industry, size, region, source_channel, pool_reason,
    pooled_at, days_in_pool, team (empty: company pool), last_owner (who held it last); the number
    before the limit in ``df.attrs["total"]``."""
    access.require(scope, "pool.see_summary")
    last = (select(User.display_name).join(LeadAssignment, LeadAssignment.from_user_id == User.id)
            .where(LeadAssignment.lead_id == Lead.id, LeadAssignment.reason == RETURNED)
            .order_by(LeadAssignment.at.desc(), LeadAssignment.id.desc()).limit(1).scalar_subquery())
    stmt = (select(*_pool_columns(now), Team.name.label("team"), last.label("last_owner"))
            .outerjoin(Region, Region.id == Lead.region_id).outerjoin(Team, Team.id == Lead.team_id)
            .where(_in_pool())
            .order_by(func.coalesce(Lead.pooled_at, Lead.created_at), Lead.id))
    stmt = scope.apply(stmt, Lead.owner_id, Lead.team_id)
    if team_id is not None:
        stmt = stmt.where(Lead.team_id == team_id)
    df = pd.read_sql(stmt.limit(max(1, min(int(limit), 5000))), session.connection())
    df["pooled_at"] = pd.to_datetime(df["pooled_at"])
    count = scope.apply(select(func.count()).select_from(Lead).where(_in_pool()), Lead.owner_id, Lead.team_id)
    if team_id is not None:
        count = count.where(Lead.team_id == team_id)
    df.attrs["total"] = int(session.scalar(count) or 0)
    return df


@scoped_read
def pool_summary(scope: Scope, session: Session, now: datetime, days: int | None = None) -> pd.DataFrame:
    """Per team in scope (and the company pool, team_id empty, for directors and admins): leads in
    the pool, their mean and largest age in days, how many are up to 7, 8–30 and over 30 days old,
    and how many leads returned to and were claimed from the team's pool in the last ``days`` days
    (default: setting ``assignment_log_days``).

    ``df.attrs`` holds the figures of every pool in scope together: ``leads``, ``mean_days`` (the
    mean age of all of them, each team's mean weighted by its leads; None for an empty pool),
    ``days_over_30``, ``returned``, ``claimed`` and the window ``days``."""
    access.require(scope, "pool.see_summary")
    if days is None:
        days = int(rules.get(session, "assignment_log_days"))
    age = hours_between(now_param(now), func.coalesce(Lead.pooled_at, Lead.created_at)) / 24.0
    low, high = AGE_BUCKETS
    pooled = (select(Lead.team_id.label("team_id"), func.count().label("leads"), func.avg(age).label("mean_days"),
                     func.max(age).label("max_days"),
                     func.sum(case((age <= low, 1), else_=0)).label("days_0_7"),
                     func.sum(case((and_(age > low, age <= high), 1), else_=0)).label("days_8_30"),
                     func.sum(case((age > high, 1), else_=0)).label("days_over_30"))
              .where(_in_pool()).group_by(Lead.team_id))
    pooled = scope.apply(pooled, Lead.owner_id, Lead.team_id)
    since = now - timedelta(days=days)
    moves = (select(LeadAssignment.team_id, LeadAssignment.reason, func.count().label("n"))
             .where(LeadAssignment.reason.in_((RETURNED, CLAIMED)), LeadAssignment.at > since, LeadAssignment.at <= now)
             .group_by(LeadAssignment.team_id, LeadAssignment.reason))
    moves = scope.apply(moves, LeadAssignment.to_user_id, LeadAssignment.team_id)
    figures = {r.team_id: r for r in session.execute(pooled)}
    moved: dict[tuple, int] = {(r.team_id, r.reason): int(r.n) for r in session.execute(moves)}
    teams = select(Team.id, Team.name).order_by(Team.name)
    if scope.team_ids is not None:
        teams = teams.where(Team.id.in_(sorted(scope.team_ids)))
    rows = [(tid, name) for tid, name in session.execute(teams)]
    if scope.team_ids is None and (None in figures or any(k[0] is None for k in moved)):
        rows.append((None, None))
    out = []
    for tid, name in rows:
        f = figures.get(tid)
        out.append({"team_id": tid, "team": name, "leads": int(f.leads) if f else 0,
                    "mean_days": float(f.mean_days) if f else math.nan, "max_days": float(f.max_days) if f else math.nan,
                    "days_0_7": int(f.days_0_7) if f else 0, "days_8_30": int(f.days_8_30) if f else 0,
                    "days_over_30": int(f.days_over_30) if f else 0,
                    "returned": moved.get((tid, RETURNED), 0), "claimed": moved.get((tid, CLAIMED), 0)})
    columns = ["team_id", "team", "leads", "mean_days", "max_days", "days_0_7", "days_8_30", "days_over_30",
               "returned", "claimed"]
    df = pd.DataFrame(out, columns=columns)
    df["team_id"] = df["team_id"].astype("Int64")
    for c in ("leads", "days_0_7", "days_8_30", "days_over_30", "returned", "claimed"):
        df[c] = df[c].astype("int64")
    for c in ("mean_days", "max_days"):
        df[c] = df[c].astype("float64")
    df.attrs.update(pool_totals(df), days=int(days))
    return df


def pool_totals(summary: pd.DataFrame) -> dict[str, Any]:
    """The figures of every pool of a ``pool_summary`` together (see there)."""
    total = int(summary["leads"].sum())
    weighted = float((summary["mean_days"].fillna(0) * summary["leads"]).sum())
    return {"leads": total, "mean_days": weighted / total if total else None,
            "days_over_30": int(summary["days_over_30"].sum()), "returned": int(summary["returned"].sum()),
            "claimed": int(summary["claimed"].sum())}


# ---- the countdown ---------------------------------------------------------------------------------

@scoped_read
def return_countdown(scope: Scope, session: Session, now: datetime, within_days: float | None = None,
                     limit: int = 2000) -> pd.DataFrame:
    """The caller's open leads in scope (a rep: their own) with the days left before each returns to
    the pool and the rule that returns it first, soonest first: id, company, grade, status, owner,
    team, last_touch_at, days_left (whole days, 0: at the next run), returns_at, rule
    (no_follow_up / not_converted / owner_inactive), owner_id. ``within_days``: only those returning
    within that many days. A lead under no rule (both switched off) is not listed."""
    settings = rules.all_settings(session)
    nf = func.coalesce(TeamPoolRule.no_follow_up_days, int(settings["pool_no_follow_up_days"]))
    nc = func.coalesce(TeamPoolRule.not_converted_days, int(settings["pool_not_converted_days"]))
    idle = hours_between(now_param(now), _last_touch()) / 24.0
    held = hours_between(now_param(now), _assigned()) / 24.0
    nf_left = case((nf > 0, nf - idle), else_=None)
    nc_left = case((nc > 0, nc - held), else_=None)
    owner = User
    stmt = (select(Lead.id, Lead.company, Lead.grade, Lead.status, owner.display_name.label("owner"),
                   Team.name.label("team"), _last_touch().label("last_touch_at"), nf_left.label("nf_left"),
                   nc_left.label("nc_left"), owner.active.label("owner_active"), Lead.owner_id)
            .join(owner, owner.id == Lead.owner_id)
            .outerjoin(Team, Team.id == Lead.team_id)
            .outerjoin(TeamPoolRule, TeamPoolRule.team_id == Lead.team_id)
            .where(Lead.status.in_(OPEN_LEAD_STATUSES))
            .where(or_(nf > 0, nc > 0, owner.active.is_(False))))
    stmt = scope.apply(stmt, Lead.owner_id, Lead.team_id)
    if within_days is not None:
        w = float(within_days)
        stmt = stmt.where(or_(and_(nf > 0, nf - idle <= w), and_(nc > 0, nc - held <= w), owner.active.is_(False)))
    df = pd.read_sql(stmt.order_by(Lead.id).limit(max(1, min(int(limit), 20000))), session.connection())
    nf_left = pd.to_numeric(df.pop("nf_left"), errors="coerce").astype("float64")
    nc_left = pd.to_numeric(df.pop("nc_left"), errors="coerce").astype("float64")
    active = df.pop("owner_active").astype(bool)
    left = pd.concat([nf_left, nc_left], axis=1).min(axis=1, skipna=True)
    rule = pd.Series("no_follow_up", index=df.index, dtype=object).where(
        nc_left.isna() | (nf_left <= nc_left), "not_converted")
    left = left.where(active, 0.0)
    rule = rule.where(active, "owner_inactive")
    df["last_touch_at"] = pd.to_datetime(df["last_touch_at"])
    df["days_left"] = left.clip(lower=0).round(6).map(math.floor).astype("int64")  # round: julianday is a float
    df["returns_at"] = (pd.Timestamp(now) + pd.to_timedelta(left.clip(lower=0), unit="D")).dt.round("min")
    df["rule"] = rule.astype(str)
    df = df.assign(_left=left).sort_values(["_left", "id"], kind="stable").drop(columns="_left").reset_index(drop=True)
    cols = ["id", "company", "grade", "status", "owner", "team", "last_touch_at", "days_left", "returns_at", "rule",
            "owner_id"]
    return df[cols]


# ---- the admin: each team's pool rules and auto-reassign ----------------------------------------------

@company_read
def team_settings(scope: Scope, session: Session) -> pd.DataFrame:
    """Every team with its auto-reassign flag, its own pool values (NaN: the company default) and the
    values in force (company configuration, for the routing page's admins): team_id, team, region,
    auto_reassign, the four RULE_FIELDS, and each with the suffix ``_in_force``."""
    access.require_page(scope, "admin_routing")
    defaults = company_rules(rules.all_settings(session))
    stmt = (select(Team.id.label("team_id"), Team.name.label("team"), Region.name.label("region"), Team.auto_reassign,
                   *(getattr(TeamPoolRule, f) for f in RULE_FIELDS))
            .join(Region, Region.id == Team.region_id).outerjoin(TeamPoolRule, TeamPoolRule.team_id == Team.id)
            .order_by(Region.name, Team.name))
    df = pd.read_sql(stmt, session.connection())
    df["auto_reassign"] = df["auto_reassign"].astype(bool)
    for f in RULE_FIELDS:
        df[f] = pd.to_numeric(df[f]).astype("Int64")
        df[f"{f}_in_force"] = df[f].fillna(getattr(defaults, f)).astype("int64")
    return df


LIMITS = {"no_follow_up_days": (0, 365), "not_converted_days": (0, 730), "claim_cap_per_day": (1, 500),
          "claim_cooldown_days": (0, 365)}


@guarded("team_pool.save")
def save_team_settings(session: Session, scope: Scope, team_id: Any, *, auto_reassign: bool, now: datetime,
                       **values: Any) -> None:
    """An admin sets a team's auto-reassign flag and its own pool values (None: the company
    default). Every value is checked before anything is written."""
    team = session.get(Team, team_id) if isinstance(team_id, int) and not isinstance(team_id, bool) else None
    if team is None:
        raise PoolError("routing.err.team", "team_id")
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown pool settings: {sorted(unknown)}")
    if not isinstance(auto_reassign, bool):
        raise PoolError("routing.err.active", "auto_reassign")
    clean: dict[str, int | None] = {}
    for f in RULE_FIELDS:
        v = values.get(f)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            clean[f] = None
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or float(v) != int(v):
            raise PoolError("pool.err.whole", f)
        low, high = LIMITS[f]
        if not low <= int(v) <= high:
            raise PoolError("pool.err.range", f, low=low, high=high)
        clean[f] = int(v)
    row = session.get(TeamPoolRule, team.id)
    old = {f: getattr(row, f) if row else None for f in RULE_FIELDS} | {"auto_reassign": bool(team.auto_reassign)}
    new = clean | {"auto_reassign": auto_reassign}
    if old == new:
        return
    if row is None:
        row = TeamPoolRule(team_id=team.id, updated_at=now)
        session.add(row)
    for f, v in clean.items():
        setattr(row, f, v)
    row.updated_at, row.updated_by = now, scope.user_id or None
    team.auto_reassign = auto_reassign
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="update", entity="team_pool_rules",
                         entity_id=str(team.id), detail={"old": old, "new": new}))
