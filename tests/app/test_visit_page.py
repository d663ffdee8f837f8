"""AppTest of 拜访登记 (pages/visit.py) and the step rules page (pages/admin_steps.py): a rep logs a
scenario; a missing field or a bad upload is refused at its field and nothing is saved; the saved
record is shown back with its files and the step it moved; only admins edit the rules.

Each test gets a database of its own (these pages write): the AppTest organisation (team Alpha:
lead lena, reps a1 and a2; team Beta: lead leo, reps b1, b2; director dora; admin ada), every rep with
tests.factories.add_rep_records, and for a1 a customer never contacted ("Fresh Co") and a new lead.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import streamlit as st
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from core.process import lights as cockpit
from core.base.query import Filters
from core.base.db import read_session, write_tx
from core.base.models import Activity, Attachment, AuditLog, ProcessStep, Setting, StepInstance, User
from core.base.scope import scope_for
from tests.app.conftest import new_database, texts
from tests.factories import NOW, add_customer, add_lead, add_rep_records, add_user, make_org
from tests.process_samples import EXE, JPEG, PNG, photos

pytestmark = pytest.mark.app
PAGE = "pages/visit.py"
WEEK = Filters.last_days(NOW.date(), 7)


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        engine.fresh = add_customer(s, org.a1, name="Fresh Co", created_at=NOW - timedelta(days=2)).id
        engine.lead = add_lead(s, org.a1, NOW - timedelta(hours=3), company="New Lead Co").id
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COCKPIT_NOW", NOW.isoformat())
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "t" * 48)
    monkeypatch.setenv("COCKPIT_UPLOAD_DIR", str(tmp_path / "uploads"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield engine
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def count(engine, model) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def pick(at: AppTest, scenario: str, subject: str) -> AppTest:
    at.button_group(key="visit_scenario").set_value(scenario).run()
    at.selectbox(key="visit_subject").set_value(subject).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def fill_first_visit(at: AppTest, **skip) -> AppTest:
    values = {"problem": "检查排队超过一周", "concerns": "价格、交付周期、售后响应", "next_action": "发送报价单"}
    for key, value in values.items():
        if key not in skip:
            widget = at.text_area if key == "problem" else at.text_input
            widget(key=f"visit_f_first_visit_{key}").input(value)
    if "next_action_at" not in skip:
        at.datetime_input(key="visit_f_first_visit_next_action_at").set_value(NOW + timedelta(days=2))
    return at


def submit(at: AppTest) -> AppTest:
    at.button(key="visit_submit").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def light(engine, username: str, code: str = "needs_summary") -> tuple[int, int]:
    with read_session(engine) as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return cockpit.rate(scope_for(s, user), s, code, WEEK, NOW)


def test_a_rep_logs_a_first_visit_and_sees_the_step_it_opened_and_closed(open_page, page_db):
    before = light(page_db, "dora")
    at = pick(open_page("a1"), "first_visit", f"c{page_db.fresh}")
    assert len(at.get("datetime_input")) == 2  # the next action's time, and (under More) when it happened
    submit(fill_first_visit(at))
    body = texts(at)
    assert "Saved: First visit / needs summary · Fresh Co." in body
    assert "Opened “Needs summary”: due 2026-11-24 12:00." in body
    assert "Completed “Needs summary” on time (due 2026-11-24 12:00)." in body
    assert "The customer's 3 concerns：价格, 交付周期, 售后响应" in body
    # the form is empty again
    assert at.text_input(key="visit_f_first_visit_concerns").value == ""
    with read_session(page_db) as s:
        kinds = s.scalars(select(Activity.kind).where(Activity.customer_id == page_db.fresh).order_by(Activity.id)).all()
    assert kinds == ["visit", "needs_summary"]
    # the director's needs-summary light gains an on-time instance
    assert light(page_db, "dora") == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize("missing, message", [
    ("problem", "Problem to solve: required."),
    ("concerns", "The customer's 3 concerns: required."),
    ("next_action", "Next action: required."),
    ("next_action_at", "Next action at: required."),
])
def test_a_missing_field_is_refused_at_that_field_and_nothing_is_saved(open_page, page_db, missing, message):
    before = count(page_db, Activity), count(page_db, StepInstance)
    at = submit(fill_first_visit(pick(open_page("a1"), "first_visit", f"c{page_db.fresh}"), **{missing: True}))
    errors = [e.value for e in at.error]
    assert message in errors and "Not saved: complete the fields marked below." in errors
    assert (count(page_db, Activity), count(page_db, StepInstance)) == before
    # what was typed stays, so the rep only adds what is missing
    if missing != "concerns":
        assert at.text_input(key="visit_f_first_visit_concerns").value == "价格、交付周期、售后响应"


def test_every_missing_field_is_refused_at_once_each_at_its_field(open_page, page_db):
    at = pick(open_page("a1"), "first_visit", f"c{page_db.fresh}")
    submit(fill_first_visit(at, problem=True, next_action=True))
    errors = [e.value for e in at.error]
    assert errors == ["Problem to solve: required.", "Next action: required.",
                      "Not saved: complete the fields marked below."]
    assert at.text_input(key="visit_f_first_visit_concerns").value == "价格、交付周期、售后响应"


def test_the_page_speaks_chinese_at_the_field(open_page, page_db):
    at = pick(open_page("a1", lang="zh"), "first_visit", f"c{page_db.fresh}")
    submit(fill_first_visit(at, concerns=True))
    assert "请填写“客户的3个顾虑”。" in [e.value for e in at.error]


@pytest.mark.parametrize("upload, message", [
    (("setup.jpg", EXE, "image/jpeg"), "“setup.jpg” is not an accepted file"),
    (("shelf.jpg", PNG, "image/jpeg"), "“shelf.jpg”: its name does not match its content (a PNG file)."),
    (("big.jpg", (JPEG + b"\x00" * 150_000)[:150_000], "image/jpeg"), "“big.jpg” is 0.143 MB; at most 0.1 MB per file."),
])
def test_a_wrong_type_or_oversized_upload_is_refused_with_a_message(open_page, page_db, upload, message):
    with write_tx(page_db) as s:
        s.add(Setting(key="upload_max_file_mb", value=0.1, updated_at=NOW))
    at = pick(open_page("a1"), "cold_visit", f"c{page_db.fresh}")
    at.text_area(key="visit_f_cold_visit_outcome").input("客户同意安排演示")
    at.file_uploader(key="visit_upload_0").set_value(upload)
    submit(at)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert count(page_db, Attachment) == 4  # the four reps' photos of add_rep_records, nothing new
    assert not (page_db.fresh and any(a == "visit" for a in _kinds(page_db)))


def _kinds(engine) -> list[str]:
    with read_session(engine) as s:
        return s.scalars(select(Activity.kind).where(Activity.customer_id == engine.fresh)).all()


def test_promotion_evidence_with_three_photos_is_shown_back(open_page, page_db, tmp_path):
    at = pick(open_page("a1"), "promotion_evidence", f"c{page_db.fresh}")
    assert "**Photos** · at least 3 photos (0 so far): take them or upload them below" in texts(at)
    at.text_area(key="visit_f_promotion_evidence_note").input("端架陈列已到位")
    at.file_uploader(key="visit_upload_0").set_value([(u.name, u.data, "image/jpeg") for u in photos(2)])
    submit(at)
    assert "Photos: attach at least 3 photos (now 2)." in [e.value for e in at.error]
    assert count(page_db, Attachment) == 4
    at.file_uploader(key="visit_upload_0").set_value([(u.name, u.data, "image/jpeg") for u in photos(3)])
    submit(at)
    assert "Saved: Promotion evidence · Fresh Co." in texts(at)
    shown = [c for img in at.get("image") for c in img.captions]
    assert shown == ["shelf0.jpg", "shelf1.jpg", "shelf2.jpg"]  # the photos, read back from the upload directory
    assert count(page_db, Attachment) == 7
    assert len(list((tmp_path / "uploads").iterdir())) == 3


def test_a_lead_is_reached_from_the_url_and_gets_its_first_contact(open_page, page_db):
    at = open_page("a1", scenario="cold_visit", lead=str(page_db.lead))
    assert at.selectbox(key="visit_subject").value == f"l{page_db.lead}"
    at.text_area(key="visit_f_cold_visit_outcome").input("约了下周演示")
    submit(at)
    assert "Saved: Cold visit · New Lead Co." in texts(at)
    assert "Opened “Needs summary”: due 2026-11-24 12:00." in texts(at)


def test_another_reps_customer_cannot_be_picked_even_by_url(open_page, page_db):
    with read_session(page_db) as s:
        theirs = s.scalar(select(Activity.customer_id).join(User, User.id == Activity.owner_id)
                          .where(User.username == "a2"))
    at = open_page("a1", customer=str(theirs))
    assert at.selectbox(key="visit_subject").value is None
    assert f"c{theirs}" not in at.selectbox(key="visit_subject").options


def test_the_rep_sees_own_open_steps_and_records_only(open_page, page_db):
    at = open_page("a1")
    assert "My open key steps (6)" in [e.label for e in at.expander]
    recent = [df for df in (d.value for d in at.dataframe) if "Scenario" in df.columns][0]
    assert set(recent["Customer"]) == {"a1 Customer"}
    lena = open_page("lena")
    assert "Open key steps of my teams (12)" in [e.label for e in lena.expander]


def test_only_reps_and_leads_log_and_only_admins_edit_rules(open_page):
    for username in ("dora", "ada"):
        with pytest.raises(ValueError):
            open_page(username, PAGE)
    for username in ("a1", "lena", "dora"):
        with pytest.raises(ValueError):
            open_page(username, "pages/admin_steps.py")


def test_an_admin_changes_a_rule_with_its_audit_row(open_page, page_db):
    at = open_page("ada", "pages/admin_steps.py")
    assert at.selectbox(key="steps_pick").value == "needs_summary"
    at.number_input(key="steps_hours_needs_summary").set_value(12.0)
    at.button(key="FormSubmitter:steps_form_needs_summary-Save rule").click().run()
    assert not at.exception
    assert "Saved “Needs summary”. It applies to new triggers." in texts(at)
    with read_session(page_db) as s:
        assert s.scalar(select(ProcessStep.within_hours).where(ProcessStep.code == "needs_summary")) == 12.0
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "process_step")).one()
    assert audit.detail == {"within_hours": {"old": 24.0, "new": 12.0}}


def test_a_rule_changed_meanwhile_is_not_overwritten_and_the_form_shows_it_as_it_is(open_page, page_db):
    at = open_page("ada", "pages/admin_steps.py")
    at.number_input(key="steps_hours_needs_summary").set_value(12.0)
    with write_tx(page_db) as s:  # another admin saves the rule first
        s.execute(update(ProcessStep).where(ProcessStep.code == "needs_summary").values(within_hours=36.0))
    at.button(key="FormSubmitter:steps_form_needs_summary-Save rule").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Someone changed this rule after you opened it. Nothing was saved: reload it and try again."]
    assert not at.success
    with read_session(page_db) as s:
        assert s.scalar(select(ProcessStep.within_hours).where(ProcessStep.code == "needs_summary")) == 36.0
    assert at.number_input(key="steps_hours_needs_summary").value == 36.0  # the rule as it is now


def test_a_bad_rule_is_refused_at_its_field(open_page, page_db):
    at = open_page("ada", "pages/admin_steps.py", lang="zh")
    at.multiselect(key="steps_fields_needs_summary").set_value(["progress"])
    at.button(key="FormSubmitter:steps_form_needs_summary-保存规则").click().run()
    errors = [e.value for e in at.error]
    assert any(e.startswith("“必填内容”只能选择该完成动作表单中的字段") for e in errors), errors
    with read_session(page_db) as s:
        assert s.scalar(select(ProcessStep.required_fields).where(ProcessStep.code == "needs_summary")) == [
            "problem", "concerns", "next_action", "next_action_at"]
