"""What can be imported (SPEC §10): leads, customers and opportunities (admins), and finance's cash
records (SPEC §7) — payments, invoices and shipments against contracts — with their template
columns, the checks across a row's cells and across rows (duplicates), and how the rows are written.
Each entity names the action (core.base.access) a caller needs to import it.

The framework is core.exchange.rows (reading, mapping, cell conversion) and core.exchange.importer
(the one transaction); the
formats are documented in docs/import.md. Every entity's ``load`` reads what it compares against
once, so the checks never query the database per row.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.base.i18n import EN, ZH
from core.exchange.rows import Check, Field, Row, phone_key
from core.base import rules
from core.base.models import AuditLog, Region, Team, User  # company set-up: the users import
from core.base.users import EMAIL_RE, USERNAME_RE, hash_password, initial_password
from core.base.vocabulary import DEPARTMENTS, LEAD, REP, ROLES, STAFF
from core.base.models import (
    Contract, Customer, Invoice, Lead, LeadAssignment, Opportunity, Receipt, Shipment, StageHistory,
)
from core.cash import contracts as cash
from core.base.vocabulary import HEATS, LEAD_STATUSES, OPEN_LEAD_STATUSES, OPPORTUNITY_STATUSES, SIZES, STAGES
from core.leads.routing import assign_new_lead

CHUNK = 2000  # rows per INSERT, and per progress step
WON, LOST = "won", "lost"
NAMES_SHOWN = 10  # new customers named in a report


def _synonyms(prefix: str, codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The English and Chinese labels of each code (texts ``<prefix>.<code>``), as synonyms."""
    return tuple((catalog[f"{prefix}.{code}"], code) for code in codes for catalog in (EN, ZH)
                 if f"{prefix}.{code}" in catalog)


def _labels(key: str) -> tuple[str, ...]:
    return tuple(catalog[key] for catalog in (EN, ZH) if key in catalog)


def _size() -> Field:
    return Field("size", "choice", choices=SIZES, synonyms=_synonyms("imp.value.size", SIZES))


def _owner_team(row: Row, chk: Check, owner_field: str = "owner") -> None:
    """Team from the owner when the team is empty (the owner's team must match a given team);
    region from the team (it must match a given region)."""
    v, lk = row.values, chk.lookups
    owner, team = v.get(owner_field), v.get("team")
    if owner is not None:
        if owner.team_id is None:
            chk.error(row, owner_field, "imp.err.owner_no_team", value=owner.username)
            return
        if team is not None and team.id != owner.team_id:
            chk.error(row, "team", "imp.err.owner_team", owner=owner.username,
                      owner_team=lk.team_name(owner.team_id), team=team.name)
            return
        team = lk.teams_by_id[owner.team_id]
    v["team"] = team
    if "region" in v:
        region = v.get("region")
        if team is not None:
            if region is not None and region != team.region_id:
                chk.error(row, "region", "imp.err.team_region", team=team.name,
                          region=lk.region_names.get(team.region_id, ""))
                return
            region = team.region_id
        v["region"] = region


def _not_before(row: Row, chk: Check, later: str, earlier: str, later_value, earlier_value) -> bool:
    if later_value is not None and earlier_value is not None and later_value < earlier_value:
        chk.error(row, later, "imp.err.before", other=row.columns.get(earlier, earlier),
                  other_value=earlier_value.isoformat(sep=" "))
        return False
    return True


def _duplicates(rows: list[Row], chk: Check, field: str, key: Callable[[Row], Any], existing: dict,
                what: str) -> None:
    """Rows whose ``key`` repeats an earlier row's, or a record the database has, are errors."""
    first: dict[Any, int] = {}
    for row in rows:
        k = key(row)
        if k is None or k == "":
            continue
        if k in existing:
            chk.error(row, field, f"imp.err.dup_db_{what}", id=existing[k])
        elif k in first:
            chk.error(row, field, "imp.err.dup_file", other=first[k])
        else:
            first[k] = row.number


def _insert(session: Session, model, rows: list[dict], progress, done: int, total: int,
            returning: bool = False) -> list[int]:
    """Insert in chunks (ids back in order when ``returning``), reporting progress."""
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if not chunk:
            continue
        if returning:  # Core's insertmanyvalues: ids in the order of the rows, fast on both backends
            table = model.__table__
            ids += session.scalars(table.insert().returning(table.c.id, sort_by_parameter_order=True), chunk).all()
        else:
            session.execute(insert(model), chunk)
        progress(min(1.0, (done + start + len(chunk)) / max(1, total)))
    return ids


# ---- leads -----------------------------------------------------------------------------------

