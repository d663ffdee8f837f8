"""Contracts and what finance records against them (SPEC §7): the signed contract with its payment
schedule, the money received (receipts), the invoices and the shipments.

A contract (the order, 合同/订单) is created only here, by sales, for a customer of their own scope;
its amount is due in 1–12 equal instalments (``payments`` rows, the receivables). Finance records
what the bank received as a *receipt*; ``allocate`` spreads it over the instalments in due-date
order, the last one taking any overpayment, so the instalments' ``amount_received`` always add up
to the contract's receipts (and the scorecard keeps counting ``amount_received`` by
``received_at``). A contract is completed once its receipts reach its amount.

An invoice is allowed only once the receipts are MORE than the setting ``invoice_min_paid_share``
(default 0.95) of the amount: exactly 95 % is refused. Invoices never add up to more than the amount.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import (
    AuditLog, Contract, Customer, Invoice, Opportunity, Payment, Receipt, Region, Shipment, Team, User,
)
from core.base.scope import Scope, scoped_read

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_INSTALMENTS = 12
MAX_EVERY_DAYS = 365
SIGN_BACKDATE_DAYS = 365  # a contract may be entered up to a year after it was signed
NUMBER_MAX = 40
REFERENCE_MAX = 60
NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
MAX_SEARCH = 100
OPTIONS_LIMIT = 1000  # customers offered in the new-contract form
CANCELLED, COMPLETED, ACTIVE = "cancelled", "completed", "active"


class InvalidContract(UserError):
    """A new contract that cannot be saved; ``errors`` holds every refused field."""


class InvalidPayment(UserError):
    """A payment (receipt) that cannot be recorded; ``errors`` holds every refused field."""


class InvalidInvoice(UserError):
    """An invoice that cannot be recorded (the 95 % rule among others); ``errors`` holds every refused field."""


class _Errors:
    """Collects the refusals of one form, so every bad field is named at once."""

    def __init__(self, kind: type[UserError]):
        self.kind, self.found = kind, {}

    def add(self, key: str, field_name: str, **params) -> None:
        self.found.setdefault(field_name, self.kind(key, field_name, **params))

    def __contains__(self, field_name: str) -> bool:
        return field_name in self.found

    def raise_any(self) -> None:
        if self.found:
            first = next(iter(self.found.values()))
            first.errors = dict(self.found)
            raise first


# ---- the rules, pure ------------------------------------------------------------------------------

def paid_share(received: Any, amount: Any) -> float | None:
    """Receipts over the contract amount, 0–1 (above 1 when overpaid); None for a zero amount."""
    amount = Decimal(str(amount or 0))
    return None if amount <= 0 else float(Decimal(str(received or 0)) / amount)


def may_invoice(received: Any, amount: Any, share: float) -> bool:
    """Whether a contract of ``amount`` with ``received`` in receipts may be invoiced: only when the
    receipts are MORE than ``share`` (0–1) of the amount — exactly that share is not enough."""
    amount = Decimal(str(amount or 0))
    return amount > 0 and Decimal(str(received or 0)) > amount * Decimal(str(share))


def schedule(amount: Decimal, signed: date, instalments: int, every_days: int) -> list[tuple[date, Decimal]]:
    """(due date, amount due) of each instalment: ``instalments`` equal parts ``every_days`` apart, the
    first ``every_days`` after signing; the last part takes the rounding, so they add up to ``amount``."""
    part = (amount / instalments).quantize(CENT, rounding=ROUND_DOWN)
    dues = [signed + timedelta(days=every_days * (i + 1)) for i in range(instalments)]
    return [(due, part if i < instalments - 1 else amount - part * (instalments - 1)) for i, due in enumerate(dues)]


def days_overdue(due: date, amount_due: Any, received: Any, today: date) -> int:
    """Days an instalment is past its due date while not fully received (0 otherwise)."""
    if due is None or Decimal(str(received or 0)) >= Decimal(str(amount_due or 0)) or due >= today:
        return 0
    return (today - due).days


def invoice_refusal(received: Any, amount: Any, share: float) -> dict[str, str]:
    """The figures of the 95 % refusal: the share paid (one decimal) and the share needed, in %."""
    paid = paid_share(received, amount) or 0.0
    return {"paid": f"{paid * 100:.1f}", "min": f"{share * 100:g}"}


# ---- cleaning what a form or a file gives ------------------------------------------------------------

def money(value: Any) -> Decimal | None:
    """An amount to the cent from a number or a text ("1,234.50", "¥12,000"); None when it is none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = re.sub(r"[,\s¥￥]", "", value)
        if not value:
            return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(CENT)


