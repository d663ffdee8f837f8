"""Demo data of the issues & requests desk and the PSI (SPEC §5, §6): one staff member for each
receiving department, who answers the requests addressed to it.

Logins (password ``demo1234``, as every demo account): ``support1`` (技术支持部), ``marketing1``
(市场部), ``delivery1`` (交付部). Called from data.demo.seed at the "process capture demo" marker.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.base import models as m

DEPARTMENT_STAFF = (
    ("support1", "技术支持·刘工", "support"),
    ("marketing1", "市场部·周经理", "marketing"),
    ("delivery1", "交付部·孙主管", "delivery"),
)


def seed_department_staff(session: Session, now: datetime, hashed: str) -> dict[str, int]:
    """The three department logins (role ``service``), with the demo's password hash; returns the rows written."""
    rows = [dict(username=username, display_name=name, email=f"{username}@demo.example.com", role="service",
                 team_id=None, department=department, password_hash=hashed, active=True, language=None,
                 failed_logins=0, created_at=now - timedelta(days=60))
            for username, name, department in DEPARTMENT_STAFF]
    session.execute(insert(m.User), rows)
    return {"department_staff": len(rows)}