class Leads:
    name = "leads"
    action = "import.run"
    fields = (
        Field("company", required=True, max_len=160),
        Field("contact_name", max_len=60),
        Field("phone", "phone", required=True),
        Field("source_channel", required=True, max_len=40),
        Field("grade", "grade", required=True),
        Field("industry", max_len=40),
        _size(),
        Field("region", "region"),
        Field("team", "team"),
        Field("owner", "user"),
        Field("status", "choice", choices=LEAD_STATUSES, synonyms=_synonyms("imp.value.status", LEAD_STATUSES)),
        Field("created_at", "datetime"),
        Field("next_action", max_len=200),
        Field("next_action_at", "datetime", future_ok=True),
        Field("first_contact_at", "datetime"),
    )

    def load(self, session: Session, chk: Check) -> dict:
        phones: dict[str, int] = {}
        for lead_id, phone in session.execute(select(Lead.id, Lead.phone).where(Lead.phone != "").order_by(Lead.id)):
            phones.setdefault(phone_key(phone), lead_id)
        return {"phones": phones}

    def check_row(self, row: Row, chk: Check) -> None:
        _owner_team(row, chk)
        v = row.values
        created = v["created_at"] or chk.now
        _not_before(row, chk, "first_contact_at", "created_at", v["first_contact_at"], v["created_at"])
        v["created_at"] = created
        v["status"] = v["status"] or ("contacted" if v["first_contact_at"] else "new")

    def check_file(self, rows: list[Row], chk: Check) -> None:
        _duplicates(rows, chk, "phone", lambda r: phone_key(r.values["phone"]), chk.state["phones"], "lead")

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        owned = sum(1 for r in rows if r.values["owner"] is not None)
        waiting = sum(1 for r in rows if r.values["owner"] is None and r.values["status"] in OPEN_LEAD_STATUSES)
        notes = []
        if waiting:
            notes.append(("imp.note.routed" if opts["route"] else "imp.note.pool", {"n": f"{waiting:,}"}))
        return {"leads": len(rows), "lead_assignments": owned}, notes

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        records = []
        for r in rows:
            v = r.values
            owner, team = v["owner"], v["team"]
            pooled = owner is None and v["status"] in OPEN_LEAD_STATUSES and not opts["route"]
            records.append(dict(
                company=v["company"], contact_name=v["contact_name"] or "", phone=v["phone"],
                source_channel=v["source_channel"], industry=v["industry"] or "", size=v["size"] or "",
                region_id=v["region"], grade=v["grade"], status=v["status"],
                owner_id=owner.id if owner else None, team_id=team.id if team else None,
                created_at=v["created_at"], assigned_at=v["created_at"] if owner else None,
                first_contact_at=v["first_contact_at"], last_activity_at=v["first_contact_at"],
                next_action=v["next_action"] or "", next_action_at=v["next_action_at"], version=1,
                pooled_at=chk.now if pooled else None, pool_reason="unrouted" if pooled else None))
        ids = _insert(session, Lead, records, progress, 0, len(records) + 1, returning=True)
        assignments = [dict(lead_id=lead_id, from_user_id=None, to_user_id=rec["owner_id"], team_id=rec["team_id"],
                            reason="imported", at=rec["created_at"], by_user_id=opts["by_user_id"])
                       for lead_id, rec in zip(ids, records) if rec["owner_id"] is not None]
        _insert(session, LeadAssignment, assignments, lambda f: None, 0, 1)
        routed = 0
        if opts["route"]:
            routed = _route(session, [i for i, rec in zip(ids, records)
                                      if rec["owner_id"] is None and rec["status"] in OPEN_LEAD_STATUSES],
                            chk.now, opts["by_user_id"])
        progress(1.0)
        counts = {"leads": len(ids), "lead_assignments": len(assignments)}
        if routed:
            counts["routed"] = routed
        return counts


def _route(session: Session, lead_ids: list[int], now: datetime, by_user_id: int | None) -> int:
    """Give open unowned imported leads to reps by the lead desk's routing rules (core.leads.routing:
    rule → team, round-robin under the daily cap; a lead nobody can take waits in the pool)."""
    owned = 0
    for lead_id in lead_ids:
        lead = session.get(Lead, lead_id)
        assign_new_lead(session, lead, now, by_user_id)
        owned += lead.owner_id is not None
    return owned


# ---- customers -------------------------------------------------------------------------------