def _amount(errors: _Errors, value: Any, field_name: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add("err.required", field_name)
        return None
    amount = money(value)
    if amount is None:
        errors.add("cash.err.amount_number", field_name)
    elif amount <= 0:
        errors.add("cash.err.amount_positive", field_name)
    elif amount > MAX_AMOUNT:
        errors.add("cash.err.amount_too_big", field_name)
    else:
        return amount
    return None


def _day(errors: _Errors, value: Any, field_name: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    errors.add("cash.err.date" if value not in (None, "") else "err.required", field_name)
    return None


def _moment(value: Any, day: date, now: datetime) -> datetime:
    """The moment a day given on a form stands for: a full date-time as given, today now, another day noon."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    return now if day == now.date() else datetime.combine(day, time(12, 0))


def _whole(errors: _Errors, value: Any, field_name: str, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or float(value) != int(value) or not low <= int(value) <= high:
        errors.add("cash.err.whole_range", field_name, min=low, max=high)
        return None
    return int(value)


def _text(errors: _Errors, value: Any, field_name: str, max_len: int, *, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ("" if value is None else None)
    if text is None:
        errors.add("cash.err.text", field_name)
        return ""
    if not text and required:
        errors.add("err.required", field_name)
    elif len(text) > max_len:
        errors.add("cash.err.too_long", field_name, n=max_len)
    return text


def _number(errors: _Errors, value: Any, field_name: str, *, required: bool) -> str:
    text = _text(errors, value, field_name, NUMBER_MAX, required=required)
    if text and field_name not in errors and not NUMBER_RE.match(text):
        errors.add("cash.err.number_chars", field_name)
    return text


def _in_scope(scope: Scope, owner_id: int | None, team_id: int | None) -> bool:
    if scope.own_only:
        return owner_id is not None and owner_id == scope.user_id
    return scope.may_see_team(team_id)


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _contract(session: Session, scope: Scope, contract_id: Any, kind: type[UserError]) -> Contract:
    """The contract the caller may touch, not cancelled; or the refusal at ``contract_id``."""
    cid = _id(contract_id)
    contract = session.get(Contract, cid) if cid is not None else None
    if contract is None or not _in_scope(scope, contract.owner_id, contract.team_id):
        raise kind("cash.err.no_contract", "contract_id")
    if contract.status == CANCELLED:
        raise kind("cash.err.cancelled", "contract_id", number=contract.number)
    return contract


def received_of(session: Session, contract_id: int) -> Decimal:
    """Σ receipts of a contract."""
    total = session.scalar(select(func.sum(Receipt.amount)).where(Receipt.contract_id == contract_id))
    return Decimal(str(total or 0))


def invoiced_of(session: Session, contract_id: int) -> Decimal:
    """Σ invoices of a contract."""
    total = session.scalar(select(func.sum(Invoice.amount)).where(Invoice.contract_id == contract_id))
    return Decimal(str(total or 0))


def yuan(value: Any) -> str:
    """An amount as messages show it: ¥12,345.60 (cents only when there are some)."""
    amount = Decimal(str(value or 0))
    return f"¥{amount:,.2f}" if amount != amount.to_integral() else f"¥{amount:,.0f}"


# ---- writes ------------------------------------------------------------------------------------------

def allocate(session: Session, contract: Contract, amount: Any, received_at: datetime) -> None:
    """Spread ``amount`` received for ``contract`` over its instalments in due-date order: each takes
    up to what it still lacks, the last takes whatever is left (an overpayment); every instalment
    that takes part is marked received at ``received_at``. (As tests.factories.add_receipt does.)"""
    rows = session.scalars(select(Payment).where(Payment.contract_id == contract.id)
                           .order_by(Payment.due_date, Payment.id)).all()
    left = Decimal(str(amount))
    for i, row in enumerate(rows):
        room = Decimal(str(row.amount_due)) - Decimal(str(row.amount_received or 0))
        take = left if i == len(rows) - 1 else min(max(room, Decimal(0)), left)
        if take > 0:
            row.amount_received = Decimal(str(row.amount_received or 0)) + take
            row.received_at = received_at
            left -= take
    session.flush()


def settle(session: Session, contract: Contract) -> None:
    """Mark an active contract completed once its receipts reach its amount."""
    if contract.status == ACTIVE and received_of(session, contract.id) >= Decimal(str(contract.amount)):
        contract.status = COMPLETED


def next_number(session: Session, signed: date) -> str:
    """The next free contract number of the signing day: HT<yyyymmdd>-<4-digit sequence>."""
    prefix = f"HT{signed:%Y%m%d}-"
    taken = session.scalars(select(Contract.number).where(Contract.number.like(prefix + "____"))).all()
    seq = max([int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()], default=0) + 1
    while session.scalar(select(Contract.id).where(Contract.number == f"{prefix}{seq:04d}")) is not None:
        seq += 1
    return f"{prefix}{seq:04d}"


@guarded("contract.create")
def create_contract(session: Session, scope: Scope, *, customer_id: Any, amount: Any, signed_at: Any,
                    instalments: Any = 1, every_days: Any = 30, opportunity_id: Any = None, number: Any = None,
                    now: datetime) -> Contract:
    """A contract for a customer of the caller's scope (a rep: their own), optionally for one of
    that customer's won deals without a contract yet (the deal's amount when ``amount`` is empty),
    with ``instalments`` equal instalments ``every_days`` apart. Owner and team are the customer's.
    Every refused field is named at once (InvalidContract); nothing is written then."""
    errors = _Errors(InvalidContract)
    cid = _id(customer_id)
    customer = session.get(Customer, cid) if cid is not None else None
    if customer is None or not _in_scope(scope, customer.owner_id, customer.team_id):
        errors.add("cash.err.customer", "customer_id")
        customer = None
    elif customer.owner_id is None:
        errors.add("cash.err.customer_no_owner", "customer_id", customer=customer.name)
    deal = None
    if opportunity_id is not None and customer is not None:
        oid = _id(opportunity_id)
        deal = session.get(Opportunity, oid) if oid is not None else None
        if deal is None or deal.customer_id != customer.id or deal.status != "won":
            errors.add("cash.err.deal", "opportunity_id", customer=customer.name)
            deal = None
        else:
            other = session.scalar(select(Contract.number).where(Contract.opportunity_id == deal.id,
                                                                 Contract.status != CANCELLED))
            if other is not None:
                errors.add("cash.err.deal_has_contract", "opportunity_id", deal=deal.name, number=other)
                deal = None
    if (amount is None or amount == "") and deal is not None:
        amount = deal.amount
    value = _amount(errors, amount, "amount")
    day = _day(errors, signed_at, "signed_at")
    if day is not None:
        if day > now.date():
            errors.add("cash.err.signed_future", "signed_at")
        elif day < now.date() - timedelta(days=SIGN_BACKDATE_DAYS):
            errors.add("cash.err.signed_old", "signed_at", n=SIGN_BACKDATE_DAYS)
    parts = _whole(errors, instalments, "instalments", 1, MAX_INSTALMENTS)
    every = _whole(errors, every_days, "every_days", 1, MAX_EVERY_DAYS)
    given = _number(errors, number, "number", required=False)
    if given and "number" not in errors and session.scalar(select(Contract.id).where(Contract.number == given)):
        errors.add("cash.err.number_taken", "number", number=given)
    errors.raise_any()

    contract = Contract(number=given or next_number(session, day), customer_id=customer.id,
                        opportunity_id=deal.id if deal else None, owner_id=customer.owner_id,
                        team_id=customer.team_id, amount=value, signed_at=_moment(signed_at, day, now),
                        status=ACTIVE, created_at=now)
    session.add(contract)
    session.flush()
    dues = schedule(value, day, parts, every)
    session.add_all([Payment(contract_id=contract.id, owner_id=contract.owner_id, team_id=contract.team_id,
                             due_date=due, amount_due=part, amount_received=Decimal(0), received_at=None, note="",
                             created_at=now) for due, part in dues])
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="contract",
                         entity_id=str(contract.id),
                         detail={"number": contract.number, "customer_id": customer.id,
                                 "opportunity_id": contract.opportunity_id, "amount": str(value),
                                 "signed_on": day.isoformat(), "instalments": parts, "every_days": every}))
    session.flush()
    return contract


@guarded("payment.record")
def record_payment(session: Session, scope: Scope, contract_id: Any, *, amount: Any, received_at: Any,
                   reference: Any, now: datetime) -> Receipt:
    """Money received for a contract (not cancelled): the receipt, allocated over its instalments
    (``allocate``); the contract is completed once its receipts reach its amount. A reference already
    recorded for the contract is refused, naming when it was recorded."""
    contract = _contract(session, scope, contract_id, InvalidPayment)
    errors = _Errors(InvalidPayment)
    value = _amount(errors, amount, "amount")
    day = _day(errors, received_at, "received_at")
    if day is not None:
        if day > now.date() or (isinstance(received_at, datetime) and received_at > now):
            errors.add("cash.err.received_future", "received_at")
        elif day < contract.signed_at.date():
            errors.add("cash.err.received_before_signing", "received_at", signed=f"{contract.signed_at:%Y-%m-%d}")
    ref = _text(errors, reference, "reference", REFERENCE_MAX)
    if ref and "reference" not in errors:
        earlier = session.execute(select(Receipt.created_at, Receipt.received_at, Receipt.amount).where(
            Receipt.contract_id == contract.id, Receipt.reference == ref)).first()
        if earlier is not None:
            errors.add("cash.err.reference_taken", "reference", reference=ref, number=contract.number,
                       at=f"{earlier.created_at:%Y-%m-%d %H:%M}", amount=yuan(earlier.amount))
    if not session.scalar(select(func.count()).select_from(Payment).where(Payment.contract_id == contract.id)):
        errors.add("cash.err.no_schedule", "contract_id", number=contract.number)
    errors.raise_any()

    at = _moment(received_at, day, now)
    receipt = Receipt(contract_id=contract.id, owner_id=contract.owner_id, team_id=contract.team_id, amount=value,
                      received_at=at, reference=ref, entered_by=scope.user_id or None, created_at=now)
    session.add(receipt)
    session.flush()
    allocate(session, contract, value, at)
    settle(session, contract)
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="receipt",
                         entity_id=str(receipt.id),
                         detail={"contract": contract.number, "amount": str(value), "received_at": at.isoformat(),
                                 "reference": ref, "status": contract.status}))
    session.flush()
    return receipt


@guarded("invoice.record")
def record_invoice(session: Session, scope: Scope, contract_id: Any, *, number: Any, amount: Any, issued_at: Any,
                   now: datetime) -> Invoice:
    """An invoice against a contract (not cancelled), allowed only once its receipts are MORE than
    the setting ``invoice_min_paid_share`` of its amount (the refusal gives the share paid); the
    invoices never add up to more than the amount; the number is unique."""
    contract = _contract(session, scope, contract_id, InvalidInvoice)
    errors = _Errors(InvalidInvoice)
    given = _number(errors, number, "number", required=True)
    if given and "number" not in errors and session.scalar(select(Invoice.id).where(Invoice.number == given)):
        errors.add("cash.err.invoice_number_taken", "number", number=given)
    value = _amount(errors, amount, "amount")
    day = _day(errors, issued_at, "issued_at")
    if day is not None:
        if day > now.date() or (isinstance(issued_at, datetime) and issued_at > now):
            errors.add("cash.err.issued_future", "issued_at")
        elif day < contract.signed_at.date():
            errors.add("cash.err.issued_before_signing", "issued_at", signed=f"{contract.signed_at:%Y-%m-%d}")
    share = rules.get(session, "invoice_min_paid_share")
    received, total = received_of(session, contract.id), Decimal(str(contract.amount))
    if not may_invoice(received, total, share):
        errors.add("cash.err.not_paid_enough", "amount", number=contract.number,
                   **invoice_refusal(received, total, share))
    elif value is not None:
        invoiced = invoiced_of(session, contract.id)
        if invoiced + value > total:
            errors.add("cash.err.over_invoiced", "amount", number=contract.number, total=yuan(invoiced + value),
                       amount=yuan(total), invoiced=yuan(invoiced), room=yuan(max(total - invoiced, Decimal(0))))
    errors.raise_any()

    invoice = Invoice(number=given, contract_id=contract.id, owner_id=contract.owner_id, team_id=contract.team_id,
                      amount=value, issued_at=_moment(issued_at, day, now), entered_by=scope.user_id or None,
                      created_at=now)
    session.add(invoice)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="invoice",
                         entity_id=str(invoice.id),
                         detail={"contract": contract.number, "number": given, "amount": str(value),
                                 "paid_share": round(paid_share(received, total) or 0, 4)}))
    session.flush()
    return invoice


# ---- reads -------------------------------------------------------------------------------------------

def _totals():
    """Per contract: received (Σ receipts), invoiced (Σ invoices), shipped (Σ shipments), as subqueries."""
    def total(model, column, name):
        return (select(model.contract_id.label("contract_id"), func.sum(column).label(name))
                .group_by(model.contract_id).subquery())
    return total(Receipt, Receipt.amount, "received"), total(Invoice, Invoice.amount, "invoiced"), \
        total(Shipment, Shipment.value, "shipped")


MONEY = ("amount", "received", "invoiced", "shipped")


@scoped_read
def contracts(scope: Scope, session: Session, search: str = "", status: str | None = None,
              limit: int = 500) -> pd.DataFrame:
    """Contracts in scope, newest signed first, optionally matching ``search`` in the number or the
    customer's name and of one ``status``: id, number, customer, owner, team, amount, signed_at,
    status, received, invoiced, shipped (¥), paid_share (received ÷ amount, 0–1), owner_id. ``attrs``:
    total (how many match, beyond ``limit`` too), amount and received (their sums, ¥)."""
    rec, inv, shp = _totals()
    owner = aliased(User)
    stmt = (select(Contract.id, Contract.number, Customer.name.label("customer"), owner.display_name.label("owner"),
                   Team.name.label("team"), Contract.amount, Contract.signed_at, Contract.status,
                   func.coalesce(rec.c.received, 0).label("received"),
                   func.coalesce(inv.c.invoiced, 0).label("invoiced"),
                   func.coalesce(shp.c.shipped, 0).label("shipped"), Contract.owner_id)
            .join(Customer, Customer.id == Contract.customer_id)
            .join(owner, owner.id == Contract.owner_id)
            .outerjoin(Team, Team.id == Contract.team_id)
            .outerjoin(rec, rec.c.contract_id == Contract.id)
            .outerjoin(inv, inv.c.contract_id == Contract.id)
            .outerjoin(shp, shp.c.contract_id == Contract.id)
            .order_by(Contract.signed_at.desc(), Contract.id.desc()))
    stmt = scope.apply(stmt, Contract.owner_id, Contract.team_id)
    term = (search or "").strip()[:MAX_SEARCH]
    if term:
        stmt = stmt.where(or_(Contract.number.icontains(term, autoescape=True),
                              Customer.name.icontains(term, autoescape=True)))
    if status:
        stmt = stmt.where(Contract.status == status)
    df = pd.read_sql(stmt.limit(max(1, min(int(limit), 5000))), session.connection())
    for col in MONEY:
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["signed_at"] = pd.to_datetime(df["signed_at"])
    df.insert(len(df.columns) - 1, "paid_share", (df["received"] / df["amount"].where(df["amount"] > 0)).round(4))
    matching = stmt.order_by(None).subquery()
    total = session.execute(select(func.count(), func.coalesce(func.sum(matching.c.amount), 0),
                                   func.coalesce(func.sum(matching.c.received), 0))).one()
    df.attrs = {"total": int(total[0]), "amount": round(float(total[1]), 2), "received": round(float(total[2]), 2)}
    return df


@dataclass(frozen=True)
class ContractCard:
    """One contract as its card shows it. ``contract``: id, number, customer, customer_id, owner,
    team, region, deal, amount, signed_at, status, created_at, owner_id. ``instalments``: due_date,
    amount_due, amount_received, received_at, days_overdue. ``receipts``: received_at, amount,
    reference, entered_by, created_at. ``invoices``: number, amount, issued_at, entered_by.
    ``shipments``: number, value, shipped_at, entered_by. Totals in ¥; ``paid_share`` 0–1 (None for a
    zero amount); ``may_invoice`` by the setting ``min_paid_share``; ``invoice_room`` what may still be
    invoiced."""
    contract: dict
    instalments: pd.DataFrame
    receipts: pd.DataFrame
    invoices: pd.DataFrame
    shipments: pd.DataFrame
    received: float
    invoiced: float
    shipped: float
    paid_share: float | None
    min_paid_share: float
    may_invoice: bool
    invoice_room: float
    overdue: float = 0.0  # Σ what is due by today and not received


def _frame(session: Session, stmt, money_cols=(), date_cols=()) -> pd.DataFrame:
    df = pd.read_sql(stmt, session.connection())
    for col in money_cols:
        df[col] = pd.to_numeric(df[col]).astype("float64")
    for col in date_cols:
        df[col] = pd.to_datetime(df[col])
    return df


@scoped_read
def contract_card(scope: Scope, session: Session, contract_id: int, now: datetime) -> ContractCard | None:
    """The contract ``contract_id`` with its instalments (days overdue at ``now``), receipts,
    invoices, shipments, the share paid and whether it may be invoiced; None when there is no such
    contract in scope."""
    cid = _id(contract_id)
    if cid is None:
        return None
    owner, deal = aliased(User), aliased(Opportunity)
    head = (select(Contract.id, Contract.number, Customer.name.label("customer"), Contract.customer_id,
                   owner.display_name.label("owner"), Team.name.label("team"), Region.name.label("region"),
                   deal.name.label("deal"), Contract.amount, Contract.signed_at, Contract.status, Contract.created_at,
                   Contract.owner_id)
            .join(Customer, Customer.id == Contract.customer_id)
            .join(owner, owner.id == Contract.owner_id)
            .outerjoin(Team, Team.id == Contract.team_id)
            .outerjoin(Region, Region.id == Team.region_id)
            .outerjoin(deal, deal.id == Contract.opportunity_id)
            .where(Contract.id == cid))
    row = session.execute(scope.apply(head, Contract.owner_id, Contract.team_id)).mappings().first()
    if row is None:
        return None
    contract = dict(row) | {"amount": float(row["amount"])}
    today = now.date()
    instalments = _frame(session, select(Payment.due_date, Payment.amount_due, Payment.amount_received,
                                         Payment.received_at)
                         .where(Payment.contract_id == cid).order_by(Payment.due_date, Payment.id),
                         ("amount_due", "amount_received"), ("received_at",))
    instalments["due_date"] = pd.to_datetime(instalments["due_date"]).dt.date
    instalments["days_overdue"] = pd.Series(
        [days_overdue(r.due_date, r.amount_due, r.amount_received, today) for r in instalments.itertuples()],
        dtype="int64", index=instalments.index)
    entered = aliased(User)
    receipts = _frame(session, select(Receipt.received_at, Receipt.amount, Receipt.reference,
                                      entered.display_name.label("entered_by"), Receipt.created_at)
                      .outerjoin(entered, entered.id == Receipt.entered_by)
                      .where(Receipt.contract_id == cid).order_by(Receipt.received_at, Receipt.id),
                      ("amount",), ("received_at", "created_at"))
    invoices = _frame(session, select(Invoice.number, Invoice.amount, Invoice.issued_at,
                                      entered.display_name.label("entered_by"))
                      .outerjoin(entered, entered.id == Invoice.entered_by)
                      .where(Invoice.contract_id == cid).order_by(Invoice.issued_at, Invoice.id),
                      ("amount",), ("issued_at",))
    shipments = _frame(session, select(Shipment.number, Shipment.value, Shipment.shipped_at,
                                       entered.display_name.label("entered_by"))
                       .outerjoin(entered, entered.id == Shipment.entered_by)
                       .where(Shipment.contract_id == cid).order_by(Shipment.shipped_at, Shipment.id),
                       ("value",), ("shipped_at",))
    received, invoiced = float(receipts["amount"].sum()), float(invoices["amount"].sum())
    amount = contract["amount"]
    share = rules.get(session, "invoice_min_paid_share")
    due = instalments[instalments["due_date"] <= today]
    overdue = float((due["amount_due"] - due["amount_received"]).clip(lower=0).sum())
    return ContractCard(
        contract=contract, instalments=instalments, receipts=receipts, invoices=invoices, shipments=shipments,
        received=received, invoiced=invoiced, shipped=float(shipments["value"].sum()),
        paid_share=paid_share(received, amount), min_paid_share=share,
        may_invoice=contract["status"] != CANCELLED and may_invoice(received, amount, share) and invoiced < amount,
        invoice_room=max(0.0, round(amount - invoiced, 2)), overdue=round(overdue, 2))


@dataclass(frozen=True)
class ContractOptions:
    """What the new-contract form offers: ``customers`` (id, customer, owner, owner_id) in scope
    with an owner, newest first; ``deals`` (id, name, customer_id, customer, amount, closed_at,
    owner_id): their won deals without a contract, newest first."""
    customers: pd.DataFrame
    deals: pd.DataFrame


@scoped_read
def contract_options(scope: Scope, session: Session, search: str = "", limit: int = OPTIONS_LIMIT) -> ContractOptions:
    """The customers (matching ``search`` in their name) and won deals a contract may be created for."""
    owner = aliased(User)
    stmt = (select(Customer.id, Customer.name.label("customer"), owner.display_name.label("owner"),
                   Customer.owner_id)
            .join(owner, owner.id == Customer.owner_id)
            .order_by(Customer.updated_at.desc(), Customer.id.desc()))
    stmt = scope.apply(stmt, Customer.owner_id, Customer.team_id)
    term = (search or "").strip()[:MAX_SEARCH]
    if term:
        stmt = stmt.where(Customer.name.icontains(term, autoescape=True))
    customers = pd.read_sql(stmt.limit(max(1, min(int(limit), 5000))), session.connection())
    signed = select(Contract.opportunity_id).where(Contract.opportunity_id.is_not(None), Contract.status != CANCELLED)
    deals = (select(Opportunity.id, Opportunity.name, Opportunity.customer_id, Customer.name.label("customer"),
                    Opportunity.amount, Opportunity.closed_at, Customer.owner_id)
             .join(Customer, Customer.id == Opportunity.customer_id)
             .where(Opportunity.status == "won", Opportunity.id.not_in(signed), Customer.owner_id.is_not(None))
             .order_by(Opportunity.closed_at.desc(), Opportunity.id.desc()))
    deals = scope.apply(deals, Customer.owner_id, Customer.team_id)
    if term:
        deals = deals.where(Customer.name.icontains(term, autoescape=True))
    deals_df = _frame(session, deals.limit(max(1, min(int(limit), 5000))), ("amount",), ("closed_at",))
    return ContractOptions(customers, deals_df)
