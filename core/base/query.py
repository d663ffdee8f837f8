"""The query helpers every capability shares: the period and organisation filters of a page, the
narrowing of a query by the caller's scope and those filters, the decided / on-time parts of a key
step instance, counts of them, percentiles computed in SQL, and the "who holds most of the misses"
explanation behind a light or a drop.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from core.base.models import StepInstance, Team
from core.base.scope import Scope

QUANTILES = (0.5, 0.9)


@dataclass(frozen=True)
class Filters:
    """What a page or the CLI narrows a view to: [start, end] days inclusive, region, team."""
    start: date
    end: date
    region_id: int | None = None
    team_id: int | None = None

    @classmethod
    def last_days(cls, today: date, days: int, region_id: int | None = None, team_id: int | None = None):
        return cls(today - timedelta(days=days - 1), today, region_id, team_id)

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time())

    @property
    def end_dt(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time())


def narrow(stmt, scope: Scope, owner_col, team_col, *, team_id: int | None = None, region_id: int | None = None):
    """Apply the caller's scope, then a team or region chosen on the page (which can only narrow it)."""
    stmt = scope.apply(stmt, owner_col, team_col)
    if team_id is not None:
        stmt = stmt.where(team_col == team_id)
    if region_id is not None:
        stmt = stmt.where(team_col.in_(select(Team.id).where(Team.region_id == region_id)))
    return stmt


def narrow_to(stmt, scope: Scope, filters: Filters, owner_col, team_col):
    """``narrow`` by the team and region of ``filters``."""
    return narrow(stmt, scope, owner_col, team_col, team_id=filters.team_id, region_id=filters.region_id)


def step_parts(now: datetime):
    """(decided, on_time) boolean expressions for a key step instance at ``now``."""
    done = StepInstance.completed_at.is_not(None)
    decided = or_(done, StepInstance.due_at < now)  # completing at due_at is still on time
    on_time = and_(done, StepInstance.completed_at <= StepInstance.due_at)
    return decided, on_time


def count_cols(decided, on_time):
    """SUM columns "decided" and "on_time" (0, not NULL, over no rows)."""
    return (
        func.coalesce(func.sum(case((decided, 1), else_=0)), 0).label("decided"),
        func.coalesce(func.sum(case((on_time, 1), else_=0)), 0).label("on_time"),
    )


def percentiles(session: Session, stays, qs=QUANTILES) -> dict[str, tuple[int, dict[float, float]]]:
    """{group: (n, {q: value})} over a subquery with columns ``grp`` and ``days``.

    Linear interpolation between the closest ranks (percentile_cont), portably: window functions
    pick the few rows around each position, and only those leave the database.
    """
    d = select(stays.c.grp, stays.c.days,
               func.row_number().over(partition_by=stays.c.grp, order_by=stays.c.days).label("rn"),
               func.count().over(partition_by=stays.c.grp).label("n")).subquery()
    near = [and_(d.c.rn >= literal(q) * (d.c.n - 1), d.c.rn <= literal(q) * (d.c.n - 1) + 2) for q in qs]
    rows = session.execute(select(d.c.grp, d.c.rn, d.c.n, d.c.days).where(or_(*near))).all()
    values: dict[str, dict[int, float]] = {}
    sizes: dict[str, int] = {}
    for r in rows:
        values.setdefault(r.grp, {})[int(r.rn)] = float(r.days)
        sizes[r.grp] = int(r.n)
    out = {}
    for grp, vals in values.items():
        n = sizes[grp]
        got = {}
        for q in qs:
            pos = round(1 + q * (n - 1), 9)
            lo, hi = math.floor(pos), math.ceil(pos)
            got[q] = vals[lo] + (pos - lo) * (vals[hi] - vals[lo])
        out[grp] = (n, got)
    return out


def holders(groups: list[tuple[str, float]], share: float = 0.5, max_groups: int = 3) -> tuple[tuple[str, ...], float]:
    """The fewest groups (at most ``max_groups``) that together hold at least ``share`` of the misses.

    ``groups`` are (name, misses). Returns (names, their share 0–1); ((), 0.0) when nothing missed.
    """
    total = sum(m for _, m in groups)
    if total <= 0:
        return (), 0.0
    picked, held = [], 0
    for name, misses in sorted(groups, key=lambda g: (-g[1], g[0])):
        if misses <= 0 or len(picked) >= max_groups:
            break
        picked.append(name)
        held += misses
        if held >= share * total:
            break
    return tuple(picked), held / total
