"""The lead desk for the people who work leads (SPEC §3): the entry form with its duplicate check,
the rep's inbox sorted by urgency, logging a contact from it, and the message template that fits
each lead's situation.

Grades and windows (hours are settings, core.base.rules):
- first response: every lead needs a first contact within ``first_response_hours`` (48) of its
  creation;
- A — call and proposal within ``grade_a_hours`` (48); B — demo booked within ``grade_b_hours``
  (72); C — second touch within ``grade_c_hours`` (168, 7 days). A grade's window counts from the
  moment the lead reached its owner (``assigned_at``; ``created_at`` for a lead never assigned),
  because SPEC states each grade's first action as the whole response to the lead ("call *and*
  proposal within 48 h"), not as a step after the first call; a reassigned lead's new owner gets
  a fresh grade window, while the first-response window stays tied to the creation.
- A grade's action is done when the lead has a ``proposal`` activity (A), a ``demo`` activity
  (B: the demo booked or held), or two touches (C: calls, visits, messages, demos, proposals), or
  once the lead is ``qualified`` (needs confirmed: it has moved past its first action).

Urgency (``urgency``): the deadline is the earliest obligation still open — the first contact
(if none yet) and the grade's action (if not done); ties go to the first contact. With both done
it is the next action's time the rep set (``next_action_at``), and with none of them there is no
deadline. Time left = deadline − now. A lead is overdue only *after* its deadline: exactly at it
there are 0 minutes left and it is still on time (as the cockpit's 48 h rate counts ≤ 48 h).

Writes validate every field first, raise ``InvalidLead`` (a UserError naming its field), and write
their audit row in the caller's unit of work (core.base.db.write_tx), so nothing is half-written.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

import pandas as pd
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from core.base import access, rules
from core.base.access import guarded
from core.leads import dedupe, routing
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import Activity, AuditLog, Customer, Lead, LeadAssignment, Region, Team, User
from core.base.vocabulary import CONTACT_KINDS, CONTACT_OUTCOMES, GRADES, LEAD_LOG_KINDS, OPEN_LEAD_STATUSES, SIZES
from core.base.scope import Scope, ScopeError, scoped_read

# The source channels a lead may come from (the values stored on leads), with their text codes.
SOURCE_CHANNELS: dict[str, str] = {
    "展会": "expo", "官网": "website", "转介绍": "referral", "电话营销": "telemarketing",
    "线上广告": "online_ads", "老客户": "existing_customer",
}
AUTO = "auto"  # the owner choice "route automatically"
ENTERED = "entered"  # LeadAssignment.reason of a lead entered by hand for its owner
TOUCH_KINDS = LEAD_LOG_KINDS
SITUATIONS = ("first_contact", "first_contact_late", "a_proposal", "a_reminder", "b_demo", "c_second_touch",
              "overdue_apology", "follow_up")
WINDOWS = ("first_response", "grade_A", "grade_B", "grade_C", "next_action", "none")
COMPANY_MAX = 160
CONTACT_MAX = 60
INDUSTRY_MAX = 40
NEXT_ACTION_MAX = 200
NOTE_MAX = 500
NEXT_ACTION_MAX_DAYS = 90
DUE_SOON_HOURS = 24  # the inbox counts the leads due within a day
MAX_MATCHES = 8


class InvalidLead(UserError):
    """A lead-entry or contact-log value is not acceptable; ``field`` names the form field.
    ``errors``: every refused field's error of the same form (this one first)."""

    def __init__(self, msg_key: str, field: str | None = None, **params):
        super().__init__(msg_key, field, **params)
        self.errors: list[InvalidLead] = [self]


