"""The organisation as the caller may see it: regions → teams → reps."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.models import Region, Team, User
from core.base.scope import Scope, scoped_read


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
