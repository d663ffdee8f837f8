"""In Chromium: the director opens the funnel, clicks a stage in the chart, sees its deals, opens one
and sees its timeline; then moves a deal forward, refused without its evidence and saved with it —
in Chinese, the default language.

The e2e database: every rep (a1 a2 b1 b2) has an open deal (initial contact 20 days ago → proposal
6 days ago) and a deal won 3 days ago (initial contact → contract signed → won)."""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import select

from core.base.db import make_engine, read_session
from core.base.models import Opportunity, StageHistory
from tests.e2e.conftest import grid_text, log_in, running_app, shot
from tests.factories import NOW

pytestmark = pytest.mark.e2e
STAGE_ROWS = 5


def click_stage_bar(page, row: int, x_fraction: float = 0.36) -> None:
    """Click inside the bar of the ``row``-th stage (0 = top). The bars are centred on the value 0,
    which sits at about a third of the chart's width: the wide top bars cover that spot."""
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = chart.bounding_box()
    band = box["height"] / STAGE_ROWS
    page.mouse.click(box["x"] + box["width"] * x_fraction, box["y"] + band * (row + 0.5))


def test_director_clicks_a_stage_sees_its_deals_and_opens_a_timeline(page, server):
    log_in(page, server, "dora")
    page.get_by_text("驾驶舱 · 晨会").first.wait_for()
    page.wait_for_timeout(1000)  # let the cockpit finish its run before leaving it
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="销售漏斗").click()
    page.get_by_role("heading", name="销售漏斗").first.wait_for()
    page.get_by_text("点击图中的阶段查看其商机。").wait_for()
    page.wait_for_timeout(1500)  # the chart draws a moment after the page
    shot(page, "director-funnel")

    click_stage_bar(page, 2)  # proposal submitted: the four open deals
    page.get_by_text("本期进入“方案提交”的商机（4）").wait_for(timeout=30_000)
    assert re.search(r"[?&]stage=proposal", page.url)
    deals = grid_text(page, "本阶段结果")
    for rep in ("a1", "a2", "b1", "b2"):
        assert f"{rep} deal" in deals
    assert "Amy A1" in deals and "正常周期内" in deals
    shot(page, "director-funnel-stage")

    box = page.locator(".st-key-funnel_drill").get_by_role("combobox")  # the deal picker
    box.click()
    page.get_by_role("option", name=re.compile("b1 deal")).click()
    page.get_by_text("时间线：b1 deal").wait_for()
    timeline = grid_text(page, "依据/备注")
    assert "初步接触" in timeline and "方案提交" in timeline and "拜访" in timeline
    assert "quote sent" in timeline and "b1 visit" in timeline
    assert re.search(r"[?&]opp=\d+", page.url)
    shot(page, "director-funnel-timeline")

    # below: the stage table against the standard ranges, stalled deals and win rates
    stage_table = grid_text(page, "中位天数")
    assert "初步接触" in stage_table and "3–5" in stage_table
    page.get_by_text("停滞商机（0）").scroll_into_view_if_needed()
    shot(page, "director-funnel-table")


# ---- a stage move with its evidence, in the browser ------------------------------------------------

@pytest.fixture(scope="module")
def own_server(e2e_db, tmp_path_factory):
    """The app on a copy of the e2e database (this test writes), on a free port; stopped after the module."""
    path = tmp_path_factory.mktemp("e2e_move") / "cockpit.db"
    with closing(sqlite3.connect(e2e_db.removeprefix("sqlite:///"))) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with running_app(url, tmp_path_factory.mktemp("move_server")) as base:
        yield base, engine
    engine.dispose()


def test_director_moves_a_deal_forward_only_with_its_evidence(page, own_server):
    base, engine = own_server
    with read_session(engine) as s:
        opp_id = s.scalar(select(Opportunity.id).where(Opportunity.name == "a1 deal"))
    log_in(page, base, "dora")
    page.goto(f"{base}/funnel?opp={opp_id}")
    page.get_by_text("时间线：a1 deal").wait_for()
    form = page.locator(".st-key-funnel_move")
    form.scroll_into_view_if_needed()
    form.get_by_role("combobox").click()
    page.get_by_role("option", name="推进到“商务谈判”").click()
    evidence = form.get_by_role("textbox", name=re.compile("依据：报价单"))
    evidence.wait_for()
    form.get_by_role("button", name="确认变更").click()  # without the quote
    page.get_by_text("推进阶段须提供新阶段的依据：请填写单据编号或文件名。").wait_for()
    shot(page, "director-funnel-move-refused")
    with read_session(engine) as s:
        assert s.get(Opportunity, opp_id).stage == "proposal"

    evidence = form.get_by_role("textbox", name=re.compile("依据：报价单"))
    evidence.fill("报价单 Q-2026-118")
    evidence.press("Enter")
    page.wait_for_timeout(500)
    form.get_by_role("button", name="确认变更").click()
    page.get_by_text("已将“a1 deal”变更为“商务谈判”。").wait_for()
    timeline = grid_text(page, "依据/备注")
    assert "报价单 Q-2026-118" in timeline and "Dora Director" in timeline and "商务谈判" in timeline
    shot(page, "director-funnel-moved")
    with read_session(engine) as s:
        opp = s.get(Opportunity, opp_id)
        last = s.scalars(select(StageHistory).where(StageHistory.opportunity_id == opp_id)
                         .order_by(StageHistory.entered_at.desc())).first()
    assert (opp.stage, opp.version) == ("negotiation", 2)
    assert (last.stage, last.evidence, last.entered_at) == ("negotiation", "报价单 Q-2026-118", NOW)
