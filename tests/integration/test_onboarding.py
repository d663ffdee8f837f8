"""The new-rep path (SPEC §8) on SQLite and PostgreSQL: the default first-week tasks, a new rep
completing them with a note, the lead's view of progress and overdue tasks, and the lead's check.

tests.factories.make_org (team Alpha: lead Lena, reps a1 and a2; team Beta: lead Leo, reps b1, b2),
plus Nina, who joined team Alpha on Friday 20 November 2026 at 09:00 (day 1), and Nick, who joined
team Beta on Sunday 22 November. The clock stands at NOW, Monday 23 November, noon: Nina's day 4.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.people import onboarding
from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, OnboardingProgress, OnboardingTask
from core.base.scope import ScopeError
from core.base.scope import COMPANY
from tests.factories import NOW, add_user, make_org, scope_of

DAY = timedelta(days=1)
JOINED = datetime(2026, 11, 20, 9, 0)
CODES = ["product_pitch", "price_objection_practice", "competitor_comparison", "shadow_visit", "first_calls"]


@pytest.fixture
def org(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        nina = add_user(s, "nina", "Nina New", "rep", org.alpha)
        nina.created_at = JOINED
        nick = add_user(s, "nick", "Nick New", "rep", org.beta)
        nick.created_at = datetime(2026, 11, 22, 10, 0)
    org.nina, org.nick = nina, nick
    return org


def task_id(engine, code: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(OnboardingTask.id).where(OnboardingTask.code == code))


def complete(engine, rep, code, note="讲解笔记已发到团队群", now=NOW) -> int:
    with write_tx(engine) as s:
        return onboarding.complete_task(s, scope_of(engine, rep), task_id=task_id(engine, code), note=note, now=now)


def tasks(engine, caller, rep, now=NOW):
    with read_session(engine) as s:
        return onboarding.tasks_of(scope_of(engine, caller), s, rep.id, now)


def test_the_migration_inserts_five_first_week_tasks(engine):
    with read_session(engine) as s:
        rows = s.execute(select(OnboardingTask.code, OnboardingTask.day_due, OnboardingTask.active,
                                OnboardingTask.title_zh).order_by(OnboardingTask.day_due)).all()
    assert [(r.code, r.day_due, r.active) for r in rows] == [
        ("product_pitch", 2, True), ("price_objection_practice", 3, True), ("competitor_comparison", 4, True),
        ("shadow_visit", 5, True), ("first_calls", 7, True)]
    assert rows[1].title_zh == "完成一次价格异议演练"


def test_a_new_rep_sees_their_tasks_with_due_days_and_completes_one(engine, org):
    df = tasks(engine, org.nina, org.nina)
    assert df["code"].tolist() == CODES
    # day 1 is 20 November: day 2 → the 21st … day 7 → the 26th; today is the 23rd
    assert [str(d) for d in df["due_on"]] == ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-26"]
    assert df["status"].tolist() == ["overdue", "overdue", "open", "open", "open"]
    assert onboarding.progress(df) == (0, 5)
    pid = complete(engine, org.nina, "product_pitch", note="  讲解笔记已发到团队群  ")
    df = tasks(engine, org.nina, org.nina)
    assert onboarding.progress(df) == (1, 5)  # done, waiting for the lead, counts as done
    first = df.iloc[0]
    assert (first["status"], first["note"], first["progress_id"], first["completed_at"]) == (
        "done", "讲解笔记已发到团队群", pid, NOW)
    assert set(df["owner_id"]) == {org.nina.id}
    with read_session(engine) as s:
        row = s.get(OnboardingProgress, pid)
        assert (row.owner_id, row.team_id, row.checked_by) == (org.nina.id, org.alpha.id, None)
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "onboarding_progress")).all()
        assert [(a.user_id, a.action, a.detail) for a in audit] == [(org.nina.id, "complete", {"task": "product_pitch"})]


def test_the_lead_sees_each_new_reps_progress_and_overdue_tasks_then_confirms(engine, org):
    complete(engine, org.nina, "product_pitch")
    complete(engine, org.nina, "competitor_comparison")
    with read_session(engine) as s:
        lena = onboarding.new_reps(scope_of(engine, org.lead_alpha), s, NOW)
        director = onboarding.new_reps(scope_of(engine, org.director), s, NOW)
    # only reps younger than onboarding_days (30): a1, a2 … joined a year ago
    assert lena.drop(columns=["owner_id", "team_id"]).to_dict("records") == [
        {"rep": "Nina New", "team": "Alpha", "joined": date(2026, 11, 20), "day": 4, "done": 2, "checked": 0,
         "overdue": 1, "total": 5}]  # the price-objection practice was due on the 22nd
    assert director["rep"].tolist() == ["Nick New", "Nina New"]  # newest first
    pid = int(tasks(engine, org.lead_alpha, org.nina)["progress_id"].iloc[0])
    with write_tx(engine) as s:
        onboarding.check_task(s, scope_of(engine, org.lead_alpha), progress_id=pid, now=NOW)
    with write_tx(engine) as s:  # twice: nothing more happens
        onboarding.check_task(s, scope_of(engine, org.lead_alpha), progress_id=pid, now=NOW + DAY)
    df = tasks(engine, org.lead_alpha, org.nina)
    assert df["status"].tolist()[:3] == ["checked", "overdue", "done"]
    assert onboarding.progress(df) == (2, 5)  # confirmed or not, both are done
    assert (df["checked_by"].iloc[0], df["checked_at"].iloc[0]) == ("Lena Lead", NOW)
    with read_session(engine) as s:
        assert onboarding.new_reps(scope_of(engine, org.lead_alpha), s, NOW)["checked"].tolist() == [1]
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "check")) == 1


def test_a_rep_stops_being_new_after_the_onboarding_days(engine, org):
    later = JOINED + 30 * DAY
    with read_session(engine) as s:
        assert onboarding.new_reps(scope_of(engine, org.lead_alpha), s, later - DAY)["rep"].tolist() == ["Nina New"]
        assert onboarding.new_reps(scope_of(engine, org.lead_alpha), s, later).empty
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"onboarding_days": 60}, NOW)
    with read_session(engine) as s:
        assert onboarding.new_reps(scope_of(engine, org.lead_alpha), s, later)["rep"].tolist() == ["Nina New"]
    assert onboarding.is_new(JOINED, JOINED + 29 * DAY, 30) and not onboarding.is_new(JOINED, JOINED + 30 * DAY, 30)


def test_a_rep_sees_only_their_own_path(engine, org):
    with read_session(engine) as s:
        own = onboarding.new_reps(scope_of(engine, org.nina), s, NOW)
        assert own["rep"].tolist() == ["Nina New"]
        assert onboarding.new_reps(scope_of(engine, org.a1), s, NOW).empty  # a1 is not new
        for caller, rep in ((org.a1, org.nina), (org.nina, org.nick), (org.lead_alpha, org.nick)):
            with pytest.raises(ScopeError):
                onboarding.tasks_of(scope_of(engine, caller), s, rep.id, NOW)


@pytest.mark.parametrize("note, key", [("", "onboarding.err.note"), ("  x ", "onboarding.err.note"),
                                       ("长" * 501, "people.err.too_long"), (42, "people.err.text")])
def test_a_completion_needs_a_short_note(engine, org, note, key):
    with pytest.raises(onboarding.InvalidOnboarding) as err:
        complete(engine, org.nina, "product_pitch", note=note)
    assert (err.value.field, err.value.msg_key) == ("note", key)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(OnboardingProgress)) == 0


def test_completing_twice_or_an_unknown_task_is_refused_and_only_reps_complete(engine, org):
    complete(engine, org.nina, "product_pitch")
    with pytest.raises(onboarding.InvalidOnboarding) as err:
        complete(engine, org.nina, "product_pitch")
    assert err.value.msg_key == "onboarding.err.already"
    for bad in (99999, "1", None, True):
        with pytest.raises(onboarding.InvalidOnboarding), write_tx(engine) as s:
            onboarding.complete_task(s, scope_of(engine, org.nina), task_id=bad, note="done it", now=NOW)
    with pytest.raises(ScopeError), write_tx(engine) as s:
        onboarding.complete_task(s, scope_of(engine, org.lead_alpha), task_id=task_id(engine, "first_calls"),
                                 note="for her", now=NOW)


def test_only_the_reps_own_lead_confirms(engine, org):
    pid = complete(engine, org.nina, "product_pitch")
    with pytest.raises(onboarding.InvalidOnboarding), write_tx(engine) as s:
        onboarding.check_task(s, scope_of(engine, org.lead_beta), progress_id=pid, now=NOW)
    for caller in (org.nina, org.director):
        with pytest.raises(ScopeError), write_tx(engine) as s:
            onboarding.check_task(s, scope_of(engine, caller), progress_id=pid, now=NOW)
    with read_session(engine) as s:
        assert s.get(OnboardingProgress, pid).checked_at is None
