"""AppTest of the lead desk's pages: the lead pool (a rep claims; leads and directors see its size
and age), the lead board (counts, stuck leads, quick check, reassignment) and the admin's routing
rules — per role, with figures, field messages and role gating.

Each test gets a database of its own (these pages write): the AppTest organisation (team Alpha:
lead lena, reps a1, a2; team Beta: lead leo, reps b1, b2; director dora; admin ada), every rep with
tests.factories.add_rep_records — which puts one lead of each rep into its team's pool three days
ago ("a1 pooled" …) — plus a lead of the company pool and one of Alpha's pool pooled today.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.base.db import read_session, write_tx
from core.base.models import Lead, LeadAssignment, RoutingRule, Team, TeamPoolRule, User
from tests.app.conftest import HOME, app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_rep_records, add_user, make_org

pytestmark = pytest.mark.app


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        s.add_all([
            Lead(company="Company Pool Co", source_channel="expo", grade="A", status="new", team_id=None,
                 created_at=NOW - _h(5), pooled_at=NOW - _h(5), pool_reason="unrouted"),
            Lead(company="Fresh Pool Co", source_channel="website", grade="B", status="new", team_id=org.alpha.id,
                 created_at=NOW - _h(30), pooled_at=NOW - _h(2), pool_reason="team_full", phone="13912345678"),
        ])
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def _h(hours: int):
    from datetime import timedelta

    return timedelta(hours=hours)


def lead_id(engine, company: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(Lead.id).where(Lead.company == company))


def downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


# ---- the pool: a rep --------------------------------------------------------------------------------

def test_a_rep_sees_what_they_may_claim_and_claims_a_lead(open_page, page_db):
    at = open_page("a1", "pages/lead_pool.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Leads you may claim": "4", "Claimed today": "0 / 5", "Claims left today": "5"}
    table = frame(at, "Company", "Pool", "Why in the pool")
    assert sorted(table["Company"]) == ["Company Pool Co", "Fresh Pool Co", "a1 pooled", "a2 pooled"]
    assert "Phone" not in table.columns and "13912345678" not in table.to_string()
    cooldown = table.set_index("Company")["You may re-claim from"]
    assert cooldown["a1 pooled"] == "2026-11-27 12:00" and cooldown["a2 pooled"] == ""
    options = at.selectbox(key="claim_pick").options
    assert not any("a1 pooled" in o for o in options)  # in a1's cooldown: not offered
    fresh = lead_id(page_db, "Fresh Pool Co")
    at.selectbox(key="claim_pick").set_value(fresh)
    at.button(key="FormSubmitter:claim_form-Claim").click().run()
    assert not at.exception
    assert "“Fresh Pool Co” is yours now: contact it today." in texts(at)
    assert {m.label: m.value for m in at.metric}["Claimed today"] == "1 / 5"
    with read_session(page_db) as s:
        lead = s.get(Lead, fresh)
        assert lead.owner_id == s.scalar(select(User.id).where(User.username == "a1")) and lead.pooled_at is None
    assert downloads(at)[:2] == ["Download CSV", "Download Excel"]


def test_a_claim_without_a_choice_or_over_the_cap_is_refused_with_a_message(open_page, page_db):
    at = open_page("a1", "pages/lead_pool.py")
    at.button(key="FormSubmitter:claim_form-Claim").click().run()
    assert "Choose a lead to claim." in [e.value for e in at.error]
    with write_tx(page_db) as s:
        alpha = s.scalar(select(Team.id).where(Team.name == "Alpha"))
        s.add(TeamPoolRule(team_id=alpha, claim_cap_per_day=1, updated_at=NOW))
        a1 = s.scalar(select(User.id).where(User.username == "a1"))
        s.add(LeadAssignment(lead_id=lead_id(page_db, "a2 pooled"), to_user_id=a1, team_id=alpha, reason="claimed",
                             at=NOW - _h(1)))
    at.run()
    assert {m.label: m.value for m in at.metric}["Claims left today"] == "0"
    assert "You have claimed 1 leads today, the daily limit. Try again tomorrow." in [w.value for w in at.warning]
    assert at.button(key="FormSubmitter:claim_form-Claim").disabled


def test_a_rep_sees_their_leads_about_to_return(open_page, page_db):
    with write_tx(page_db) as s:
        for lead in s.scalars(select(Lead).where(Lead.company == "a1 missed")):
            lead.assigned_at = NOW - _h(24 * 6)  # created three days ago, but given to a1 six days ago: 1 day left
    at = open_page("a1", "pages/lead_pool.py")
    table = frame(at, "Days left", "Rule")
    assert table[["Company", "Days left", "Rule"]].values.tolist() == [["a1 missed", 1, "No follow-up"]]


# ---- the pool: leads and directors ------------------------------------------------------------------

def test_a_lead_sees_the_size_and_age_of_their_team_pool_only(open_page):
    at = open_page("lena", "pages/lead_pool.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Leads in the pool"] == "3" and metrics["Returned / claimed, 7 days"] == "2 / 0"
    summary = frame(at, "Team", "Leads", "Mean days")
    assert summary["Team"].tolist() == ["Alpha"] and summary["Leads"].tolist() == [3]
    leads = frame(at, "Company", "Last owner")
    assert sorted(leads["Company"]) == ["Fresh Pool Co", "a1 pooled", "a2 pooled"]
    assert leads.set_index("Company").loc["a2 pooled", "Last owner"] == "Ann A2"
    moves = frame(at, "What happened", "From")
    assert sorted(moves["From"]) == ["Amy A1", "Ann A2"] and set(moves["What happened"]) == {"Returned to the pool"}
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_the_pools_returns_and_claims_cover_the_days_of_their_setting(open_page, page_db):
    from core.base.rules import save_settings
    from core.base.scope import COMPANY

    with write_tx(page_db) as s:
        save_settings(s, COMPANY, {"assignment_log_days": 2}, NOW)  # the returns were three days ago
    at = open_page("lena", "pages/lead_pool.py")
    assert {m.label: m.value for m in at.metric}["Returned / claimed, 2 days"] == "0 / 0"
    summary = frame(at, "Team", "Returned (2 days)", "Claimed (2 days)")
    assert summary["Returned (2 days)"].tolist() == [0]
    assert "Returns and claims, last 2 days" in texts(at)
    assert not [el for el in at.dataframe if "What happened" in el.value.columns]  # no return, no claim in 2 days
    assert "Nothing to show for this selection." in texts(at)
    board = open_page("lena", "pages/lead_board.py")
    assert "Routing and reassignments, last 2 days" in texts(board)
    assert sorted(frame(board, "What happened", "To")["To"]) == ["Amy A1", "Ann A2"]  # routed two hours ago


def beta_id(engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(Team.id).where(Team.name == "Beta"))


def test_the_director_sees_every_pool_in_chinese(open_page, page_db):
    at = open_page("dora", "pages/lead_pool.py", lang="zh")
    assert at.title[0].value == "线索公海"
    summary = frame(at, "团队", "线索数", "平均天数")
    assert summary.set_index("团队")["线索数"].to_dict() == {"Alpha": 3, "Beta": 2, "公司公海": 1}
    at.selectbox(key="pool_team").set_value(beta_id(page_db)).run()
    leads = frame(at, "公司", "进入公海原因")
    assert sorted(leads["公司"]) == ["b1 pooled", "b2 pooled"]


# ---- the lead board ------------------------------------------------------------------------------------

def test_the_lead_board_counts_checks_and_lists_history_for_a_lead(open_page):
    at = open_page("lena", "pages/lead_board.py")
    counts = frame(at, "Source", "Industry", "Total")
    # the last 30 days: each Alpha rep's four leads (website) and Fresh Pool Co
    assert int(counts["Total"].sum()) == 9
    check = frame(at, "Owner", "Missing")
    assert len(check) == 5
    assert "Lead health quick check" in texts(at)
    history = frame(at, "What happened", "To")
    assert sorted(history["To"]) == ["Amy A1", "Ann A2"]  # each rep's fresh lead, routed two hours ago
    assert "Stuck leads: no progress for more than 5 days (0)" in texts(at)


def test_draw_again_draws_other_leads_and_keeps_them_on_rerun(open_page):
    at = open_page("dora", "pages/lead_board.py")
    first = sorted(frame(at, "Owner", "Missing")["No."])
    at.run()
    assert sorted(frame(at, "Owner", "Missing")["No."]) == first
    at.button(key="board_draw_again").click().run()
    assert not at.exception
    assert sorted(frame(at, "Owner", "Missing")["No."]) != first


def test_a_lead_reassigns_a_stuck_lead_from_the_board(open_page, page_db):
    with write_tx(page_db) as s:
        for lead in s.scalars(select(Lead).where(Lead.company.in_(["a1 missed", "a2 missed"]))):
            lead.created_at = lead.assigned_at = NOW - _h(24 * 8)
    at = open_page("lena", "pages/lead_board.py")
    stuck = frame(at, "Days without progress")
    assert sorted(stuck["Company"]) == ["a1 missed", "a2 missed"]
    target = lead_id(page_db, "a1 missed")
    with read_session(page_db) as s:
        a2 = s.scalar(select(User.id).where(User.username == "a2"))
    at.selectbox(key="reassign_lead").set_value(target)
    at.selectbox(key="reassign_rep").set_value(a2)
    at.button(key="FormSubmitter:reassign_form-Reassign").click().run()
    assert not at.exception
    with read_session(page_db) as s:
        assert s.get(Lead, target).owner_id == a2
        assert s.scalar(select(LeadAssignment.reason).where(LeadAssignment.lead_id == target)
                        .order_by(LeadAssignment.id.desc()).limit(1)) == "manual"
    assert "#%d a1 missed now belongs to Ann A2." % target in texts(at)


def test_reps_cannot_open_the_board_or_the_routing_rules_and_leads_not_the_rules(page_db):
    def logged_in(username):
        at = AppTest.from_file(HOME, default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.run()
        return at

    rep = logged_in("a1")
    for page in ("pages/lead_board.py", "pages/admin_routing.py"):
        with pytest.raises(ValueError):
            rep.switch_page(page)
    rep.switch_page("pages/lead_pool.py").run()
    assert not rep.exception and rep.title[0].value == "线索公海"  # the default language
    lead = logged_in("lena")
    with pytest.raises(ValueError):
        lead.switch_page("pages/admin_routing.py")
    # a page reached anyway (e.g. a deep link) checks the role itself
    rep.switch_page("pages/lead_board.py").run()
    assert [e.value for e in rep.error] == ["您的角色无权打开此页面。"] and not rep.dataframe


# ---- the admin's routing rules --------------------------------------------------------------------------

def test_the_admin_adds_a_rule_and_a_missing_team_is_named_at_its_field(open_page, page_db):
    at = open_page("ada", "pages/admin_routing.py")
    assert "No rules yet" in texts(at)
    at.button(key="FormSubmitter:add_rule_form-Add the rule").click().run()
    assert "Choose a team from the list." in [e.value for e in at.error]
    with read_session(page_db) as s:
        north = s.scalar(select(Team.region_id).where(Team.name == "Alpha"))
        alpha = s.scalar(select(Team.id).where(Team.name == "Alpha"))
    at.selectbox(key="new_rule_region").set_value(north)
    at.selectbox(key="new_rule_industry").set_value("manufacturing")
    at.selectbox(key="new_rule_team").set_value(alpha)
    at.button(key="FormSubmitter:add_rule_form-Add the rule").click().run()
    assert not at.exception
    assert "Rule added at the end of the list." in texts(at)
    rules = frame(at, "Order", "Customer size")
    assert rules.values.tolist() == [[1, "North", "manufacturing", "Any", "Alpha", "Yes"]]


def test_the_admin_reorders_deletes_and_sets_fallback_and_team_rules(open_page, page_db):
    with write_tx(page_db) as s:
        alpha, beta = (s.scalar(select(Team.id).where(Team.name == n)) for n in ("Alpha", "Beta"))
        retail = RoutingRule(position=2, industry="零售", size="", team_id=beta, active=True, created_at=NOW,
                             updated_at=NOW)
        s.add_all([RoutingRule(position=1, industry="医疗", size="", team_id=alpha, active=True, created_at=NOW,
                               updated_at=NOW), retail])
        s.flush()
        retail_id = retail.id
    at = open_page("ada", "pages/admin_routing.py")
    at.selectbox(key="edit_rule").set_value(retail_id).run()
    at.button(key="rule_up").click().run()
    assert frame(at, "Order", "Customer size")["Industry"].tolist() == ["零售", "医疗"]
    at.button(key="rule_delete").click().run()
    assert not at.exception
    assert frame(at, "Order", "Customer size")["Industry"].tolist() == ["医疗"]

    at.selectbox(key="fallback_team").set_value(beta)
    at.button(key="FormSubmitter:fallback_form-Save").click().run()
    at.selectbox(key="settings_team").set_value(beta).run()
    at.checkbox(key=f"ts_{beta}_auto").check()
    at.number_input(key=f"ts_{beta}_no_follow_up_days").set_value(10)
    at.button(key=f"FormSubmitter:team_settings_form_{beta}-Save").click().run()
    assert not at.exception
    with read_session(page_db) as s:
        from core.base import rules

        assert rules.get(s, "routing_fallback_team") == beta
        assert s.get(Team, beta).auto_reassign is True
        assert s.get(TeamPoolRule, beta).no_follow_up_days == 10
        assert s.scalar(select(func.count()).select_from(RoutingRule)) == 1
    table = frame(at, "Auto-reassign", "No follow-up (days)").set_index("Team")
    assert table.loc["Beta", "No follow-up (days)"] == "10 ★" and table.loc["Alpha", "No follow-up (days)"] == "7"
