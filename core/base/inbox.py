"""A person's own to-dos and alerts (the in-app inbox)."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.base.access import guarded
from core.base.models import Alert, Todo
from core.base.scope import Scope, scoped_read


@scoped_read
def todos(scope: Scope, session: Session, include_done: bool = False) -> pd.DataFrame:
    """The caller's own to-dos, open ones first by due time."""
    stmt = (select(Todo.id, Todo.title, Todo.kind, Todo.due_at, Todo.done_at, Todo.created_at,
                   Todo.owner_id)
            .where(Todo.owner_id == scope.user_id)
            .order_by(Todo.done_at.is_not(None), Todo.due_at.is_(None), Todo.due_at, Todo.id))
    if not include_done:
        stmt = stmt.where(Todo.done_at.is_(None))
    return pd.read_sql(stmt, session.connection())


@scoped_read
def alerts(scope: Scope, session: Session, unread_only: bool = False, limit: int = 200) -> pd.DataFrame:
    """The caller's own alerts, newest first."""
    stmt = (select(Alert.id, Alert.kind, Alert.message, Alert.created_at, Alert.read_at,
                   Alert.recipient_id.label("owner_id"))
            .where(Alert.recipient_id == scope.user_id)
            .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit))
    if unread_only:
        stmt = stmt.where(Alert.read_at.is_(None))
    return pd.read_sql(stmt, session.connection())


@guarded("todo.complete")
def complete_todos(session: Session, scope: Scope, ids: list[int], now: datetime) -> int:
    """Mark the caller's own to-dos done; ids of anyone else's are ignored. Returns how many."""
    if not ids:
        return 0
    result = session.execute(update(Todo).where(Todo.id.in_(ids), Todo.owner_id == scope.user_id,
                                                Todo.done_at.is_(None)).values(done_at=now))
    return result.rowcount or 0


@guarded("alert.mark_read")
def mark_alerts_read(session: Session, scope: Scope, now: datetime) -> int:
    result = session.execute(update(Alert).where(Alert.recipient_id == scope.user_id, Alert.read_at.is_(None))
                             .values(read_at=now))
    return result.rowcount or 0
