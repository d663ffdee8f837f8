"""AppTest of Contracts & payments (pages/contracts.py, SPEC §7): each role sees the contracts of its
scope; finance records a payment and the contract's received amount and paid share change; an
invoice before more than 95 % is paid is refused at its field; a rep cannot open another rep's
contract by its link; a rep creates a contract for their own customer.

Each test gets a database of its own (the page writes): tests.factories.make_org, finance fay, admin
ada, the records of add_rep_records for a1, a2 and b1 (each a contract HT-<rep>-<id> of ¥80,000 with
nothing received through finance), and a1's contract HT20261101-0001 of ¥100,000 (two instalments,
¥95,000 received: exactly 95 %)."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.base.db import read_session, write_tx
from core.base.models import Contract, Invoice, Payment, Receipt
from tests.app.conftest import HOME, app_pointed_at, frame, new_database, texts
from tests.factories import add_contract, add_customer, add_receipt, add_user, make_office

pytestmark = pytest.mark.app
PAGE = "pages/contracts.py"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_office(s, lambda org: (org.a1, org.a2, org.b1))
        big = add_contract(s, org.a1, add_customer(s, org.a1, name="Kunde Eins"), 100000, datetime(2026, 11, 1, 10),
                           number="HT20261101-0001",
                           instalments=[(datetime(2026, 11, 10), 40000), (datetime(2026, 12, 10), 60000)])
        add_receipt(s, big, 95000, datetime(2026, 11, 12), reference="BK-0")
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def contract_id(engine, number_like: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(Contract.id).where(Contract.number.like(number_like)))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_each_role_sees_the_contracts_of_its_scope(page_db, open_page):
    seen = {}
    for username in ("dora", "lena", "leo", "a1", "fay", "ada"):
        at = open_page(username)
        assert at.title[0].value == "Contracts & payments"
        seen[username] = sorted(frame(at, "Number", "Received")["Number"])
    assert seen["a1"] == sorted(["HT20261101-0001", *[n for n in seen["dora"] if n.startswith("HT-a1-")]])
    assert len(seen["dora"]) == len(seen["fay"]) == len(seen["ada"]) == 4
    assert seen["lena"] == sorted(n for n in seen["dora"] if "-b1-" not in n)
    assert seen["leo"] == [n for n in seen["dora"] if "-b1-" in n]
    table = frame(open_page("fay"), "Number", "Received", "Paid")
    row = table[table["Number"] == "HT20261101-0001"].iloc[0]
    assert (row["Amount"], row["Received"], row["Paid"], row["Customer"]) == (100000.0, 95000.0, 0.95, "Kunde Eins")


def test_finance_records_a_payment_and_the_received_amount_and_paid_share_change(page_db, open_page):
    cid = contract_id(page_db, "HT20261101-0001")
    at = open_page("fay", contract=str(cid))
    assert metrics(at)["Received"] == "¥95,000.00" and metrics(at)["Paid"] == "95.0 %"
    assert "95.0 % paid: it can be invoiced once more than 95 % is." in texts(at)
    at.number_input(key="pay_amount").set_value(3000.0)
    at.text_input(key="pay_ref_text").input("BK-1")
    ok(at.button[[b.label for b in at.button].index("Record payment")].click().run())
    assert "¥3,000.00 recorded for HT20261101-0001." in texts(at)
    assert metrics(at)["Received"] == "¥98,000.00" and metrics(at)["Paid"] == "98.0 %"
    assert "98.0 % paid, more than 95 %: it may be invoiced (up to ¥100,000.00 more)." in texts(at)
    table = frame(at, "Number", "Received", "Paid")
    assert table.loc[table["Number"] == "HT20261101-0001", "Received"].item() == 98000.0
    assert at.text_input(key="pay_ref_text").value == ""  # ready for the next payment
    with read_session(page_db) as s:
        assert s.scalar(select(func.sum(Payment.amount_received)).where(Payment.contract_id == cid)) == 98000
        assert s.scalar(select(func.count()).select_from(Receipt).where(Receipt.contract_id == cid)) == 2
    # the same reference again: refused at its field, nothing written
    at.number_input(key="pay_amount").set_value(3000.0)
    at.text_input(key="pay_ref_text").input("BK-1")
    ok(at.button[[b.label for b in at.button].index("Record payment")].click().run())
    assert any("The reference BK-1 was already recorded for HT20261101-0001" in e.value for e in at.error)
    assert metrics(at)["Received"] == "¥98,000.00"


def test_an_invoice_at_exactly_95_percent_is_refused_at_its_field(page_db, open_page):
    cid = contract_id(page_db, "HT20261101-0001")
    at = open_page("fay", contract=str(cid), lang="zh")
    at.text_input(key="inv_number_text").input("FP-1")
    at.number_input(key="inv_amount").set_value(100000.0)
    ok(at.button[[b.label for b in at.button].index("登记发票")].click().run())
    assert [e.value for e in at.error] == ["HT20261101-0001 仅回款 95.0%，回款超过 95% 后才能开票。"]
    with read_session(page_db) as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 0
    with write_tx(page_db) as s:
        add_receipt(s, s.get(Contract, cid), 1, datetime(2026, 11, 20))
    at = open_page("fay", contract=str(cid))
    at.text_input(key="inv_number_text").input("FP-1")
    at.number_input(key="inv_amount").set_value(100000.0)
    ok(at.button[[b.label for b in at.button].index("Record invoice")].click().run())
    assert "Invoice FP-1 of ¥100,000.00 recorded for HT20261101-0001." in texts(at)
    assert metrics(at)["Invoiced"] == "¥100,000.00"


def test_a_rep_cannot_open_another_reps_contract_by_its_link(page_db, open_page):
    theirs = contract_id(page_db, "HT-a2-%")
    at = open_page("a1", contract=str(theirs))
    assert "There is no such contract among those you may see." in [w.value for w in at.warning]
    assert not at.metric and "HT-a2" not in texts(at)
    assert not any(n.startswith("HT-a2") for n in frame(at, "Number")["Number"])
    for bad in ("abc", "99999999999999"):
        assert "There is no such contract among those you may see." in [w.value for w in open_page(
            "a1", contract=bad).warning]
    mine = open_page("a1", contract=str(contract_id(page_db, "HT-a1-%")))
    assert metrics(mine)["Amount"] == "¥80,000.00"
    assert not [b for b in mine.button if b.label == "Record payment"]  # finance's forms are not a rep's


def test_a_rep_creates_a_contract_for_their_own_customer(page_db, open_page):
    at = open_page("a1")
    options = at.selectbox(key="new_target").options
    assert "Kunde Eins" in options and not any("a2" in o or "b1" in o for o in options)
    with read_session(page_db) as s:
        mine = s.scalar(select(Contract.customer_id).where(Contract.number == "HT20261101-0001"))
    at.selectbox(key="new_target").set_value(f"customer:{mine}")
    at.number_input(key="new_amount").set_value(50000.0)
    at.number_input(key="new_instalments").set_value(2)
    ok(at.button[[b.label for b in at.button].index("Create contract")].click().run())
    assert "Contract HT20261123-0001 created (¥50,000.00)." in texts(at)
    assert metrics(at)["Amount"] == "¥50,000.00"  # its card is open
    assert "Instalments (2)" in [t.label for t in at.tabs]
    with read_session(page_db) as s:
        made = s.scalar(select(Contract).where(Contract.number == "HT20261123-0001"))
        dues = s.scalars(select(Payment.amount_due).where(Payment.contract_id == made.id)).all()
        assert (made.customer_id, [float(d) for d in dues]) == (mine, [25000.0, 25000.0])
    # nothing chosen: told at the field
    ok(at.button[[b.label for b in at.button].index("Create contract")].click().run())
    assert "Choose one of your customers." in [e.value for e in at.error]


def test_finance_creates_no_contract_and_department_staff_cannot_open_the_page(page_db, open_page):
    at = open_page("fay")
    assert not [b for b in at.button if b.label == "Create contract"]
    with write_tx(page_db) as s:
        add_user(s, "sam", "Sam Support", "service").department = "support"
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "sam"
    at.run()
    with pytest.raises(ValueError):
        at.switch_page(PAGE)
