"""The collections page through AppTest, per role: the lights and their explanation, the drill-down
region → team → rep → contracts by a click on the chart (its selection set in session state), the
breadcrumbs in the URL and back, bad links, the collection to-do (once a day, in the owner's inbox),
a rep's own view, finance's view of all, the downloads and both languages.

Data: tests.collections_samples.add_cash on tests.factories.make_org, plus finance fay and admin ada
(figures in tests/integration/test_collections.py):

                 to date                      this month                  this quarter
    everyone     140,000 / 310,000 = 45.2 %   70,000 / 150,000 = 46.7 %   90,000 / 170,000 = 52.9 %
    Alpha (lena) 100,000 / 180,000 = 55.6 %   30,000 / 110,000 = 27.3 %   50,000 / 130,000 = 38.5 %
    a1            70,000 / 120,000 = 58.3 %        0 /  50,000 =  0.0 %   20,000 /  70,000 = 28.6 %
"""
from __future__ import annotations

import io
import re
import sqlite3
from contextlib import closing
from types import SimpleNamespace

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from core.base.db import make_engine, read_session, write_tx
from core.base.models import Todo
from tests.app.conftest import frame, logged_in, new_database, texts
from tests.collections_samples import add_cash
from tests.factories import NOW, add_user, make_org

pytestmark = pytest.mark.app
PAGE = "pages/collections.py"


@pytest.fixture(scope="module")
def cash_db(tmp_path_factory):
    url, engine = new_database(tmp_path_factory.mktemp("collectionsdb"))
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        add_user(s, "ada", "Ada Admin", "admin")
        contracts = add_cash(s, org)
        ids = SimpleNamespace(north=org.north.id, south=org.south.id, alpha=org.alpha.id, beta=org.beta.id,
                              a1=org.a1.id, a2=org.a2.id, b1=org.b1.id, b2=org.b2.id, contracts=contracts)
    engine.dispose()
    return SimpleNamespace(url=url, ids=ids)


@pytest.fixture(scope="module")
def app_db(cash_db):
    """Overrides tests/app/conftest.py's database for this module."""
    return cash_db.url


@pytest.fixture
def ids(cash_db):
    return cash_db.ids


