"""In Chromium: an admin lowers the red threshold and the director's cockpit light turns from red to
yellow, and the morning brief says so. A database and server of its own, as the change
would colour the other browser tests' lights."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.base.db import make_engine, write_tx
from core.base.migrate import upgrade
from core.base.models import User
from core.base.users import hash_password
from tests.e2e.conftest import PASSWORD, log_in, running_app
from tests.factories import add_rep_records, add_user, make_org

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/brief-shots")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def brief_server(tmp_path):
    """Every rep holds the same records: each light at 33.3 % (red below 80 %)."""
    url = f"sqlite:///{tmp_path / 'brief.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        add_user(s, "ada", "Ada Admin", "admin")
        pw = hash_password(PASSWORD, rounds=4)
        for user in s.query(User).filter(User.username.in_(["dora", "ada"])):
            user.password_hash = pw
    engine.dispose()
    with running_app(url, tmp_path, cookie_letter="b") as base:
        yield base


def brief_text(page) -> str:
    box = page.locator(".st-key-morning_brief")
    box.wait_for()
    return box.inner_text()


def test_a_lower_red_threshold_turns_the_light_yellow_and_changes_the_brief(browser, brief_server):
    director = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    director.set_default_timeout(60_000)
    log_in(director, brief_server, "dora")
    tile = director.locator(".st-key-light_first_response")
    tile.get_by_text("33.3%").wait_for()
    assert "红灯" in tile.inner_text()
    text = brief_text(director)
    assert "4个指标灯中有4个红灯" in text and "48小时首次响应为红灯，仅33%（低于80%即为红灯）" in text
    link = director.locator(".st-key-morning_brief a[href*='light=first_response']").first
    assert link.count() == 1
    shot(director, "1-director-brief-red")

    admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    admin.set_default_timeout(60_000)
    log_in(admin, brief_server, "ada")
    admin.goto(f"{brief_server}/admin_settings")
    box = admin.locator(".st-key-set_light_red_below input")
    # the settings come in groups, each folded: open the one holding the red bound
    admin.get_by_test_id("stExpander").filter(has=box).locator("summary").click()
    box.wait_for()
    box.fill("30")
    box.press("Tab")
    admin.get_by_role("button", name="保存").click()
    admin.get_by_text("已保存 1 项修改。").wait_for()
    shot(admin, "2-admin-threshold-30")

    director.reload()
    tile = director.locator(".st-key-light_first_response")
    director.get_by_text("没有红灯。").first.wait_for()
    tile.get_by_text("33.3%").wait_for()
    assert "黄灯" in tile.inner_text() and "红灯" not in tile.inner_text()
    text = brief_text(director)
    assert "4个指标灯中有0个红灯" in text and "为红灯" not in text
    shot(director, "3-director-brief-yellow")

    # the brief's link opens the records behind the light
    director.goto(f"{brief_server}/cockpit?light=first_response")
    director.get_by_text("指标明细：48小时首次响应").wait_for()
