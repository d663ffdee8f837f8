"""Process capture (SPEC §5): logging the scenario forms reps record their work with, and the reads
the form page shows (what the caller may log for, their open key steps, their recent records, a
saved record as its owner sees it back).

The forms themselves (their fields and limits) are core.process.scenarios; the key step rules and
the engine that opens and closes their instances are core.process.steps, which runs on every
activity written here.

``validate`` checks every field and raises ``InvalidActivity`` naming each refused field;
``log_scenario`` / ``log_activity`` validate everything (fields, customer or lead in the caller's
scope, the time, the uploads, an optional cross-department request) before writing anything, then
write the activity, its attachments, its step effects and the lead's contact times in the caller's
one transaction. The activities keep the kinds and ``fields`` keys of the demo's history
(data/demo.py), plus ``scenario`` (which form logged it) and the counts ``photos`` / ``voice`` /
``documents`` of its attachments.

"First visit / needs summary" writes two activities: the visit (a contact, so it may be the first
contact that opens a needs-summary step) and the needs summary written now (which closes it). The
other scenarios write one.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Sequence

import pandas as pd
from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import (
    Activity,
    Attachment,
    CrossDeptRequest,
    Customer,
    Lead,
    Opportunity,
    ProcessStep,
    StepInstance,
    User,
)
from core.base.scope import Scope, ScopeError, scoped_read
from core.base.vocabulary import CONTACT_KINDS, DEPARTMENTS, OPEN_LEAD_STATUSES
from core.process import attachments as files
from core.process import steps
from core.process.scenarios import SCENARIO_BY_CODE, SCENARIOS, FieldDef, FieldError, Scenario, blank

NOTE_MAX = 1000
REQUEST_SUBJECT_MAX = 200
NEXT_ACTION_DAYS = 365  # a next action lies within a year
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")

# A contact written elsewhere (the lead desk: core.leads.desk, the demo: data.demo_leads) goes through
# the step engine by this name.
apply_triggers = steps.apply_triggers


def scenario_for(kind: str) -> Scenario:
    """The scenario of a code (``first_visit``) or of an activity kind with a form (``visit``)."""
    if kind in SCENARIO_BY_CODE:
        return SCENARIO_BY_CODE[kind]
    for s in SCENARIOS:
        if s.kind == kind and s.companion is None:
            return s
    raise InvalidActivity({"scenario": FieldError("process.err.scenario", "scenario")})


class InvalidActivity(UserError):
    """A scenario form that cannot be saved: ``errors`` maps every refused field to its FieldError
    (``field``, ``msg_key`` and the message are the first one's). Nothing was written."""

    def __init__(self, errors: dict[str, UserError]):
        self.errors = dict(errors)
        first = next(iter(self.errors.values()))
        self.msg_key, self.field, self.params = first.msg_key, first.field, first.params
        Exception.__init__(self, "; ".join(e.message("en") for e in self.errors.values()))

    def message(self, lang: str) -> str:
        return next(iter(self.errors.values())).message(lang)


# ---- validating one form ---------------------------------------------------------------------------

def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time(9, 0))
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).replace(tzinfo=None, microsecond=0)
        except ValueError:
            return None
    return None