class Customers:
    name = "customers"
    action = "import.run"
    fields = (
        Field("name", required=True, max_len=160),
        Field("phone", "phone"),
        Field("tax_id", max_len=40),
        Field("industry", max_len=40),
        _size(),
        Field("customer_type", max_len=40),
        Field("region", "region"),
        Field("team", "team"),
        Field("owner", "user"),
        Field("heat", "choice", choices=HEATS, synonyms=_synonyms("imp.value.heat", HEATS)),
    )

    def load(self, session: Session, chk: Check) -> dict:
        names, phones, tax_ids = {}, {}, {}
        for cid, name, phone, tax_id in session.execute(
                select(Customer.id, Customer.name, Customer.phone, Customer.tax_id).order_by(Customer.id)):
            names.setdefault(name.strip().casefold(), cid)
            if phone:
                phones.setdefault(phone_key(phone), cid)
            if tax_id:
                tax_ids.setdefault(tax_id.strip().upper(), cid)
        return {"names": names, "phones": phones, "tax_ids": tax_ids}

    def check_row(self, row: Row, chk: Check) -> None:
        tax_id = row.values["tax_id"]
        if tax_id is not None:
            tax_id = tax_id.replace(" ", "").upper()
            if not tax_id.replace("-", "").isalnum() or not tax_id.isascii():
                chk.error(row, "tax_id", "imp.err.tax_id", value=row.raw["tax_id"])
            row.values["tax_id"] = tax_id
        _owner_team(row, chk)

    def check_file(self, rows: list[Row], chk: Check) -> None:
        st = chk.state
        _duplicates(rows, chk, "name", lambda r: (r.values["name"] or "").casefold(), st["names"], "customer")
        _duplicates(rows, chk, "phone", lambda r: phone_key(r.values["phone"]), st["phones"], "customer")
        _duplicates(rows, chk, "tax_id", lambda r: r.values["tax_id"], st["tax_ids"], "customer")

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        unowned = sum(1 for r in rows if r.values["owner"] is None)
        return {"customers": len(rows)}, ([("imp.note.unowned_customers", {"n": f"{unowned:,}"})] if unowned else [])

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        records = []
        for r in rows:
            v = r.values
            records.append(dict(
                name=v["name"], phone=v["phone"] or "", tax_id=v["tax_id"], industry=v["industry"] or "",
                size=v["size"] or "", customer_type=v["customer_type"] or "", heat=v["heat"] or "",
                region_id=v["region"], owner_id=v["owner"].id if v["owner"] else None,
                team_id=v["team"].id if v["team"] else None, created_at=chk.now, updated_at=chk.now))
        _insert(session, Customer, records, progress, 0, len(records))
        return {"customers": len(records)}


# ---- opportunities ---------------------------------------------------------------------------

def stage_history(stage: str, status: str, created: datetime, entered: datetime,
                  closed: datetime | None) -> list[tuple[str, datetime, datetime | None]]:
    """The stays (stage, entered_at, left_at) an imported deal's history is made of, as
    core.funnel.stages reads them: initial contact from ``created`` until the current ``stage`` was entered
    (when that is a later stage entered later), the current stage until the close, then a stay
    ``won`` or ``lost`` at the close. Stages between the two are not invented: the funnel counts a
    deal that skipped a stage as moved on from the stage it was in."""
    stays: list[tuple[str, datetime, datetime | None]] = []
    if stage != STAGES[0] and entered > created:
        stays.append((STAGES[0], created, entered))
    stays.append((stage, entered, closed))
    if status in (WON, LOST):
        stays.append((status, closed, None))
    return stays


