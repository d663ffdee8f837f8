"""Monthly targets and customer satisfaction surveys (SPEC §8): what the scorecard measures against.

Targets: per month, one row per rep (``owner_id``) with a signed amount, collections and a number of
effective visits; a kind left empty has no target. A team may have its own row (``owner_id`` NULL);
without one its target is the sum of its reps'. Leads set the targets of their own teams' reps,
directors and admins anyone's. Every save is validated as a whole first (a bad value anywhere:
nothing is written), checked against the version the editor saw (someone else's save in between is
a conflict, nothing is written), and audited row by row.

Satisfaction: a lead (for their teams' customers) or an admin enters a customer's 1–5 score from a
return-visit survey; it counts for the customer's owner.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.base import access
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import AuditLog, Customer, SatisfactionScore, Target, Team, User
from core.base.vocabulary import TARGET_KINDS
from core.base.scope import Scope, scoped_read
from core.people.scorecard import parse_month

PAGE = "targets"
MAX_AMOUNT = 1e11          # Numeric(14, 2)
MAX_VISITS = 10_000
NOTE_MAX = 300
SURVEY_BACKDATE_DAYS = 366


class InvalidTarget(UserError):
    """A target value is not acceptable; ``field`` names the column, ``params['who']`` the row."""


class TargetConflict(UserError):
    """Someone saved this rep's target after the editor was opened: nothing was saved."""


class InvalidSurvey(UserError):
    """A satisfaction value is not acceptable; ``field`` names the form field."""


# ---- reads -------------------------------------------------------------------------------------------

def _num(v):
    return None if v is None else float(v)


