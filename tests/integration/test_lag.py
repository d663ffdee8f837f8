"""Logging lag (SPEC §5): hours from an activity happening to its being logged, per rep and team, its
distribution counted in SQL, and the activities flagged for being logged more than 72 h late."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.process import lag
from core.base import rules
from core.base.query import Filters
from core.base.db import read_session, write_tx
from core.base.models import Activity
from core.base.scope import Scope, scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, make_org

ALL = COMPANY
H = timedelta(hours=1)
WEEK = Filters(date(2026, 11, 17), date(2026, 11, 23))


def activity(s, rep, logged: datetime, lag_hours: float, kind: str = "visit", customer=None):
    s.add(Activity(kind=kind, owner_id=rep.id, team_id=rep.team_id, customer_id=customer.id if customer else None,
                   happened_at=logged - lag_hours * H, logged_at=logged, effective=True, fields={}, note=""))
    s.flush()


@pytest.fixture
def org(engine):
    """Logged in the week: a1 1, 2 and 10 h late; a2 80 and 100 h late and one dated after it was
    logged (lag 0); b1 72 h (exactly the threshold) and 73 h. Outside it: a 500 h lag logged on
    16 Nov, and b2's 200 h lag logged after the week's end (24 Nov)."""
    with write_tx(engine) as s:
        org = make_org(s)
        shop = add_customer(s, org.a2, name="Late Shop")
        day = datetime(2026, 11, 18, 9)
        for h in (1, 2, 10):
            activity(s, org.a1, day, h)
        activity(s, org.a2, day + 2 * H, 80, customer=shop)
        activity(s, org.a2, day + 3 * H, 100, kind="promotion", customer=shop)
        activity(s, org.a2, day, -5)
        activity(s, org.b1, day, 72)
        activity(s, org.b1, day + H, 73, kind="call")
        activity(s, org.a1, datetime(2026, 11, 16, 23), 500)
        activity(s, org.b2, datetime(2026, 11, 24, 1), 200)
    return org


def read(engine, fn, scope=ALL, *args, **kw):
    with read_session(engine) as s:
        return fn(scope, s, *args, **kw)


def test_summary_median_p90_mean_and_flagged(engine, org):
    got = read(engine, lag.lag_summary, ALL, WEEK)
    # lags 0, 1, 2, 10, 72, 73, 80, 100: median (10 + 72) / 2, p90 at rank 7.3 → 80 + 0.3 · 20
    assert (got.activities, got.median_hours, got.p90_hours, got.mean_hours) == (8, 41.0, 86.0, 42.2)
    assert (got.flagged, got.flag_hours, got.flagged_share) == (3, 72.0, 3 / 8)


def test_per_rep_and_per_team_slowest_first(engine, org):
    reps = read(engine, lag.lag_by_group, ALL, WEEK, "rep")
    assert list(reps["name"]) == ["Ann A2", "Bob B1", "Amy A1"]
    assert list(reps["median_hours"]) == [80.0, 72.5, 2.0]
    assert list(reps["p90_hours"]) == [96.0, 72.9, 8.4]
    assert list(reps["flagged"]) == [2, 1, 0]
    assert list(reps["flagged_share"]) == pytest.approx([2 / 3, 1 / 2, 0.0])
    assert list(reps["owner_id"]) == [org.a2.id, org.b1.id, org.a1.id]
    assert list(reps["team"]) == ["Alpha", "Beta", "Alpha"]
    teams = read(engine, lag.lag_by_group, ALL, WEEK, "team")
    assert list(teams["name"]) == ["Beta", "Alpha"]
    assert list(teams["median_hours"]) == [72.5, 6.0]
    assert list(teams["activities"]) == [2, 6]
    with pytest.raises(lag.InvalidLagInput):
        read(engine, lag.lag_by_group, ALL, WEEK, "region")


def test_histogram_buckets_hold_exactly_the_flagged_activities(engine, org):
    hist = read(engine, lag.lag_histogram, ALL, WEEK)
    assert list(hist["lo_hours"]) == [0, 1, 4, 24, 48, 72, 168]
    assert list(hist["activities"]) == [2, 1, 1, 0, 1, 3, 0]   # 72 h exactly sits in (48, 72]
    assert list(hist["flagged"]) == [False] * 5 + [True, True]
    assert hist.loc[hist["flagged"], "activities"].sum() == read(engine, lag.lag_summary, ALL, WEEK).flagged
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"logging_lag_flag_hours": 30}, NOW)
    hist = read(engine, lag.lag_histogram, ALL, WEEK)
    assert list(hist["lo_hours"]) == [0, 1, 4, 24, 30, 48, 72, 168]
    assert hist.loc[hist["flagged"], "activities"].sum() == 4 == read(engine, lag.lag_summary, ALL, WEEK).flagged


def test_flagged_activities_listed_latest_logged_first(engine, org):
    flagged = read(engine, lag.flagged_activities, ALL, WEEK)
    assert list(flagged["lag_hours"]) == [100.0, 80.0, 73.0]
    assert list(flagged["kind"]) == ["promotion", "visit", "call"]
    assert list(flagged["customer"].fillna("")) == ["Late Shop", "Late Shop", ""]
    assert list(flagged["owner"]) == ["Ann A2", "Ann A2", "Bob B1"]
    assert list(flagged["team"]) == ["Alpha", "Alpha", "Beta"]
    assert len(read(engine, lag.flagged_activities, ALL, WEEK, limit=1)) == 1


def test_scope_and_filters_narrow_the_figures(engine, org):
    with read_session(engine) as s:
        lena = scope_for(s, s.get(type(org.lead_alpha), org.lead_alpha.id))
        amy = scope_for(s, s.get(type(org.a1), org.a1.id))
    assert read(engine, lag.lag_summary, lena, WEEK).activities == 6
    assert list(read(engine, lag.lag_by_group, lena, WEEK, "team")["name"]) == ["Alpha"]
    assert read(engine, lag.flagged_activities, amy, WEEK).empty
    assert read(engine, lag.lag_summary, amy, WEEK).median_hours == 2.0
    beta = Filters(WEEK.start, WEEK.end, team_id=org.beta.id)
    assert read(engine, lag.lag_summary, ALL, beta).activities == 2
    south = Filters(WEEK.start, WEEK.end, region_id=org.south.id)
    assert list(read(engine, lag.flagged_activities, ALL, south)["lag_hours"]) == [73.0]
    # the day before the week holds the 500 h lag; nothing in an empty period
    before = Filters(date(2026, 11, 16), date(2026, 11, 16))
    assert read(engine, lag.lag_summary, ALL, before).median_hours == 500.0
    empty = read(engine, lag.lag_summary, ALL, Filters(date(2026, 1, 1), date(2026, 1, 7)))
    assert (empty.activities, empty.median_hours, empty.flagged_share) == (0, None, None)
    assert read(engine, lag.lag_histogram, ALL, Filters(date(2026, 1, 1), date(2026, 1, 7)))["activities"].sum() == 0


def test_the_table_groups_by_rep_for_a_lead_of_one_team_else_by_team(engine, org):
    with read_session(engine) as s:
        lena = scope_for(s, s.get(type(org.lead_alpha), org.lead_alpha.id))
    assert lag.default_by(lena) == "rep"                                       # one team: its reps
    assert lag.default_by(Scope(lena.user_id, "lead", frozenset({1, 2}))) == "team"   # two teams
    assert lag.default_by(Scope(lena.user_id, "lead", frozenset())) == "team"
    assert lag.default_by(ALL) == "team" and lag.default_by(COMPANY) == "team"
    assert lag.default_by(Scope(9, "director", None)) == "team"
