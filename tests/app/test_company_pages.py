"""AppTests of the company set-up pages: Users & teams (regions, teams, a user with an
initial password shown once, moving a rep, deactivating), the first login with an initial password,
Rules & thresholds (groups, defaults, each refusal at its field, nothing half-saved) and the audit
log (filters, before/after, pages, export)."""
from __future__ import annotations

from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, Region, Setting, Team, User
from core.base.users import hash_password
from tests.app.conftest import HOME, app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_user, make_org

pytestmark = pytest.mark.app


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def submit_form(at: AppTest, form: str) -> AppTest:
    next(b for b in at.button if b.key.startswith(f"FormSubmitter:{form}-")).click()
    return ok(at.run())


def test_an_admin_sets_up_a_region_a_team_and_a_user_who_must_change_the_password(page_db, open_page):
    at = open_page("ada", "pages/admin_users.py")
    at.text_input(key="new_region_name").input("West")
    at = submit_form(at, "add_region")
    assert "Created region West." in texts(at)
    at.text_input(key="new_team_name").input("Chengdu 1")
    west = next(o for o in at.selectbox(key="new_team_region").options if o == "West")
    at.selectbox(key="new_team_region").select(west)
    at = submit_form(at, "add_team")
    assert "Created team Chengdu 1." in texts(at)
    at.text_input(key="new_username").input("Cheng")
    at.text_input(key="new_display_name").input("Cheng Du")
    at.selectbox(key="new_role").set_value("rep")
    with read_session(page_db) as s:
        team_id = s.scalar(select(Team.id).where(Team.name == "Chengdu 1"))
    at.selectbox(key="new_team").set_value(team_id)
    at = submit_form(at, "add_user")
    shown = [e.value for e in at.success if "Initial password" in e.value]
    assert len(shown) == 1
    password = shown[0].rsplit(": ", 1)[1]
    with read_session(page_db) as s:
        cheng = s.scalar(select(User).where(User.username == "cheng"))
        assert cheng.team_id == team_id and cheng.must_change_password
        assert bcrypt.checkpw(password.encode(), cheng.password_hash.encode())
        assert s.scalar(select(Region.id).where(Region.name == "West")) is not None
    at = ok(at.run())  # shown once: not at the next run
    assert "Initial password" not in texts(at)


def test_a_refused_team_names_the_reason_and_writes_nothing(page_db, open_page):
    at = open_page("ada", "pages/admin_users.py")
    at.text_input(key="new_team_name").input("Alpha")
    at.selectbox(key="new_team_region").set_value(at.selectbox(key="new_team_region").options and None)
    at = submit_form(at, "add_team")
    assert "Choose the team's region." in texts(at)
    with read_session(page_db) as s:
        assert s.scalar(select(func.count()).select_from(Team)) == 2


def test_moving_a_rep_between_teams(page_db, open_page):
    with read_session(page_db) as s:
        a1 = s.scalar(select(User).where(User.username == "a1"))
        beta = s.scalar(select(Team.id).where(Team.name == "Beta"))
    at = open_page("ada", "pages/admin_users.py")
    at.selectbox(key="move_who").set_value(a1.id)
    at.selectbox(key="move_to").set_value(beta)
    at = submit_form(at, "move_user")
    assert any("to Beta" in e.value for e in at.success)
    with read_session(page_db) as s:
        assert s.get(User, a1.id).team_id == beta


