"""The organisation as the caller may see it: regions → teams → reps."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.models import Region, Team, User
from core.base.scope import Scope, scoped_read
from core.base.vocabulary import REP


@scoped_read
def teams(scope: Scope, session: Session) -> pd.DataFrame:
    """Teams in scope: id, name, region_id, region, lead (a rep sees only their own team)."""
    lead = select(User.display_name).where(User.id == Team.lead_user_id).scalar_subquery()
    stmt = (select(Team.id.label("id"), Team.name.label("name"), Team.region_id.label("region_id"),
                   Region.name.label("region"), lead.label("lead"))
            .join(Region, Region.id == Team.region_id).order_by(Region.name, Team.name))
    if scope.team_ids is not None:
        stmt = stmt.where(Team.id.in_(sorted(scope.team_ids)) if scope.team_ids else Team.id.is_(None))
    return pd.read_sql(stmt, session.connection())


@scoped_read
def regions(scope: Scope, session: Session) -> pd.DataFrame:
    """Regions that hold at least one team in scope: id, name."""
    t = teams(scope, session)
    return (t[["region_id", "region"]].drop_duplicates().rename(columns={"region_id": "id", "region": "name"})
            .reset_index(drop=True))


@scoped_read
def active_reps(scope: Scope, session: Session) -> pd.DataFrame:
    """The active reps the caller may see — whom a lead goes to, whom a lead coaches or scores: id,
    display_name, team_id, team, owner_id (= id); by team name (reps of no team last), then name.
    A rep sees only themself."""
    stmt = (select(User.id.label("id"), User.display_name, User.team_id, Team.name.label("team"),
                   User.id.label("owner_id"))
            .outerjoin(Team, Team.id == User.team_id)
            .where(User.role == REP, User.active.is_(True))
            .order_by(Team.name.is_(None), Team.name, User.display_name, User.username, User.id))
    df = pd.read_sql(scope.apply(stmt, User.id, User.team_id), session.connection())
    df["team_id"] = pd.to_numeric(df["team_id"]).astype("Int64")
    return df
