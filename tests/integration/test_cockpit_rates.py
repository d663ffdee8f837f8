"""The cockpit figures (SPEC §5) on hand-made data with known answers, on SQLite and PostgreSQL.

NOW is Monday 23 November 2026, 12:00; the default window is 17–23 November.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from core.process import lights as cockpit
from core.base import rules
from core.base.query import Filters
from core.process.lights import FIRST_RESPONSE
from core.base.db import read_session, write_tx
from core.base.scope import scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, add_lead, add_step_instance, add_user, make_org

H = timedelta(hours=1)
WEEK = Filters.last_days(NOW.date(), 7)


def at(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A moment in November 2026."""
    return datetime(2026, 11, day, hour, minute, second)


def read(engine, fn, user, *args, **kwargs):
    with read_session(engine) as s:
        return fn(scope_for(s, s.get(type(user), user.id)), s, *args, **kwargs)


# ---- datasets ----------------------------------------------------------------------------------

def first_response_leads(engine):
    """a1's leads at the edges of 48 h; returns (org, {name: lead id})."""
    with write_tx(engine) as s:
        org = make_org(s)
        leads = {
            "on_time_47_9h": add_lead(s, org.a1, at(18, 9), at(20, 8, 54)),
            "late_48_1h": add_lead(s, org.a1, at(18, 10), at(20, 10, 6), company="Late Co"),
            "exactly_48h": add_lead(s, org.a1, at(19, 9), at(21, 9)),
            "never_49h_old": add_lead(s, org.a1, NOW - 49 * H, None, company="Silent Co"),
            "never_10h_old": add_lead(s, org.a1, NOW - 10 * H, None),
            "before_window_late": add_lead(s, org.a1, at(16, 23, 59, 59), at(20, 9)),
            "long_before_never": add_lead(s, org.a1, at(10, 9), None),
        }
    return org, {k: v.id for k, v in leads.items()}


def needs_summary_steps(engine):
    """a1's needs-summary steps (24 h): before, after, open past due, open not yet due."""
    with write_tx(engine) as s:
        org = make_org(s)
        cust = add_customer(s, org.a1, name="Acme Pumps")
        steps = {
            "done_before_due": add_step_instance(s, "needs_summary", org.a1, at(20, 10), at(21, 10), at(21, 9),
                                                 customer=cust),
            "done_after_due": add_step_instance(s, "needs_summary", org.a1, at(20, 10), at(21, 10), at(21, 11),
                                                customer=cust),
            "open_past_due": add_step_instance(s, "needs_summary", org.a1, at(21, 10), at(22, 10), None,
                                               customer=cust),
            "open_not_due": add_step_instance(s, "needs_summary", org.a1, at(23, 8), at(24, 8), None,
                                              customer=cust),
            # Another step's misses never count for this one.
            "other_step_late": add_step_instance(s, "promotion_evidence", org.a1, at(19, 8), at(21, 8), None),
        }
    return org, {k: v.id for k, v in steps.items()}


def two_teams(engine):
    """First-response misses: Alpha holds 3 of the 4 (a1 2, a2 1), Beta 1 (b1).

    Decided: a1 3 (1 on time), a2 2 (1), b1 3 (2), b2 1 (1) → 5 of 9 on time, 55.6 %.
    Needs summary: b1 9 on time, 1 late → 90 % (yellow). Promotion evidence: 1 on time (green).
    """
    with write_tx(engine) as s:
        org = make_org(s)
        add_lead(s, org.a1, at(19, 9), None)
        add_lead(s, org.a1, at(20, 9), None)
        add_lead(s, org.a1, at(20, 10), at(20, 11))
        add_lead(s, org.a2, at(18, 9), at(20, 11))  # 50 h
        add_lead(s, org.a2, at(18, 9), at(18, 10))
        add_lead(s, org.b1, at(19, 9), None)
        add_lead(s, org.b1, at(19, 9), at(19, 12))
        add_lead(s, org.b1, at(21, 9), at(22, 8))
        add_lead(s, org.b2, at(22, 9), at(22, 9, 30))
        for i in range(10):
            done = at(18, 12) if i else at(20, 9)
            add_step_instance(s, "needs_summary", org.b1, at(18, 8), at(19, 8), done)
        add_step_instance(s, "promotion_evidence", org.b2, at(20, 8), at(22, 8), at(21, 8))
    return org


