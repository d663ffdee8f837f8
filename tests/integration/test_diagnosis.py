"""Conversion drop diagnosis (SPEC §4) on hand-made deals, on SQLite and PostgreSQL.

NOW is Monday 23 Nov 2026 12:00: the last complete week is 16–22 Nov, its trailing 4-week level
19 Oct – 15 Nov. tests/funnel_samples.drop_dataset: proposal → negotiation holds 75 % for four
weeks, then falls to 37.5 % because every deal of one product ("ct") is lost that week while the
other product ("us") holds 75 %; nothing else lines up with the product.
"""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event

from core.funnel import diagnosis
from core.funnel import stages as funnel
from core.base import rules
from core.base.db import read_session, write_tx
from core.funnel.diagnosis import decompose, last_complete_week
from core.funnel.stages import FunnelFilters
from core.base.scope import COMPANY
from tests.factories import NOW, add_rep_records, make_org, scope_of
from tests.funnel_samples import D, add_deal, drop_dataset


@pytest.fixture
def dropped(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        drop_dataset(s, org)
    return engine, org


def check_of(engine, stage="proposal", scope=None, now=NOW, **kw):
    with read_session(engine) as s:
        return next(c for c in diagnosis.conversion_check(scope or COMPANY, s, now, **kw) if c.stage == stage)


# ---- weeks ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("now, week", [
    (datetime(2026, 11, 23, 0, 0), (date(2026, 11, 16), date(2026, 11, 22))),   # Monday midnight
    (datetime(2026, 11, 23, 12, 0), (date(2026, 11, 16), date(2026, 11, 22))),
    (datetime(2026, 11, 29, 23, 59), (date(2026, 11, 16), date(2026, 11, 22))),  # Sunday night: still
    (datetime(2026, 11, 30, 0, 1), (date(2026, 11, 23), date(2026, 11, 29))),
])
def test_the_last_complete_week_runs_monday_to_sunday_before_now(now, week):
    assert last_complete_week(now) == week


# ---- the must-show: one segment alone causes the drop ------------------------------------------

def test_a_drop_caused_by_one_product_alone_names_that_product_first(dropped):
    engine, _ = dropped
    c = check_of(engine)
    assert (c.week_start, c.week_end, c.base_start) == (date(2026, 11, 16), date(2026, 11, 22), date(2026, 10, 19))
    assert [(w.decided, w.moved_on) for w in c.weeks] == [(16, 12)] * 4 + [(16, 6)]
    assert (c.rate_base, c.rate_now, c.change) == (75.0, 37.5, -37.5)
    assert c.is_drop
    first = c.breakdowns[0]
    assert first.by == "product" and first.named == ("ct",) and first.reaches
    ct, us = first.segments
    assert ct.key == "ct" and ct.explains == pytest.approx(100.0) and ct.contribution == pytest.approx(-37.5)
    assert (ct.rate_base, ct.rate_now, ct.decided_now) == (75.0, 0.0, 8)
    assert us.key == "us" and us.explains == pytest.approx(0.0) and us.rate_now == 75.0
    assert first.named_share == pytest.approx(100.0)
    # the other breakdowns each need a bigger share of their segments to explain it
    assert all(b.named_share < 100.0 - 1e-6 for b in c.breakdowns[1:])
    assert "ct (100%)" in diagnosis.describe(c, "en")
    assert diagnosis.describe(c, "en").startswith("“Proposal submitted → Negotiation” conversion fell to 38% "
                                                  "in the week 11-16 – 11-22, from 75% over the 4 weeks before")
    assert "按产品看，主要来自“ct”（解释 100%）" in diagnosis.describe(c, "zh")


def test_each_breakdown_adds_up_to_the_whole_drop_and_says_how_much_each_segment_explains(dropped):
    engine, _ = dropped
    c = check_of(engine)
    by = {b.by: b for b in c.breakdowns}
    assert set(by) == set(diagnosis.BREAKDOWN_BY)
    for b in c.breakdowns:
        assert sum(s.contribution for s in b.segments) == pytest.approx(c.change)
        assert sum(s.explains for s in b.segments) == pytest.approx(100.0)
    # team Alpha (a1, a2) went 100 % → 50 %, Beta 50 % → 25 %, with equal volumes: 2/3 and 1/3
    assert [(s.key, round(s.explains, 1)) for s in by["team"].segments] == [("Alpha", 66.7), ("Beta", 33.3)]
    assert by["team"].named == ("Alpha",) and by["team"].segments[0].ref_id is not None
    # reps a1, a2, b1 each lost half their deals that week; b2 lost everything before as well
    assert [(s.key, round(s.explains, 1)) for s in by["rep"].segments] == [
        ("Amy A1", 33.3), ("Ann A2", 33.3), ("Bob B1", 33.3), ("Ben B2", 0.0)]
    assert by["rep"].named == ("Amy A1", "Ann A2") and by["rep"].named_share == pytest.approx(66.7, abs=0.1)
    assert [b.by for b in c.breakdowns] == ["product", "customer_type", "team", "source", "rep"]


