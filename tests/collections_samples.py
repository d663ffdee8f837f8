"""Hand-made contracts for the collections tests (tests/integration/test_collections.py has the table
of their figures; the CLI, AppTest and browser tests use the same)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tests.factories import NOW, Org, add_contract, add_customer, add_receipt, make_org

D = timedelta(days=1)


def on(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, 0)


def add_cash(s: Session, org: Org) -> dict[str, int]:
    """The seven contracts C1–C7 of a1, a2, b1 and b2: {number: contract id}.

        C1  a1  100,000  10 Sep: 50,000 · 10 Nov: 50,000  received 50,000 (12 Sep)
        C2  a1   20,000  15 Oct: 20,000                   received 30,000 (overpaid)
        C3  a1   40,000   5 Nov: 40,000                   cancelled
        C4  a1   10,000  20 Dec: 10,000                   not due yet
        C5  a2   60,000  20 Nov: 60,000                   received 30,000 (21 Nov)
        C6  b1   90,000   1 Aug: 90,000                   nothing received
        C7  b2   40,000   1 Nov: 40,000                   received 40,000 (2 Nov)
    """
    acme, beta_co = add_customer(s, org.a1, "Acme"), add_customer(s, org.a2, "Beta Co")
    gamma, delta = add_customer(s, org.b1, "Gamma"), add_customer(s, org.b2, "Delta")
    c1 = add_contract(s, org.a1, acme, 100000, on(8, 1), number="C1",
                      instalments=[(on(9, 10), 50000), (on(11, 10), 50000)])
    add_receipt(s, c1, 50000, on(9, 12))
    c2 = add_contract(s, org.a1, acme, 20000, on(9, 1), number="C2", instalments=[(on(10, 15), 20000)])
    add_receipt(s, c2, 30000, on(10, 16))
    c3 = add_contract(s, org.a1, acme, 40000, on(9, 1), number="C3", instalments=[(on(11, 5), 40000)],
                      status="cancelled")
    c4 = add_contract(s, org.a1, acme, 10000, on(11, 1), number="C4", instalments=[(on(12, 20), 10000)])
    c5 = add_contract(s, org.a2, beta_co, 60000, on(10, 1), number="C5", instalments=[(on(11, 20), 60000)])
    add_receipt(s, c5, 30000, on(11, 21))
    c6 = add_contract(s, org.b1, gamma, 90000, on(6, 1), number="C6", instalments=[(on(8, 1), 90000)])
    c7 = add_contract(s, org.b2, delta, 40000, on(10, 1), number="C7", instalments=[(on(11, 1), 40000)])
    add_receipt(s, c7, 40000, on(11, 2))
    return {c.number: c.id for c in (c1, c2, c3, c4, c5, c6, c7)}


def build_cash(s: Session) -> tuple[Org, dict[str, int]]:
    """tests.factories.make_org and add_cash."""
    org = make_org(s)
    return org, add_cash(s, org)


def build_edges(s: Session) -> Org:
    """a1's instalments due 0, 30, 31, 60, 61, 90 and 91 days before NOW (1, 2, 4 … 64 thousand), one
    due tomorrow (128,000) and one paid (256,000, 45 days ago); b1's one 91 days ago, half paid."""
    org = make_org(s)
    acme = add_customer(s, org.a1, "Acme")
    days = (0, 30, 31, 60, 61, 90, 91)
    add_contract(s, org.a1, acme, 255000, NOW - 200 * D, number="E1",
                 instalments=[(NOW - k * D, 1000 * 2 ** i) for i, k in enumerate(days)] + [(NOW + D, 128000)])
    paid = add_contract(s, org.a1, acme, 256000, NOW - 100 * D, number="E2", instalments=[(NOW - 45 * D, 256000)])
    add_receipt(s, paid, 256000, NOW - 44 * D)
    half = add_contract(s, org.b1, add_customer(s, org.b1, "Gamma"), 10000, NOW - 200 * D, number="E3",
                        instalments=[(NOW - 91 * D, 10000)])
    add_receipt(s, half, 5000, NOW - 80 * D)
    return org