class Opportunities:
    name = "opportunities"
    action = "import.run"
    fields = (
        Field("name", required=True, max_len=200),
        Field("customer", required=True, max_len=160),
        Field("owner", "user", required=True),
        Field("team", "team"),
        Field("product", max_len=60),
        Field("source_channel", max_len=40),
        Field("amount", "amount"),
        Field("stage", "choice", required=True, choices=STAGES, synonyms=_synonyms("funnel.stage", STAGES),
              refuse=tuple((word, "imp.err.stage_is_status") for word in ("won", "lost", *_labels("funnel.stage.won"),
                                                                         *_labels("funnel.stage.lost")))),
        Field("status", "choice", choices=OPPORTUNITY_STATUSES,
              synonyms=_synonyms("funnel.status", OPPORTUNITY_STATUSES)),
        Field("created_at", "datetime"),
        Field("stage_entered_at", "datetime"),
        Field("closed_at", "datetime"),
        Field("lost_reason", max_len=200),
    )

    def load(self, session: Session, chk: Check) -> dict:
        customers: dict[str, list[int]] = defaultdict(list)
        for cid, name in session.execute(select(Customer.id, Customer.name).order_by(Customer.id)):
            customers[name.strip()].append(cid)
        deals = {(cid, name): oid for oid, cid, name in
                 session.execute(select(Opportunity.id, Opportunity.customer_id, Opportunity.name))}
        return {"customers": dict(customers), "deals": deals}

    def check_row(self, row: Row, chk: Check) -> None:
        v = row.values
        _owner_team(row, chk)
        status = v["status"] = v["status"] or "open"
        closed = v["closed_at"]
        if status in (WON, LOST) and closed is None:
            chk.error(row, "closed_at", "imp.err.closed_needed", status=status)
        if status == "open" and closed is not None:
            chk.error(row, "closed_at", "imp.err.closed_open")
        first = v["created_at"] or v["stage_entered_at"]
        v["dated_now"] = first is None
        first = first or chk.now
        entered = v["stage_entered_at"] or first
        _not_before(row, chk, "stage_entered_at", "created_at", v["stage_entered_at"], v["created_at"])
        _not_before(row, chk, "closed_at", "stage_entered_at", closed, entered)
        v["created_at"], v["stage_entered_at"] = first, entered
        v["amount"] = v["amount"] if v["amount"] is not None else 0
        ids = chk.state["customers"].get(v["customer"], [])
        if len(ids) > 1:
            chk.error(row, "customer", "imp.err.customer_ambiguous", n=len(ids), value=v["customer"])
        v["customer_id"] = ids[0] if ids else None

    def check_file(self, rows: list[Row], chk: Check) -> None:
        existing = chk.state["deals"]
        ok = [r for r in rows if r.ok]
        _duplicates(ok, chk, "name",
                    lambda r: (r.values["customer_id"], r.values["name"]) if r.values["customer_id"] else None,
                    existing, "opportunity")
        _duplicates(ok, chk, "name",
                    lambda r: None if r.values["customer_id"] else (r.values["customer"], r.values["name"]),
                    {}, "opportunity")

    def _new_customers(self, rows: list[Row]) -> dict[str, Row]:
        """Customer name → the first row naming it, for customers the database does not have."""
        new: dict[str, Row] = {}
        for r in rows:
            if r.values["customer_id"] is None:
                new.setdefault(r.values["customer"], r)
        return new

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        new = self._new_customers(rows)
        history = sum(len(self._stays(r)) for r in rows)
        matched = len({r.values["customer_id"] for r in rows if r.values["customer_id"]})
        notes: list = [("imp.note.customers_matched", {"n": f"{matched:,}"})]
        if new:
            names = list(new)[:NAMES_SHOWN] + (["…"] if len(new) > NAMES_SHOWN else [])
            notes.append(("imp.note.customers_created", {"n": f"{len(new):,}", "names": names}))
        dated_now = sum(1 for r in rows if r.values["dated_now"])
        if dated_now:
            notes.append(("imp.note.dated_now", {"n": f"{dated_now:,}", "now": chk.now.isoformat(sep=" ")}))
        return {"customers": len(new), "opportunities": len(rows), "stage_history": history}, notes

    @staticmethod
    def _stays(r: Row):
        v = r.values
        return stage_history(v["stage"], v["status"], v["created_at"], v["stage_entered_at"], v["closed_at"])

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        new = self._new_customers(rows)
        first_deal: dict[str, datetime] = {}
        for r in rows:
            name, created = r.values["customer"], r.values["created_at"]
            first_deal[name] = min(first_deal.get(name, created), created)
        customers = []
        for name, r in new.items():
            v, first = r.values, first_deal[name]
            customers.append(dict(name=name, phone="", industry="", size="", customer_type="", heat="",
                                  region_id=v["team"].region_id, owner_id=v["owner"].id, team_id=v["team"].id,
                                  created_at=first, updated_at=first))
        total = len(customers) + len(rows) + 1
        ids = dict(zip(new, _insert(session, Customer, customers, progress, 0, total, returning=True)))
        deals = []
        for r in rows:
            v = r.values
            deals.append(dict(
                name=v["name"], customer_id=v["customer_id"] or ids[v["customer"]], lead_id=None,
                owner_id=v["owner"].id, team_id=v["team"].id, product=v["product"] or "",
                source_channel=v["source_channel"] or "", amount=v["amount"], stage=v["stage"], status=v["status"],
                stage_entered_at=v["stage_entered_at"], created_at=v["created_at"], closed_at=v["closed_at"],
                lost_reason=v["lost_reason"] or "", version=1))
        deal_ids = _insert(session, Opportunity, deals, progress, len(customers), total, returning=True)
        history = [dict(opportunity_id=oid, stage=stage, entered_at=entered, left_at=left,
                        by_user_id=r.values["owner"].id, evidence="", note="imported")
                   for oid, r in zip(deal_ids, rows) for stage, entered, left in self._stays(r)]
        _insert(session, StageHistory, history, lambda f: None, 0, 1)
        progress(1.0)
        return {"customers": len(customers), "opportunities": len(deal_ids), "stage_history": len(history)}


