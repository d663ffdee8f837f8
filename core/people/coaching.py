"""Coaching records (SPEC §8): a lead's coaching of a rep, whose next points become the rep's to-do;
the rep's rating of it; each team's coverage.

Records belong to the rep (``owner_id``) and their team: a rep sees their own, a lead their teams',
director and admin every team (the coaching page, core.base.access.PAGES). The reps' ratings of
their coaching are for the director (and admin) and the rep who gave them, never for the lead who
coached (``coaching.see_ratings``), so that reps can rate honestly.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import distinct, func, literal, select
from sqlalchemy.orm import Session, aliased

from core.base import access, rules
from core.base.access import guarded
from core.base.models import AuditLog, CoachingRecord, Team, Todo, User
from core.base.scope import Scope, ScopeError, scoped_read
from core.people import people
from core.people.people import InvalidPeopleInput

SUMMARY_MAX = 500
NEXT_POINTS_MAX = 500
MAX_BACKDATE_DAYS = 31   # a coaching session is recorded within a month
MAX_DUE_DAYS = 365       # the to-do's due date lies within a year
PAGE = "coaching"


# ---- reads -------------------------------------------------------------------------------------------

@scoped_read
def coaching_records(scope: Scope, session: Session, rep_id: int | None = None, limit: int = 500) -> pd.DataFrame:
    """Coaching records in scope, newest first: id, coached_on, rep, lead, team, dimension,
    scenario_practiced, summary, next_points, rep_rating and rated_at (empty for a lead: ratings
    are for the director), owner_id."""
    access.require_page(scope, PAGE)
    rep, lead = aliased(User), aliased(User)
    hide = not access.may(scope.role, "coaching.see_ratings")
    stmt = (select(CoachingRecord.id, CoachingRecord.coached_on, rep.display_name.label("rep"),
                   lead.display_name.label("lead"), Team.name.label("team"), CoachingRecord.dimension,
                   CoachingRecord.scenario_practiced, CoachingRecord.summary, CoachingRecord.next_points,
                   (literal(None) if hide else CoachingRecord.rep_rating).label("rep_rating"),
                   (literal(None) if hide else CoachingRecord.rated_at).label("rated_at"),
                   CoachingRecord.owner_id)
            .join(rep, rep.id == CoachingRecord.owner_id)
            .join(lead, lead.id == CoachingRecord.lead_id)
            .outerjoin(Team, Team.id == CoachingRecord.team_id)
            .order_by(CoachingRecord.coached_on.desc(), CoachingRecord.id.desc()))
    stmt = scope.apply(stmt, CoachingRecord.owner_id, CoachingRecord.team_id)
    if rep_id is not None:
        stmt = stmt.where(CoachingRecord.owner_id == rep_id)
    df = pd.read_sql(stmt.limit(max(1, min(int(limit), 5000))), session.connection())
    df["coached_on"] = pd.to_datetime(df["coached_on"]).dt.date
    df["rep_rating"] = pd.to_numeric(df["rep_rating"]).astype("Float64")
    df["rated_at"] = pd.to_datetime(df["rated_at"])
    df["scenario_practiced"] = df["scenario_practiced"].astype(bool)
    return df


@scoped_read
def coaching_coverage(scope: Scope, session: Session, today: date) -> pd.DataFrame:
    """Per team in scope: team, lead, active reps, reps coached in the coverage window (the last
    ``coaching_coverage_days`` days up to ``today``), coverage (share 0–1, NaN without reps), and —
    for the director and admin — the number and mean (1–5) of the reps' ratings of the team lead's
    coaching in the last ``coaching_rating_days`` days. Leads see their teams' coverage only."""
    access.require_page(scope, PAGE)
    if scope.own_only:
        raise ScopeError("coaching coverage is for leads, directors and admins")
    settings = rules.all_settings(session)
    since = today - timedelta(days=settings["coaching_coverage_days"] - 1)
    rated_since = today - timedelta(days=settings["coaching_rating_days"] - 1)
    lead = aliased(User)
    teams = select(Team.id.label("team_id"), Team.name.label("team"), lead.display_name.label("lead"),
                   Team.lead_user_id).outerjoin(lead, lead.id == Team.lead_user_id).order_by(Team.name)
    if scope.team_ids is not None:
        teams = teams.where(Team.id.in_(sorted(scope.team_ids)))
    df = pd.read_sql(teams, session.connection())

    active_rep = (User.role == "rep") & User.active.is_(True)
    reps = dict(session.execute(select(User.team_id, func.count()).where(active_rep).group_by(User.team_id)).all())
    coached = dict(session.execute(
        select(User.team_id, func.count(distinct(CoachingRecord.owner_id)))
        .join(User, (User.id == CoachingRecord.owner_id) & (User.team_id == CoachingRecord.team_id))
        .where(active_rep, CoachingRecord.coached_on >= since, CoachingRecord.coached_on <= today)
        .group_by(User.team_id)).all())
    ratings = {r.team_id: (r.n, r.mean) for r in session.execute(
        select(CoachingRecord.team_id, func.count(CoachingRecord.rep_rating).label("n"),
               func.avg(CoachingRecord.rep_rating).label("mean"))
        .join(Team, (Team.id == CoachingRecord.team_id) & (Team.lead_user_id == CoachingRecord.lead_id))
        .where(CoachingRecord.coached_on >= rated_since, CoachingRecord.coached_on <= today,
               CoachingRecord.rep_rating.is_not(None))
        .group_by(CoachingRecord.team_id))}

    df["reps"] = df["team_id"].map(lambda t: int(reps.get(t, 0))).astype("int64")
    df["coached"] = df["team_id"].map(lambda t: int(coached.get(t, 0))).astype("int64")
    df["coverage"] = (df["coached"] / df["reps"]).where(df["reps"] > 0).astype("float64")
    show = access.may(scope.role, "coaching.see_ratings")
    df["ratings"] = df["team_id"].map(lambda t: int(ratings[t][0]) if show and t in ratings else 0).astype("int64")
    df["mean_rating"] = df["team_id"].map(
        lambda t: float(ratings[t][1]) if show and t in ratings else float("nan")).astype("float64")
    return df.drop(columns=["lead_user_id"])


