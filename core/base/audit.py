"""The audit log of every write, for admins."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from sqlalchemy.orm import Session

from core.base.models import AuditLog, User
from core.base.access import require_page
from core.base.scope import Scope, scoped_read


@scoped_read
def audit_log(scope: Scope, session: Session, limit: int = 500) -> pd.DataFrame:
    """The newest audit rows (admins only): when, who, action, entity, id, detail."""
    require_page(scope, "admin_audit")
    stmt = (select(AuditLog.at, User.username.label("user"), AuditLog.action, AuditLog.entity,
                   AuditLog.entity_id, AuditLog.detail)
            .outerjoin(User, User.id == AuditLog.user_id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit))
    df = pd.read_sql(stmt, session.connection())
    df["detail"] = df["detail"].astype(str)
    return df


# ---- the audit log page: filters, pages, before and after side by side -----------------

import json  # noqa: E402
import math  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import datetime  # noqa: E402
from typing import Any  # noqa: E402

from sqlalchemy import func  # noqa: E402

from core.base.errors import UserError  # noqa: E402
from core.base.scope import company_read  # noqa: E402

PER_PAGE = 50
MAX_PER_PAGE = 1000
COLUMNS = ["at", "user", "action", "entity", "record", "before", "after", "detail"]


class InvalidAuditFilter(UserError):
    """A filter of the audit log that cannot be applied; ``field`` names it."""


@dataclass(frozen=True)
class AuditPage:
    """One page of the filtered audit log, newest first: the rows, how many match, this page, pages."""
    rows: pd.DataFrame
    total: int
    page: int
    pages: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def before_after(detail: dict | None) -> tuple[str, str, str]:
    """(before, after, the rest of the detail) of an audit row's detail: ``old``/``new`` or
    ``before``/``after`` where the write recorded them; an empty before for a creation."""
    detail = dict(detail or {})
    before = detail.pop("before", detail.pop("old", None))
    after = detail.pop("after", detail.pop("new", None))
    return _text(before), _text(after), _text(detail) if detail else ""


def _filtered(stmt, *, user_id, action, entity, record, since, until):
    if since is not None and until is not None and since > until:
        raise InvalidAuditFilter("company.err.audit_range", "since")
    if user_id is not None:
        stmt = stmt.where(AuditLog.user_id == user_id)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if record is not None and str(record).strip():
        stmt = stmt.where(AuditLog.entity_id == str(record).strip())
    if since is not None:
        stmt = stmt.where(AuditLog.at >= since)
    if until is not None:
        stmt = stmt.where(AuditLog.at <= until)
    return stmt


@company_read
def audit_page(scope: Scope, session: Session, *, user_id: int | None = None, action: str | None = None,
               entity: str | None = None, record: str | None = None, since: datetime | None = None,
               until: datetime | None = None, page: int = 1, per_page: int = PER_PAGE) -> AuditPage:
    """The audit rows (admins only) matching every filter given — who (a user id), what kind (action,
    entity), which record (its id), a time range (inclusive) — newest first, ``per_page`` a page; a
    page past the last shows the last. Columns: at, user, action, entity, record, before, after, detail."""
    require_page(scope, "admin_audit")
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    filters = dict(user_id=user_id, action=action, entity=entity, record=record, since=since, until=until)
    total = session.scalar(_filtered(select(func.count()).select_from(AuditLog), **filters)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, int(page)), pages)
    stmt = _filtered(select(AuditLog.at, User.username, AuditLog.action, AuditLog.entity, AuditLog.entity_id,
                            AuditLog.detail).outerjoin(User, User.id == AuditLog.user_id), **filters)
    stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).offset((page - 1) * per_page).limit(per_page)
    rows = []
    for at, username, act, ent, entity_id, detail in session.execute(stmt):
        before, after, rest = before_after(detail if isinstance(detail, dict) else {"detail": detail})
        rows.append((at, username or "", act, ent, entity_id or "", before, after, rest))
    return AuditPage(pd.DataFrame(rows, columns=COLUMNS), total, page, pages)


@company_read
def audit_options(scope: Scope, session: Session) -> dict[str, list]:
    """What the audit log's filters offer (admins only): the actions and kinds of record written,
    and the users who wrote (id, username)."""
    require_page(scope, "admin_audit")
    actions = sorted(session.scalars(select(AuditLog.action).distinct()))
    entities = sorted(session.scalars(select(AuditLog.entity).distinct()))
    writers = session.execute(select(User.id, User.username).where(
        User.id.in_(select(AuditLog.user_id).where(AuditLog.user_id.is_not(None)).distinct()))
        .order_by(User.username)).all()
    return {"actions": actions, "entities": entities, "users": [(int(i), u) for i, u in writers]}
