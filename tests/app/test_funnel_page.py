"""The funnel page through AppTest: figures per role and scope, the click on a stage, the drill-down
that keeps the filters, a deal's timeline, bad links; moving a deal (evidence forward, a reason back
or to lost, the conflict when someone else moved it first), the scoped CSV / Excel downloads, the
conversion drop diagnosis and the cockpit's stalled-deal list.

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

import io
import re
import sqlite3
from contextlib import closing
from datetime import timedelta

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from core.funnel import deals as core_deals
from core.base.db import make_engine, read_session, write_tx
from core.base.models import Customer, Opportunity, Region, StageHistory, Team, User
from core.base.scope import scope_for
from core.base.users import hash_password
from tests.app.conftest import PASSWORD, frame, logged_in, new_database, texts
from tests.factories import NOW, Org, add_rep_records, add_user, make_org
from tests.funnel_samples import drop_dataset

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
    url, engine = new_database(tmp_path_factory.mktemp('funneldb'))
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


# ---- moving a deal, with evidence (SPEC §4) -------------------------------------------------------


@pytest.fixture
def own_db(app_db, tmp_path, monkeypatch):
    """A copy of this module's database for a test that writes; ``own_db.login(user)`` as ``login``."""
    path = tmp_path / "own.db"
    with closing(sqlite3.connect(app_db.removeprefix("sqlite:///"))) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COCKPIT_NOW", NOW.isoformat())
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "t" * 48)
    st.cache_data.clear()
    st.cache_resource.clear()

    class Own:
        engine = make_engine(url)

        def login(self, username: str, lang: str = "en") -> AppTest:
            at = logged_in(username, lang)
            assert not at.exception, [e.message for e in at.exception]
            return at

        def opp(self, name: str) -> Opportunity:
            with read_session(self.engine) as s:
                return s.scalars(select(Opportunity).where(Opportunity.name == name)).one()

        def stages(self, name: str) -> list[tuple]:
            with read_session(self.engine) as s:
                return s.execute(select(StageHistory.stage, StageHistory.evidence, StageHistory.note)
                                 .where(StageHistory.opportunity_id == self.opp(name).id)
                                 .order_by(StageHistory.entered_at)).all()

    own = Own()
    yield own
    own.engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def open_deal(own, username: str, name: str, lang: str = "en") -> AppTest:
    at = own.login(username, lang)
    at.switch_page("pages/funnel.py")
    at.query_params["opp"] = str(own.opp(name).id)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_director_moves_a_deal_forward_only_with_its_evidence(own_db):
    opp = own_db.opp("a1 deal")  # in proposal for 6 days
    at = open_deal(own_db, "dora", "a1 deal")
    ok(at.selectbox(key=f"move_to_{opp.id}_1").set_value("negotiation").run())
    box = at.text_input(key=f"move_evidence_{opp.id}_1")
    assert box.label == "Evidence: the quote — document no. or file name"
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())  # no evidence
    assert "Moving forward needs the new stage's evidence" in texts(at)
    assert own_db.opp("a1 deal").stage == "proposal" and len(own_db.stages("a1 deal")) == 2  # nothing saved
    at.text_input(key=f"move_evidence_{opp.id}_1").input("报价单 Q-2026-118")
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())
    assert "Moved “a1 deal” to “Negotiation”." in texts(at)
    assert "Moving forward needs" not in texts(at)
    saved = own_db.opp("a1 deal")
    assert (saved.stage, saved.stage_entered_at, saved.version) == ("negotiation", NOW, 2)
    assert own_db.stages("a1 deal")[-1] == ("negotiation", "报价单 Q-2026-118", "")
    events = frame(at, "When", "What")  # the timeline shows the move, with its evidence and who
    last = events[events["What"] == "Stage move"].iloc[-1]
    assert (last["Stage"], last["Evidence / note"], last["By"]) == ("Negotiation", "报价单 Q-2026-118", "Dora Director")
    assert "Timeline: a1 deal" in texts(at) and "Negotiation, 0.0 days in stage" in texts(at)
    # a fresh form for the deal's new version: nothing chosen, negotiation no longer offered
    fresh = at.selectbox(key=f"move_to_{opp.id}_2")
    assert fresh.value is None and "negotiation" not in fresh.options and "Back to “Proposal submitted”" in fresh.options