# ---- cash records (SPEC §7): payments, invoices and shipments against contracts --------------------

@dataclass(frozen=True)
class ContractRow:
    """A contract as the cash imports check against it, with what it has received and been invoiced."""
    id: int
    number: str
    amount: Decimal
    signed_at: datetime
    created_at: datetime
    status: str
    owner_id: int
    team_id: int | None
    received: Decimal
    invoiced: Decimal


def contract_key(number: str | None) -> str:
    """Contract numbers are matched without surrounding spaces and whatever the case."""
    return (number or "").strip().upper()


def _contracts(session: Session) -> dict[str, ContractRow]:
    """Every contract by its number (contract_key), with Σ receipts and Σ invoices: three queries."""
    received = dict(session.execute(select(Receipt.contract_id, func.sum(Receipt.amount))
                                    .group_by(Receipt.contract_id)).all())
    invoiced = dict(session.execute(select(Invoice.contract_id, func.sum(Invoice.amount))
                                    .group_by(Invoice.contract_id)).all())
    c = Contract
    return {contract_key(r.number): ContractRow(r.id, r.number, Decimal(str(r.amount)), r.signed_at, r.created_at,
                                                r.status, r.owner_id, r.team_id,
                                                Decimal(str(received.get(r.id) or 0)),
                                                Decimal(str(invoiced.get(r.id) or 0)))
            for r in session.execute(select(c.id, c.number, c.amount, c.signed_at, c.created_at, c.status,
                                            c.owner_id, c.team_id))}


def _against_contract(row: Row, chk: Check, date_field: str, *, not_before_signing: bool = True) -> ContractRow | None:
    """The row's contract (known, not cancelled), kept in ``row.values["contract"]``; a date before
    the signing day is an error where ``not_before_signing``."""
    v = row.values
    c = chk.state["contracts"].get(contract_key(v["contract_number"]))
    if c is None:
        chk.error(row, "contract_number", "imp.err.contract_unknown", value=v["contract_number"])
        return None
    if c.status == cash.CANCELLED:
        chk.error(row, "contract_number", "cash.err.cancelled", number=c.number)
        return None
    v["contract"] = c
    moment = v[date_field]
    if not_before_signing and moment is not None and moment.date() < c.signed_at.date():
        chk.error(row, date_field, "imp.err.before_signing", number=c.number, signed=f"{c.signed_at:%Y-%m-%d}")
    return c


def _positive(row: Row, chk: Check, field_name: str) -> None:
    if row.values[field_name] is not None and row.values[field_name] <= 0:
        chk.error(row, field_name, "cash.err.amount_positive")


def _repeats(rows: list[Row], chk: Check, field_name: str, key: Callable[[Row], Any],
             recorded: Callable[[Any], tuple[str, dict] | None]) -> None:
    """A row whose ``key`` repeats an earlier row's is an error, and so is one that ``recorded``
    finds in the database (it gives the message key and its values)."""
    first: dict[Any, int] = {}
    for row in rows:
        k = key(row)
        if k is None or k == "":
            continue
        known = recorded(k)
        if known is not None:
            chk.error(row, field_name, known[0], **known[1])
        elif k in first:
            chk.error(row, field_name, "imp.err.dup_file", other=first[k])
        else:
            first[k] = row.number


def _file_totals(rows: list[Row], field_name: str) -> dict[int, tuple[ContractRow, Decimal]]:
    """Per contract of the rows: the contract and the rows' Σ ``field_name``."""
    totals: dict[int, tuple[ContractRow, Decimal]] = {}
    for r in rows:
        c = r.values["contract"]
        totals[c.id] = (c, totals.get(c.id, (c, Decimal(0)))[1] + r.values[field_name])
    return totals


def _against(rows: list[Row], chk: Check, by_user_id: int | None, **fields: str) -> list[dict]:
    """The rows as records of their contract (owner and team copied from it), entered now by the caller."""
    return [dict(contract_id=r.values["contract"].id, owner_id=r.values["contract"].owner_id,
                 team_id=r.values["contract"].team_id, entered_by=by_user_id, created_at=chk.now,
                 **{column: r.values[name] for column, name in fields.items()}) for r in rows]


