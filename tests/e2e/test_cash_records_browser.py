"""In Chromium, in Chinese: finance logs in, reads the collection rate on 回款 (collections), opens
合同与回款 (contracts & payments), picks a contract, records a payment on it and sees the contract's
received amount and paid share change — on its card and in the list — and, back on 回款, the
collection rate to date rise by what was received.

Its own server and database (it writes): the browser tests' organisation, every rep with
tests.factories.add_rep_records, finance fay (PASSWORD) and a1's contract HT20261101-0001 of ¥100,000
(two instalments) with ¥30,000 received."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from core.base.scope import COMPANY
from core.cash import collections
from core.base.db import make_engine, read_session, write_tx
from core.base.migrate import upgrade
from core.base.models import Contract, Payment, Receipt
from core.base.users import hash_password
from tests.e2e.conftest import PASSWORD, grid_text, log_in, running_app, shot
from tests.factories import add_contract, add_customer, add_receipt, add_rep_records, add_user, make_org

pytestmark = pytest.mark.e2e
NUMBER = "HT20261101-0001"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cash-e2e') / 'cockpit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        add_user(s, "fay", "Fay Finance", "finance").password_hash = hash_password(PASSWORD, rounds=4)
        contract = add_contract(s, org.a1, add_customer(s, org.a1, name="杭州华康医疗器械有限公司"), 100000,
                                datetime(2026, 11, 1, 10), number=NUMBER,
                                instalments=[(datetime(2026, 11, 10), 40000), (datetime(2026, 12, 10), 60000)])
        add_receipt(s, contract, 30000, datetime(2026, 11, 12), reference="BK-0")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def server(engine, tmp_path_factory):
    url = engine.url.render_as_string(hide_password=False)
    with running_app(url, tmp_path_factory.mktemp("cash-server"), "c") as base:
        yield base


def idle(page) -> None:
    """No script runs: the page shows the result of the last click."""
    page.wait_for_timeout(800)
    page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=60_000)


def collection_rate(page) -> str:
    """The collections page's rate to date (累计回款率), as shown."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="回款", exact=True).click()
    page.get_by_role("heading", name="各大区回款率").wait_for()
    idle(page)
    return page.get_by_test_id("stMetric").filter(has_text="累计回款率").get_by_test_id(
        "stMetricValue").inner_text()


def expected_rate(engine) -> str:
    """The rate to date as core computes it for the whole company, formatted as the page does."""
    with read_session(engine) as s:
        light = collections.collection_lights(COMPANY, s, collections.CollectionFilters(),
                                              datetime.now().replace(second=0, microsecond=0), "zh")[0]
    return f"{light.rate:.1f}%"


def test_finance_records_a_payment_and_sees_the_contract_received_change(page, server, engine):
    log_in(page, server, "fay")
    before = collection_rate(page)
    assert before == expected_rate(engine)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="合同与回款").click()
    page.get_by_role("heading", name="合同与回款").first.wait_for()
    row = f"{NUMBER}杭州华康医疗器械有限公司Amy A1Alpha100000"  # the table's text: number, customer, … amount
    assert row + "30000" in grid_text(page, "已回款")  # … received
    idle(page)

    picker = page.get_by_test_id("stSelectbox").filter(has_text="查看合同")
    picker.get_by_role("combobox").click()
    page.get_by_role("option", name=f"{NUMBER} · 杭州华康医疗器械有限公司 · ¥100,000.00").click()
    card = page.get_by_role("heading", name=f"合同 {NUMBER} · 杭州华康医疗器械有限公司")
    card.wait_for()
    idle(page)
    received = page.get_by_test_id("stMetric").filter(has_text="已回款")
    assert received.get_by_test_id("stMetricValue").inner_text() == "¥30,000.00"
    page.get_by_text("已回款 30.0 %：回款超过 95% 后才能开票。").wait_for()
    shot(page, "finance-contract-card")

    form = page.get_by_test_id("stForm").filter(has_text="登记回款").first
    form.get_by_role("spinbutton", name="到账金额（元）").fill("25000")
    form.get_by_role("textbox").last.fill("BK-20261123-01")
    form.get_by_role("button", name="登记回款").click()
    page.get_by_text(f"已为 {NUMBER} 登记回款 ¥25,000.00。").wait_for()
    idle(page)
    assert received.get_by_test_id("stMetricValue").inner_text() == "¥55,000.00"
    assert page.get_by_test_id("stMetric").filter(has_text="回款比例").get_by_test_id(
        "stMetricValue").inner_text() == "55.0 %"
    assert row + "55000" in grid_text(page, "已回款")  # the list shows it too
    shot(page, "finance-payment-recorded")
    after = collection_rate(page)  # the ¥25,000 fills the instalment due 10 Nov: received to date rises
    assert after == expected_rate(engine) and float(after.rstrip("%")) > float(before.rstrip("%")), (before, after)
    shot(page, "finance-collections-after-payment")
    with read_session(engine) as s:
        cid = s.scalar(select(Contract.id).where(Contract.number == NUMBER))
        assert s.scalar(select(func.sum(Receipt.amount)).where(Receipt.contract_id == cid)) == 55000
        assert s.scalars(select(Payment.amount_received).where(Payment.contract_id == cid)
                         .order_by(Payment.due_date)).all() == [40000, 15000]
