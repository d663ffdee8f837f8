"""The pure rules of cash records (core.cash.contracts): the 95 % invoicing rule at 95 % and just
above, the share paid, the equal instalments that add up to the cent, days overdue, amounts."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.cash import contracts as cash


@pytest.mark.parametrize("received, amount, share, allowed", [
    (950, 1000, 0.95, False),  # exactly 95 %: not yet
    (950.01, 1000, 0.95, True),  # just above
    (Decimal("94999.99"), Decimal("100000"), 0.95, False),
    (Decimal("95000.01"), Decimal("100000"), 0.95, True),
    (1000, 1000, 1.0, False),  # at a share of 1, only an overpaid contract would do
    (1000.01, 1000, 1.0, True),
    (500, 1000, 0.5, False),
    (0, 0, 0.95, False),  # a contract of no amount is never invoiced
])
def test_may_invoice_only_when_more_than_the_share_is_paid(received, amount, share, allowed):
    assert cash.may_invoice(received, amount, share) is allowed


def test_the_refusal_gives_the_share_paid_with_one_decimal():
    assert cash.invoice_refusal(950, 1000, 0.95) == {"paid": "95.0", "min": "95"}
    assert cash.invoice_refusal(Decimal("123.45"), 1000, 0.975) == {"paid": "12.3", "min": "97.5"}
    assert cash.paid_share(1100, 1000) == 1.1 and cash.paid_share(5, 0) is None


@pytest.mark.parametrize("amount, parts", [(Decimal("100000"), 3), (Decimal("0.05"), 4), (Decimal("999.99"), 12),
                                           (Decimal("12345.67"), 1)])
def test_instalments_are_equal_and_add_up_to_the_cent(amount, parts):
    plan = cash.schedule(amount, date(2026, 1, 31), parts, 30)
    assert len(plan) == parts and sum(p for _, p in plan) == amount
    assert len({p for _, p in plan[:-1]}) <= 1 and all(p >= 0 for _, p in plan)
    assert [d for d, _ in plan][:2] == [date(2026, 3, 2), date(2026, 4, 1)][:parts]


def test_days_overdue_count_only_what_is_not_fully_received():
    today = date(2026, 11, 23)
    assert cash.days_overdue(date(2026, 11, 1), 100, 99.99, today) == 22
    assert cash.days_overdue(date(2026, 11, 1), 100, 100, today) == 0
    assert cash.days_overdue(date(2026, 11, 23), 100, 0, today) == 0  # due today: not yet overdue
    assert cash.days_overdue(date(2026, 11, 22), 100, 0, today) == 1


@pytest.mark.parametrize("text, amount", [("12,000.50", Decimal("12000.50")), ("¥8 000", Decimal("8000.00")),
                                          (1500.256, Decimal("1500.26")), ("", None), ("abc", None), (True, None),
                                          (float("nan"), None)])
def test_amounts_from_forms_and_files(text, amount):
    assert cash.money(text) == amount


def test_yuan_shows_cents_only_when_there_are_some():
    assert cash.yuan(100000) == "¥100,000" and cash.yuan(Decimal("40000.01")) == "¥40,000.01"
