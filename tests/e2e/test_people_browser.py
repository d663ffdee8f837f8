"""In Chromium, in Chinese: a team lead opens the capability radar of a rep (drawn against the team
average), follows the weakest dimension to its knowledge article, and records a coaching.

Besides the e2e database's records (every rep's newest scores 2, 4, 3, 5), rep a2 was assessed
again yesterday (4, 3, 4, 4), so a1's polygon and team Alpha's average differ."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.base.db import make_engine, write_tx
from core.base.models import CapabilityScore, User
from core.base.vocabulary import DIMENSIONS
from data.knowledge import seed_articles
from tests.e2e.conftest import log_in, shot
from tests.factories import NOW

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def people_data(e2e_db):
    engine = make_engine(e2e_db)
    try:
        with write_tx(engine) as s:
            seed_articles(s, NOW)
            a2, lena = (s.scalar(select(User).where(User.username == name)) for name in ("a2", "lena"))
            s.add_all([CapabilityScore(owner_id=a2.id, team_id=a2.team_id, dimension=d, score=v, assessed_by=lena.id,
                                       assessed_at=NOW - timedelta(days=1), note="")
                       for d, v in zip(DIMENSIONS, (4, 3, 4, 4))])
    finally:
        engine.dispose()


def test_lead_sees_the_radar_follows_the_weakest_dimension_and_records_a_coaching(page, server, people_data):
    log_in(page, server, "lena")
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name="能力雷达").click()
    page.get_by_role("heading", name="能力雷达").first.wait_for()
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.wait_for()
    chart.locator("canvas, svg").first.wait_for()
    page.get_by_text("最弱维度：商机挖掘（2/5）。推荐阅读：").wait_for()
    page.wait_for_timeout(1500)  # vega draws a moment after the element appears
    box = chart.bounding_box()
    assert 380 <= box["width"] <= 560 and box["height"] >= 360  # its own size, not stretched to the column
    shot(page, "lead-capability-radar")

    page.get_by_role("link", name="三个问题挖出客户的真实痛点").click()
    page.get_by_role("heading", name="知识库").first.wait_for()
    page.get_by_text("先问现状，再问影响，最后问期望").first.wait_for()
    assert "article=" in page.url
    shot(page, "lead-knowledge-article")

    nav.get_by_role("link", name="辅导记录").click()
    page.get_by_role("heading", name="记录辅导").wait_for()
    form = page.get_by_test_id("stForm").first
    form.get_by_role("button", name="保存辅导记录").click()
    page.get_by_text("请选择您本团队的在岗销售。").wait_for()  # nothing chosen: told at the rep field
    form.get_by_role("combobox").first.click()
    page.get_by_role("option", name="Amy A1").click()
    form.get_by_role("combobox").nth(1).click()
    page.get_by_role("option", name="商机挖掘").click()
    form.get_by_text("是", exact=True).click()
    form.get_by_role("textbox").nth(0).fill("练习了“现状—影响—期望”三问法")
    form.get_by_role("textbox").nth(1).fill("本周拜访两家工厂时使用三问法")
    form.get_by_role("button", name="保存辅导记录").click()
    page.get_by_text("已保存。Amy A1 收到一条新待办，截止 2026-11-30。").wait_for()
    page.get_by_text("本周拜访两家工厂时使用三问法").first.wait_for(state="attached")  # in the records below
    page.get_by_text("近 14 天辅导覆盖率").wait_for()  # the run has finished
    page.wait_for_timeout(500)
    assert page.get_by_text("请选择您本团队的在岗销售。").count() == 0  # the earlier message is gone
    assert form.get_by_role("textbox").nth(0).input_value() == ""  # ready for the next coaching
    shot(page, "lead-coaching")


def test_a_rep_reads_their_scorecard_and_a_link_to_another_is_refused(page, server, e2e_db):
    """a1's November (tests.factories.add_rep_records): score 44.4, points 22; team Alpha has two
    reps only, so a rep sees neither the team average nor a rank."""
    engine = make_engine(e2e_db)
    try:
        with engine.connect() as conn:
            a2 = conn.execute(select(User.id).where(User.username == "a2")).scalar()
    finally:
        engine.dispose()
    log_in(page, server, "a1")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="成绩单").click()
    page.get_by_role("heading", name="我的成绩单").first.wait_for()
    page.get_by_test_id("stMetricValue").filter(has_text="44.4").wait_for()
    page.get_by_text("团队中至少 3 人三个部分均有得分后，才显示团队均值和您的排名。").wait_for()
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.locator("canvas, svg").first.wait_for()
    page.get_by_text("我的积分怎么来：22 分").wait_for()
    page.wait_for_timeout(1500)
    shot(page, "rep-scorecard")
    page.goto(f"{server}/scorecard?rep={a2}")
    page.get_by_text("您无权查看该链接中的成绩单，相关内容不予显示。").wait_for()
    page.wait_for_timeout(1000)
    assert page.get_by_test_id("stMetricValue").count() == 0 and page.get_by_test_id("stDataFrame").count() == 0
    shot(page, "rep-scorecard-refused")
