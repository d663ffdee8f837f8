"""AppTest fixtures: a hand-made database with known figures, the clock frozen at tests.factories.NOW,
and a logged-in AppTest for any user (the authenticator's session keys set before the first run)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sqlalchemy.engine import Engine

from core.base.db import make_engine, write_tx
from core.base.migrate import upgrade
from core.base.users import hash_password
from tests.factories import NOW, add_rep_records, add_user, make_org

ROOT = Path(__file__).resolve().parents[2]
HOME = str(ROOT / "Home.py")
PASSWORD = "right-password"  # the one account (pat) that logs in through the form


def new_database(directory: Path) -> tuple[str, Engine]:
    """A fresh SQLite database at the newest schema in ``directory``: its URL and an engine."""
    url = f"sqlite:///{directory / 'cockpit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    return url, engine


@contextmanager
def app_pointed_at(url: str, monkeypatch) -> Iterator[None]:
    """The app reads ``url`` with the clock frozen at NOW; Streamlit's caches are empty before and after."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COCKPIT_NOW", NOW.isoformat())
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "t" * 48)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def logged_in(username: str, lang: str = "en") -> AppTest:
    """An AppTest of Home.py logged in as ``username`` (the authenticator's keys set), run once."""
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["login_lang"] = lang
    at.run()
    return at


def open_as(username: str, page: str, lang: str = "en", **query) -> AppTest:
    """``page`` as ``username`` sees it, with ``query`` as URL parameters; no exception raised."""
    at = logged_in(username, lang)
    at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture(scope="session")
def app_db(tmp_path_factory):
    """Team Alpha (lead lena, reps a1, a2), team Beta (lead leo, reps b1, b2), director dora,
    finance fay, admin ada; every rep holds the same records (tests.factories.add_rep_records)."""
    # finance fay, admin ada, and pat (a rep of Alpha with a real password, for the login form)
    url, engine = new_database(tmp_path_factory.mktemp("appdb"))
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        add_user(s, "ada", "Ada Admin", "admin")
        pat = add_user(s, "pat", "Pat Password", "rep", org.alpha)
        pat.password_hash = hash_password(PASSWORD, rounds=4)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
    engine.dispose()
    return url


@pytest.fixture
def app_env(app_db, monkeypatch):
    with app_pointed_at(app_db, monkeypatch):
        yield app_db


@pytest.fixture
def login(app_env):
    """login("a1") → an AppTest of Home.py, run once, logged in as a1."""
    def make(username: str, lang: str = "en") -> AppTest:
        at = logged_in(username, lang)
        assert not at.exception, [e.message for e in at.exception]
        return at
    return make


@pytest.fixture
def page_db(app_env):
    """The database a module's pages run on: the shared app database, unless the module defines its own."""
    return app_env


@pytest.fixture
def open_page(request, page_db):
    """open_page(username, page=PAGE, lang="en", **query) → an AppTest of ``page`` (default: the
    module's PAGE; None: the role's first page) as ``username`` sees it, with ``query`` as URL
    parameters, on the module's ``page_db``; no exception raised."""
    default = getattr(request.module, "PAGE", None)

    def make(username: str, page: str | None = default, lang: str = "en", **query) -> AppTest:
        if page is None:
            at = logged_in(username, lang)
            assert not at.exception, [e.message for e in at.exception]
            return at
        return open_as(username, page, lang, **query)
    return make


def texts(at: AppTest) -> str:
    """Every piece of text the run rendered (markdown, captions, info, titles …), joined."""
    parts = []
    for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def frame(at: AppTest, *columns: str):
    """The one table on screen whose columns (or index name) include all ``columns``.

    (AppTest does not expose a dataframe's key, so tables are found by what they show.)"""
    found = []
    for el in at.dataframe:
        df = el.value
        names = set(map(str, df.columns)) | {str(df.index.name)}
        if set(columns) <= names:
            found.append(df)
    assert len(found) == 1, f"{len(found)} tables with columns {columns}"
    return found[0]