class Payments:
    """Money finance received (a bank transfer, a cheque): a receipt of the contract, allocated over
    its instalments in due-date order (core.cash.contracts.allocate); a contract whose receipts reach
    its amount is completed. A reference already recorded for the contract, or twice in the file, is
    an error: a file imported twice is refused."""
    name = "payments"
    action = "import.cash"
    fields = (
        Field("contract_number", required=True, max_len=cash.NUMBER_MAX),
        Field("amount", "amount", required=True),
        Field("received_at", "datetime", required=True),
        Field("reference", required=True, max_len=cash.REFERENCE_MAX),
    )

    def load(self, session: Session, chk: Check) -> dict:
        recorded = {(cid, ref): (created, amount) for cid, ref, created, amount in session.execute(
            select(Receipt.contract_id, Receipt.reference, Receipt.created_at, Receipt.amount)
            .where(Receipt.reference.is_not(None)))}
        return {"contracts": _contracts(session), "references": recorded}

    def check_row(self, row: Row, chk: Check) -> None:
        _positive(row, chk, "amount")
        _against_contract(row, chk, "received_at")

    def check_file(self, rows: list[Row], chk: Check) -> None:
        recorded = chk.state["references"]
        numbers = {r.values["contract"].id: r.values["contract"].number for r in rows if r.values.get("contract")}

        def known(k):
            if k not in recorded:
                return None
            created, amount = recorded[k]
            return "cash.err.reference_taken", dict(reference=k[1], number=numbers[k[0]],
                                                    at=f"{created:%Y-%m-%d %H:%M}", amount=cash.yuan(amount))

        _repeats(rows, chk, "reference",
                 lambda r: (r.values["contract"].id, r.values["reference"]) if r.values.get("contract") else None,
                 known)

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        totals = _file_totals(rows, "amount").values()
        completed = sum(1 for c, add in totals if c.status == cash.ACTIVE and c.received < c.amount <= c.received + add)
        over = sum(1 for c, add in totals if c.received + add > c.amount)
        notes = [("imp.note.contracts_completed", {"n": f"{completed:,}"})] if completed else []
        if over:
            notes.append(("imp.note.overpaid", {"n": f"{over:,}"}))
        return {"payments": len(rows)}, notes

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        records = _against(rows, chk, opts["by_user_id"], amount="amount", received_at="received_at",
                           reference="reference")
        total = 2 * len(records) + 1
        _insert(session, Receipt, records, progress, 0, total)
        contracts: dict[int, Contract] = {}
        ordered = sorted(rows, key=lambda r: (r.values["contract"].id, r.values["received_at"], r.number))
        for i, r in enumerate(ordered, start=1):
            cid = r.values["contract"].id
            contract = contracts.get(cid) or session.get(Contract, cid)
            contracts[cid] = contract
            cash.allocate(session, contract, r.values["amount"], r.values["received_at"])
            if i % CHUNK == 0:
                progress((len(records) + i) / total)
        for contract in contracts.values():
            cash.settle(session, contract)
        progress(1.0)
        return {"payments": len(records)}


class Invoices:
    """Invoices finance issued: each allowed only for a contract whose receipts already recorded are
    more than the setting invoice_min_paid_share of its amount (payments in the same file do not
    count: import them first), never above the amount all invoices together; numbers are unique."""
    name = "invoices"
    action = "import.cash"
    fields = (
        Field("contract_number", required=True, max_len=cash.NUMBER_MAX),
        Field("number", required=True, max_len=cash.NUMBER_MAX),
        Field("amount", "amount", required=True),
        Field("issued_at", "datetime", required=True),
    )

    def load(self, session: Session, chk: Check) -> dict:
        numbers = set(session.scalars(select(Invoice.number)))
        return {"contracts": _contracts(session), "numbers": numbers,
                "share": rules.get(session, "invoice_min_paid_share")}

    def check_row(self, row: Row, chk: Check) -> None:
        _positive(row, chk, "amount")
        c = _against_contract(row, chk, "issued_at")
        share = chk.state["share"]
        if c is not None and not cash.may_invoice(c.received, c.amount, share):
            chk.error(row, "amount", "cash.err.not_paid_enough", number=c.number,
                      **cash.invoice_refusal(c.received, c.amount, share))

    def check_file(self, rows: list[Row], chk: Check) -> None:
        numbers = chk.state["numbers"]
        _repeats(rows, chk, "number", lambda r: r.values["number"],
                 lambda k: ("cash.err.invoice_number_taken", {"number": k}) if k in numbers else None)
        running: dict[int, Decimal] = {}
        for r in rows:
            c, amount = r.values.get("contract"), r.values["amount"]
            if not r.ok or c is None:
                continue
            invoiced = c.invoiced + running.get(c.id, Decimal(0))
            if invoiced + amount > c.amount:
                chk.error(r, "amount", "cash.err.over_invoiced", number=c.number, total=cash.yuan(invoiced + amount),
                          amount=cash.yuan(c.amount), invoiced=cash.yuan(invoiced),
                          room=cash.yuan(max(c.amount - invoiced, Decimal(0))))
            else:
                running[c.id] = running.get(c.id, Decimal(0)) + amount

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        return {"invoices": len(rows)}, []

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        records = _against(rows, chk, opts["by_user_id"], number="number", amount="amount", issued_at="issued_at")
        _insert(session, Invoice, records, progress, 0, len(records))
        return {"invoices": len(records)}


