"""The targets part of the demo (SPEC §8): the demo year's accepted plan, one team behind it.

- Version 1 of the year's plan (accepted by the director on 2 January): every active rep has a
  signed-amount target for each month of the year. A month that already has a target (this month and
  the last, from data/demo_people.py) keeps it, so the scorecard reads what it read before; the other
  months are about what the rep signed that month (past; none before the demo's history begins) or
  their pace (future) × 0.9–1.1, in whole 10,000s.
- One team falls behind: the second team's targets are 1.7× what its reps sign, so its actuals stay
  well below its plan all year.
- The accepted plan's months are the reps' monthly targets (rows of ``targets`` added where none was).
- Three in four reps confirmed this month's target; the falling-behind team's reps mostly have not.
- After last month closed, a re-allocation of the rest of the year is proposed (core's own
  propose_reallocation), waiting for the director on the targets page.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.base import models as m
from core.base.scope import COMPANY
from core.people import targets as core_targets

BEHIND = 1.7


def _round(value: float) -> int:
    return int(max(10_000, round(value / 10_000) * 10_000))


def seed_targets(session: Session, now: datetime, seed: int) -> int:
    """The year's plan, its monthly targets, confirmations and a re-allocation proposal; returns the
    plan's rows."""
    rng = random.Random(seed)
    year = now.year
    months = [f"{year:04d}-{mon:02d}" for mon in range(1, 13)]
    this_month = f"{now:%Y-%m}"
    reps = session.execute(select(m.User.id, m.User.team_id, m.Team.region_id, m.Team.lead_user_id)
                           .join(m.Team, m.Team.id == m.User.team_id)
                           .where(m.User.role == "rep", m.User.active.is_(True)).order_by(m.User.id)).all()
    if not reps:
        return 0
    teams = sorted({r.team_id for r in reps})
    behind = teams[1] if len(teams) > 1 else teams[0]
    month_of = func.substr(func.cast(m.Contract.signed_at, m.String), 1, 7)
    signed = {(o, mo): float(a) for o, mo, a in session.execute(
        select(m.Contract.owner_id, month_of, func.sum(m.Contract.amount))
        .where(m.Contract.status != "cancelled", m.Contract.signed_at >= datetime(year, 1, 1))
        .group_by(m.Contract.owner_id, month_of))}
    pace = {o: float(a) / 6 for o, a in session.execute(
        select(m.Contract.owner_id, func.sum(m.Contract.amount))
        .where(m.Contract.status != "cancelled", m.Contract.signed_at >= now - timedelta(days=183))
        .group_by(m.Contract.owner_id))}
    existing = {(o, mo): a for o, mo, a in session.execute(
        select(m.Target.owner_id, m.Target.month, m.Target.signed_amount).where(m.Target.month.in_(months)))}
    director = session.scalar(select(m.User.id).where(m.User.role == "director").order_by(m.User.id))
    decided = datetime(year, 1, 2, 10, 0)
    version = m.TargetPlanVersion(period=f"{year}", number=1, kind="allocation", status="accepted",
                                  created_by=director, created_at=decided - timedelta(hours=2),
                                  decided_by=director, decided_at=decided)
    session.add(version)
    session.flush()
    rows, new_targets = [], []
    for rep in reps:
        factor = BEHIND if rep.team_id == behind else rng.uniform(0.9, 1.1)
        for month in months:
            if (rep.id, month) in existing and existing[(rep.id, month)] is not None:
                amount = int(round(float(existing[(rep.id, month)])))
            else:
                if month < this_month:  # what they signed that month (nothing before the demo's history)
                    amount = int(round(signed.get((rep.id, month), 0.0) * factor / 10_000) * 10_000)
                else:
                    amount = _round(pace.get(rep.id, 100_000.0) * factor)
            rows.append(dict(version_id=version.id, owner_id=rep.id, team_id=rep.team_id, region_id=rep.region_id,
                             month=month, amount=amount))
            if (rep.id, month) not in existing:
                new_targets.append(dict(month=month, owner_id=rep.id, team_id=rep.team_id, signed_amount=amount,
                                        collections=None, effective_visits=None, set_by=director, set_at=decided,
                                        version=1))
    session.execute(insert(m.TargetPlanRow), rows)
    if new_targets:
        session.execute(insert(m.Target), new_targets)
    session.add(m.AuditLog(at=decided, user_id=director, action="accept", entity="target_plan",
                           entity_id=str(version.id), detail={"period": f"{year}", "demo": True}))
    confirmations = []
    current = dict(session.execute(select(m.Target.owner_id, m.Target.signed_amount)
                                   .where(m.Target.month == this_month, m.Target.signed_amount.is_not(None))).all())
    for rep in reps:
        if rep.id not in current:
            continue
        if rng.random() < (0.3 if rep.team_id == behind else 0.75):
            confirmations.append(dict(month=this_month, owner_id=rep.id, team_id=rep.team_id,
                                      amount=current[rep.id], confirmed_at=now - timedelta(hours=rng.randint(2, 48))))
    if confirmations:
        session.execute(insert(m.TargetConfirmation), confirmations)
    closed = core_targets.closed_months(f"{year}", now)
    if closed:
        core_targets.propose_reallocation(session, COMPANY, f"{year}", closed[0], now)
    return len(rows)
