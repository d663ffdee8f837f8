"""Collections on hand-made data (SPEC §7): the three windows' rates, the explanation, the drill-down
levels, the contracts, the ageing at its edges, and the collection to-do — on SQLite and PostgreSQL.

Today is Monday 23 November 2026 (tests.factories.NOW): this month counts instalments due 1–23 Nov,
this quarter 1 Oct – 23 Nov, to date everything due by 23 Nov.

    contract  owner  amount   instalments (due: amount)        received          note
    C1        a1     100,000  10 Sep: 50,000 · 10 Nov: 50,000  50,000 (12 Sep)   Nov instalment 13 days overdue
    C2        a1      20,000  15 Oct: 20,000                   30,000 (16 Oct)   overpaid: counts 20,000
    C3        a1      40,000   5 Nov: 40,000                   —                 cancelled: not counted
    C4        a1      10,000  20 Dec: 10,000                   —                 not due yet
    C5        a2      60,000  20 Nov: 60,000                   30,000 (21 Nov)   3 days overdue
    C6        b1      90,000   1 Aug: 90,000                   —                 114 days overdue
    C7        b2      40,000   1 Nov: 40,000                   40,000 (2 Nov)

                 to date                      this month                  this quarter
    everyone     140,000 / 310,000 = 45.2 %   70,000 / 150,000 = 46.7 %   90,000 / 170,000 = 52.9 %
    Alpha (lena) 100,000 / 180,000 = 55.6 %   30,000 / 110,000 = 27.3 %   50,000 / 130,000 = 38.5 %
    a1            70,000 / 120,000 = 58.3 %        0 /  50,000 =  0 %     20,000 /  70,000 = 28.6 %

Outstanding to date: Alpha 80,000 (a1 50,000, a2 30,000), Beta 90,000 (b1) — of 170,000.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.base import rules
from core.base.access import Forbidden
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, Todo, User
from core.base.query import Filters
from core.base.scope import COMPANY, Scope
from core.cash import collections as coll
from core.cash.collections import CollectionFilters as Path
from tests.collections_samples import build_cash, build_edges, on
from tests.factories import NOW, add_contract, add_customer, add_receipt, scope_of

TODAY = NOW.date()
D = timedelta(days=1)


@pytest.fixture
def cash(engine):
    """The organisation and the seven contracts of the module's table: (org, {number: contract id})."""
    with write_tx(engine) as s:
        return build_cash(s)


def lights(engine, scope, path=Path(), lang="en", now=NOW) -> dict:
    with read_session(engine) as s:
        return {light.window: light for light in coll.collection_lights(scope, s, path, now, lang)}


def figures(light) -> tuple:
    return light.due, light.received, None if light.rate is None else round(light.rate, 1), light.color


# ---- the rates of the three windows ---------------------------------------------------------------

def test_the_three_windows_count_what_is_due_up_to_today(engine, cash):
    got = lights(engine, COMPANY)
    assert list(got) == ["to_date", "month", "quarter"]
    # C2's overpayment counts 20,000 (not 30,000), C3 (cancelled) and C4 (due in December) not at all
    assert figures(got["to_date"]) == (310000, 140000, 45.2, "red")
    assert figures(got["month"]) == (150000, 70000, 46.7, "red")
    assert figures(got["quarter"]) == (170000, 90000, 52.9, "red")
    assert got["to_date"].outstanding == 170000
    assert (got["to_date"].start, got["month"].start, got["quarter"].start) == (
        None, TODAY.replace(day=1), TODAY.replace(month=10, day=1))
    assert {light.end for light in got.values()} == {TODAY}


def test_a_lead_and_a_rep_see_the_rates_of_their_own_instalments(engine, cash):
    org, _ = cash
    lena = lights(engine, scope_of(engine, org.lead_alpha))
    assert [figures(lena[w]) for w in coll.WINDOWS] == [(180000, 100000, 55.6, "red"), (110000, 30000, 27.3, "red"),
                                                        (130000, 50000, 38.5, "red")]
    a1 = lights(engine, scope_of(engine, org.a1))
    assert [figures(a1[w]) for w in coll.WINDOWS] == [(120000, 70000, 58.3, "red"), (50000, 0, 0.0, "red"),
                                                      (70000, 20000, 28.6, "red")]
    assert all(light.explanation is None for light in a1.values())  # a rep's own view names nobody


