"""Contracts, payments and invoices (core.cash.contracts, SPEC §7) on SQLite and PostgreSQL, on
hand-made data with known answers: a contract's schedule and number, who may create it for whom,
the allocation of a payment over the instalments, the refusal of a reference entered twice, the
95 % invoicing rule at 95 % and just above, and the reads behind the contracts page.

The organisation is tests.factories.make_org (team Alpha: lead Lena, reps a1 and a2; team Beta: lead
Leo, reps b1 and b2; director Dora), with finance Fay; the clock stands at NOW (23 November 2026, noon).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.base import rules
from core.base.access import Forbidden
from core.base.db import read_session, write_tx
from core.base.errors import UserError
from core.base.models import AuditLog, Contract, Opportunity, Payment, Receipt
from core.base.scope import COMPANY
from core.cash import contracts as cash
from tests.factories import (
    NOW, add_contract, add_customer, add_invoice, add_receipt, add_shipment, add_user, make_org, scope_of,
)

DAY = timedelta(days=1)


@pytest.fixture
def org(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        return org


def customer_of(engine, rep, name=None) -> int:
    with write_tx(engine) as s:
        return add_customer(s, rep, name=name or f"{rep.username} Kunde").id


def won_deal(engine, rep, customer_id: int, amount=80000, status="won") -> int:
    with write_tx(engine) as s:
        deal = Opportunity(name=f"{rep.username} deal {amount}", customer_id=customer_id, owner_id=rep.id,
                           team_id=rep.team_id, amount=amount, stage="contract_signed", status=status,
                           stage_entered_at=NOW - 5 * DAY, created_at=NOW - 20 * DAY,
                           closed_at=NOW - 2 * DAY if status != "open" else None)
        s.add(deal)
        s.flush()
        return deal.id


def create(engine, who, **kw) -> Contract:
    kw = dict(amount=300000, signed_at=date(2026, 11, 20), now=NOW) | kw
    with write_tx(engine) as s:
        c = cash.create_contract(s, scope_of(s, who), **kw)
        return c


def refusal(engine, fn, who, *args, **kw) -> UserError:
    with pytest.raises(UserError) as caught:
        with write_tx(engine) as s:
            fn(s, scope_of(s, who), *args, **kw)
    return caught.value


def instalments(engine, contract_id: int) -> list[tuple]:
    with read_session(engine) as s:
        return [(p.due_date, float(p.amount_due), float(p.amount_received), p.received_at) for p in s.scalars(
            select(Payment).where(Payment.contract_id == contract_id).order_by(Payment.due_date, Payment.id))]


# ---- creating a contract -----------------------------------------------------------------------------

def test_a_rep_creates_a_contract_for_their_customer_in_equal_instalments(engine, org):
    cid = customer_of(engine, org.a1)
    c = create(engine, org.a1, customer_id=cid, amount=100000, instalments=3, every_days=30)
    assert (c.number, c.owner_id, c.team_id, c.status) == ("HT20261120-0001", org.a1.id, org.alpha.id, "active")
    assert instalments(engine, c.id) == [
        (date(2026, 12, 20), 33333.33, 0.0, None), (date(2027, 1, 19), 33333.33, 0.0, None),
        (date(2027, 2, 18), 33333.34, 0.0, None)]
    again = create(engine, org.a1, customer_id=cid, amount=5000)
    assert again.number == "HT20261120-0002"  # the day's next number
    assert instalments(engine, again.id) == [(date(2026, 12, 20), 5000.0, 0.0, None)]
    with read_session(engine) as s:
        audit = s.scalar(select(AuditLog).where(AuditLog.entity == "contract", AuditLog.entity_id == str(c.id)))
        assert (audit.user_id, audit.action, audit.detail["number"], audit.detail["instalments"]) == (
            org.a1.id, "create", "HT20261120-0001", 3)
        assert s.get(Contract, c.id).signed_at == datetime(2026, 11, 20, 12, 0)


def test_a_number_given_is_kept_and_a_taken_one_refused(engine, org):
    cid = customer_of(engine, org.a1)
    assert create(engine, org.a1, customer_id=cid, number="HT-2026-A1").number == "HT-2026-A1"
    err = refusal(engine, cash.create_contract, org.a1, customer_id=cid, amount=1000, signed_at=NOW.date(),
                  number="HT-2026-A1", now=NOW)
    assert (err.field, err.message("en")) == ("number", "The contract number HT-2026-A1 is taken.")


def test_a_lead_creates_for_a_customer_of_their_team_owned_by_its_rep(engine, org):
    cid = customer_of(engine, org.a2)
    c = create(engine, org.lead_alpha, customer_id=cid)
    assert (c.owner_id, c.team_id) == (org.a2.id, org.alpha.id)
    err = refusal(engine, cash.create_contract, org.lead_alpha, customer_id=customer_of(engine, org.b1),
                  amount=1000, signed_at=NOW.date(), now=NOW)
    assert (err.field, err.msg_key) == ("customer_id", "cash.err.customer")


def test_a_rep_cannot_create_for_another_reps_customer_and_finance_not_at_all(engine, org):
    theirs = customer_of(engine, org.a2)
    err = refusal(engine, cash.create_contract, org.a1, customer_id=theirs, amount=1000, signed_at=NOW.date(),
                  now=NOW)
    assert (err.field, err.message("en")) == ("customer_id", "Choose one of your customers.")
    with pytest.raises(Forbidden), write_tx(engine) as s:
        cash.create_contract(s, scope_of(s, "fay"), customer_id=theirs, amount=1, signed_at=NOW.date(), now=NOW)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 0


def test_every_bad_field_is_named_at_once_and_nothing_is_written(engine, org):
    cid = customer_of(engine, org.a1)
    err = refusal(engine, cash.create_contract, org.a1, customer_id=cid, amount=0, signed_at=NOW.date() + DAY,
                  instalments=13, every_days=0, number="HT 1", now=NOW)
    assert {f: e.msg_key for f, e in err.errors.items()} == {
        "amount": "cash.err.amount_positive", "signed_at": "cash.err.signed_future",
        "instalments": "cash.err.whole_range", "every_days": "cash.err.whole_range", "number": "cash.err.number_chars"}
    assert err.errors["instalments"].message("zh") == "请输入 1 到 12 之间的整数。"
    cases = [(dict(amount="abc"), "amount", "cash.err.amount_number"),
             (dict(amount=Decimal("1000000000000")), "amount", "cash.err.amount_too_big"),
             (dict(amount=None), "amount", "err.required"),
             (dict(signed_at=NOW.date() - 366 * DAY), "signed_at", "cash.err.signed_old"),
             (dict(signed_at="yesterday"), "signed_at", "cash.err.date"),
             (dict(instalments=2.5), "instalments", "cash.err.whole_range"),
             (dict(instalments=True), "instalments", "cash.err.whole_range"),
             (dict(customer_id="1"), "customer_id", "cash.err.customer")]
    for change, field, key in cases:
        kw = dict(customer_id=cid, amount=1000, signed_at=NOW.date(), now=NOW) | change
        err = refusal(engine, cash.create_contract, org.a1, **kw)
        assert (err.field, err.msg_key) == (field, key), change
    # a year back is still fine, and amounts may come as text
    assert create(engine, org.a1, customer_id=cid, amount="¥12,000.50", signed_at=NOW.date() - 365 * DAY).amount \
        == Decimal("12000.50")
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 1


def test_a_won_deal_of_the_customer_is_signed_once_with_its_amount_by_default(engine, org):
    cid = customer_of(engine, org.a1)
    deal = won_deal(engine, org.a1, cid, amount=80000)
    c = create(engine, org.a1, customer_id=cid, opportunity_id=deal, amount=None)
    assert (c.opportunity_id, c.amount) == (deal, Decimal("80000.00"))
    err = refusal(engine, cash.create_contract, org.a1, customer_id=cid, opportunity_id=deal, amount=1000,
                  signed_at=NOW.date(), now=NOW)
    assert (err.field, err.message("en")) == ("opportunity_id", f"The deal a1 deal 80000 already has the contract "
                                                                f"{c.number}.")
    open_deal = won_deal(engine, org.a1, cid, amount=5000, status="open")
    other = won_deal(engine, org.a1, customer_of(engine, org.a1, "Other Co"), amount=7000)
    for bad in (open_deal, other, 999):
        err = refusal(engine, cash.create_contract, org.a1, customer_id=cid, opportunity_id=bad, amount=1000,
                      signed_at=NOW.date(), now=NOW)
        assert (err.field, err.msg_key) == ("opportunity_id", "cash.err.deal"), bad


# ---- recording a payment -----------------------------------------------------------------------------

@pytest.fixture
def contract(engine, org) -> Contract:
    """a1's contract of ¥100,000 signed 1 November: 40,000 due 1 Nov, 60,000 due 1 Dec."""
    with write_tx(engine) as s:
        customer = add_customer(s, org.a1, name="Kunde Eins")
        return add_contract(s, org.a1, customer, 100000, datetime(2026, 11, 1, 10), number="HT20261101-0001",
                            instalments=[(datetime(2026, 11, 1), 40000), (datetime(2026, 12, 1), 60000)])