def _clean_value(f: FieldDef, value: Any, happened_at: datetime | None, now: datetime | None) -> Any:
    """The stored form of one non-blank value, or FieldError."""
    if f.kind in ("text", "longtext"):
        text = " ".join(str(value).split()) if f.kind == "text" else str(value).strip()
        if len(text) > f.max_len:
            raise FieldError("process.err.too_long", f.key, n=f.max_len)
        return text
    if f.kind in ("int", "number"):
        if isinstance(value, bool):
            raise FieldError("process.err.number", f.key)
        try:
            number = float(str(value).strip().replace(",", "")) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise FieldError("process.err.number", f.key) from None
        if not math.isfinite(number):
            raise FieldError("process.err.number", f.key)
        if f.kind == "int" and not number.is_integer():
            raise FieldError("process.err.whole", f.key)
        if (f.minimum is not None and number < f.minimum) or (f.maximum is not None and number > f.maximum):
            raise FieldError("process.err.range", f.key, min=f"{f.minimum:g}", max=f"{f.maximum:g}")
        return int(number) if f.kind == "int" else round(number, 2)
    if f.kind == "choice":
        if value not in f.choices:
            raise FieldError("process.err.choice", f.key)
        return value
    if f.kind == "bool":
        if not isinstance(value, bool):
            raise FieldError("process.err.yes_no", f.key)
        return value
    if f.kind == "list":
        items = value if isinstance(value, (list, tuple)) else _LIST_SEPARATORS.split(str(value))
        cleaned = list(dict.fromkeys(" ".join(str(i).split()) for i in items if str(i).strip()))
        if len(cleaned) != f.items:
            raise FieldError("process.err.items", f.key, n=f.items, got=len(cleaned))
        if any(len(i) > f.item_len for i in cleaned):
            raise FieldError("process.err.item_too_long", f.key, n=f.item_len)
        return cleaned
    if f.kind == "datetime":
        when = _as_datetime(value)
        if when is None:
            raise FieldError("process.err.datetime", f.key)
        if happened_at is not None and when < happened_at:
            raise FieldError("process.err.before_activity", f.key)
        limit = (now or happened_at or when) + timedelta(days=NEXT_ACTION_DAYS)
        if when > limit:
            raise FieldError("process.err.too_far", f.key, days=NEXT_ACTION_DAYS)
        return when.isoformat()
    raise ValueError(f"unknown field kind {f.kind!r}")


def validate(scenario: str, values: dict[str, Any], *, photos: int = 0, voices: int = 0,
             settings: dict | None = None, happened_at: datetime | None = None,
             now: datetime | None = None) -> dict[str, Any]:
    """The scenario's fields as they will be stored, or InvalidActivity naming every refused field.

    ``values`` are the form's inputs by field key (keys of other scenarios are ignored); ``photos``
    and ``voices`` count the photos and voice notes attached (a photos field counts them; a voice
    note stands for a missing text note where the field allows it)."""
    sc = scenario_for(scenario)
    settings = settings or {k: d.default for k, d in rules.DEFINITIONS.items()}
    values = values or {}
    extra = {"photos": photos, "voice": voices}
    clean: dict[str, Any] = {}
    errors: dict[str, UserError] = {}
    for f in sc.fields:
        try:
            if f.kind == "photos":
                need = int(settings[f.min_setting]) if f.min_setting else 1
                if photos < need:
                    raise FieldError("process.err.photos", f.key, n=need, got=photos)
                clean[f.key] = photos
                continue
            value = values.get(f.key)
            if blank(value):
                if f.alternative and extra.get(f.alternative):
                    continue
                if f.required:
                    key = "process.err.required_or_voice" if f.alternative == "voice" else "process.err.required"
                    raise FieldError(key, f.key)
                continue
            clean[f.key] = _clean_value(f, value, happened_at, now)
        except FieldError as exc:
            errors[f.key] = exc
    if errors:
        raise InvalidActivity(errors)
    return clean


# ---- logging a scenario ------------------------------------------------------------------------

@dataclass(frozen=True)
class Logged:
    """What one submitted form wrote."""
    activity: Activity
    companion: Activity | None = None
    attachments: tuple = ()
    opened: tuple[StepInstance, ...] = ()
    closed: tuple[StepInstance, ...] = ()
    request: CrossDeptRequest | None = None
    subject: str = ""  # the customer's name, or the lead's company

    @property
    def activity_ids(self) -> tuple[int, ...]:
        return tuple(a.id for a in (self.companion, self.activity) if a is not None)


def _caller(session: Session, scope: Scope) -> User:
    """The person logging: an active user (the role is the access table's, core.base.access)."""
    user = session.get(User, scope.user_id)
    if user is None or not user.active:
        raise ScopeError("only an active user logs visits and follow-ups")
    return user