def test_an_overpaid_instalment_does_not_lift_the_rate(engine, cash):
    """b2's only instalment paid in full is green at 100 %; a2 paying 90,000 on 60,000 due stays at 100 %,
    not 150 %, and does not make up for a1's unpaid instalment in the team's rate."""
    org, ids = cash
    with write_tx(engine) as s:
        from core.base.models import Contract

        add_receipt(s, s.get(Contract, ids["C5"]), 60000, on(11, 22))  # 90,000 received of 60,000
    got = lights(engine, COMPANY, Path(team_id=org.alpha.id))["to_date"]
    assert figures(got) == (180000, 130000, 72.2, "red")  # 50,000 (C1) + 20,000 (C2) + 60,000 (C5)
    b2 = lights(engine, scope_of(engine, org.b2))["to_date"]
    assert figures(b2) == (40000, 40000, 100.0, "green") and b2.explanation is None


def test_no_instalment_due_gives_no_rate_and_a_grey_light(engine, cash):
    org, _ = cash
    early = datetime(2026, 7, 1, 12)  # before any instalment was due
    got = lights(engine, COMPANY, now=early)
    assert [figures(got[w]) for w in coll.WINDOWS] == [(0, 0, None, "grey")] * 3
    assert all(light.explanation is None for light in got.values())
    # in a quarter where only the cancelled contract was due, nothing counts either
    a1_from_july = lights(engine, scope_of(engine, org.a1), now=datetime(2026, 9, 5, 12))
    assert figures(a1_from_july["month"]) == (0, 0, None, "grey")
    assert figures(a1_from_july["quarter"]) == (0, 0, None, "grey")


def test_the_lights_follow_the_settings(engine, cash):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"light_red_below": 40.0, "light_green_above": 50.0}, NOW)
    got = lights(engine, COMPANY)
    assert [got[w].color for w in coll.WINDOWS] == ["yellow", "yellow", "green"]
    assert got["quarter"].explanation is None  # a green light needs no explanation


def test_a_period_filter_is_accepted_and_ignored(engine, cash):
    org, _ = cash
    week = Filters.last_days(TODAY, 7, region_id=org.south.id)
    assert figures(lights(engine, COMPANY, week)["to_date"]) == (130000, 40000, 30.8, "red")


# ---- the explanation -----------------------------------------------------------------------------

def test_the_director_reads_which_teams_hold_the_outstanding(engine, cash):
    got = lights(engine, COMPANY)
    assert got["to_date"].explanation.sentence == "Beta holds 53% of the ¥170,000 not yet collected."
    assert got["to_date"].explanation.names == ("Beta",) and got["to_date"].explanation.by == "team"
    assert got["month"].explanation.sentence == "Alpha holds 100% of the ¥80,000 not yet collected."
    zh = lights(engine, COMPANY, lang="zh")
    assert zh["to_date"].explanation.sentence == "Beta占未回款 ¥170,000 中的 53%。"
    assert zh["to_date"].label == "累计回款率"


def test_two_teams_are_named_when_one_is_not_enough(engine, cash):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"explain_share": 0.9}, NOW)
    got = lights(engine, COMPANY)
    assert got["to_date"].explanation.sentence == "Beta and Alpha hold 100% of the ¥170,000 not yet collected."
    assert lights(engine, COMPANY, lang="zh")["to_date"].explanation.sentence == \
        "Beta和Alpha合计占未回款 ¥170,000 中的 100%。"
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"explain_max_groups": 1}, NOW)
    assert lights(engine, COMPANY)["to_date"].explanation.sentence == \
        "Beta holds 53% of the ¥170,000 not yet collected."


