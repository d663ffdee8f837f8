"""The targets page's plan, weights and confirmations (SPEC §8) for the director,
a lead and a rep, on a database of its own: tests.factories.make_org with add_rep_records for every rep
(the year's accepted plan, 120,000 a month per rep; every rep's November target 200,000, confirmed) —
except that a2 has not confirmed. Clock: NOW, 23 November 2026."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from core.base.db import read_session, write_tx
from core.base.models import (
    AuditLog, Region, Target, TargetConfirmation, TargetPlanRow, TargetPlanVersion, TargetWeight, User,
)
from tests.app.conftest import app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_rep_records, make_org

PAGE = "pages/targets.py"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        s.execute(delete(TargetConfirmation).where(TargetConfirmation.owner_id == org.a2.id))
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def uid(engine, username):
    with read_session(engine) as s:
        return s.scalar(select(User.id).where(User.username == username))


def test_the_director_proposes_edits_and_accepts_a_quarter_plan(page_db, open_page):
    at = open_page("dora")
    assert frame(at, "Version", "Kind", "Status")["Status"].tolist() == ["accepted"]  # the year's plan
    at.selectbox(key="plan_period").set_value("2026-Q4").run()
    assert "No plan for this period yet." in texts(at)
    with read_session(page_db) as s:
        north, south = (s.scalar(select(Region.id).where(Region.name == n)) for n in ("North", "South"))
    at.number_input(key=f"plan_region_2026-Q4_{north}").set_value(600_000)
    at.number_input(key=f"plan_region_2026-Q4_{south}").set_value(300_001)
    at.button(key="FormSubmitter:plan_propose_form_2026-Q4-Propose the allocation").click().run()
    assert not at.exception and "Proposal made" in texts(at)
    regions = [el.value for el in at.dataframe if "Region" in el.value.columns and "Rep" not in el.value.columns]
    assert dict(zip(regions[0]["Region"], regions[0]["Total (¥)"])) == {"North": 600_000, "South": 300_001}
    with read_session(page_db) as s:
        vid = s.scalar(select(TargetPlanVersion.id).where(TargetPlanVersion.period == "2026-Q4"))
    # the editor lists reps by region, team, name: North/Alpha Amy A1, Ann A2; South/Beta Ben B2, Bob B1
    at.session_state[f"plan_editor_{vid}"] = {"edited_rows": {1: {"2026-12": 123_456}}, "added_rows": [],
                                              "deleted_rows": []}
    at.run()
    at.button(key="plan_accept").click().run()
    assert not at.exception and "Accepted: the reps' monthly targets are updated." in texts(at)
    a2 = uid(page_db, "a2")
    with read_session(page_db) as s:
        statuses = dict(s.execute(select(TargetPlanVersion.number, TargetPlanVersion.status)
                                  .where(TargetPlanVersion.period == "2026-Q4")).all())
        dec = float(s.scalar(select(Target.signed_amount).where(Target.owner_id == a2, Target.month == "2026-12")))
        total = s.scalar(select(func.sum(TargetPlanRow.amount)).join(TargetPlanVersion).where(
            TargetPlanVersion.period == "2026-Q4", TargetPlanVersion.status == "accepted"))
    assert statuses == {1: "edited", 2: "accepted"} and dec == 123_456
    assert float(total) == 900_001 - 100_000 + 123_456  # a2's December was 100,000 (300,000 over 3 months)


def test_the_director_edits_a_weight(page_db, open_page):
    at = open_page("dora")
    weights = frame(at, "Customer type")
    row = weights["Customer type"].tolist().index("三甲医院")
    assert weights.loc[row, "CT设备"] == 1.8
    at.session_state["weights_editor"] = {"edited_rows": {row: {"CT设备": 2.5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="weights_save").click().run()
    assert not at.exception and "Weights saved: 1 changed." in texts(at)
    with read_session(page_db) as s:
        assert float(s.scalar(select(TargetWeight.weight).where(TargetWeight.customer_type == "三甲医院"))) == 2.5
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "target_weight")) == 1


def test_the_lead_sees_who_has_not_confirmed_and_cannot_plan(page_db, open_page):
    at = open_page("lena")
    shown = texts(at)
    assert "1 of 2 reps confirmed their target." in shown
    assert frame(at, "Confirmation")["Rep"].tolist() == ["Ann A2"]
    assert frame(at, "Confirmation")["Confirmation"].tolist() == ["not confirmed"]
    labels = [b.label for b in at.button]
    assert "Propose the allocation" not in labels and "Save the weights" not in labels and "Accept" not in labels
    assert frame(at, "Existing customers (¥)")["Rep"].tolist() == ["Amy A1", "Ann A2"]  # own team only
    by_rep = frame(at, "Rep", "2026-01")
    assert by_rep["Rep"].tolist() == ["Amy A1", "Ann A2"] and by_rep["Total (¥)"].tolist() == [1_320_000] * 2


def test_a_rep_confirms_the_months_target(page_db, open_page):
    at = open_page("a2")
    assert "Signed amount target" not in texts(at)
    at.button(key="target_confirm").click().run()
    assert not at.exception and "Target confirmed." in texts(at)
    assert "You confirmed it on 2026-11-23 12:00." in texts(at)
    a2 = uid(page_db, "a2")
    with read_session(page_db) as s:
        row = s.scalar(select(TargetConfirmation).where(TargetConfirmation.owner_id == a2))
    assert (row.month, float(row.amount), row.confirmed_at) == ("2026-11", 200_000, NOW)
    # the rep sees only their own plan row, where it comes from in a sentence, and no team figures
    assert frame(at, "Rep", "2026-01")["Rep"].tolist() == ["Ann A2"]
    assert "Your target of Year 2026: ¥1,320,000" in texts(at)
    assert "Team targets" not in texts(at) and "By team" not in texts(at)
    assert "Confirm my target" not in [b.label for b in at.button]


@pytest.mark.parametrize("username", ["dora", "lena", "a1"])
def test_the_plan_is_fully_translated(page_db, open_page, username):
    at = open_page(username, lang="zh")
    shown = texts(at) + "\n".join(b.label for b in at.button) + "\n".join(
        str(c) for el in at.dataframe for c in el.value.columns)
    assert "plan." not in shown and "targets." not in shown
    assert "版本记录" in shown
    assert ("您 2026 年 的目标" in shown) if username == "a1" else ("每位销售目标的来源" in shown)
