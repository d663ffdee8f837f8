"""The organisation as the caller may see it: regions → teams → reps."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import AuditLog, Region, Team, User
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


# ---- company set-up (SPEC §10): regions and teams ----------------------------------------------

NAME_MAX = 80


class InvalidOrgInput(UserError):
    """A region or team form value is not acceptable; ``field`` names the form field."""


def _name(name: str | None, field: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidOrgInput("err.required", field)
    if len(name) > NAME_MAX:
        raise InvalidOrgInput("company.err.name_long", field, n=NAME_MAX)
    return name


@guarded("region.create")
def create_region(session: Session, scope: Scope, name: str, now: datetime) -> int:
    """A new region (its name unique, case-insensitively); returns its id."""
    name = _name(name, "name")
    if session.scalar(select(func.count()).where(func.lower(Region.name) == name.lower())):
        raise InvalidOrgInput("company.err.region_taken", "name", name=name)
    region = Region(name=name)
    session.add(region)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="region",
                         entity_id=str(region.id), detail={"after": {"name": name}}))
    return region.id


@guarded("team.create")
def create_team(session: Session, scope: Scope, name: str, region_id: int | None, now: datetime,
                lead_user_id: int | None = None) -> int:
    """A new team in a region, optionally with its lead (a user of role lead); returns its id."""
    name = _name(name, "name")
    if region_id is None or session.get(Region, region_id) is None:
        raise InvalidOrgInput("company.err.region_needed", "region_id")
    if session.scalar(select(func.count()).where(func.lower(Team.name) == name.lower())):
        raise InvalidOrgInput("company.err.team_taken", "name", name=name)
    if lead_user_id is not None:
        lead = session.get(User, lead_user_id)
        if lead is None or lead.role != "lead" or not lead.active:
            raise InvalidOrgInput("company.err.lead_role", "lead_user_id")
    team = Team(name=name, region_id=region_id, lead_user_id=lead_user_id, auto_reassign=False)
    session.add(team)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="team",
                         entity_id=str(team.id), detail={"after": {"name": name, "region_id": region_id,
                                                                   "lead_user_id": lead_user_id}}))
    return team.id


@guarded("team.set_lead")
def set_team_lead(session: Session, scope: Scope, team_id: int, lead_user_id: int | None, now: datetime) -> None:
    """Name (or clear) the lead of a team; the lead joins the team."""
    team = session.get(Team, team_id)
    if team is None:
        raise InvalidOrgInput("err.no_team", "team_id")
    if lead_user_id is not None:
        lead = session.get(User, lead_user_id)
        if lead is None or lead.role != "lead" or not lead.active:
            raise InvalidOrgInput("company.err.lead_role", "lead_user_id")
        lead.team_id = team_id
    before = team.lead_user_id
    team.lead_user_id = lead_user_id
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="update", entity="team",
                         entity_id=str(team.id), detail={"before": {"lead_user_id": before},
                                                         "after": {"lead_user_id": lead_user_id}}))


@scoped_read
def all_regions(scope: Scope, session: Session) -> pd.DataFrame:
    """Every region, with or without teams (admins set up teams in them): id, name. Others see the
    regions of their teams only."""
    if scope.team_ids is not None:
        return regions(scope, session)
    return pd.read_sql(select(Region.id.label("id"), Region.name.label("name")).order_by(Region.name),
                       session.connection())
