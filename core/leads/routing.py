"""Lead routing (SPEC §3): rules to a team, round-robin to a rep under a daily cap, a fallback team,
the 2-hour escalation job and (auto-)reassignment. Every assignment is a LeadAssignment row with
its reason, plus an audit row.

Rules are ordered; the first active rule whose criteria all match wins, and an empty criterion
(no region, '' industry or size) matches anything. A lead no rule matches goes to the fallback team
(setting ``routing_fallback_team``) and its lead is alerted; with no fallback team (0) the lead waits
in the company pool and the admins are alerted.

Round-robin is stateless, so several app servers share it without a counter: the next lead goes
to the team's active rep with the fewest leads routed (or reassigned) to them today, ties broken by
the longest time since their last one, then by id. A rep at the daily cap (``rep_daily_lead_cap``)
is skipped; when every rep is full (or none is active) the lead waits in the team's pool and the
team lead is alerted. On PostgreSQL the team row is locked while a lead is routed, so two servers
routing at once still see each other's assignments.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Iterable

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from core.base import access, rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.i18n import t
from core.base.jobs import ensure_alert, ensure_todo, language_of
from core.base.models import AuditLog, Lead, LeadAssignment, Region, RoutingRule, Team, User
from core.base.scope import Scope, company_read, scoped_read
from core.base.vocabulary import OPEN_LEAD_STATUSES, SIZES

ROUTED, POOLED, REASSIGNED, MANUAL = "routed", "pooled", "reassigned", "manual"
COUNTED_REASONS = (ROUTED, REASSIGNED)  # what counts towards a rep's daily cap
INDUSTRY_MAX = 40


class InvalidRoutingInput(UserError):
    """A routing rule or reassignment value is not acceptable; ``field`` names the form field."""


class RoutingConflict(UserError):
    """The rule was changed by someone else since it was opened: nothing was saved."""


# ---- choosing the team -----------------------------------------------------------------------

def rule_matches(region_id: int | None, industry: str, size: str, lead: Lead) -> bool:
    """True when every non-empty criterion equals the lead's value."""
    return ((region_id is None or region_id == lead.region_id)
            and (not industry or industry == (lead.industry or "").strip())
            and (not size or size == (lead.size or "").strip()))


def first_matching_rule(session: Session, lead: Lead) -> RoutingRule | None:
    """The first active rule (by position, then id) that matches the lead, or None."""
    for rule in session.scalars(select(RoutingRule).where(RoutingRule.active.is_(True))
                                .order_by(RoutingRule.position, RoutingRule.id)):
        if rule_matches(rule.region_id, rule.industry, rule.size, lead):
            return rule
    return None


def fallback_team(session: Session) -> Team | None:
    team_id = rules.get(session, "routing_fallback_team")
    return session.get(Team, team_id) if team_id else None


# ---- choosing the rep --------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    rep_id: int
    routed_today: int
    last_routed_at: datetime | None


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(now.date(), time.min)
    return start, start + timedelta(days=1)


def candidates(session: Session, team_id: int, now: datetime, exclude: Iterable[int] = ()) -> list[Candidate]:
    """The team's active reps (minus ``exclude``) with the leads routed or reassigned to them today
    and the moment of their last one (ever)."""
    start, end = day_bounds(now)
    la = LeadAssignment
    counted = (select(la.to_user_id.label("rep_id"),
                      func.sum(case(((la.at >= start) & (la.at < end), 1), else_=0)).label("today"),
                      func.max(la.at).label("last_at"))
               .where(la.reason.in_(COUNTED_REASONS), la.to_user_id.is_not(None))
               .group_by(la.to_user_id).subquery())
    stmt = (select(User.id, func.coalesce(counted.c.today, 0), counted.c.last_at)
            .outerjoin(counted, counted.c.rep_id == User.id)
            .where(User.team_id == team_id, User.role == "rep", User.active.is_(True))
            .order_by(User.id))
    skip = set(exclude)
    return [Candidate(rep_id, int(today), last_at) for rep_id, today, last_at in session.execute(stmt)
            if rep_id not in skip]


def next_rep(reps: list[Candidate], cap: int) -> Candidate | None:
    """The rep the next lead goes to: under the cap, fewest today, longest since their last, lowest id."""
    eligible = [c for c in reps if c.routed_today < cap]
    if not eligible:
        return None
    return min(eligible, key=lambda c: (c.routed_today, c.last_routed_at or datetime.min, c.rep_id))


