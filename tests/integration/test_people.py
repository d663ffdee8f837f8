"""People (SPEC §8) on SQLite and PostgreSQL: coaching records and their to-dos, coverage and
ratings, the capability radar, and the knowledge base's Chinese search and edit conflicts.

Hand-made data (tests.factories.make_org): team Alpha (lead Lena, reps a1, a2), team Beta (lead Leo,
reps b1, b2), director Dora. The clock stands at tests.factories.NOW (Monday 23 November 2026, noon).
"""
from __future__ import annotations

import math
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from core.base.org import active_reps
from core.people import capability, coaching, knowledge
from core.base.db import read_session, session_factory, write_tx
from core.base.models import AuditLog, CapabilityScore, CoachingRecord, KnowledgeArticle, Todo, User
from core.people.knowledge import EditConflict
from core.people.people import InvalidPeopleInput
from core.base.scope import Scope, ScopeError
from data.knowledge import ARTICLES, seed_articles
from tests.factories import NOW, add_user, scope_of

DAY = timedelta(days=1)
TODAY = NOW.date()


def count(engine, model) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def coach(engine, lead: User, rep: User, **overrides) -> int:
    values = dict(rep_id=rep.id, dimension="negotiation_closing", scenario_practiced=True,
                  summary="练习了价格异议的应对", next_points="下次拜访前准备总拥有成本对比表", now=NOW)
    values.update(overrides)
    with write_tx(engine) as s:
        return coaching.record_coaching(s, scope_of(engine, lead), **values)


# ---- the reps a caller picks from ----------------------------------------------------------------

def test_active_reps_are_the_callers_own_by_team_then_name(engine, org):
    with write_tx(engine) as s:
        add_user(s, "a0", "Zoe A0", "rep", org.alpha)
        add_user(s, "free", "Fay Free", "rep")  # a rep of no team
        s.get(User, org.b2.id).active = False
    with read_session(engine) as s:
        def names(user):
            return active_reps(scope_of(engine, user), s)["display_name"].tolist()
        # by team (Alpha, Beta, then no team), then by name; deactivated reps and other roles left out
        assert names(org.director) == ["Amy A1", "Ann A2", "Zoe A0", "Bob B1", "Fay Free"]
        assert names(org.lead_alpha) == ["Amy A1", "Ann A2", "Zoe A0"]
        assert names(org.lead_beta) == ["Bob B1"]
        assert names(org.a2) == ["Ann A2"]  # a rep: only themself
        df = active_reps(scope_of(engine, org.lead_alpha), s)
        assert list(df.columns) == ["id", "display_name", "team_id", "team", "owner_id"]
        assert set(df["team"]) == {"Alpha"} and (df["id"] == df["owner_id"]).all()
        with pytest.raises(ScopeError):
            active_reps(None, s)


# ---- coaching records ---------------------------------------------------------------------------

def test_a_coaching_becomes_a_todo_for_the_rep_with_an_audit_row(engine, org):
    record_id = coach(engine, org.lead_alpha, org.a1)
    with read_session(engine) as s:
        record = s.get(CoachingRecord, record_id)
        assert (record.lead_id, record.owner_id, record.team_id) == (org.lead_alpha.id, org.a1.id, org.alpha.id)
        assert record.coached_on == TODAY and record.scenario_practiced is True and record.rep_rating is None
        todo = s.get(Todo, record.todo_id)
        assert todo.owner_id == org.a1.id and todo.team_id == org.alpha.id
        assert todo.title == "下次拜访前准备总拥有成本对比表"
        assert (todo.kind, todo.ref_type, todo.ref_id) == ("coaching", "coaching", record_id)
        # default due date: coaching_todo_days (7) after the coaching, at 18:00
        assert todo.due_at == datetime.combine(TODAY + 7 * DAY, time(18, 0))
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "coaching_record")).all()
        assert [(a.user_id, a.action, a.entity_id) for a in audit] == [(org.lead_alpha.id, "create", str(record_id))]
        assert audit[0].detail["todo_id"] == todo.id


