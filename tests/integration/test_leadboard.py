"""The lead board (SPEC §3): counts by source × industry × status, stuck leads, and the lead health
quick check (reproducible per day) — scoped, on SQLite and PostgreSQL, at tests.factories.NOW."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from core.leads import board as leadboard
from core.base.db import read_session, write_tx
from core.base.models import Lead
from core.base.scope import ScopeError
from core.base.scope import COMPANY
from tests.factories import NOW, add_lead, scope_of

H = timedelta(hours=1)
D = timedelta(days=1)
TODAY = NOW.date()


def lead(s, owner, created_ago, *, source="website", industry="医疗", status=None, contacted_ago=None,
         activity_ago=None, team_id=None, **extra) -> Lead:
    created = NOW - created_ago
    row = add_lead(s, owner, created, None if contacted_ago is None else NOW - contacted_ago, source_channel=source,
                   industry=industry, team_id=team_id, **extra)
    if status:
        row.status = status
    if activity_ago is not None:
        row.last_activity_at = NOW - activity_ago
    s.flush()
    return row


# ---- counts ------------------------------------------------------------------------------------------

def test_counts_by_source_industry_and_status_in_scope_and_period(engine, org):
    with write_tx(engine) as s:
        lead(s, org.a1, 1 * D)
        lead(s, org.a2, 2 * D)
        lead(s, org.a1, 3 * D, contacted_ago=2 * D)
        lead(s, org.a2, 4 * D, source="expo", industry="制造", status="converted", contacted_ago=3 * D)
        lead(s, org.a1, 5 * D, source="expo", industry="", status="lost", contacted_ago=4 * D)
        lead(s, org.a1, 40 * D)                       # before the period
        lead(s, org.b1, 1 * D, source="referral")     # team Beta
        lead(s, None, 2 * D, team_id=org.alpha.id, source="referral", industry="零售")  # Alpha's pool
    start = TODAY - timedelta(days=29)
    with read_session(engine) as s:
        lena = leadboard.lead_counts(scope_of(s, org.lead_alpha), s, start, TODAY)
        dora = leadboard.lead_counts(scope_of(s, org.director), s, start, TODAY)
        only_beta = leadboard.lead_counts(scope_of(s, org.director), s, start, TODAY, team_id=org.beta.id)
        with pytest.raises(ScopeError):
            leadboard.lead_counts(scope_of(s, org.a1), s, start, TODAY)
    assert int(lena["leads"].sum()) == 6 and int(dora["leads"].sum()) == 7
    assert only_beta.values.tolist() == [["referral", "医疗", "new", 1]]
    table = leadboard.pivot_counts(lena)
    assert list(table.columns) == ["source_channel", "industry", "new", "contacted", "qualified", "converted", "lost",
                                   "total"]
    assert table.values.tolist() == [
        ["website", "医疗", 2, 1, 0, 0, 0, 3],
        ["expo", "", 0, 0, 0, 0, 1, 1],
        ["expo", "制造", 0, 0, 0, 1, 0, 1],
        ["referral", "零售", 1, 0, 0, 0, 0, 1],
    ]
    assert leadboard.pivot_counts(lena.iloc[0:0]).empty
    with read_session(engine) as s:
        shown = leadboard.count_table(scope_of(s, org.lead_alpha), s, start, TODAY)
        empty = leadboard.count_table(scope_of(s, org.lead_alpha), s, TODAY - timedelta(days=90), TODAY - timedelta(days=60))
    assert shown.values.tolist() == table.values.tolist()
    assert shown.attrs == {"by_status": {"new": 3, "contacted": 1, "qualified": 0, "converted": 1, "lost": 1}, "total": 6}
    assert empty.empty and empty.attrs == {"by_status": dict.fromkeys(("new", "contacted", "qualified", "converted",
                                                                       "lost"), 0), "total": 0}


# ---- stuck leads ---------------------------------------------------------------------------------------

def test_stuck_leads_are_owned_open_leads_without_progress_for_more_than_5_days(engine, org):
    with write_tx(engine) as s:
        silent = lead(s, org.a1, 5 * D + 12 * H, company="Silent Co", next_action="call", next_action_at=NOW - D)
        idle = lead(s, org.a2, 10 * D, contacted_ago=9 * D, activity_ago=6 * D, company="Idle Co")
        lead(s, org.a1, 10 * D, contacted_ago=9 * D, activity_ago=4 * D, company="Busy Co")
        lead(s, org.a1, 4 * D, company="Young Co")
        lead(s, org.a1, 20 * D, contacted_ago=19 * D, status="converted", company="Won Co")
        lead(s, None, 20 * D, team_id=org.alpha.id, company="Pool Co")
        lead(s, org.b1, 30 * D, company="Beta Co")
    with read_session(engine) as s:
        lena = leadboard.stuck_leads(scope_of(s, org.lead_alpha), s, NOW)
        first = leadboard.stuck_leads(scope_of(s, org.lead_alpha), s, NOW, limit=1)
        dora = leadboard.stuck_leads(scope_of(s, org.director), s, NOW)
        with pytest.raises(ScopeError):
            leadboard.stuck_leads(scope_of(s, org.a1), s, NOW)
    assert lena[["company", "owner", "days_without_progress"]].values.tolist() == [
        ["Idle Co", "Ann A2", 6.0], ["Silent Co", "Amy A1", 5.5]]
    assert lena["last_progress_at"].tolist() == [NOW - 6 * D, NOW - 5 * D - 12 * H]
    assert lena.loc[1, "next_action"] == "call" and lena.loc[1, "next_action_at"] == NOW - D
    assert set(lena["owner_id"]) == {org.a1.id, org.a2.id} and {silent.id, idle.id} == set(lena["id"])
    assert first["company"].tolist() == ["Idle Co"] and first.attrs["total"] == 2
    assert dora["company"].tolist() == ["Beta Co", "Idle Co", "Silent Co"] and dora.attrs["total"] == 3


def test_the_stuck_threshold_is_a_setting(engine, org):
    from core.base.rules import save_settings

    with write_tx(engine) as s:
        lead(s, org.a1, 4 * D, company="Four Days")
        save_settings(s, COMPANY, {"lead_stuck_days": 3}, NOW)
    with read_session(engine) as s:
        assert leadboard.stuck_leads(scope_of(s, org.director), s, NOW)["company"].tolist() == ["Four Days"]


# ---- the quick check ---------------------------------------------------------------------------------------

def _week_of_leads(s, org) -> dict[str, Lead]:
    """Eight Alpha leads of the last 7 days (three faulty), one of today, one 8 days old, two of Beta."""
    full = dict(next_action="call", next_action_at=NOW + D)
    made = {}
    for i in range(5):
        made[f"good{i}"] = lead(s, org.a1 if i % 2 else org.a2, (i + 1) * D, company=f"Good {i}", **full)
    made["no_source"] = lead(s, org.a1, 2 * D + H, source=" ", company="No Source", **full)
    made["no_next"] = lead(s, org.a2, 3 * D + H, company="No Next", next_action="", next_action_at=None)
    made["no_time"] = lead(s, None, 4 * D + H, team_id=org.alpha.id, company="No Time", next_action="call")
    made["today"] = lead(s, org.a1, H, company="Today", **full)
    made["old"] = lead(s, org.a1, 8 * D + H, company="Old", **full)
    for i in range(2):
        made[f"beta{i}"] = lead(s, org.b1, (i + 1) * D, company=f"Beta {i}", **full)
    return made


def test_the_quick_check_draws_5_leads_of_the_last_7_days_the_same_way_all_day(engine, org):
    with write_tx(engine) as s:
        made = _week_of_leads(s, org)
    window = {k for k in made if k not in ("today", "old") and not k.startswith("beta")}
    with read_session(engine) as s:
        lena = scope_of(s, org.lead_alpha)
        check = leadboard.quick_check(lena, s, NOW)
        again = leadboard.quick_check(lena, s, NOW.replace(hour=17, minute=45))
        other_draw = leadboard.quick_check(lena, s, NOW, draw=1)
    ids = sorted(made[k].id for k in window)
    expected = sorted(random.Random(leadboard.draw_seed(TODAY, 0)).sample(ids, 5))
    assert (check.start, check.end, check.in_window, check.checked) == (TODAY - timedelta(days=7),
                                                                         TODAY - timedelta(days=1), 8, 5)
    assert sorted(check.sample["id"]) == expected
    assert again.sample.equals(check.sample)  # the same five at any time of the day
    assert sorted(other_draw.sample["id"]) != expected
    assert sorted(other_draw.sample["id"]) == sorted(random.Random(leadboard.draw_seed(TODAY, 1)).sample(ids, 5))


def test_the_quick_check_counts_complete_leads_and_names_what_the_faulty_ones_lack(engine, org):
    with write_tx(engine) as s:
        made = _week_of_leads(s, org)
    from core.base.rules import save_settings

    with write_tx(engine) as s:  # draw the whole window
        save_settings(s, COMPANY, {"lead_check_sample": 20}, NOW)
    with read_session(engine) as s:
        dora = scope_of(s, org.director)
        check = leadboard.quick_check(dora, s, NOW, team_id=org.alpha.id)
        everyone = leadboard.quick_check(dora, s, NOW)
        with pytest.raises(ScopeError):
            leadboard.quick_check(scope_of(s, org.a1), s, NOW)
    assert (check.checked, check.complete) == (8, 5) and check.share == pytest.approx(5 / 8)
    faulty = check.sample[~check.sample["complete"]]
    assert faulty[["company", "owner", "missing"]].fillna("").values.tolist() == [
        ["No Source", "Amy A1", "source_channel"], ["No Next", "Ann A2", "next_action,next_action_at"],
        ["No Time", "", "next_action_at"]]
    assert check.sample["complete"].tolist() == [False] * 3 + [True] * 5  # faulty first
    assert everyone.checked == 10 and everyone.complete == 7
    assert made["today"].id not in set(everyone.sample["id"]) and made["old"].id not in set(everyone.sample["id"])


def test_a_quick_check_of_an_empty_window_says_so(engine, org):
    with read_session(engine) as s:
        check = leadboard.quick_check(scope_of(s, org.director), s, NOW)
    assert (check.checked, check.complete, check.share, check.in_window) == (0, 0, None, 0)


def test_missing_fields_of_one_lead():
    row = {"source_channel": "官网", "grade": "D", "next_action": " ", "next_action_at": None}
    assert leadboard.missing_fields(row) == ["grade", "next_action", "next_action_at"]
    row = {"source_channel": "官网", "grade": "A", "next_action": "回访", "next_action_at": NOW}
    assert leadboard.missing_fields(row) == []
    assert leadboard.draw_seed(date(2026, 11, 23), 0) == leadboard.draw_seed(date(2026, 11, 23), 0)
    assert leadboard.draw_seed(date(2026, 11, 23), 0) != leadboard.draw_seed(date(2026, 11, 24), 0)