def _in_scope(scope: Scope, owner_id: int | None, team_id: int | None) -> bool:
    if scope.own_only:
        return owner_id == scope.user_id
    return scope.team_ids is None or team_id in scope.team_ids


def _subject(session: Session, scope: Scope, customer_id: Any, lead_id: Any, opportunity_id: Any):
    """(customer, lead, opportunity) the caller may log for, or FieldError at customer_id."""
    refused = FieldError("process.err.customer", "customer_id")

    def ident(value):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise refused
        return value

    customer_id, lead_id, opportunity_id = ident(customer_id), ident(lead_id), ident(opportunity_id)
    lead = customer = opportunity = None
    if lead_id is not None:
        lead = session.get(Lead, lead_id)
        if lead is None or not _in_scope(scope, lead.owner_id, lead.team_id):
            raise refused
        if customer_id is None:
            customer_id = lead.customer_id
        elif lead.customer_id is not None and lead.customer_id != customer_id:
            raise refused
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is None or (lead is None and not _in_scope(scope, customer.owner_id, customer.team_id)):
            raise refused
    if customer is None and lead is None:
        raise FieldError("process.err.customer_missing", "customer_id")
    if opportunity_id is not None:
        opportunity = session.get(Opportunity, opportunity_id)
        if (opportunity is None or customer is None or opportunity.customer_id != customer.id
                or not _in_scope(scope, opportunity.owner_id, opportunity.team_id)):
            raise FieldError("process.err.opportunity", "customer_id")
    return customer, lead, opportunity


def _happened(value: Any, now: datetime, settings: dict) -> datetime:
    when = now if value is None else _as_datetime(value)
    if when is None:
        raise FieldError("process.err.datetime", "happened_at")
    if when > now:
        raise FieldError("process.err.future", "happened_at")
    days = int(settings["activity_backdate_days"])
    if when < now - timedelta(days=days):
        raise FieldError("process.err.too_old", "happened_at", days=days)
    return when


def _request(value: Any) -> tuple[str, str] | None:
    """(department, subject) of an optional cross-department request, or FieldError."""
    if not value:
        return None
    department, subject = (tuple(value) + (None, None))[:2]
    if blank(department) and blank(subject):
        return None
    if department not in DEPARTMENTS:
        raise FieldError("process.err.department", "request_department")
    text = " ".join(str(subject or "").split())
    if not text:
        raise FieldError("process.err.required", "request_subject")
    if len(text) > REQUEST_SUBJECT_MAX:
        raise FieldError("process.err.too_long", "request_subject", n=REQUEST_SUBJECT_MAX)
    return department, text


