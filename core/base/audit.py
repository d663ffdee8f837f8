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
