"""Customers as the caller may see them."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from core.base.models import Customer, Region, Team, User
from core.base.scope import Scope, scoped_read

MAX_SEARCH = 100


@scoped_read
def customers(scope: Scope, session: Session, search: str = "", team_id: int | None = None,
              limit: int = 500) -> pd.DataFrame:
    """Customers in scope, newest first, optionally matching ``search`` in name, phone or tax id."""
    owner = aliased(User)
    stmt = (select(Customer.id.label("id"), Customer.name.label("customer"), Customer.phone.label("phone"),
                   Customer.industry.label("industry"), Customer.customer_type.label("customer_type"),
                   Customer.size.label("size"), Customer.heat.label("heat"), owner.display_name.label("owner"),
                   Team.name.label("team"), Region.name.label("region"), Customer.updated_at.label("updated_at"),
                   Customer.owner_id.label("owner_id"))
            .outerjoin(owner, owner.id == Customer.owner_id)
            .outerjoin(Team, Team.id == Customer.team_id)
            .outerjoin(Region, Region.id == Customer.region_id)
            .order_by(Customer.updated_at.desc(), Customer.id.desc()))
    stmt = scope.apply(stmt, Customer.owner_id, Customer.team_id)
    if team_id is not None:
        stmt = stmt.where(Customer.team_id == team_id)
    term = clean_search(search)
    if term:
        stmt = stmt.where(or_(*(col.contains(term, autoescape=True)
                                for col in (Customer.name, Customer.phone, Customer.tax_id))))
    return pd.read_sql(stmt.limit(max(1, min(int(limit), 5000))), session.connection())


def clean_search(text: str | None) -> str:
    """A search box's text, trimmed and length-capped (wildcards are matched literally)."""
    return (text or "").strip()[:MAX_SEARCH]