class Shipments:
    """Goods the warehouse shipped (delivery notes, 出库单) at their value; delivery-note numbers are
    unique. A shipment dated before its contract was entered is imported (the data-quality scan
    reports such an order), and so is one that makes the shipped value differ from the amount
    (reconciliation shows it)."""
    name = "shipments"
    action = "import.cash"
    fields = (
        Field("contract_number", required=True, max_len=cash.NUMBER_MAX),
        Field("number", required=True, max_len=cash.NUMBER_MAX),
        Field("value", "amount", required=True),
        Field("shipped_at", "datetime", required=True),
    )

    def load(self, session: Session, chk: Check) -> dict:
        return {"contracts": _contracts(session), "numbers": set(session.scalars(select(Shipment.number)))}

    def check_row(self, row: Row, chk: Check) -> None:
        _against_contract(row, chk, "shipped_at", not_before_signing=False)

    def check_file(self, rows: list[Row], chk: Check) -> None:
        numbers = chk.state["numbers"]
        _repeats(rows, chk, "number", lambda r: r.values["number"],
                 lambda k: ("imp.err.shipment_number_taken", {"number": k}) if k in numbers else None)

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        early = len({r.values["contract"].id for r in rows if r.values["shipped_at"] < r.values["contract"].created_at})
        return {"shipments": len(rows)}, ([("imp.note.shipped_before_order", {"n": f"{early:,}"})] if early else [])

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        records = _against(rows, chk, opts["by_user_id"], number="number", value="value", shipped_at="shipped_at")
        _insert(session, Shipment, records, progress, 0, len(records))
        return {"shipments": len(records)}


# entity name → its definition: what `import ENTITY FILE` can take, in this order
# ---- users (company set-up, SPEC §10) -----------------------------------------------

