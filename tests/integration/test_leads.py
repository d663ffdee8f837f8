"""The lead desk for reps (SPEC §3) on SQLite and PostgreSQL: entering a lead with its duplicate
check, the windows of every grade against a fixed clock, the inbox's urgency and message
templates, and logging a contact.

Hand-made data (tests.factories.make_org): team Alpha (lead Lena, reps a1 "Amy A1", a2 "Ann A2"),
team Beta (lead Leo, reps b1 "Bob B1", b2), director Dora. The clock stands at tests.factories.NOW
(Monday 23 November 2026, noon); default windows: first response 48 h, A 48 h, B 72 h, C 168 h.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from core.leads import desk as leads
from core.base import rules
from core.base.db import read_session, write_tx
from core.leads.desk import AUTO, DuplicatesFound, InvalidLead, LeadConflict, LeadEntry, Windows
from core.base.models import (
    Activity, AuditLog, Customer, Lead, LeadAssignment, RoutingRule, StepInstance, User,
)
from core.base.scope import ScopeError
from core.base.scope import COMPANY
from tests.factories import NOW, add_lead, add_user, scope_of
from tests.factories import add_customer as factory_customer

H = timedelta(hours=1)
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)
DEFAULT = Windows(48.0, {"A": 48.0, "B": 72.0, "C": 168.0}, 23.0)


def count(engine, model, *where) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def entry(**overrides) -> LeadEntry:
    values = dict(company="杭州越州酒业有限公司", phone="+86 138-0013-8000", source_channel="展会", grade="A",
                  next_action="电话确认需求", next_action_at=NOW + 2 * H)
    values.update(overrides)
    return LeadEntry(**values)


def enter(engine, user: User, acknowledged=(), **overrides) -> int:
    with write_tx(engine) as s:
        return leads.enter_lead(s, scope_of(engine, user), entry(**overrides), NOW, acknowledged=acknowledged)


def add_customer(s, owner: User, name: str, phone: str = "") -> Customer:
    """tests.factories.add_customer with a phone number."""
    customer = factory_customer(s, owner, name=name)
    customer.phone = phone
    s.flush()
    return customer


def closed_lead(s, owner, created, first_contact, status: str, **extra) -> Lead:
    lead = add_lead(s, owner, created, first_contact, **extra)
    lead.status = status
    s.flush()
    return lead


def inbox(engine, user: User, now: datetime = NOW):
    with read_session(engine) as s:
        return leads.my_leads(scope_of(engine, user), s, now)


# ---- entering a lead ---------------------------------------------------------------------------------

def test_a_rep_enters_a_lead_that_is_theirs(engine, org):
    lead_id = enter(engine, org.a1, contact_name="王经理", industry="酒业", size="medium")
    with read_session(engine) as s:
        lead = s.get(Lead, lead_id)
        assert (lead.owner_id, lead.team_id, lead.region_id) == (org.a1.id, org.alpha.id, org.north.id)
        assert (lead.company, lead.phone, lead.source_channel, lead.grade) == ("杭州越州酒业有限公司", "13800138000", "展会", "A")
        assert (lead.status, lead.created_at, lead.assigned_at, lead.first_contact_at) == ("new", NOW, NOW, None)
        assert (lead.next_action, lead.next_action_at) == ("电话确认需求", NOW + 2 * H)
        assert (lead.contact_name, lead.industry, lead.size) == ("王经理", "酒业", "medium")
        (a,) = s.scalars(select(LeadAssignment).where(LeadAssignment.lead_id == lead_id)).all()
        assert (a.from_user_id, a.to_user_id, a.team_id, a.reason, a.by_user_id, a.at) == (
            None, org.a1.id, org.alpha.id, "entered", org.a1.id, NOW)
        (audit,) = s.scalars(select(AuditLog).where(AuditLog.entity == "lead")).all()
        assert (audit.action, audit.user_id, audit.entity_id) == ("create", org.a1.id, str(lead_id))
        assert "confirmed_duplicates" not in audit.detail
    df = inbox(engine, org.a1)
    assert df["id"].tolist() == [lead_id]


@pytest.mark.parametrize("field, value, key", [
    ("company", "", "err.required"),
    ("company", "   ", "err.required"),
    ("company", "有限公司", "leads.err.company"),
    ("company", "杭州市有限公司", "leads.err.company"),
    ("company", "越" * 161, "leads.err.too_long"),
    ("phone", "", "err.required"),
    ("phone", "12345", "leads.err.phone"),
    ("phone", "400-800-8888", "leads.err.phone"),
    ("phone", "+1 415 555 2671", "leads.err.phone"),
    ("source_channel", None, "err.required"),
    ("source_channel", "微信群", "leads.err.channel"),
    ("grade", None, "err.required"),
    ("grade", "有意向", "leads.err.grade"),  # vague labels are not grades
    ("grade", "D", "leads.err.grade"),
    ("grade", "a", "leads.err.grade"),
    ("next_action", "", "err.required"),
    ("next_action", "打" * 201, "leads.err.too_long"),
    ("next_action_at", None, "err.required"),
    ("next_action_at", "明天上午", "leads.err.datetime"),
    ("next_action_at", NOW - MIN, "leads.err.next_past"),
    ("next_action_at", NOW + timedelta(days=91), "leads.err.next_far"),
    ("contact_name", "王" * 61, "leads.err.too_long"),
    ("size", "huge", "leads.err.size"),
    ("region_id", 999, "leads.err.region"),
])
def test_a_bad_field_is_refused_at_that_field_and_nothing_is_written(engine, org, field, value, key):
    with pytest.raises(InvalidLead) as exc:
        enter(engine, org.a1, **{field: value})
    assert (exc.value.field, exc.value.msg_key) == (field, key)
    assert exc.value.message("zh") != key  # a sentence in both languages, not the key
    assert count(engine, Lead) == count(engine, LeadAssignment) == count(engine, AuditLog) == 0


def test_an_empty_form_names_every_required_field_at_once(engine, org):
    blank = dict(company="", phone="", source_channel=None, grade=None, next_action="", next_action_at=None)
    with pytest.raises(InvalidLead) as exc:
        enter(engine, org.a1, **blank)
    assert [e.field for e in exc.value.errors] == ["company", "phone", "source_channel", "grade", "next_action",
                                                  "next_action_at"]  # five required fields (the last with its time)
    assert {e.msg_key for e in exc.value.errors} == {"err.required"}
    with pytest.raises(InvalidLead) as exc:
        enter(engine, org.lead_alpha, **blank)
    assert exc.value.errors[-1].field == "owner"  # a lead also names the rep (or automatic routing)


def test_the_next_action_may_be_this_very_minute(engine, org):
    lead_id = enter(engine, org.a1, next_action_at=NOW + 30 * timedelta(seconds=1))
    with read_session(engine) as s:
        assert s.get(Lead, lead_id).next_action_at == NOW  # stored to the minute


def test_a_lead_gives_the_lead_to_a_rep_of_their_own_team_only(engine, org):
    lead_id = enter(engine, org.lead_alpha, owner=org.a2.id)
    with read_session(engine) as s:
        lead = s.get(Lead, lead_id)
        assert (lead.owner_id, lead.team_id) == (org.a2.id, org.alpha.id)
        a = s.scalar(select(LeadAssignment).where(LeadAssignment.lead_id == lead_id))
        assert (a.reason, a.by_user_id, a.to_user_id) == ("entered", org.lead_alpha.id, org.a2.id)
    for owner, key in ((org.b1.id, "leads.err.owner"), (org.lead_alpha.id, "leads.err.owner"), (None, "leads.err.owner_required"),
                       ("a2", "leads.err.owner"), (999, "leads.err.owner")):
        with pytest.raises(InvalidLead) as exc:
            enter(engine, org.lead_alpha, phone="13900000001", company="宁波瑞泰物流", owner=owner)
        assert (exc.value.field, exc.value.msg_key) == ("owner", key)
    assert count(engine, Lead) == 1


def test_the_director_gives_a_lead_to_any_active_rep_and_a_rep_cannot_choose(engine, org):
    lead_id = enter(engine, org.director, owner=org.b1.id)
    with read_session(engine) as s:
        assert (s.get(Lead, lead_id).owner_id, s.get(Lead, lead_id).team_id) == (org.b1.id, org.beta.id)
    mine = enter(engine, org.a1, owner=org.b1.id, company="宁波瑞泰物流", phone="13900000002")  # ignored for a rep
    with read_session(engine) as s:
        assert s.get(Lead, mine).owner_id == org.a1.id
        s.get(User, org.b2.id).active = False
        s.commit()
    with pytest.raises(InvalidLead) as exc:
        enter(engine, org.director, owner=org.b2.id, company="上海华泰科技", phone="13900000003")
    assert exc.value.field == "owner"


def test_finance_enters_no_leads(engine, org):
    with write_tx(engine) as s:
        fay = add_user(s, "fay", "Fay Finance", "finance")
    with pytest.raises(ScopeError):
        enter(engine, fay)
    with read_session(engine) as s:  # nor do the checks before an entry answer them
        for check in (leads.validate_entry, leads.check_entry):
            with pytest.raises(ScopeError):
                check(s, scope_of(engine, fay), entry(), NOW)


def test_route_automatically_hands_the_lead_to_the_routing_rules(engine, org):
    with write_tx(engine) as s:
        s.add(RoutingRule(position=1, region_id=org.north.id, industry="", size="", team_id=org.alpha.id, active=True,
                          created_at=NOW, updated_at=NOW, updated_by=None))
    lead_id = enter(engine, org.director, owner=AUTO, region_id=org.north.id)
    with read_session(engine) as s:
        lead = s.get(Lead, lead_id)
        assert lead.team_id == org.alpha.id and lead.owner_id in (org.a1.id, org.a2.id)
        assert lead.assigned_at == NOW
        reasons = s.scalars(select(LeadAssignment.reason).where(LeadAssignment.lead_id == lead_id)).all()
        assert reasons == ["routed"]
        assert s.scalar(select(AuditLog.action).where(AuditLog.entity == "lead", AuditLog.action == "create"))


# ---- the duplicate check -------------------------------------------------------------------------

def test_the_same_phone_written_differently_is_a_duplicate_and_nothing_is_written(engine, org):
    with write_tx(engine) as s:
        other = add_customer(s, org.a2, name="宁波瑞泰物流有限公司", phone="13800138000")
    with pytest.raises(DuplicatesFound) as exc:
        enter(engine, org.a1, phone="+86 138-0013-8000")
    (m,) = exc.value.matches
    assert (m.key, m.kind, m.name, m.owner_name, m.reasons) == (f"customer:{other.id}", "customer", "宁波瑞泰物流有限公司",
                                                              "Ann A2", ("phone",))
    assert not m.similar_name  # 杭州越州酒业 and 宁波瑞泰物流: only the phone is the same
    assert not m.in_scope and m.record_id is None and m.customer_id is None  # a2's customer: no link for a1
    assert count(engine, Lead) == count(engine, AuditLog) == 0


@pytest.mark.parametrize("stored", ["+86 138 0013 8000", "86-138-0013-8000", "(138)0013-8000", "13800138000"])
def test_stored_phones_in_any_format_are_found(engine, org, stored):
    with write_tx(engine) as s:
        add_customer(s, org.a1, name="宁波瑞泰物流有限公司", phone=stored)
        add_customer(s, org.a1, name="宁波华康物流有限公司", phone="13800138001")  # one digit off
    with read_session(engine) as s:
        found = leads.find_duplicates(s, scope_of(engine, org.a1), "上海华泰科技", "138 0013 8000")
    assert [m.name for m in found] == ["宁波瑞泰物流有限公司"]


def test_a_similar_name_in_scope_can_be_opened(engine, org):
    with write_tx(engine) as s:
        mine = add_customer(s, org.a1, name="杭州越州酒业有限公司", phone="057188886666")
    with pytest.raises(DuplicatesFound) as exc:
        enter(engine, org.a1, company="越州酒业", phone="13900000009")
    (m,) = exc.value.matches
    assert (m.record_id, m.customer_id, m.reasons, m.similarity, m.owner_name) == (mine.id, mine.id, ("name",), 1.0, "Amy A1")
    assert m.in_scope and m.similar_name


def test_matches_outside_the_scope_show_only_name_and_owner(engine, org):
    with write_tx(engine) as s:
        theirs = add_customer(s, org.b1, name="浙江越州酒业集团有限公司", phone="13912345678")
    for user in (org.a1, org.a2, org.lead_alpha):
        with read_session(engine) as s:
            (m,) = leads.find_duplicates(s, scope_of(engine, user), "杭州越州酒业", "13800138000")
        assert (m.name, m.owner_name, m.record_id, m.customer_id) == ("浙江越州酒业集团有限公司", "Bob B1", None, None)
    for user in (org.lead_beta, org.director, org.b1):
        with read_session(engine) as s:
            (m,) = leads.find_duplicates(s, scope_of(engine, user), "杭州越州酒业", "13800138000")
        assert m.record_id == theirs.id


def test_an_open_lead_with_the_same_phone_is_a_duplicate_a_closed_one_not(engine, org):
    with write_tx(engine) as s:
        open_lead = add_lead(s, org.b1, NOW - DAY, company="上海瑞泰科技", phone="13900001111")
        closed_lead(s, org.b2, NOW - 9 * DAY, None, "lost", company="上海瑞泰科技", phone="13900001111")
        pooled = add_lead(s, None, NOW - 9 * DAY, company="上海瑞泰", phone="+86 139 0000 1111")
    with read_session(engine) as s:
        found = leads.find_duplicates(s, scope_of(engine, org.a1), "杭州越州酒业", "139-0000-1111")
        assert {(m.key, m.owner_name, m.record_id, m.status) for m in found} == {
            (f"lead:{open_lead.id}", "Bob B1", None, "new"), (f"lead:{pooled.id}", "", None, "new")}
        found = leads.find_duplicates(s, scope_of(engine, org.director), "杭州越州酒业", "13900001111")
        assert {m.record_id for m in found} == {open_lead.id, pooled.id}


def test_a_phone_match_says_whether_its_name_is_alike_too(engine, org):
    with write_tx(engine) as s:
        add_lead(s, org.b1, NOW - DAY, company="上海瑞泰科技有限公司", phone="13900001111")
        add_customer(s, org.b2, name="上海瑞泰科技", phone="13900001111")
        add_lead(s, org.b2, NOW - DAY, company="宁波华康医疗", phone="13900001111")
    with read_session(engine) as s:
        found = leads.find_duplicates(s, scope_of(engine, org.a1), "上海瑞泰科技", "139 0000 1111")
    assert {(m.kind, m.name, m.reasons, m.similar_name) for m in found} == {
        ("customer", "上海瑞泰科技", ("phone", "name"), True), ("lead", "上海瑞泰科技有限公司", ("phone",), True),
        ("lead", "宁波华康医疗", ("phone",), False)}


def test_create_anyway_needs_every_match_confirmed_and_is_audited(engine, org):
    with write_tx(engine) as s:
        c1 = add_customer(s, org.a2, name="越州酒业", phone="")
        c2 = add_customer(s, org.b1, name="宁波瑞泰物流", phone="13800138000")
    with pytest.raises(DuplicatesFound) as exc:
        enter(engine, org.a1)
    keys = [m.key for m in exc.value.matches]
    assert keys == [f"customer:{c2.id}", f"customer:{c1.id}"]  # the phone match first
    with pytest.raises(DuplicatesFound):
        enter(engine, org.a1, acknowledged=keys[:1])  # one confirmed is not all
    assert count(engine, Lead) == 0
    lead_id = enter(engine, org.a1, acknowledged=keys)
    with read_session(engine) as s:
        audit = s.scalar(select(AuditLog).where(AuditLog.entity == "lead"))
        assert (audit.action, audit.entity_id, audit.user_id) == ("create_anyway", str(lead_id), org.a1.id)
        assert [d["key"] for d in audit.detail["confirmed_duplicates"]] == keys
        assert audit.detail["confirmed_duplicates"][0]["reasons"] == ["phone"]
    # the lead itself is an open lead with that phone now: the next entry meets it too
    with pytest.raises(DuplicatesFound) as exc:
        enter(engine, org.a2, company="温州华泰科技", acknowledged=keys)
    assert f"lead:{lead_id}" in [m.key for m in exc.value.matches]


def test_names_that_must_not_match_let_the_lead_through(engine, org):
    with write_tx(engine) as s:
        add_customer(s, org.a1, name="杭州越洋物流有限公司", phone="13900000011")
        add_customer(s, org.a2, name="杭州瑞泰", phone="13900000012")
        add_customer(s, org.b1, name="海口华远医疗器械有限公司", phone="13900000013")
    assert enter(engine, org.a1, company="杭州越州酒业")
    assert enter(engine, org.a1, company="杭州华康", phone="13900000014")
    assert enter(engine, org.a1, company="宁波华康医疗器械有限公司", phone="13900000015")
    assert count(engine, Lead) == 3


def test_the_similarity_threshold_is_a_setting(engine, org):
    with write_tx(engine) as s:
        add_customer(s, org.a2, name="越州酒业连锁有限公司", phone="")  # 0.8 similar to 杭州越州酒业
        rules.save_settings(s, COMPANY, {"duplicate_name_similarity": 0.85}, NOW)
    assert enter(engine, org.a1)


def test_the_duplicate_check_is_fast_for_twenty_thousand_customers(engine, org):
    cities, trades = ("杭州", "宁波市", "上海", "北京市朝阳区", "深圳市"), ("医疗器械", "酒业", "物流", "科技", "商贸")
    rows = [dict(name=f"{cities[i % 5]}{chr(0x4e00 + i % 800)}{chr(0x4f00 + (i * 7) % 900)}{trades[(i // 5) % 5]}有限公司",
                 phone=f"1{3 + i % 6}{i:09d}", industry="", size="", customer_type="", heat="", owner_id=org.b1.id,
                 team_id=org.beta.id, created_at=NOW, updated_at=NOW) for i in range(20_000)]
    rows.append(dict(rows[0], name="杭州越州酒业有限公司", phone="0571-8888 6666"))
    with write_tx(engine) as s:
        s.execute(insert(Customer), rows)
    with read_session(engine) as s:
        scope = scope_of(engine, org.a1)
        start = time.perf_counter()
        found = leads.find_duplicates(s, scope, "越州酒业", "+86 571 8888 6666")
        elapsed = time.perf_counter() - start
    assert [(m.name, m.reasons) for m in found] == [("杭州越州酒业有限公司", ("phone", "name"))]
    assert elapsed < 2.0, f"the check took {elapsed:.2f} s"


# ---- windows and urgency, against a fixed clock ------------------------------------------------------

def u(created: datetime, *, grade="A", first_contact=None, assigned=None, done=False, next_at=None, now=NOW,
      windows=DEFAULT):
    return leads.urgency(created_at=created, assigned_at=assigned or created, first_contact_at=first_contact,
                         grade=grade, done=done, next_action_at=next_at, now=now, windows=windows)


@pytest.mark.parametrize("grade", ["A", "B", "C"])
def test_first_response_window_of_48_hours_for_every_grade(grade):
    at_deadline = u(NOW - 48 * H, grade=grade)
    assert (at_deadline.window, at_deadline.deadline, at_deadline.minutes_left, at_deadline.overdue) == (
        "first_response", NOW, 0, False)
    before = u(NOW - 48 * H + MIN, grade=grade)
    assert (before.minutes_left, before.overdue) == (1, False)
    after = u(NOW - 48 * H - MIN, grade=grade)
    assert (after.minutes_left, after.overdue) == (-1, True)
    assert u(NOW - 48 * H - 30 * timedelta(seconds=1), grade=grade).overdue  # half a minute late is late


@pytest.mark.parametrize("grade, hours", [("A", 48), ("B", 72), ("C", 168)])
def test_each_grade_window_counts_from_assignment(grade, hours):
    start = NOW - hours * H
    contacted = start + H
    at = u(start, grade=grade, first_contact=contacted)
    assert (at.window, at.deadline, at.minutes_left, at.overdue) == (f"grade_{grade}", NOW, 0, False)
    before = u(start + MIN, grade=grade, first_contact=contacted + MIN)
    assert (before.minutes_left, before.overdue) == (1, False)
    after = u(start - MIN, grade=grade, first_contact=contacted)
    assert (after.minutes_left, after.overdue) == (-1, True)
    # its action done: the next action's time is the deadline
    done = u(start - MIN, grade=grade, first_contact=contacted, done=True, next_at=NOW + 3 * H)
    assert (done.window, done.minutes_left, done.overdue) == ("next_action", 180, False)
    assert u(start, grade=grade, first_contact=contacted, done=True).window == "none"


def test_a_reassigned_lead_gets_a_fresh_grade_window_but_not_a_fresh_first_response():
    created, assigned = NOW - 40 * H, NOW - 2 * H
    waiting = u(created, grade="B", assigned=assigned)
    assert (waiting.window, waiting.deadline) == ("first_response", created + 48 * H)
    contacted = u(created, grade="B", assigned=assigned, first_contact=NOW - H)
    assert (contacted.window, contacted.deadline) == ("grade_B", assigned + 72 * H)


def test_the_earlier_deadline_wins_and_a_tie_goes_to_the_first_contact():
    quick_a = Windows(48.0, {"A": 24.0, "B": 72.0, "C": 168.0}, 23.0)
    got = u(NOW - 30 * H, grade="A", windows=quick_a)
    assert (got.window, got.minutes_left) == ("grade_A", -6 * 60)
    assert u(NOW - 30 * H, grade="A").window == "first_response"  # 48 and 48: the first contact


def test_windows_come_from_the_settings(engine, org):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"first_response_hours": 24.0, "grade_b_hours": 36.0}, NOW)
        waiting = add_lead(s, org.a1, NOW - 24 * H, grade="C")
        contacted = add_lead(s, org.a1, NOW - 36 * H, NOW - 35 * H, grade="B")
    df = inbox(engine, org.a1).set_index("id")
    assert df.loc[waiting.id, ["window", "hours_left", "overdue"]].tolist() == ["first_response", 0.0, False]
    assert df.loc[contacted.id, ["window", "hours_left", "overdue"]].tolist() == ["grade_B", 0.0, False]
    assert inbox(engine, org.a1, NOW + MIN)["overdue"].tolist() == [True, True]


def test_grade_actions_are_done_by_their_activities():
    assert not leads.grade_done("A", "contacted", 1, 0, 0) and leads.grade_done("A", "contacted", 2, 1, 0)
    assert not leads.grade_done("B", "contacted", 3, 1, 0) and leads.grade_done("B", "contacted", 2, 0, 1)
    assert not leads.grade_done("C", "contacted", 1, 0, 0) and leads.grade_done("C", "contacted", 2, 0, 0)
    assert all(leads.grade_done(g, "qualified", 0, 0, 0) for g in "ABC")


def _touch(s, lead: Lead, kind: str, at: datetime) -> None:
    s.add(Activity(kind=kind, lead_id=lead.id, owner_id=lead.owner_id, team_id=lead.team_id, happened_at=at,
                   logged_at=at, effective=True, fields={}, note=""))


def test_the_inbox_holds_the_reps_open_leads_most_urgent_first(engine, org):
    with write_tx(engine) as s:
        fresh_a = add_lead(s, org.a1, NOW - 2 * H, company="宁波华泰科技", contact_name="李总")
        late_first = add_lead(s, org.a1, NOW - 50 * H, company="温州瑞泰物流", grade="B")
        b_contacted = add_lead(s, org.a1, NOW - 70 * H, NOW - 60 * H, company="杭州越州酒业", grade="B")
        a_reminder = add_lead(s, org.a1, NOW - 24 * H, NOW - 20 * H, company="上海华康医疗器械", grade="A")
        c_done = add_lead(s, org.a1, NOW - 5 * DAY, NOW - 5 * DAY + H, company="苏州宏远商贸", grade="C",
                          next_action="寄送样品", next_action_at=NOW + 5 * H)
        for at in (NOW - 5 * DAY + H, NOW - 2 * DAY):
            _touch(s, c_done, "call", at)
        closed_lead(s, org.a1, NOW - 9 * DAY, NOW - 8 * DAY, "converted", company="已转化")
        closed_lead(s, org.a1, NOW - 9 * DAY, NOW - 8 * DAY, "lost", company="已关闭")
        add_lead(s, org.a2, NOW - 50 * H, company="别人的线索")
    df = inbox(engine, org.a1)
    assert df["company"].tolist() == ["温州瑞泰物流", "杭州越州酒业", "苏州宏远商贸", "上海华康医疗器械", "宁波华泰科技"]
    got = df.set_index("id")
    assert got.loc[late_first.id, ["window", "hours_left", "overdue", "situation"]].tolist() == [
        "first_response", -2.0, True, "first_contact_late"]
    assert got.loc[b_contacted.id, ["window", "hours_left", "situation"]].tolist() == ["grade_B", 2.0, "b_demo"]
    assert got.loc[c_done.id, ["window", "hours_left", "touches", "situation"]].tolist() == [
        "next_action", 5.0, 2, "follow_up"]
    assert got.loc[a_reminder.id, ["window", "hours_left", "situation"]].tolist() == ["grade_A", 24.0, "a_reminder"]
    assert got.loc[fresh_a.id, ["window", "hours_left", "situation"]].tolist() == [
        "first_response", 46.0, "first_contact"]
    assert set(df["owner_id"]) == {org.a1.id}
    assert df.attrs == {"overdue": 1, "due_soon": 3}  # 2 h late; 2, 5 and 24 h left (46 h: not yet)
    assert inbox(engine, org.lead_alpha).empty  # "my leads": the ones the caller owns


@pytest.mark.parametrize("kwargs, expected", [
    (dict(grade="A", contacted=False, done=False, overdue=False, hours_since_start=1), "first_contact"),
    (dict(grade="C", contacted=False, done=False, overdue=True, hours_since_start=60), "first_contact_late"),
    (dict(grade="A", contacted=True, done=False, overdue=False, hours_since_start=22.9), "a_proposal"),
    (dict(grade="A", contacted=True, done=False, overdue=False, hours_since_start=23), "a_reminder"),
    (dict(grade="B", contacted=True, done=False, overdue=False, hours_since_start=30), "b_demo"),
    (dict(grade="C", contacted=True, done=False, overdue=False, hours_since_start=30), "c_second_touch"),
    (dict(grade="B", contacted=True, done=False, overdue=True, hours_since_start=80), "overdue_apology"),
    (dict(grade="A", contacted=True, done=True, overdue=False, hours_since_start=80), "follow_up"),
])
def test_the_situation_picks_the_template(kwargs, expected):
    assert leads.situation(windows=DEFAULT, **kwargs) == expected


def test_every_template_is_filled_with_the_leads_and_the_reps_fields():
    for situation in leads.SITUATIONS:
        for lang in ("zh", "en"):
            text = leads.message(lang, situation, rep="刘丽娟", company="杭州越州酒业有限公司", contact_name="王经理",
                                 channel="展会", next_action="寄送样品", next_action_at=NOW + 3 * H,
                                 deadline=NOW + 25 * H)
            assert "刘丽娟" in text and "杭州越州酒业有限公司" in text and "王经理" in text, (situation, lang)
            assert "{" not in text
    zh = leads.message("zh", "a_reminder", rep="刘丽娟", company="杭州越州酒业有限公司", contact_name="王经理",
                       deadline=NOW + 25 * H)
    assert zh.startswith("王经理您好，我是刘丽娟") and "11月24日 13:00前" in zh
    assert "通过展会" in leads.message("zh", "first_contact", rep="刘丽娟", company="越州酒业", channel="展会")
    assert leads.message("zh", "b_demo", rep="刘丽娟", company="越州酒业").startswith("您好，我是刘丽娟")
    assert "Trade fair" in leads.message("en", "first_contact", rep="Amy", company="Yuezhou", channel="展会")


@pytest.mark.parametrize("minutes, zh, en", [
    (0, "剩 0 分钟", "0 min left"), (59, "剩 59 分钟", "59 min left"), (180, "剩 3 小时", "3 h left"),
    (-300, "逾期 5 小时", "5 h overdue"), (47 * 60 + 59, "剩 47 小时", "47 h left"), (48 * 60, "剩 2 天", "2 d left"),
    (-(50 * 60), "逾期 2 天 2 小时", "2 d 2 h overdue"), (None, "—（无截止）", "—"),
])
def test_time_left_reads_naturally(minutes, zh, en):
    assert leads.time_left_text("zh", minutes) == zh
    assert leads.time_left_text("en", minutes) == en


# ---- logging a contact -----------------------------------------------------------------------------

def log(engine, user: User, lead_id: int, version: int = 1, **overrides):
    values = dict(kind="call", note="客户在比较两家供应商", next_action="发送方案", next_action_at=NOW + DAY,
                  now=NOW, version=version)
    values.update(overrides)
    with write_tx(engine) as s:
        return leads.log_contact(s, scope_of(engine, user), lead_id, **values)


def test_the_first_contact_is_logged_and_opens_the_needs_summary(engine, org):
    with write_tx(engine) as s:
        customer = add_customer(s, org.a1, name="杭州越州酒业有限公司")
        lead = add_lead(s, org.a1, NOW - 5 * H, customer_id=customer.id)
    activity_id = log(engine, org.a1, lead.id)
    with read_session(engine) as s:
        act = s.get(Activity, activity_id)
        assert (act.kind, act.lead_id, act.customer_id, act.owner_id, act.team_id) == (
            "call", lead.id, customer.id, org.a1.id, org.alpha.id)
        assert (act.happened_at, act.logged_at, act.note) == (NOW, NOW, "客户在比较两家供应商")
        assert act.fields["next_action"] == "发送方案" and act.fields["first_contact"] is True
        got = s.get(Lead, lead.id)
        assert (got.status, got.first_contact_at, got.last_activity_at) == ("contacted", NOW, NOW)
        assert (got.next_action, got.next_action_at, got.version) == ("发送方案", NOW + DAY, 2)
        step = s.scalar(select(StepInstance).where(StepInstance.trigger_activity_id == activity_id))
        assert (step.owner_id, step.customer_id, step.triggered_at, step.due_at) == (
            org.a1.id, customer.id, NOW, NOW + 24 * H)
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "log_contact"))
        assert audit.detail["activity_id"] == activity_id and audit.detail["status"] == ["new", "contacted"]
    row = inbox(engine, org.a1).iloc[0]
    assert (row["window"], row["situation"], row["touches"]) == ("grade_A", "a_proposal", 1)


def test_the_proposal_completes_grade_a_and_the_next_action_takes_over(engine, org):
    with write_tx(engine) as s:
        lead = add_lead(s, org.a1, NOW - 5 * H)
    log(engine, org.a1, lead.id)
    log(engine, org.a1, lead.id, version=2, kind="proposal", next_action="约方案讲解", next_action_at=NOW + 2 * DAY)
    with read_session(engine) as s:
        got = s.get(Lead, lead.id)
        assert (got.first_contact_at, got.status, got.next_action) == (NOW, "contacted", "约方案讲解")
        assert s.scalar(select(func.count()).select_from(StepInstance)) == 1  # only the first contact opened one
    row = inbox(engine, org.a1).iloc[0]
    assert (row["window"], row["hours_left"], row["proposals"], row["situation"]) == ("next_action", 48.0, 1, "follow_up")


def test_a_lost_lead_leaves_the_inbox_and_needs_no_next_action(engine, org):
    with write_tx(engine) as s:
        lead = add_lead(s, org.a1, NOW - 5 * H)
    log(engine, org.a1, lead.id, outcome="lost", next_action="", next_action_at=None)
    with read_session(engine) as s:
        assert s.get(Lead, lead.id).status == "lost"
    assert inbox(engine, org.a1).empty
    with pytest.raises(InvalidLead) as exc:
        log(engine, org.a1, lead.id, version=2)
    assert exc.value.msg_key == "leads.err.closed"


@pytest.mark.parametrize("overrides, field, key", [
    (dict(kind=None), "kind", "err.required"),
    (dict(kind="lunch"), "kind", "leads.err.kind"),
    (dict(kind="proposal"), "kind", "leads.err.first_kind"),  # a first contact is a contact
    (dict(next_action=""), "next_action", "err.required"),
    (dict(next_action_at=None), "next_action_at", "err.required"),
    (dict(next_action_at=NOW - H), "next_action_at", "leads.err.next_past"),
    (dict(note="记" * 501), "note", "leads.err.too_long"),
    (dict(outcome="maybe"), "outcome", "leads.err.outcome"),
])
def test_a_bad_contact_log_writes_nothing(engine, org, overrides, field, key):
    with write_tx(engine) as s:
        lead = add_lead(s, org.a1, NOW - 5 * H)
    with pytest.raises(InvalidLead) as exc:
        log(engine, org.a1, lead.id, **overrides)
    assert (exc.value.field, exc.value.msg_key) == (field, key)
    assert count(engine, Activity) == count(engine, AuditLog) == count(engine, StepInstance) == 0
    with read_session(engine) as s:
        assert (s.get(Lead, lead.id).status, s.get(Lead, lead.id).version) == ("new", 1)


def test_only_the_owner_logs_on_a_lead(engine, org):
    with write_tx(engine) as s:
        lead = add_lead(s, org.a2, NOW - 5 * H)
    for user in (org.a1, org.lead_alpha, org.director):
        with pytest.raises(InvalidLead) as exc:
            log(engine, user, lead.id)
        assert exc.value.field == "lead_id"
    for bad in (999, "1", None, True):
        with pytest.raises(InvalidLead):
            log(engine, org.a2, bad)
    assert count(engine, Activity) == 0


def test_a_lead_changed_since_it_was_opened_is_a_conflict(engine, org):
    with write_tx(engine) as s:
        lead = add_lead(s, org.a1, NOW - 5 * H)
    log(engine, org.a1, lead.id, version=1)
    with pytest.raises(LeadConflict):
        log(engine, org.a1, lead.id, version=1, note="第二个窗口里的记录")
    assert count(engine, Activity) == 1
