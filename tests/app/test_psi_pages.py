"""AppTest of the PSI (过程确定性指数), process analysis (过程分析) and issues & requests (协同与问题)
pages per role: figures as core computes them, scope, role gating, forms with their field messages,
a conflict, and the chart builders.

Each test gets a database of its own: the AppTest organisation (team Alpha: lead lena, reps a1, a2;
team Beta: lead leo, reps b1, b2; director dora; admin ada), every rep with
tests.factories.add_rep_records, and department staff sam (support) and dan (delivery)."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.process import psi
from core.process import requests
from core.base.db import read_session, write_tx
from core.base.models import CrossDeptRequest, Customer, CustomerIssue, Team, User
from core.base.scope import Scope
from core.base.scope import COMPANY
from tests.app.conftest import app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_rep_records, add_user, make_org
from ui import psi_charts

pytestmark = pytest.mark.app
ADMIN = COMPANY


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
        for name, dept in (("sam", "support"), ("dan", "delivery")):
            add_user(s, name, name.title() + " Staff", "service").department = dept
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def metric(at: AppTest, label_start: str) -> str:
    found = [m.value for m in at.metric if m.label.startswith(label_start)]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def submit(at: AppTest, form: str, label: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{label}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# ---- PSI page ---------------------------------------------------------------------------------

def test_psi_page_shows_the_months_figures_parts_teams_and_trend(open_page, page_db):
    with read_session(page_db) as s:
        want = psi.psi_report(ADMIN, s, "2026-11", NOW)
    at = open_page("dora", "pages/psi.py")
    assert metric(at, "PSI 2026-11") == f"{want.overall.value:.1f}"
    assert metric(at, "Process bonus paid") == f"{want.overall.payout:g}%"
    labels = {"on_time": "On-time key steps", "closure": "Issue closure", "collaboration": "Collaboration"}
    for part in want.overall.parts:
        assert metric(at, labels[part.code]) == f"{part.value:.1f}"
    teams = frame(at, "Team", "PSI", "Bonus tier")
    assert list(teams["Team"]) == ["Alpha", "Beta"]
    assert list(teams["PSI"]) == [t.value for t in want.teams]
    assert "What pulled it down" in texts(at)
    assert want.drag.part == "on_time" and "On-time key steps cost" in texts(at)
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert specs, "the trend chart is drawn"
    assert at.query_params["month"] == "2026-11"


def test_psi_page_month_and_team_pickers(open_page, page_db):
    at = open_page("dora", "pages/psi.py")
    assert at.selectbox(key="psi_team").options == ["All my teams", "Alpha", "Beta"]
    at.selectbox(key="psi_team").set_value(_team_id(page_db, "Beta")).run()
    assert metric(at, "PSI 2026-11 · Beta")
    assert not [d for d in at.dataframe if "Bonus tier" in d.value.columns]   # one team: no team table
    at.selectbox(key="psi_month").set_value("2026-10").run()
    assert not at.exception
    assert metric(at, "PSI 2026-10 · Beta") == "Not enough data"
    assert "No step instances, issues or requests in this month yet." in texts(at)


def test_a_lead_sees_only_their_team_and_reps_and_staff_cannot_open_it(open_page):
    at = open_page("lena", "pages/psi.py")
    assert list(frame(at, "Team", "PSI")["Team"]) == ["Alpha"]
    assert not [s for s in at.selectbox if s.key == "psi_team"]
    for who in ("a1", "sam"):
        at = open_page(who, None)
        with pytest.raises(ValueError):
            at.switch_page("pages/psi.py")


def test_psi_page_in_chinese(open_page):
    at = open_page("dora", "pages/psi.py", lang="zh")
    assert at.title[0].value == "过程确定性指数（PSI）"
    assert "主要失分项" in texts(at)
    assert list(frame(at, "团队", "奖金档位")["团队"]) == ["Alpha", "Beta"]


# ---- process analysis page ---------------------------------------------------------------------------

def test_process_page_shows_logging_lag_and_the_flagged_activities(open_page):
    at = open_page("dora", "pages/lag_bottlenecks.py")
    # each of the four reps: a visit 24 h late, a promotion on time, a call 96 h late
    assert metric(at, "Median lag") == "24.0 h"
    assert metric(at, "Logged > 72 h late") == "4 · 33.3%"
    flagged = frame(at, "Lag (h)", "Logged")
    assert list(flagged["Lag (h)"]) == [96.0] * 4
    assert set(flagged["Owner"]) == {"Amy A1", "Ann A2", "Bob B1", "Ben B2"}
    by_team = frame(at, "Median (h)", "Flagged share")
    assert sorted(by_team["Name"]) == ["Alpha", "Beta"]
    at.segmented_control(key="lag_by").set_value("rep").run()
    assert sorted(frame(at, "Median (h)", "Flagged share")["Name"]) == ["Amy A1", "Ann A2", "Ben B2", "Bob B1"]


def test_process_page_heatmap_for_a_lead_holds_only_their_team(open_page):
    at = open_page("leo", "pages/lag_bottlenecks.py")
    table = frame(at, "Stage / step", "Stalled or late")
    assert set(table["Team"]) == {"Beta"}
    cell = table[table["Stage / step"] == "Step: Needs summary"].iloc[0]
    assert (cell["Stalled or late"], cell["Counted"]) == (4, 6)    # b1 and b2: a late and an overdue each
    assert "Beta · Step: Needs summary: 4 of 6 (67%)" in texts(at)
    at = open_page("a1", None)
    with pytest.raises(ValueError):
        at.switch_page("pages/lag_bottlenecks.py")


# ---- issues & requests page ------------------------------------------------------------------------

def test_a_rep_sees_their_own_and_closes_an_issue_with_a_resolution(open_page, page_db):
    at = open_page("a1", "pages/requests.py")
    asked = frame(at, "Request", "Department")
    assert list(asked["Request"]) == ["a1 install"] and list(asked["Department"]) == ["Support"]
    at.segmented_control(key="iss_status").set_value("all").run()
    assert sorted(frame(at, "Issue", "Resolution")["Issue"]) == ["a1 delivery", "a1 price"]
    # no resolution: refused at the field, nothing saved
    assert at.selectbox(key="close_pick").options == ["#1 · a1 Customer · a1 price"]
    issue_id = _issue_id(page_db, "a1 price")
    at.selectbox(key="close_pick").set_value(issue_id)
    submit(at, "close_form", "Close issue")
    assert [e.value for e in at.error] == ["Required."]
    with read_session(page_db) as s:
        assert s.scalar(select(CustomerIssue.closed_at).where(CustomerIssue.title == "a1 price")) is None
    at.selectbox(key="close_pick").set_value(issue_id)
    at.text_area(key="close_text").input("Agreed a 3 % discount")
    submit(at, "close_form", "Close issue")
    assert [s.value for s in at.success] == ["Issue #1 closed."]
    assert "close_form" not in [f.key for f in at.get("form")]   # no open issue left to close
    with read_session(page_db) as s:
        closed = s.scalars(select(CustomerIssue).where(CustomerIssue.title == "a1 price")).one()
        assert (closed.closed_at, closed.resolution) == (NOW, "Agreed a 3 % discount")


def test_a_rep_asks_another_department_from_the_page(open_page, page_db):
    at = open_page("a1", "pages/requests.py")
    submit(at, "request_form", "Send request")
    assert "Choose one of your customers." in [e.value for e in at.error]
    with read_session(page_db) as s:
        at.selectbox(key="req_customer").set_value(s.scalar(select(Customer.id).where(Customer.name == "a1 Customer")))
    at.selectbox(key="req_department").set_value("marketing")
    at.text_input(key="req_subject_text").input("Case study for the buyer")
    submit(at, "request_form", "Send request")
    assert any("sent to Marketing" in s.value for s in at.success)
    with read_session(page_db) as s:
        req = s.scalars(select(CrossDeptRequest).where(CrossDeptRequest.subject == "Case study for the buyer")).one()
        assert (req.department, req.owner_id) == ("marketing", s.scalar(select(User.id).where(User.username == "a1")))


def test_department_staff_answer_their_departments_requests(open_page, page_db):
    at = open_page("sam", "pages/requests.py")
    table = frame(at, "Request", "Asked by")
    assert sorted(table["Request"]) == ["a1 install", "a2 install", "b1 install", "b2 install"]
    assert "delivery" not in " ".join(table["Request"])
    assert at.selectbox(key="ans_pick").options[0].endswith("a1 Customer · a1 install")  # longest waiting first
    at.selectbox(key="ans_pick").set_value(_request_id(page_db, "a1 install"))
    at.text_area(key="ans_text").input("Engineer on site Friday")
    submit(at, "answer_form", "Send answer")
    assert any(s.value.endswith("answered.") for s in at.success)
    assert len(frame(at, "Request", "Asked by")) == 3
    with read_session(page_db) as s:
        assert s.scalar(select(CrossDeptRequest.answer).where(CrossDeptRequest.subject == "a1 install")) == \
            "Engineer on site Friday"
    # another colleague answered b1's request while this page was open: told, nothing overwritten
    rid = _request_id(page_db, "b1 install")
    at.selectbox(key="ans_pick").set_value(rid)
    at.text_area(key="ans_text").input("mine")
    with write_tx(page_db) as s:
        requests.answer_request(s, Scope(_uid(page_db, "sam"), "service", frozenset(), department="support"), rid,
                               "theirs", NOW)
    submit(at, "answer_form", "Send answer")
    assert any("already answered" in e.value for e in at.error)
    with read_session(page_db) as s:
        assert s.scalar(select(CrossDeptRequest.answer).where(CrossDeptRequest.id == rid)) == "theirs"


def test_department_staff_navigation_holds_requests_inbox_and_knowledge_only(open_page):
    at = open_page("dan", "pages/requests.py")
    assert "No open requests." in texts(at) and not at.get("form")   # delivery's requests are all answered
    at.segmented_control(key="svc_status").set_value("closed").run()
    assert sorted(frame(at, "Request", "Asked by")["Request"]) == ["a1 schedule", "a2 schedule", "b1 schedule",
                                                                  "b2 schedule"]
    for page in ("pages/cockpit.py", "pages/customers.py", "pages/funnel.py", "pages/psi.py", "pages/lag_bottlenecks.py"):
        with pytest.raises(ValueError):
            open_page("dan", None).switch_page(page)
    for page in ("pages/inbox.py", "pages/knowledge.py"):
        at = open_page("dan", page)
        assert not at.exception


def test_the_director_reads_every_team_without_forms(open_page):
    at = open_page("dora", "pages/requests.py")
    assert len(frame(at, "Request", "Team")) == 4
    assert not at.get("form")
    at = open_page("dora", "pages/requests.py", lang="zh")
    assert at.title[0].value == "协同与问题"


def _uid(engine, username: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(User.id).where(User.username == username))


def _team_id(engine, name: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(Team.id).where(Team.name == name))


def _issue_id(engine, title: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(CustomerIssue.id).where(CustomerIssue.title == title))


def _request_id(engine, subject: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(CrossDeptRequest.id).where(CrossDeptRequest.subject == subject))


# ---- the chart builders ------------------------------------------------------------------------

def test_psi_trend_chart_draws_the_psi_its_parts_and_the_tier_edges():
    trend = pd.DataFrame([("2026-10", "PSI", 80.0), ("2026-11", "PSI", 90.0), ("2026-10", "On time", 70.0),
                          ("2026-11", "On time", None)], columns=["month", "series", "value"])
    spec = psi_charts.psi_trend(trend, ["PSI", "On time"], 90, 80, month_title="Month", value_title="PSI").to_dict()
    rules, lines = spec["layer"]
    assert sorted(d["y"] for d in spec["datasets"][rules["data"]["name"]]) == [80, 90]
    points = spec["datasets"][lines["data"]["name"]]
    assert [(p["month"], p["series"], p["value"]) for p in points] == [
        ("2026-10", "PSI", 80.0), ("2026-11", "PSI", 90.0), ("2026-10", "On time", 70.0)]
    assert lines["encoding"]["y"]["scale"]["domain"] == [0, 100]


def test_lag_histogram_colours_the_flagged_buckets():
    hist = pd.DataFrame({"bucket": [0, 1], "label": ["≤ 72 h", "> 72 h"], "activities": [5, 2],
                         "flagged": [False, True]})
    spec = psi_charts.lag_histogram(hist, bucket_title="Hours", count_title="Activities", flagged_label="Flagged",
                                    ok_label="Within 72 h").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [(r["label"], r["state"], r["activities"]) for r in rows] == [("≤ 72 h", "Within 72 h", 5),
                                                                        ("> 72 h", "Flagged", 2)]
    bars, counts = spec["layer"]
    assert bars["mark"]["type"] == "bar" and counts["mark"]["type"] == "text"
    assert bars["encoding"]["x"]["sort"] == ["≤ 72 h", "> 72 h"]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Within 72 h", "Flagged"]
    assert counts["encoding"]["text"]["field"] == "activities"


def test_bottleneck_heatmap_is_a_rect_grid_with_counts():
    cells = pd.DataFrame({"team": ["A", "A", "B", "B"], "column": ["Proposal", "Step: X"] * 2, "order": [0, 1, 0, 1],
                          "stalled": [1, 0, 3, 0], "base": [2, 0, 4, 5], "rate": [50.0, float("nan"), 75.0, 0.0]})
    spec = psi_charts.bottleneck_heatmap(cells, team_title="Team", column_title="Column", rate_title="Rate",
                                         count_title="Stalled", base_title="Counted").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "rect", "text"]
    heat = spec["layer"][1]
    assert heat["encoding"]["color"]["scale"]["domain"] == [0, 100]
    assert heat["encoding"]["x"]["sort"] == ["Proposal", "Step: X"]
    rows = spec["datasets"][spec["layer"][2]["data"]["name"] if "data" in spec["layer"][2] else spec["data"]["name"]]
    assert [r["shown"] for r in rows] == ["1", "", "3", "0"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("who, page", [("dora", "pages/psi.py"), ("dora", "pages/lag_bottlenecks.py"),
                                       ("lena", "pages/requests.py"), ("a1", "pages/requests.py"),
                                       ("sam", "pages/requests.py"), ("ada", "pages/admin_users.py")])
def test_every_text_is_translated(open_page, who, page, lang):
    import re

    at = open_page(who, page, lang=lang)
    shown = texts(at) + "\n".join(str(c) for el in at.dataframe for c in [*el.value.columns, el.value.index.name])
    shown += "\n".join(m.label for m in at.metric) + "\n".join(str(t.label) for t in at.tabs)
    untranslated = re.findall(r"\b(?:psi|lag|heat|service|analysis|lowrate|col|nav|role)\.[a-z_]+", shown)
    assert not untranslated
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", at.title[0].value)
