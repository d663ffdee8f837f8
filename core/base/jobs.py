"""Scheduled work, `python -m cli run-jobs [--now TIME]` (SPEC §10): the framework. Which jobs
there are, and in which order they run, is the explicit list ``core.schedule.JOBS``.

A job is a function ``(session, now) -> int`` (how many things it did). ``run`` runs each in its
own transaction. Jobs must be idempotent: running twice at the same ``now`` changes nothing the
second time. ``ensure_todo`` and ``ensure_alert`` help with that — a to-do or alert is created only
once per ``dedupe_key``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.base import rules
from core.base.db import write_tx
from core.base.models import Alert, Todo, User
from core.base.vocabulary import ALERT_KIND_SEVERITY, ALERT_SEVERITIES


@dataclass(frozen=True)
class Job:
    name: str
    fn: Callable[[Session, datetime], int]

    @property
    def doc(self) -> str:
        """The first line of the job function's docstring: what it does, for the CLI's help."""
        return (self.fn.__doc__ or "").strip().splitlines()[0] if self.fn.__doc__ else ""


@dataclass
class JobResult:
    name: str
    count: int = 0
    error: str = ""


def run(engine: Engine, now: datetime, jobs: Sequence[Job], only: list[str] | None = None) -> list[JobResult]:
    """Run ``jobs`` in their order (or those of them named in ``only``), each in its own transaction.

    A job that fails is rolled back and reported; the others still run."""
    names = [j.name for j in jobs]
    if len(set(names)) != len(names):
        raise ValueError(f"two jobs share a name: {names}")
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        raise LookupError(f"unknown job(s): {', '.join(unknown)}; known: {', '.join(names)}")
    results = []
    for j in jobs:
        if only and j.name not in only:
            continue
        result = JobResult(j.name)
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
                 message: str, now: datetime, ref_type: str = "", ref_id: int | None = None,
                 severity: str | None = None) -> bool:
    """Create the alert unless one with ``dedupe_key`` exists; True when created.

    The one way a job files a finding in the alert store: one row per finding, open, with the
    severity of its kind (``vocabulary.ALERT_KIND_SEVERITY``) unless ``severity`` is given. A
    finding already filed — whatever its status, even resolved — is never filed again."""
    severity = severity or ALERT_KIND_SEVERITY.get(kind, "warning")
    if severity not in ALERT_SEVERITIES:
        raise ValueError(f"unknown alert severity {severity!r}; known: {', '.join(ALERT_SEVERITIES)}")
    key = dedupe_key[:120]
    if session.scalar(select(Alert.id).where(Alert.dedupe_key == key)) is not None:
        return False
    session.add(Alert(recipient_id=recipient_id, team_id=team_id, kind=kind, message=message,
                      ref_type=ref_type, ref_id=ref_id, created_at=now, dedupe_key=key,
                      severity=severity, status="open"))
    session.flush()
    return True


def language_of(session: Session, user_id: int) -> str:
    """The language a person reads their alerts in: their own choice, else the company default."""
    lang = session.scalar(select(User.language).where(User.id == user_id))
    return lang or rules.get(session, "default_language")