@guarded("activity.log")
def log_scenario(session: Session, scope: Scope, scenario: str, *, fields: dict[str, Any],
                 now: datetime, customer_id: int | None = None, lead_id: int | None = None,
                 opportunity_id: int | None = None, happened_at: datetime | None = None,
                 attachments: Sequence[files.Upload] = (), note: str = "",
                 request: tuple[str, str] | None = None) -> Logged:
    """Validate one scenario form completely, then write it in the caller's transaction: the
    activity (and, for a first visit, the visit beside it), its attachments, an optional request to
    another department (needs summaries), the lead's contact times, and the step effects.

    Raises InvalidActivity (every refused field) or ScopeError (a caller who may not log); nothing
    is written then."""
    user = _caller(session, scope)
    settings = rules.all_settings(session)
    errors: dict[str, UserError] = {}
    sc = None
    try:
        sc = scenario_for(scenario)
    except InvalidActivity as exc:
        errors.update(exc.errors)
    customer = lead = opportunity = None
    try:
        customer, lead, opportunity = _subject(session, scope, customer_id, lead_id, opportunity_id)
    except FieldError as exc:
        errors[exc.field] = exc
    when = None
    try:
        when = _happened(happened_at, now, settings)
    except FieldError as exc:
        errors[exc.field] = exc
    checked: list[files.Checked] = []
    try:
        checked = files.check(attachments, settings)
    except files.AttachmentError as exc:
        errors["attachments"] = FieldError(exc.msg_key, "attachments", **exc.params)
    counts = files.count_by_category(checked)
    clean: dict[str, Any] = {}
    if sc is not None:
        try:
            clean = validate(sc.code, fields, photos=counts["photo"], voices=counts["voice"], settings=settings,
                             happened_at=when, now=now)
        except InvalidActivity as exc:
            errors.update(exc.errors)
    note_text = str(note or "").strip()
    if len(note_text) > NOTE_MAX:
        errors["note"] = FieldError("process.err.too_long", "note", n=NOTE_MAX)
    req = None
    if sc is not None and request:
        if not sc.request:
            errors["request_department"] = FieldError("process.err.no_request", "request_department")
        else:
            try:
                req = _request(request)
            except FieldError as exc:
                errors[exc.field] = exc
    if errors:
        raise InvalidActivity(errors)

    # a rep logs in their team; a lead in the team of the customer (or lead) of their teams
    team_id = user.team_id if scope.own_only else (customer.team_id if customer is not None else lead.team_id)
    common = dict(customer_id=customer.id if customer else None, lead_id=lead.id if lead else None,
                  opportunity_id=opportunity.id if opportunity else None, owner_id=user.id, team_id=team_id,
                  logged_at=now)
    effective = bool(clean.pop("effective", True))
    stored = dict(clean, scenario=sc.code)
    for category, key in (("photo", "photos"), ("voice", "voice"), ("document", "documents")):
        if counts[category] and key not in sc.keys:
            stored[key] = counts[category]
    companion = None
    if sc.companion:
        companion = Activity(kind=sc.companion, happened_at=when, effective=True, fields={"scenario": sc.code},
                             note="", **common)
        session.add(companion)
        session.flush()
    # a record written beside its visit is written now; any other record happened when the rep says
    activity = Activity(kind=sc.kind, happened_at=now if companion is not None else when,
                        effective=effective if sc.kind == "visit" else True, fields=stored, note=note_text,
                        **common)
    session.add(activity)
    session.flush()
    saved_files = files.store(session, activity, checked, user.id, now) if checked else []
    request_row = None
    if req is not None:
        request_row = CrossDeptRequest(customer_id=common["customer_id"], owner_id=user.id, team_id=team_id,
                                       department=req[0], subject=req[1], requested_at=now, answer="")
        session.add(request_row)
    if lead is not None:
        _touch_lead(lead, [a for a in (companion, activity) if a is not None], clean)
    opened, closed = [], []
    for a in (companion, activity):
        if a is not None:
            effects = steps.apply_activity(session, a, settings)
            opened += effects.opened
            closed += effects.closed
    session.flush()
    subject = customer.name if customer is not None else lead.company
    return Logged(activity, companion, tuple(saved_files), tuple(opened), tuple(closed), request_row, subject or "")


def _touch_lead(lead: Lead, written: list[Activity], clean: dict[str, Any]) -> None:
    """A contact logged on a lead is its first contact if it had none; the newest activity is its last;
    a next action given replaces the lead's."""
    contacts = [a.happened_at for a in written if a.kind in CONTACT_KINDS]
    if contacts and lead.first_contact_at is None:
        lead.first_contact_at = min(contacts)
        if lead.status == "new":
            lead.status = "contacted"
    newest = max(a.happened_at for a in written)
    if lead.last_activity_at is None or newest > lead.last_activity_at:
        lead.last_activity_at = newest
    if clean.get("next_action"):
        lead.next_action = clean["next_action"]
        lead.next_action_at = _as_datetime(clean.get("next_action_at"))


