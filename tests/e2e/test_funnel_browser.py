"""In Chromium: the director opens the funnel, clicks a stage in the chart, sees its deals, opens one
and sees its timeline — in Chinese, the default language.

The e2e database: every rep (a1 a2 b1 b2) has an open deal (initial contact 20 days ago → proposal
6 days ago) and a deal won 3 days ago (initial contact → contract signed → won)."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import grid_text, log_in, shot

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
