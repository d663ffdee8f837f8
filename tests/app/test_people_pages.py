"""AppTest of the People pages (coaching, capability, knowledge) per role: figures, field messages,
scope by widget and URL, edit conflicts.

Each test gets a database of its own (these pages write): the AppTest organisation (team Alpha:
lead lena, reps a1, a2 and a3; team Beta: lead leo, reps b1, b2; director dora; finance fay; admin
ada), every rep of the first two with tests.factories.add_rep_records (newest scores 2, 4, 3, 5; a
coaching three days ago rated 4), and the seeded knowledge base.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import func, select

from core.people import capability, knowledge
from core.base.db import read_session, write_tx
from core.base.models import CoachingRecord, KnowledgeArticle, Todo, User
from core.base.scope import scope_for
from data.knowledge import seed_articles
from tests.app.conftest import app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_rep_records, add_user, make_org, user_id

pytestmark = pytest.mark.app
PRICE_ZH = "处理价格异议：先拆价值，再谈价格"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        add_user(s, "ada", "Ada Admin", "admin")
        add_user(s, "a3", "Ada A3", "rep", org.alpha)  # never assessed nor coached
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        seed_articles(s, NOW)
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def count(engine, model) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def charts_of(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def chart_data(at) -> list[pd.DataFrame]:
    """Every dataset of every chart (Streamlit sends them beside the spec, as Arrow)."""
    return [pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
            for el in at.get("vega_lite_chart") for ds in el.proto.datasets]


def radar_series(at) -> set[str]:
    """The series names the radar draws (the rep's name, the team average)."""
    return {name for df in chart_data(at) if "series" in df.columns for name in df["series"]}


def everything_shown(at) -> str:
    """All text of the run, with every table's cells and every chart's data."""
    tables = [el.value.to_string() for el in at.dataframe]
    return "\n".join([texts(at), *tables, *(json.dumps(c, ensure_ascii=False) for c in charts_of(at)),
                      *(df.to_string() for df in chart_data(at)),
                      *(str(s.options) for s in at.selectbox)])


# ---- coaching ------------------------------------------------------------------------------------

def fill_coaching(at, rep_id, summary="Practised the price objection", next_points="Prepare a TCO table"):
    at.selectbox(key="coach_rep").set_value(rep_id)
    at.selectbox(key="coach_dimension").set_value("negotiation_closing")
    at.radio(key="coach_practiced").set_value(True)
    at.text_area(key="coach_summary").input(summary)
    at.text_area(key="coach_next").input(next_points)
    return at


def test_a_lead_records_a_coaching_and_the_rep_finds_the_todo(page_db, open_page):
    at = open_page("lena", "pages/coaching.py")
    assert at.title[0].value == "Coaching"
    assert sorted(at.selectbox(key="coach_rep").options) == ["Ada A3", "Amy A1", "Ann A2"]  # own team only
    fill_coaching(at, user_id(page_db, "a1"))
    at.button(key="FormSubmitter:coaching_form-Save coaching").click().run()
    assert not at.exception
    assert "Saved. Amy A1 has a new to-do due 2026-11-30." in texts(at)
    assert at.text_area(key="coach_summary").value == ""  # the form is ready for the next one
    records = frame(at, "Summary", "Next points")
    assert records["Summary"].tolist()[0] == "Practised the price objection"
    assert "Rep's rating" not in records.columns  # single ratings are for the director

    rep = open_page("a1", "pages/inbox.py")
    assert "Open to-dos (2)" in texts(rep)
    with read_session(page_db) as s:
        todo = s.scalar(select(Todo).where(Todo.kind == "coaching"))
        assert (todo.owner_id, todo.title, str(todo.due_at)) == (user_id(page_db, "a1"), "Prepare a TCO table",
                                                                "2026-11-30 18:00:00")


def test_a_missing_field_is_named_under_it_and_nothing_is_saved(page_db, open_page):
    at = open_page("lena", "pages/coaching.py")
    fill_coaching(at, user_id(page_db, "a2"), summary="   ")
    at.button(key="FormSubmitter:coaching_form-Save coaching").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Required."]
    form = at.get("form")[0]
    kinds = [(type(el).__name__, getattr(el, "key", None)) for el in form.children.values()]
    assert kinds.index(("Error", None)) == kinds.index(("TextArea", "coach_summary")) + 1  # right under it
    assert at.text_area(key="coach_next").value == "Prepare a TCO table"  # what was typed stays
    assert count(page_db, CoachingRecord) == 4 and count(page_db, Todo) == 4  # the factory's only

    at.selectbox(key="coach_rep").set_value(None)
    at.text_area(key="coach_summary").input("ok")
    at.button(key="FormSubmitter:coaching_form-Save coaching").click().run()
    assert [e.value for e in at.error] == ["Choose one of the active reps of your own team."]
    assert count(page_db, CoachingRecord) == 4


def test_a_rep_sees_and_rates_only_their_own_coaching(page_db, open_page):
    a2 = user_id(page_db, "a2")
    at = open_page("a1", "pages/coaching.py", rep=str(a2), record="2")  # URL parameters change nothing
    shown = everything_shown(at)
    assert "a1 coaching summary" in shown
    assert "a2" not in shown and "b1" not in shown and "Ann A2" not in shown
    assert not at.get("form") or [f.key for f in at.get("form")] == ["rate_form"]
    mine = frame(at, "Summary", "Rep's rating")
    assert mine["Rep's rating"].tolist() == [4]
    assert len(at.selectbox(key="rate_record").options) == 1
    at.selectbox(key="rate_record").set_value(1)  # a1's coaching (the factory's first)
    at.radio(key="rate_value").set_value(5)
    at.button(key="FormSubmitter:rate_form-Save rating").click().run()
    assert "Thank you: rated 5." in texts(at)
    assert frame(at, "Summary", "Rep's rating")["Rep's rating"].tolist() == [5]

    at.radio(key="rate_value").set_value(3)
    at.button(key="FormSubmitter:rate_form-Save rating").click().run()  # no coaching chosen
    assert [e.value for e in at.error] == ["No such coaching record of yours."]


def test_the_director_sees_coverage_and_ratings_per_lead(open_page):
    at = open_page("dora", "pages/coaching.py")
    cov = frame(at, "Coverage", "Mean rating").set_index("Team")
    # Alpha: a1 and a2 coached three days ago, a3 not: 2 of 3; Beta: 2 of 2. Every rating is 4.
    assert cov.loc["Alpha", ["Coach", "Active reps", "Coached", "Ratings", "Mean rating"]].tolist() == [
        "Lena Lead", 3, 2, 2, 4.0]
    assert cov.loc["Alpha", "Coverage"] == pytest.approx(200 / 3)
    assert cov.loc["Beta", ["Active reps", "Coached", "Coverage"]].tolist() == [2, 2, 100.0]
    records = frame(at, "Summary", "Rep's rating")
    assert len(records) == 4 and set(records["Rep's rating"]) == {4}

    lead = open_page("lena", "pages/coaching.py")
    lead_cov = frame(lead, "Coverage", "Coached")
    assert lead_cov["Team"].tolist() == ["Alpha"] and "Mean rating" not in lead_cov.columns


# ---- capability -----------------------------------------------------------------------------------

def test_a_lead_sees_a_radar_of_own_reps_against_the_team_and_assesses(page_db, open_page):
    at = open_page("lena", "pages/capability.py")
    assert at.selectbox(key="capability_rep").options == ["Ada A3", "Amy A1", "Ann A2"]
    at.selectbox(key="capability_rep").set_value(user_id(page_db, "a1")).run()
    assert radar_series(at) == {"Amy A1", "Team average"}
    assert "Weakest dimension: Opportunity discovery (2/5)" in texts(at)
    links = [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]
    assert ("三个问题挖出客户的真实痛点", None) not in links  # English user: English articles
    assert [label for label, _ in links] == ["Opening a call from a referral", "Three questions that uncover the real pain",
                                             "All articles on Opportunity discovery"]
    assert links[-1][1] == "dimension=opportunity_discovery"
    assert len(frame(at, "Assessed", "Score")) == 8  # two assessments of four dimensions

    a3 = user_id(page_db, "a3")
    at.selectbox(key="capability_rep").set_value(a3).run()
    assert "Ada A3 has not been assessed yet." in texts(at)
    for dim, score in zip(capability.DIMENSIONS, (4, 2, 5, 3)):
        at.select_slider(key=f"assess_{a3}_{dim}").set_value(score)
    at.button(key=f"FormSubmitter:assess_form_{a3}-Save scores").click().run()
    assert not at.exception
    assert "Scores saved for Ada A3." in texts(at)
    assert frame(at, "Assessed", "Score")["Score"].tolist() == [3, 5, 2, 4]  # newest first
    assert "Weakest dimension: Solution presentation (2/5)" in texts(at)


def test_a_rep_sees_only_their_own_radar_whatever_the_url_says(page_db, open_page):
    for asked in (str(user_id(page_db, "a2")), str(user_id(page_db, "b1")), "abc"):
        at = open_page("a1", "pages/capability.py", rep=asked)
        assert "That link names a rep you cannot see; showing Amy A1." in texts(at)
        assert not at.get("selectbox")  # no widget to pick another rep
        assert radar_series(at) == {"Amy A1"}  # a team of two assessed: no average (a2's scores would show)
        assert "The team average shows once 3 reps of the team are assessed." in texts(at)
        shown = everything_shown(at)
        assert "Ann A2" not in shown and "Bob B1" not in shown
    at = open_page("a1", "pages/capability.py", rep=str(user_id(page_db, "a1")))
    assert "That link names" not in texts(at)


def test_a_lead_cannot_open_another_teams_rep_by_url(page_db, open_page):
    at = open_page("lena", "pages/capability.py", rep=str(user_id(page_db, "b1")))
    assert "That link names a rep you cannot see; showing Ada A3." in texts(at)  # the first of her reps
    assert "Bob B1" not in everything_shown(at)
    at = open_page("lena", "pages/capability.py", rep=str(user_id(page_db, "a2")))
    assert at.selectbox(key="capability_rep").value == user_id(page_db, "a2")
    assert radar_series(at) == {"Ann A2", "Team average"}


# ---- knowledge ------------------------------------------------------------------------------------

def titles(at) -> list[str]:
    return [e.label for e in at.expander]


def test_everyone_searches_the_knowledge_base_in_chinese(open_page):
    at = open_page("a1", "pages/knowledge.py", lang="zh")
    assert at.title[0].value == "知识库"
    assert len(titles(at)) == 8  # the user's language
    at.text_input(key="kb_search").input("价格异议").run()
    assert titles(at) == [PRICE_ZH]
    at.text_input(key="kb_search").input("回访").run()
    assert titles(at) == ["客户投诉后 24 小时内怎么做", "签约后 90 天的客户关怀节奏"]  # newest first
    at.text_input(key="kb_search").input("报价").run()
    assert titles(at) == [PRICE_ZH]  # only the article whose scenario mentions a competitor's quote
    at.text_input(key="kb_search").input("高尔夫").run()
    assert titles(at) == [] and "没有匹配的文章，请尝试更少或更短的关键词。" in texts(at)
    assert not at.get("tab")  # a rep reads only


def test_links_open_a_dimension_or_one_article(page_db, open_page):
    at = open_page("a1", "pages/knowledge.py", dimension="relationship_care")
    assert titles(at) == ["The first 24 hours after a complaint", "The first 90 days after signing"]
    with read_session(page_db) as s:
        article_id = s.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.title == PRICE_ZH))
    at = open_page("a1", "pages/knowledge.py", article=str(article_id))
    assert titles(at)[0] == PRICE_ZH and at.expander[0].proto.expanded
    assert "总拥有成本" in "\n".join(m.value for m in at.expander[0].markdown)
    at = open_page("a1", "pages/knowledge.py", article="99999")
    assert "No such article." in texts(at)