def test_a_given_date_and_due_date_are_kept(engine, org):
    record_id = coach(engine, org.lead_alpha, org.a2, coached_on=TODAY - 3 * DAY, due_on=TODAY + 2 * DAY,
                      scenario_practiced=False, summary="  short  ")
    with read_session(engine) as s:
        record = s.get(CoachingRecord, record_id)
        assert (record.coached_on, record.scenario_practiced, record.summary) == (TODAY - 3 * DAY, False, "short")
        assert s.get(Todo, record.todo_id).due_at == datetime(2026, 11, 25, 18, 0)


def test_every_bad_coaching_field_is_named_and_nothing_is_saved(engine, org):
    bad = [
        ("rep_id", dict(rep_id=None), "people.err.rep_not_yours"),
        ("rep_id", dict(rep_id="a1"), "people.err.rep_not_yours"),
        ("rep_id", dict(rep_id=org.b1.id), "people.err.rep_not_yours"),        # another team's rep
        ("rep_id", dict(rep_id=org.lead_alpha.id), "people.err.rep_not_yours"),  # not a rep
        ("rep_id", dict(rep_id=987654), "people.err.rep_not_yours"),
        ("dimension", dict(dimension="charm"), "people.err.dimension"),
        ("dimension", dict(dimension=None), "people.err.dimension"),
        ("scenario_practiced", dict(scenario_practiced=None), "people.err.yes_no"),
        ("scenario_practiced", dict(scenario_practiced="yes"), "people.err.yes_no"),
        ("summary", dict(summary="   "), "err.required"),
        ("summary", dict(summary=None), "err.required"),
        ("summary", dict(summary="长" * 501), "people.err.too_long"),
        ("next_points", dict(next_points=""), "err.required"),
        ("next_points", dict(next_points=42), "people.err.text"),
        ("coached_on", dict(coached_on=TODAY + DAY), "people.err.date_future"),
        ("coached_on", dict(coached_on=TODAY - 32 * DAY), "people.err.date_old"),
        ("coached_on", dict(coached_on="2026-11-20"), "people.err.date"),
        ("due_on", dict(due_on=TODAY - DAY), "people.err.due"),
        ("due_on", dict(due_on=TODAY + 400 * DAY), "people.err.due"),
    ]
    for field, override, key in bad:
        with pytest.raises(InvalidPeopleInput) as caught:
            coach(engine, org.lead_alpha, org.a1, **override)
        assert (caught.value.field, caught.value.msg_key) == (field, key), override
        assert caught.value.message("zh") != key  # a translated message
    assert count(engine, CoachingRecord) == count(engine, Todo) == count(engine, AuditLog) == 0


def test_a_lead_cannot_coach_another_teams_rep_and_only_leads_coach(engine, org):
    with pytest.raises(InvalidPeopleInput) as caught:
        coach(engine, org.lead_beta, org.a1)
    assert caught.value.field == "rep_id"
    for not_a_lead in (org.a2, org.director):
        with pytest.raises(ScopeError):
            coach(engine, not_a_lead, org.a1)
    with write_tx(engine) as s:
        s.get(User, org.a2.id).active = False
    with pytest.raises(InvalidPeopleInput):  # a deactivated rep is not coached any more
        coach(engine, org.lead_alpha, org.a2)
    assert count(engine, CoachingRecord) == count(engine, Todo) == 0


def test_the_rep_rates_own_coaching_only_with_a_whole_score(engine, org):
    mine = coach(engine, org.lead_alpha, org.a1)
    theirs = coach(engine, org.lead_alpha, org.a2)
    a1 = scope_of(engine, org.a1)
    for rating in (0, 6, 3.5, "5", True, None):
        with pytest.raises(InvalidPeopleInput) as caught:
            with write_tx(engine) as s:
                coaching.rate_coaching(s, a1, mine, rating, NOW)
        assert caught.value.field == "rep_rating", rating
    with pytest.raises(InvalidPeopleInput) as caught:
        with write_tx(engine) as s:
            coaching.rate_coaching(s, a1, theirs, 5, NOW)
    assert caught.value.field == "record_id"
    with pytest.raises(ScopeError):
        with write_tx(engine) as s:
            coaching.rate_coaching(s, scope_of(engine, org.lead_alpha), mine, 5, NOW)
    with write_tx(engine) as s:
        coaching.rate_coaching(s, a1, mine, 4, NOW)
    with write_tx(engine) as s:
        coaching.rate_coaching(s, a1, mine, 5.0, NOW + DAY)  # changed their mind
    with read_session(engine) as s:
        assert [(r.rep_rating, r.rated_at) for r in s.scalars(select(CoachingRecord).order_by(CoachingRecord.id))] == [
            (5, NOW + DAY), (None, None)]
        assert s.scalar(select(func.count()).where(AuditLog.action == "rate")) == 2