# ---- first response -----------------------------------------------------------------------------

def test_first_response_counts_on_time_late_and_missed_leads(engine):
    org, _ = first_response_leads(engine)
    # on time: 47.9 h and exactly 48 h; decided: those, 48.1 h and the 49 h old silent one.
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, WEEK, NOW) == (2, 4)


def test_a_silent_lead_is_decided_only_once_its_48_hours_have_passed(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        add_lead(s, org.a1, NOW - 48 * H, None)          # could still be contacted on time
        add_lead(s, org.a1, NOW - 48 * H - timedelta(seconds=1), None)
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, WEEK, NOW) == (0, 1)


def test_the_window_includes_its_first_and_last_day(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        add_lead(s, org.a1, at(17, 0), at(17, 1))           # first moment of the window
        add_lead(s, org.a1, at(16, 23, 59, 59), at(17, 1))  # one second before
        add_lead(s, org.a1, at(23, 0), at(23, 1))           # today
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, WEEK, NOW) == (2, 2)
    yesterday = Filters(date(2026, 11, 16), date(2026, 11, 16))
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, yesterday, NOW) == (1, 1)


def test_the_48_hours_are_a_setting(engine):
    org, _ = first_response_leads(engine)
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"first_response_hours": 72}, NOW)
    # Now every contacted lead is on time; the 49 h old silent one is not decided yet.
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, WEEK, NOW) == (3, 3)


def test_first_response_daily_series(engine):
    org, _ = first_response_leads(engine)
    df = read(engine, cockpit.daily_series, org.a1, FIRST_RESPONSE, WEEK, NOW)
    assert list(df["day"]) == [date(2026, 11, d) for d in range(17, 24)]
    assert list(df["decided"]) == [0, 2, 1, 0, 1, 0, 0]
    assert list(df["on_time"]) == [0, 1, 1, 0, 0, 0, 0]
    rates = [None if pd.isna(r) else r for r in df["rate"]]
    assert rates == [None, 50.0, 100.0, None, 0.0, None, None]


def test_missed_leads_are_listed_with_their_owner(engine):
    org, ids = first_response_leads(engine)
    df = read(engine, cockpit.missed_records, org.director, FIRST_RESPONSE, WEEK, NOW)
    assert list(df["id"]) == [ids["never_49h_old"], ids["late_48_1h"]]  # newest first
    assert list(df["customer"]) == ["Silent Co", "Late Co"]
    assert list(df["owner"]) == ["Amy A1", "Amy A1"]
    assert list(df["owner_id"]) == [org.a1.id, org.a1.id]
    assert list(df["team"]) == ["Alpha", "Alpha"]
    assert list(df["region"]) == ["North", "North"]
    assert list(df["hours_to_contact"]) == [49.0, 48.1]
    assert df["contacted_at"].isna().tolist() == [True, False]


# ---- key steps -----------------------------------------------------------------------------------

def test_step_rate_counts_completed_and_overdue_instances(engine):
    org, _ = needs_summary_steps(engine)
    # decided: before, after, open past due; on time: before.
    assert read(engine, cockpit.rate, org.a1, "needs_summary", WEEK, NOW) == (1, 3)
    assert read(engine, cockpit.rate, org.a1, "promotion_evidence", WEEK, NOW) == (0, 1)
    assert read(engine, cockpit.rate, org.a1, "solution_update", WEEK, NOW) == (0, 0)


