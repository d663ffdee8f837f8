"""The new-rep path (SPEC §8): a new rep's first-week tasks, with completion tracked for their lead.

A rep is *new* while their account is younger than ``onboarding_days`` (default 30). The tasks are
rows of ``onboarding_tasks`` (the migration inserts five defaults: a product pitch note, a
price-objection practice, a competitor comparison, shadowing a senior rep's visit, the first five
customer calls); task k is due on day ``day_due`` of the rep's first week, day 1 being the day the
account was opened. The rep marks a task done with a short note (what they did, or where the
evidence is); their lead sees every new rep's progress, the overdue tasks, and confirms a done task.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core.base import access, rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import AuditLog, OnboardingProgress, OnboardingTask, Team, User
from core.base.scope import Scope, scoped_read
from core.people.scorecard import visible_rep

NOTE_MIN = 2
NOTE_MAX = 500
DONE = ("done", "checked")  # the statuses of a task the rep has done
PAGE = "scorecard"  # where a new rep follows their first week, and their lead every new rep's


class InvalidOnboarding(UserError):
    """A completion or a check is not acceptable; ``field`` names the form field."""


def is_new(joined: datetime | date, now: datetime, days: int) -> bool:
    """True while an account opened at ``joined`` is younger than ``days`` days."""
    opened = joined if isinstance(joined, datetime) else datetime.combine(joined, datetime.min.time())
    return opened > now - timedelta(days=days)


def due_on(joined: date, day_due: int) -> date:
    """The day a task of day ``day_due`` is due: day 1 is the day the account was opened."""
    return joined + timedelta(days=day_due - 1)


def progress(tasks: pd.DataFrame) -> tuple[int, int]:
    """(tasks done, tasks in all) of a rep's first week as tasks_of gave it."""
    return int(tasks["status"].isin(DONE).sum()), len(tasks)


def _status(completed, checked, due: date, today: date) -> str:
    if checked is not None and not pd.isna(checked):
        return "checked"
    if completed is not None and not pd.isna(completed):
        return "done"
    return "overdue" if today > due else "open"


# ---- reads -------------------------------------------------------------------------------------------

@scoped_read
def tasks_of(scope: Scope, session: Session, rep_id: int, now: datetime) -> pd.DataFrame:
    """The first-week tasks of a rep, in order: task_id, code, title_en, title_zh, description_en,
    description_zh, day_due, due_on, status ('open', 'overdue', 'done', 'checked'), progress_id,
    completed_at, note, checked_by (name), checked_at, owner_id."""
    rep = visible_rep(scope, session, rep_id)
    checker = aliased(User)
    progress = scope.apply(
        select(OnboardingProgress.id, OnboardingProgress.task_id, OnboardingProgress.completed_at,
               OnboardingProgress.note, OnboardingProgress.checked_at, checker.display_name.label("checked_by"))
        .outerjoin(checker, checker.id == OnboardingProgress.checked_by)
        .where(OnboardingProgress.owner_id == rep.id), OnboardingProgress.owner_id, OnboardingProgress.team_id
    ).subquery()
    stmt = (select(OnboardingTask.id.label("task_id"), OnboardingTask.code, OnboardingTask.title_en,
                   OnboardingTask.title_zh, OnboardingTask.description_en, OnboardingTask.description_zh,
                   OnboardingTask.day_due, progress.c.id.label("progress_id"), progress.c.completed_at,
                   progress.c.note, progress.c.checked_by, progress.c.checked_at)
            .outerjoin(progress, progress.c.task_id == OnboardingTask.id)
            .where(OnboardingTask.active.is_(True) | progress.c.id.is_not(None))
            .order_by(OnboardingTask.day_due, OnboardingTask.id))
    df = pd.read_sql(stmt, session.connection())
    joined = rep.created_at.date()
    df.insert(7, "due_on", [due_on(joined, int(d)) for d in df["day_due"]])
    df.insert(8, "status", [_status(c, k, d, now.date()) for c, k, d in
                            zip(df["completed_at"], df["checked_at"], df["due_on"])])
    df["progress_id"] = pd.to_numeric(df["progress_id"]).astype("Int64")
    df["completed_at"] = pd.to_datetime(df["completed_at"])
    df["checked_at"] = pd.to_datetime(df["checked_at"])
    df["note"] = df["note"].fillna("")
    df["owner_id"] = rep.id
    return df