def pay(engine, contract_id, amount, received_at, reference, who="fay"):
    with write_tx(engine) as s:
        return cash.record_payment(s, scope_of(s, who), contract_id, amount=amount, received_at=received_at,
                                   reference=reference, now=NOW)


def test_a_payment_fills_the_instalments_in_due_order_and_completes_the_contract(engine, org, contract):
    pay(engine, contract.id, 50000, date(2026, 11, 10), "BK-1")
    assert instalments(engine, contract.id) == [
        (date(2026, 11, 1), 40000.0, 40000.0, datetime(2026, 11, 10, 12)),
        (date(2026, 12, 1), 60000.0, 10000.0, datetime(2026, 11, 10, 12))]
    with read_session(engine) as s:
        assert s.get(Contract, contract.id).status == "active"
    receipt = pay(engine, contract.id, 55000, NOW.date(), "BK-2")  # today: received now; 5,000 too much
    assert (receipt.received_at, receipt.entered_by, float(receipt.amount)) == (NOW, user_of(engine, "fay"), 55000.0)
    assert instalments(engine, contract.id)[1] == (date(2026, 12, 1), 60000.0, 65000.0, NOW)  # the last takes it
    with read_session(engine) as s:
        assert s.get(Contract, contract.id).status == "completed"
        received = s.scalar(select(func.sum(Receipt.amount)).where(Receipt.contract_id == contract.id))
        allocated = s.scalar(select(func.sum(Payment.amount_received)).where(Payment.contract_id == contract.id))
        assert float(received) == float(allocated) == 105000.0
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "receipt").order_by(AuditLog.id)).all()
        assert [(a.detail["reference"], a.detail["status"]) for a in audit] == [("BK-1", "active"), ("BK-2", "completed")]


