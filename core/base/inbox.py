"""A person's own to-dos and alerts (the in-app inbox)."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import Alert, AuditLog, Todo
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
def alerts(scope: Scope, session: Session, unread_only: bool = False, limit: int = 200,
           kinds: tuple[str, ...] = (), statuses: tuple[str, ...] = ()) -> pd.DataFrame:
    """The caller's own alerts, newest first, of the ``kinds`` and ``statuses`` asked (all when empty):
    id, kind, severity, status, message, created_at, read_at, acknowledged_at, resolved_at, ref."""
    stmt = (select(Alert.id, Alert.kind, Alert.severity, Alert.status, Alert.message, Alert.created_at,
                   Alert.read_at, Alert.acknowledged_at, Alert.resolved_at, Alert.ref_type, Alert.ref_id,
                   Alert.recipient_id.label("owner_id"))
            .where(Alert.recipient_id == scope.user_id)
            .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit))
    if unread_only:
        stmt = stmt.where(Alert.read_at.is_(None))
    if kinds:
        stmt = stmt.where(Alert.kind.in_(list(kinds)))
    if statuses:
        stmt = stmt.where(Alert.status.in_(list(statuses)))
    return pd.read_sql(stmt, session.connection())


@scoped_read
def alert_kinds(scope: Scope, session: Session) -> list[str]:
    """The kinds of the caller's own alerts, for the inbox's filter."""
    return list(session.scalars(select(Alert.kind).where(Alert.recipient_id == scope.user_id)
                                .group_by(Alert.kind).order_by(Alert.kind)))


@scoped_read
def unread_count(scope: Scope, session: Session) -> int:
    """How many of the caller's own alerts are unread and still open: the sidebar's badge."""
    return int(session.scalar(select(func.count(Alert.id)).where(
        Alert.recipient_id == scope.user_id, Alert.read_at.is_(None), Alert.status == "open")) or 0)


class AlertError(UserError):
    """An acknowledgement or resolution the inbox refuses."""


def _own_alerts(session: Session, scope: Scope, ids: list[int]) -> list[Alert]:
    """The caller's own alerts among ``ids``; an id that is not a number, unknown or someone else's
    is refused as a whole (nothing is changed)."""
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        raise AlertError("inbox.err.not_yours", field="alerts") from None
    if not wanted:
        raise AlertError("inbox.err.none_chosen", field="alerts")
    rows = session.scalars(select(Alert).where(Alert.id.in_(wanted), Alert.recipient_id == scope.user_id)
                           .order_by(Alert.id)).all()
    if len(rows) != len(wanted):
        raise AlertError("inbox.err.not_yours", field="alerts")
    return list(rows)


def _set_status(session: Session, scope: Scope, ids: list[int], status: str, now: datetime) -> int:
    rows = _own_alerts(session, scope, ids)
    changed = 0
    for alert in rows:
        before = alert.status
        if before == status or before == "resolved":
            continue  # acknowledging again, or touching a resolved alert, changes nothing
        alert.status = status
        alert.read_at = alert.read_at or now
        if status == "acknowledged":
            alert.acknowledged_at, alert.acknowledged_by = now, scope.user_id
        else:
            alert.resolved_at, alert.resolved_by = now, scope.user_id
        session.add(AuditLog(at=now, user_id=scope.user_id or None, action=status, entity="alert",
                             entity_id=str(alert.id), detail={"before": {"status": before},
                                                              "after": {"status": status}}))
        changed += 1
    session.flush()
    return changed


@guarded("alert.acknowledge")
def acknowledge_alerts(session: Session, scope: Scope, ids: list[int], now: datetime) -> int:
    """The caller has seen these alerts of their own and is on it: open → acknowledged. Returns how
    many changed (a resolved alert stays resolved)."""
    return _set_status(session, scope, ids, "acknowledged", now)


@guarded("alert.resolve")
def resolve_alerts(session: Session, scope: Scope, ids: list[int], now: datetime) -> int:
    """The caller has dealt with these alerts of their own: open or acknowledged → resolved."""
    return _set_status(session, scope, ids, "resolved", now)


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
