"""AppTest: the alert store in the inbox and the sidebar's unread count, on a database of
its own (it changes an alert's status): a1 holds one unread alert, "a1 overdue"."""
from __future__ import annotations

import pytest

from sqlalchemy import select

from core.base.db import read_session, write_tx
from core.base.models import Alert
from tests.app.conftest import app_pointed_at, frame, new_database, texts
from tests.factories import add_rep_records, make_org

pytestmark = pytest.mark.app


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_rep_records(s, org.a1, "a1")
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def alert_id(engine) -> int:
    with read_session(engine) as s:
        return int(s.scalar(select(Alert.id).where(Alert.message == "a1 overdue")))


def badges(at) -> list[str]:
    return [p.label for p in at.get("page_link")]


def test_the_owner_acknowledges_then_resolves_an_alert(open_page, page_db):
    at = open_page("a1", None)
    assert "1 unread alert(s)" in badges(at)
    at.switch_page("pages/inbox.py").run()
    assert "Alerts (1 unread)" in texts(at)
    assert list(frame(at, "Alert", "Status")["Status"]) == ["Open"]
    at.multiselect(key="alert_pick").set_value([alert_id(page_db)]).run()
    at.button(key="ack_alerts").click().run()
    assert not at.exception
    assert "1 alert(s) acknowledged." in texts(at)
    assert list(frame(at, "Alert", "Status")["Status"]) == ["Acknowledged"]
    assert "Alerts (0 unread)" in texts(at) and "1 unread alert(s)" not in badges(at)
    at.multiselect(key="alert_pick").set_value([alert_id(page_db)]).run()
    at.button(key="resolve_alerts").click().run()
    assert "1 alert(s) resolved." in texts(at)
    assert "No alert matches the filter." in texts(at)  # resolved ones are filtered out by default
    at.multiselect(key="alert_statuses").select("resolved").run()
    assert list(frame(at, "Alert", "Status")["Status"]) == ["Resolved"]