def _lock_team(session: Session, team_id: int) -> None:
    """Serialise routing into one team (PostgreSQL: row lock until commit; SQLite has one writer)."""
    session.execute(select(Team.id).where(Team.id == team_id).with_for_update())


# ---- alerts -------------------------------------------------------------------------------------

def lead_or_admins(session: Session, team_id: int | None) -> list[int]:
    """Who hears about a team's routing trouble: its lead when active, else every active admin."""
    if team_id is not None:
        lead_id = session.scalar(select(Team.lead_user_id).where(Team.id == team_id))
        if lead_id and session.scalar(select(User.active).where(User.id == lead_id)):
            return [lead_id]
    return list(session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True)).order_by(User.id)))


def alert_each(session: Session, recipients: Iterable[int], *, key: str, kind: str, text_key: str, now: datetime,
               team_id: int | None, lead_id: int | None, **params: Any) -> int:
    """One alert per recipient in their own language (once per ``key`` and recipient); how many new."""
    made = 0
    for user_id in recipients:
        message = t(language_of(session, user_id), text_key, **params)
        made += ensure_alert(session, dedupe_key=f"{key}:{user_id}", recipient_id=user_id, team_id=team_id,
                             kind=kind, message=message, now=now, ref_type="lead", ref_id=lead_id)
    return made


def _name(session: Session, user_id: int | None) -> str:
    return session.scalar(select(User.display_name).where(User.id == user_id)) or "—" if user_id else "—"


def _team_name(session: Session, team_id: int | None) -> str:
    return session.scalar(select(Team.name).where(Team.id == team_id)) or "—" if team_id else "—"


# ---- routing a new lead -------------------------------------------------------------------------

def assign_new_lead(session: Session, lead: Lead, now: datetime, by_user_id: int | None = None) -> None:
    """Route a new lead (already added and flushed, with region_id, industry and size set): the team of
    the first matching rule, else the fallback team (and an alert to its lead, or to the admins); the
    rep by round-robin among the team's active reps under the daily cap. Sets owner_id, team_id and
    assigned_at and writes LeadAssignment(reason="routed"). When nobody can take it, the lead waits
    unowned in the team's pool (or the company pool without a team): LeadAssignment(reason="pooled")
    and an alert."""
    rule = first_matching_rule(session, lead)
    team = session.get(Team, rule.team_id) if rule is not None else fallback_team(session)
    rep = None
    reps: list[Candidate] = []
    if team is not None:
        _lock_team(session, team.id)
        reps = candidates(session, team.id, now)
        rep = next_rep(reps, rules.get(session, "rep_daily_lead_cap"))
    lead.team_id = team.id if team is not None else None
    if rep is not None:
        lead.owner_id, lead.assigned_at, lead.pooled_at, lead.pool_reason = rep.rep_id, now, None, None
    else:
        reason = "unrouted" if team is None else ("team_full" if reps else "no_active_rep")
        lead.owner_id, lead.assigned_at, lead.pooled_at, lead.pool_reason = None, None, now, reason
    session.add(LeadAssignment(lead_id=lead.id, from_user_id=None, to_user_id=lead.owner_id, team_id=lead.team_id,
                               reason=ROUTED if rep is not None else POOLED, at=now, by_user_id=by_user_id))
    session.add(AuditLog(at=now, user_id=by_user_id, action="route", entity="lead", entity_id=str(lead.id),
                         detail={"rule_id": rule.id if rule is not None else None, "fallback": rule is None,
                                 "team_id": lead.team_id, "owner_id": lead.owner_id, "pool_reason": lead.pool_reason}))
    session.flush()
    recipients = lead_or_admins(session, lead.team_id)
    if rule is None:
        text_key = "routing.alert.fallback" if team is not None else "routing.alert.no_team"
        alert_each(session, recipients, key=f"route:fallback:{lead.id}", kind="lead_unrouted", text_key=text_key,
                   now=now, team_id=lead.team_id, lead_id=lead.id, company=lead.company, team=_team_name(session, lead.team_id))
    if rep is None and team is not None:
        alert_each(session, recipients, key=f"route:pooled:{lead.id}", kind="lead_pooled",
                   text_key=f"routing.alert.{lead.pool_reason}", now=now, team_id=lead.team_id, lead_id=lead.id,
                   company=lead.company, team=team.name, cap=rules.get(session, "rep_daily_lead_cap"))