def user_of(engine, username) -> int:
    from tests.factories import user_id
    return user_id(engine, username)


def test_allocate_is_what_the_test_factory_does(engine, org):
    """core.cash.contracts.allocate and tests.factories.add_receipt leave the same instalments."""
    with write_tx(engine) as s:
        customer = add_customer(s, org.b1)
        plan = [(datetime(2026, 9, 1), 30000), (datetime(2026, 10, 1), 30000), (datetime(2026, 11, 1), 40000)]
        mine = add_contract(s, org.b1, customer, 100000, datetime(2026, 8, 1), instalments=plan)
        theirs = add_contract(s, org.b1, customer, 100000, datetime(2026, 8, 1), instalments=plan)
        for amount, day in ((10000, 5), (45000, 9), (50000, 20)):
            cash.allocate(s, mine, amount, datetime(2026, 11, day))
            add_receipt(s, theirs, amount, datetime(2026, 11, day))
    a, b = instalments(engine, mine.id), instalments(engine, theirs.id)
    assert a == b == [(date(2026, 9, 1), 30000.0, 30000.0, datetime(2026, 11, 9)),
                      (date(2026, 10, 1), 30000.0, 30000.0, datetime(2026, 11, 20)),
                      (date(2026, 11, 1), 40000.0, 45000.0, datetime(2026, 11, 20))]


def test_a_reference_entered_twice_is_refused_naming_when(engine, org, contract):
    pay(engine, contract.id, 1000, date(2026, 11, 10), "BK-77")
    err = refusal(engine, cash.record_payment, "fay", contract.id, amount=1000, received_at=date(2026, 11, 10),
                  reference=" BK-77 ", now=NOW + DAY)
    assert err.field == "reference"
    assert err.message("en") == ("The reference BK-77 was already recorded for HT20261101-0001 on 2026-11-23 12:00 "
                                 "(¥1,000): the same payment is not recorded twice.")
    with write_tx(engine) as s:  # another contract may have the same bank reference
        other = add_contract(s, org.a1, add_customer(s, org.a1), 5000, datetime(2026, 11, 2))
    assert pay(engine, other.id, 1000, date(2026, 11, 10), "BK-77").reference == "BK-77"


