"""The channels and jobs pages (admin): add a channel (secrets named, a clear-text token refused at
its field), send a test message to a real local endpoint (a failing and a slow one answered on the
page, quickly), the delivery log; the jobs' last runs and "run now" with its counts, refused while
another run holds the lock."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from core.base import rules, runs
from core.base.db import read_session, write_tx
from core.base.models import Channel, JobRun
from core.base.scope import COMPANY
from core.notify import delivery
from tests.app.conftest import app_pointed_at, new_database, texts, frame
from tests.factories import NOW, add_user, make_org
from tests.notify_servers import HttpEndpoint, start_http


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


@pytest.fixture
def endpoint():
    ep = HttpEndpoint()
    server = start_http(ep)
    yield ep
    server.shutdown()
    server.server_close()


def ok(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


def _fill(at, **values):
    for key, value in values.items():
        at.text_input(key=f"ch_{key}_new").set_value(value)


def test_an_admin_adds_a_channel_and_a_clear_token_is_refused_at_the_address(open_page, page_db):
    at = open_page("ada", "pages/admin_channels.py")
    assert "No channel yet" in texts(at)
    _fill(at, name="Alpha group", address="https://oapi.dingtalk.com/robot/send?access_token=abc123")
    at.selectbox(key="ch_team_new").set_value(_team_id(page_db, "Alpha"))
    ok(at.button(key="FormSubmitter:channel-Save the channel").click().run())
    assert "carries the robot's token in clear" in texts(at)
    with read_session(page_db) as s:
        assert s.scalars(select(Channel)).all() == []
    _fill(at, address="https://oapi.dingtalk.com/robot/send?access_token={token}", token="DINGTALK_ALPHA_TOKEN",
          sign="DINGTALK_ALPHA_SIGN")
    ok(at.button(key="FormSubmitter:channel-Save the channel").click().run())
    assert "The channel “Alpha group” is saved." in texts(at)
    table = frame(at, "Name", "Kind", "Team")
    assert list(table["Name"]) == ["Alpha group"] and list(table["Kind"]) == ["DingTalk robot"]
    assert list(table["Team"]) == ["Alpha"] and list(table["Signing secret"]) == ["DINGTALK_ALPHA_SIGN"]
    with read_session(page_db) as s:
        [row] = s.scalars(select(Channel)).all()
    assert (row.kind, row.token_secret, row.address.endswith("{token}")) == ("dingtalk", "DINGTALK_ALPHA_TOKEN", True)


def _team_id(engine, name):
    from core.base.models import Team
    with read_session(engine) as s:
        return s.scalar(select(Team.id).where(Team.name == name))


def _add_webhook(engine, url, name="hook"):
    with write_tx(engine) as s:
        return delivery.save_channel(s, COMPANY, now=NOW, name=name, kind="webhook", address=url,
                                     team_id=_team_id(engine, "Alpha"))


def test_the_test_message_reaches_the_endpoint_and_a_failure_is_said_on_the_page(open_page, page_db, endpoint):
    cid = _add_webhook(page_db, endpoint.url + "/hook")
    at = open_page("ada", "pages/admin_channels.py")
    at.selectbox(key="channel_pick").set_value(cid).run()
    ok(at.button(key="channel_test").click().run())
    assert "The test message to “hook” got through." in texts(at)
    assert endpoint.hits[0].body["title"] == "Sales Cockpit: test message"
    endpoint.answers = [(500, "down", 0)]
    ok(at.button(key="channel_test").click().run())
    assert re.search(r"did not get through: HTTP 500", texts(at))
    log = frame(at, "Channel", "Status", "Attempts")
    assert list(log["Status"]) == ["given up", "sent"] and list(log["Attempts"]) == [1, 1]


def test_a_slow_endpoint_does_not_block_the_page(open_page, page_db, endpoint):
    with write_tx(page_db) as s:
        rules.save_settings(s, COMPANY, {"delivery_timeout_seconds": 1}, NOW)
    cid = _add_webhook(page_db, endpoint.url + "/slow")
    endpoint.answers = [(200, "{}", 5.0)]
    at = open_page("ada", "pages/admin_channels.py")
    at.selectbox(key="channel_pick").set_value(cid).run()
    started = time.monotonic()
    ok(at.button(key="channel_test").click().run())
    assert time.monotonic() - started < 4
    assert "timed out" in texts(at)


def test_the_jobs_page_runs_jobs_now_and_shows_their_runs(open_page, page_db):
    at = open_page("ada", "pages/admin_jobs.py")
    assert "No job has run yet." in texts(at)
    assert "cli run-jobs" in at.code[0].value
    at.multiselect(key="jobs_pick").set_value(["lead_escalation", "deliver_alerts"])
    ok(at.button(key="jobs_run").click().run())
    shown = texts(at)
    assert "lead_escalation: 0 done." in shown and "deliver_alerts: 0 done." in shown
    assert "Finished: 2 jobs run." in str(at.get("progress")[0].proto)
    runs_table = frame(at, "Job", "Count", "Started from")
    assert sorted(runs_table["Job"]) == ["deliver_alerts", "lead_escalation"]
    assert set(runs_table["Started from"]) == {"this page"} and set(runs_table["By"]) == {"ada"}


def test_run_now_is_refused_while_another_run_holds_the_lock(open_page, page_db):
    assert runs.acquire(page_db, "cron-host:123")
    at = open_page("ada", "pages/admin_jobs.py")
    assert "A run is going on: cron-host:123" in texts(at)
    ok(at.button(key="jobs_run").click().run())
    assert "Another run of the jobs (cron-host:123)" in texts(at)
    with read_session(page_db) as s:
        assert s.scalars(select(JobRun)).all() == []


@pytest.mark.parametrize("page", ["pages/admin_channels.py", "pages/admin_jobs.py"])
@pytest.mark.parametrize("username", ["dora", "lena", "a1"])
def test_the_pages_are_the_admins_only(login, page_db, page, username):
    at = login(username)
    with pytest.raises(ValueError):
        at.switch_page(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", ["pages/admin_channels.py", "pages/admin_jobs.py"])
def test_the_pages_are_fully_translated(open_page, page_db, page, lang):
    at = open_page("ada", page, lang)
    shown = texts(at) + "\n".join(str(c) for el in at.dataframe for c in el.value.columns)
    assert not re.findall(r"\b(?:channels|jobs|delivery|nav)\.[a-z_]+", shown)