def _move(session: Session, lead: Lead, to_rep: User, now: datetime, reason: str, by_user_id: int | None) -> int | None:
    """Give an owned lead to another rep; the assignment row and audit row; the old owner's id."""
    old = lead.owner_id
    lead.owner_id, lead.team_id, lead.assigned_at = to_rep.id, to_rep.team_id, now
    lead.pooled_at = lead.pool_reason = None
    session.add(LeadAssignment(lead_id=lead.id, from_user_id=old, to_user_id=to_rep.id, team_id=to_rep.team_id,
                               reason=reason, at=now, by_user_id=by_user_id))
    session.add(AuditLog(at=now, user_id=by_user_id, action=reason, entity="lead", entity_id=str(lead.id),
                         detail={"from": old, "to": to_rep.id}))
    session.flush()
    return old


# ---- the escalation job -------------------------------------------------------------------------

def overdue_leads(session: Session, now: datetime) -> list[Lead]:
    """Owned new leads not contacted ``escalation_hours`` after their assignment. Only assignments of
    the last ``first_response_hours`` count: older ones are the cockpit's misses, not an escalation."""
    settings = rules.all_settings(session)
    due = now - timedelta(hours=settings["escalation_hours"])
    since = now - timedelta(hours=max(settings["first_response_hours"], settings["escalation_hours"]))
    return list(session.scalars(select(Lead).where(
        Lead.owner_id.is_not(None), Lead.first_contact_at.is_(None), Lead.status == "new",
        Lead.assigned_at <= due, Lead.assigned_at > since).order_by(Lead.assigned_at, Lead.id)))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def escalate_uncontacted_leads(session: Session, now: datetime) -> int:
    """Leads not contacted 2 h after assignment: to-do for the rep, alert for the team lead; auto-reassign."""
    cap = rules.get(session, "rep_daily_lead_cap")
    hours = rules.get(session, "escalation_hours")
    done = 0
    for lead in overdue_leads(session, now):
        team = session.get(Team, lead.team_id) if lead.team_id is not None else None
        owner = session.get(User, lead.owner_id)
        if team is not None and team.auto_reassign and _auto_reassign(session, lead, team, owner, now, cap, hours):
            done += 1
            continue
        stamp = f"{lead.id}:{lead.owner_id}:{_stamp(lead.assigned_at)}"
        made = 0
        if owner is not None and owner.active:
            made += ensure_todo(session, dedupe_key=f"lead_escalation:todo:{stamp}", owner_id=owner.id,
                                team_id=lead.team_id, kind="lead_escalation", now=now, ref_type="lead", ref_id=lead.id,
                                due_at=now, title=t(language_of(session, owner.id), "routing.todo.contact",
                                                    company=lead.company, hours=f"{hours:g}"))
        made += alert_each(session, lead_or_admins(session, lead.team_id), key=f"lead_escalation:lead:{stamp}",
                           kind="lead_escalation", text_key="routing.alert.escalated", now=now, team_id=lead.team_id,
                           lead_id=lead.id, company=lead.company, rep=owner.display_name if owner else "—",
                           hours=f"{hours:g}")
        done += 1 if made else 0
    return done


def _auto_reassign(session: Session, lead: Lead, team: Team, owner: User | None, now: datetime, cap: int,
                   hours: float) -> bool:
    """Move the lead to the next rep of the rotation who has not held it; False when nobody can take it."""
    held = set(session.scalars(select(LeadAssignment.to_user_id).where(
        LeadAssignment.lead_id == lead.id, LeadAssignment.to_user_id.is_not(None))))
    held.add(lead.owner_id)
    choice = next_rep(candidates(session, team.id, now, exclude=held), cap)
    if choice is None:
        return False
    new_rep = session.get(User, choice.rep_id)
    old_id = _move(session, lead, new_rep, now, REASSIGNED, None)
    stamp = f"{lead.id}:{new_rep.id}:{_stamp(now)}"
    params = dict(company=lead.company, old=owner.display_name if owner else "—", new=new_rep.display_name,
                  hours=f"{hours:g}")
    ensure_todo(session, dedupe_key=f"lead_reassigned:todo:{stamp}", owner_id=new_rep.id, team_id=team.id,
                kind="lead_escalation", now=now, ref_type="lead", ref_id=lead.id, due_at=now + timedelta(hours=hours),
                title=t(language_of(session, new_rep.id), "routing.todo.reassigned", **params))
    alert_each(session, [new_rep.id], key=f"lead_reassigned:new:{stamp}", kind="lead_reassigned",
               text_key="routing.alert.reassigned_to_you", now=now, team_id=team.id, lead_id=lead.id, **params)
    if owner is not None and owner.active:
        alert_each(session, [old_id], key=f"lead_reassigned:old:{stamp}", kind="lead_reassigned",
                   text_key="routing.alert.reassigned_away", now=now, team_id=team.id, lead_id=lead.id, **params)
    alert_each(session, lead_or_admins(session, team.id), key=f"lead_reassigned:lead:{stamp}", kind="lead_reassigned",
               text_key="routing.alert.reassigned", now=now, team_id=team.id, lead_id=lead.id, **params)
    return True