def test_step_edges_completed_at_the_deadline_and_early(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        add_step_instance(s, "needs_summary", org.a1, at(20, 10), at(21, 10), at(21, 10))  # at the deadline
        add_step_instance(s, "needs_summary", org.a1, NOW - 5 * H, NOW + 19 * H, NOW - H)  # early, not yet due
        add_step_instance(s, "needs_summary", org.a1, NOW - 24 * H, NOW, None)  # due this very moment
    assert read(engine, cockpit.rate, org.a1, "needs_summary", WEEK, NOW) == (2, 2)


def test_missed_steps_are_listed_with_owner_customer_and_hours_late(engine):
    org, ids = needs_summary_steps(engine)
    df = read(engine, cockpit.missed_records, org.lead_alpha, "needs_summary", WEEK, NOW)
    assert list(df["id"]) == [ids["open_past_due"], ids["done_after_due"]]
    assert list(df["owner"]) == ["Amy A1", "Amy A1"]
    assert list(df["customer"]) == ["Acme Pumps", "Acme Pumps"]
    assert list(df["hours_late"]) == [26.0, 1.0]


def test_step_daily_series_counts_by_trigger_day(engine):
    org, _ = needs_summary_steps(engine)
    df = read(engine, cockpit.daily_series, org.a1, "needs_summary", WEEK, NOW)
    assert dict(zip(df["day"], df["decided"])) == {date(2026, 11, d): n for d, n in
                                                    zip(range(17, 24), [0, 0, 0, 2, 1, 0, 0])}
    assert df.loc[df["day"] == date(2026, 11, 20), "rate"].item() == 50.0
    assert df.loc[df["day"] == date(2026, 11, 21), "rate"].item() == 0.0


# ---- who holds the misses ------------------------------------------------------------------------

def test_misses_are_grouped_by_team_for_a_director(engine):
    org = two_teams(engine)
    df = read(engine, cockpit.misses_by_group, org.director, FIRST_RESPONSE, WEEK, NOW)
    assert df.attrs["by"] == "team"
    assert df.to_dict("records") == [
        {"group_id": org.alpha.id, "name": "Alpha", "misses": 3, "decided": 5},
        {"group_id": org.beta.id, "name": "Beta", "misses": 1, "decided": 4},
    ]


def test_leads_missed_while_in_the_company_pool_are_named_as_such(engine):
    org = two_teams(engine)
    with write_tx(engine) as s:  # four pool leads without a team, never contacted: the biggest group
        for _ in range(4):
            add_lead(s, None, NOW - timedelta(days=3))
    for lang, name in (("en", "No team yet (company pool)"), ("zh", "未分配团队（公海）")):
        light = next(x for x in read(engine, cockpit.lights, org.director, WEEK, NOW, lang, with_series=False)
                     if x.code == FIRST_RESPONSE)
        assert light.explanation.names[0] == name
        assert "—" not in light.explanation.sentence


def test_misses_are_grouped_by_rep_for_a_lead_of_one_team(engine):
    org = two_teams(engine)
    df = read(engine, cockpit.misses_by_group, org.lead_alpha, FIRST_RESPONSE, WEEK, NOW)
    assert df.attrs["by"] == "rep"
    assert df.to_dict("records") == [
        {"group_id": org.a1.id, "name": "Amy A1", "misses": 2, "decided": 3},
        {"group_id": org.a2.id, "name": "Ann A2", "misses": 1, "decided": 2},
    ]


def test_a_director_looking_at_one_team_sees_its_reps(engine):
    org = two_teams(engine)
    df = read(engine, cockpit.misses_by_group, org.director, FIRST_RESPONSE,
              Filters(WEEK.start, WEEK.end, team_id=org.beta.id), NOW)
    assert df.attrs["by"] == "rep"
    assert df[["name", "misses", "decided"]].values.tolist() == [["Bob B1", 1, 3], ["Ben B2", 0, 1]]


def test_missed_records_of_the_director_name_every_owner(engine):
    org = two_teams(engine)
    df = read(engine, cockpit.missed_records, org.director, FIRST_RESPONSE, WEEK, NOW)
    assert sorted(df["owner"]) == ["Amy A1", "Amy A1", "Ann A2", "Bob B1"]
    assert sorted(df["team"]) == ["Alpha", "Alpha", "Alpha", "Beta"]


# ---- the lights ------------------------------------------------------------------------------------

def test_lights_colours_and_the_red_lights_explanation(engine):
    org = two_teams(engine)
    lights = {lt.code: lt for lt in read(engine, cockpit.lights, org.director, WEEK, NOW, "en")}
    assert list(lights) == [FIRST_RESPONSE, "needs_summary", "promotion_evidence", "solution_update"]

    fr = lights[FIRST_RESPONSE]
    assert (fr.on_time, fr.decided, fr.misses) == (5, 9, 4)
    assert fr.rate == pytest.approx(500 / 9)
    assert fr.color == "red"
    assert fr.label == "48 h first response"
    assert fr.explanation.names == ("Alpha",)
    assert fr.explanation.share == 0.75
    assert fr.explanation.by == "team"
    assert fr.explanation.sentence == "Alpha holds 75% of the 4 late leads."

    ns = lights["needs_summary"]
    assert (ns.rate, ns.color, ns.label) == (90.0, "yellow", "Needs summary")
    pe = lights["promotion_evidence"]
    assert (pe.rate, pe.color, pe.explanation) == (100.0, "green", None)
    su = lights["solution_update"]
    assert (su.rate, su.decided, su.color, su.explanation) == (None, 0, "grey", None)


def test_lights_carry_their_daily_series(engine):
    org = two_teams(engine)
    fr = read(engine, cockpit.lights, org.director, WEEK, NOW, "en")[0]
    assert [d for d, _, _ in fr.series] == [date(2026, 11, d) for d in range(17, 24)]
    assert [n for _, _, n in fr.series] == [0, 2, 3, 2, 1, 1, 0]
    assert [r for _, r, _ in fr.series][:2] == [None, 50.0]
    assert read(engine, cockpit.lights, org.director, WEEK, NOW, "en", with_series=False)[0].series == ()


def test_the_explanation_in_chinese(engine):
    org = two_teams(engine)
    fr = read(engine, cockpit.lights, org.director, WEEK, NOW, "zh")[0]
    assert fr.label == "48小时首次响应"
    assert fr.explanation.sentence == "Alpha占了4条超时未响应线索中的75%。"
    ns = read(engine, cockpit.lights, org.director, WEEK, NOW, "zh")[1]
    assert ns.label == "需求纪要"


def test_a_lead_of_one_team_gets_the_explanation_by_rep(engine):
    org = two_teams(engine)
    fr = read(engine, cockpit.lights, org.lead_alpha, WEEK, NOW, "en")[0]
    assert (fr.on_time, fr.decided) == (2, 5)
    assert fr.explanation.names == ("Amy A1",)
    assert fr.explanation.sentence == "Amy A1 holds 67% of the 3 late leads."


def test_a_region_with_one_team_is_explained_by_its_reps(engine):
    org = two_teams(engine)
    north = Filters(WEEK.start, WEEK.end, region_id=org.north.id)
    fr = read(engine, cockpit.lights, org.director, north, NOW, "en")[0]
    assert fr.explanation.by == "rep"
    assert fr.explanation.names == ("Amy A1",)


def test_a_rep_gets_figures_but_no_who_sentence(engine):
    org = two_teams(engine)
    fr = read(engine, cockpit.lights, org.a1, WEEK, NOW, "en")[0]
    assert fr.misses > 0
    assert fr.explanation is None


def test_an_explanation_names_at_most_three_reps(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        reps = [org.a1, org.a2] + [add_user(s, f"x{i}", f"Rep {i}", "rep", org.alpha) for i in range(3, 8)]
        for rep in reps:  # one miss each: it would take four of the seven to hold half
            add_lead(s, rep, at(19, 9), None)
    alpha = Filters(WEEK.start, WEEK.end, team_id=org.alpha.id)
    fr = read(engine, cockpit.lights, org.director, alpha, NOW, "zh")[0]
    assert fr.explanation.names == ("Amy A1", "Ann A2", "Rep 3")
    assert fr.explanation.sentence == "Amy A1、Ann A2、Rep 3合计占了7条超时未响应线索中的43%。"


def test_light_thresholds_are_settings(engine):
    org = two_teams(engine)
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"light_red_below": 50, "light_green_above": 89.5}, NOW)
    colors = [lt.color for lt in read(engine, cockpit.lights, org.director, WEEK, NOW)]
    assert colors == ["yellow", "green", "green", "grey"]