def test_the_summary_names_the_best_breakdowns_that_name_segments(dropped):
    engine, _ = dropped
    c = check_of(engine)
    named = [b for b in c.breakdowns if b.named]
    assert diagnosis.NAMED_BREAKDOWNS == 3 and len(named) > 3
    assert diagnosis.explaining(c) == named[:3]
    assert [b.by for b in diagnosis.explaining(c, 1)] == ["product"]
    assert all(diagnosis.segments_sentence(b, "en") in diagnosis.describe(c, "en") for b in diagnosis.explaining(c))
    assert diagnosis.segments_sentence(named[3], "en") not in diagnosis.describe(c, "en")


def test_other_stages_are_not_drops_and_carry_no_breakdown(dropped):
    engine, _ = dropped
    with read_session(engine) as s:
        checks = {c.stage: c for c in diagnosis.conversion_check(COMPANY, s, NOW)}
    assert [st for st, c in checks.items() if c.is_drop] == ["proposal"]
    # negotiation: the moved-on deals of the trailing weeks are stalled there (0 %); last week's
    # are inside the normal 10–15 days, undecided: no rate for the week, so no drop
    neg = checks["negotiation"]
    assert neg.decided_now == 0 and neg.rate_now is None and not neg.is_drop and neg.breakdowns == ()


# ---- the rules of judging --------------------------------------------------------------------------

def _set(engine, **values):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, values, NOW)


def test_a_drop_must_exceed_the_set_points(dropped):
    engine, _ = dropped
    _set(engine, conversion_drop_points=37.5)  # exactly at the threshold: not more than it
    assert not check_of(engine).is_drop
    _set(engine, conversion_drop_points=37.4)
    assert check_of(engine).is_drop


def test_a_thin_week_is_not_judged(dropped):
    engine, _ = dropped
    _set(engine, conversion_drop_min_decided=17)  # the week has 16 decided deals
    c = check_of(engine)
    assert not c.enough and not c.is_drop and c.breakdowns == ()
    assert c.change == -37.5  # the figures are still there


def test_undecided_deals_count_nowhere_and_stalled_ones_count_as_not_converted(engine):
    """Last week: 2 moved on, 1 lost, 1 inside proposal's 8 days; trailing: 3 moved on, 1 stalled."""
    tue, last_tue = datetime(2026, 11, 3, 10), datetime(2026, 11, 17, 10)
    with write_tx(engine) as s:
        org = make_org(s)
        for i in range(3):
            add_deal(s, org.a1, f"old{i}", [("proposal", tue), ("negotiation", tue + 2 * D)])
        add_deal(s, org.a1, "old stalled", [("proposal", tue)])                      # 20 days in proposal
        add_deal(s, org.a1, "new1", [("proposal", last_tue), ("negotiation", last_tue + D)])
        add_deal(s, org.a1, "new2", [("proposal", last_tue), ("contract_signed", last_tue + D)])  # skips on
        add_deal(s, org.a1, "new lost", [("proposal", last_tue), ("lost", last_tue + D)])
        add_deal(s, org.a1, "new open", [("proposal", last_tue)])                     # 6 days: undecided
    c = check_of(engine)
    assert (c.decided_base, c.moved_base, c.decided_now, c.moved_now) == (4, 3, 3, 2)
    assert c.weeks[2].start == date(2026, 11, 2) and (c.weeks[2].decided, c.weeks[2].moved_on) == (4, 3)
    # three days on, "new open" has passed its 8 days: stalled, so decided and not converted
    later = check_of(engine, now=NOW + 3 * D)
    assert (later.decided_now, later.moved_now) == (4, 2)


# ---- the decomposition itself ------------------------------------------------------------------

def test_a_segment_whose_rate_holds_at_the_level_explains_nothing_however_its_volume_moves():
    # (key, ref, decided_base, moved_base, decided_now, moved_now)
    rows = [("steady", None, 50, 40, 10, 8),       # 80 % both times, the level is 80 %: volume fell 5×
            ("worse", None, 50, 40, 40, 16)]       # 80 % → 40 %
    b = decompose(rows, 0.5, 3, "product")
    seg = {s.key: s for s in b.segments}
    assert seg["steady"].contribution == pytest.approx(0.0)
    assert seg["worse"].explains == pytest.approx(100.0)
    assert b.named == ("worse",)