def test_who_sees_which_coaching_records(engine, org):
    coach(engine, org.lead_alpha, org.a1, summary="a1 notes")
    coach(engine, org.lead_alpha, org.a2, summary="a2 notes")
    coach(engine, org.lead_beta, org.b1, summary="b1 notes")
    with write_tx(engine) as s:
        coaching.rate_coaching(s, scope_of(engine, org.a1), 1, 2, NOW)
    with read_session(engine) as s:
        def seen(user):
            return coaching.coaching_records(scope_of(engine, user), s)
        assert list(seen(org.a1)["summary"]) == ["a1 notes"]
        assert list(seen(org.a1)["rep_rating"]) == [2]
        lena = seen(org.lead_alpha)
        assert sorted(lena["summary"]) == ["a1 notes", "a2 notes"]
        assert lena["rep_rating"].isna().all()  # single ratings are for the director
        dora = seen(org.director)
        assert sorted(dora["summary"]) == ["a1 notes", "a2 notes", "b1 notes"]
        assert dora.loc[dora["summary"] == "a1 notes", "rep_rating"].tolist() == [2]
        assert set(dora["lead"]) == {"Lena Lead", "Leo Lead"}
        assert list(coaching.coaching_records(scope_of(engine, org.a1), s, rep_id=org.a2.id)["summary"]) == []
        with pytest.raises(ScopeError):
            coaching.coaching_records(Scope(99, "finance", None), s)


def test_coverage_and_mean_rating_per_team_on_hand_made_data(engine, org):
    with write_tx(engine) as s:
        add_user(s, "a3", "Ada A3", "rep", org.alpha)  # never coached
        gone = add_user(s, "a4", "Al A4", "rep", org.alpha)
    # Alpha: a1 coached twice in the window, a2 15 days ago (outside the 14 days), a3 never;
    # a4 coached but deactivated since: 1 of 3 active reps coached.
    coach(engine, org.lead_alpha, org.a1, coached_on=TODAY - 13 * DAY)
    coach(engine, org.lead_alpha, org.a1, coached_on=TODAY)
    coach(engine, org.lead_alpha, org.a2, coached_on=TODAY - 15 * DAY, due_on=TODAY)
    coach(engine, org.lead_alpha, gone, coached_on=TODAY - DAY)
    # Beta: both reps coached: 2 of 2.
    coach(engine, org.lead_beta, org.b1, coached_on=TODAY - 2 * DAY)
    coach(engine, org.lead_beta, org.b2, coached_on=TODAY - 2 * DAY)
    with write_tx(engine) as s:
        s.get(User, gone.id).active = False
        ratings = {1: 4, 2: 5, 3: 2, 5: 3}  # record id → rating; Alpha 4, 5, 2 → 3.67; Beta 3
        for record_id, rating in ratings.items():
            s.get(CoachingRecord, record_id).rep_rating = rating
        # a rating of a coaching 100 days ago is outside the 90-day window
        s.add(CoachingRecord(lead_id=org.lead_beta.id, owner_id=org.b1.id, team_id=org.beta.id,
                             coached_on=TODAY - 100 * DAY, dimension="relationship_care", scenario_practiced=False,
                             summary="old", next_points="old", rep_rating=1, created_at=NOW - 100 * DAY))
    with read_session(engine) as s:
        dora = coaching.coaching_coverage(scope_of(engine, org.director), s, TODAY).set_index("team")
        assert dora.loc["Alpha", ["lead", "reps", "coached", "ratings"]].tolist() == ["Lena Lead", 3, 1, 3]
        assert dora.loc["Alpha", "coverage"] == pytest.approx(1 / 3)
        assert dora.loc["Alpha", "mean_rating"] == pytest.approx(11 / 3)
        assert dora.loc["Beta", ["lead", "reps", "coached", "ratings"]].tolist() == ["Leo Lead", 2, 2, 1]
        assert dora.loc["Beta", "coverage"] == 1.0 and dora.loc["Beta", "mean_rating"] == 3.0
        lena = coaching.coaching_coverage(scope_of(engine, org.lead_alpha), s, TODAY)
        assert lena["team"].tolist() == ["Alpha"] and lena["coverage"].tolist() == [pytest.approx(1 / 3)]
        assert lena["ratings"].tolist() == [0] and lena["mean_rating"].isna().all()
        with pytest.raises(ScopeError):
            coaching.coaching_coverage(scope_of(engine, org.a1), s, TODAY)
        # 14 days on, nobody's coaching counts any more
        later = coaching.coaching_coverage(scope_of(engine, org.director), s, TODAY + 14 * DAY)
        assert later["coached"].tolist() == [0, 0]


