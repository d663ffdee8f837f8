"""Stage moves with evidence (SPEC §4): forward asks for the stage's evidence, back or lost for a
reason; the stage history records who and when; only the owner, their lead, a director or an admin
may move (the access table's "deal.move_stage", then the deal's owner and team); a move made on an
old version is a conflict — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.base import access
from core.funnel import deals
from core.funnel import stages as funnel
from core.base.db import read_session, write_tx
from core.funnel.deals import InvalidMove, MoveConflict
from core.funnel.stages import FunnelFilters
from core.base.models import AuditLog, Opportunity, StageHistory
from core.base.scope import Scope
from tests.factories import NOW, add_user, make_org, scope_of
from tests.funnel_samples import D, add_deal

H = timedelta(hours=1)


@pytest.fixture
def deal(engine):
    """a1's deal: initial contact 10 days ago → proposal 3 days ago (open)."""
    with write_tx(engine) as s:
        org = make_org(s)
        fay = add_user(s, "fay", "Fay Finance", "finance")
        ada = add_user(s, "ada", "Ada Admin", "admin")
        opp = add_deal(s, org.a1, "Deal", [("initial_contact", NOW - 10 * D), ("proposal", NOW - 3 * D)])
    return engine, org, opp.id, fay, ada


def move(engine, user, opp_id, to, evidence="", reason="", version=1, now=NOW):
    with write_tx(engine) as s:
        return deals.move_stage(s, scope_of(engine, user), opp_id, to, evidence, reason, version, now)


def history(engine, opp_id):
    with read_session(engine) as s:
        return s.execute(select(StageHistory.stage, StageHistory.entered_at, StageHistory.left_at,
                                StageHistory.by_user_id, StageHistory.evidence, StageHistory.note)
                         .where(StageHistory.opportunity_id == opp_id).order_by(StageHistory.entered_at)).all()


def opp_row(engine, opp_id):
    with read_session(engine) as s:
        return s.get(Opportunity, opp_id)


def count(engine, model):
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


# ---- forward, with evidence ----------------------------------------------------------------------

def test_moving_forward_records_the_evidence_with_who_and_when(deal):
    engine, org, opp_id, *_ = deal
    result = move(engine, org.a1, opp_id, "negotiation", evidence="  报价单 Q-2026-118  ")
    assert (result.from_stage, result.to_stage, result.kind, result.status, result.version) == (
        "proposal", "negotiation", "forward", "open", 2)
    rows = history(engine, opp_id)
    assert [(r.stage, r.left_at) for r in rows] == [
        ("initial_contact", NOW - 3 * D), ("proposal", NOW), ("negotiation", None)]
    new = rows[-1]
    assert (new.entered_at, new.by_user_id, new.evidence, new.note) == (NOW, org.a1.id, "报价单 Q-2026-118", "")
    opp = opp_row(engine, opp_id)
    assert (opp.stage, opp.status, opp.stage_entered_at, opp.version, opp.closed_at) == (
        "negotiation", "open", NOW, 2, None)
    with read_session(engine) as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "opportunity")).one()
    assert (audit.action, audit.user_id, audit.entity_id) == ("move_stage", org.a1.id, str(opp_id))
    assert audit.detail == {"from": "proposal", "to": "negotiation", "evidence": "报价单 Q-2026-118",
                            "reason": "", "version": 2}


@pytest.mark.parametrize("evidence", ["", "   ", None, "x"])
def test_moving_forward_without_the_evidence_is_refused_and_writes_nothing(deal, evidence):
    engine, org, opp_id, *_ = deal
    before = history(engine, opp_id)
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, "negotiation", evidence=evidence)
    assert err.value.field == "evidence"
    assert history(engine, opp_id) == before
    assert opp_row(engine, opp_id).version == 1 and count(engine, AuditLog) == 0
    assert "evidence" in err.value.message("en") and "依据" in err.value.message("zh")