def test_payment_refusals(engine, org, contract):
    cases = [(dict(amount=-5), "amount", "cash.err.amount_positive"),
             (dict(received_at=NOW.date() + DAY), "received_at", "cash.err.received_future"),
             (dict(received_at=NOW + timedelta(hours=1)), "received_at", "cash.err.received_future"),
             (dict(received_at=date(2026, 10, 31)), "received_at", "cash.err.received_before_signing"),
             (dict(reference=""), "reference", "err.required"),
             (dict(reference="x" * 61), "reference", "cash.err.too_long")]
    for change, field, key in cases:
        kw = dict(amount=1000, received_at=date(2026, 11, 5), reference="R1", now=NOW) | change
        err = refusal(engine, cash.record_payment, "fay", contract.id, **kw)
        assert (err.field, err.msg_key) == (field, key), change
    assert refusal(engine, cash.record_payment, "fay", 999, amount=1, received_at=NOW.date(), reference="R",
                   now=NOW).msg_key == "cash.err.no_contract"
    with write_tx(engine) as s:
        s.get(Contract, contract.id).status = "cancelled"
    err = refusal(engine, cash.record_payment, "fay", contract.id, amount=1, received_at=NOW.date(), reference="R",
                  now=NOW)
    assert err.message("en") == "HT20261101-0001 is cancelled: nothing more is recorded on it."
    for role_user in ("a1", "lena", "dora"):
        with pytest.raises(Forbidden), write_tx(engine) as s:
            cash.record_payment(s, scope_of(s, role_user), contract.id, amount=1, received_at=NOW.date(),
                                reference="R", now=NOW)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Receipt)) == 0


# ---- invoicing: more than 95 % paid -----------------------------------------------------------------

def invoice(engine, contract_id, amount, number="FP-1", issued_at=None):
    with write_tx(engine) as s:
        return cash.record_invoice(s, scope_of(s, "fay"), contract_id, number=number, amount=amount,
                                   issued_at=issued_at or NOW.date(), now=NOW)


def test_exactly_95_percent_paid_is_refused_and_just_above_is_invoiced(engine, org, contract):
    pay(engine, contract.id, 95000, date(2026, 11, 20), "BK-1")
    err = refusal(engine, cash.record_invoice, "fay", contract.id, number="FP-1", amount=100000,
                  issued_at=NOW.date(), now=NOW)
    assert err.field == "amount"
    assert err.message("en") == ("Only 95.0 % of HT20261101-0001 is paid; it can be invoiced once more than 95 % "
                                 "is.")
    assert err.message("zh") == "HT20261101-0001 仅回款 95.0%，回款超过 95% 后才能开票。"
    pay(engine, contract.id, 0.01, date(2026, 11, 21), "BK-2")
    made = invoice(engine, contract.id, 100000)
    assert (made.number, float(made.amount), made.owner_id, made.issued_at) == ("FP-1", 100000.0, org.a1.id, NOW)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "invoice")) == 1


def test_invoices_never_add_up_to_more_than_the_amount_and_numbers_are_unique(engine, org, contract):
    pay(engine, contract.id, 100000, date(2026, 11, 20), "BK-1")
    invoice(engine, contract.id, 60000, "FP-1")
    err = refusal(engine, cash.record_invoice, "fay", contract.id, number="FP-2", amount=40000.01,
                  issued_at=NOW.date(), now=NOW)
    assert (err.field, err.message("en")) == (
        "amount", "Invoices of HT20261101-0001 would come to ¥100,000.01, above its amount ¥100,000 (¥60,000 "
                  "invoiced so far; at most ¥40,000 more).")
    err = refusal(engine, cash.record_invoice, "fay", contract.id, number="FP-1", amount=100, issued_at=NOW.date(),
                  now=NOW)
    assert (err.field, err.msg_key) == ("number", "cash.err.invoice_number_taken")
    err = refusal(engine, cash.record_invoice, "fay", contract.id, number="FP-3", amount=100,
                  issued_at=NOW.date() + DAY, now=NOW)
    assert (err.field, err.msg_key) == ("issued_at", "cash.err.issued_future")
    invoice(engine, contract.id, 40000, "FP-2")


def test_the_share_needed_is_a_setting(engine, org, contract):
    pay(engine, contract.id, 60000, date(2026, 11, 20), "BK-1")
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"invoice_min_paid_share": 0.5}, NOW)
    assert float(invoice(engine, contract.id, 60000).amount) == 60000.0
    with pytest.raises(rules.InvalidSetting), write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"invoice_min_paid_share": 0.4}, NOW)


# ---- the reads ---------------------------------------------------------------------------------------