def test_a_team_without_reps_has_no_coverage_rather_than_a_division_by_zero(engine, org):
    with write_tx(engine) as s:
        for rep in org.reps:
            s.get(User, rep.id).active = False
    with read_session(engine) as s:
        df = coaching.coaching_coverage(scope_of(engine, org.director), s, TODAY)
    assert df["reps"].tolist() == [0, 0] and df["coverage"].isna().all()


# ---- capability -------------------------------------------------------------------------------------

def assess(engine, lead, rep, scores, when=NOW, note=""):
    with write_tx(engine) as s:
        return capability.assess_capability(s, scope_of(engine, lead), rep_id=rep.id, scores=scores, now=when, note=note)


def test_radar_shows_the_newest_score_per_dimension_against_the_team_average(engine, org):
    assess(engine, org.lead_alpha, org.a1, {"opportunity_discovery": 4, "solution_presentation": 1}, NOW - 30 * DAY)
    assess(engine, org.lead_alpha, org.a1, {"opportunity_discovery": 2, "solution_presentation": 4,
                                            "negotiation_closing": 3}, NOW - DAY, note="季度评估")
    assess(engine, org.lead_alpha, org.a2, {"opportunity_discovery": 4, "solution_presentation": 2,
                                            "negotiation_closing": 3, "relationship_care": 5})
    assess(engine, org.lead_beta, org.b1, {d: 1 for d in capability.DIMENSIONS})  # another team: not in the average
    with read_session(engine) as s:
        radar = capability.capability_radar(scope_of(engine, org.lead_alpha), s, org.a1.id)
        history = capability.capability_history(scope_of(engine, org.lead_alpha), s, org.a1.id)
    assert radar["dimension"].tolist() == list(capability.DIMENSIONS)
    assert radar["score"].tolist()[:3] == [2.0, 4.0, 3.0] and math.isnan(radar["score"].iloc[3])
    assert radar["team_average"].tolist() == [3.0, 3.0, 3.0, 5.0]
    assert radar["assessed_at"].iloc[0] == NOW - DAY
    assert capability.weakest_dimension(radar) == "opportunity_discovery"
    assert len(history) == 5 and history["score"].tolist() == [4, 1, 2, 4, 3]
    assert set(history["assessed_by"]) == {"Lena Lead"} and history["note"].iloc[-1] == "季度评估"


def test_a_rep_sees_the_team_average_only_once_enough_reps_are_assessed(engine, org):
    with write_tx(engine) as s:
        a3 = add_user(s, "a3", "Ada A3", "rep", org.alpha)
    assess(engine, org.lead_alpha, org.a1, {"opportunity_discovery": 2})
    assess(engine, org.lead_alpha, org.a2, {"opportunity_discovery": 4})
    a1 = scope_of(engine, org.a1)
    with read_session(engine) as s:
        # two assessed reps: a1 could work out a2's score from the average
        assert capability.capability_radar(a1, s, org.a1.id)["team_average"].isna().all()
        assert capability.capability_radar(scope_of(engine, org.lead_alpha), s, org.a1.id)["team_average"].iloc[0] == 3.0
    assess(engine, org.lead_alpha, a3, {"opportunity_discovery": 5})
    with read_session(engine) as s:
        assert capability.capability_radar(a1, s, org.a1.id)["team_average"].iloc[0] == pytest.approx(11 / 3)
    with write_tx(engine) as s:  # a deactivated rep leaves the average
        s.get(User, org.a2.id).active = False
    with read_session(engine) as s:
        assert capability.capability_radar(scope_of(engine, org.lead_alpha), s, org.a1.id)["team_average"].iloc[0] == 3.5


