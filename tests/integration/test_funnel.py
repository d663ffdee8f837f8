"""The funnel (SPEC §4) on hand-made stage histories with known figures, on SQLite and PostgreSQL.

Period: the 30 days ending at NOW (25 Oct – 23 Nov 2026). ``T(x)`` is x days before NOW.
Stage upper bounds (defaults): initial contact 5, needs confirmed 10, proposal 8, negotiation 15,
contract signed 3 days.

    deal owner  history (→ = moves on)                                  now
    D1   a1     ic T28 → nc T24 → pr T14 → ng T10 → cs T2 → won T1     won
    D2   a1     ic T27 → lost T25                                        lost
    D3   a2     ic T20 → pr T14 (skips needs confirmed)                  open, 14 d in proposal: stalled
    D4   a2     ic T10                                                   open, 10 d: stalled
    D5   a1     ic T3                                                    open, inside its time
    D6   a1     ic T5 exactly                                            open, AT the bound: not stalled
    D7   a1     ic T5 + 1 s                                              open, just past: stalled
    D8   b1     ic T40 → nc T20 → back to ic T12 → nc T8                 open, 8 d in nc: undecided
    D9   b1     ic T15 → nc T12 → pr T6 → cs T3 (skips ng) → won T2      won
    D10  a1     ic T9 → won T8                                           won

Initial contact, entered in the period: D1 D2 D3 D4 D5 D6 D7 D8(T12) D9 D10 = 10;
moved on D1 D3 D8 D9 D10 = 5, lost D2, stalled D4 D7, undecided D5 D6 → 5 / 8 = 62.5 %.
Completed ic stays ending in the period: 2 (D2) 4 (D1) 4 (D8 2nd) 6 (D3) 20 (D8 1st) 3 (D9) 1 (D10)
→ sorted 1 2 3 4 4 6 20: median 4, p90 at rank 6.4 → 6 + 0.4·14 = 11.6.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.funnel import stages as funnel
from core.base.db import read_session, write_tx
from core.funnel.stages import FunnelFilters, InvalidFunnelInput
from core.base.models import Activity, Customer, Opportunity, Setting, StageHistory
from core.base.vocabulary import STAGES
from core.base.scope import Scope
from core.base.scope import COMPANY
from tests.factories import NOW, make_org, scope_of

D = timedelta(days=1)
S = timedelta(seconds=1)
ABBR = {"ic": "initial_contact", "nc": "needs_confirmed", "pr": "proposal", "ng": "negotiation",
        "cs": "contract_signed", "won": "won", "lost": "lost"}


def T(days: float):
    return NOW - days * D


def add_deal(s, owner, name: str, moves: list[tuple[str, object]], amount: float, *, product="ct",
             source="website", customer_type="clinic"):
    """An opportunity whose stage history is ``moves`` [(stage, entered_at)], each stay ending when the
    next begins; a final won/lost closes it."""
    cust = Customer(name=f"{name} Co", phone="", industry="health", size="medium", customer_type=customer_type,
                    heat="warm", owner_id=owner.id, team_id=owner.team_id, created_at=T(60), updated_at=T(60))
    s.add(cust)
    s.flush()
    stages = [(ABBR[k], at) for k, at in moves]
    status = stages[-1][0] if stages[-1][0] in ("won", "lost") else "open"
    last = [st for st in stages if st[0] in STAGES][-1]
    opp = Opportunity(name=name, customer_id=cust.id, owner_id=owner.id, team_id=owner.team_id, product=product,
                      source_channel=source, amount=amount, stage=last[0], status=status,
                      stage_entered_at=last[1], created_at=stages[0][1],
                      closed_at=stages[-1][1] if status != "open" else None, lost_reason="")
    s.add(opp)
    s.flush()
    for i, (stage, at) in enumerate(stages):
        left = stages[i + 1][1] if i + 1 < len(stages) else None
        s.add(StageHistory(opportunity_id=opp.id, stage=stage, entered_at=at, left_at=left, by_user_id=owner.id,
                           evidence=f"{stage} evidence" if stage != "initial_contact" else "", note=""))
    s.flush()
    return opp


@pytest.fixture
def deals(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        ids = {}
        ids["D1"] = add_deal(s, org.a1, "D1", [("ic", T(28)), ("nc", T(24)), ("pr", T(14)), ("ng", T(10)),
                                               ("cs", T(2)), ("won", T(1))], 100).id
        ids["D2"] = add_deal(s, org.a1, "D2", [("ic", T(27)), ("lost", T(25))], 50).id
        ids["D3"] = add_deal(s, org.a2, "D3", [("ic", T(20)), ("pr", T(14))], 30, source="expo").id
        ids["D4"] = add_deal(s, org.a2, "D4", [("ic", T(10))], 20).id
        ids["D5"] = add_deal(s, org.a1, "D5", [("ic", T(3))], 10).id
        ids["D6"] = add_deal(s, org.a1, "D6", [("ic", T(5))], 10).id
        ids["D7"] = add_deal(s, org.a1, "D7", [("ic", T(5) - S)], 10).id
        ids["D8"] = add_deal(s, org.b1, "D8", [("ic", T(40)), ("nc", T(20)), ("ic", T(12)), ("nc", T(8))], 40,
                             product="consumables").id
        ids["D9"] = add_deal(s, org.b1, "D9", [("ic", T(15)), ("nc", T(12)), ("pr", T(6)), ("cs", T(3)),
                                               ("won", T(2))], 60, product="consumables", source="expo",
                             customer_type="hospital").id
        ids["D10"] = add_deal(s, org.a1, "D10", [("ic", T(9)), ("won", T(8))], 5).id
        s.add(Activity(kind="visit", customer_id=s.get(Opportunity, ids["D1"]).customer_id,
                       opportunity_id=ids["D1"], owner_id=org.a1.id, team_id=org.alpha.id, happened_at=T(20),
                       logged_at=T(20), effective=True, fields={}, note="site visit with the buyer"))
    return engine, org, ids


def period(**narrow) -> FunnelFilters:
    return FunnelFilters.last_days(NOW.date(), 30, **narrow)


ALL = COMPANY


def test_stage_conversion_counts_only_decided_deals(deals):
    engine, org, _ = deals
    with read_session(engine) as s:
        f = funnel.funnel(ALL, s, period(), NOW)
    ic = f.stage("initial_contact")
    assert (ic.entered, ic.moved_on, ic.lost, ic.stalled, ic.undecided) == (10, 5, 1, 2, 2)
    assert ic.conversion == pytest.approx(62.5)
    assert ic.value == pytest.approx(100 + 50 + 30 + 20 + 10 + 10 + 10 + 40 + 60 + 5)
    # needs confirmed: D1 and D9 moved on; D8 went back and is now inside its time again: nowhere
    nc = f.stage("needs_confirmed")
    assert (nc.entered, nc.moved_on, nc.lost, nc.stalled, nc.undecided) == (3, 2, 0, 0, 1)
    assert nc.conversion == pytest.approx(100.0)
    # proposal: D1 and D9 moved on (D9 skipping negotiation), D3 stalled in it
    pr = f.stage("proposal")
    assert (pr.entered, pr.moved_on, pr.stalled) == (3, 2, 1)
    assert pr.conversion == pytest.approx(200 / 3)
    assert (f.stage("negotiation").entered, f.stage("negotiation").conversion) == (1, 100.0)
    cs = f.stage("contract_signed")
    assert (cs.entered, cs.moved_on, cs.conversion) == (2, 2, 100.0)


def test_median_and_p90_days_in_stage_of_completed_stays(deals):
    engine, _, _ = deals
    with read_session(engine) as s:
        f = funnel.funnel(ALL, s, period(), NOW)
    ic = f.stage("initial_contact")
    assert ic.stays == 7
    assert ic.median_days == pytest.approx(4.0)
    assert ic.p90_days == pytest.approx(11.6)
    nc = f.stage("needs_confirmed")  # 6 (D9), 8 (D8), 10 (D1)
    assert (nc.stays, nc.median_days, nc.p90_days) == (3, pytest.approx(8.0), pytest.approx(9.6))
    pr = f.stage("proposal")  # 3 (D9), 4 (D1)
    assert (pr.median_days, pr.p90_days) == (pytest.approx(3.5), pytest.approx(3.9))
    assert (ic.min_days, ic.max_days) == (3, 5)
    # open stays apart: D4 10 d, D5 3 d, D6 5 d, D7 5 d + 1 s; two of them past the bound
    assert (ic.open_now, ic.open_stalled) == (4, 2)
    assert ic.open_median_days == pytest.approx(5.0, abs=1e-3)
    assert (pr.open_now, pr.open_stalled) == (1, 1)
    assert f.stalled_now == 3


def test_win_rate_and_days_to_win(deals):
    engine, org, _ = deals
    with read_session(engine) as s:
        f = funnel.funnel(ALL, s, period(), NOW)
        by_team = funnel.win_rates(ALL, s, period(), "team").set_index("group")
        by_source = funnel.win_rates(ALL, s, period(), "source").set_index("group")
    assert (f.won, f.lost) == (3, 1)
    assert f.win_rate == pytest.approx(75.0)
    assert f.won_value == pytest.approx(165)
    # D1 27 days, D9 13 days, D10 1 day (from the first stage entry to the win)
    assert f.days_to_win_median == pytest.approx(13.0)
    assert f.days_to_win_mean == pytest.approx(41 / 3)
    assert by_team.loc["Alpha", "win_rate"] == pytest.approx(200 / 3)
    assert by_team.loc["Beta", ["won", "lost"]].tolist() == [1, 0]
    assert by_source.loc["expo", "win_rate"] == pytest.approx(100.0)
    assert by_source.loc["website", ["won", "lost"]].tolist() == [2, 1]


def test_filters_narrow_every_figure(deals):
    engine, org, _ = deals
    with read_session(engine) as s:
        alpha = funnel.funnel(ALL, s, period(team_id=org.alpha.id), NOW).stage("initial_contact")
        hospital = funnel.funnel(ALL, s, period(customer_type="hospital"), NOW)
        expo = funnel.funnel(ALL, s, period(source="expo"), NOW).stage("initial_contact")
        consumables = funnel.funnel(ALL, s, period(product="consumables", region_id=org.south.id), NOW)
        amy = funnel.funnel(ALL, s, period(owner_id=org.a1.id), NOW).stage("initial_contact")
    # Alpha: D1 D2 D3 D4 D5 D6 D7 D10 → moved D1 D3 D10, lost D2, stalled D4 D7
    assert (alpha.entered, alpha.moved_on, alpha.lost, alpha.stalled) == (8, 3, 1, 2)
    assert alpha.conversion == pytest.approx(50.0)
    assert hospital.stage("initial_contact").entered == 1 and (hospital.won, hospital.lost) == (1, 0)
    assert (expo.entered, expo.moved_on) == (2, 2)
    assert consumables.stage("initial_contact").entered == 2 and consumables.stage("needs_confirmed").entered == 2
    assert (amy.entered, amy.moved_on, amy.lost, amy.stalled, amy.undecided) == (6, 2, 1, 1, 2)


def test_previous_period_of_equal_length(deals):
    engine, _, _ = deals
    f = period()
    prev = f.previous()
    assert prev.days == 30 and prev.end == f.start - timedelta(days=1)
    with read_session(engine) as s:
        before = funnel.funnel(ALL, s, prev, NOW)
    # only D8 entered initial contact in the 30 days before, and it moved on to needs confirmed
    ic = before.stage("initial_contact")
    assert (ic.entered, ic.moved_on, ic.conversion) == (1, 1, 100.0)
    assert (before.won, before.lost, before.win_rate) == (0, 0, None)


def test_stalled_at_the_bound_edges(deals):
    engine, _, ids = deals
    with read_session(engine) as s:
        stalled = funnel.stalled_deals(ALL, s, period(), NOW)
    assert sorted(stalled["name"]) == ["D3", "D4", "D7"]  # D6, exactly at 5 days, is not stalled
    d3 = stalled.set_index("name").loc["D3"]
    assert (d3["stage"], d3["max_days"], d3["days_over"]) == ("proposal", 8, pytest.approx(6.0))
    assert stalled["name"].iloc[0] == "D3"  # longest over first
    # the bound is a setting: at 10 days D4 sits exactly on it and is no longer stalled
    with write_tx(engine) as s:
        s.add(Setting(key="stage_max_days_initial_contact", value=10, updated_at=NOW))
    with read_session(engine) as s:
        stalled = funnel.stalled_deals(ALL, s, period(), NOW)
        ic = funnel.funnel(ALL, s, period(), NOW).stage("initial_contact")
    assert sorted(stalled["name"]) == ["D3"]
    assert (ic.stalled, ic.undecided, ic.max_days) == (0, 4, 10)


def test_stage_deals_are_the_ones_behind_the_figures_and_keep_the_filters(deals):
    engine, org, _ = deals
    with read_session(engine) as s:
        ic = funnel.stage_deals(ALL, s, "initial_contact", period(), NOW)
        alpha = funnel.stage_deals(ALL, s, "initial_contact", period(team_id=org.alpha.id), NOW)
    assert len(ic) == 10
    outcome = dict(zip(ic["name"], ic["outcome"]))
    assert outcome == {"D1": "moved_on", "D2": "lost", "D3": "moved_on", "D4": "stalled", "D5": "undecided",
                       "D6": "undecided", "D7": "stalled", "D8": "moved_on", "D9": "moved_on", "D10": "moved_on"}
    assert set(ic["name"].head(2)) == {"D4", "D7"}  # stalled first
    row = ic.set_index("name").loc["D4"]
    assert (row["owner"], row["days_in_stage"], bool(row["stalled"])) == ("Ann A2", 10.0, True)
    assert set(alpha["team"]) == {"Alpha"} and len(alpha) == 8
    with read_session(engine) as s, pytest.raises(InvalidFunnelInput):
        funnel.stage_deals(ALL, s, "nonsense", period(), NOW)


def test_timeline_has_stage_moves_and_activities_in_order(deals):
    engine, org, ids = deals
    with read_session(engine) as s:
        tl = funnel.timeline(scope_of(engine, org.director), s, ids["D1"], NOW)
    assert tl is not None and tl.deal["name"].iloc[0] == "D1"
    kinds = list(zip(tl.events["kind"], tl.events["stage"]))
    assert kinds == [("stage", "initial_contact"), ("stage", "needs_confirmed"), ("visit", ""),
                     ("stage", "proposal"), ("stage", "negotiation"), ("stage", "contract_signed"),
                     ("stage", "won")]
    assert tl.events["days"].iloc[0] == pytest.approx(4.0)
    assert "site visit" in tl.events["detail"].iloc[2]


def test_a_rep_cannot_open_another_reps_deal_by_id(deals):
    engine, org, ids = deals
    a1 = scope_of(engine, org.a1)
    lena = scope_of(engine, org.lead_alpha)
    with read_session(engine) as s:
        assert funnel.timeline(a1, s, ids["D3"], NOW) is None  # a2's
        assert funnel.timeline(a1, s, ids["D1"], NOW) is not None  # own
        assert funnel.timeline(lena, s, ids["D9"], NOW) is None  # team Beta's
        assert funnel.timeline(a1, s, 99999, NOW) is None
        assert funnel.timeline(a1, s, "1; drop table", NOW) is None
        mine = funnel.funnel(a1, s, period(), NOW).stage("initial_contact")
        others = funnel.funnel(a1, s, period(owner_id=org.a2.id), NOW).stage("initial_contact")
    assert (mine.entered, mine.conversion) == (6, pytest.approx(50.0))
    assert others.entered == 0  # a filter cannot widen the scope


def test_bad_filters_are_named_errors():
    day = NOW.date()
    with pytest.raises(InvalidFunnelInput) as exc:
        FunnelFilters(day, day - timedelta(days=1))
    assert exc.value.field == "period" and "ends before it starts" in exc.value.message("en")
    with pytest.raises(InvalidFunnelInput):
        FunnelFilters(day - timedelta(days=400), day)
    with pytest.raises(InvalidFunnelInput):
        funnel.check_stage("won")


# ---- a stage's standard stay: its minimum never above its maximum ---------------------------------

def test_settings_refuse_a_stage_minimum_above_its_maximum_at_that_setting(engine):
    from core.base import rules

    def save(**changes):
        with write_tx(engine) as s:
            rules.save_settings(s, COMPANY, changes, NOW)

    def stored():
        with read_session(engine) as s:
            return {k: v for k, v in rules.all_settings(s).items() if k.startswith("stage_")}

    before = stored()
    with pytest.raises(rules.InvalidSetting) as err:  # proposal: 5–8 days; a minimum of 9 is above 8
        save(stage_min_days_proposal=9, funnel_window_days=14)
    assert err.value.key == "stage_min_days_proposal"
    assert err.value.message("en") == ("The shortest standard stay (9 days) must not be longer than the stage's "
                                       "upper bound (8 days).")
    assert err.value.message("zh") == "标准最短停留（9 天）不能超过该阶段的停滞上限（8 天）。"
    with pytest.raises(rules.InvalidSetting) as err:  # lowering the maximum below the minimum names the maximum
        save(stage_max_days_negotiation=9)
    assert err.value.key == "stage_max_days_negotiation"
    assert stored() == before  # nothing saved, not even the valid change next to it
    with read_session(engine) as s:
        assert s.get(Setting, "funnel_window_days") is None
    save(stage_min_days_proposal=8)  # equal is fine
    save(stage_max_days_negotiation=12, stage_min_days_negotiation=12)
    assert stored()["stage_min_days_proposal"] == 8 and stored()["stage_max_days_negotiation"] == 12


def test_stalled_deals_say_how_many_there_are_beyond_the_rows_shown(deals):
    engine, *_ = deals
    with read_session(engine) as s:
        top = funnel.stalled_deals(ALL, s, period(), NOW, limit=1)
        every = funnel.stalled_deals(ALL, s, period(), NOW)
    assert list(top["name"]) == ["D3"] and top.attrs["total"] == 3  # the longest over comes first in SQL too
    assert every.attrs["total"] == len(every) == 3


# ---- what the page shows, decided in core -------------------------------------------------------

def test_a_stage_is_slow_when_its_median_stay_is_past_the_upper_bound(deals):
    engine, *_ = deals
    with write_tx(engine) as s:  # needs confirmed: median 8 days; an upper bound of 7 makes it slow
        s.add(Setting(key="stage_max_days_needs_confirmed", value=7, updated_at=NOW))
    with read_session(engine) as s:
        f = funnel.funnel(ALL, s, period(), NOW)
    assert [x.stage for x in f.stages if x.slow] == ["needs_confirmed"]
    assert not f.stage("initial_contact").slow  # median 4 of at most 5
    assert not f.stage("negotiation").slow  # 8 days of at most 15
    at_bound = funnel.StageFigures("proposal", 0, 0.0, 0, 0, 0, 0, None, 2, 8.0, 8.0, 5, 8, 0, 0, None)
    assert not at_bound.slow  # exactly at the bound is not slow
    assert not funnel.StageFigures("proposal", 0, 0.0, 0, 0, 0, 0, None, 0, None, None, 5, 8, 0, 0, None).slow


def test_a_rep_sees_win_rates_by_what_their_own_deals_are_not_by_the_organisation(deals):
    engine, org, _ = deals
    assert funnel.groupings(ALL) == funnel.GROUPINGS
    assert funnel.groupings(scope_of(engine, org.lead_alpha)) == funnel.GROUPINGS
    assert funnel.groupings(scope_of(engine, org.a1)) == ("product", "source", "customer_type")


def test_the_timeline_says_the_current_stages_upper_bound(deals):
    engine, _, ids = deals
    with read_session(engine) as s:
        d3 = funnel.timeline(ALL, s, ids["D3"], NOW).deal.iloc[0]
        d1 = funnel.timeline(ALL, s, ids["D1"], NOW).deal.iloc[0]
    assert (d3["stage"], d3["max_days"], bool(d3["stalled"])) == ("proposal", 8, True)
    assert (d1["status"], d1["stage"], d1["max_days"]) == ("won", "contract_signed", 3)


@pytest.mark.parametrize("role", ["finance", "service"])
def test_the_funnel_pages_own_reads_refuse_a_role_that_cannot_open_it(deals, role):
    from core.base.access import Forbidden

    engine, _, ids = deals
    caller = Scope(99, role, None if role == "finance" else frozenset())
    with read_session(engine) as s:
        for read in (lambda: funnel.stage_deals(caller, s, "initial_contact", period(), NOW),
                     lambda: funnel.timeline(caller, s, ids["D1"], NOW),
                     lambda: funnel.win_rates(caller, s, period(), "team"),
                     lambda: funnel.filter_options(caller, s)):
            with pytest.raises(Forbidden):
                read()
