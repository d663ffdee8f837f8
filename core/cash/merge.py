"""Merging duplicate customers (SPEC §7): one real customer, one record.

The person picks the survivor and sees, side by side, both customers and how many rows of the other
would move (``merge_preview``); confirmed, ``merge_customers`` in one transaction

- moves every row that references the other customer onto the survivor: every column of the models
  with a foreign key to ``customers.id`` (leads, opportunities, activities, contracts, key-step
  instances, customer issues, cross-department requests, satisfaction scores — and any table added
  later, found from the metadata, not from a list), and the to-dos and alerts that point at it
  (``ref_type`` "customer"). Invoices, payments, receipts and shipments follow their contract (they
  reference the contract, which moves); so do a deal's stage history and an activity's attachments.
  Rows with a ``version`` column (leads, deals, contracts) get a new version, so a form opened on one
  before the merge is refused as stale rather than saved over it;
- keeps the survivor's own fields and takes the other's where the survivor's are empty (the owner
  with the owner's team);
- deletes the other customer;
- closes as fixed the open findings about the other, and the duplicate findings naming it;
- writes an audit row "merge" on the survivor keeping both ids, the other's fields and what moved.

Refused: a customer merged with itself; a pair already merged (the other is gone and the audit log
shows it merged into this survivor — the message says when and by whom), or a customer gone into
another one.

``merge_preview`` is a ``@scoped_read``: customers are rows of reps and teams. It is open only to the
roles that may merge (``customer.merge``: director, finance, admin) — roles that see every team — so
the rows it counts are all the rows that would move; a lead or a rep, who would see only part of them,
is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Column, Table, func, select, update
from sqlalchemy.orm import Session

from core.base.access import guarded, require
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import Alert, AuditLog, Base, Customer, QualityFinding, Region, Team, Todo, User
from core.base.scope import Scope, scoped_read

# The customer's fields the survivor takes from the other where its own are empty (the owner comes
# with the owner's team), and the fields the preview shows side by side.
FILLABLE = ("name", "phone", "tax_id", "industry", "size", "customer_type", "heat", "region_id", "owner_id")
SHOWN = ("name", "phone", "tax_id", "industry", "size", "region", "owner", "team", "customer_type", "created_at")
POINTERS = (Todo, Alert)  # rows that point at a customer by (ref_type, ref_id)


class MergeRefused(UserError):
    """A merge that cannot be done; ``field`` says which customer ("survivor" or "other")."""


@dataclass(frozen=True)
class Move:
    table: str
    column: str
    rows: int
    via: str = ""  # "" for a direct reference; the table whose rows carry it along (e.g. "contracts")


@dataclass(frozen=True)
class MergePreview:
    survivor_id: int
    other_id: int
    sides: pd.DataFrame  # index: SHOWN fields; columns survivor, other, after
    moves: tuple[Move, ...]
    taken: tuple[str, ...]  # the fields the survivor takes from the other
    refusal: str | None = None  # the text key saying why this pair cannot be merged (then nothing else)
    refusal_params: dict[str, Any] = field(default_factory=dict)

    def refusal_message(self, lang: str) -> str | None:
        return None if self.refusal is None else t(lang, self.refusal, **self.refusal_params)

    @property
    def rows(self) -> int:
        return sum(m.rows for m in self.moves if not m.via)


# ---- the references, from the models ------------------------------------------------------------

def customer_references() -> list[tuple[Table, Column]]:
    """Every (table, column) with a foreign key to customers.id, in table order."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == Customer.__tablename__ and fk.column.name == "id"
                   for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _followers(tables: set[str]) -> list[tuple[Table, Column, Table, Column]]:
    """(table, its column, referenced table, its column) of the rows that follow a moved row: those
    with a foreign key into a table that references customers and no reference of their own to
    customers (invoices, payments, receipts, shipments via contracts; stage history via deals …)."""
    direct = {t.name for t, _ in customer_references()}
    out = []
    for table in Base.metadata.sorted_tables:
        if table.name in direct or table.name == Customer.__tablename__:
            continue
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name in tables and fk.column.table.name in direct:
                    out.append((table, column, fk.column.table, fk.column))
    return out