def test_inside_one_team_the_sentence_names_reps(engine, cash):
    org, _ = cash
    lena = lights(engine, scope_of(engine, org.lead_alpha))["to_date"]
    # a1 holds 50,000 of Alpha's 80,000
    assert lena.explanation.sentence == "In Alpha, Amy A1 holds 62% of the ¥80,000 not yet collected."
    assert lena.explanation.by == "rep"
    director_on_alpha = lights(engine, COMPANY, Path(team_id=org.alpha.id), lang="zh")["to_date"]
    assert director_on_alpha.explanation.sentence == "Alpha的Amy A1占未回款 ¥80,000 中的 62%。"


def test_a_region_of_one_team_names_its_reps(engine, cash):
    org, _ = cash
    south = lights(engine, COMPANY, Path(region_id=org.south.id))["to_date"]
    assert figures(south) == (130000, 40000, 30.8, "red")
    assert south.explanation.sentence == "In Beta, Bob B1 holds 100% of the ¥90,000 not yet collected."


def test_one_reps_view_names_nobody(engine, cash):
    org, _ = cash
    got = lights(engine, COMPANY, Path(team_id=org.alpha.id, rep_id=org.a1.id))
    assert figures(got["to_date"]) == (120000, 70000, 58.3, "red")
    assert all(light.explanation is None for light in got.values())


# ---- the drill-down --------------------------------------------------------------------------------

def rows(engine, scope, level, path=Path(), window="to_date", now=NOW) -> list[tuple]:
    with read_session(engine) as s:
        df = coll.collection_by(scope, s, path, now, level, window)
    return [(r.name, r.due, r.received, r.outstanding, None if r.rate != r.rate else round(r.rate, 1), r.color)
            for r in df.itertuples()]


def test_the_levels_region_team_rep_lowest_rate_first(engine, cash):
    org, _ = cash
    assert rows(engine, COMPANY, "region") == [("South", 130000, 40000, 90000, 30.8, "red"),
                                               ("North", 180000, 100000, 80000, 55.6, "red")]
    assert rows(engine, COMPANY, "team", Path(region_id=org.north.id)) == [("Alpha", 180000, 100000, 80000, 55.6, "red")]
    assert rows(engine, COMPANY, "rep", Path(region_id=org.north.id, team_id=org.alpha.id)) == [
        ("Ann A2", 60000, 30000, 30000, 50.0, "red"), ("Amy A1", 120000, 70000, 50000, 58.3, "red")]
    # this month: a1's November instalment is unpaid
    assert rows(engine, COMPANY, "rep", Path(team_id=org.alpha.id), window="month") == [
        ("Amy A1", 50000, 0, 50000, 0.0, "red"), ("Ann A2", 60000, 30000, 30000, 50.0, "red")]
    # b2's team Beta this quarter: b2 paid in full, b1 nothing due in the quarter
    assert rows(engine, COMPANY, "rep", Path(team_id=org.beta.id), window="quarter") == [
        ("Ben B2", 40000, 40000, 0, 100.0, "green")]


def test_the_rep_level_carries_the_owner_and_ids_to_click(engine, cash):
    org, _ = cash
    with read_session(engine) as s:
        reps = coll.collection_by(COMPANY, s, Path(team_id=org.alpha.id), NOW, "rep")
        regions = coll.collection_by(COMPANY, s, Path(), NOW, "region")
    assert list(reps["owner_id"]) == list(reps["id"]) == [org.a2.id, org.a1.id]
    assert list(regions["id"]) == [org.south.id, org.north.id] and "owner_id" not in regions


def test_a_lead_sees_only_own_teams_at_every_level(engine, cash):
    org, _ = cash
    lena = scope_of(engine, org.lead_alpha)
    assert [r[0] for r in rows(engine, lena, "region")] == ["North"]
    assert [r[0] for r in rows(engine, lena, "team")] == ["Alpha"]
    assert [r[0] for r in rows(engine, lena, "rep")] == ["Ann A2", "Amy A1"]
    assert rows(engine, lena, "rep", Path(team_id=org.beta.id)) == []  # a path can only narrow


def test_an_unknown_level_or_window_is_refused(engine, cash):
    with read_session(engine) as s:
        with pytest.raises(ValueError):
            coll.collection_by(COMPANY, s, Path(), NOW, "country")
        with pytest.raises(ValueError):
            coll.collection_by(COMPANY, s, Path(), NOW, "team", "year")


