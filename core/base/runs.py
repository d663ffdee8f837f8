"""Running the jobs safely under cron (SPEC §10): a lease lock so two runs never overlap, and a
record of every job's run (its count and error) for the admin page.

The lock is one row of ``job_locks`` taken by a conditional UPDATE (free, or its lease expired),
which is atomic on SQLite and on PostgreSQL alike: of two runs started together exactly one gets
it; the other is told who holds it and does nothing. A run that crashed leaves its row held until
the lease expires (``LEASE``), then the next run takes it over. The lease is renewed before each job.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Callable, Sequence

import pandas as pd
from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.base import clock
from core.base.access import require_page
from core.base.db import write_tx
from core.base.errors import UserError
from core.base.jobs import Job, JobResult, run as run_jobs
from core.base.models import JobLock, JobRun, User
from core.base.scope import Scope, company_read

LOCK = "run-jobs"
LEASE = timedelta(minutes=30)  # longer than any run of every job; a crashed run's lock frees itself then


class Busy(Exception):
    """Another run holds the lock: ``holder`` since ``since``."""

    def __init__(self, holder: str, since: datetime | None):
        self.holder, self.since = holder, since
        super().__init__(f"another run ({holder}) has held the jobs' lock since {since:%Y-%m-%d %H:%M:%S}"
                         if since else f"another run ({holder}) holds the jobs' lock")


def new_holder() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(engine: Engine, holder: str, *, name: str = LOCK, lease: timedelta = LEASE,
            at: datetime | None = None) -> bool:
    """Take the lock for ``holder`` when it is free or its lease has run out; True when taken."""
    at = at or clock.wall()
    try:
        with engine.begin() as conn:
            conn.execute(insert(JobLock).values(name=name, holder=None))
    except IntegrityError:
        pass  # the row is there already
    with engine.begin() as conn:
        taken = conn.execute(update(JobLock)
                             .where(JobLock.name == name,
                                    or_(JobLock.holder.is_(None), JobLock.expires_at < at, JobLock.holder == holder))
                             .values(holder=holder, acquired_at=at, expires_at=at + lease))
        return taken.rowcount == 1


def renew(engine: Engine, holder: str, *, name: str = LOCK, lease: timedelta = LEASE) -> None:
    with engine.begin() as conn:
        conn.execute(update(JobLock).where(JobLock.name == name, JobLock.holder == holder)
                     .values(expires_at=clock.wall() + lease))


def release(engine: Engine, holder: str, *, name: str = LOCK) -> None:
    with engine.begin() as conn:
        conn.execute(update(JobLock).where(JobLock.name == name, JobLock.holder == holder)
                     .values(holder=None, expires_at=None))


def held_by(engine: Engine, name: str = LOCK) -> tuple[str, datetime | None] | None:
    with engine.connect() as conn:
        row = conn.execute(select(JobLock.holder, JobLock.acquired_at, JobLock.expires_at)
                           .where(JobLock.name == name)).first()
    if row is None or row.holder is None or (row.expires_at is not None and row.expires_at < clock.wall()):
        return None
    return row.holder, row.acquired_at


def run_locked(engine: Engine, now: datetime, jobs: Sequence[Job], only: list[str] | None = None, *,
               trigger: str = "cron", user_id: int | None = None, lease: timedelta = LEASE,
               progress: Callable[[int, int, JobResult], None] | None = None) -> list[JobResult]:
    """Run the jobs (or those named in ``only``) under the lock, recording each run in ``job_runs``.

    Raises Busy when another run holds the lock (nothing runs), LookupError for an unknown name."""
    names = [j.name for j in jobs]
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        raise LookupError(f"unknown job(s): {', '.join(unknown)}; known: {', '.join(names)}")
    chosen = [j for j in jobs if not only or j.name in only]
    holder = new_holder()
    if not acquire(engine, holder, lease=lease):
        current = held_by(engine)
        raise Busy(*(current or ("?", None)))
    results: list[JobResult] = []
    try:
        for i, job in enumerate(chosen):
            renew(engine, holder, lease=lease)
            started = clock.wall()
            result = run_jobs(engine, now, [job])[0]
            with write_tx(engine) as session:
                session.add(JobRun(job=job.name, run_at=now, started_at=started, finished_at=clock.wall(),
                                   count=result.count, error=result.error[:4000], trigger=trigger,
                                   started_by=user_id or None))
            results.append(result)
            if progress is not None:
                progress(i + 1, len(chosen), result)
    finally:
        release(engine, holder)
    return results


@company_read
def last_runs(scope: Scope, session: Session, limit: int = 100) -> pd.DataFrame:
    """The newest job runs: job, when it started and finished, the moment it measured at, how many
    things it did, its error, how it was started and by whom (admins)."""
    require_page(scope, "admin_jobs")
    stmt = (select(JobRun.id, JobRun.job, JobRun.started_at, JobRun.finished_at, JobRun.run_at, JobRun.count,
                   JobRun.error, JobRun.trigger, User.username.label("started_by"))
            .outerjoin(User, User.id == JobRun.started_by)
            .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit))
    return pd.read_sql(stmt, session.connection())


@company_read
def lock_state(scope: Scope, session: Session) -> dict:
    """Whether a run holds the jobs' lock now: {"holder", "since"} or {}."""
    require_page(scope, "admin_jobs")
    row = session.execute(select(JobLock.holder, JobLock.acquired_at, JobLock.expires_at)
                          .where(JobLock.name == LOCK)).first()
    if row is None or row.holder is None or (row.expires_at is not None and row.expires_at < clock.wall()):
        return {}
    return {"holder": row.holder, "since": row.acquired_at}


class JobsBusy(UserError):
    """The page's "run now" while another run holds the lock."""
