"""A rep logs a first visit with its needs summary on a phone (390×844) in three clicks after opening
the form — scenario, customer, submit — and the director's light for 需求纪要 changes.

The database: the browser tests' organisation (every rep with tests.factories.add_rep_records: of the
needs summaries 1 on time, 1 late, 1 overdue and 1 not yet due each, so the director's light reads
4 of 12), plus a customer of a1's never contacted ("初访客户有限公司"). The first visit is that
customer's first contact: it opens a needs summary due in 24 h and completes it at once, so the
director's light gains an on-time instance: 5 of 13. Its own server, so the other browser tests'
figures stay as they are.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from core.process import lights as cockpit
from core.base.query import Filters
from core.base.db import make_engine, read_session, write_tx
from core.base.migrate import upgrade
from core.base.models import Activity, StepInstance, User
from core.base.scope import scope_for
from core.base.users import hash_password
from tests.e2e.conftest import PASSWORD, running_app, shot
from tests.factories import NOW, add_customer, add_rep_records, make_org

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
CUSTOMER = "初访客户有限公司"


@pytest.fixture(scope="module")
def visit_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('visit-e2e') / 'cockpit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        add_customer(s, org.a1, name=CUSTOMER, created_at=NOW - timedelta(days=1))
        pw = hash_password(PASSWORD, rounds=4)
        for user in s.query(User).filter(User.username.in_(["dora", "a1"])):
            user.password_hash = pw
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def visit_server(visit_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("visit-server")
    url = visit_db.url.render_as_string(hide_password=False)
    with running_app(url, work, "v", COCKPIT_UPLOAD_DIR=str(work / "uploads")) as base:
        yield base


def open_as(browser, base: str, username: str, viewport: dict, path: str = ""):
    """A new browser window logged in as ``username`` (through the real form), on ``path``."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(90_000)  # the test machine is shared: be generous
    page.goto(base)
    page.get_by_role("textbox", name="用户名").fill(username)
    page.get_by_role("textbox", name="密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("退出登录").wait_for(state="attached")  # in the collapsed sidebar on a phone
    for _ in range(50):
        if any(c["name"] == "sales_cockpit" for c in context.cookies()):
            break
        page.wait_for_timeout(200)
    if path:
        page.goto(f"{base}/{path}")
        page.get_by_text("退出登录").wait_for(state="attached")
    return page


def director_light(engine) -> tuple[int, int]:
    with read_session(engine) as s:
        scope = scope_for(s, s.query(User).filter_by(username="dora").one())
        return cockpit.rate(scope, s, "needs_summary", Filters.last_days(NOW.date(), 7), NOW)


def light_text(page, expect: str = "%") -> str:
    """The text of the cockpit's 需求纪要 light (its metric draws a moment after its caption)."""
    box = page.locator(".st-key-light_needs_summary")
    box.wait_for()
    deadline = time.time() + 30
    while expect not in box.inner_text() and time.time() < deadline:
        page.wait_for_timeout(300)
    return box.inner_text()


def test_a_rep_logs_a_first_visit_on_a_phone_and_the_directors_light_changes(browser, visit_server, visit_db):
    before = director_light(visit_db)
    assert before == (4, 12)
    director = open_as(browser, visit_server, "dora", {"width": 1400, "height": 1000})
    text = light_text(director, "33.3%")
    assert "需求纪要" in text and "33.3%" in text and "按时 4 / 12" in text, text
    shot(director, "visit-director-before")

    phone = open_as(browser, visit_server, "a1", PHONE, "visit")
    phone.get_by_text("拜访登记", exact=True).first.wait_for()
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        clicks += 1
        locator.click()

    # 1: the scenario
    click(phone.get_by_text("首次拜访/需求纪要", exact=True))
    phone.get_by_label("客户要解决的问题").wait_for()
    # 2: the customer, found by typing part of its name
    click(phone.get_by_role("combobox", name="客户/线索"))
    phone.keyboard.type("初访")
    phone.get_by_role("option", name=CUSTOMER).wait_for()
    phone.keyboard.press("Enter")
    phone.get_by_text("一次登记拜访和需求纪要", exact=False).wait_for()
    # the four fields of the needs summary, typed
    phone.get_by_label("客户要解决的问题").fill("检查排队超过一周，希望新增一台超声设备")
    phone.get_by_label("客户的3个顾虑").fill("价格、交付周期、售后响应")
    phone.get_by_label("下一步行动").fill("周三前发送报价单")
    phone.get_by_role("spinbutton", name="year, 下一步时间").focus()
    phone.keyboard.type("202611251000")
    phone.keyboard.press("Tab")
    shot(phone, "visit-phone-filled")
    # 3: submit
    click(phone.get_by_role("button", name="提交"))
    phone.get_by_text(f"已保存：首次拜访/需求纪要 · {CUSTOMER}。").first.wait_for()
    phone.get_by_text("已按时完成“需求纪要”（截止 2026-11-24 12:00）。").wait_for()
    shot(phone, "visit-phone-saved")
    assert clicks == 3
    # the phone layout: nothing wider than the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with read_session(visit_db) as s:
        summary = s.query(Activity).filter_by(kind="needs_summary").one()
        assert summary.fields["concerns"] == ["价格", "交付周期", "售后响应"]
        assert summary.fields["next_action_at"] == "2026-11-25T10:00:00"
        [inst] = s.query(StepInstance).filter(StepInstance.completing_activity_id == summary.id).all()
        assert inst.completed_at == NOW <= inst.due_at
    after = director_light(visit_db)
    assert after == (before[0] + 1, before[1] + 1)

    director.reload()
    director.get_by_text("退出登录").wait_for()
    expected = f"{100 * after[0] / after[1]:.1f}%"
    text = light_text(director, expected)
    assert expected == "38.5%" and expected in text and "按时 5 / 13" in text, text
    shot(director, "visit-director-after")
