"""The weekly bottleneck heatmap (for the director): where deals and key steps stall most, team by
team — one column per funnel stage, then one per active key step.

For the week of [end − 6 days, end]:
- a stage cell counts the team's deals *in that stage at the week's end* (the end of its last day,
  or ``now`` if earlier), read from the stage history, and how many of them had been there longer
  than the stage's upper bound (``stage_max_days_*``): stalled / in stage;
- a step cell counts the team's instances of that step triggered in the week and decided at ``now``
  (the cockpit's rule), and how many were late or are missing: overdue / decided.
A cell's rate is the stalled (overdue) share in %, NaN when the cell has nothing to count. Every
team in the caller's view gets every column, so the grid is complete.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from core.base import rules
from core.base.query import step_parts
from core.funnel.stages import bounds, past_bound
from core.base.models import Opportunity, ProcessStep, StageHistory, StepInstance, Team
from core.base.vocabulary import STAGES
from core.base.scope import Scope, scoped_read

TOP = 5  # the worst cells the page names
COLUMNS = ["team_id", "team", "kind", "code", "name_en", "name_zh", "order", "stalled", "base", "rate"]


def week_of(end: date) -> tuple[datetime, datetime]:
    """[start, end) of the seven days ending with ``end``."""
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time())
    return stop - timedelta(days=7), stop


@scoped_read
def bottlenecks(scope: Scope, session: Session, week_end: date, now: datetime) -> pd.DataFrame:
    """One row per team in the view × column: team_id, team, kind ('stage' or 'step'), code, name_en,
    name_zh, order (the column's place), stalled (stalled deals / late or missing instances), base
    (deals in the stage / decided instances), rate (% or NaN)."""
    start, stop = week_of(week_end)
    at = min(stop, now)
    upper = {s: hi for s, (_, hi) in bounds(rules.all_settings(session)).items()}

    h, o = StageHistory, Opportunity
    in_stage = and_(h.stage.in_(STAGES), h.entered_at <= at, or_(h.left_at.is_(None), h.left_at > at))
    stalled = past_bound(h.stage, h.entered_at, at, upper)
    deals = (select(o.team_id.label("team_id"), h.stage.label("code"),
                    func.sum(case((stalled, 1), else_=0)).label("stalled"), func.count().label("base"))
             .select_from(h).join(o, o.id == h.opportunity_id).where(in_stage)
             .group_by(o.team_id, h.stage))
    got = {("stage", r.team_id, r.code): (int(r.stalled or 0), int(r.base))
           for r in session.execute(scope.apply(deals, o.owner_id, o.team_id))}

    decided, on_time = step_parts(now)
    si = StepInstance
    steps = (select(si.team_id.label("team_id"), ProcessStep.code.label("code"),
                    func.sum(case((and_(decided, ~on_time), 1), else_=0)).label("stalled"),
                    func.sum(case((decided, 1), else_=0)).label("base"))
             .select_from(si).join(ProcessStep, ProcessStep.id == si.step_id)
             .where(ProcessStep.active.is_(True), si.triggered_at >= start, si.triggered_at < stop)
             .group_by(si.team_id, ProcessStep.code))
    got |= {("step", r.team_id, r.code): (int(r.stalled or 0), int(r.base or 0))
            for r in session.execute(scope.apply(steps, si.owner_id, si.team_id))}

    columns = [("stage", s, None, None) for s in STAGES] + [
        ("step", r.code, r.name_en, r.name_zh) for r in session.execute(
            select(ProcessStep.code, ProcessStep.name_en, ProcessStep.name_zh)
            .where(ProcessStep.active.is_(True)).order_by(ProcessStep.id))]
    teams = select(Team.id, Team.name).order_by(Team.name)
    if scope.team_ids is not None:
        teams = teams.where(Team.id.in_(sorted(scope.team_ids)) if scope.team_ids else Team.id.is_(None))
    rows = []
    for team_id, team in session.execute(teams):
        for order, (kind, code, en, zh) in enumerate(columns):
            n, base = got.get((kind, team_id, code), (0, 0))
            rows.append((team_id, team, kind, code, en, zh, order, n, base, 100.0 * n / base if base else float("nan")))
    return pd.DataFrame(rows, columns=COLUMNS)


def worst(cells: pd.DataFrame, n: int = TOP) -> pd.DataFrame:
    """The ``n`` cells of ``bottlenecks`` with the most stalled deals or late instances (then the
    highest rate), leaving out those with none."""
    return cells[cells["stalled"] > 0].sort_values(["stalled", "rate"], ascending=False).head(n)