@scoped_read
def month_targets(scope: Scope, session: Session, month: str) -> pd.DataFrame:
    """Every active rep in scope with their targets of ``month``: owner_id, rep, team_id, team,
    target_id, version (NaN: none set yet), signed_amount, collections, effective_visits (NaN: no
    target), set_at."""
    access.require_page(scope, PAGE)
    parse_month(month)
    stmt = (select(User.id.label("owner_id"), User.display_name.label("rep"), User.team_id, Team.name.label("team"),
                   Target.id.label("target_id"), Target.version, Target.signed_amount, Target.collections,
                   Target.effective_visits, Target.set_at)
            .join(Team, Team.id == User.team_id)
            .outerjoin(Target, (Target.owner_id == User.id) & (Target.team_id == User.team_id)
                       & (Target.month == month))
            .where(User.role == "rep", User.active.is_(True))
            .order_by(Team.name, User.display_name, User.id))
    df = pd.read_sql(scope.apply(stmt, User.id, User.team_id), session.connection())
    for col in ("target_id", "version", "effective_visits"):
        df[col] = pd.to_numeric(df[col]).astype("Int64")
    for col in ("signed_amount", "collections"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["set_at"] = pd.to_datetime(df["set_at"])
    return df


@scoped_read
def team_targets(scope: Scope, session: Session, month: str) -> pd.DataFrame:
    """Per team in scope: team_id, team, source ('team': its own row; 'reps': the sum of its reps'
    rows; 'none'), signed_amount, collections, effective_visits. Not for reps: a team's sum would
    tell them their teammates' targets."""
    access.require_page(scope, PAGE)
    parse_month(month)
    teams = select(Team.id.label("team_id"), Team.name.label("team")).order_by(Team.name)
    if scope.team_ids is not None:
        teams = teams.where(Team.id.in_(sorted(scope.team_ids)))
    df = pd.read_sql(teams, session.connection())
    own = {r.team_id: r for r in session.execute(
        select(Target.team_id, Target.signed_amount, Target.collections, Target.effective_visits)
        .where(Target.month == month, Target.owner_id.is_(None)))}
    summed = {r.team_id: r for r in session.execute(
        select(Target.team_id, func.sum(Target.signed_amount).label("signed_amount"),
               func.sum(Target.collections).label("collections"),
               func.sum(Target.effective_visits).label("effective_visits"))
        .join(User, (User.id == Target.owner_id) & (User.team_id == Target.team_id))
        .where(Target.month == month, User.role == "rep", User.active.is_(True))
        .group_by(Target.team_id))}
    sources, values = [], {k: [] for k in TARGET_KINDS}
    for tid in df["team_id"]:
        row = own.get(tid) or summed.get(tid)
        sources.append("team" if tid in own else "reps" if tid in summed else "none")
        for k in TARGET_KINDS:
            values[k].append(_num(getattr(row, k)) if row is not None else None)
    df["source"] = sources
    for k in TARGET_KINDS:
        df[k] = pd.Series(values[k], dtype="float64")
    return df


# ---- writes: targets ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetRow:
    """One row to save: a rep's targets (``rep_id``) or a team's own (``team_id`` without rep).
    ``version`` is the version the editor showed (None: it showed no target yet)."""
    signed_amount: Any = None
    collections: Any = None
    effective_visits: Any = None
    rep_id: int | None = None
    team_id: int | None = None
    version: int | None = None


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _version(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def changed_rows(current: pd.DataFrame, edited: pd.DataFrame) -> list[TargetRow]:
    """The rows to save from the month's target table as the editor changed it: ``current`` is what
    month_targets gave, ``edited`` the same rows (same index) with the TARGET_KINDS columns as the
    person left them. A row is sent when a value changed (empty to a number, a number to empty, or
    another number), with the version the editor showed; unchanged rows are not sent."""
    rows = []
    for i, row in current.iterrows():
        new = [edited.at[i, k] for k in TARGET_KINDS]
        old = [row[k] for k in TARGET_KINDS]
        if any(not (_missing(a) and _missing(b)) and (_missing(a) or _missing(b) or float(a) != float(b))
               for a, b in zip(new, old)):
            rows.append(TargetRow(*[None if _missing(v) else v for v in new], rep_id=int(row["owner_id"]),
                                  version=_version(row["version"])))
    return rows


def rep_row(current: pd.DataFrame, rep_id: int, signed_amount: Any, collections: Any,
            effective_visits: Any) -> TargetRow:
    """One rep's targets to save, on the version of the month's table (``current``) the form showed."""
    row = current.loc[current["owner_id"] == rep_id].iloc[0]
    return TargetRow(signed_amount, collections, effective_visits, rep_id=int(rep_id), version=_version(row["version"]))


def _amount(value: Any, field: str, who: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        raise InvalidTarget("targets.err.number", field, who=who)
    try:
        number = float(value.replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise InvalidTarget("targets.err.number", field, who=who) from None
    if not math.isfinite(number):
        raise InvalidTarget("targets.err.number", field, who=who)
    if number < 0:
        raise InvalidTarget("targets.err.negative", field, who=who)
    if number >= MAX_AMOUNT:
        raise InvalidTarget("targets.err.too_big", field, who=who)
    return round(number, 2)


def _visits(value: Any, who: str) -> int | None:
    number = _amount(value, "effective_visits", who)
    if number is None:
        return None
    if not float(number).is_integer():
        raise InvalidTarget("targets.err.whole", "effective_visits", who=who)
    if number > MAX_VISITS:
        raise InvalidTarget("targets.err.too_big", "effective_visits", who=who)
    return int(number)


def _row_owner(scope: Scope, session: Session, row: TargetRow) -> tuple[int | None, int, str]:
    """(owner id, team id, name for messages) of a row the caller may set, or InvalidTarget."""
    if row.rep_id is not None:
        rep = session.get(User, row.rep_id) if isinstance(row.rep_id, int) and not isinstance(row.rep_id, bool) else None
        if rep is None or rep.role != "rep" or not rep.active or rep.team_id is None or not scope.may_see_team(rep.team_id):
            raise InvalidTarget("targets.err.rep", "rep_id", who=str(row.rep_id))
        return rep.id, rep.team_id, rep.display_name
    team = session.get(Team, row.team_id) if isinstance(row.team_id, int) and not isinstance(row.team_id, bool) else None
    if team is None or not scope.may_see_team(team.id):
        raise InvalidTarget("targets.err.team", "team_id", who=str(row.team_id))
    return None, team.id, team.name


@guarded("target.save")
def save_targets(session: Session, scope: Scope, month: str, rows: list[TargetRow], now: datetime) -> int:
    """Save the targets of ``month`` for the given rows (all or nothing); returns how many rows
    changed. Raises InvalidTarget (bad value, naming the row and column) or TargetConflict."""
    parse_month(month)
    clean = []
    seen: set[tuple[int | None, int]] = set()
    for row in rows:
        owner_id, team_id, who = _row_owner(scope, session, row)
        if (owner_id, team_id) in seen:
            raise InvalidTarget("targets.err.twice", "rep_id", who=who)
        seen.add((owner_id, team_id))
        values = {"signed_amount": _amount(row.signed_amount, "signed_amount", who),
                  "collections": _amount(row.collections, "collections", who),
                  "effective_visits": _visits(row.effective_visits, who)}
        clean.append((owner_id, team_id, who, row.version, values))
    changed = 0
    for owner_id, team_id, who, version, values in clean:
        owner = Target.owner_id.is_(None) if owner_id is None else Target.owner_id == owner_id
        target = session.scalar(select(Target).where(Target.month == month, Target.team_id == team_id, owner))
        current = None if target is None else target.version
        if current != version:
            raise TargetConflict("targets.err.conflict", "version", who=who)
        old = None if target is None else {k: _num(getattr(target, k)) for k in TARGET_KINDS}
        if old == {k: _num(v) for k, v in values.items()}:
            continue
        if target is None:
            if all(v is None for v in values.values()):
                continue
            target = Target(month=month, owner_id=owner_id, team_id=team_id, set_by=scope.user_id or None,
                            set_at=now, **values)
            session.add(target)
        else:
            for k, v in values.items():
                setattr(target, k, v)
            target.set_by, target.set_at = scope.user_id or None, now
        session.flush()
        session.add(AuditLog(at=now, user_id=scope.user_id or None, action="set", entity="target",
                             entity_id=str(target.id),
                             detail={"month": month, "owner_id": owner_id, "team_id": team_id, "old": old,
                                     "new": {k: _num(v) for k, v in values.items()}}))
        changed += 1
    return changed


# ---- writes: satisfaction ------------------------------------------------------------------------------

@guarded("satisfaction.record")
def record_satisfaction(session: Session, scope: Scope, *, customer_id: Any, score: Any, surveyed_on: Any,
                        note: Any = "", now: datetime) -> int:
    """A customer's 1–5 satisfaction from a return-visit survey (leads: their teams' customers;
    admins: any customer with an owner); counts for the customer's owner. Returns its id."""
    customer = (session.get(Customer, customer_id)
                if isinstance(customer_id, int) and not isinstance(customer_id, bool) else None)
    if customer is None or customer.owner_id is None or not scope.may_see_team(customer.team_id):
        raise InvalidSurvey("targets.err.customer", "customer_id")
    if isinstance(score, bool) or not isinstance(score, (int, float)) or float(score) not in (1, 2, 3, 4, 5):
        raise InvalidSurvey("people.err.score", "score")
    if isinstance(surveyed_on, datetime):
        surveyed_on = surveyed_on.date()
    if not isinstance(surveyed_on, date):
        raise InvalidSurvey("people.err.date", "surveyed_on")
    today = now.date()
    if surveyed_on > today:
        raise InvalidSurvey("targets.err.survey_future", "surveyed_on")
    if surveyed_on < today - timedelta(days=SURVEY_BACKDATE_DAYS):
        raise InvalidSurvey("targets.err.survey_old", "surveyed_on", n=SURVEY_BACKDATE_DAYS)
    if note is not None and not isinstance(note, str):
        raise InvalidSurvey("people.err.text", "note")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidSurvey("people.err.too_long", "note", n=NOTE_MAX)
    at = now if surveyed_on == today else datetime.combine(surveyed_on, time(12, 0))
    row = SatisfactionScore(customer_id=customer.id, owner_id=customer.owner_id, team_id=customer.team_id,
                            score=int(score), surveyed_at=at, note=note, recorded_by=scope.user_id or None,
                            created_at=now)
    session.add(row)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="satisfaction_score",
                         entity_id=str(row.id),
                         detail={"customer_id": customer.id, "owner_id": customer.owner_id, "score": int(score)}))
    return row.id
