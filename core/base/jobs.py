"""Scheduled work, `python -m cli run-jobs [--now TIME]` (SPEC §10): SLA escalations, lead
recycling, stalled deals, conversion drops, low-rate alerts …

A job is a function ``(session, now) -> int`` (how many things it did) registered with ``@job``
in the module of its area. ``run`` imports every core module so every job registers, then runs
each in its own transaction, in ``order``. Jobs must be idempotent: running twice at the same
``now`` changes nothing the second time. ``ensure_todo`` and ``ensure_alert`` help with that — a
to-do or alert is created only once per ``dedupe_key``.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.base.db import write_tx
from core.base.models import Alert, Todo, User


@dataclass(frozen=True)
class Job:
    name: str
    fn: Callable[[Session, datetime], int]
    order: int
    doc: str


JOBS: dict[str, Job] = {}


def job(name: str, order: int = 50):
    """Register ``fn(session, now) -> int`` as the job ``name``; lower ``order`` runs first."""
    def register(fn):
        if name in JOBS and JOBS[name].fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"two jobs are named {name!r}")
        JOBS[name] = Job(name, fn, order, (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "")
        return fn
    return register


def load_all() -> dict[str, Job]:
    """Import every module of the core package so that each job registers; the jobs by name."""
    import core

    for info in pkgutil.walk_packages(core.__path__, "core."):
        if info.name not in ("cli",):
            importlib.import_module(info.name)
    return dict(sorted(JOBS.items(), key=lambda kv: (kv[1].order, kv[0])))


@dataclass
class JobResult:
    name: str
    count: int = 0
    error: str = ""


def run(engine: Engine, now: datetime, only: list[str] | None = None) -> list[JobResult]:
    """Run the jobs (or those named in ``only``), each in its own transaction.

    A job that fails is rolled back and reported; the others still run."""
    jobs = load_all()
    unknown = sorted(set(only or []) - set(jobs))
    if unknown:
        raise LookupError(f"unknown job(s): {', '.join(unknown)}; known: {', '.join(jobs)}")
    results = []
    for name, j in jobs.items():
        if only and name not in only:
            continue
        result = JobResult(name)
        try:
            with write_tx(engine) as session:
                result.count = int(j.fn(session, now) or 0)
        except Exception as exc:  # one job's failure must not stop the others; reported and exit 1
            result.error = f"{type(exc).__name__}: {exc}"
        results.append(result)
    return results


def ensure_todo(session: Session, *, dedupe_key: str, owner_id: int, team_id: int | None, title: str,
                kind: str, now: datetime, ref_type: str = "", ref_id: int | None = None,
                due_at: datetime | None = None) -> bool:
    """Create the to-do unless one with ``dedupe_key`` exists; True when created."""
    if session.scalar(select(Todo.id).where(Todo.dedupe_key == dedupe_key)) is not None:
        return False
    session.add(Todo(owner_id=owner_id, team_id=team_id, title=title[:200], kind=kind, ref_type=ref_type,
                     ref_id=ref_id, due_at=due_at, created_at=now, dedupe_key=dedupe_key[:120]))
    session.flush()
    return True


def ensure_alert(session: Session, *, dedupe_key: str, recipient_id: int, team_id: int | None, kind: str,
                 message: str, now: datetime, ref_type: str = "", ref_id: int | None = None) -> bool:
    """Create the alert unless one with ``dedupe_key`` exists; True when created."""
    if session.scalar(select(Alert.id).where(Alert.dedupe_key == dedupe_key)) is not None:
        return False
    session.add(Alert(recipient_id=recipient_id, team_id=team_id, kind=kind, message=message,
                      ref_type=ref_type, ref_id=ref_id, created_at=now, dedupe_key=dedupe_key[:120]))
    session.flush()
    return True


def language_of(session: Session, user_id: int) -> str:
    """The language a person reads their alerts in: their own choice, else the company default."""
    from core.base import rules

    lang = session.scalar(select(User.language).where(User.id == user_id))
    return lang or rules.get(session, "default_language")