def test_a_lead_writes_an_article_with_field_messages(page_db, open_page):
    at = open_page("lena", "pages/knowledge.py")
    at.text_area(key="kb_new_question").input("Customer asks for a free trial")
    at.button(key="FormSubmitter:kb_new_form-Create article").click().run()
    assert [e.value for e in at.error] == ["Required."]  # the title, first
    assert count(page_db, KnowledgeArticle) == 16
    at.text_input(key="kb_new_title").input("Free trials")
    at.text_area(key="kb_new_scenario").input("Demo stage")
    at.text_area(key="kb_new_script").input("Offer a paid pilot with a refund")
    at.selectbox(key="kb_new_dimension").set_value("negotiation_closing")
    at.button(key="FormSubmitter:kb_new_form-Create article").click().run()
    assert not at.error and "Created “Free trials”." in texts(at)
    assert count(page_db, KnowledgeArticle) == 17
    at.text_input(key="kb_search").input("free TRIAL").run()
    assert titles(at) == ["Free trials"]


def test_the_second_editor_is_told_of_the_conflict_and_loses_nothing(page_db, open_page):
    with read_session(page_db) as s:
        article_id = s.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.title == PRICE_ZH))
    at = open_page("lena", "pages/knowledge.py", lang="zh")
    at.selectbox(key="kb_edit_pick").set_value(article_id).run()
    prefix = f"kb_e{article_id}v1"
    # meanwhile, lead Leo saves the same article
    with write_tx(page_db) as s:
        leo = scope_for(s, s.scalar(select(User).where(User.username == "leo")))
        fields = {k: v for k, v in knowledge.article(leo, s, article_id).items() if k in knowledge.ARTICLE_FIELDS}
        knowledge.update_article(s, leo, article_id, 1, now=NOW, **fields | {"evidence": "Leo 的新案例"})
    at.text_area(key=f"{prefix}_script").input("Lena 的新话术")
    at.button(key=f"FormSubmitter:kb_edit_form_{article_id}-保存修改").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Leo Lead 在 2026-11-23 12:00 保存了这篇文章（在您打开之后）。您的修改没有保存：请重新加载文章后再修改。"]
    with read_session(page_db) as s:
        stored = s.get(KnowledgeArticle, article_id)
        assert (stored.version, stored.evidence) == (2, "Leo 的新案例") and "Lena" not in stored.script
    at.button(key="kb_reload").click().run()
    prefix = f"kb_e{article_id}v2"
    assert at.text_area(key=f"{prefix}_evidence").value == "Leo 的新案例"  # the form shows Leo's save
    at.text_area(key=f"{prefix}_script").input("Lena 的新话术")
    at.button(key=f"FormSubmitter:kb_edit_form_{article_id}-保存修改").click().run()
    assert "已保存：第 3 版。" in texts(at)
    with read_session(page_db) as s:
        stored = s.get(KnowledgeArticle, article_id)
        assert (stored.version, stored.evidence, stored.script) == (3, "Leo 的新案例", "Lena 的新话术")


# ---- roles and languages --------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["pages/coaching.py", "pages/capability.py"])
def test_finance_has_no_coaching_or_capability_page(open_page, page):
    at = open_page("fay", None)
    with pytest.raises(ValueError):
        at.switch_page(page)
    at.switch_page("pages/knowledge.py").run()  # the knowledge base is for everyone
    assert not at.exception and at.title[0].value == "Knowledge base"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("username", ["lena", "a1", "dora"])
def test_every_people_page_is_fully_translated(open_page, username, lang):
    for page in ("pages/coaching.py", "pages/capability.py", "pages/knowledge.py"):
        at = open_page(username, page, lang=lang)
        shown = everything_shown(at) + "\n".join(str(c) for el in at.dataframe for c in el.value.columns)
        shown += "\n".join(w.label for kind in ("selectbox", "text_input", "text_area", "radio", "select_slider")
                           for w in at.get(kind))
        untranslated = re.findall(r"\b(?:people|coaching|capability|knowledge|dim|scenario|col|nav|err)\.[a-z_]+",
                                  shown)
        assert not untranslated, (page, untranslated)
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", at.title[0].value)
