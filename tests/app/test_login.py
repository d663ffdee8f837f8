"""The login form: right and wrong passwords, empty fields, lockout, and an unreachable database."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import HOME, PASSWORD, texts

pytestmark = pytest.mark.app


def form(lang="en") -> AppTest:
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["login_lang"] = lang
    at.run()
    assert not at.exception
    return at


def submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.key.startswith("FormSubmitter:login_form-")).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_right_password_opens_the_first_page_of_the_role(app_env):
    at = submit(form(), "pat", PASSWORD)
    assert at.title[0].value == "My process lights"
    assert at.session_state["authentication_status"] is True


def test_wrong_password_is_refused_with_a_message(app_env):
    at = submit(form(), "pat", "not-the-password")
    assert "Wrong username or password." in texts(at)
    assert not at.session_state["authentication_status"]
    assert "Cockpit" not in [t.value for t in at.title]


def test_unknown_user_gets_the_same_message(app_env):
    at = submit(form(), "nobody", "whatever-password")
    assert "Wrong username or password." in texts(at)


def test_empty_fields_are_named(app_env):
    at = submit(form(), "", "")
    assert "Enter both your username and your password." in texts(at)
    at = submit(form("zh"), "pat", "")
    assert "请输入用户名和密码。" in texts(at)


def test_five_wrong_passwords_lock_the_account(app_env):
    at = form()
    for _ in range(5):
        submit(at, "pat", "wrong-password")
    submit(at, "pat", PASSWORD)  # even the right password is refused while locked
    assert "this account is locked until" in texts(at)
    assert not at.session_state["authentication_status"]
    # unlock again for the other tests
    from core.base.db import make_engine, write_tx
    from core.base.models import User
    from sqlalchemy import update
    engine = make_engine(app_env)
    with write_tx(engine) as s:
        s.execute(update(User).where(User.username == "pat").values(locked_until=None, failed_logins=0))
    engine.dispose()


def test_bogus_database_url_gives_a_clear_message(app_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    at = AppTest.from_file(HOME, default_timeout=60)
    at.run()
    assert not at.exception
    assert "The database cannot be reached right now" in texts(at)


def test_malformed_database_url_gives_a_clear_message(app_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url")
    at = AppTest.from_file(HOME, default_timeout=60)
    at.run()
    assert not at.exception
    assert "not a valid database address" in texts(at)


def test_production_refuses_a_weak_cookie_key(app_env, monkeypatch):
    monkeypatch.setenv("COCKPIT_ENV", "production")
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "some_key")
    at = AppTest.from_file(HOME, default_timeout=60)
    at.run()
    assert not at.exception
    assert "Refusing to start in production" in texts(at)
    assert not at.text_input  # no login form


def test_a_deactivated_user_is_logged_out_at_the_next_rerun(app_env):
    from sqlalchemy import update

    from core.base.db import make_engine, write_tx
    from core.base.models import User

    at = submit(form(), "pat", PASSWORD)
    assert at.title[0].value == "My process lights"
    engine = make_engine(app_env)
    with write_tx(engine) as s:
        s.execute(update(User).where(User.username == "pat").values(active=False))
    try:
        at.run()
        assert not at.exception
        assert "My process lights" not in [t.value for t in at.title]
        assert not at.session_state["authentication_status"]
        assert at.text_input(key="login_username") is not None
    finally:
        with write_tx(engine) as s:
            s.execute(update(User).where(User.username == "pat").values(active=True))
        engine.dispose()