def test_moving_back_or_to_lost_asks_for_a_reason_in_chinese(own_db):
    opp = own_db.opp("a2 deal")
    at = open_deal(own_db, "lena", "a2 deal", lang="zh")
    ok(at.selectbox(key=f"move_to_{opp.id}_1").set_value("lost").run())
    assert at.text_input(key=f"move_reason_{opp.id}_1").label == "原因（必填）"
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())
    assert "退回阶段或输单须填写原因。" in texts(at)
    at.text_input(key=f"move_reason_{opp.id}_1").input("选择了竞品")
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())
    assert "已将“a2 deal”变更为“输单”。" in texts(at)
    saved = own_db.opp("a2 deal")
    assert (saved.status, saved.lost_reason) == ("lost", "选择了竞品")
    assert "该商机已关闭（输单），不能再变更阶段。" in texts(at)  # closed now: no form
    assert not [w for w in at.selectbox if str(w.key).startswith(f"move_to_{opp.id}_")]


@pytest.mark.parametrize("lena_moves", [("contract_signed", "HT-7 signed", ""), ("lost", "", "budget cut")])
def test_a_move_on_a_deal_someone_else_just_moved_is_refused_with_a_clear_message(own_db, lena_moves):
    opp = own_db.opp("a1 deal")
    at = open_deal(own_db, "a1", "a1 deal")
    ok(at.selectbox(key=f"move_to_{opp.id}_1").set_value("negotiation").run())
    at.text_input(key=f"move_evidence_{opp.id}_1").input("quote Q-1")
    with write_tx(own_db.engine) as s:  # meanwhile lena moves it (a1's screen still shows version 1)
        lena = s.scalars(select(User).where(User.username == "lena")).one()
        core_deals.move_stage(s, scope_for(s, lena), opp.id, *lena_moves, 1, NOW)
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())
    assert "Lena Lead changed this deal at 2026-11-23 12:00. Nothing was saved" in texts(at)
    assert [r[0] for r in own_db.stages("a1 deal")] == ["initial_contact", "proposal", lena_moves[0]]
    assert own_db.opp("a1 deal").version == 2


def test_a_fields_message_belongs_to_the_target_it_was_for_and_a_conflict_is_said_once(own_db):
    opp = own_db.opp("a1 deal")
    at = open_deal(own_db, "dora", "a1 deal")
    to = f"move_to_{opp.id}_1"
    ok(at.selectbox(key=to).set_value("negotiation").run())
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())  # no evidence
    needs = "Moving forward needs the new stage's evidence"
    assert needs in texts(at)
    ok(at.selectbox(key=to).set_value("lost").run())  # another target: not its message
    assert needs not in texts(at) and at.text_input(key=f"move_reason_{opp.id}_1").label == "Reason (required)"
    ok(at.selectbox(key=to).set_value("negotiation").run())  # back to the target it was for
    assert needs in texts(at)
    ok(at.selectbox(key=to).set_value("contract_signed").run())  # forward too, but not the same target
    assert needs not in texts(at)
    with write_tx(own_db.engine) as s:  # meanwhile lena moves it
        lena = s.scalars(select(User).where(User.username == "lena")).one()
        core_deals.move_stage(s, scope_for(s, lena), opp.id, "lost", "", "budget cut", 1, NOW)
    at.text_input(key=f"move_evidence_{opp.id}_1").input("HT-9 signed")
    ok(at.button(key=f"move_button_{opp.id}_1").click().run())
    conflict = "Lena Lead changed this deal at 2026-11-23 12:00. Nothing was saved"
    assert conflict in texts(at)
    assert "This deal is closed (Lost); its stage can no longer be changed." in texts(at)
    ok(at.run())
    assert conflict not in texts(at)  # said once
    assert own_db.opp("a1 deal").lost_reason == "budget cut"


