"""In Chromium: the director opens Collections, clicks region → team → rep in the chart, sees the rep's
contracts, creates a collection to-do for one of them; then the rep logs in and finds it in their inbox —
in Chinese, the default language.

The database: the e2e organisation (every rep with tests.factories.add_rep_records: 40,000 received of
a contract, 40,000 due in a month) and the contracts C1–C7 of tests.collections_samples. To date:
South (Beta) 120,000 / 210,000 = 57.1 %, North (Alpha) 180,000 / 260,000 = 69.2 % — South's bar on
top; in Alpha, a1 110,000 / 160,000 = 68.8 % above a2 70,000 / 100,000 = 70.0 %."""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core.base.db import make_engine, read_session, write_tx
from core.base.models import Todo, User
from tests.collections_samples import add_cash
from tests.e2e.conftest import grid_text, log_in, running_app, shot
from ui.cash_charts import ROW

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cash_server(e2e_db, tmp_path_factory):
    """The app on a copy of the e2e database with the collections contracts (this test writes)."""
    path = tmp_path_factory.mktemp("e2e_cash") / "cockpit.db"
    with closing(sqlite3.connect(e2e_db.removeprefix("sqlite:///"))) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with write_tx(engine) as s:
        users = {u.username: u for u in s.scalars(select(User))}
        add_cash(s, SimpleNamespace(**{name: users[name] for name in ("a1", "a2", "b1", "b2")}))
    with running_app(url, tmp_path_factory.mktemp("cash_server")) as base:
        yield base, engine
    engine.dispose()


def click_bar(page, row: int) -> None:
    """Click the ``row``-th bar (0 = top) of the collections chart: each row is ROW px high and the
    whole row, whatever its rate, takes the click."""
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the chart draws a moment after the page
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 5 + ROW * (row + 0.5))


def test_director_drills_to_a_contract_and_the_rep_finds_the_to_do(page, browser, cash_server):
    base, engine = cash_server
    log_in(page, base, "dora")
    page.get_by_text("驾驶舱 · 晨会").first.wait_for()
    page.wait_for_timeout(1000)  # let the cockpit finish its run before leaving it
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="回款", exact=True).click()
    page.get_by_role("heading", name="各大区回款率").wait_for()
    page.get_by_text("累计回款率").first.wait_for()
    shot(page, "director-collections")

    click_bar(page, 1)  # North, below South
    page.get_by_role("heading", name="各团队回款率").wait_for(timeout=30_000)
    assert re.search(r"[?&]region=\d+", page.url)
    crumbs = page.locator(".st-key-coll_crumbs")
    assert crumbs.get_by_role("button", name="全部").is_visible() and "North" in crumbs.inner_text()

    click_bar(page, 0)  # Alpha
    page.get_by_role("heading", name="各销售回款率").wait_for(timeout=30_000)
    assert re.search(r"[?&]team=\d+", page.url)
    page.get_by_text("Alpha的Amy A1").first.wait_for()  # who holds most of Alpha's outstanding
    shot(page, "director-collections-team")

    click_bar(page, 0)  # Amy A1: 68.8 %, below Ann A2's 70.0 %
    page.get_by_role("heading", name="Amy A1的合同").wait_for(timeout=30_000)
    assert re.search(r"[?&]rep=\d+", page.url)
    assert "Alpha" in page.locator(".st-key-coll_crumbs").inner_text()
    contracts = grid_text(page, "逾期天数")
    # the accessible table holds the raw figures: C1, 100,000 due, 50,000 received and outstanding, 13 days
    assert "AcmeC1100000100000500005000013AlphaAmy A1" in contracts and "HT-a1-" in contracts
    shot(page, "director-collections-contracts")

    todo = page.locator(".st-key-coll_todo")
    todo.scroll_into_view_if_needed()
    todo.get_by_role("combobox").click()
    page.get_by_role("option", name=re.compile(r"C1 · Acme")).click()
    todo.get_by_role("button", name="生成催收待办").click()
    page.get_by_text("已向Amy A1发送待办：催收回款：Acme，合同 C1，未回款 ¥50,000").wait_for()
    shot(page, "director-collections-todo")
    with read_session(engine) as s:
        made = s.scalars(select(Todo).where(Todo.kind == "collection")).all()
        a1 = s.scalar(select(User.id).where(User.username == "a1"))
    assert [(t.owner_id, t.title) for t in made] == [(a1, "催收回款：Acme，合同 C1，未回款 ¥50,000")]

    # a crumb goes back up, the path in the URL shrinking with it
    page.locator(".st-key-coll_crumbs").get_by_role("button", name="全部").click()
    page.get_by_role("heading", name="各大区回款率").wait_for()
    assert "region=" not in page.url

    # the rep logs in and finds the to-do in their inbox
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    rep = context.new_page()
    rep.set_default_timeout(60_000)
    try:
        log_in(rep, base, "a1")
        rep.wait_for_timeout(1000)
        rep.get_by_test_id("stSidebarNav").get_by_role("link", name="待办与提醒").click()
        rep.get_by_text("未完成待办（").first.wait_for()
        inbox = grid_text(rep, "类型")
        assert "催收回款：Acme，合同 C1，未回款 ¥50,000" in inbox and "催收回款" in inbox
        shot(rep, "rep-inbox-collection-todo")
    finally:
        context.close()