def contracts(engine, scope, path=Path(), rep_id=None, now=NOW) -> list[tuple]:
    with read_session(engine) as s:
        df = coll.overdue_contracts(scope, s, path, now, rep_id)
    return [(r.number, r.customer, r.amount, r.due, r.received, r.outstanding,
             None if r.days_overdue is None or r.days_overdue != r.days_overdue else int(r.days_overdue), r.owner)
            for r in df.astype(object).where(df.notna(), None).itertuples()]


def test_the_contracts_most_overdue_first(engine, cash):
    assert contracts(engine, COMPANY) == [
        ("C6", "Gamma", 90000, 90000, 0, 90000, 114, "Bob B1"),
        ("C1", "Acme", 100000, 100000, 50000, 50000, 13, "Amy A1"),  # the September instalment is paid
        ("C5", "Beta Co", 60000, 60000, 30000, 30000, 3, "Ann A2"),
        ("C2", "Acme", 20000, 20000, 20000, 0, None, "Amy A1"),  # overpaid: received as much as due
        ("C7", "Delta", 40000, 40000, 40000, 0, None, "Ben B2"),
    ]  # C3 (cancelled) and C4 (nothing due yet) are not there


def test_a_reps_contracts_by_path_or_argument(engine, cash):
    org, _ = cash
    assert [c[0] for c in contracts(engine, COMPANY, Path(rep_id=org.a1.id))] == ["C1", "C2"]
    assert [c[0] for c in contracts(engine, COMPANY, rep_id=org.a2.id)] == ["C5"]
    assert [c[0] for c in contracts(engine, scope_of(engine, org.a1))] == ["C1", "C2"]
    assert contracts(engine, scope_of(engine, org.a1), rep_id=org.b1.id) == []
    assert contracts(engine, scope_of(engine, org.lead_alpha), Path(rep_id=org.b1.id)) == []


def test_a_contract_due_today_and_unpaid_is_zero_days_overdue(engine, cash):
    org, _ = cash
    with write_tx(engine) as s:
        add_contract(s, s.get(User, org.a2.id), add_customer(s, org.a2, "Today Co"), 5000, on(11, 1),
                     number="C8", instalments=[(NOW, 5000)])
    got = {c[0]: c for c in contracts(engine, COMPANY, rep_id=org.a2.id)}
    assert got["C8"][5:7] == (5000, 0)


# ---- ageing ------------------------------------------------------------------------------------------

def test_ageing_by_team_and_bucket(engine, cash):
    with read_session(engine) as s:
        df = coll.ageing(COMPANY, s, Path(), NOW)
    assert list(df.itertuples(index=False, name=None)) == [
        (2, "Beta", "0_30", 0), (2, "Beta", "31_60", 0), (2, "Beta", "61_90", 0), (2, "Beta", "91_plus", 90000),
        (1, "Alpha", "0_30", 80000), (1, "Alpha", "31_60", 0), (1, "Alpha", "61_90", 0), (1, "Alpha", "91_plus", 0)]


@pytest.fixture
def edges(engine):
    """tests.collections_samples.build_edges: a1's instalments 0, 30, 31, 60, 61, 90 and 91 days
    overdue (1, 2, 4 … 64 thousand), one due tomorrow and one paid; b1's one 91 days, half paid."""
    with write_tx(engine) as s:
        return build_edges(s)


def test_ageing_buckets_at_their_edges(engine, edges):
    with read_session(engine) as s:
        df = coll.ageing(COMPANY, s, Path(), NOW)
    got = {(r.team, r.bucket): r.outstanding for r in df.itertuples()}
    # 0 and 30 → 0–30; 31 and 60 → 31–60; 61 and 90 → 61–90; 91 → > 90; tomorrow and paid: nowhere
    assert got == {("Alpha", "0_30"): 3000, ("Alpha", "31_60"): 12000, ("Alpha", "61_90"): 48000,
                   ("Alpha", "91_plus"): 64000, ("Beta", "0_30"): 0, ("Beta", "31_60"): 0, ("Beta", "61_90"): 0,
                   ("Beta", "91_plus"): 5000}
    assert list(df["team"].drop_duplicates()) == ["Alpha", "Beta"]