def test_skipping_a_stage_asks_for_the_evidence_of_the_stage_moved_into(deal):
    engine, org, opp_id, *_ = deal
    assert dict((to, ev) for to, _, ev in deals.targets("proposal"))["contract_signed"] == "signed_contract"
    move(engine, org.lead_alpha, opp_id, "contract_signed", evidence="HT-2026-031 已签合同.pdf")
    rows = history(engine, opp_id)
    assert [r.stage for r in rows] == ["initial_contact", "proposal", "contract_signed"]
    assert rows[-1].by_user_id == org.lead_alpha.id


def test_winning_needs_the_contract_or_payment_proof_and_closes_the_deal(deal):
    engine, org, opp_id, *_ = deal
    with pytest.raises(InvalidMove):
        move(engine, org.a1, opp_id, "won")
    move(engine, org.a1, opp_id, "won", evidence="回款凭证 2026-11-23")
    opp = opp_row(engine, opp_id)
    assert (opp.status, opp.closed_at, opp.stage) == ("won", NOW, "proposal")
    rows = history(engine, opp_id)
    assert (rows[-1].stage, rows[-1].left_at, rows[-2].left_at) == ("won", None, NOW)
    with read_session(engine) as s:  # the funnel counts it: won, and proposal moved on
        f = funnel.funnel(Scope(0, "admin", None), s, FunnelFilters.last_days(NOW.date(), 30), NOW)
    assert f.won == 1 and f.stage("proposal").moved_on == 1


# ---- back or lost, with a reason -----------------------------------------------------------------

def test_moving_back_needs_a_reason(deal):
    engine, org, opp_id, *_ = deal
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, "needs_confirmed", evidence="some document")
    assert err.value.field == "reason"
    result = move(engine, org.a1, opp_id, "needs_confirmed", reason="客户需求有变，重新确认")
    assert result.kind == "back"
    rows = history(engine, opp_id)
    assert (rows[-1].stage, rows[-1].note, rows[-1].evidence) == ("needs_confirmed", "客户需求有变，重新确认", "")
    assert opp_row(engine, opp_id).stage == "needs_confirmed"


def test_losing_a_deal_needs_a_reason_and_keeps_it_as_the_lost_reason(deal):
    engine, org, opp_id, *_ = deal
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, "lost", reason=" ")
    assert err.value.field == "reason" and opp_row(engine, opp_id).status == "open"
    move(engine, org.a1, opp_id, "lost", reason="选择了竞品")
    opp = opp_row(engine, opp_id)
    assert (opp.status, opp.closed_at, opp.lost_reason) == ("lost", NOW, "选择了竞品")
    assert history(engine, opp_id)[-1].stage == "lost"
    # closed: no further moves
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, "negotiation", evidence="quote 1", version=2)
    assert err.value.field == "to_stage"


@pytest.mark.parametrize("to, field", [("proposal", "to_stage"), ("nowhere", "to_stage"), ("", "to_stage")])
def test_a_move_to_the_same_or_no_stage_is_refused(deal, to, field):
    engine, org, opp_id, *_ = deal
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, to, evidence="x" * 5, reason="r")
    assert err.value.field == field


def test_too_long_evidence_or_reason_is_refused(deal):
    engine, org, opp_id, *_ = deal
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, "negotiation", evidence="x" * 301)
    assert err.value.field == "evidence" and "300" in err.value.message("en")
    with pytest.raises(InvalidMove) as err:
        move(engine, org.a1, opp_id, "lost", reason="x" * 201)
    assert err.value.field == "reason"


def test_a_move_before_the_current_stage_began_is_refused(deal):
    engine, org, opp_id, *_ = deal
    with pytest.raises(InvalidMove):
        move(engine, org.a1, opp_id, "negotiation", evidence="quote", now=NOW - 4 * D)


# ---- who may move ------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["a1", "lead_alpha", "director", "ada"])
def test_the_owner_their_lead_the_director_and_an_admin_may_move(deal, who):
    engine, org, opp_id, fay, ada = deal
    user = ada if who == "ada" else getattr(org, who)
    assert move(engine, user, opp_id, "negotiation", evidence="quote Q1").version == 2