class Users:
    """A company's people: username, name, role, team, region, department, e-mail. Regions and teams
    named in the file that the database lacks are created (a new team needs its region); the first
    lead of a team without one becomes its lead. Each user gets an initial password (returned once,
    in the report) that they must change at first login."""
    name = "users"
    action = "import.users"
    fields = (
        Field("username", required=True, max_len=60),
        Field("name", required=True, max_len=80),
        Field("role", "choice", required=True, choices=ROLES, synonyms=_synonyms("role", ROLES)),
        Field("team", max_len=80),
        Field("region", max_len=80),
        Field("department", "choice", choices=DEPARTMENTS, synonyms=_synonyms("requests.dept", DEPARTMENTS)),
        Field("email", max_len=120),
    )

    def load(self, session: Session, chk: Check) -> dict:
        leads = {team_id for team_id in session.scalars(select(Team.id).where(Team.lead_user_id.is_not(None)))}
        return {"usernames": {u.lower(): i for u, i in session.execute(select(User.username, User.id))},
                "led_teams": leads}

    def check_row(self, row: Row, chk: Check) -> None:
        v, lk = row.values, chk.lookups
        v["username"] = v["username"].strip().lower()
        if not USERNAME_RE.match(v["username"]):
            chk.error(row, "username", "err.username_format")
        email = v["email"]
        if email and not EMAIL_RE.match(email):
            chk.error(row, "email", "company.err.email")
        role, team, region = v["role"], v["team"], v["region"]
        if role in (REP, LEAD) and not team:
            chk.error(row, "team", "err.team_needed")
        if role == STAFF and not v["department"]:
            chk.error(row, "department", "err.department_needed")
        if role != STAFF and v["department"]:
            chk.error(row, "department", "err.department_only_service")
        if role == STAFF and team:
            chk.error(row, "team", "err.service_no_team")
        if team:
            known = lk.teams.get(team)
            if known is not None and region and lk.regions.get(region) != known.region_id:
                chk.error(row, "region", "imp.err.team_region", team=team,
                          region=lk.region_names.get(known.region_id, ""))

    def check_file(self, rows: list[Row], chk: Check) -> None:
        _duplicates(rows, chk, "username", lambda r: r.values["username"], chk.state["usernames"], "user")
        regions: dict[str, tuple[str, int]] = {}  # a new team → (its region, the row that named it)
        leads: dict[str, int] = {}
        for row in rows:
            v = row.values
            team = v["team"]
            if not team or not row.ok:
                continue
            if team not in chk.lookups.teams and v["region"]:
                first = regions.setdefault(team, (v["region"], row.number))
                if first[0] != v["region"]:
                    chk.error(row, "region", "company.err.team_two_regions", team=team, region=first[0],
                              other=first[1])
        for row in rows:  # a team the database lacks is created in the region a row of it names
            team = row.values["team"]
            if row.ok and team and team not in chk.lookups.teams and team not in regions:
                chk.error(row, "region", "company.err.new_team_region", team=team)
            if v["role"] == LEAD:
                known = chk.lookups.teams.get(team)
                if known is not None and known.id in chk.state["led_teams"]:
                    continue  # the team keeps its lead; this lead joins it
                if team in leads:
                    chk.error(row, "team", "company.err.two_leads", team=team, other=leads[team])
                else:
                    leads[team] = row.number

    def _new(self, rows: list[Row], chk: Check) -> tuple[list[str], list[tuple[str, str]]]:
        lk = chk.lookups
        regions, teams = [], []
        for r in rows:
            region, team = r.values["region"], r.values["team"]
            if region and region not in lk.regions and region not in regions:
                regions.append(region)
            if team and region and team not in lk.teams and team not in {t for t, _ in teams}:
                teams.append((team, region))
        return regions, teams

    def plan(self, session: Session, rows: list[Row], chk: Check, opts: dict) -> tuple[dict, list]:
        regions, teams = self._new(rows, chk)
        return ({"users": len(rows), "regions": len(regions), "teams": len(teams)},
                [("company.note.passwords", {"n": f"{len(rows):,}"})])

    def write(self, session: Session, rows: list[Row], chk: Check, opts: dict, progress) -> dict:
        lk, now, by = chk.lookups, chk.now, opts["by_user_id"]
        new_regions, new_teams = self._new(rows, chk)
        region_ids = dict(lk.regions)
        for name in new_regions:
            region = Region(name=name)
            session.add(region)
            session.flush()
            region_ids[name] = region.id
            session.add(AuditLog(at=now, user_id=by, action="create", entity="region", entity_id=str(region.id),
                                 detail={"after": {"name": name}, "import": True}))
        team_ids = {name: tm.id for name, tm in lk.teams.items()}
        teams: dict[int, Team] = {}
        for name, region in new_teams:
            team = Team(name=name, region_id=region_ids[region], auto_reassign=False)
            session.add(team)
            session.flush()
            team_ids[name], teams[team.id] = team.id, team
            session.add(AuditLog(at=now, user_id=by, action="create", entity="team", entity_id=str(team.id),
                                 detail={"after": {"name": name, "region_id": team.region_id}, "import": True}))
        passwords: dict[str, str] = {}
        led = set(chk.state["led_teams"])
        for i, r in enumerate(rows):
            v = r.values
            password = initial_password()
            team_id = team_ids[v["team"]] if v["team"] else None
            user = User(username=v["username"], display_name=v["name"], role=v["role"], team_id=team_id,
                        department=v["department"], email=v["email"] or "",
                        password_hash=hash_password(password, IMPORT_HASH_ROUNDS), active=True, created_at=now,
                        failed_logins=0, must_change_password=True)
            session.add(user)
            session.flush()
            passwords[user.username] = password
            if v["role"] == LEAD and team_id not in led:
                (teams.get(team_id) or session.get(Team, team_id)).lead_user_id = user.id
                led.add(team_id)
            session.add(AuditLog(at=now, user_id=by, action="create", entity="user", entity_id=str(user.id),
                                 detail={"after": {"username": user.username, "role": user.role,
                                                   "team_id": team_id, "department": user.department},
                                         "import": True}))
            progress((i + 1) / len(rows))
        opts["passwords"] = passwords
        return {"users": len(rows), "regions": len(new_regions), "teams": len(new_teams)}


IMPORT_HASH_ROUNDS = 12  # bcrypt cost of the initial passwords (tests lower it)

ENTITIES = {e.name: e for e in (Leads(), Customers(), Opportunities(), Payments(), Invoices(), Shipments(),
                                Users())}