@scoped_read
def new_reps(scope: Scope, session: Session, now: datetime) -> pd.DataFrame:
    """Every active rep in scope whose account is younger than ``onboarding_days``, newest first:
    owner_id, rep, team_id, team, joined (date), day (of their onboarding, 1 = the day they
    joined), done (tasks completed), checked (of those, confirmed by the lead), overdue, total."""
    access.require_page(scope, PAGE)
    since = now - timedelta(days=rules.get(session, "onboarding_days"))
    reps = (select(User.id.label("owner_id"), User.display_name.label("rep"), User.team_id, Team.name.label("team"),
                   User.created_at)
            .join(Team, Team.id == User.team_id)
            .where(User.role == "rep", User.active.is_(True), User.created_at > since, User.created_at <= now)
            .order_by(User.created_at.desc(), User.id))
    df = pd.read_sql(scope.apply(reps, User.id, User.team_id), session.connection())
    tasks = session.execute(select(OnboardingTask.id, OnboardingTask.day_due)
                            .where(OnboardingTask.active.is_(True))).all()
    done: dict[int, dict[int, bool]] = {}
    if not df.empty:
        stmt = scope.apply(select(OnboardingProgress.owner_id, OnboardingProgress.task_id,
                                  OnboardingProgress.checked_at.is_not(None))
                           .where(OnboardingProgress.owner_id.in_([int(x) for x in df["owner_id"]])),
                           OnboardingProgress.owner_id, OnboardingProgress.team_id)
        for owner, task, checked in session.execute(stmt):
            done.setdefault(int(owner), {})[int(task)] = bool(checked)
    today = now.date()
    joined = pd.to_datetime(df["created_at"]).dt.date
    df = df.drop(columns=["created_at"])
    df["joined"] = joined
    df["day"] = [(today - j).days + 1 for j in joined]
    active_ids = {tid for tid, _ in tasks}
    df["done"] = [sum(1 for t in done.get(int(o), {}) if t in active_ids) for o in df["owner_id"]]
    df["checked"] = [sum(1 for t, c in done.get(int(o), {}).items() if c and t in active_ids) for o in df["owner_id"]]
    df["overdue"] = [sum(1 for tid, day in tasks if tid not in done.get(int(o), {}) and today > due_on(j, day))
                     for o, j in zip(df["owner_id"], joined)]
    df["total"] = len(tasks)
    for col in ("day", "done", "checked", "overdue", "total"):
        df[col] = df[col].astype("int64")
    return df[["owner_id", "rep", "team_id", "team", "joined", "day", "done", "checked", "overdue", "total"]]


# ---- writes ---------------------------------------------------------------------------------------------

@guarded("onboarding.complete")
def complete_task(session: Session, scope: Scope, *, task_id: Any, note: Any, now: datetime) -> int:
    """The rep marks one of their first-week tasks done, with a short note (what they did, where the
    evidence is). Returns the progress row's id."""
    task = (session.get(OnboardingTask, task_id)
            if isinstance(task_id, int) and not isinstance(task_id, bool) else None)
    if task is None or not task.active:
        raise InvalidOnboarding("onboarding.err.task", "task_id")
    if note is not None and not isinstance(note, str):
        raise InvalidOnboarding("people.err.text", "note")
    text = (note or "").strip()
    if len(text) < NOTE_MIN:
        raise InvalidOnboarding("onboarding.err.note", "note", n=NOTE_MIN)
    if len(text) > NOTE_MAX:
        raise InvalidOnboarding("people.err.too_long", "note", n=NOTE_MAX)
    rep = session.get(User, scope.user_id)
    if session.scalar(select(OnboardingProgress.id).where(OnboardingProgress.owner_id == rep.id,
                                                          OnboardingProgress.task_id == task.id)) is not None:
        raise InvalidOnboarding("onboarding.err.already", "task_id")
    row = OnboardingProgress(task_id=task.id, owner_id=rep.id, team_id=rep.team_id, completed_at=now, note=text)
    session.add(row)
    session.flush()
    session.add(AuditLog(at=now, user_id=rep.id, action="complete", entity="onboarding_progress",
                         entity_id=str(row.id), detail={"task": task.code}))
    return row.id


@guarded("onboarding.check")
def check_task(session: Session, scope: Scope, *, progress_id: Any, now: datetime) -> None:
    """The lead confirms a task one of their reps completed."""
    row = (session.get(OnboardingProgress, progress_id)
           if isinstance(progress_id, int) and not isinstance(progress_id, bool) else None)
    rep = session.get(User, row.owner_id) if row is not None else None
    if row is None or rep is None or not scope.team_ids or rep.team_id not in scope.team_ids:
        raise InvalidOnboarding("onboarding.err.progress", "progress_id")
    if row.checked_at is not None:
        return
    row.checked_by, row.checked_at = scope.user_id, now
    session.add(AuditLog(at=now, user_id=scope.user_id, action="check", entity="onboarding_progress",
                         entity_id=str(row.id), detail={"rep_id": rep.id, "task_id": row.task_id}))
