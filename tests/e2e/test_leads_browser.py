"""In Chromium, in Chinese: rep a1 enters a lead that duplicates one of their customers, sees the
warning, opens the existing customer and goes back (two clicks from the cockpit to the form: the
page, then 录入新线索); then, on a phone-width screen (390 px), opens the page from a bookmark, finds
the form one tap away and fitting the screen, and logs a contact from the inbox.

Its own server and database (it writes): the browser tests' organisation, every rep with
tests.factories.add_rep_records, and a1's customer 杭州越州酒业有限公司 (138 0013 8000)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import func, select

from core.leads import desk as leads
from core.base.db import make_engine, read_session, write_tx
from core.base.migrate import upgrade
from core.base.models import Activity, Lead, User
from core.base.scope import scope_for
from core.base.users import hash_password
from tests.e2e.conftest import PASSWORD, log_in, running_app, shot
from tests.factories import NOW, add_customer, add_rep_records, make_org

pytestmark = pytest.mark.e2e
CUSTOMER = "杭州越州酒业有限公司"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """The browser tests' organisation in a database of its own (this test writes), plus a1's
    customer 杭州越州酒业有限公司; a1 logs in with PASSWORD."""
    url = f"sqlite:///{tmp_path_factory.mktemp('leads-e2e') / 'cockpit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        add_customer(s, org.a1, name=CUSTOMER).phone = "13800138000"
        s.get(User, org.a1.id).password_hash = hash_password(PASSWORD, rounds=4)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def server(engine, tmp_path_factory):
    """The app on its own port and database, stopped after this module."""
    url = engine.url.render_as_string(hide_password=False)
    with running_app(url, tmp_path_factory.mktemp("leads-server"), "l") as base:
        yield base


def lead_count(engine, company: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Lead).where(Lead.company == company))


def wait_until_idle(page) -> None:
    """The selected lead's message is drawn and no script runs: the page is ready for a click."""
    page.get_by_test_id("stCode").first.wait_for()
    for _ in range(20):
        page.wait_for_timeout(500)
        if page.get_by_test_id("stStatusWidget").count() == 0:
            break


def test_a_rep_enters_a_duplicate_sees_the_warning_and_opens_the_existing_customer(page, server, engine):
    page.set_default_timeout(90_000)  # the test machine is shared: be generous
    log_in(page, server, "a1")
    page.get_by_role("heading", name="我的过程指标").wait_for()  # the rep's first page has run
    heading = page.get_by_role("heading", name="我的线索").first
    for _ in range(3):  # a click landing while the cockpit still reruns (login cookie) can be dropped
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="我的线索").click()
        try:
            heading.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    wait_until_idle(page)
    page.get_by_test_id("stExpander").first.locator("summary").first.click()
    form = page.get_by_test_id("stForm").first
    form.get_by_role("textbox", name="公司名称").fill("越州酒业")
    form.get_by_role("textbox", name="联系电话").fill("+86 138-0013-8000")
    form.get_by_role("combobox").first.click()
    page.get_by_role("option", name="展会").click()
    form.get_by_text("A 级：48 小时内电话沟通并发出方案").click()
    form.get_by_role("textbox", name="下一步行动").fill("电话确认需求")
    form.get_by_role("button", name="查重并保存").click()

    page.get_by_text("疑似重复，尚未保存").wait_for()
    warning = page.get_by_test_id("stVerticalBlock").filter(has_text="疑似重复，尚未保存").last
    warning.get_by_text(CUSTOMER).wait_for()
    assert warning.get_by_text("由您本人跟进 · 电话相同、名称相似度 100%", exact=False).count() == 1
    warning.scroll_into_view_if_needed()
    shot(page, "rep-lead-duplicate-warning")
    assert lead_count(engine, "越州酒业") == 0  # nothing written before the user decides

    page.get_by_role("button", name="打开查看").click()
    page.get_by_role("heading", name=f"客户：{CUSTOMER}").wait_for()
    page.get_by_text("13800138000").first.wait_for()
    page.get_by_role("heading", name="该客户的线索（0）").wait_for()
    assert re.search(r"open=customer(%3A|:)\d+", page.url)
    shot(page, "rep-lead-duplicate-opened")

    page.get_by_role("button", name="返回").click()
    page.get_by_text("疑似重复，尚未保存").wait_for()  # the pending entry is still there
    page.get_by_role("button", name="取消").click()
    page.get_by_text("未保存任何内容。").wait_for()
    assert lead_count(engine, "越州酒业") == 0


def test_on_a_phone_the_form_is_three_clicks_away_and_a_contact_is_logged_from_the_inbox(browser, server, engine):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(server)
        page.get_by_role("textbox", name="用户名").fill("a1")
        page.get_by_role("textbox", name="密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_text("退出登录").wait_for(state="attached")  # in the collapsed sidebar on a phone
        for _ in range(50):
            if any(c["name"] == "sales_cockpit" for c in context.cookies()):
                break
            page.wait_for_timeout(200)
        page.goto(f"{server}/leads")  # a bookmark on the phone's home screen
        page.get_by_role("heading", name="我的线索").first.wait_for()
        wait_until_idle(page)
        page.get_by_test_id("stExpander").first.locator("summary").first.click()  # one tap to the form
        company = page.get_by_role("textbox", name="公司名称")
        company.wait_for()
        for field in (company, page.get_by_role("textbox", name="联系电话"),
                      page.get_by_role("button", name="查重并保存")):
            box = field.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the screen
        page.get_by_test_id("stExpander").first.locator("summary").first.click()  # fold it again

        with read_session(engine) as s:
            a1 = s.scalar(select(User).where(User.username == "a1"))
            first = leads.my_leads(scope_for(s, a1), s, NOW.replace(second=0)).iloc[0]
        page.get_by_text(f"{first['company']} ·", exact=False).first.wait_for()  # the most urgent, selected
        log = page.get_by_test_id("stForm").filter(has_text="登记联系结果")
        log.get_by_text("电话", exact=True).click()
        log.get_by_role("textbox", name="下一步行动").fill("发送方案并电话讲解")
        log.get_by_role("button", name="保存联系记录").click()
        saved = page.get_by_text(f"已保存：{first['company']}（电话）。下一步：发送方案并电话讲解。")
        saved.wait_for()
        saved.scroll_into_view_if_needed()
        shot(page, "rep-lead-inbox-phone")
        with read_session(engine) as s:
            act = s.scalar(select(Activity).where(Activity.lead_id == int(first["id"])).order_by(Activity.id.desc()))
            assert (act.kind, act.owner_id) == ("call", int(first["owner_id"]))
            assert s.get(Lead, int(first["id"])).next_action == "发送方案并电话讲解"
    finally:
        context.close()