def test_a_first_login_with_an_initial_password_asks_for_a_new_one_first(page_db, monkeypatch):
    with write_tx(page_db) as s:
        u = add_user(s, "newbie", "New Bie", "rep", s.scalar(select(Team).where(Team.name == "Alpha")))
        u.password_hash, u.must_change_password = hash_password("initial-pass-1", rounds=4), True
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["login_lang"] = "en"
    at = ok(at.run())
    at.text_input(key="login_username").input("newbie")
    at.text_input(key="login_password").input("initial-pass-1")
    at = submit_form(at, "login_form")
    assert "Choose your own password" in texts(at)
    assert "My process lights" not in [t.value for t in at.title]  # nothing else before the change
    at.text_input(key="first_password_new").input("mine-own-1")
    at.text_input(key="first_password_again").input("mine-own-2")
    at = submit_form(at, "first_password_form")
    assert "The two passwords differ." in texts(at)
    at.text_input(key="first_password_new").input("short")
    at.text_input(key="first_password_again").input("short")
    at = submit_form(at, "first_password_form")
    assert "at least 8" in texts(at)
    at.text_input(key="first_password_new").input("mine-own-12")
    at.text_input(key="first_password_again").input("mine-own-12")
    at = submit_form(at, "first_password_form")
    assert "My process lights" in [t.value for t in at.title]
    with read_session(page_db) as s:
        u = s.scalar(select(User).where(User.username == "newbie"))
        assert not u.must_change_password and bcrypt.checkpw(b"mine-own-12", u.password_hash.encode())
    at = ok(at.run())  # the session goes on
    assert "Choose your own password" not in texts(at)


def test_settings_show_groups_and_defaults_and_refuse_red_above_green_at_its_field(page_db, open_page):
    at = open_page("ada", "pages/admin_settings.py")
    labels = [e.label for e in at.expander]
    assert labels[0] == "Lights and the cockpit" and "Cash and data quality" in labels
    red = at.number_input(key="set_light_red_below")
    assert red.value == 80.0 and "Default: 80.0" in red.help
    red.set_value(95.0)
    at.number_input(key="set_psi_tier_partial").set_value(99.0)
    at = submit_form(at, "settings_form")
    assert "Nothing was saved: fix the values marked below." in texts(at)
    errors = [e.value for e in at.error]
    assert any("red threshold must not be above the green" in e for e in errors)
    assert any("psi_tier_partial (99.0) must not be above psi_tier_full (90.0)" in e for e in errors)
    with read_session(page_db) as s:
        assert s.scalar(select(func.count()).select_from(Setting)) == 0
    at.number_input(key="set_light_red_below").set_value(85.0)
    at.number_input(key="set_psi_tier_partial").set_value(80.0)
    at = submit_form(at, "settings_form")
    assert "Saved 1 changes." in texts(at)
    with read_session(page_db) as s:
        assert rules.get(s, "light_red_below") == 85.0
        row = s.scalar(select(AuditLog).where(AuditLog.entity == "setting"))
        assert row.detail == {"old": 80.0, "new": 85.0}
    assert "Lights and the cockpit · 1 changed from the default" in [e.label for e in at.expander]


def test_settings_in_chinese(page_db, open_page):
    at = open_page("ada", "pages/admin_settings.py", lang="zh")
    assert at.title[0].value == "规则与阈值" and "红绿灯与驾驶舱" in [e.label for e in at.expander]


def test_the_audit_log_filters_pages_and_shows_before_and_after(page_db, open_page):
    with write_tx(page_db) as s:
        ada = s.scalar(select(User.id).where(User.username == "ada"))
        for i in range(60):
            s.add(AuditLog(at=NOW - timedelta(hours=i), user_id=ada, action="update",
                           entity="setting" if i % 2 else "user", entity_id=f"k{i}", detail={"old": i, "new": i + 1}))
    at = open_page("ada", "pages/admin_audit.py")
    assert "60 entries · page 1 of 2" in texts(at)
    table = frame(at, "Before", "After")
    assert len(table) == 50 and list(table.iloc[0][["Record", "Before", "After"]]) == ["k0", "0", "1"]
    at.number_input(key="audit_page").set_value(2)
    at = ok(at.run())
    assert len(frame(at, "Before", "After")) == 10
    at.selectbox(key="audit_entity").set_value("user")
    at = ok(at.run())
    assert "30 entries" in texts(at)
    at.text_input(key="audit_record").input("k4")
    at = ok(at.run())
    assert "1 entries" in texts(at)
    assert list(frame(at, "Before", "After")["After"]) == ["5"]


def test_only_admins_open_the_admin_pages(page_db, open_page):
    from tests.app.conftest import logged_in
    for who in ("lena", "dora", "a1"):
        at = ok(logged_in(who))
        for page in ("pages/admin_users.py", "pages/admin_settings.py", "pages/admin_audit.py"):
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