def default_due(coached_on: date, today: date, todo_days: int) -> date:
    """The next points' due date when the lead gives none: ``todo_days`` after the coaching, never
    before today."""
    return max(today, coached_on + timedelta(days=todo_days))


def earliest_day(today: date) -> date:
    """The earliest day a coaching can be recorded for."""
    return today - timedelta(days=MAX_BACKDATE_DAYS)


# ---- writes ------------------------------------------------------------------------------------------

@guarded("coaching.record")
def record_coaching(session: Session, scope: Scope, *, rep_id: int, dimension: str, scenario_practiced: bool,
                    summary: str, next_points: str, now: datetime, coached_on: date | None = None,
                    due_on: date | None = None) -> int:
    """A lead's coaching of one of their reps (five required fields: rep, dimension, scenario
    practiced, summary, next points; the date defaults to today). The next points become a to-do
    for the rep, due on ``due_on`` (default: ``coaching_todo_days`` after the coaching). Returns
    the record's id."""
    rep = people.own_rep(scope, session, rep_id)
    dimension = people.dimension(dimension)
    if not isinstance(scenario_practiced, bool):
        raise InvalidPeopleInput("people.err.yes_no", "scenario_practiced")
    summary = people.text(summary, "summary", SUMMARY_MAX)
    next_points = people.text(next_points, "next_points", NEXT_POINTS_MAX)
    today = now.date()
    coached_on = today if coached_on is None else people.day(coached_on, "coached_on")
    if coached_on > today:
        raise InvalidPeopleInput("people.err.date_future", "coached_on")
    if coached_on < earliest_day(today):
        raise InvalidPeopleInput("people.err.date_old", "coached_on", n=MAX_BACKDATE_DAYS)
    due_on = (default_due(coached_on, today, rules.get(session, "coaching_todo_days")) if due_on is None
              else people.day(due_on, "due_on"))
    if due_on < today or due_on > today + timedelta(days=MAX_DUE_DAYS):
        raise InvalidPeopleInput("people.err.due", "due_on", n=MAX_DUE_DAYS)

    record = CoachingRecord(lead_id=scope.user_id, owner_id=rep.id, team_id=rep.team_id, coached_on=coached_on,
                            dimension=dimension, scenario_practiced=scenario_practiced, summary=summary,
                            next_points=next_points, created_at=now)
    session.add(record)
    session.flush()
    todo = Todo(owner_id=rep.id, team_id=rep.team_id, title=next_points[:200], kind="coaching",
                ref_type="coaching", ref_id=record.id, due_at=datetime.combine(due_on, time(18, 0)), created_at=now)
    session.add(todo)
    session.flush()
    record.todo_id = todo.id
    session.add(AuditLog(at=now, user_id=scope.user_id, action="create", entity="coaching_record",
                         entity_id=str(record.id),
                         detail={"rep_id": rep.id, "dimension": dimension, "coached_on": coached_on.isoformat(),
                                 "todo_id": todo.id}))
    return record.id


@guarded("coaching.rate")
def rate_coaching(session: Session, scope: Scope, record_id: int, rating: int, now: datetime) -> None:
    """The coached rep rates the coaching 1–5 (again, to change it); only their own records."""
    rating = people.score(rating, "rep_rating")
    record = session.get(CoachingRecord, record_id) if isinstance(record_id, int) else None
    if record is None or record.owner_id != scope.user_id:
        raise InvalidPeopleInput("people.err.no_record", "record_id")
    old = record.rep_rating
    record.rep_rating, record.rated_at = rating, now
    session.add(AuditLog(at=now, user_id=scope.user_id, action="rate", entity="coaching_record",
                         entity_id=str(record.id), detail={"rating": rating, "old": old}))
