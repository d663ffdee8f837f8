"""In Chromium, as a person would: log in through the form, read the lights, click through."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import grid_text, log_in, shot

pytestmark = pytest.mark.e2e
# a page's heading is its navigation label, except where a rep's own view is titled as theirs
REP_HEADINGS = {"驾驶舱": "我的过程指标", "销售漏斗": "我的销售漏斗"}
OTHER_REPS_RECORDS = [f"{rep} {kind}" for rep in ("a2", "b1", "b2") for kind in ("Customer", "late", "missed")]


def test_wrong_password_shows_a_message(page, server):
    page.goto(server)
    page.get_by_role("textbox", name="用户名").fill("dora")
    page.get_by_role("textbox", name="密码").fill("not-it")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("用户名或密码错误。").wait_for()


def test_director_sees_red_lights_and_opens_the_records_behind_one(page, server):
    log_in(page, server, "dora")
    page.get_by_text("驾驶舱 · 晨会").wait_for()
    # four lights drawn, the first response one red at 33.3 %
    page.get_by_text("48小时首次响应").first.wait_for()
    for code in ("first_response", "needs_summary", "promotion_evidence", "solution_update"):
        tile = page.locator(f".st-key-light_{code}")
        tile.get_by_text("33.3%").wait_for()  # the brief above names the light too: wait for the tile itself
        assert "红灯" in tile.inner_text() and "33.3%" in tile.inner_text()
    page.get_by_text("Alpha占了8条超时未响应线索中的50%。").first.wait_for()
    shot(page, "director-cockpit")
    page.locator(".st-key-light_first_response").get_by_role("button", name="查看 8 条超时记录").click()
    page.get_by_text("指标明细：48小时首次响应").wait_for()
    text = grid_text(page, "首次联系时间")
    shot(page, "director-records")
    for rep in ("a1", "a2", "b1", "b2"):
        assert f"{rep} late" in text and f"{rep} missed" in text
    assert "on time" not in text  # only the misses
    assert "Amy A1" in text and "Ben B2" in text  # with their owners


def test_rep_finds_no_other_reps_customer_on_any_page(page, server):
    log_in(page, server, "a1")
    nav = page.get_by_test_id("stSidebarNav")
    labels = [a.inner_text().strip().splitlines()[-1] for a in nav.get_by_role("link").all()]
    assert {"驾驶舱", "客户", "待办与提醒", "辅导记录", "能力雷达", "知识库"} <= set(labels)
    assert not {"规则与阈值", "用户与团队", "操作日志"} & set(labels)  # no admin pages for a rep
    for label in labels:
        nav.get_by_role("link", name=label, exact=True).click()
        page.get_by_role("heading", name=REP_HEADINGS.get(label, label)).first.wait_for()
        page.wait_for_timeout(1500)
        if label == "驾驶舱":  # open the records behind each light too
            page.locator(".st-key-light_needs_summary").get_by_role("button", name="查看 2 条超时记录").click()
            assert "a1" in grid_text(page, "截止时间")
        content = page.content()
        for name in OTHER_REPS_RECORDS + ["Ann A2", "Bob B1", "Ben B2"]:
            assert name not in content, f"{name!r} visible to a1 on {label}"
        shot(page, f"rep-{label}")
    # and the rep's own records do show (so the check above can fail)
    nav.get_by_role("link", name="客户").click()
    assert "a1 Customer" in grid_text(page, "客户")


def test_rep_cannot_open_an_admin_page_by_url(page, server):
    log_in(page, server, "a1")
    page.goto(f"{server}/admin_settings")  # a new page load: the login cookie carries the session
    page.get_by_text("退出登录").wait_for()
    page.wait_for_timeout(2000)
    assert "规则与阈值" not in page.get_by_role("heading").all_inner_texts()
    assert page.get_by_text("Amy A1 · 销售").count() == 1
    shot(page, "rep-admin-url")


def test_reload_keeps_the_login_and_logout_ends_it(page, server):
    log_in(page, server, "lena")
    page.goto(f"{server}/customers")
    page.get_by_text("退出登录").wait_for()
    assert "a2 Customer" in grid_text(page, "客户")
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("textbox", name="用户名").wait_for()
    page.goto(f"{server}/customers")  # the cookie is gone (and revoked): back to the login form
    page.get_by_role("textbox", name="用户名").wait_for()
    assert page.get_by_text("退出登录").count() == 0