def table_words(lang: str, table: str) -> str:
    """A table's name for people ("Leads", "线索"); its own name when the catalogue has none."""
    key = f"quality.table.{table}"
    text = t(lang, key)
    return table if text == key else text


# ---- checks --------------------------------------------------------------------------------------

def _merges(session: Session) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(AuditLog.action == "merge", AuditLog.entity == "customer")
                                .order_by(AuditLog.at, AuditLog.id)))


def _who(session: Session, user_id: int | None) -> str:
    if not user_id:
        return "—"  # the command line or a job, acting for the company
    return session.scalar(select(User.display_name).where(User.id == user_id)) or f"#{user_id}"


def _load_pair(session: Session, survivor_id, other_id) -> tuple[Customer, Customer]:
    """Both customers, or MergeRefused saying why not."""
    try:
        survivor_id, other_id = int(survivor_id), int(other_id)
    except (TypeError, ValueError):
        raise MergeRefused("quality.err.merge_no_customer", "other", id=str(other_id)[:20]) from None
    if survivor_id == other_id:
        raise MergeRefused("quality.err.merge_self", "other")
    survivor, other = session.get(Customer, survivor_id), session.get(Customer, other_id)
    for customer, cid, name in ((other, other_id, "other"), (survivor, survivor_id, "survivor")):
        if customer is not None:
            continue
        gone = [a for a in _merges(session) if (a.detail or {}).get("other_id") == cid]
        if not gone:
            raise MergeRefused("quality.err.merge_no_customer", name, id=cid)
        last = gone[-1]
        into = (last.detail or {}).get("survivor_id")
        key = "quality.err.merge_done" if name == "other" and into == survivor_id else "quality.err.merged_elsewhere"
        raise MergeRefused(key, name, id=cid, survivor=into, at=f"{last.at:%Y-%m-%d %H:%M}",
                           who=_who(session, last.user_id))
    return survivor, other


def _sides(session: Session, survivor: Customer, other: Customer, taken: tuple[str, ...]) -> pd.DataFrame:
    def shown(c: Customer, owner_id, team_id, region_id) -> dict[str, Any]:
        return {"name": c.name, "phone": c.phone, "tax_id": c.tax_id or "", "industry": c.industry, "size": c.size,
                "region": session.scalar(select(Region.name).where(Region.id == region_id)) if region_id else "",
                "owner": session.scalar(select(User.display_name).where(User.id == owner_id)) if owner_id else "",
                "team": session.scalar(select(Team.name).where(Team.id == team_id)) if team_id else "",
                "customer_type": c.customer_type, "created_at": f"{c.created_at:%Y-%m-%d %H:%M}"}

    after = {f: getattr(other if f in taken else survivor, f) for f in FILLABLE}
    after_team = other.team_id if "owner_id" in taken else survivor.team_id
    rows = {"survivor": shown(survivor, survivor.owner_id, survivor.team_id, survivor.region_id),
            "other": shown(other, other.owner_id, other.team_id, other.region_id),
            "after": shown(survivor, after["owner_id"], after_team, after["region_id"])}
    for f in ("name", "phone", "tax_id", "industry", "size", "customer_type"):
        rows["after"][f] = after[f] or ""
    df = pd.DataFrame(rows, index=list(SHOWN))
    df.index.name = "field"
    return df


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _taken(survivor: Customer, other: Customer) -> tuple[str, ...]:
    return tuple(f for f in FILLABLE if _empty(getattr(survivor, f)) and not _empty(getattr(other, f)))


def _count_moves(session: Session, other_id: int) -> list[Move]:
    moves = []
    for table, column in customer_references():
        n = session.scalar(select(func.count()).select_from(table).where(column == other_id))
        moves.append(Move(table.name, column.name, int(n or 0)))
    for model in POINTERS:
        n = session.scalar(select(func.count()).select_from(model)
                           .where(model.ref_type == "customer", model.ref_id == other_id))
        moves.append(Move(model.__tablename__, "ref_id", int(n or 0)))
    refs = {t.name: c for t, c in customer_references()}
    for table, column, parent, parent_col in _followers(set(refs)):
        carried = select(parent_col).where(refs[parent.name] == other_id)
        n = session.scalar(select(func.count()).select_from(table).where(column.in_(carried)))
        moves.append(Move(table.name, column.name, int(n or 0), via=parent.name))
    return moves