# ---- a team lead's manual reassignment ---------------------------------------------------------

@guarded("lead.reassign")
def reassign_lead(session: Session, scope: Scope, lead_id: Any, to_rep_id: Any, now: datetime) -> None:
    """A lead (or director, admin) gives an open lead of their teams to an active rep of their
    teams; LeadAssignment(reason="manual"), and both reps are told."""
    lead = session.get(Lead, lead_id) if isinstance(lead_id, int) and not isinstance(lead_id, bool) else None
    if lead is None or not scope.may_see_team(lead.team_id) or lead.status not in OPEN_LEAD_STATUSES:
        raise InvalidRoutingInput("routing.err.no_lead", "lead_id")
    rep = session.get(User, to_rep_id) if isinstance(to_rep_id, int) and not isinstance(to_rep_id, bool) else None
    if rep is None or rep.role != "rep" or not rep.active or not scope.may_see_team(rep.team_id):
        raise InvalidRoutingInput("routing.err.rep", "to_rep_id")
    if rep.id == lead.owner_id:
        raise InvalidRoutingInput("routing.err.same_rep", "to_rep_id")
    old = _move(session, lead, rep, now, MANUAL, scope.user_id or None)
    params = dict(company=lead.company, old=_name(session, old), new=rep.display_name, by=_name(session, scope.user_id))
    stamp = f"{lead.id}:{rep.id}:{_stamp(now)}"
    alert_each(session, [rep.id], key=f"lead_manual:new:{stamp}", kind="lead_reassigned",
               text_key="routing.alert.manual_to_you", now=now, team_id=rep.team_id, lead_id=lead.id, **params)
    if old is not None:
        alert_each(session, [old], key=f"lead_manual:old:{stamp}", kind="lead_reassigned",
                   text_key="routing.alert.manual_away", now=now, team_id=rep.team_id, lead_id=lead.id, **params)


# ---- routing rules: the admin's reads and writes -------------------------------------------------

@company_read
def routing_rules(scope: Scope, session: Session) -> pd.DataFrame:
    """Every routing rule in the order they are tried (company configuration, no owner or team rows;
    for the routing page's admins): id, position (1, 2, …), region_id, region, industry, size,
    team_id, team, active, version, updated_at."""
    access.require_page(scope, "admin_routing")
    stmt = (select(RoutingRule.id, RoutingRule.position, RoutingRule.region_id, Region.name.label("region"),
                   RoutingRule.industry, RoutingRule.size, RoutingRule.team_id, Team.name.label("team"),
                   RoutingRule.active, RoutingRule.version, RoutingRule.updated_at)
            .outerjoin(Region, Region.id == RoutingRule.region_id).join(Team, Team.id == RoutingRule.team_id)
            .order_by(RoutingRule.position, RoutingRule.id))
    df = pd.read_sql(stmt, session.connection())
    df["active"] = df["active"].astype(bool)
    return df


@company_read
def known_industries(scope: Scope, session: Session) -> list[str]:
    """The industries leads and customers carry, for the routing page's rule form."""
    access.require_page(scope, "admin_routing")
    from core.base.models import Customer

    found = set(session.scalars(select(Lead.industry).distinct())) | set(session.scalars(select(Customer.industry).distinct()))
    found |= set(session.scalars(select(RoutingRule.industry).distinct()))
    return sorted(i for i in found if i)


def _clean_rule(session: Session, region_id: Any, industry: Any, size: Any, team_id: Any) -> dict:
    if region_id is not None and (isinstance(region_id, bool) or not isinstance(region_id, int)
                                  or session.get(Region, region_id) is None):
        raise InvalidRoutingInput("routing.err.region", "region_id")
    if industry is not None and not isinstance(industry, str):
        raise InvalidRoutingInput("routing.err.industry", "industry")
    industry = (industry or "").strip()
    if len(industry) > INDUSTRY_MAX:
        raise InvalidRoutingInput("routing.err.too_long", "industry", n=INDUSTRY_MAX)
    size = size or ""
    if size and size not in SIZES:
        raise InvalidRoutingInput("routing.err.size", "size")
    if isinstance(team_id, bool) or not isinstance(team_id, int) or session.get(Team, team_id) is None:
        raise InvalidRoutingInput("routing.err.team", "team_id")
    return dict(region_id=region_id, industry=industry, size=size, team_id=team_id)