def test_nobody_reads_a_radar_outside_their_scope(engine, org):
    assess(engine, org.lead_alpha, org.a2, {"opportunity_discovery": 4})
    with read_session(engine) as s:
        for user, rep in ((org.a1, org.a2), (org.lead_beta, org.a2), (org.a1, org.lead_alpha)):
            with pytest.raises(ScopeError):
                capability.capability_radar(scope_of(engine, user), s, rep.id)
            with pytest.raises(ScopeError):
                capability.capability_history(scope_of(engine, user), s, rep.id)
        with pytest.raises(ScopeError):
            capability.capability_radar(scope_of(engine, org.a1), s, str(org.a1.id))
        with pytest.raises(ScopeError):
            capability.capability_radar(Scope(77, "finance", None), s, org.a2.id)
        assert capability.capability_radar(scope_of(engine, org.director), s, org.a2.id)["score"].iloc[0] == 4.0


def test_bad_assessments_are_refused_and_nothing_is_saved(engine, org):
    cases = [
        (org.lead_alpha, org.a1, {"opportunity_discovery": 0}, "opportunity_discovery"),
        (org.lead_alpha, org.a1, {"opportunity_discovery": 6}, "opportunity_discovery"),
        (org.lead_alpha, org.a1, {"opportunity_discovery": 2.5}, "opportunity_discovery"),
        (org.lead_alpha, org.a1, {"opportunity_discovery": "3"}, "opportunity_discovery"),
        (org.lead_alpha, org.a1, {"relationship_care": 3, "charm": 4}, "scores"),
        (org.lead_alpha, org.a1, {}, "scores"),
        (org.lead_beta, org.a1, {"opportunity_discovery": 3}, "rep_id"),
    ]
    for lead, rep, scores, field in cases:
        with pytest.raises(InvalidPeopleInput) as caught:
            assess(engine, lead, rep, scores)
        assert caught.value.field == field, scores
    with pytest.raises(ScopeError):
        assess(engine, org.a1, org.a1, {"opportunity_discovery": 5})
    assert count(engine, CapabilityScore) == count(engine, AuditLog) == 0


def test_weakest_dimension_breaks_ties_by_the_gap_to_the_team(engine):
    import pandas as pd

    radar = pd.DataFrame({"dimension": list(capability.DIMENSIONS), "score": [3.0, 2.0, 2.0, float("nan")],
                          "team_average": [3.0, 2.5, 4.0, 4.0]})
    assert capability.weakest_dimension(radar) == "negotiation_closing"  # 2 vs 4 beats 2 vs 2.5
    assert capability.weakest_dimension(radar.assign(score=float("nan"))) is None


# ---- knowledge base -------------------------------------------------------------------------------

def article(**values):
    base = dict(title="Untitled", question="Q", scenario="S", script="Script", evidence="", customer_type="",
                scenario_tag="", dimension="negotiation_closing", language="zh")
    return base | values


@pytest.fixture
def kb(engine, org):
    """Four hand-made articles, created by lead Lena."""
    lena = scope_of(engine, org.lead_alpha)
    with write_tx(engine) as s:
        ids = [knowledge.create_article(s, lena, now=NOW, **values) for values in (
            article(title="谈判中的让步原则", question="客户压价怎么办？", scenario="谈判阶段，客户提出价格异议",
                    script="遇到价格异议，先确认对比的是同样配置，再算总拥有成本。", scenario_tag="price_objection"),
            article(title="签约后的客户关怀", question="签约以后多久回访？", scenario="新客户进入交付期",
                    script="第 30 天回访使用情况，第 90 天一起复盘效果。", dimension="relationship_care"),
            article(title="Handling a Price Objection", question="They say we are too expensive.",
                    scenario="Negotiation with a distributor", script="Unpack the value first; 100% of the gap.",
                    language="en"),
            article(title="方案演示", question="演示时客户走神", scenario="医院设备科", script="只讲三个场景",
                    dimension="solution_presentation", evidence="报价前先演示，转化率更高"),
        )]
    return ids


