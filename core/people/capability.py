"""The capability radar (SPEC §8): a rep's 1–5 scores in the four dimensions against the team average,
their history, the dimension to work on, and a lead's assessment.

Scores belong to the rep (``owner_id``) and their team: a rep sees their own, a lead their teams',
director and admin every team (the capability page, core.base.access.PAGES). A rep sees the team's
average next to their own radar only when at least ``capability_team_min_reps`` reps of the team
are assessed: in a smaller team one teammate's scores could be worked out from the average.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, aliased

from core.base import access, rules
from core.base.access import guarded
from core.base.models import AuditLog, CapabilityScore, User
from core.base.scope import Scope, scoped_read
from core.base.vocabulary import DIMENSIONS
from core.people import people
from core.people.people import InvalidPeopleInput

NOTE_MAX = 300
PAGE = "capability"


# ---- reads -------------------------------------------------------------------------------------------

def _latest_scores(owner_filter) -> Any:
    """Subquery: the newest score of each (rep, dimension) matching ``owner_filter``."""
    ranked = (select(CapabilityScore.owner_id, CapabilityScore.dimension, CapabilityScore.score,
                     CapabilityScore.assessed_at,
                     func.row_number().over(partition_by=(CapabilityScore.owner_id, CapabilityScore.dimension),
                                            order_by=(CapabilityScore.assessed_at.desc(),
                                                      CapabilityScore.id.desc())).label("rn"))
              .where(owner_filter).subquery())
    return select(ranked.c.owner_id, ranked.c.dimension, ranked.c.score, ranked.c.assessed_at).where(
        ranked.c.rn == 1).subquery()


@scoped_read
def capability_radar(scope: Scope, session: Session, rep_id: int) -> pd.DataFrame:
    """One row per dimension (in DIMENSIONS order): the rep's newest score (1–5, NaN when never
    assessed), when it was given, and the team average of the newest scores of the team's active
    reps (NaN when nobody is assessed, or for a rep's own view of a too small team)."""
    access.require_page(scope, PAGE)
    rep = people.visible_rep(scope, session, rep_id)
    own = _latest_scores(CapabilityScore.owner_id == rep.id)
    mine = {r.dimension: (r.score, r.assessed_at) for r in session.execute(select(own))}

    team_reps = select(User.id).where(User.team_id == rep.team_id, User.role == "rep", User.active.is_(True))
    latest = _latest_scores(CapabilityScore.owner_id.in_(team_reps))
    team = {r.dimension: float(r.avg) for r in session.execute(
        select(latest.c.dimension, func.avg(latest.c.score).label("avg")).group_by(latest.c.dimension))}
    assessed = session.scalar(select(func.count(distinct(latest.c.owner_id)))) or 0
    if rep.team_id is None or (scope.own_only and assessed < rules.get(session, "capability_team_min_reps")):
        team = {}
    return pd.DataFrame({
        "dimension": list(DIMENSIONS),
        "score": [float(mine[d][0]) if d in mine else float("nan") for d in DIMENSIONS],
        "assessed_at": pd.to_datetime([mine[d][1] if d in mine else None for d in DIMENSIONS]),
        "team_average": [team.get(d, float("nan")) for d in DIMENSIONS],
        "owner_id": [rep.id] * len(DIMENSIONS),
    })


@scoped_read
def capability_history(scope: Scope, session: Session, rep_id: int) -> pd.DataFrame:
    """Every score the rep was given, oldest first: assessed_at, dimension, score, by (name), note."""
    access.require_page(scope, PAGE)
    rep = people.visible_rep(scope, session, rep_id)
    lead = aliased(User)
    stmt = (select(CapabilityScore.assessed_at, CapabilityScore.dimension, CapabilityScore.score,
                   lead.display_name.label("assessed_by"), CapabilityScore.note, CapabilityScore.owner_id)
            .join(lead, lead.id == CapabilityScore.assessed_by)
            .where(CapabilityScore.owner_id == rep.id)
            .order_by(CapabilityScore.assessed_at, CapabilityScore.id))
    return pd.read_sql(scope.apply(stmt, CapabilityScore.owner_id, CapabilityScore.team_id), session.connection())


def weakest_dimension(radar: pd.DataFrame) -> str | None:
    """The dimension to work on: the lowest score; on a tie the one furthest below the team
    average, then the first in DIMENSIONS order. None when nothing is scored."""
    scored = radar.dropna(subset=["score"])
    if scored.empty:
        return None
    gap = (scored["score"] - scored["team_average"]).fillna(0.0)
    order = scored["dimension"].map(DIMENSIONS.index)
    ranked = scored.assign(_gap=gap, _order=order).sort_values(["score", "_gap", "_order"])
    return str(ranked["dimension"].iloc[0])


# ---- writes ------------------------------------------------------------------------------------------

@guarded("capability.assess")
def assess_capability(session: Session, scope: Scope, *, rep_id: int, scores: dict[str, Any], now: datetime,
                      note: str = "") -> list[int]:
    """A lead scores one of their reps 1–5 in one or more dimensions; returns the new rows' ids."""
    rep = people.own_rep(scope, session, rep_id)
    if not isinstance(scores, dict) or not scores:
        raise InvalidPeopleInput("people.err.no_scores", "scores")
    clean = {people.dimension(d, "scores"): people.score(v, d) for d, v in scores.items()}
    note = people.text(note, "note", NOTE_MAX, required=False)
    rows = [CapabilityScore(owner_id=rep.id, team_id=rep.team_id, dimension=d, score=s, assessed_by=scope.user_id,
                            assessed_at=now, note=note) for d, s in clean.items()]
    session.add_all(rows)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id, action="assess", entity="capability_score",
                         entity_id=str(rep.id), detail={"rep_id": rep.id, "scores": clean}))
    return [r.id for r in rows]
