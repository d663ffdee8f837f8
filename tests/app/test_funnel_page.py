"""The funnel page through AppTest: figures per role and scope, the click on a stage, the drill-down
that keeps the filters, a deal's timeline, bad links.

Data: every rep holds tests.factories.add_rep_records — an open deal (initial contact 20 days ago →
proposal 6 days ago, inside proposal's 8 days) and a deal won 3 days ago (initial contact 15 days
ago). Besides: a2 has a deal in initial contact for 9 days (bound 5: stalled) and b1 a deal lost
8 days ago from initial contact. Default window: the last 30 days.

    initial contact      entered  moved on  lost  stalled  conversion   win rate
    director / admin     10       8         1     1        80.0%        4 / 5 = 80.0%
    lena (Alpha)          5       4         0     1        80.0%        2 / 2 = 100.0%
    a1                    2       2         0     0        100.0%       1 / 1 = 100.0%
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.db import make_engine, write_tx
from core.migrate import upgrade
from core.models import Customer, Opportunity, StageHistory
from core.users import hash_password
from tests.app.conftest import PASSWORD, frame, texts
from tests.factories import NOW, add_rep_records, add_user, make_org

pytestmark = pytest.mark.app
D = timedelta(days=1)
CHART = "funnel_chart"


def _deal(s, owner, name, stays, status, amount):
    cust = Customer(name=f"{name} Co", phone="", industry="health", size="small", customer_type="clinic",
                    heat="warm", owner_id=owner.id, team_id=owner.team_id, created_at=NOW - 30 * D,
                    updated_at=NOW - 30 * D)
    s.add(cust)
    s.flush()
    last = stays[-1] if status == "open" else stays[-2]
    opp = Opportunity(name=name, customer_id=cust.id, owner_id=owner.id, team_id=owner.team_id, product="ct",
                      source_channel="website", amount=amount, stage=last[0], status=status,
                      stage_entered_at=last[1], created_at=stays[0][1],
                      closed_at=None if status == "open" else stays[-1][1], lost_reason="")
    s.add(opp)
    s.flush()
    for i, (stage, at) in enumerate(stays):
        left = stays[i + 1][1] if i + 1 < len(stays) else None
        s.add(StageHistory(opportunity_id=opp.id, stage=stage, entered_at=at, left_at=left, by_user_id=owner.id,
                           evidence="", note=""))
    s.flush()
    return opp


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    """Overrides tests/app/conftest.py's database for this module: the same organisation and
    records, plus a2's stalled deal and b1's lost one."""
    url = f"sqlite:///{tmp_path_factory.mktemp('funneldb') / 'cockpit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        add_user(s, "ada", "Ada Admin", "admin")
        pat = add_user(s, "pat", "Pat Password", "rep", org.alpha)
        pat.password_hash = hash_password(PASSWORD, rounds=4)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        _deal(s, org.a2, "a2 stuck deal", [("initial_contact", NOW - 9 * D)], "open", 30000)
        _deal(s, org.b1, "b1 lost deal", [("initial_contact", NOW - 10 * D), ("lost", NOW - 8 * D)], "lost", 20000)
    engine.dispose()
    return url


def open_funnel(login, username, lang="en"):
    at = login(username, lang)
    at.switch_page("pages/funnel.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def stage_row(at, stage_label: str):
    table = frame(at, "Stage", "Conversion (%)", "Median days")
    return table.set_index("Stage").loc[stage_label]


@pytest.mark.parametrize("username, entered, conversion, win_rate, stalled, reps", [
    ("dora", 10, 80.0, "80.0%", 1, 4), ("ada", 10, 80.0, "80.0%", 1, 4),
    ("lena", 5, 80.0, "100.0%", 1, 2), ("a1", 2, 100.0, "100.0%", 0, 1),
])
def test_funnel_figures_follow_the_callers_scope(login, username, entered, conversion, win_rate, stalled, reps):
    at = open_funnel(login, username)
    assert at.title[0].value == ("My funnel" if username == "a1" else "Sales funnel")
    values = metrics(at)
    assert values["Deals entered the funnel"] == str(entered)
    assert values["Win rate"] == win_rate
    assert values["Days to win (median)"] == "12.0"  # every won deal: 15 days ago → 3 days ago
    assert values["Stalled deals now"] == str(stalled)
    ic = stage_row(at, "Initial contact")
    assert ic["Entered"] == entered and ic["Conversion (%)"] == f"{conversion:.1f}%"
    # proposal: every open deal sits there 6 days of 8: nothing decided, no conversion yet
    pr = stage_row(at, "Proposal submitted")
    assert (pr["Entered"], pr["Not decided yet"], pr["Open now"]) == (reps, reps, reps)
    assert pr["Conversion (%)"] == "—" and pr["Median days"] == "—"
    cs = stage_row(at, "Contract signed")  # every won deal: 2 days in it, 2–3 is the standard
    assert (cs["Entered"], cs["Conversion (%)"], cs["Median days"]) == (reps, "100.0%", "2.0")
    assert cs["Standard (days)"] == "2–3 days"


def test_stalled_deals_are_listed_with_their_owner(login):
    at = open_funnel(login, "dora")
    stalled = frame(at, "Deal", "Days over")
    assert list(stalled["Deal"]) == ["a2 stuck deal"]
    assert stalled["Owner"].iloc[0] == "Ann A2" and stalled["Days over"].iloc[0] == pytest.approx(4.0)
    assert "Stalled deals (1)" in texts(at)


def click_stage(at, stage: str):
    at.session_state[CHART] = {"selection": {"pick": [{"stage": stage}]}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_click_on_a_stage_shows_its_deals_then_a_timeline(login):
    at = click_stage(open_funnel(login, "dora"), "initial_contact")
    assert 'Deals that entered “Initial contact” in the period (10)' in texts(at)
    deals = frame(at, "Deal", "Outcome here")
    assert len(deals) == 10
    assert deals["Deal"].iloc[0] == "a2 stuck deal" and deals["Outcome here"].iloc[0] == "Stalled"
    assert bool(deals["Stalled"].iloc[0]) is True
    assert at.query_params["stage"] == "initial_contact"
    # open one deal: its timeline of stage moves and activities
    pick = at.selectbox(key="funnel_open_deal")
    won = next(o for o in pick.options if "a1 won deal" in o)
    opp_id = int(re.search(r"#(\d+)", won).group(1))
    pick.set_value(opp_id).run()
    assert not at.exception
    assert "Timeline: a1 won deal" in texts(at)
    events = frame(at, "When", "What")
    assert list(events["What"]) == ["Stage move", "Stage move", "Stage move"]
    assert list(events["Stage"]) == ["Initial contact", "Contract signed", "Won"]
    assert "signed contract" in set(events["Evidence / note"])


def test_the_drill_down_keeps_the_filters(login):
    at = open_funnel(login, "dora")
    at.selectbox(key="funnel_team").select_index(1).run()  # the first team: Alpha
    click_stage(at, "initial_contact")
    deals = frame(at, "Deal", "Outcome here")
    assert set(deals["Team"]) == {"Alpha"} and len(deals) == 5
    at.selectbox(key="funnel_source").set_value("expo").run()
    deals = frame(at, "Deal", "Outcome here")
    assert set(deals["Deal"]) == {"a1 won deal", "a2 won deal"}


def test_a_rep_sees_only_own_deals_and_cannot_open_anothers_by_link(login):
    at = click_stage(open_funnel(login, "a1"), "initial_contact")
    deals = frame(at, "Deal", "Outcome here")
    assert set(deals["Owner"]) == {"Amy A1"} and len(deals) == 2
    assert not [w for w in at.selectbox if w.key in ("funnel_rep", "funnel_team", "funnel_region")]
    at.query_params["opp"] = "3"  # a2's open deal (two deals per rep, a1's first)
    at.run()
    assert not at.exception
    assert "No such deal in your view" in texts(at)
    assert "a2 deal" not in texts(at)


@pytest.mark.parametrize("params, message", [
    ({"stage": "nowhere"}, "That link names no funnel stage"),
    ({"opp": "abc"}, "No such deal in your view"),
    ({"opp": "99999999999999999999"}, "No such deal in your view"),
])
def test_bad_links_get_a_message(login, params, message):
    at = login("dora")
    at.switch_page("pages/funnel.py")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert message in texts(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_funnel_page_is_fully_translated(login, lang):
    at = click_stage(open_funnel(login, "ada", lang), "initial_contact")
    at.selectbox(key="funnel_open_deal").set_value(1).run()
    assert not at.exception
    shown = texts(at) + "\n".join(str(c) for el in at.dataframe for c in [*el.value.columns])
    shown += "\n".join(m.label for m in at.metric)
    assert not re.findall(r"\b(?:funnel|col|nav|filter|setting|common)\.[a-z_.]+", shown)
    if lang == "zh":
        assert "销售漏斗" in texts(at) and "初步接触" in "\n".join(map(str, frame(at, "阶段", "转化率（%）")["阶段"]))
