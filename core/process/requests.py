"""Customer issues and cross-department requests (SPEC §2, §5): raised → closed with a resolution,
requested → answered by the receiving department. They feed the PSI's closure and collaboration
parts (core.process.psi).

Who sees what (every read takes the caller's Scope):
- a rep their own issues and requests, a lead their teams', director and admin every team;
- department staff (role ``service``) only the requests addressed to their department, each with
  what the request itself shows (customer name, subject, who asked, team) — no issues, no other rows.

Who does what (which role may is the access table's, core.base.access; each write validates
everything first, raises a UserError naming the field, and adds its audit row in the caller's unit
of work):
- ``answer_request`` (request.answer): staff of the request's department answer it, once;
- ``close_issue`` (issue.close): the issue's owner, or the lead of its team, closes it with a
  resolution, once;
- ``raise_issue`` (issue.raise) / ``open_request`` (request.open): a rep for their own customer, a
  lead for a customer of their teams (the needs-summary form's one-click request is written by
  core.process.capture with the form).
Two people answering (or closing) the same record: the second is told it was already done, when,
and nothing of theirs is saved (the UPDATE only matches a still-open row).
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import false, func, literal, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import DateTime

from core.base import rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import AuditLog, CrossDeptRequest, Customer, CustomerIssue, Team, User
from core.base.scope import Scope, scoped_read
from core.base.vocabulary import DEPARTMENTS, STAFF
from core.base.sqlfn import hours_between

STATUSES = ("open", "closed", "all")  # closed: answered, for requests
TEXT_MAX = 200        # an issue's title, a request's subject
ANSWER_MAX = 2000     # a request's answer, an issue's resolution
ROW_LIMIT = 5000


class InvalidRequestInput(UserError):
    """An issue or request value is not acceptable (or not the caller's); ``field`` names it."""


class AlreadyDone(UserError):
    """The request was answered (or the issue closed) by someone else meanwhile: nothing was saved."""


# ---- reads ---------------------------------------------------------------------------------------

def _status(status: str) -> str:
    if status not in STATUSES:
        raise InvalidRequestInput("requests.err.status", "status")
    return status


def _limit(limit: int) -> int:
    return max(1, min(int(limit), ROW_LIMIT))


def _by_status(stmt, status: str, opened, closed, id_col):
    """Only the open (or closed) ones, or all; open first, oldest first, then closed, newest first."""
    if _status(status) == "open":
        return stmt.where(closed.is_(None)).order_by(opened, id_col)
    if status == "closed":
        return stmt.where(closed.is_not(None)).order_by(closed.desc(), id_col.desc())
    return stmt.order_by(closed.is_not(None), closed.desc(), opened, id_col)


@scoped_read
def requests(scope: Scope, session: Session, now: datetime, status: str = "open",
             limit: int = 500) -> pd.DataFrame:
    """Cross-department requests the caller may see: id, requested_at, department, subject, customer,
    owner (who asked), team, answered_at, answer, hours (to the answer, or waiting so far at ``now``),
    overdue (hours above the collaboration target), owner_id. Open ones first, longest waiting first;
    then answered ones, newest first."""
    r, owner = CrossDeptRequest, aliased(User)
    target = rules.get(session, "psi_collaboration_target_hours")
    hours = hours_between(r.answered_at, r.requested_at)
    waiting = hours_between(literal(now, DateTime()), r.requested_at)
    stmt = (select(r.id.label("id"), r.requested_at.label("requested_at"), r.department.label("department"),
                   r.subject.label("subject"), Customer.name.label("customer"), owner.display_name.label("owner"),
                   Team.name.label("team"), r.answered_at.label("answered_at"), r.answer.label("answer"),
                   (hours if status == "closed" else waiting if status == "open" else
                    func.coalesce(hours, waiting)).label("hours"),
                   r.owner_id.label("owner_id"))
            .outerjoin(Customer, Customer.id == r.customer_id)
            .outerjoin(owner, owner.id == r.owner_id)
            .outerjoin(Team, Team.id == r.team_id))
    if scope.role == STAFF:
        stmt = stmt.where(r.department == scope.department) if scope.department else stmt.where(false())
    else:
        stmt = scope.apply(stmt, r.owner_id, r.team_id)
    stmt = _by_status(stmt, status, r.requested_at, r.answered_at, r.id)
    df = pd.read_sql(stmt.limit(_limit(limit)), session.connection())
    return _finish(df, ("requested_at", "answered_at"), df["hours"].astype(float) > target)


@scoped_read
def issues(scope: Scope, session: Session, now: datetime, status: str = "open", limit: int = 500) -> pd.DataFrame:
    """Customer issues the caller may see (none for department staff): id, raised_at, customer, title,
    owner, team, closed_at, resolution, days (to close, or open so far at ``now``), overdue (days
    above the closure target), owner_id. Open ones first, oldest first; then closed, newest first."""
    i, owner = CustomerIssue, aliased(User)
    target = rules.get(session, "psi_closure_target_days")
    days = hours_between(i.closed_at, i.raised_at) / 24.0
    open_days = hours_between(literal(now, DateTime()), i.raised_at) / 24.0
    stmt = (select(i.id.label("id"), i.raised_at.label("raised_at"), Customer.name.label("customer"),
                   i.title.label("title"), owner.display_name.label("owner"), Team.name.label("team"),
                   i.closed_at.label("closed_at"), i.resolution.label("resolution"),
                   (days if status == "closed" else open_days if status == "open" else
                    func.coalesce(days, open_days)).label("days"),
                   i.owner_id.label("owner_id"))
            .join(Customer, Customer.id == i.customer_id)
            .outerjoin(owner, owner.id == i.owner_id)
            .outerjoin(Team, Team.id == i.team_id))
    stmt = scope.apply(stmt, i.owner_id, i.team_id)
    stmt = _by_status(stmt, status, i.raised_at, i.closed_at, i.id)
    df = pd.read_sql(stmt.limit(_limit(limit)), session.connection())
    return _finish(df, ("raised_at", "closed_at"), df["days"].astype(float) > target)


def _finish(df: pd.DataFrame, times: tuple[str, str], overdue: pd.Series) -> pd.DataFrame:
    for col in times:
        df[col] = pd.to_datetime(df[col])
    measure = "hours" if "hours" in df else "days"
    df[measure] = df[measure].astype(float).round(1)
    df.insert(len(df.columns) - 1, "overdue", overdue.astype(bool))
    return df


# ---- writes ----------------------------------------------------------------------------------------

def _clean(text, field: str, maximum: int) -> str:
    value = (text or "").strip() if isinstance(text, str) or text is None else None
    if value is None:
        raise InvalidRequestInput("requests.err.text", field)
    if not value:
        raise InvalidRequestInput("err.required", field)
    if len(value) > maximum:
        raise InvalidRequestInput("requests.err.too_long", field, n=maximum)
    return value


def _id(value, field: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestInput(key, field)
    return value


def _audit(session: Session, scope: Scope, now: datetime, action: str, entity: str, entity_id: int,
           detail: dict) -> None:
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action=action, entity=entity,
                         entity_id=str(entity_id), detail=detail))