def test_the_bucket_rule_in_python_agrees(engine, edges):
    assert [coll.bucket_of(d) for d in (0, 30, 31, 60, 61, 90, 91, 400)] == [
        "0_30", "0_30", "31_60", "31_60", "61_90", "61_90", "91_plus", "91_plus"]
    with pytest.raises(ValueError):
        coll.bucket_of(-1)
    assert coll.BUCKETS == ("0_30", "31_60", "61_90", "91_plus")


def test_a_contracts_days_overdue_are_its_oldest_overdue_instalments(engine, edges):
    got = {c[0]: c for c in contracts(engine, COMPANY)}
    assert got["E1"][3:7] == (127000, 0, 127000, 91)  # what is due by today; tomorrow's 128,000 not yet
    assert got["E2"][5:7] == (0, None)
    assert got["E3"][5:7] == (5000, 91)


def test_ageing_in_a_reps_view_and_when_nothing_is_overdue(engine, edges):
    org = edges
    with read_session(engine) as s:
        a1 = coll.ageing(scope_of(s, org.a1), s, Path(), NOW)
        early = coll.ageing(COMPANY, s, Path(), NOW - 100 * D)
    assert set(a1["team"]) == {"Alpha"} and a1["outstanding"].sum() == 127000
    assert early.empty and list(early.columns) == ["team_id", "team", "bucket", "outstanding"]


# ---- the path of the page --------------------------------------------------------------------------

def test_the_path_is_checked_against_the_scope(engine, cash):
    org, _ = cash
    with read_session(engine) as s:
        lena, a1, dora = scope_of(s, org.lead_alpha), scope_of(s, org.a1), scope_of(s, org.director)
        full = coll.drill_path(dora, s, org.north.id, org.alpha.id, org.a1.id)
        assert (full.region, full.team, full.rep, full.ok) == ((org.north.id, "North"), (org.alpha.id, "Alpha"),
                                                               (org.a1.id, "Amy A1"), True)
        assert coll.drill_path(dora, s) == coll.DrillPath()
        assert not coll.drill_path(dora, s, org.north.id, org.beta.id).ok  # Beta is not in North
        assert not coll.drill_path(dora, s, team_id=org.alpha.id, rep_id=org.b1.id).ok
        assert not coll.drill_path(dora, s, region_id=999).ok
        assert coll.drill_path(lena, s, team_id=org.alpha.id, rep_id=org.a2.id).ok
        assert not coll.drill_path(lena, s, region_id=org.south.id).ok
        assert not coll.drill_path(lena, s, team_id=org.beta.id).ok
        assert not coll.drill_path(lena, s, rep_id=org.b1.id).ok
        assert coll.drill_path(a1, s, rep_id=org.a1.id).ok
        assert not coll.drill_path(a1, s, rep_id=org.a2.id).ok


# ---- the collection to-do --------------------------------------------------------------------------

def ask(engine, who, contract_id, now=NOW):
    with write_tx(engine) as s:
        return coll.create_collection_todo(s, scope_of(s, who), contract_id, now)


def todos_of(engine, user) -> list[Todo]:
    with read_session(engine) as s:
        rows = s.scalars(select(Todo).where(Todo.owner_id == user.id, Todo.kind == "collection")
                         .order_by(Todo.id)).all()
        s.expunge_all()
        return list(rows)


def test_the_director_asks_the_owner_to_collect(engine, cash):
    org, ids = cash
    done = ask(engine, org.director, ids["C1"])
    assert (done.owner_id, done.owner, done.outstanding) == (org.a1.id, "Amy A1", 50000)
    [todo] = todos_of(engine, org.a1)
    # a1 has chosen no language: the company's default, Chinese
    assert todo.title == "催收回款：Acme，合同 C1，未回款 ¥50,000" == done.title
    assert (todo.kind, todo.ref_type, todo.ref_id, todo.team_id) == ("collection", "contract", ids["C1"], org.alpha.id)
    assert (todo.created_at, todo.due_at, todo.done_at) == (NOW, NOW + D, None)
    with read_session(engine) as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "todo")).all()
    assert [(a.user_id, a.action, a.entity_id, a.detail["contract_id"], a.detail["outstanding"]) for a in audit] == [
        (org.director.id, "create", str(todo.id), ids["C1"], 50000)]