# ---- filters narrow and never widen ----------------------------------------------------------------

def test_team_and_region_filters_narrow_a_directors_view(engine):
    org = two_teams(engine)
    beta = Filters(WEEK.start, WEEK.end, team_id=org.beta.id)
    south = Filters(WEEK.start, WEEK.end, region_id=org.south.id)
    north = Filters(WEEK.start, WEEK.end, region_id=org.north.id)
    assert read(engine, cockpit.rate, org.director, FIRST_RESPONSE, WEEK, NOW) == (5, 9)
    assert read(engine, cockpit.rate, org.director, FIRST_RESPONSE, beta, NOW) == (3, 4)
    assert read(engine, cockpit.rate, org.director, FIRST_RESPONSE, south, NOW) == (3, 4)
    assert read(engine, cockpit.rate, org.director, FIRST_RESPONSE, north, NOW) == (2, 5)
    assert read(engine, cockpit.rate, org.director, "needs_summary", north, NOW) == (0, 0)
    df = read(engine, cockpit.missed_records, org.director, FIRST_RESPONSE, south, NOW)
    assert list(df["owner"]) == ["Bob B1"]


def test_a_filter_outside_the_leads_teams_returns_nothing(engine):
    org = two_teams(engine)
    for filters in (Filters(WEEK.start, WEEK.end, team_id=org.beta.id),
                    Filters(WEEK.start, WEEK.end, region_id=org.south.id)):
        assert read(engine, cockpit.rate, org.lead_alpha, FIRST_RESPONSE, filters, NOW) == (0, 0)
        assert read(engine, cockpit.missed_records, org.lead_alpha, FIRST_RESPONSE, filters, NOW).empty
        assert read(engine, cockpit.misses_by_group, org.lead_alpha, FIRST_RESPONSE, filters, NOW).empty
        assert read(engine, cockpit.daily_series, org.lead_alpha, FIRST_RESPONSE, filters, NOW)["decided"].sum() == 0
        lights = read(engine, cockpit.lights, org.lead_alpha, filters, NOW)
        assert [(lt.decided, lt.color, lt.explanation) for lt in lights] == [(0, "grey", None)] * 4