def test_who_sees_the_move_form(own_db):
    # a rep moves own deals; the lead of another team cannot even open this one
    at = open_deal(own_db, "a1", "a1 deal")
    assert [w for w in at.selectbox if w.key == f"move_to_{own_db.opp('a1 deal').id}_1"]
    at = open_deal(own_db, "leo", "a1 deal")
    assert "No such deal in your view" in texts(at)
    assert not [w for w in at.selectbox if str(w.key).startswith("move_to_")]
    at = open_deal(own_db, "dora", "a1 won deal")  # closed: a note, no form
    assert "This deal is closed (Won); its stage can no longer be changed." in texts(at)


# ---- downloads, the diagnosis and the cockpit's stalled list --------------------------------------

@pytest.fixture
def downloads(monkeypatch):
    """file name → bytes of every download button a run draws."""
    got: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            got[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return got


def test_the_deal_table_downloads_as_csv_and_excel_limited_to_the_callers_scope(login, downloads):
    at = click_stage(open_funnel(login, "lena"), "initial_contact")
    csv = downloads["funnel-initial_contact-deals.csv"].decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(csv))
    assert set(table["Team"]) == {"Alpha"} and len(table) == 5
    assert set(table["Owner"]) == {"Amy A1", "Ann A2"}
    xlsx = pd.read_excel(io.BytesIO(downloads["funnel-initial_contact-deals.xlsx"]), engine="openpyxl")
    assert list(xlsx["Deal"]) == list(table["Deal"])
    for name in ("stalled-deals.csv", "stalled-deals.xlsx", "win-rates-by-region-2026-10-25-2026-11-23.csv"):
        assert name in downloads
    assert any(n.startswith("funnel-stages-") for n in downloads)
    assert not [w for w in at.get("download_button") if w.label not in ("Download CSV", "Download Excel")]


def test_without_a_drop_the_page_says_so_in_one_line(login):
    at = open_funnel(login, "dora")
    assert "No stage's weekly conversion fell more than 15 points below its 4-week level." in texts(at)


def test_a_director_sees_the_drop_diagnosis_and_a_rep_does_not(own_db):
    with write_tx(own_db.engine) as s:
        users = {u.username: u for u in s.scalars(select(User))}
        teams = {t.name: t for t in s.scalars(select(Team))}
        regions = {r.name: r for r in s.scalars(select(Region))}
        org = Org(regions["North"], regions["South"], teams["Alpha"], teams["Beta"], users["dora"], users["lena"],
                  users["leo"], users["a1"], users["a2"], users["b1"], users["b2"])
        drop_dataset(s, org)
    at = own_db.login("dora")
    ok(at.switch_page("pages/funnel.py").run())
    shown = texts(at)
    assert "Conversion drop: Proposal submitted → Negotiation" in shown
    assert "“Proposal submitted → Negotiation” conversion fell to 38% in the week 11-16 – 11-22" in shown
    assert "By product, most of it comes from ct (100%)." in shown
    # one table per dimension (a tab each), the best-explaining first: product
    tabs = [el.value for el in at.dataframe if "Explains (% of the drop)" in el.value.columns]
    assert len(tabs) == 5
    assert list(tabs[0]["Segment"]) == ["ct", "us"] and list(tabs[0]["Explains (% of the drop)"]) == [100.0, 0.0]
    assert [t.label for t in at.tabs] == ["By product", "By customer type", "By team", "By lead source", "By rep"]
    at = own_db.login("a1")
    ok(at.switch_page("pages/funnel.py").run())
    assert "Conversion drop" not in texts(at)


def test_the_cockpit_lists_stalled_deals_compactly_with_a_link_to_the_funnel(login):
    at = login("dora")  # the cockpit is the director's first page
    [panel] = [e for e in at.expander if e.label.startswith("Stalled deals")]
    assert panel.label == "Stalled deals: 1" and not panel.proto.expanded
    stalled = frame(at, "Deal", "Days over")
    assert list(stalled["Deal"]) == ["a2 stuck deal"] and stalled["Days over"].iloc[0] == pytest.approx(4.0)
    at = login("a1", "zh")
    assert [e.label for e in at.expander if e.label.startswith("停滞商机")] == ["停滞商机：0 个"]