@guarded("activity.log")
def log_activity(session: Session, scope: Scope, kind: str, customer_id: int | None = None,
                 lead_id: int | None = None, opportunity_id: int | None = None,
                 fields: dict[str, Any] | None = None, happened_at: datetime | None = None,
                 now: datetime | None = None, attachments: Sequence[files.Upload] = (),
                 note: str = "") -> Activity:
    """Log one scenario form (``kind``: a scenario code, or an activity kind with a form, e.g.
    ``visit`` → cold visit) in one transaction incl. attachments and step effects; the activity
    written (for a first visit: its needs summary). See ``log_scenario``."""
    if now is None:
        raise ValueError("log_activity needs now")
    return log_scenario(session, scope, kind, fields=fields or {}, now=now, customer_id=customer_id,
                        lead_id=lead_id, opportunity_id=opportunity_id, happened_at=happened_at,
                        attachments=attachments, note=note).activity


# ---- reads for the forms ------------------------------------------------------------------------

@scoped_read
def subject_options(scope: Scope, session: Session, limit: int = 1000) -> pd.DataFrame:
    """What the caller may log for, most recently worked first: their customers and open leads.
    Columns: key ("c12" / "l5"), kind (customer / lead), id, name, last_at, owner_id."""
    limit = max(1, min(int(limit), 5000))
    recent = scope.apply(select(Activity.customer_id.label("cid"), func.max(Activity.logged_at).label("last_at"))
                         .where(Activity.customer_id.is_not(None)), Activity.owner_id, Activity.team_id)
    recent = recent.group_by(Activity.customer_id).subquery()
    customers = (select(Customer.id, Customer.name, recent.c.last_at, Customer.created_at, Customer.owner_id)
                 .outerjoin(recent, recent.c.cid == Customer.id))
    customers = scope.apply(customers, Customer.owner_id, Customer.team_id)
    customers = customers.order_by(case((recent.c.last_at.is_(None), 1), else_=0), recent.c.last_at.desc(),
                                   Customer.created_at.desc(), Customer.id.desc()).limit(limit)
    leads = (select(Lead.id, Lead.company.label("name"), func.coalesce(Lead.last_activity_at, Lead.created_at)
                    .label("last_at"), Lead.created_at, Lead.owner_id)
             .where(Lead.status.in_(OPEN_LEAD_STATUSES), Lead.owner_id.is_not(None)))
    leads = scope.apply(leads, Lead.owner_id, Lead.team_id).order_by(
        func.coalesce(Lead.last_activity_at, Lead.created_at).desc(), Lead.id.desc()).limit(limit)
    rows = [("c", "customer", r) for r in session.execute(customers)] + [("l", "lead", r) for r in session.execute(leads)]
    df = pd.DataFrame([{"key": f"{p}{r.id}", "kind": kind, "id": int(r.id), "name": r.name,
                        "last_at": r.last_at or r.created_at, "owner_id": r.owner_id} for p, kind, r in rows],
                      columns=["key", "kind", "id", "name", "last_at", "owner_id"])
    if df.empty:
        return df
    df["last_at"] = pd.to_datetime(df["last_at"])
    return df.sort_values(["last_at", "key"], ascending=[False, True], ignore_index=True).head(limit)