def _same_criteria(session: Session, clean: dict, except_id: int | None) -> RoutingRule | None:
    stmt = select(RoutingRule).where(
        RoutingRule.region_id.is_(None) if clean["region_id"] is None else RoutingRule.region_id == clean["region_id"],
        RoutingRule.industry == clean["industry"], RoutingRule.size == clean["size"])
    if except_id is not None:
        stmt = stmt.where(RoutingRule.id != except_id)
    return session.scalars(stmt.order_by(RoutingRule.position)).first()


def _positions(session: Session) -> list[RoutingRule]:
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)))


def _renumber(ordered: list[RoutingRule]) -> None:
    for i, rule in enumerate(ordered, start=1):
        if rule.position != i:
            rule.position = i


@guarded("routing_rule.add")
def add_rule(session: Session, scope: Scope, *, region_id: Any = None, industry: Any = "", size: Any = "",
             team_id: Any, now: datetime) -> int:
    """A new active rule at the end of the list; refused when a rule with the same criteria exists
    (the later one could never match). Returns its id."""
    clean = _clean_rule(session, region_id, industry, size, team_id)
    twin = _same_criteria(session, clean, None)
    if twin is not None:
        raise InvalidRoutingInput("routing.err.duplicate", "industry", position=twin.position)
    last = session.scalar(select(func.max(RoutingRule.position))) or 0
    rule = RoutingRule(position=last + 1, active=True, created_at=now, updated_at=now,
                       updated_by=scope.user_id or None, **clean)
    session.add(rule)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="routing_rule",
                         entity_id=str(rule.id), detail=clean | {"position": rule.position}))
    return rule.id


def _rule(session: Session, rule_id: Any) -> RoutingRule:
    rule = session.get(RoutingRule, rule_id) if isinstance(rule_id, int) and not isinstance(rule_id, bool) else None
    if rule is None:
        raise InvalidRoutingInput("routing.err.no_rule", "rule_id")
    return rule


@guarded("routing_rule.update")
def update_rule(session: Session, scope: Scope, rule_id: Any, expected_version: int, *, region_id: Any = None,
                industry: Any = "", size: Any = "", team_id: Any, active: bool, now: datetime) -> int:
    """Save an edit made on ``expected_version``; RoutingConflict when someone saved in between.
    Returns the new version."""
    rule = _rule(session, rule_id)
    clean = _clean_rule(session, region_id, industry, size, team_id)
    if not isinstance(active, bool):
        raise InvalidRoutingInput("routing.err.active", "active")
    if rule.version != expected_version:
        raise RoutingConflict("routing.err.conflict", None)
    twin = _same_criteria(session, clean, rule.id)
    if twin is not None:
        raise InvalidRoutingInput("routing.err.duplicate", "industry", position=twin.position)
    changed = {k: v for k, v in (clean | {"active": active}).items() if getattr(rule, k) != v}
    if not changed:
        return rule.version
    for key, value in changed.items():
        setattr(rule, key, value)
    rule.updated_at, rule.updated_by = now, scope.user_id or None
    try:
        session.flush()
    except StaleDataError:
        raise RoutingConflict("routing.err.conflict", None) from None
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="update", entity="routing_rule",
                         entity_id=str(rule.id), detail=changed))
    return rule.version


@guarded("routing_rule.delete")
def delete_rule(session: Session, scope: Scope, rule_id: Any, now: datetime) -> None:
    """Delete a rule; the others close ranks (1, 2, …)."""
    rule = _rule(session, rule_id)
    detail = {"region_id": rule.region_id, "industry": rule.industry, "size": rule.size, "team_id": rule.team_id,
              "position": rule.position}
    session.delete(rule)
    session.flush()
    _renumber(_positions(session))
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="delete", entity="routing_rule",
                         entity_id=str(rule_id), detail=detail))