@pytest.mark.parametrize("who", ["a2", "b1", "lead_beta"])
def test_others_may_not_move_and_learn_nothing_about_deals_they_cannot_see(deal, who):
    engine, org, opp_id, fay, ada = deal
    with pytest.raises(InvalidMove) as err:
        move(engine, getattr(org, who), opp_id, "negotiation", evidence="quote Q1")
    assert err.value.msg_key == "deals.err.no_deal"
    assert opp_row(engine, opp_id).version == 1 and len(history(engine, opp_id)) == 2


def test_a_role_the_access_table_does_not_list_may_not_move_any_deal(deal):
    """Finance sees every team's deals but moves none: the table ("deal.move_stage") refuses it
    before anything is read or written."""
    engine, org, opp_id, fay, ada = deal
    with pytest.raises(access.Forbidden) as err:
        move(engine, fay, opp_id, "negotiation", evidence="quote Q1")
    assert err.value.what == "deal.move_stage"
    assert opp_row(engine, opp_id).version == 1 and len(history(engine, opp_id)) == 2


@pytest.mark.parametrize("who, may", [("a1", True), ("a2", False), ("lead_alpha", True), ("lead_beta", False),
                                      ("director", True), ("ada", True), ("fay", False)])
def test_may_move_answers_the_form_the_way_the_write_decides(deal, who, may):
    engine, org, opp_id, fay, ada = deal
    user = {"fay": fay, "ada": ada}.get(who) or getattr(org, who)
    opp = opp_row(engine, opp_id)
    assert deals.may_move(scope_of(engine, user), opp.owner_id, opp.team_id) is may
    assert deals.may_move(scope_of(engine, org.lead_alpha), opp.owner_id, None) is False  # no team: not a lead's


def test_an_unknown_deal_gets_the_same_answer_as_anothers(deal):
    engine, org, *_ = deal
    for bad in (99999, "1", None, True):
        with pytest.raises(InvalidMove) as err:
            move(engine, org.a1, bad, "negotiation", evidence="quote Q1")
        assert err.value.msg_key == "deals.err.no_deal"


# ---- two people, one deal ------------------------------------------------------------------------

def test_a_move_made_on_an_old_version_is_a_conflict_naming_who_moved_it(deal):
    engine, org, opp_id, *_ = deal
    # lena and a1 both opened the deal at version 1; lena moves first
    move(engine, org.lead_alpha, opp_id, "negotiation", evidence="quote Q7", now=NOW - H)
    with pytest.raises(MoveConflict) as err:
        move(engine, org.a1, opp_id, "lost", reason="budget", version=1)
    assert err.value.message("en").startswith("Lena Lead changed this deal at 2026-11-23 11:00.")
    assert "Lena Lead" in err.value.message("zh")
    opp = opp_row(engine, opp_id)
    assert (opp.status, opp.stage, opp.version) == ("open", "negotiation", 2)
    assert [r.stage for r in history(engine, opp_id)] == ["initial_contact", "proposal", "negotiation"]
    # with the version now on screen, a1's move goes through
    assert move(engine, org.a1, opp_id, "lost", reason="budget", version=2).status == "lost"


@pytest.mark.parametrize("version", [0, 3, "1", None])
def test_a_wrong_or_missing_version_is_a_conflict(deal, version):
    engine, org, opp_id, *_ = deal
    with pytest.raises(MoveConflict):
        move(engine, org.a1, opp_id, "negotiation", evidence="quote Q1", version=version)


# ---- what the form offers ---------------------------------------------------------------------------

def test_targets_say_the_direction_and_the_evidence_needed():
    got = {to: (kind, ev) for to, kind, ev in deals.targets("needs_confirmed")}
    assert got == {"initial_contact": ("back", None), "proposal": ("forward", "proposal"),
                   "negotiation": ("forward", "quote"), "contract_signed": ("forward", "signed_contract"),
                   "won": ("forward", "contract_or_payment"), "lost": ("lost", None)}