@scoped_read
def open_steps(scope: Scope, session: Session, now: datetime, limit: int = 200) -> pd.DataFrame:
    """The caller's open step instances: those still due first (soonest first), then the overdue
    (the most recently due first). Columns: id, code, step_en, step_zh, customer, customer_id,
    lead_id, triggered_at, due_at, hours_left (negative: overdue), owner, owner_id."""
    owner = aliased(User)
    trigger = aliased(Activity)
    stmt = (select(StepInstance.id, ProcessStep.code, ProcessStep.name_en.label("step_en"),
                   ProcessStep.name_zh.label("step_zh"), func.coalesce(Customer.name, Lead.company).label("customer"),
                   StepInstance.customer_id, trigger.lead_id, StepInstance.triggered_at, StepInstance.due_at,
                   owner.display_name.label("owner"), StepInstance.owner_id)
            .join(ProcessStep, ProcessStep.id == StepInstance.step_id)
            .outerjoin(Customer, Customer.id == StepInstance.customer_id)
            .outerjoin(trigger, trigger.id == StepInstance.trigger_activity_id)
            .outerjoin(Lead, Lead.id == trigger.lead_id)
            .outerjoin(owner, owner.id == StepInstance.owner_id)
            .where(StepInstance.completed_at.is_(None))
            .order_by(case((StepInstance.due_at >= literal(now), 0), else_=1),
                      case((StepInstance.due_at >= literal(now), StepInstance.due_at), else_=None),
                      StepInstance.due_at.desc(), StepInstance.id.desc()))
    stmt = scope.apply(stmt, StepInstance.owner_id, StepInstance.team_id)
    df = pd.read_sql(stmt.limit(max(1, min(int(limit), 2000))), session.connection())
    for col in ("triggered_at", "due_at"):
        df[col] = pd.to_datetime(df[col])
    df["hours_left"] = ((df["due_at"] - pd.Timestamp(now)).dt.total_seconds() / 3600).round(1)
    return df[["id", "code", "step_en", "step_zh", "customer", "customer_id", "lead_id", "triggered_at", "due_at",
               "hours_left", "owner", "owner_id"]]


def subject_of(key: str | None) -> dict[str, int | None]:
    """The customer_id and lead_id of a key of ``subject_options`` ("c12": customer 12, "l5": lead 5)."""
    ident = int(key[1:]) if key else None
    return {"customer_id": ident if key and key[0] == "c" else None,
            "lead_id": ident if key and key[0] == "l" else None}


def steps_of_subject(open_steps: pd.DataFrame, subject: str | None) -> pd.DataFrame:
    """The rows of ``open_steps`` (that read's frame) of one subject of ``subject_options``: "c12"
    (the customer 12's) or "l5" (those triggered on the lead 5); none without a subject."""
    if not subject:
        return open_steps.iloc[0:0]
    column, ident = next((k, v) for k, v in subject_of(subject).items() if v is not None)
    return open_steps[open_steps[column] == ident]


def instead_of(scenario: str | None, subject_steps: pd.DataFrame) -> str | None:
    """The scenario to log instead of ``scenario`` for a subject with these open steps: a first visit
    to a customer whose needs summary is already open (their first contact is recorded: the summary
    of that contact is a needs summary alone); None when the choice is right."""
    if scenario == "first_visit" and (subject_steps["code"] == "needs_summary").any():
        return "needs_summary"
    return None


@scoped_read
def recent_activities(scope: Scope, session: Session, limit: int = 30) -> pd.DataFrame:
    """The newest logged activities in scope: id, logged_at, happened_at, kind, scenario, form (the
    scenario when the activity is that form's record, "" for a visit written beside its summary or an
    activity logged without a form), customer, owner, attachments (count), owner_id."""
    owner = aliased(User)
    n_files = (select(func.count()).select_from(Attachment)
               .where(Attachment.activity_id == Activity.id).correlate(Activity).scalar_subquery())
    stmt = (select(Activity.id, Activity.logged_at, Activity.happened_at, Activity.kind,
                   Activity.fields, func.coalesce(Customer.name, Lead.company).label("customer"),
                   owner.display_name.label("owner"), n_files.label("attachments"), Activity.owner_id)
            .outerjoin(Customer, Customer.id == Activity.customer_id)
            .outerjoin(Lead, Lead.id == Activity.lead_id)
            .outerjoin(owner, owner.id == Activity.owner_id)
            .order_by(Activity.logged_at.desc(), Activity.id.desc()))
    stmt = scope.apply(stmt, Activity.owner_id, Activity.team_id).limit(max(1, min(int(limit), 500)))
    rows = session.execute(stmt).all()
    out = []
    for r in rows:
        scenario = (r.fields or {}).get("scenario") or _default_scenario(r.kind)
        form = scenario if scenario in SCENARIO_BY_CODE and SCENARIO_BY_CODE[scenario].kind == r.kind else ""
        out.append({"id": r.id, "logged_at": r.logged_at, "happened_at": r.happened_at, "kind": r.kind,
                    "scenario": scenario, "form": form, "customer": r.customer, "owner": r.owner,
                    "attachments": int(r.attachments or 0), "owner_id": r.owner_id})
    df = pd.DataFrame(out, columns=["id", "logged_at", "happened_at", "kind", "scenario", "form", "customer", "owner",
                                    "attachments", "owner_id"])
    for col in ("logged_at", "happened_at"):
        df[col] = pd.to_datetime(df[col])
    return df