# ---- the preview and the merge ------------------------------------------------------------------

@scoped_read
def merge_preview(scope: Scope, session: Session, survivor_id: int, other_id: int) -> MergePreview:
    """Both customers side by side and, per table, how many rows of the other would move (see the
    module docstring for why this is a scoped read open to the merging roles only). A pair that
    cannot be merged (the same customer, one gone or merged already) comes back with ``refusal``."""
    require(scope, "customer.merge")
    try:
        survivor, other = _load_pair(session, survivor_id, other_id)
    except MergeRefused as exc:
        return MergePreview(survivor_id, other_id, pd.DataFrame(), (), (), exc.msg_key, dict(exc.params))
    taken = _taken(survivor, other)
    return MergePreview(survivor.id, other.id, _sides(session, survivor, other, taken),
                        tuple(_count_moves(session, other.id)), taken)


@guarded("customer.merge")
def merge_customers(session: Session, scope: Scope, survivor_id: int, other_id: int, now: datetime) -> dict:
    """Merge the customer ``other_id`` into ``survivor_id`` in the caller's transaction (see the
    module docstring); returns {"survivor_id", "other_id", "moved": {"table.column": rows}, "taken"}."""
    survivor, other = _load_pair(session, survivor_id, other_id)
    sid, oid = survivor.id, other.id
    taken = _taken(survivor, other)
    carried = {f"{m.table}.{m.column}": m.rows for m in _count_moves(session, oid) if m.via and m.rows}
    snapshot = {f: getattr(other, f) for f in (*FILLABLE, "team_id")}
    snapshot["created_at"] = f"{other.created_at:%Y-%m-%d %H:%M:%S}"
    moved: dict[str, int] = {}
    for table, column in customer_references():
        values: dict[str, Any] = {column.name: sid}
        if "version" in table.c:
            values["version"] = table.c.version + 1
        n = session.execute(update(table).where(column == oid).values(**values)).rowcount
        if n:
            moved[f"{table.name}.{column.name}"] = int(n)
    for model in POINTERS:
        n = session.execute(update(model).where(model.ref_type == "customer", model.ref_id == oid)
                            .values(ref_id=sid).execution_options(synchronize_session=False)).rowcount
        if n:
            moved[f"{model.__tablename__}.ref_id"] = int(n)
    for f in taken:
        setattr(survivor, f, getattr(other, f))
        if f == "owner_id":
            survivor.team_id = other.team_id
    survivor.updated_at = now
    closed = _close_findings(session, scope, survivor, oid, now)
    session.delete(other)
    session.flush()
    detail = {"survivor_id": sid, "other_id": oid, "moved": moved, "carried": carried, "taken": list(taken),
              "other": snapshot, "findings_closed": closed}
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="merge", entity="customer",
                         entity_id=str(sid), detail=detail))
    return {"survivor_id": sid, "other_id": oid, "moved": moved, "carried": carried, "taken": list(taken)}


def _close_findings(session: Session, scope: Scope, survivor: Customer, other_id: int, now: datetime) -> int:
    """Close as fixed the open findings about the other customer and the survivor's duplicate finding
    naming it; a third customer's duplicate finding naming the other names the survivor from now on."""
    rows = list(session.scalars(select(QualityFinding).where(
        QualityFinding.status == "open",
        (QualityFinding.record_type == "customer") & (QualityFinding.record_id == other_id)
        | (QualityFinding.rule == "duplicate_customer"))))
    closed = 0
    for row in rows:
        names_other = row.rule == "duplicate_customer" and (row.detail or {}).get("other_id") == other_id
        if row.record_type == "customer" and row.record_id in (other_id, survivor.id) and (
                row.record_id == other_id or names_other):
            row.status, row.closed_at, row.closed_by = "fixed", now, scope.user_id or None
            closed += 1
        elif names_other:
            row.detail = {**row.detail, "other_id": survivor.id, "other_name": survivor.name}
    return closed
