"""Customer issues and cross-department requests (SPEC §2, §5): who sees which, department staff answer
their department's requests, owners and leads close issues with a resolution, validation writes
nothing, and the second of two people doing the same is told so."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.process import requests
from core.base import users
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, CrossDeptRequest, CustomerIssue, User
from core.base.scope import Scope, ScopeError, scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, add_user, make_org, scope_of

H = timedelta(hours=1)
D = timedelta(days=1)
ADMIN = COMPANY


@pytest.fixture
def desk(engine):
    """Alpha (a1, a2) and Beta (b1) each with a customer, an open issue and requests to support and
    delivery; support staff sam, delivery staff dan, and a department-less service account nobody."""
    with write_tx(engine) as s:
        org = make_org(s)
        rows = {}
        for rep in (org.a1, org.a2, org.b1):
            c = add_customer(s, rep, name=f"{rep.username} Co")
            rows[rep.username] = c.id
            s.add_all([
                CustomerIssue(customer_id=c.id, owner_id=rep.id, team_id=rep.team_id, title=f"{rep.username} broken",
                              raised_at=NOW - 4 * D, resolution=""),
                CrossDeptRequest(customer_id=c.id, owner_id=rep.id, team_id=rep.team_id, department="support",
                                 subject=f"{rep.username} install", requested_at=NOW - 30 * H),
                CrossDeptRequest(customer_id=c.id, owner_id=rep.id, team_id=rep.team_id, department="delivery",
                                 subject=f"{rep.username} ship", requested_at=NOW - 5 * H),
            ])
        for name, dept in (("sam", "support"), ("dan", "delivery"), ("nobody", None)):
            u = add_user(s, name, name.title(), "service")
            u.department = dept
        s.flush()
    return org, rows


def read(engine, fn, username_or_scope, **kw):
    scope = username_or_scope if isinstance(username_or_scope, Scope) else scope_of(engine, username_or_scope)
    with read_session(engine) as s:
        return fn(scope, s, NOW, **kw)


def ids_of(engine, model, **where):
    with read_session(engine) as s:
        return s.scalars(select(model.id).filter_by(**where).order_by(model.id)).all()


# ---- who sees what -------------------------------------------------------------------------------

def test_department_staff_see_only_their_departments_requests_and_no_issues(engine, desk):
    support = read(engine, requests.requests, "sam", status="all")
    assert sorted(support["subject"]) == ["a1 install", "a2 install", "b1 install"]
    assert set(support["customer"]) == {"a1 Co", "a2 Co", "b1 Co"}      # what the request shows
    assert set(read(engine, requests.requests, "dan")["subject"]) == {"a1 ship", "a2 ship", "b1 ship"}
    assert read(engine, requests.issues, "sam", status="all").empty
    assert read(engine, requests.requests, "nobody", status="all").empty
    with read_session(engine) as s:
        sam = scope_for(s, s.scalar(select(User).where(User.username == "sam")))
    assert sam == Scope(sam.user_id, "service", frozenset(), department="support")
    assert sam.key != scope_of(engine, "dan").key  # different departments never share a cached read


def test_reps_see_their_own_and_leads_their_teams(engine, desk):
    assert list(read(engine, requests.requests, "a1", status="all")["subject"]) == ["a1 install", "a1 ship"]
    assert list(read(engine, requests.issues, "a1")["title"]) == ["a1 broken"]
    assert set(read(engine, requests.issues, "lena")["title"]) == {"a1 broken", "a2 broken"}
    assert set(read(engine, requests.requests, "leo", status="all")["subject"]) == {"b1 install", "b1 ship"}
    assert len(read(engine, requests.requests, ADMIN, status="all")) == 6


def test_open_requests_show_how_long_they_wait_and_whether_past_the_target(engine, desk):
    df = read(engine, requests.requests, "a1")
    assert list(df["subject"]) == ["a1 install", "a1 ship"]       # longest waiting first
    assert list(df["hours"]) == [30.0, 5.0]
    assert list(df["overdue"]) == [True, False]                    # target 24 h
    issues = read(engine, requests.issues, "a1")
    assert (issues["days"].iloc[0], bool(issues["overdue"].iloc[0])) == (4.0, True)   # target 3 days
    with pytest.raises(requests.InvalidRequestInput):
        read(engine, requests.requests, "a1", status="pending")


# ---- answering requests ----------------------------------------------------------------------------

def test_department_staff_answer_a_request_once_with_an_audit_row(engine, desk):
    rid = ids_of(engine, CrossDeptRequest, subject="a1 install")[0]
    with write_tx(engine) as s:
        requests.answer_request(s, scope_of(engine, "sam"), rid, "  Engineer booked for Friday ", NOW)
    with read_session(engine) as s:
        r = s.get(CrossDeptRequest, rid)
        assert (r.answered_at, r.answer) == (NOW, "Engineer booked for Friday")
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "cross_dept_request")).one()
        assert (audit.action, audit.entity_id) == ("answer", str(rid))
    answered = read(engine, requests.requests, "a1", status="closed")
    assert list(answered["subject"]) == ["a1 install"] and list(answered["hours"]) == [30.0]
    assert list(read(engine, requests.requests, "sam")["subject"]) == ["a2 install", "b1 install"]
    # answered already: the second answer is refused, naming when, and changes nothing
    with pytest.raises(requests.AlreadyDone) as again:
        with write_tx(engine) as s:
            requests.answer_request(s, scope_of(engine, "sam"), rid, "second answer", NOW + H)
    assert again.value.field == "request_id" and "2026-11-23 12:00" in again.value.message("en")
    with read_session(engine) as s:
        assert s.get(CrossDeptRequest, rid).answer == "Engineer booked for Friday"


@pytest.mark.parametrize("who, request_subject, answer, error, field", [
    ("dan", "a1 install", "ok", requests.InvalidRequestInput, "request_id"),   # not delivery's request
    ("sam", "a1 install", "   ", requests.InvalidRequestInput, "answer"),
    ("sam", "a1 install", "x" * 2001, requests.InvalidRequestInput, "answer"),
    ("sam", "a1 install", None, requests.InvalidRequestInput, "answer"),
    ("sam", None, "ok", requests.InvalidRequestInput, "request_id"),
    ("nobody", "a1 install", "ok", requests.InvalidRequestInput, "request_id"),
    ("a1", "a1 install", "ok", ScopeError, None),                                # a rep cannot answer
    ("lena", "a1 install", "ok", ScopeError, None),
])
def test_answering_refuses_bad_input_and_writes_nothing(engine, desk, who, request_subject, answer, error, field):
    rid = ids_of(engine, CrossDeptRequest, subject=request_subject)[0] if request_subject else 99999
    with pytest.raises(error) as refused:
        with write_tx(engine) as s:
            requests.answer_request(s, scope_of(engine, who), rid, answer, NOW)
    if field:
        assert refused.value.field == field
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(CrossDeptRequest)
                        .where(CrossDeptRequest.answered_at.is_not(None))) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_two_staff_answering_the_same_request_the_second_is_told(engine, desk):
    """Both opened the request while it was open; the other saved first, between our read and our
    write: the conditional UPDATE matches nothing, we are told when it was answered, nothing of ours
    is saved."""
    rid = ids_of(engine, CrossDeptRequest, subject="b1 install")[0]
    sam = scope_of(engine, "sam")
    with pytest.raises(requests.AlreadyDone) as late:
        with write_tx(engine) as mine:
            assert mine.get(CrossDeptRequest, rid).answered_at is None   # what our form showed
            with write_tx(engine) as other:
                requests.answer_request(other, sam, rid, "first", NOW - H)
            requests.answer_request(mine, sam, rid, "second", NOW)
    assert "2026-11-23 11:00" in late.value.message("en")
    with read_session(engine) as s:
        r = s.get(CrossDeptRequest, rid)
        assert (r.answer, r.answered_at) == ("first", NOW - H)
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 1


# ---- closing issues ----------------------------------------------------------------------------------

def test_the_owner_or_their_lead_closes_an_issue_with_a_resolution(engine, desk):
    a1_issue = ids_of(engine, CustomerIssue, title="a1 broken")[0]
    a2_issue = ids_of(engine, CustomerIssue, title="a2 broken")[0]
    with write_tx(engine) as s:
        requests.close_issue(s, scope_of(engine, "a1"), a1_issue, "Replaced the part", NOW)
        requests.close_issue(s, scope_of(engine, "lena"), a2_issue, "Lead called the customer", NOW + H)
    closed = read(engine, requests.issues, "lena", status="closed")
    assert list(closed["title"]) == ["a2 broken", "a1 broken"]          # newest closed first
    assert list(closed["resolution"]) == ["Lead called the customer", "Replaced the part"]
    assert list(closed["days"]) == [4.0, 4.0] and list(closed["overdue"]) == [True, True]
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "close")) == 2
    with pytest.raises(requests.AlreadyDone) as again:
        with write_tx(engine) as s:
            requests.close_issue(s, scope_of(engine, "lena"), a1_issue, "again", NOW + 2 * H)
    assert again.value.msg_key == "requests.err.closed"


@pytest.mark.parametrize("who, title, resolution, error, field", [
    ("a2", "a1 broken", "done", requests.InvalidRequestInput, "issue_id"),     # a teammate's issue
    ("leo", "a1 broken", "done", requests.InvalidRequestInput, "issue_id"),    # another team's lead
    ("a1", "a1 broken", "", requests.InvalidRequestInput, "resolution"),
    ("a1", "a1 broken", "y" * 2001, requests.InvalidRequestInput, "resolution"),
    ("a1", None, "done", requests.InvalidRequestInput, "issue_id"),
    ("dora", "a1 broken", "done", ScopeError, None),                          # the director only reads
    ("sam", "a1 broken", "done", ScopeError, None),
])
def test_closing_refuses_bad_input_and_writes_nothing(engine, desk, who, title, resolution, error, field):
    iid = ids_of(engine, CustomerIssue, title=title)[0] if title else "1"
    with pytest.raises(error) as refused:
        with write_tx(engine) as s:
            requests.close_issue(s, scope_of(engine, who), iid, resolution, NOW)
    if field:
        assert refused.value.field == field
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(CustomerIssue)
                        .where(CustomerIssue.closed_at.is_not(None))) == 0


# ---- raising issues and opening requests -------------------------------------------------------------

def test_a_rep_raises_an_issue_and_asks_a_department_for_their_customer(engine, desk):
    org, customers = desk
    with write_tx(engine) as s:
        iid = requests.raise_issue(s, scope_of(engine, "a1"), customers["a1"], " Invoice wrong ", NOW)
        rid = requests.open_request(s, scope_of(engine, "a1"), customers["a1"], "marketing", "Case study", NOW)
    with read_session(engine) as s:
        issue = s.get(CustomerIssue, iid)
        assert (issue.title, issue.owner_id, issue.team_id, issue.closed_at) == ("Invoice wrong", org.a1.id,
                                                                                 org.alpha.id, None)
        req = s.get(CrossDeptRequest, rid)
        assert (req.department, req.owner_id, req.team_id, req.answered_at) == ("marketing", org.a1.id,
                                                                                org.alpha.id, None)
    assert read(engine, requests.requests, "sam").shape[0] == 3      # support's requests unchanged


@pytest.mark.parametrize("who, customer, department, subject, field", [
    ("a1", "a2", "support", "help", "customer_id"),     # a teammate's customer
    ("lena", "b1", "support", "help", "customer_id"),   # another team's customer
    ("a1", "a1", "legal", "help", "department"),
    ("a1", "a1", "support", "", "subject"),
    ("a1", "a1", "support", "z" * 201, "subject"),
    ("a1", None, "support", "help", "customer_id"),
])
def test_opening_a_request_refuses_bad_input(engine, desk, who, customer, department, subject, field):
    _, customers = desk
    with pytest.raises(requests.InvalidRequestInput) as refused:
        with write_tx(engine) as s:
            requests.open_request(s, scope_of(engine, who), customers.get(customer), department, subject, NOW)
    assert refused.value.field == field
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(CrossDeptRequest)) == 6


def test_a_lead_raises_an_issue_for_a_teams_customer_owned_by_the_rep(engine, desk):
    org, customers = desk
    with write_tx(engine) as s:
        iid = requests.raise_issue(s, scope_of(engine, "lena"), customers["a2"], "Late delivery", NOW)
    with read_session(engine) as s:
        assert s.get(CustomerIssue, iid).owner_id == org.a2.id
    with pytest.raises(ScopeError):
        with write_tx(engine) as s:
            requests.raise_issue(s, scope_of(engine, "sam"), customers["a2"], "x", NOW)


# ---- department staff accounts ------------------------------------------------------------------------

@pytest.mark.parametrize("role, team, department, field", [
    ("service", None, None, "department"),          # department staff name their department
    ("service", None, "legal", "department"),
    ("service", "alpha", "support", "team_id"),     # and belong to no sales team
    ("rep", "alpha", "support", "department"),      # nobody else has a department
])
def test_department_staff_accounts_are_validated(engine, desk, role, team, department, field):
    org, _ = desk
    with pytest.raises(users.InvalidUserInput) as refused:
        with write_tx(engine) as s:
            users.create_user(s, ADMIN, username="newbie", display_name="New", role=role,
                              team_id=org.alpha.id if team else None, password="long-enough-1", now=NOW,
                              department=department)
    assert refused.value.field == field


def test_an_admin_creates_department_staff_who_see_their_departments_requests(engine, desk):
    with write_tx(engine) as s:
        uid = users.create_user(s, ADMIN, username="mia", display_name="Mia Marketing", role="service",
                                team_id=None, password="long-enough-1", now=NOW, department="marketing")
    with read_session(engine) as s:
        assert s.get(User, uid).department == "marketing"
        listed = users.list_users(ADMIN, s)
    assert listed.loc[listed["username"] == "mia", "department"].item() == "marketing"
    assert scope_of(engine, "mia") == Scope(uid, "service", frozenset(), department="marketing")
    assert read(engine, requests.requests, "mia", status="all").empty   # nothing was asked of marketing yet