@guarded("request.answer")
def answer_request(session: Session, scope: Scope, request_id, answer, now: datetime) -> None:
    """Department staff answer a request addressed to their department (once)."""
    rid = _id(request_id, "request_id", "requests.err.no_request")
    text = _clean(answer, "answer", ANSWER_MAX)
    req = session.get(CrossDeptRequest, rid)
    if req is None or not scope.department or req.department != scope.department:
        raise InvalidRequestInput("requests.err.no_request", "request_id")
    if req.answered_at is not None:
        raise AlreadyDone("requests.err.answered", "request_id", at=f"{req.answered_at:%Y-%m-%d %H:%M}")
    at = max(now, req.requested_at)
    done = session.execute(update(CrossDeptRequest)
                           .where(CrossDeptRequest.id == rid, CrossDeptRequest.answered_at.is_(None))
                           .values(answered_at=at, answer=text)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # someone answered between our read and this write
        session.expire(req)
        raise AlreadyDone("requests.err.answered", "request_id", at=f"{req.answered_at:%Y-%m-%d %H:%M}")
    _audit(session, scope, now, "answer", "cross_dept_request", rid, {"department": req.department,
                                                                      "answer": text[:200]})


@guarded("issue.close")
def close_issue(session: Session, scope: Scope, issue_id, resolution, now: datetime) -> None:
    """The issue's owner (a rep) or the lead of its team closes it with a resolution (once)."""
    iid = _id(issue_id, "issue_id", "requests.err.no_issue")
    text = _clean(resolution, "resolution", ANSWER_MAX)
    issue = session.get(CustomerIssue, iid)
    mine = issue is not None and (issue.owner_id == scope.user_id if scope.own_only
                                  else bool(scope.team_ids) and issue.team_id in scope.team_ids)
    if not mine:
        raise InvalidRequestInput("requests.err.no_issue", "issue_id")
    if issue.closed_at is not None:
        raise AlreadyDone("requests.err.closed", "issue_id", at=f"{issue.closed_at:%Y-%m-%d %H:%M}")
    at = max(now, issue.raised_at)
    done = session.execute(update(CustomerIssue)
                           .where(CustomerIssue.id == iid, CustomerIssue.closed_at.is_(None))
                           .values(closed_at=at, resolution=text)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.expire(issue)
        raise AlreadyDone("requests.err.closed", "issue_id", at=f"{issue.closed_at:%Y-%m-%d %H:%M}")
    _audit(session, scope, now, "close", "customer_issue", iid, {"resolution": text[:200]})


def _own_customer(session: Session, scope: Scope, customer_id) -> Customer:
    """A customer the caller works on: a rep's own, or one of a lead's teams'."""
    cid = _id(customer_id, "customer_id", "requests.err.no_customer")
    customer = session.get(Customer, cid)
    mine = customer is not None and (customer.owner_id == scope.user_id if scope.own_only
                                     else bool(scope.team_ids) and customer.team_id in scope.team_ids)
    if not mine:
        raise InvalidRequestInput("requests.err.no_customer", "customer_id")
    return customer


@guarded("issue.raise")
def raise_issue(session: Session, scope: Scope, customer_id, title, now: datetime) -> int:
    """Record a customer's open issue; it belongs to the customer's owner and team. Returns its id."""
    customer = _own_customer(session, scope, customer_id)
    text = _clean(title, "title", TEXT_MAX)
    issue = CustomerIssue(customer_id=customer.id, owner_id=customer.owner_id or scope.user_id,
                          team_id=customer.team_id, title=text, raised_at=now, closed_at=None, resolution="")
    session.add(issue)
    session.flush()
    _audit(session, scope, now, "create", "customer_issue", issue.id, {"customer_id": customer.id, "title": text})
    return issue.id


@guarded("request.open")
def open_request(session: Session, scope: Scope, customer_id, department, subject, now: datetime) -> int:
    """Ask marketing, support or delivery for something about a customer. Returns the request's id."""
    customer = _own_customer(session, scope, customer_id)
    if department not in DEPARTMENTS:
        raise InvalidRequestInput("requests.err.department", "department")
    text = _clean(subject, "subject", TEXT_MAX)
    req = CrossDeptRequest(customer_id=customer.id, owner_id=scope.user_id, team_id=customer.team_id,
                           department=department, subject=text, requested_at=now, answered_at=None, answer="")
    session.add(req)
    session.flush()
    _audit(session, scope, now, "create", "cross_dept_request", req.id,
           {"customer_id": customer.id, "department": department, "subject": text})
    return req.id