def test_a_team_filter_never_widens_a_reps_view(engine):
    org = two_teams(engine)
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, WEEK, NOW) == (1, 3)
    own_team = Filters(WEEK.start, WEEK.end, team_id=org.alpha.id)
    other_team = Filters(WEEK.start, WEEK.end, team_id=org.beta.id)
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, own_team, NOW) == (1, 3)
    assert read(engine, cockpit.rate, org.a1, FIRST_RESPONSE, other_team, NOW) == (0, 0)
    assert read(engine, cockpit.missed_records, org.a1, FIRST_RESPONSE, other_team, NOW).empty


def test_a_lead_sees_only_the_teams_they_lead(engine):
    org = two_teams(engine)
    assert read(engine, cockpit.rate, org.lead_alpha, FIRST_RESPONSE, WEEK, NOW) == (2, 5)
    assert read(engine, cockpit.rate, org.lead_beta, FIRST_RESPONSE, WEEK, NOW) == (3, 4)
    assert read(engine, cockpit.rate, org.lead_beta, "needs_summary", WEEK, NOW) == (9, 10)
    assert set(read(engine, cockpit.missed_records, org.lead_beta, FIRST_RESPONSE, WEEK, NOW)["owner"]) == {"Bob B1"}


def test_rates_add_up_over_the_teams(engine):
    org = two_teams(engine)
    parts = [read(engine, cockpit.rate, org.director, FIRST_RESPONSE,
                  Filters(WEEK.start, WEEK.end, team_id=t.id), NOW) for t in (org.alpha, org.beta)]
    total = read(engine, cockpit.rate, org.director, FIRST_RESPONSE, WEEK, NOW)
    assert tuple(map(sum, zip(*parts))) == total


def test_a_missed_step_on_a_lead_without_customer_is_named_by_the_leads_company(engine):
    from core.base.models import Activity

    with write_tx(engine) as s:
        org = make_org(s)
        lead = add_lead(s, org.a1, NOW - timedelta(days=3), NOW - timedelta(days=3), company="越州酒业")
        visit = Activity(kind="visit", lead_id=lead.id, owner_id=org.a1.id, team_id=org.a1.team_id,
                         happened_at=NOW - timedelta(days=3), logged_at=NOW - timedelta(days=3), fields={})
        s.add(visit)
        s.flush()
        instance = add_step_instance(s, "needs_summary", org.a1, NOW - timedelta(days=3), NOW - timedelta(days=2))
        instance.trigger_activity_id = visit.id
        director = org.director
    with read_session(engine) as s:
        records = cockpit.missed_records(scope_for(s, director), s, "needs_summary", WEEK, NOW)
    assert list(records["customer"]) == ["越州酒业"]
