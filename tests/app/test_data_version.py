"""Cached readers key on a data version kept in the database: a write made by another process
(the jobs under cron, a second app server) shows at the next rerun, and nothing else is re-read."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from core.base.db import write_tx
from tests.app.conftest import HOME, ROOT, new_database, texts
from tests.factories import NOW, add_rep_records, make_org

pytestmark = pytest.mark.app


@pytest.fixture
def own_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COCKPIT_NOW", NOW.isoformat())
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "t" * 48)
    import streamlit as st
    st.cache_data.clear()
    st.cache_resource.clear()
    return url


def other_process(url: str, bump: bool) -> None:
    """Add a lead contacted on time for rep a1, from a separate Python process."""
    code = textwrap.dedent(f"""
        from datetime import timedelta
        from sqlalchemy import select
        from core.base.db import make_engine, write_tx, session_factory
        from core.base.models import User
        from tests.factories import NOW, add_lead
        engine = make_engine({url!r})
        if {bump!r}:
            with write_tx(engine) as s:   # the unit of work every service write uses
                a1 = s.scalar(select(User).where(User.username == "a1"))
                add_lead(s, a1, NOW - timedelta(days=2), NOW - timedelta(days=2, hours=-1))
        else:
            with session_factory(engine)() as s, s.begin():   # a write that bypasses the version
                a1 = s.scalar(select(User).where(User.username == "a1"))
                add_lead(s, a1, NOW - timedelta(days=2), NOW - timedelta(days=2, hours=-1))
    """)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT),
                                                                          "PATH": "/usr/bin:/bin"})


def first_response_counts(at: AppTest) -> str:
    return next(line for line in texts(at).splitlines() if line.endswith("missed") and "of" in line)


def test_a_write_from_another_process_shows_at_the_next_rerun(own_db):
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "dora"
    at.session_state["login_lang"] = "en"
    at.run()
    assert first_response_counts(at) == "4 of 12 on time · 8 missed"

    other_process(own_db, bump=False)  # not through the unit of work: the cached figure stays
    at.run()
    assert first_response_counts(at) == "4 of 12 on time · 8 missed"

    other_process(own_db, bump=True)  # a real write bumps the version: every cache key changes
    at.run()
    assert first_response_counts(at) == "6 of 14 on time · 8 missed"