@guarded("routing_rule.move")
def move_rule(session: Session, scope: Scope, rule_id: Any, step: int, now: datetime) -> None:
    """Move a rule ``step`` places up (negative) or down (positive) in the order; clamped at the ends."""
    rule = _rule(session, rule_id)
    if isinstance(step, bool) or not isinstance(step, int):
        raise InvalidRoutingInput("routing.err.step", "step")
    ordered = _positions(session)
    old = ordered.index(rule)
    new = max(0, min(len(ordered) - 1, old + step))
    if new == old:
        return
    ordered.insert(new, ordered.pop(old))
    _renumber(ordered)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="reorder", entity="routing_rule",
                         entity_id=str(rule.id), detail={"from": old + 1, "to": new + 1}))


@guarded("routing.set_fallback_team")
def set_fallback_team(session: Session, scope: Scope, team_id: Any, now: datetime) -> None:
    """The team a lead goes to when no rule matches (None or 0: no team, the company pool)."""
    if team_id in (None, 0):
        team_id = 0
    elif isinstance(team_id, bool) or not isinstance(team_id, int) or session.get(Team, team_id) is None:
        raise InvalidRoutingInput("routing.err.team", "fallback_team")
    rules.save_settings(session, scope, {"routing_fallback_team": team_id}, now)


# ---- assignment history (scoped reads) ----------------------------------------------------------

def _history_columns():
    frm, to, by = aliased(User), aliased(User), aliased(User)
    cols = (LeadAssignment.at, LeadAssignment.lead_id, Lead.company, LeadAssignment.reason,
            frm.display_name.label("from_rep"), to.display_name.label("to_rep"), Team.name.label("team"),
            by.display_name.label("by"))

    def joins(stmt):
        return (stmt.join(Lead, Lead.id == LeadAssignment.lead_id)
                .outerjoin(frm, frm.id == LeadAssignment.from_user_id).outerjoin(to, to.id == LeadAssignment.to_user_id)
                .outerjoin(by, by.id == LeadAssignment.by_user_id).outerjoin(Team, Team.id == LeadAssignment.team_id))
    return cols, joins


@scoped_read
def lead_history(scope: Scope, session: Session, lead_id: int) -> pd.DataFrame:
    """Every assignment of one lead the caller may see (a rep: their own lead), oldest first: at,
    lead_id, company, reason (routed, pooled, reassigned, manual, returned, claimed), from_rep, to_rep,
    team, by. Empty for a lead that is not there or not the caller's to see."""
    visible = scope.apply(select(Lead.id).where(Lead.id == lead_id), Lead.owner_id, Lead.team_id)
    cols, joins = _history_columns()
    stmt = joins(select(*cols)).where(LeadAssignment.lead_id.in_(visible))
    return pd.read_sql(stmt.order_by(LeadAssignment.at, LeadAssignment.id), session.connection())


@scoped_read
def assignment_log(scope: Scope, session: Session, start: datetime, end: datetime, reasons: tuple[str, ...] = (),
                   team_id: int | None = None, limit: int = 1000) -> pd.DataFrame:
    """Assignments in [start, end) of the teams in scope (directors and admins: also those without a
    team), newest first — the routing, reassignment, return and claim history for team leads and
    directors: at, lead_id, company, reason, from_rep, to_rep, team, by. ``reasons``: only these.
    For those who may reassign leads (access "lead.reassign")."""
    access.require(scope, "lead.reassign")
    cols, joins = _history_columns()
    stmt = joins(select(*cols)).where(LeadAssignment.at >= start, LeadAssignment.at < end)
    stmt = scope.apply(stmt, LeadAssignment.to_user_id, LeadAssignment.team_id)
    if reasons:
        stmt = stmt.where(LeadAssignment.reason.in_(list(reasons)))
    if team_id is not None:
        stmt = stmt.where(LeadAssignment.team_id == team_id)
    stmt = stmt.order_by(LeadAssignment.at.desc(), LeadAssignment.id.desc()).limit(max(1, min(int(limit), 5000)))
    return pd.read_sql(stmt, session.connection())


@scoped_read
def recent_assignments(scope: Scope, session: Session, now: datetime, reasons: tuple[str, ...] = (),
                       team_id: int | None = None, limit: int = 1000) -> pd.DataFrame:
    """``assignment_log`` of the last ``assignment_log_days`` days (a setting) up to the end of
    ``now``'s minute, newest first; the window's days in ``df.attrs["days"]``."""
    days = int(rules.get(session, "assignment_log_days"))
    df = assignment_log(scope, session, now - timedelta(days=days), now + timedelta(minutes=1), reasons=reasons,
                        team_id=team_id, limit=limit)
    df.attrs["days"] = days
    return df