def test_the_contract_list_adds_up_receipts_invoices_and_shipments_in_scope(engine, org, contract):
    pay(engine, contract.id, 99000, date(2026, 11, 20), "BK-1")
    invoice(engine, contract.id, 50000)
    with write_tx(engine) as s:
        add_shipment(s, contract, 70000, datetime(2026, 11, 5))
        add_shipment(s, contract, 30000, datetime(2026, 11, 6))
        other = add_contract(s, org.b1, add_customer(s, org.b1, name="Beta Kunde"), 20000, datetime(2026, 11, 3),
                             number="HT20261103-0001")
        add_receipt(s, other, 5000, datetime(2026, 11, 4))
    with read_session(engine) as s:
        everything = cash.contracts(scope_of(s, "fay"), s)
        assert everything[["number", "customer", "owner", "team", "amount", "status", "received", "invoiced",
                           "shipped", "paid_share"]].values.tolist() == [
            ["HT20261103-0001", "Beta Kunde", "Bob B1", "Beta", 20000.0, "active", 5000.0, 0.0, 0.0, 0.25],
            ["HT20261101-0001", "Kunde Eins", "Amy A1", "Alpha", 100000.0, "active", 99000.0, 50000.0, 100000.0, 0.99]]
        assert cash.contracts(scope_of(s, "a1"), s)["number"].tolist() == ["HT20261101-0001"]
        assert cash.contracts(scope_of(s, "a2"), s).empty
        assert cash.contracts(scope_of(s, "leo"), s)["number"].tolist() == ["HT20261103-0001"]
        assert cash.contracts(scope_of(s, "fay"), s, search="beta")["number"].tolist() == ["HT20261103-0001"]
        assert cash.contracts(scope_of(s, "fay"), s, search="1101")["number"].tolist() == ["HT20261101-0001"]
        assert cash.contracts(scope_of(s, "fay"), s, status="completed").empty


def test_the_card_shows_instalments_overdue_and_whether_to_invoice(engine, org, contract):
    pay(engine, contract.id, 30000, date(2026, 11, 10), "BK-1")
    with read_session(engine) as s:
        card = cash.contract_card(scope_of(s, "a1"), s, contract.id, NOW)
        assert card.instalments[["due_date", "amount_due", "amount_received", "days_overdue"]].values.tolist() == [
            [date(2026, 11, 1), 40000.0, 30000.0, 22], [date(2026, 12, 1), 60000.0, 0.0, 0]]
        assert (card.received, card.paid_share, card.may_invoice, card.overdue) == (30000.0, 0.3, False, 10000.0)
        assert card.receipts[["amount", "reference", "entered_by"]].values.tolist() == [[30000.0, "BK-1", "Fay Finance"]]
        assert card.contract["number"] == "HT20261101-0001" and card.min_paid_share == 0.95
        assert cash.contract_card(scope_of(s, "a2"), s, contract.id, NOW) is None  # another rep's
        assert cash.contract_card(scope_of(s, "leo"), s, contract.id, NOW) is None  # another team's
        assert cash.contract_card(scope_of(s, "fay"), s, 999, NOW) is None
        later = cash.contract_card(scope_of(s, "lena"), s, contract.id, datetime(2026, 12, 11))
        assert later.instalments["days_overdue"].tolist() == [40, 10]
    pay(engine, contract.id, 65500, date(2026, 11, 21), "BK-2")
    with read_session(engine) as s:
        card = cash.contract_card(scope_of(s, "fay"), s, contract.id, NOW)
        assert (card.paid_share, card.may_invoice, card.invoice_room) == (0.955, True, 100000.0)
    with write_tx(engine) as s:
        add_invoice(s, s.get(Contract, contract.id), 100000)
    with read_session(engine) as s:
        card = cash.contract_card(scope_of(s, "fay"), s, contract.id, NOW)
        assert (card.may_invoice, card.invoiced, card.invoice_room) == (False, 100000.0, 0.0)


def test_the_new_contract_form_offers_own_customers_and_won_deals_without_a_contract(engine, org):
    mine = customer_of(engine, org.a1, "Mine Co")
    customer_of(engine, org.a2, "Theirs Co")
    deal = won_deal(engine, org.a1, mine, amount=42000)
    won_deal(engine, org.a1, mine, amount=1000, status="open")
    with read_session(engine) as s:
        options = cash.contract_options(scope_of(s, "a1"), s)
        assert options.customers["customer"].tolist() == ["Mine Co"]
        assert options.deals[["id", "customer", "amount"]].values.tolist() == [[deal, "Mine Co", 42000.0]]
        assert sorted(cash.contract_options(scope_of(s, "lena"), s).customers["customer"]) == ["Mine Co", "Theirs Co"]
    create(engine, org.a1, customer_id=mine, opportunity_id=deal, amount=None)
    with read_session(engine) as s:
        assert cash.contract_options(scope_of(s, "a1"), s).deals.empty
