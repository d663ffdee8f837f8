"""Reconciliation per month (对账, SPEC §7): what sales signed, what finance received and what the
warehouse shipped, contract by contract.

Which contracts: those signed in the month ("YYYY-MM", from its first day 00:00 to the next
month's), not cancelled, in the caller's scope. Each is measured as of ``now``:

- amount   — the contract's amount (sales);
- received — Σ of its receipts received up to ``now`` (finance);
- shipped  — Σ of its shipments shipped up to ``now`` (warehouse).

A contract with an instalment not yet due (due date after ``now``'s day) is *still open*: money and
goods may still be on their way, so it is shown apart and counts in none of the figures below.
For every other contract:

- difference = max − min of its three figures (0 when all three agree);
- the month's discrepancy rate = Σ differences ÷ Σ amounts, in % (None without an amount);
- a contract *disagrees* when its difference exceeds the setting ``reconciliation_tolerance``
  (¥1.00). Which of its figures are "off": the amount is the reference (orders are created in the
  app only), so received and shipped are off where they differ from it — amount 100, received 100,
  shipped 80: shipped; 100, 0, 0: received and shipped — unless those two agree on a non-zero
  figure: 100, 90, 90: the amount is off.

The month's totals (amount, received, shipped) are those of the compared contracts, so the rate and
the totals describe the same contracts. The rate's light: green at or below
``reconciliation_green_at_most`` (1.0 %), red above ``reconciliation_red_above`` (3.0 %), yellow
between — lower is better here, unlike the cockpit's rates. Everything is aggregated in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import case, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.models import Contract, Customer, Payment, Receipt, Shipment, Team, User
from core.base.scope import Scope, scoped_read
from core.process.psi import month_range, parse_month, recent_months

FIGURES = ("amount", "received", "shipped")  # sales, finance, warehouse
MONTHS = 12  # the page's month picker: this month and the 11 before


@dataclass(frozen=True)
class Reconciliation:
    month: str
    amount: float  # Σ of the compared contracts' amounts
    received: float
    shipped: float
    difference: float  # Σ of their differences
    rate: float | None  # %, Σ differences ÷ Σ amounts
    color: str  # green / yellow / red / grey
    compared: int  # contracts compared (signed in the month, not cancelled, nothing still due)
    disagreeing: pd.DataFrame  # the compared contracts whose difference exceeds the tolerance
    still_open: pd.DataFrame  # the contracts with an instalment not yet due, shown apart
    open_amount: float  # Σ of the still-open contracts' amounts
    tolerance: float


def months(now: datetime) -> list[str]:
    """The months the page offers: ``now``'s and the 11 before, newest first."""
    return recent_months(now, MONTHS)


def default_month(now: datetime) -> str:
    """The month the page opens on: the last closed one (its instalments mostly due, its goods
    shipped); the current month's contracts are mostly still open."""
    return months(now)[1]


def discrepancy_light(rate_pct: float | None, green_at_most: float, red_above: float) -> str:
    """'green' at or below ``green_at_most``, 'red' above ``red_above``, 'yellow' between; 'grey'
    without a rate (1.0 → green, 1.01 → yellow, 3.0 → yellow, 3.01 → red)."""
    if rate_pct is None:
        return "grey"
    if rate_pct <= green_at_most:
        return "green"
    if rate_pct > red_above:
        return "red"
    return "yellow"


def off_figures(amount: float, received: float, shipped: float, tolerance: float) -> tuple[str, ...]:
    """The figures (FIGURES codes) that are off. The contract amount is the reference (orders are
    created in the app only): received and shipped are off where they differ from it — unless the
    two agree with each other on a non-zero figure, when it is the amount that is off (finance and
    the warehouse saw the same deal, the contract says otherwise). All three agreeing: none."""
    def agree(a: float, b: float) -> bool:
        return abs(a - b) <= tolerance + 1e-9

    if agree(received, shipped) and not agree(received, 0) and not agree(amount, received):
        return ("amount",)
    return tuple(code for code, value in (("received", received), ("shipped", shipped)) if not agree(amount, value))


def _greatest(a, b, c):
    return case((a >= b, case((a >= c, a), else_=c)), else_=case((b >= c, b), else_=c))


def _least(a, b, c):
    return case((a <= b, case((a <= c, a), else_=c)), else_=case((b <= c, b), else_=c))