def _run_checks(checks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every field's check; the clean values, or raise the first error carrying all of them
    (``.errors``), so a form marks every bad field at once."""
    clean: dict[str, Any] = {}
    errors: list[InvalidLead] = []
    for name, check in checks.items():
        try:
            clean[name] = check()
        except InvalidLead as exc:
            errors.append(exc)
    if errors:
        errors[0].errors = errors
        raise errors[0]
    return clean


class LeadConflict(UserError):
    """The lead changed since the user opened it: nothing was saved."""


class DuplicatesFound(Exception):
    """The entry matches existing customers or open leads the user has not acknowledged; nothing
    was written. ``matches``: every match, best first."""

    def __init__(self, matches: list["Match"]):
        self.matches = matches
        super().__init__(f"{len(matches)} possible duplicates")


# ---- entry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeadEntry:
    """What the entry form sends: five required fields, optional extras, and (for a lead,
    director or admin) the owner: a rep's id or AUTO."""
    company: Any
    phone: Any
    source_channel: Any
    grade: Any
    next_action: Any
    next_action_at: Any
    contact_name: Any = ""
    industry: Any = ""
    size: Any = ""
    region_id: Any = None
    owner: Any = None


@dataclass(frozen=True)
class Match:
    """An existing customer or open lead that looks like the entry.

    Outside the caller's scope only the company name and the owner's display name are given:
    ``record_id`` and ``customer_id`` are None, so nothing links to its details."""
    key: str                 # "customer:12" / "lead:40": what the user acknowledges
    kind: str                # customer / lead
    name: str
    owner_name: str          # "" for nobody (a lead in the pool)
    reasons: tuple[str, ...]  # "phone", "name"
    similarity: float        # 0–1 of the names (a phone match may have any: see reasons)
    record_id: int | None = None
    customer_id: int | None = None
    status: str = ""
    mine: bool = False       # the caller owns it
    similar_name: bool = False  # the names are alike (a name match, or a phone match whose name is alike too)

    @property
    def in_scope(self) -> bool:
        return self.record_id is not None


def _text(value: Any, field_name: str, max_len: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidLead("leads.err.text", field_name)
    value = " ".join(value.split())
    if required and not value:
        raise InvalidLead("err.required", field_name)
    if len(value) > max_len:
        raise InvalidLead("leads.err.too_long", field_name, n=max_len)
    return value


def _next_at(value: Any, now: datetime, field_name: str = "next_action_at") -> datetime:
    if value is None or value == "":
        raise InvalidLead("err.required", field_name)
    if not isinstance(value, datetime):
        raise InvalidLead("leads.err.datetime", field_name)
    value = value.replace(second=0, microsecond=0, tzinfo=None)
    if value < now.replace(second=0, microsecond=0):
        raise InvalidLead("leads.err.next_past", field_name)
    if value > now + timedelta(days=NEXT_ACTION_MAX_DAYS):
        raise InvalidLead("leads.err.next_far", field_name, n=NEXT_ACTION_MAX_DAYS)
    return value


def _in_scope(scope: Scope, owner_id: int | None, team_id: int | None) -> bool:
    if scope.own_only:
        return owner_id is not None and owner_id == scope.user_id
    return scope.team_ids is None or team_id in scope.team_ids


@dataclass(frozen=True)
class _Clean:
    company: str
    phone: str
    source_channel: str
    grade: str
    next_action: str
    next_action_at: datetime
    contact_name: str
    industry: str
    size: str
    region_id: int | None
    owner: User | None  # None: route automatically
    reason: str          # ENTERED, or routed


def _company(value: Any) -> str:
    company = _text(value, "company", COMPANY_MAX)
    if not dedupe.names_a_company(company):
        raise InvalidLead("leads.err.company", "company")
    return company


def _phone(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidLead("err.required", "phone")
    phone = dedupe.display_phone(value) if isinstance(value, str) else None
    if phone is None:
        raise InvalidLead("leads.err.phone", "phone")
    return phone


def _choice(value: Any, field_name: str, allowed, key: str) -> Any:
    if value is None or value == "":
        raise InvalidLead("err.required", field_name)
    if value not in allowed:
        raise InvalidLead(key, field_name)
    return value


def _size(value: Any) -> str:
    if (value or "") not in ("", *SIZES):
        raise InvalidLead("leads.err.size", "size")
    return value or ""


def _region(session: Session, value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or session.get(Region, value) is None):
        raise InvalidLead("leads.err.region", "region_id")
    return value


def validate_entry(session: Session, scope: Scope, entry: LeadEntry, now: datetime) -> _Clean:
    """Every field of the entry checked. Raises InvalidLead for the first bad field in the form's
    order, carrying every bad field's error in ``errors`` (so the form marks them all at once).
    Refuses a role that may not enter leads (access "lead.enter"); writes nothing."""
    access.require(scope, "lead.enter")
    checks: dict[str, Any] = {
        "company": lambda: _company(entry.company),
        "phone": lambda: _phone(entry.phone),
        "source_channel": lambda: _choice(entry.source_channel, "source_channel", SOURCE_CHANNELS, "leads.err.channel"),
        "grade": lambda: _choice(entry.grade, "grade", GRADES, "leads.err.grade"),
        "next_action": lambda: _text(entry.next_action, "next_action", NEXT_ACTION_MAX),
        "next_action_at": lambda: _next_at(entry.next_action_at, now),
        "contact_name": lambda: _text(entry.contact_name, "contact_name", CONTACT_MAX, required=False),
        "industry": lambda: _text(entry.industry, "industry", INDUSTRY_MAX, required=False),
        "size": lambda: _size(entry.size),
        "region_id": lambda: _region(session, entry.region_id),
        "owner": lambda: _owner(session, scope, entry.owner),
    }
    clean = _run_checks(checks)
    owner, reason = clean.pop("owner")
    if clean["region_id"] is None and owner is not None and owner.team_id is not None:
        clean["region_id"] = session.scalar(select(Team.region_id).where(Team.id == owner.team_id))
    return _Clean(owner=owner, reason=reason, **clean)


def _owner(session: Session, scope: Scope, choice: Any) -> tuple[User | None, str]:
    """A rep enters their own lead; a lead, director or admin picks a rep in scope, or AUTO."""
    if scope.own_only:
        me = session.get(User, scope.user_id)
        if me is None or not me.active or me.team_id is None:
            raise InvalidLead("leads.err.no_team", "owner")
        return me, ENTERED
    if choice == AUTO:
        return None, "routed"
    if choice is None or choice == "":
        raise InvalidLead("leads.err.owner_required", "owner")
    if isinstance(choice, bool) or not isinstance(choice, int):
        raise InvalidLead("leads.err.owner", "owner")
    stmt = select(User).where(User.id == choice, User.role == "rep", User.active.is_(True), User.team_id.is_not(None))
    rep = session.scalar(scope.apply(stmt, User.id, User.team_id))
    if rep is None:
        raise InvalidLead("leads.err.owner", "owner")
    return rep, ENTERED


# ---- the duplicate check -----------------------------------------------------------------------

def find_duplicates(session: Session, scope: Scope, company: str, phone: str,
                    threshold: float | None = None) -> list[Match]:
    """Customers company-wide with the same phone or a company name at least ``threshold`` similar
    (default: setting ``duplicate_name_similarity``), and open leads with the same phone; phone
    matches first, then by similarity. Deliberately not limited to the caller's scope (a duplicate
    is a duplicate whoever owns it), so it tells an out-of-scope match by its company name and
    owner's display name only (see Match). Not a read a page calls: enter_lead runs it inside the
    write and raises DuplicatesFound with its matches, so nothing outside the scope leaves core
    unmasked."""
    if not isinstance(scope, Scope):
        raise ScopeError("find_duplicates needs the caller's Scope")
    if threshold is None:
        threshold = rules.get(session, "duplicate_name_similarity")
    owner = aliased(User)
    cols = (Customer.id, Customer.name, Customer.phone, Customer.owner_id, Customer.team_id,
            owner.display_name.label("owner_name"))
    found: dict[int, dict] = {}
    nsn = dedupe.national_number(phone)
    if nsn:
        stmt = (select(*cols).outerjoin(owner, owner.id == Customer.owner_id)
                .where(dedupe.strip_separators(Customer.phone).like(f"%{nsn}")).order_by(Customer.id).limit(50))
        for r in session.execute(stmt):
            if dedupe.same_phone(r.phone, phone):
                found[r.id] = dict(row=r, reasons=["phone"],
                                   similarity=dedupe.name_similarity(company, r.name, threshold))
    terms = dedupe.prefilter_terms(company)
    if terms:
        names = {r.id: r.name for r in session.execute(
            select(Customer.id, Customer.name)
            .where(or_(*(Customer.name.icontains(term, autoescape=True) for term in terms))))}
        similar = dict(dedupe.similar_names(company, names, threshold, limit=MAX_MATCHES))
        if similar:
            stmt = select(*cols).outerjoin(owner, owner.id == Customer.owner_id).where(Customer.id.in_(list(similar)))
            for r in session.execute(stmt):
                hit = found.setdefault(r.id, dict(row=r, reasons=[], similarity=similar[r.id]))
                hit["reasons"].append("name")
    matches = [_customer_match(scope, h["row"], h["reasons"], h["similarity"], threshold) for h in found.values()]
    if nsn:
        lead_cols = (Lead.id, Lead.company, Lead.phone, Lead.owner_id, Lead.team_id, Lead.customer_id, Lead.status,
                     owner.display_name.label("owner_name"))
        stmt = (select(*lead_cols).outerjoin(owner, owner.id == Lead.owner_id)
                .where(Lead.status.in_(OPEN_LEAD_STATUSES), dedupe.strip_separators(Lead.phone).like(f"%{nsn}"))
                .order_by(Lead.created_at.desc(), Lead.id.desc()).limit(50))
        for r in session.execute(stmt):
            if dedupe.same_phone(r.phone, phone):
                visible = _in_scope(scope, r.owner_id, r.team_id)
                similarity = dedupe.name_similarity(company, r.company, threshold)
                matches.append(Match(f"lead:{r.id}", "lead", r.company, r.owner_name or "", ("phone",), similarity,
                                     r.id if visible else None, r.customer_id if visible else None, r.status,
                                     r.owner_id == scope.user_id, similarity >= threshold))
    matches.sort(key=lambda m: ("phone" not in m.reasons, -m.similarity, m.kind != "customer", m.key))
    return matches[:MAX_MATCHES]


def _customer_match(scope: Scope, r, reasons: list[str], similarity: float, threshold: float) -> Match:
    visible = _in_scope(scope, r.owner_id, r.team_id)
    return Match(f"customer:{r.id}", "customer", r.name, r.owner_name or "", tuple(reasons), similarity,
                 r.id if visible else None, r.id if visible else None, mine=r.owner_id == scope.user_id,
                 similar_name="name" in reasons or similarity >= threshold)


def check_entry(session: Session, scope: Scope, entry: LeadEntry, now: datetime) -> list[Match]:
    """Validate the entry (InvalidLead at the first bad field) and return its possible duplicates;
    writes nothing (enter_lead does both again inside its write)."""
    clean = validate_entry(session, scope, entry, now)
    return find_duplicates(session, scope, clean.company, clean.phone)


@guarded("lead.enter")
def enter_lead(session: Session, scope: Scope, entry: LeadEntry, now: datetime,
               acknowledged: Iterable[str] = ()) -> int:
    """Create a lead from the entry form in the caller's unit of work; returns its id.

    Raises InvalidLead for a bad field and DuplicatesFound when a match is not among
    ``acknowledged`` (the keys of the matches the user confirmed "create anyway" for); then nothing
    is written. A rep's lead is theirs; a lead, director or admin gives it to a rep in scope — both
    a LeadAssignment "entered" by the user who entered it (not "manual", which is a lead's
    reassignment of an existing lead) — or routes it automatically (core.leads.routing.assign_new_lead)."""
    clean = validate_entry(session, scope, entry, now)
    matches = find_duplicates(session, scope, clean.company, clean.phone)
    acknowledged = set(acknowledged)
    if any(m.key not in acknowledged for m in matches):
        raise DuplicatesFound(matches)
    owner = clean.owner
    lead = Lead(company=clean.company, contact_name=clean.contact_name, phone=clean.phone,
                source_channel=clean.source_channel, industry=clean.industry, size=clean.size,
                region_id=clean.region_id, grade=clean.grade, status="new",
                owner_id=owner.id if owner else None, team_id=owner.team_id if owner else None, created_at=now,
                assigned_at=now if owner else None, next_action=clean.next_action,
                next_action_at=clean.next_action_at, version=1)
    session.add(lead)
    session.flush()
    if owner is None:
        routing.assign_new_lead(session, lead, now, scope.user_id)
    else:
        session.add(LeadAssignment(lead_id=lead.id, from_user_id=None, to_user_id=owner.id, team_id=owner.team_id,
                                   reason=clean.reason, at=now, by_user_id=scope.user_id))
    detail: dict[str, Any] = {"company": clean.company, "grade": clean.grade, "source_channel": clean.source_channel,
                              "owner_id": lead.owner_id, "assignment": clean.reason}
    if matches:
        detail["confirmed_duplicates"] = [{"key": m.key, "name": m.name, "reasons": list(m.reasons),
                                           "similarity": round(m.similarity, 3)} for m in matches]
    session.add(AuditLog(at=now, user_id=scope.user_id, action="create_anyway" if matches else "create",
                         entity="lead", entity_id=str(lead.id), detail=detail))
    session.flush()
    return lead.id


# ---- urgency and situations ----------------------------------------------------------------------

@dataclass(frozen=True)
class Windows:
    """The lead windows in hours (settings)."""
    first_response: float
    grade: dict[str, float] = field(default_factory=dict)
    a_reminder: float = 23.0

    @classmethod
    def from_settings(cls, settings: dict) -> "Windows":
        return cls(settings["first_response_hours"],
                   {"A": settings["grade_a_hours"], "B": settings["grade_b_hours"], "C": settings["grade_c_hours"]},
                   settings["grade_a_reminder_hours"])


@dataclass(frozen=True)
class Urgency:
    window: str                  # a WINDOWS value: which obligation sets the deadline
    deadline: datetime | None
    minutes_left: int | None     # deadline − now, whole minutes (negative: overdue)

    @property
    def overdue(self) -> bool:
        return self.minutes_left is not None and self.minutes_left < 0


def grade_done(grade: str, status: str, touches: int, proposals: int, demos: int) -> bool:
    """Whether the grade's first action is done (see the module docstring)."""
    if status == "qualified":
        return True
    if grade == "A":
        return proposals > 0
    if grade == "B":
        return demos > 0
    return touches >= 2


def urgency(*, created_at: datetime, assigned_at: datetime | None, first_contact_at: datetime | None, grade: str,
            done: bool, next_action_at: datetime | None, now: datetime, windows: Windows) -> Urgency:
    """The lead's deadline and the time left (see the module docstring for the rule)."""
    pending: list[tuple[datetime, str]] = []
    if first_contact_at is None:
        pending.append((created_at + timedelta(hours=windows.first_response), "first_response"))
    if not done and grade in windows.grade:
        start = assigned_at or created_at
        pending.append((start + timedelta(hours=windows.grade[grade]), f"grade_{grade}"))
    if pending:
        deadline, window = min(pending, key=lambda p: (p[0], p[1] != "first_response"))
    elif next_action_at is not None:
        deadline, window = next_action_at, "next_action"
    else:
        return Urgency("none", None, None)
    # whole minutes, rounded down: 30 s before the deadline is 0 left (on time), 30 s after is −1 (late)
    return Urgency(window, deadline, math.floor((deadline - now).total_seconds() / 60))


def situation(*, grade: str, contacted: bool, done: bool, overdue: bool, hours_since_start: float,
              windows: Windows) -> str:
    """Which message template fits the lead now (a SITUATIONS value)."""
    if not contacted:
        return "first_contact_late" if overdue else "first_contact"
    if overdue:
        return "overdue_apology"
    if not done:
        if grade == "A":
            return "a_reminder" if hours_since_start >= windows.a_reminder else "a_proposal"
        return "b_demo" if grade == "B" else "c_second_touch"
    return "follow_up"


def channel_label(lang: str, channel: str) -> str:
    code = SOURCE_CHANNELS.get(channel)
    return t(lang, f"leads.channel.{code}") if code else channel


def when_text(lang: str, moment: datetime | None) -> str:
    if moment is None or pd.isna(moment):
        return ""
    return t(lang, "leads.at", month=moment.month, day=moment.day, time=moment.strftime("%H:%M"))


def time_left_text(lang: str, minutes: int | None) -> str:
    """"剩 3 小时" / "逾期 5 小时" (minutes under an hour, days from 48 hours on)."""
    if minutes is None or pd.isna(minutes):
        return t(lang, "leads.left.none")
    minutes = int(minutes)
    span = abs(minutes)
    if span < 60:
        amount = t(lang, "leads.span.minutes", n=span)
    elif span < 48 * 60:
        amount = t(lang, "leads.span.hours", n=span // 60)
    else:
        days, hours = divmod(span // 60, 24)
        amount = (t(lang, "leads.span.days_hours", d=days, h=hours) if hours else t(lang, "leads.span.days", d=days))
    return t(lang, "leads.left.late" if minutes < 0 else "leads.left.ok", span=amount)


def message(lang: str, situation_: str, *, rep: str, company: str, contact_name: str = "", channel: str = "",
            next_action: str = "", next_action_at: datetime | None = None,
            deadline: datetime | None = None) -> str:
    """The follow-up message for the situation, filled with the lead's and the rep's fields, for the
    rep to copy into a call or a message."""
    contact = (contact_name or "").strip()
    greeting = t(lang, "leads.tpl.greeting_named", name=contact) if contact else t(lang, "leads.tpl.greeting")
    return t(lang, f"leads.tpl.{situation_}", greeting=greeting, rep=rep, company=company,
             channel=channel_label(lang, channel) if channel else t(lang, "leads.tpl.our_channels"),
             next_action=next_action or t(lang, "leads.tpl.no_next_action"),
             when=when_text(lang, next_action_at) or t(lang, "leads.tpl.soon"),
             deadline=when_text(lang, deadline) or t(lang, "leads.tpl.soon"))


# ---- reads -------------------------------------------------------------------------------------

INBOX_COLUMNS = ["id", "company", "contact_name", "phone", "grade", "status", "source_channel", "next_action",
                 "next_action_at", "created_at", "assigned_at", "first_contact_at", "last_activity_at",
                 "customer_id", "version", "touches", "proposals", "demos", "window", "deadline", "hours_left",
                 "overdue", "situation", "owner_id"]


@scoped_read
def my_leads(scope: Scope, session: Session, now: datetime) -> pd.DataFrame:
    """The caller's own open leads (new, contacted, qualified), most urgent first: overdue ones by
    how late they are, then by time left; leads without a deadline last. ``hours_left`` is
    deadline − now in hours (negative: overdue), ``window`` which obligation sets the deadline,
    ``situation`` which message template fits (see the module docstring). ``df.attrs``: how many are
    ``overdue`` and how many ``due_soon`` (on time, at most DUE_SOON_HOURS left)."""
    windows = Windows.from_settings(rules.all_settings(session))
    touches = (select(Activity.lead_id.label("lead_id"),
                      func.count().label("touches"),
                      func.sum(case((Activity.kind == "proposal", 1), else_=0)).label("proposals"),
                      func.sum(case((Activity.kind == "demo", 1), else_=0)).label("demos"))
               .join(Lead, Lead.id == Activity.lead_id)
               .where(Lead.owner_id == scope.user_id, Lead.status.in_(OPEN_LEAD_STATUSES),
                      Activity.kind.in_(TOUCH_KINDS))
               .group_by(Activity.lead_id).subquery())
    stmt = (select(Lead.id, Lead.company, Lead.contact_name, Lead.phone, Lead.grade, Lead.status, Lead.source_channel,
                   Lead.next_action, Lead.next_action_at, Lead.created_at, Lead.assigned_at, Lead.first_contact_at,
                   Lead.last_activity_at, Lead.customer_id, Lead.version, Lead.owner_id,
                   func.coalesce(touches.c.touches, 0).label("touches"),
                   func.coalesce(touches.c.proposals, 0).label("proposals"),
                   func.coalesce(touches.c.demos, 0).label("demos"))
            .outerjoin(touches, touches.c.lead_id == Lead.id)
            .where(Lead.owner_id == scope.user_id, Lead.status.in_(OPEN_LEAD_STATUSES)))
    stmt = scope.apply(stmt, Lead.owner_id, Lead.team_id)
    rows = []
    for r in session.execute(stmt).mappings():
        row = dict(r)
        done = grade_done(r["grade"], r["status"], r["touches"], r["proposals"], r["demos"])
        u = urgency(created_at=r["created_at"], assigned_at=r["assigned_at"], first_contact_at=r["first_contact_at"],
                    grade=r["grade"], done=done, next_action_at=r["next_action_at"], now=now, windows=windows)
        start = r["assigned_at"] or r["created_at"]
        row.update(window=u.window, deadline=u.deadline,
                   hours_left=None if u.minutes_left is None else round(u.minutes_left / 60.0, 2),
                   overdue=u.overdue,
                   situation=situation(grade=r["grade"], contacted=r["first_contact_at"] is not None, done=done,
                                       overdue=u.overdue, hours_since_start=(now - start).total_seconds() / 3600,
                                       windows=windows))
        rows.append(row)
    df = pd.DataFrame(rows, columns=INBOX_COLUMNS)
    for col in ("next_action_at", "created_at", "assigned_at", "first_contact_at", "last_activity_at", "deadline"):
        df[col] = pd.to_datetime(df[col])
    df["hours_left"] = pd.to_numeric(df["hours_left"], errors="coerce").astype("float64")
    df["overdue"] = df["overdue"].astype(bool)
    for col in ("id", "version", "touches", "proposals", "demos", "owner_id"):
        df[col] = df[col].astype("int64")
    df["customer_id"] = df["customer_id"].astype("Int64")
    df = df.sort_values(["hours_left", "id"], na_position="last", kind="stable").reset_index(drop=True)
    df.attrs["overdue"] = int(df["overdue"].sum())
    df.attrs["due_soon"] = int(((df["hours_left"] >= 0) & (df["hours_left"] <= DUE_SOON_HOURS)).sum())
    return df


@scoped_read
def customer_card(scope: Scope, session: Session, customer_id: int) -> pd.DataFrame:
    """One customer in the caller's scope (no row when out of scope or unknown): its fields, team,
    region and owner."""
    owner = aliased(User)
    stmt = (select(Customer.id.label("id"), Customer.name.label("customer"), Customer.phone.label("phone"),
                   Customer.industry.label("industry"), Customer.customer_type.label("customer_type"),
                   Customer.size.label("size"), Customer.heat.label("heat"), Region.name.label("region"),
                   Team.name.label("team"), owner.display_name.label("owner"),
                   Customer.created_at.label("created_at"), Customer.updated_at.label("updated_at"),
                   Customer.owner_id.label("owner_id"))
            .outerjoin(owner, owner.id == Customer.owner_id)
            .outerjoin(Team, Team.id == Customer.team_id)
            .outerjoin(Region, Region.id == Customer.region_id)
            .where(Customer.id == customer_id))
    return pd.read_sql(scope.apply(stmt, Customer.owner_id, Customer.team_id), session.connection())


@scoped_read
def related_leads(scope: Scope, session: Session, customer_id: int | None = None,
                  lead_id: int | None = None) -> pd.DataFrame:
    """The leads in the caller's scope of one customer (or the one lead ``lead_id``), newest first."""
    owner = aliased(User)
    stmt = (select(Lead.id.label("id"), Lead.company.label("company"), Lead.contact_name.label("contact_name"),
                   Lead.phone.label("phone"), Lead.grade.label("grade"), Lead.status.label("status"),
                   Lead.source_channel.label("source_channel"), owner.display_name.label("owner"),
                   Lead.created_at.label("created_at"), Lead.first_contact_at.label("first_contact_at"),
                   Lead.next_action.label("next_action"), Lead.next_action_at.label("next_action_at"),
                   Lead.owner_id.label("owner_id"))
            .outerjoin(owner, owner.id == Lead.owner_id)
            .order_by(Lead.created_at.desc(), Lead.id.desc()))
    if customer_id is None and lead_id is None:
        stmt = stmt.where(Lead.id.is_(None))
    if customer_id is not None:
        stmt = stmt.where(Lead.customer_id == customer_id)
    if lead_id is not None:
        stmt = stmt.where(Lead.id == lead_id)
    return pd.read_sql(scope.apply(stmt, Lead.owner_id, Lead.team_id).limit(200), session.connection())


# ---- logging a contact ---------------------------------------------------------------------------

@guarded("lead.log_contact")
def log_contact(session: Session, scope: Scope, lead_id: Any, *, kind: Any, note: Any, next_action: Any,
                next_action_at: Any, now: datetime, version: Any, outcome: Any = "follow_up") -> int:
    """The lead's owner logs a contact (call, visit, message, proposal sent, demo booked) with the
    next action and its time; returns the new activity's id.

    Writes an Activity (lead, customer if any, owner = the rep, happened and logged now), sets the
    lead's first contact (if none yet), last activity, next action and status (new → contacted;
    ``outcome`` "qualified" or "lost" moves it on — a lost lead needs no next action). A lead
    changed since the user opened it (``version``) is a LeadConflict. Then the process triggers
    run (core.process.capture.apply_triggers: the needs summary after a first contact)."""
    lead = session.get(Lead, lead_id) if isinstance(lead_id, int) and not isinstance(lead_id, bool) else None
    if lead is None or lead.owner_id != scope.user_id or not _in_scope(scope, lead.owner_id, lead.team_id):
        raise InvalidLead("leads.err.not_yours", "lead_id")
    if lead.status not in OPEN_LEAD_STATUSES:
        raise InvalidLead("leads.err.closed", "lead_id")
    if version != lead.version:
        raise LeadConflict("leads.err.conflict", "lead_id")
    closing = outcome == "lost"
    checks: dict[str, Any] = {
        "kind": lambda: _log_kind(kind, first=lead.first_contact_at is None),
        "note": lambda: _text(note, "note", NOTE_MAX, required=False),
        "next_action": lambda: _text(next_action, "next_action", NEXT_ACTION_MAX, required=not closing),
        "next_action_at": lambda: (None if closing and next_action_at in (None, "") else _next_at(next_action_at, now)),
        "outcome": lambda: _choice(outcome, "outcome", CONTACT_OUTCOMES, "leads.err.outcome"),
    }
    clean = _run_checks(checks)
    note, next_text, next_at = clean["note"], clean["next_action"], clean["next_action_at"]
    first = lead.first_contact_at is None
    activity = Activity(kind=kind, customer_id=lead.customer_id, lead_id=lead.id, owner_id=scope.user_id,
                        team_id=lead.team_id, happened_at=now, logged_at=now, effective=True,
                        fields={"next_action": next_text,
                                "next_action_at": next_at.isoformat(timespec="minutes") if next_at else None,
                                "outcome": outcome, "first_contact": first},
                        note=note)
    session.add(activity)
    old_status = lead.status
    if first:
        lead.first_contact_at = now
    lead.last_activity_at = now
    lead.next_action, lead.next_action_at = next_text, next_at
    if outcome in ("qualified", "lost"):
        lead.status = outcome
    elif lead.status == "new":
        lead.status = "contacted"
    try:
        session.flush()
    except StaleDataError:
        raise LeadConflict("leads.err.conflict", "lead_id") from None
    _apply_process_triggers(session, activity, now)
    session.add(AuditLog(at=now, user_id=scope.user_id, action="log_contact", entity="lead", entity_id=str(lead.id),
                         detail={"activity_id": activity.id, "kind": kind, "first_contact": first,
                                 "status": [old_status, lead.status]}))
    return activity.id


def _log_kind(kind: Any, first: bool) -> str:
    if kind in (None, ""):
        raise InvalidLead("err.required", "kind")
    if kind not in LEAD_LOG_KINDS:
        raise InvalidLead("leads.err.kind", "kind")
    if first and kind not in CONTACT_KINDS:
        raise InvalidLead("leads.err.first_kind", "kind")
    return kind


def _apply_process_triggers(session: Session, activity: Activity, now: datetime) -> bool:
    """Run core.process.capture.apply_triggers on the new activity (it opens the needs-summary step after a
    first contact). Returns False only when the process module is not installed at all."""
    try:
        from core.process import capture as process
    except ModuleNotFoundError as exc:
        if exc.name != "core.process.capture":
            raise
        return False
    process.apply_triggers(session, activity, now)
    return True