def _default_scenario(kind: str) -> str:
    """The scenario an activity written without one (the demo's history, another module) reads as:
    the form of the same name, if any (a visit or call logged elsewhere has none)."""
    return kind if kind in SCENARIO_BY_CODE else ""


@dataclass(frozen=True)
class StepEffect:
    instance_id: int
    code: str
    name_en: str
    name_zh: str
    effect: str  # "opened" or "closed"
    due_at: datetime
    completed_at: datetime | None

    @property
    def on_time(self) -> bool | None:
        return None if self.completed_at is None else self.completed_at <= self.due_at


@dataclass(frozen=True)
class ActivityView:
    """One saved record as its owner sees it back: fields, attachments, and the steps it moved."""
    id: int
    kind: str
    scenario: str
    customer: str
    happened_at: datetime
    logged_at: datetime
    fields: tuple[tuple[str, Any], ...]
    note: str
    owner_id: int
    attachments: tuple[files.StoredFile, ...] = ()
    steps: tuple[StepEffect, ...] = field(default=())


@scoped_read
def saved_records(scope: Scope, session: Session, activity_ids: tuple[int, ...]) -> list[ActivityView]:
    """The records ``activity_ids`` the caller may see (others are left out), in that order, each
    with its attachments and the step instances it opened or closed."""
    ids = [int(i) for i in activity_ids]
    if not ids:
        return []
    stmt = (select(Activity, func.coalesce(Customer.name, Lead.company).label("customer"))
            .outerjoin(Customer, Customer.id == Activity.customer_id).outerjoin(Lead, Lead.id == Activity.lead_id)
            .where(Activity.id.in_(ids)))
    found = {a.id: (a, name) for a, name in session.execute(scope.apply(stmt, Activity.owner_id, Activity.team_id))}
    shown = [i for i in dict.fromkeys(ids) if i in found]
    by_activity: dict[int, list] = {i: [] for i in shown}
    for f in files.attachments_of(scope, session, tuple(shown)):
        by_activity[f.activity_id].append(f)
    effects: dict[int, list] = {i: [] for i in shown}
    if shown:
        rows = session.execute(
            select(StepInstance, ProcessStep.code, ProcessStep.name_en, ProcessStep.name_zh)
            .join(ProcessStep, ProcessStep.id == StepInstance.step_id)
            .where(or_(StepInstance.trigger_activity_id.in_(shown), StepInstance.completing_activity_id.in_(shown)))
            .order_by(StepInstance.id))
        for inst, code, en, zh in rows:
            for aid, effect in ((inst.trigger_activity_id, "opened"), (inst.completing_activity_id, "closed")):
                if aid in effects:
                    effects[aid].append(StepEffect(inst.id, code, en, zh, effect, inst.due_at, inst.completed_at))
    out = []
    for i in shown:
        a, name = found[i]
        data = dict(a.fields or {})
        scenario = data.pop("scenario", None) or _default_scenario(a.kind)
        out.append(ActivityView(a.id, a.kind, scenario, name or "", a.happened_at, a.logged_at,
                                tuple(data.items()), a.note or "", a.owner_id, tuple(by_activity[i]),
                                tuple(effects[i])))
    return out