def _per_contract(scope: Scope, month_first, now: datetime):
    """One row per contract of the month in scope: its figures, its difference and whether it is
    still open, as a subquery."""
    start, end = month_range(month_first)
    received = (select(Receipt.contract_id.label("cid"), func.sum(Receipt.amount).label("received"))
                .where(Receipt.received_at <= now).group_by(Receipt.contract_id).subquery())
    shipped = (select(Shipment.contract_id.label("cid"), func.sum(Shipment.value).label("shipped"))
               .where(Shipment.shipped_at <= now).group_by(Shipment.contract_id).subquery())
    next_due = (select(func.min(Payment.due_date)).where(Payment.contract_id == Contract.id,
                                                         Payment.due_date > now.date())
                .correlate(Contract).scalar_subquery())
    still_open = exists().where(Payment.contract_id == Contract.id, Payment.due_date > now.date())
    amount = func.coalesce(Contract.amount, literal(0))
    got = func.coalesce(received.c.received, literal(0))
    sent = func.coalesce(shipped.c.shipped, literal(0))
    stmt = (select(Contract.id.label("contract_id"), Contract.number.label("number"),
                   Contract.customer_id.label("customer_id"), Contract.owner_id.label("owner_id"),
                   Contract.team_id.label("team_id"), Contract.signed_at.label("signed_at"),
                   amount.label("amount"), got.label("received"), sent.label("shipped"),
                   (_greatest(amount, got, sent) - _least(amount, got, sent)).label("difference"),
                   case((still_open, 1), else_=0).label("still_open"), next_due.label("next_due"))
            .select_from(Contract)
            .outerjoin(received, received.c.cid == Contract.id)
            .outerjoin(shipped, shipped.c.cid == Contract.id)
            .where(Contract.signed_at >= start, Contract.signed_at < end, Contract.status != "cancelled"))
    return scope.apply(stmt, Contract.owner_id, Contract.team_id).subquery()


def _listed(session: Session, rows, where, order) -> pd.DataFrame:
    owner = aliased(User)
    stmt = (select(rows.c.contract_id, rows.c.number, Customer.name.label("customer"),
                   owner.display_name.label("owner"), Team.name.label("team"), rows.c.signed_at,
                   rows.c.amount, rows.c.received, rows.c.shipped, rows.c.difference, rows.c.next_due,
                   rows.c.owner_id)
            .select_from(rows)
            .outerjoin(Customer, Customer.id == rows.c.customer_id)
            .outerjoin(owner, owner.id == rows.c.owner_id)
            .outerjoin(Team, Team.id == rows.c.team_id)
            .where(where).order_by(*order))
    df = pd.read_sql(stmt, session.connection())
    for col in ("amount", "received", "shipped", "difference"):
        df[col] = df[col].astype(float).round(2)
    df["signed_at"] = pd.to_datetime(df["signed_at"])
    df["next_due"] = pd.to_datetime(df["next_due"]).dt.date
    return df


@scoped_read
def reconciliation(scope: Scope, session: Session, month: str, now: datetime) -> Reconciliation:
    """The month's reconciliation in the caller's scope (see the module docstring for the rules).

    ``disagreeing``: contract_id, number, customer, owner, team, signed_at, amount, received,
    shipped, difference, off (the FIGURES codes that are off, comma-separated), owner_id — biggest
    difference first. ``still_open``: the same columns without ``difference`` and ``off``, with
    ``next_due`` (the next instalment's due date), by next due date."""
    first = parse_month(month, now)
    settings = rules.all_settings(session)
    tolerance = float(settings["reconciliation_tolerance"])
    rows = _per_contract(scope, first, now)
    compared = rows.c.still_open == 0
    totals = session.execute(
        select(func.count(), func.coalesce(func.sum(rows.c.amount), 0), func.coalesce(func.sum(rows.c.received), 0),
               func.coalesce(func.sum(rows.c.shipped), 0), func.coalesce(func.sum(rows.c.difference), 0))
        .where(compared)).one()
    count, amount, received, shipped, difference = int(totals[0]), *(round(float(v), 2) for v in totals[1:])
    open_amount = float(session.scalar(select(func.coalesce(func.sum(rows.c.amount), 0))
                                       .where(rows.c.still_open == 1)))
    rate = 100.0 * difference / amount if amount > 0 else None
    color = discrepancy_light(rate, settings["reconciliation_green_at_most"], settings["reconciliation_red_above"])
    disagreeing = _listed(session, rows, compared & (rows.c.difference > tolerance),
                          (rows.c.difference.desc(), rows.c.number)).drop(columns=["next_due"])
    disagreeing.insert(len(disagreeing.columns) - 1, "off", [
        ",".join(off_figures(r.amount, r.received, r.shipped, tolerance)) for r in disagreeing.itertuples()])
    still_open = _listed(session, rows, rows.c.still_open == 1, (rows.c.next_due, rows.c.number)).drop(
        columns=["difference"])
    return Reconciliation(f"{first:%Y-%m}", amount, received, shipped, difference, rate, color, count,
                          disagreeing, still_open, round(open_amount, 2), tolerance)


def as_dict(result: Reconciliation) -> dict:
    """The reconciliation as plain data, for ``python -m cli metrics reconciliation --json``."""
    def records(df: pd.DataFrame) -> list[dict]:
        out = df.drop(columns=["owner_id"]).astype(object).where(df.drop(columns=["owner_id"]).notna(), None)
        rows = out.to_dict(orient="records")
        for r in rows:
            if "off" in r:
                r["off"] = [code for code in (r["off"] or "").split(",") if code]
        return rows

    return {"month": result.month, "amount": result.amount, "received": result.received, "shipped": result.shipped,
            "difference": result.difference, "rate": None if result.rate is None else round(result.rate, 4),
            "color": result.color, "compared": result.compared, "tolerance": result.tolerance,
            "disagreeing": records(result.disagreeing), "still_open": records(result.still_open),
            "still_open_amount": result.open_amount}