def titles(engine, scope, query, **kw):
    with read_session(engine) as s:
        return knowledge.search_articles(scope, s, query, **kw)["title"].tolist()


def test_chinese_search_matches_substrings_and_nothing_unrelated(engine, org, kb):
    a1 = scope_of(engine, org.a1)
    assert titles(engine, a1, "价格异议") == ["谈判中的让步原则"]        # in the scenario and the script
    assert titles(engine, a1, "总拥有成本") == ["谈判中的让步原则"]      # a word inside the script
    assert titles(engine, a1, "回访") == ["签约后的客户关怀"]
    assert titles(engine, a1, "报价") == []  # only in an evidence part, and in no other article
    assert titles(engine, a1, "价格 复盘") == []  # every word must match the same article
    assert titles(engine, a1, "客户 价格") == ["谈判中的让步原则"]
    assert titles(engine, a1, "  ") == ["方案演示", "Handling a Price Objection", "签约后的客户关怀",
                                         "谈判中的让步原则"]  # newest first (same time: higher id first)


def test_latin_search_is_case_insensitive_and_wildcards_are_literal(engine, org, kb):
    a1 = scope_of(engine, org.a1)
    assert titles(engine, a1, "price objection") == ["Handling a Price Objection"]
    assert titles(engine, a1, "PRICE") == ["Handling a Price Objection"]
    assert titles(engine, a1, "100%") == ["Handling a Price Objection"]
    assert titles(engine, a1, "%") == ["Handling a Price Objection"]  # only the one with a real %
    assert titles(engine, a1, "_") == []


def test_title_matches_come_first_and_filters_narrow(engine, org, kb):
    a1 = scope_of(engine, org.a1)
    assert titles(engine, a1, "客户") == ["签约后的客户关怀", "方案演示", "谈判中的让步原则"]
    assert titles(engine, a1, "", dimension="negotiation_closing") == ["Handling a Price Objection", "谈判中的让步原则"]
    assert titles(engine, a1, "", dimension="negotiation_closing", language="zh") == ["谈判中的让步原则"]
    assert titles(engine, a1, "", scenario_tag="price_objection") == ["谈判中的让步原则"]
    with read_session(engine) as s:
        assert knowledge.articles_for_dimension(a1, s, "relationship_care")["title"].tolist() == ["签约后的客户关怀"]
        # the reader's language first; a dimension with no article in it shows those in any language
        assert knowledge.articles_for_dimension(a1, s, "negotiation_closing", "en")["title"].tolist() == [
            "Handling a Price Objection"]
        assert knowledge.articles_for_dimension(a1, s, "relationship_care", "en")["title"].tolist() == ["签约后的客户关怀"]
        assert knowledge.articles_for_dimension(a1, s, "opportunity_discovery", "en").empty
        assert len(knowledge.articles_for_dimension(a1, s, "negotiation_closing", limit=1)) == 1
        with pytest.raises(ScopeError):
            knowledge.search_articles(None, s, "价格")


def test_only_admins_and_leads_write_articles_and_every_field_is_checked(engine, org, kb):
    for user in (org.a1, org.director):
        with pytest.raises(ScopeError):
            with write_tx(engine) as s:
                knowledge.create_article(s, scope_of(engine, user), now=NOW, **article())
    lena = scope_of(engine, org.lead_alpha)
    for field, value, key in [("title", " ", "err.required"), ("question", "", "err.required"),
                              ("scenario", None, "err.required"), ("script", "", "err.required"),
                              ("title", "长" * 201, "people.err.too_long"),
                              ("dimension", "charm", "people.err.dimension"), ("language", "fr", "err.language"),
                              ("scenario_tag", "golf", "people.err.scenario_tag")]:
        with pytest.raises(InvalidPeopleInput) as caught:
            with write_tx(engine) as s:
                knowledge.create_article(s, lena, now=NOW, **article(**{field: value}))
        assert (caught.value.field, caught.value.msg_key) == (field, key)
    admin = Scope(0, "admin", None)
    with write_tx(engine) as s:
        new_id = knowledge.create_article(s, admin, now=NOW, **article(title="新文章"))
    assert count(engine, KnowledgeArticle) == 5 and new_id == 5