def test_more_volume_of_a_weak_segment_is_a_mix_effect():
    rows = [("strong", None, 80, 72, 20, 18),      # 90 % both times
            ("weak", None, 20, 10, 80, 40)]        # 50 % both times, but 20 % → 80 % of the volume
    b = decompose(rows, 0.5, 3, "team")
    seg = {s.key: s for s in b.segments}
    assert seg["weak"].rate_effect == pytest.approx(0.0) and seg["weak"].mix_effect < 0
    # level 82 % → 58 %: the weak team's share grew by 0.6 at 32 points below the level
    assert seg["weak"].mix_effect == pytest.approx(100 * 0.6 * (0.5 - 0.82))
    assert sum(s.contribution for s in b.segments) == pytest.approx(58.0 - 82.0)
    assert b.named[0] == "weak"


def test_new_and_vanished_segments_keep_the_sum_exact():
    rows = [("old", None, 40, 30, 0, 0),            # gone this week
            ("both", None, 60, 45, 30, 15),
            ("new", None, 0, 0, 10, 0)]             # never seen before
    b = decompose(rows, 0.5, 3, "source")
    assert sum(s.contribution for s in b.segments) == pytest.approx(100 * (15 / 40 - 75 / 100))
    assert sum(s.explains for s in b.segments) == pytest.approx(100.0)
    new = next(s for s in b.segments if s.key == "new")
    assert new.rate_base is None and new.contribution == pytest.approx(100 * 0.25 * (0 - 0.75))


def test_no_breakdown_without_decided_deals_on_either_side():
    assert decompose([("x", None, 0, 0, 5, 2)], 0.5, 3, "rep").segments == ()
    assert decompose([], 0.5, 3, "rep").named == ()


# ---- scope and filters -------------------------------------------------------------------------

def test_a_lead_sees_the_breakdown_of_own_team_only_and_the_same_as_the_director_narrowed_to_it(dropped):
    engine, org = dropped
    lena = check_of(engine, scope=scope_of(engine, org.lead_alpha), explain_all=True)
    narrowed = check_of(engine, explain_all=True,
                        filters=FunnelFilters.last_days(NOW.date(), 30, team_id=org.alpha.id))
    assert lena.weeks == narrowed.weeks and lena.breakdowns == narrowed.breakdowns
    # Alpha: 100 % → 50 %, all of it from ct
    assert (lena.rate_base, lena.rate_now) == (100.0, 50.0)
    team = next(b for b in lena.breakdowns if b.by == "team")
    assert [s.key for s in team.segments] == ["Alpha"]
    rep = next(b for b in lena.breakdowns if b.by == "rep")
    assert {s.key for s in rep.segments} == {"Amy A1", "Ann A2"}
    assert lena.breakdowns[0].by == "product" and lena.breakdowns[0].named == ("ct",)


def test_a_rep_sees_own_deals_only(dropped):
    engine, org = dropped
    a1 = check_of(engine, scope=scope_of(engine, org.a1))
    assert (a1.decided_base, a1.moved_base, a1.decided_now, a1.moved_now) == (16, 16, 4, 2)


def test_the_period_of_the_page_filters_does_not_move_the_week(dropped):
    engine, _ = dropped
    old = FunnelFilters(date(2026, 1, 1), date(2026, 1, 31))
    assert check_of(engine, filters=old).weeks == check_of(engine).weeks


# ---- aggregation in SQL --------------------------------------------------------------------------

def test_the_funnel_and_the_diagnosis_count_in_sql_without_reading_activities(dropped):
    """A fixed, small number of statements whatever the number of deals, none on the activity table,
    and only grouped rows come back (no per-deal rows)."""
    engine, org = dropped
    with write_tx(engine) as s:
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)  # activities too
    seen: list[tuple[str, int]] = []

    def before(conn, cursor, statement, params, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        with read_session(engine) as s:
            f = funnel.funnel(COMPANY, s, FunnelFilters.last_days(NOW.date(), 30), NOW)
            n_funnel = len(seen)
            checks = diagnosis.conversion_check(COMPANY, s, NOW)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert f.stage("proposal").entered == 16 * 4 + 4  # the four Tuesdays from 27 Oct on, and each rep's open deal
    assert next(c for c in checks if c.stage == "proposal").is_drop
    assert n_funnel <= 10 and len(seen) - n_funnel <= 4
    assert not [x for x in seen if "activities" in x.lower()]
    assert all("group by" in x.lower() for x in seen[n_funnel:] if "settings" not in x.lower())