def ok(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


def lights(at) -> dict:
    return {m.label: m.value for m in at.metric}


def click(at, level: str, item_id: int):
    """A click on the bar of ``item_id`` in the chart of ``level``."""
    at.session_state[f"coll_chart_{level}"] = {"selection": {"pick": [{"id": item_id}]}}
    return ok(at.run())


def crumbs(at) -> list[str]:
    """The breadcrumbs: the buttons back, then the current place (bold)."""
    back = [b.label for b in at.button if str(b.key).startswith("coll_crumb_")]
    here = [m.value.strip("*") for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")]
    return back + here[:1]


def levels_table(at, first_column: str) -> list[tuple]:
    df = frame(at, first_column, "Outstanding (¥)")
    return [(r[0], r[1], r[2], r[3], round(r[4], 1)) for r in df.itertuples(index=False)]


# ---- the lights -------------------------------------------------------------------------------------

@pytest.mark.parametrize("username, to_date, month, quarter", [
    ("dora", "45.2%", "46.7%", "52.9%"), ("fay", "45.2%", "46.7%", "52.9%"), ("ada", "45.2%", "46.7%", "52.9%"),
    ("lena", "55.6%", "27.3%", "38.5%"), ("a1", "58.3%", "0.0%", "28.6%"),
])
def test_the_three_lights_follow_the_callers_scope(open_page, username, to_date, month, quarter):
    at = open_page(username)
    assert lights(at) == {"Collection rate to date": to_date, "This month": month, "This quarter": quarter}
    assert at.title[0].value == ("My collections" if username == "a1" else "Collections")


def test_the_director_reads_who_holds_the_outstanding(open_page):
    at = open_page("dora")
    body = texts(at)
    assert "Beta holds 53% of the ¥170,000 not yet collected." in body
    assert "Alpha holds 100% of the ¥80,000 not yet collected." in body  # this month and this quarter
    assert "¥140,000 received of ¥310,000 due · ¥170,000 outstanding" in body


def test_finance_lands_on_collections_and_sees_every_team(open_page, ids):
    at = open_page("fay", None)  # the role's first page
    assert at.title[0].value == "Collections"
    assert levels_table(at, "Region") == [("South", 130000, 40000, 90000, 30.8), ("North", 180000, 100000, 80000, 55.6)]
    assert crumbs(at) == ["All"]  # the top: no crumb back yet
    click(at, "region", ids.south)
    click(at, "team", ids.beta)
    click(at, "rep", ids.b1)
    assert set(frame(at, "Contract no.", "Days overdue")["Contract no."]) == {"C6"}
    assert at.button(key="coll_todo_create").label == "Create collection to-do"


# ---- the drill-down -----------------------------------------------------------------------------------

def test_the_director_drills_region_team_rep_to_contracts(open_page, ids):
    at = open_page("dora")
    assert at.subheader[0].value == "Collection rate by region"
    assert levels_table(at, "Region") == [("South", 130000, 40000, 90000, 30.8), ("North", 180000, 100000, 80000, 55.6)]
    assert crumbs(at) == ["All"]

    click(at, "region", ids.north)
    assert at.query_params["region"] == str(ids.north)
    assert at.subheader[0].value == "Collection rate by team"
    assert levels_table(at, "Team") == [("Alpha", 180000, 100000, 80000, 55.6)]
    assert crumbs(at) == ["All", "North"]
    assert lights(at)["Collection rate to date"] == "55.6%"

    click(at, "team", ids.alpha)
    assert at.query_params["team"] == str(ids.alpha) and at.query_params["region"] == str(ids.north)
    assert levels_table(at, "Rep") == [("Ann A2", 60000, 30000, 30000, 50.0), ("Amy A1", 120000, 70000, 50000, 58.3)]
    assert crumbs(at) == ["All", "North", "Alpha"]
    assert "In Alpha, Amy A1 holds 62% of the ¥80,000 not yet collected." in texts(at)

    click(at, "rep", ids.a1)
    assert at.query_params["rep"] == str(ids.a1)
    assert crumbs(at) == ["All", "North", "Alpha", "Amy A1"]
    assert "Contracts of Amy A1" in texts(at)
    table = frame(at, "Contract no.", "Days overdue")
    assert list(table["Contract no."]) == ["C1", "C2"]
    first = table.iloc[0]
    assert (first["Customer"], first["Contract amount (¥)"], first["Due to date (¥)"], first["Received (¥)"],
            first["Outstanding (¥)"], first["Days overdue"], first["Owner"]) == (
        "Acme", 100000, 100000, 50000, 50000, "13", "Amy A1")
    assert table.iloc[1]["Days overdue"] == ""  # C2 is paid
    assert lights(at) == {"Collection rate to date": "58.3%", "This month": "0.0%", "This quarter": "28.6%"}
    assert not [c for c in at.get("arrow_vega_lite_chart") if "coll_chart" in str(getattr(c, "key", ""))]


def test_each_crumb_goes_back_and_forgets_the_click(open_page, ids):
    at = open_page("dora")
    click(at, "region", ids.north)
    click(at, "team", ids.alpha)
    click(at, "rep", ids.a2)
    assert crumbs(at) == ["All", "North", "Alpha", "Ann A2"]
    ok(at.button(key="coll_crumb_2").click().run())  # back to Alpha's reps
    assert crumbs(at) == ["All", "North", "Alpha"] and "rep" not in at.query_params
    assert at.subheader[0].value == "Collection rate by rep"
    ok(at.button(key="coll_crumb_0").click().run())  # back to all regions
    assert crumbs(at) == ["All"] and not any(k in at.query_params for k in ("region", "team", "rep"))
    assert at.subheader[0].value == "Collection rate by region"
    click(at, "region", ids.south)  # a new click at the top level still drills
    assert crumbs(at) == ["All", "South"]


def test_a_reload_or_a_shared_link_keeps_the_path(open_page, ids):
    at = open_page("dora", region=str(ids.south), team=str(ids.beta))
    assert crumbs(at) == ["All", "South", "Beta"]
    assert levels_table(at, "Rep") == [("Bob B1", 90000, 0, 90000, 0.0), ("Ben B2", 40000, 40000, 0, 100.0)]
    at = open_page("dora", region=str(ids.south), team=str(ids.beta), rep=str(ids.b1))
    assert list(frame(at, "Contract no.", "Days overdue")["Days overdue"]) == ["114"]


def test_the_window_changes_the_bars(open_page, ids):
    at = open_page("dora", team=str(ids.alpha))
    ok(at.segmented_control(key="coll_window").set_value("month").run())
    assert levels_table(at, "Rep") == [("Amy A1", 50000, 0, 50000, 0.0), ("Ann A2", 60000, 30000, 30000, 50.0)]


@pytest.mark.parametrize("username, params", [
    ("dora", {"region": "999"}), ("dora", {"team": "abc"}),
    ("dora", {"region": "NORTH", "team": "BETA"}),  # Beta is not in North
    ("lena", {"team": "BETA"}), ("lena", {"rep": "B1"}),
])
def test_a_link_outside_the_view_gets_a_message_and_the_start(open_page, ids, username, params):
    names = {"NORTH": ids.north, "BETA": ids.beta, "B1": ids.b1}
    at = open_page(username, **{k: str(names.get(v, v)) for k, v in params.items()})
    assert "That link names a region, team or rep outside your view" in texts(at)
    assert "Bob B1" not in texts(at) and "Gamma" not in texts(at)
    assert at.subheader[0].value == ("Collection rate by region" if username == "dora" else "Collection rate by team")


def test_a_stale_click_on_something_not_shown_is_ignored(open_page, ids):
    at = open_page("lena")
    click(at, "team", ids.beta)  # not one of lena's bars
    assert "team" not in at.query_params and at.subheader[0].value == "Collection rate by team"


# ---- a lead and a rep ---------------------------------------------------------------------------------

def test_a_lead_starts_at_their_teams(open_page, ids):
    at = open_page("lena")
    assert crumbs(at) == ["My teams"]
    assert levels_table(at, "Team") == [("Alpha", 180000, 100000, 80000, 55.6)]
    assert "In Alpha, Amy A1 holds 62% of the ¥80,000 not yet collected." in texts(at)
    click(at, "team", ids.alpha)
    click(at, "rep", ids.a2)
    assert crumbs(at) == ["My teams", "Alpha", "Ann A2"]
    assert list(frame(at, "Contract no.", "Days overdue")["Contract no."]) == ["C5"]


def test_a_rep_sees_only_their_own_contracts_and_no_to_do_button(open_page, ids):
    at = open_page("a1")
    assert "My contracts" in texts(at) and crumbs(at) == []
    assert list(frame(at, "Contract no.", "Days overdue")["Contract no."]) == ["C1", "C2"]
    assert not [b for b in at.button if b.key == "coll_todo_create"]
    assert not [w for w in at.selectbox if w.key == "coll_todo_contract"]
    ageing = frame(at, "Team", "Total (¥)")
    assert list(ageing["Team"]) == ["Alpha"] and list(ageing["Total (¥)"]) == [50000]
    # another rep's id in the link changes nothing
    at = open_page("a1", rep=str(ids.b1), team=str(ids.beta))
    assert list(frame(at, "Contract no.", "Days overdue")["Contract no."]) == ["C1", "C2"]
    assert "Gamma" not in texts(at) and "Bob B1" not in texts(at)


def test_ageing_by_team_for_the_director(open_page):
    at = open_page("dora")
    ageing = frame(at, "Team", "Total (¥)")
    assert [tuple(r) for r in ageing.itertuples(index=False)] == [
        ("Beta", 0, 0, 0, 90000, 90000), ("Alpha", 80000, 0, 0, 0, 80000)]
    assert list(ageing.columns) == ["Team", "0–30 days", "31–60 days", "61–90 days", "> 90 days", "Total (¥)"]


# ---- downloads and languages ----------------------------------------------------------------------------

@pytest.fixture
def downloads(monkeypatch):
    """file name → bytes of every download button a run draws."""
    got: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            got[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return got


def test_every_table_downloads_within_the_scope(open_page, ids, downloads):
    open_page("lena", team=str(ids.alpha), rep=str(ids.a1))
    contracts = pd.read_csv(io.StringIO(downloads[f"collections-contracts-{ids.a1}.csv"].decode("utf-8-sig")))
    assert list(contracts["Contract no."]) == ["C1", "C2"] and set(contracts["Owner"]) == {"Amy A1"}
    xlsx = pd.read_excel(io.BytesIO(downloads[f"collections-contracts-{ids.a1}.xlsx"]), engine="openpyxl")
    assert list(xlsx["Outstanding (¥)"]) == [50000, 0]
    ageing = pd.read_csv(io.StringIO(downloads["collections-ageing.csv"].decode("utf-8-sig")))
    assert list(ageing["Team"]) == ["Alpha"]
    downloads.clear()
    open_page("lena")
    teams = pd.read_csv(io.StringIO(downloads["collections-by-team-to_date.csv"].decode("utf-8-sig")))
    assert list(teams["Team"]) == ["Alpha"] and list(teams["Outstanding (¥)"]) == [80000]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("username", ["dora", "a1"])
def test_the_page_is_fully_translated(open_page, ids, username, lang):
    at = open_page(username, lang=lang)
    if username == "dora":
        click(at, "region", ids.north)
        click(at, "team", ids.alpha)
        click(at, "rep", ids.a1)
    shown = texts(at) + "\n".join(str(c) for el in at.dataframe for c in el.value.columns)
    shown += "\n".join(m.label for m in at.metric) + "\n".join(b.label for b in at.button)
    shown += "\n".join(w.label for w in at.selectbox)
    assert not re.findall(r"\b(?:coll|col|nav|common|todo)\.[a-z_.]+", shown)
    if lang == "zh":
        assert "累计回款率" in shown and "逾期天数" in shown
        assert ("我的回款" if username == "a1" else "回款") == at.title[0].value


# ---- the collection to-do, on a copy of the database --------------------------------------------------------

@pytest.fixture
def own_db(cash_db, tmp_path, monkeypatch):
    """A copy of this module's database for a test that writes."""
    path = tmp_path / "own.db"
    with closing(sqlite3.connect(cash_db.url.removeprefix("sqlite:///"))) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COCKPIT_NOW", NOW.isoformat())
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "t" * 48)
    st.cache_data.clear()
    st.cache_resource.clear()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def open_contracts(username, ids, rep, lang="en"):
    at = logged_in(username, lang)
    at.switch_page(PAGE)
    at.query_params["rep"] = str(rep)
    return ok(at.run())


def todos(engine):
    with read_session(engine) as s:
        return s.execute(select(Todo.owner_id, Todo.kind, Todo.title, Todo.ref_id).order_by(Todo.id)).all()


def test_the_director_asks_a1_to_collect_once_a_day_and_a1_sees_it(own_db, ids):
    at = open_contracts("dora", ids, ids.a1)
    pick = at.selectbox(key="coll_todo_contract")
    assert pick.options[1:] == ["C1 · Acme · ¥50,000 outstanding · 13 days overdue"]  # C2 is paid: not offered
    assert at.button(key="coll_todo_create").disabled
    pick.set_value(ids.contracts["C1"])
    ok(at.run())
    ok(at.button(key="coll_todo_create").click().run())
    assert "To-do sent to Amy A1: 催收回款：Acme，合同 C1，未回款 ¥50,000" in texts(at)
    assert todos(own_db) == [(ids.a1, "collection", "催收回款：Acme，合同 C1，未回款 ¥50,000", ids.contracts["C1"])]

    ok(at.button(key="coll_todo_create").click().run())  # a second click the same day
    assert ("Dora Director already asked for contract C1 to be collected today (at 12:00): one to-do a day is "
            "enough.") in texts(at)
    assert len(todos(own_db)) == 1

    inbox = ok(logged_in("a1"))
    inbox.switch_page("pages/inbox.py")
    ok(inbox.run())
    assert "Open to-dos (1)" in texts(inbox)
    [table] = [el.value for el in inbox.dataframe if el.key == "todo_editor"]
    assert list(table["kind"]) == ["Collection"]
    assert list(table["title"]) == ["催收回款：Acme，合同 C1，未回款 ¥50,000"]


def test_a_lead_asks_in_chinese_and_is_refused_a_second_time_by_finance(own_db, ids):
    at = open_contracts("lena", ids, ids.a2, lang="zh")
    at.selectbox(key="coll_todo_contract").set_value(ids.contracts["C5"])
    ok(at.run())
    ok(at.button(key="coll_todo_create").click().run())
    assert "已向Ann A2发送待办：催收回款：Beta Co，合同 C5，未回款 ¥30,000" in texts(at)
    fay = open_contracts("fay", ids, ids.a2)
    fay.selectbox(key="coll_todo_contract").set_value(ids.contracts["C5"])
    ok(fay.run())
    ok(fay.button(key="coll_todo_create").click().run())
    assert "Lena Lead already asked for contract C5 to be collected today (at 12:00)" in texts(fay)
    assert [t.owner_id for t in todos(own_db)] == [ids.a2]