def test_the_title_is_in_the_owners_language(engine, cash):
    org, ids = cash
    with write_tx(engine) as s:
        s.get(User, org.a2.id).language = "en"
    ask(engine, org.lead_alpha, ids["C5"])
    [todo] = todos_of(engine, org.a2)
    assert todo.title == "Collect payment: Beta Co, contract C5, ¥30,000 outstanding"


def test_once_per_contract_per_day(engine, cash):
    org, ids = cash
    ask(engine, org.director, ids["C6"], NOW - timedelta(hours=3))
    with pytest.raises(coll.CollectionTodoRefused) as refused:
        ask(engine, org.director.username, ids["C6"])
    assert refused.value.field == "contract"
    assert refused.value.message("en") == ("Dora Director already asked for contract C6 to be collected today "
                                           "(at 09:00): one to-do a day is enough.")
    assert refused.value.message("zh") == "Dora Director今天（09:00）已为合同 C6 生成过催收待办，每天一次即可。"
    with write_tx(engine) as s:
        from tests.factories import add_user

        add_user(s, "fay", "Fay Finance", "finance")
    with pytest.raises(coll.CollectionTodoRefused, match="Dora Director already asked"):
        ask(engine, "fay", ids["C6"])  # whoever asks the second time
    assert len(todos_of(engine, org.b1)) == 1
    ask(engine, "fay", ids["C6"], NOW + D)  # the next day: asked again
    assert [t.created_at for t in todos_of(engine, org.b1)] == [NOW - timedelta(hours=3), NOW + D]


def test_a_second_ask_the_same_day_by_the_company_says_so(engine, cash):
    org, ids = cash
    with write_tx(engine) as s:
        coll.create_collection_todo(s, COMPANY, ids["C6"], NOW)
    with pytest.raises(coll.CollectionTodoRefused) as refused:
        ask(engine, org.director, ids["C6"])
    assert refused.value.message("en") == ("A collection to-do for contract C6 was already created today (at 12:00): "
                                           "one a day is enough.")


@pytest.mark.parametrize("who, contract, key", [
    ("lena", "C6", "coll.err.no_contract"),  # Beta's contract, outside the lead's teams
    ("dora", "C2", "coll.err.nothing_outstanding"),  # paid (over-paid) in full
    ("dora", "C4", "coll.err.nothing_outstanding"),  # nothing due yet
    ("dora", "C3", "coll.err.cancelled"),
    ("dora", None, "coll.err.no_contract"),  # an id that names nothing
])
def test_a_to_do_is_refused_with_a_reason(engine, cash, who, contract, key):
    org, ids = cash
    with pytest.raises(coll.CollectionTodoRefused) as refused:
        ask(engine, who, ids[contract] if contract else 99999)
    assert refused.value.msg_key == key and refused.value.field == "contract"
    assert refused.value.message("en") != refused.value.message("zh")
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Todo)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "todo")) == 0


def test_a_rep_may_not_create_a_collection_to_do(engine, cash):
    org, ids = cash
    with pytest.raises(Forbidden):
        ask(engine, org.a1, ids["C1"])  # even for their own contract
    with write_tx(engine) as s:
        with pytest.raises(Forbidden):
            coll.create_collection_todo(s, Scope(org.b1.id, "rep", frozenset({org.beta.id}), own_only=True),
                                        ids["C6"], NOW)
    assert todos_of(engine, org.a1) == [] and todos_of(engine, org.b1) == []


def test_the_owner_sees_the_to_do_in_their_inbox(engine, cash):
    from core.base import inbox

    org, ids = cash
    ask(engine, org.director, ids["C1"])
    with read_session(engine) as s:
        mine = inbox.todos(scope_of(s, org.a1), s)
        lenas = inbox.todos(scope_of(s, org.lead_alpha), s)
    assert list(mine["kind"]) == ["collection"] and mine["title"].iloc[0].startswith("催收回款：Acme")
    assert lenas.empty
