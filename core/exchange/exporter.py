"""Export of leads, customers and opportunities (SPEC §10): every record the caller may see, in the
columns of the import template — so an export imports again (into another database, or after
the records were removed).

Each export is a scoped read: a rep exports their own records, a team lead their teams'. The
frames carry ``owner_id`` as well (for the scope proof); ``file_bytes`` leaves it out.
"""
from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core.base import access
from core.exchange.entities import ENTITIES
from core.exchange.rows import FORMATS, ImportFileError
from core.base.models import Customer, Lead, Opportunity, Region, Team, User
from core.base.scope import Scope, scoped_read

DATE_COLUMNS = ("created_at", "next_action_at", "first_contact_at", "stage_entered_at", "closed_at")


def columns(entity: str) -> list[str]:
    """The template's columns of ``entity``, in order."""
    return [f.name for f in ENTITIES[entity].fields]


def _frame(session: Session, stmt, entity: str) -> pd.DataFrame:
    df = pd.read_sql(stmt, session.connection())
    for col in df.columns:
        if col in DATE_COLUMNS:
            df[col] = pd.to_datetime(df[col])
    if "amount" in df.columns:
        df["amount"] = df["amount"].astype(float)
    return df[[*columns(entity), "owner_id"]]


@scoped_read
def lead_rows(scope: Scope, session: Session) -> pd.DataFrame:
    """Every lead in scope, oldest first, in the leads template's columns (+ owner_id)."""
    owner = aliased(User)
    stmt = (select(Lead.company, Lead.contact_name, Lead.phone, Lead.source_channel, Lead.grade, Lead.industry,
                   Lead.size, Region.name.label("region"), Team.name.label("team"), owner.username.label("owner"),
                   Lead.status, Lead.created_at, Lead.next_action, Lead.next_action_at, Lead.first_contact_at,
                   Lead.owner_id)
            .outerjoin(Region, Region.id == Lead.region_id).outerjoin(Team, Team.id == Lead.team_id)
            .outerjoin(owner, owner.id == Lead.owner_id).order_by(Lead.id))
    return _frame(session, scope.apply(stmt, Lead.owner_id, Lead.team_id), "leads")


@scoped_read
def customer_rows(scope: Scope, session: Session) -> pd.DataFrame:
    """Every customer in scope, oldest first, in the customers template's columns (+ owner_id)."""
    owner = aliased(User)
    stmt = (select(Customer.name, Customer.phone, Customer.tax_id, Customer.industry, Customer.size,
                   Customer.customer_type, Region.name.label("region"), Team.name.label("team"),
                   owner.username.label("owner"), Customer.heat, Customer.owner_id)
            .outerjoin(Region, Region.id == Customer.region_id).outerjoin(Team, Team.id == Customer.team_id)
            .outerjoin(owner, owner.id == Customer.owner_id).order_by(Customer.id))
    return _frame(session, scope.apply(stmt, Customer.owner_id, Customer.team_id), "customers")


@scoped_read
def opportunity_rows(scope: Scope, session: Session) -> pd.DataFrame:
    """Every opportunity in scope, oldest first, in the opportunities template's columns (+ owner_id)."""
    o = Opportunity
    stmt = (select(o.name, Customer.name.label("customer"), User.username.label("owner"), Team.name.label("team"),
                   o.product, o.source_channel, o.amount, o.stage, o.status, o.created_at, o.stage_entered_at,
                   o.closed_at, o.lost_reason, o.owner_id)
            .join(Customer, Customer.id == o.customer_id).join(User, User.id == o.owner_id)
            .join(Team, Team.id == o.team_id).order_by(o.id))
    return _frame(session, scope.apply(stmt, o.owner_id, o.team_id), "opportunities")


READS = {"leads": lead_rows, "customers": customer_rows, "opportunities": opportunity_rows}
# entity → the page that shows its records: a role exports what it may see there
PAGES = {"leads": "leads", "customers": "customers", "opportunities": "funnel"}


def entities_for(role: str) -> list[str]:
    """The entities ``role`` may export: those whose page it may open (finance: customers)."""
    return [entity for entity in READS if access.may_open(role, PAGES[entity])]


def export_rows(scope: Scope, session: Session, entity: str) -> pd.DataFrame:
    """The export of ``entity`` for the caller, without the owner_id helper column."""
    if entity not in READS:
        raise ImportFileError("imp.err.entity", "entity", entity=str(entity)[:40], entities=", ".join(READS))
    return READS[entity](scope, session).drop(columns=["owner_id"])


def file_bytes(df: pd.DataFrame, fmt: str, sheet: str = "data") -> bytes:
    """A frame as a CSV (UTF-8 with BOM, which Excel opens correctly) or an XLSX file."""
    if fmt not in FORMATS:
        raise ImportFileError("imp.file.format", "file", name=f"export.{fmt}")
    df = df.drop(columns=["owner_id"], errors="ignore")
    if fmt == "csv":
        return df.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S", float_format="%.2f").encode("utf-8-sig")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet)
    return buf.getvalue()


@scoped_read
def export_file(scope: Scope, session: Session, entity: str, fmt: str) -> bytes:
    """The export of ``entity`` for the caller as a .csv or .xlsx file's bytes."""
    return file_bytes(export_rows(scope, session, entity), fmt, sheet=entity)