def test_the_second_save_of_an_article_is_told_of_the_conflict(engine, org, kb):
    lena, leo = scope_of(engine, org.lead_alpha), scope_of(engine, org.lead_beta)
    with read_session(engine) as s:
        opened = knowledge.article(lena, s, kb[0])  # both open version 1
    assert opened["version"] == 1
    fields = {k: opened[k] for k in knowledge.ARTICLE_FIELDS}
    with write_tx(engine) as s:
        assert knowledge.update_article(s, leo, kb[0], 1, now=NOW + DAY, **fields | {"script": "Leo 的话术"}) == 2
    with pytest.raises(EditConflict) as caught:
        with write_tx(engine) as s:
            knowledge.update_article(s, lena, kb[0], opened["version"], now=NOW + 2 * DAY,
                                  **fields | {"script": "Lena 的话术"})
    assert "Leo Lead" in caught.value.message("en") and "2026-11-24 12:00" in caught.value.message("zh")
    with read_session(engine) as s:
        now_there = knowledge.article(lena, s, kb[0])
        assert (now_there["script"], now_there["version"]) == ("Leo 的话术", 2)  # Leo's save is not lost
    with write_tx(engine) as s:  # Lena reloads and saves on version 2
        assert knowledge.update_article(s, lena, kb[0], 2, now=NOW + 2 * DAY, **fields | {"script": "合并后的话术"}) == 3
    with write_tx(engine) as s:  # saving nothing new keeps the version
        assert knowledge.update_article(s, lena, kb[0], 3, now=NOW + 2 * DAY, **fields | {"script": "合并后的话术"}) == 3
    with read_session(engine) as s:
        updates = s.scalars(select(AuditLog).where(AuditLog.action == "update")).all()
    assert [(a.user_id, a.detail) for a in updates] == [
        (org.lead_beta.id, {"fields": ["script"], "version": 2}), (org.lead_alpha.id, {"fields": ["script"], "version": 3})]


def test_a_save_racing_another_transaction_is_a_conflict(engine, org, kb, backend):
    """Two saves in flight at once: the version check in the UPDATE itself refuses the second."""
    if backend == "sqlite":
        pytest.skip("SQLite serialises writers: the second transaction cannot even start its write")
    lena, leo = scope_of(engine, org.lead_alpha), scope_of(engine, org.lead_beta)
    with read_session(engine) as s:
        fields = {k: v for k, v in knowledge.article(lena, s, kb[0]).items() if k in knowledge.ARTICLE_FIELDS}
    slow = session_factory(engine)()
    try:
        slow.begin()
        slow.get(KnowledgeArticle, kb[0])  # Lena's save has read version 1 …
        with write_tx(engine) as s:       # … when Leo's save commits version 2
            knowledge.update_article(s, leo, kb[0], 1, now=NOW, **fields | {"script": "Leo"})
        with pytest.raises(EditConflict):
            knowledge.update_article(slow, lena, kb[0], 1, now=NOW, **fields | {"script": "Lena"})
    finally:
        slow.rollback()
        slow.close()
    with read_session(engine) as s:
        assert knowledge.article(lena, s, kb[0])["script"] == "Leo"


def test_the_seeded_articles_cover_every_dimension_in_both_languages(engine):
    with write_tx(engine) as s:
        assert seed_articles(s, NOW) == 2 * len(ARTICLES) == 16
    with write_tx(engine) as s:
        assert seed_articles(s, NOW) == 0  # idempotent
    anyone = Scope(1, "rep", frozenset(), own_only=True)
    with read_session(engine) as s:
        every = knowledge.search_articles(anyone, s)
        assert sorted(every.groupby(["dimension", "language"]).size().tolist()) == [2] * 8
        assert all(every[part].str.len().min() >= 10 for part in ("question", "scenario", "script", "evidence"))
        found = knowledge.search_articles(anyone, s, "价格异议")
        assert found["title"].tolist() == ["处理价格异议：先拆价值，再谈价格"]
        assert knowledge.search_articles(anyone, s, "price objection", language="en")["title"].tolist() == [
            "Price objections: unpack the value before the price"]
