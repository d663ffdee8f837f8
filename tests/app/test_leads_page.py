"""The 我的线索 page through AppTest: the rep's inbox (order, red overdue rows, the message and the
contact log of the selected lead), the entry form with its field messages, the duplicate check
(owner only outside the scope, "open" inside it, create anyway, cancel), per role.

Each test gets a database of its own (the page writes): the AppTest organisation (team Alpha: lead
lena, reps a1 "Amy A1", a2 "Ann A2"; team Beta: lead leo, reps b1 "Bob B1", b2; director dora;
finance fay), every rep with tests.factories.add_rep_records. a1's open leads at NOW (Monday noon):

    a1 on time   A  contacted 5 days ago, no proposal   grade A window ended 3 days ago   −72 h
    a1 late      B  contacted, no demo                  grade B window ended yesterday    −24 h
    a1 missed    C  never contacted                     first response ended yesterday    −24 h
    a1 fresh     A  entered 2 h ago                     first response                    +46 h

Besides: a2's customer 杭州越州酒业有限公司 (138 0013 8000) and a1's customer 宁波华康医疗器械有限公司
(0574-8765 4321) with a lead of its own.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.base.db import read_session, write_tx
from core.base.models import Activity, AuditLog, Customer, Lead
from tests.app.conftest import HOME, app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_customer, add_lead, add_rep_records, add_user, make_org, user_id

pytestmark = pytest.mark.app
PAGE = "pages/leads.py"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        theirs = add_customer(s, org.a2, name="杭州越州酒业有限公司")
        theirs.phone = "13800138000"
        mine = add_customer(s, org.a1, name="宁波华康医疗器械有限公司")
        mine.phone = "0574-8765 4321"
        add_lead(s, org.a1, NOW - 30 * timedelta(days=1), NOW - 29 * timedelta(days=1), company="华康医疗器械",
                 customer_id=mine.id).status = "converted"
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def rows(engine, model, *where) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def lead_id(engine, company: str) -> int:
    with read_session(engine) as s:
        return s.scalar(select(Lead.id).where(Lead.company == company))


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def fill_entry(at: AppTest, company="越州酒业", phone="+86 138-0013-8000", channel="展会", grade="A",
               next_action="电话确认需求") -> None:
    at.text_input(key="le_company").input(company)
    at.text_input(key="le_phone").input(phone)
    at.selectbox(key="le_channel").set_value(channel)
    at.radio(key="le_grade").set_value(grade)
    at.text_input(key="le_next").input(next_action)


def submit_entry(at: AppTest, label: str = "Check and save") -> AppTest:
    at.button(key=f"FormSubmitter:lead_entry-{label}").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# ---- the inbox -----------------------------------------------------------------------------------

def test_the_rep_sees_own_open_leads_most_urgent_first_overdue_in_red(open_page):
    at = open_page("a1")
    table = frame(at, "Company", "Time left")
    assert table["Company"].tolist() == ["a1 on time", "a1 late", "a1 missed", "a1 fresh"]
    assert table["Time left"].tolist() == ["3 d overdue", "24 h overdue", "24 h overdue", "46 h left"]
    assert table["Deadline for"].tolist() == ["A: call and proposal", "B: demo booked", "First contact", "First contact"]
    assert [m.value for m in at.metric] == ["4", "3", "0"]
    styles = at.dataframe[0].proto.arrow_data.styler.styles  # the Styler's CSS: the three overdue rows red
    assert "background-color: #fdecea" in styles
    assert {int(r) for r in re.findall(r"_row(\d+)_col\d+", styles)} == {0, 1, 2}
    assert not any("a2" in c for c in table["Company"])


def test_the_most_urgent_lead_is_selected_with_its_message_and_log_form(open_page, page_db):
    at = open_page("a1", lang="zh")
    (code,) = at.code
    assert code.value.startswith("您好，我是Amy A1。非常抱歉，之前答应您的事情耽误了")
    assert "a1 on time" in code.value
    assert "a1 on time · A 级 · 逾期 3 天" in texts(at)
    at.session_state["lead_inbox"] = {"selection": {"rows": [3], "columns": [], "cells": []}}
    at.run()
    (code,) = at.code
    assert code.value.startswith("您好，我是销售顾问Amy A1。看到贵司（a1 fresh）通过")
    kinds = at.radio(key=f"log_{lead_id(page_db, 'a1 fresh')}_kind").options
    assert kinds == ["电话", "拜访", "微信/短信", "已约/已做演示"]  # no "proposal sent" before the first contact


def test_logging_the_first_contact_from_the_inbox(open_page, page_db):
    at = open_page("a1")
    at.session_state["lead_inbox"] = {"selection": {"rows": [3], "columns": [], "cells": []}}
    at.run()
    fresh = lead_id(page_db, "a1 fresh")
    p = f"log_{fresh}_"
    at.radio(key=p + "kind").set_value("call")
    at.text_input(key=p + "next").input("Send the proposal")
    at.date_input(key=p + "date").set_value(date(2026, 11, 24))
    at.time_input(key=p + "time").set_value(time(9, 30))
    at.button(key=f"FormSubmitter:log_form_{fresh}-Save contact").click()
    at.run()
    assert not at.exception
    assert "Saved: Call with a1 fresh. Next: Send the proposal." in texts(at)
    with read_session(page_db) as s:
        lead = s.get(Lead, fresh)
        assert (lead.status, lead.first_contact_at, lead.next_action) == ("contacted", NOW, "Send the proposal")
        assert lead.next_action_at == NOW.replace(day=24, hour=9, minute=30)
        act = s.scalar(select(Activity).where(Activity.lead_id == fresh))
        assert (act.kind, act.owner_id, act.happened_at) == ("call", user_id(page_db, "a1"), NOW)
    table = frame(at, "Company", "Time left")
    row = table[table["Company"] == "a1 fresh"].iloc[0]
    assert (row["Deadline for"], row["Time left"]) == ("A: call and proposal", "46 h left")


def test_a_log_without_its_required_fields_is_refused_at_each_field(open_page, page_db):
    at = open_page("a1")
    first = lead_id(page_db, "a1 on time")
    at.button(key=f"FormSubmitter:log_form_{first}-Save contact").click()
    at.run()
    assert errors(at) == ["Required.", "Required."]  # how, and the next action
    assert rows(page_db, Activity, Activity.lead_id == first) == 0


# ---- the entry form ------------------------------------------------------------------------------

def test_an_empty_entry_marks_every_required_field_and_writes_nothing(open_page, page_db):
    at = open_page("a1")
    before = rows(page_db, Lead)
    at.text_input(key="le_next").input("")
    submit_entry(at)
    assert errors(at) == ["Required."] * 5  # company, phone, source, grade, next action (its time is preset)
    assert rows(page_db, Lead) == before
    assert at.expander[0].proto.expanded  # the form stays open on its messages


def test_a_rep_enters_a_lead_and_finds_it_in_the_inbox(open_page, page_db):
    at = open_page("a1", lang="zh")
    fill_entry(at, company="温州瑞泰新材料有限公司", phone="0577 8888 1234", channel="转介绍", grade="B")
    submit_entry(at, "查重并保存")
    assert "线索已保存：温州瑞泰新材料有限公司（负责人：Amy A1）。" in texts(at)
    with read_session(page_db) as s:
        lead = s.scalar(select(Lead).where(Lead.company == "温州瑞泰新材料有限公司"))
        assert (lead.owner_id, lead.phone, lead.grade, lead.source_channel) == (user_id(page_db, "a1"), "057788881234", "B", "转介绍")
    assert "温州瑞泰新材料有限公司" in frame(at, "公司名称", "剩余时间")["公司名称"].tolist()
    assert at.text_input(key="le_company").value == ""  # ready for the next one


def test_a_vague_grade_or_a_bad_phone_is_refused(open_page, page_db):
    at = open_page("a1")
    assert at.radio(key="le_grade").options == [
        "A — call and proposal within 48 h", "B — demo booked within 72 h", "C — second touch within 168 h"]
    fill_entry(at, company="温州瑞泰新材料有限公司", phone="0577-888")
    submit_entry(at)
    assert errors(at) == ["Not a valid Chinese mobile or landline number: 11 digits for a mobile, area code and "
                          "number for a landline (e.g. 0571-8888 6666)."]
    assert rows(page_db, Lead, Lead.company == "温州瑞泰新材料有限公司") == 0


# ---- the duplicate check ---------------------------------------------------------------------------

def test_a_duplicate_outside_the_scope_names_only_its_owner_and_create_anyway_is_audited(open_page, page_db):
    at = open_page("a1", lang="zh")
    fill_entry(at)  # 越州酒业, +86 138-0013-8000: a2's customer by name and phone
    submit_entry(at, "查重并保存")
    assert "疑似重复，尚未保存" in texts(at)
    assert "**杭州越州酒业有限公司** · 客户 · 已由 Ann A2 跟进 · 电话相同、名称相似度 100%" in texts(at)
    assert not [b for b in at.button if b.key and b.key.startswith("dup_open_")]  # no link to a2's customer
    assert rows(page_db, Lead, Lead.company == "越州酒业") == 0
    at.button(key="dup_create").click()
    at.run()
    assert "线索已保存：越州酒业（负责人：Amy A1）。" in texts(at)
    with read_session(page_db) as s:
        lead = s.scalar(select(Lead).where(Lead.company == "越州酒业"))
        audit = s.scalar(select(AuditLog).where(AuditLog.entity == "lead", AuditLog.entity_id == str(lead.id)))
        assert audit.action == "create_anyway"
        assert audit.detail["confirmed_duplicates"][0]["name"] == "杭州越州酒业有限公司"


def test_cancel_writes_nothing(open_page, page_db):
    at = open_page("a1")
    fill_entry(at)
    submit_entry(at)
    at.button(key="dup_cancel").click()
    at.run()
    assert "Nothing was saved." in texts(at)
    assert "Possible duplicate" not in texts(at)
    assert rows(page_db, Lead, Lead.company == "越州酒业") == 0


def test_a_duplicate_in_scope_opens_the_customer_and_its_leads(open_page, page_db):
    at = open_page("a1")
    fill_entry(at, company="华康医疗器械", phone="13912345678")
    submit_entry(at)
    with read_session(page_db) as s:
        customer_id = s.scalar(select(Customer.id).where(Customer.name == "宁波华康医疗器械有限公司"))
    assert "followed by you" in texts(at)
    at.button(key=f"dup_open_customer:{customer_id}").click()
    at.run()
    assert at.query_params["open"] == f"customer:{customer_id}"
    assert "Customer: 宁波华康医疗器械有限公司" in texts(at)
    assert "0574-8765 4321" in texts(at)
    leads_table = frame(at, "Company", "Status")
    assert leads_table["Company"].tolist() == ["华康医疗器械"] and leads_table["Status"].tolist() == ["Converted"]
    at.button(key="detail_back").click()
    at.run()
    assert "Possible duplicate — nothing saved yet" in texts(at)  # back at the pending entry


@pytest.mark.parametrize("link", ["customer:abc", "deal:1", "customer:", "customer:99999999999999"])
def test_a_bad_link_shows_the_normal_page(open_page, link):
    at = open_page("a1", open=link)
    assert frame(at, "Company", "Time left")["Company"].tolist()[0] == "a1 on time"


def test_a_link_to_someone_elses_customer_shows_nothing_of_it(open_page, page_db):
    with read_session(page_db) as s:
        theirs = s.scalar(select(Customer.id).where(Customer.name == "杭州越州酒业有限公司"))
    at = open_page("a1", open=f"customer:{theirs}")
    assert "This record does not exist or is not yours to see." in texts(at)
    assert "杭州越州酒业" not in texts(at)
    at = open_page("lena", open=f"customer:{theirs}")  # a2 is in lena's team
    assert "Customer: 杭州越州酒业有限公司" in texts(at)


# ---- roles ---------------------------------------------------------------------------------------

def test_a_lead_picks_a_rep_of_the_own_team_or_automatic_routing(open_page, page_db):
    at = open_page("lena")
    assert at.selectbox(key="le_owner").options == ["Route automatically (routing rules)", "Amy A1", "Ann A2"]
    assert at.expander[0].proto.expanded  # the form is what a lead comes for
    fill_entry(at, company="温州瑞泰新材料有限公司", phone="0577 8888 1234")
    submit_entry(at)
    assert errors(at) == ["Choose the rep who follows up, or automatic routing."]
    at.selectbox(key="le_owner").set_value(user_id(page_db, "a2"))
    submit_entry(at)
    assert "Lead saved: 温州瑞泰新材料有限公司 (Ann A2)." in texts(at)
    assert "No open leads of yours." in texts(at)  # lena's own inbox


def test_the_director_routes_a_lead_automatically_and_without_a_rule_it_waits_in_the_pool(open_page, page_db):
    at = open_page("dora")
    assert at.selectbox(key="le_owner").options[0] == "Route automatically (routing rules)"
    assert len(at.selectbox(key="le_owner").options) == 5  # and every active rep of both teams
    fill_entry(at, company="温州瑞泰新材料有限公司", phone="0577 8888 1234")
    at.selectbox(key="le_owner").set_value("auto")
    submit_entry(at)
    assert "Lead saved: 温州瑞泰新材料有限公司. No rule matched, so it waits in the lead pool." in texts(at)
    with read_session(page_db) as s:
        lead = s.scalar(select(Lead).where(Lead.company == "温州瑞泰新材料有限公司"))
        assert (lead.owner_id, lead.team_id, lead.pooled_at) == (None, None, NOW)


def test_finance_has_no_lead_page(page_db):
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "fay"
    at.run()
    with pytest.raises(ValueError):
        at.switch_page(PAGE)


def test_the_inbox_downloads_as_csv_and_excel(open_page):
    at = open_page("a1")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]
