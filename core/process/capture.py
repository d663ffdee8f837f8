"""Process capture (SPEC §5): the scenario forms reps log their work with, the key process steps as
rules an admin edits, and the step instances those rules open and close.

Scenario forms (3-click rule): each scenario has at most five fields; who (the caller), when (now,
or an earlier time the rep gives), and which customer or lead come from context. ``validate``
checks every field and raises ``InvalidActivity`` naming each refused field; ``log_scenario`` /
``log_activity`` validate everything (fields, customer or lead in the caller's scope, the time,
the uploads, an optional cross-department request) before writing anything, then write the
activity, its attachments, its step effects and the lead's contact times in the caller's one
transaction. The activities keep the kinds and ``fields`` keys of the demo's history
(data/demo.py), plus ``scenario`` (which form logged it) and the counts ``photos`` / ``voice`` /
``documents`` of its attachments.

"First visit / needs summary" writes two activities: the visit (a contact, so it may be the first
contact that opens a needs-summary step) and the needs summary written now (which closes it). The
other scenarios write one.

The step engine (``apply_triggers``)
- Triggers. An activity raises its kind as an event, and ``first_contact`` when it is the first
  contact with its subject. A contact is an activity of kind call, visit, message or demo
  (CONTACT_KINDS); a needs summary, proposal, promotion … is not a contact by itself. The subject
  is the lead when the activity names one (a new lead of an existing customer is a new need, with
  its own summary), else the customer, whose contacts include those logged on its leads. "First"
  means the subject has no other contact recorded at all, so a first contact fires exactly once,
  even when an earlier contact is backfilled later. Each ACTIVE step whose trigger is among the
  events gets a StepInstance (owner, team and customer of the activity) triggered at the activity's
  ``happened_at`` and due ``within_hours`` later.
- Completion. An activity whose kind is a step's action and that carries the step's required
  fields completes the oldest open instance of that step for the same subject triggered at or
  before the activity happened (one instance per step). ``completed_at`` is the activity's
  ``logged_at``: the step is about capturing, so a summary written down a week late is late, no
  matter when it says the visit was. Open instances of a step deactivated since still complete.
- Idempotent: an activity opens at most one instance per step and completes at most one (checked,
  and unique indexes on step_instances), so applying it twice changes nothing.
- Rule edits (``save_step``) apply to new triggers only: an instance keeps the deadline it was
  given; completion checks the step's current required fields.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Sequence

import pandas as pd
from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from core.process import attachments as files
from core.base import clock
from core.base import rules
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import (
    Activity,
    Attachment,
    AuditLog,
    CrossDeptRequest,
    Customer,
    Lead,
    Opportunity,
    ProcessStep,
    StepInstance,
    User,
)
from core.base.vocabulary import CONTACT_KINDS, DEPARTMENTS, OBJECTION_CATEGORIES, OPEN_LEAD_STATUSES
from core.base.scope import Scope, ScopeError, scope_for, scoped_read

FIRST_CONTACT = "first_contact"
LOG_ROLES = ("rep", "lead")
NOTE_MAX = 1000
REQUEST_SUBJECT_MAX = 200
NEXT_ACTION_DAYS = 365  # a next action lies within a year
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


# ---- scenarios -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldDef:
    """One form field: its key in ``Activity.fields``, its type and limits.

    kinds: text / longtext (str, ``max_len``), int / number (``minimum``–``maximum``), choice
    (``choices``), bool, list (exactly ``items`` entries of at most ``item_len`` characters, typed
    separated by commas), datetime (not before the activity, within a year; stored as ISO text),
    photos (the number of photos attached, at least the setting ``min_setting``)."""
    key: str
    kind: str
    required: bool = True
    max_len: int = 200
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    items: int = 0
    item_len: int = 40
    alternative: str | None = None  # another key whose presence satisfies this one (note ← voice)
    min_setting: str | None = None
    default: Any = None  # what the form shows first


@dataclass(frozen=True)
class Scenario:
    code: str
    kind: str  # the activity kind of the record
    fields: tuple[FieldDef, ...]
    companion: str | None = None  # a contact written beside the record (first visit: the visit)
    request: bool = False  # may open a cross-department request
    icon: str = ""

    def field(self, key: str) -> FieldDef:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)


_NEEDS = (
    FieldDef("problem", "longtext", max_len=300),
    FieldDef("concerns", "list", items=3, item_len=40),
    FieldDef("next_action", "text", max_len=200),
    FieldDef("next_action_at", "datetime"),
)
_NEXT = (FieldDef("next_action", "text", required=False, max_len=200),
         FieldDef("next_action_at", "datetime", required=False))

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("first_visit", "needs_summary", _NEEDS, companion="visit", request=True, icon=":material/handshake:"),
    Scenario("needs_summary", "needs_summary", _NEEDS, request=True, icon=":material/edit_note:"),
    Scenario("cold_visit", "visit", (
        FieldDef("outcome", "longtext", max_len=300),
        FieldDef("effective", "bool", default=True),
        FieldDef("attendees", "int", required=False, minimum=1, maximum=50),
        *_NEXT), icon=":material/directions_walk:"),
    Scenario("demo", "demo", (
        FieldDef("product", "text", max_len=60),
        FieldDef("attendees", "int", minimum=1, maximum=200),
        FieldDef("feedback", "longtext", max_len=300),
        *_NEXT), icon=":material/slideshow:"),
    Scenario("proposal", "proposal", (
        FieldDef("product", "text", max_len=60),
        FieldDef("version", "int", minimum=1, maximum=99, default=1),
        FieldDef("amount", "number", required=False, minimum=0, maximum=1e11),
        *_NEXT), icon=":material/description:"),
    Scenario("promotion", "promotion", (
        FieldDef("promotion", "text", max_len=100),
        FieldDef("store", "text", max_len=160),
        FieldDef("period_days", "int", minimum=1, maximum=180, default=7)), icon=":material/campaign:"),
    Scenario("promotion_evidence", "promotion_evidence", (
        FieldDef("photos", "photos", min_setting="promotion_min_photos"),
        FieldDef("note", "longtext", max_len=500, alternative="voice")), icon=":material/photo_camera:"),
    Scenario("objection", "objection", (
        FieldDef("objection", "longtext", max_len=300),
        FieldDef("category", "choice", choices=OBJECTION_CATEGORIES)), icon=":material/report:"),
    Scenario("solution_update", "solution_update", (
        FieldDef("progress", "longtext", max_len=500),
        FieldDef("resolved", "bool", required=False, default=False)), icon=":material/build:"),
    Scenario("renewal", "renewal", (
        FieldDef("contract_months", "int", minimum=1, maximum=120, default=12),
        FieldDef("amount", "number", required=False, minimum=0, maximum=1e11),
        FieldDef("note", "longtext", required=False, max_len=300)), icon=":material/autorenew:"),
    Scenario("complaint", "complaint", (
        FieldDef("issue", "longtext", max_len=300),
        FieldDef("action_taken", "longtext", max_len=300),
        FieldDef("resolved", "bool", default=False)), icon=":material/support_agent:"),
)
SCENARIO_BY_CODE: dict[str, Scenario] = {s.code: s for s in SCENARIOS}
# What a step may be triggered by, and which activity kinds may complete one (those with a form).
TRIGGERS: tuple[str, ...] = (FIRST_CONTACT, "visit", "demo", "proposal", "promotion", "objection", "renewal",
                             "complaint")
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.kind for s in SCENARIOS))


def scenario_for(kind: str) -> Scenario:
    """The scenario of a code (``first_visit``) or of an activity kind with a form (``visit``)."""
    if kind in SCENARIO_BY_CODE:
        return SCENARIO_BY_CODE[kind]
    for s in SCENARIOS:
        if s.kind == kind and s.companion is None:
            return s
    raise InvalidActivity({"scenario": FieldError("process.err.scenario", "scenario")})


def fields_of_kind(kind: str) -> tuple[str, ...]:
    """Every field key the forms of an activity kind have (what a step may require)."""
    return tuple(dict.fromkeys(f.key for s in SCENARIOS if s.kind == kind for f in s.fields))


# ---- errors ------------------------------------------------------------------------------------

class FieldError(UserError):
    """One refused field; its message names the field (``{label}``) in the reader's language."""

    def __init__(self, msg_key: str, field: str | None = None, **params):
        self.msg_key, self.field, self.params = msg_key, field, params
        Exception.__init__(self, self.message("en"))

    def message(self, lang: str) -> str:
        label = t(lang, f"process.f.{self.field}") if self.field else ""
        return t(lang, self.msg_key, label=label, **self.params)


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


class InvalidStep(FieldError):
    """A step rule that cannot be saved; ``field`` names the form field."""


class StepConflict(UserError):
    """The step rule was changed by someone else since the form was opened: nothing was saved."""


# ---- validating one form ---------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and not value)


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
            if _blank(value):
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


def carries(step_required: Iterable[str], kind: str, fields: dict[str, Any], settings: dict) -> bool:
    """Whether an activity of ``kind`` with ``fields`` holds every field a step requires (a photos
    field: at least its setting's number; a field with an alternative: either)."""
    defs = {f.key: f for s in SCENARIOS if s.kind == kind for f in s.fields}
    fields = fields or {}
    for key in step_required:
        f = defs.get(key)
        value = fields.get(key)
        if f is not None and f.kind == "photos":
            need = int(settings[f.min_setting]) if f.min_setting else 1
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < need:
                return False
            continue
        if _blank(value) and not (f is not None and f.alternative and fields.get(f.alternative)):
            return False
    return True


# ---- the step engine ---------------------------------------------------------------------------

def _customer_contacts(customer_id: int):
    return or_(Activity.customer_id == customer_id,
               Activity.lead_id.in_(select(Lead.id).where(Lead.customer_id == customer_id)))


def is_first_contact(session: Session, activity: Activity) -> bool:
    """A contact (CONTACT_KINDS) whose subject (its lead, else its customer) has no other contact."""
    if activity.kind not in CONTACT_KINDS:
        return False
    if activity.lead_id is not None:
        subject = Activity.lead_id == activity.lead_id
    elif activity.customer_id is not None:
        subject = _customer_contacts(activity.customer_id)
    else:
        return False
    other = session.scalar(select(Activity.id).where(subject, Activity.kind.in_(CONTACT_KINDS),
                                                     Activity.id != activity.id).limit(1))
    return other is None


def _subject_instances(activity: Activity):
    """Step instances of the activity's subject: of its lead, else of its customer (incl. its leads)."""
    if activity.lead_id is not None:
        return StepInstance.trigger_activity_id.in_(select(Activity.id).where(Activity.lead_id == activity.lead_id))
    if activity.customer_id is not None:
        return or_(StepInstance.customer_id == activity.customer_id,
                   StepInstance.trigger_activity_id.in_(select(Activity.id).where(
                       Activity.lead_id.in_(select(Lead.id).where(Lead.customer_id == activity.customer_id)))))
    return None


@dataclass(frozen=True)
class StepEffects:
    opened: tuple[StepInstance, ...] = ()
    closed: tuple[StepInstance, ...] = ()


def _apply(session: Session, activity: Activity, settings: dict) -> StepEffects:
    if activity.id is None:
        session.flush()
    steps = session.scalars(select(ProcessStep).order_by(ProcessStep.id)).all()
    opened, closed = [], []
    events = {activity.kind}
    if any(s.active and s.trigger == FIRST_CONTACT for s in steps) and is_first_contact(session, activity):
        events.add(FIRST_CONTACT)
    for step in steps:
        if not step.active or step.trigger not in events:
            continue
        exists = session.scalar(select(StepInstance.id).where(StepInstance.step_id == step.id,
                                                              StepInstance.trigger_activity_id == activity.id))
        if exists is None:
            instance = StepInstance(step_id=step.id, customer_id=activity.customer_id, owner_id=activity.owner_id,
                                    team_id=activity.team_id, trigger_activity_id=activity.id,
                                    triggered_at=activity.happened_at,
                                    due_at=activity.happened_at + timedelta(hours=float(step.within_hours)))
            session.add(instance)
            session.flush()
            opened.append(instance)
    subject = _subject_instances(activity)
    for step in steps:
        if step.action != activity.kind or subject is None:
            continue
        if not carries(step.required_fields or [], activity.kind, activity.fields, settings):
            continue
        done = session.scalar(select(StepInstance.id).where(StepInstance.step_id == step.id,
                                                            StepInstance.completing_activity_id == activity.id))
        if done is not None:
            continue
        instance = session.scalars(
            select(StepInstance)
            .where(StepInstance.step_id == step.id, StepInstance.completed_at.is_(None), subject,
                   StepInstance.triggered_at <= activity.happened_at)
            .order_by(StepInstance.triggered_at, StepInstance.id).limit(1).with_for_update()
        ).first()
        if instance is not None:
            instance.completed_at = activity.logged_at
            instance.completing_activity_id = activity.id
            session.flush()
            closed.append(instance)
    return StepEffects(tuple(opened), tuple(closed))


def apply_triggers(session: Session, activity: Activity, now: datetime) -> None:
    """Open the step instances ``activity`` triggers and complete the one it is the action of (see
    the module's docstring); idempotent. Call it in the transaction that writes the activity."""
    _apply(session, activity, rules.all_settings(session))


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

    @property
    def activity_ids(self) -> tuple[int, ...]:
        return tuple(a.id for a in (self.companion, self.activity) if a is not None)


def _caller(session: Session, scope_or_user: Scope | User) -> tuple[User, Scope]:
    if isinstance(scope_or_user, User):
        user = session.get(User, scope_or_user.id)
        scope = scope_for(session, user) if user is not None else None
    elif isinstance(scope_or_user, Scope):
        scope, user = scope_or_user, session.get(User, scope_or_user.user_id)
    else:
        raise ScopeError("logging an activity needs the caller (a Scope or a User)")
    if user is None or not user.active or scope is None or scope.role not in LOG_ROLES:
        raise ScopeError("only an active rep or team lead logs visits and follow-ups")
    return user, scope


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
    if _blank(department) and _blank(subject):
        return None
    if department not in DEPARTMENTS:
        raise FieldError("process.err.department", "request_department")
    text = " ".join(str(subject or "").split())
    if not text:
        raise FieldError("process.err.required", "request_subject")
    if len(text) > REQUEST_SUBJECT_MAX:
        raise FieldError("process.err.too_long", "request_subject", n=REQUEST_SUBJECT_MAX)
    return department, text


def log_scenario(session: Session, scope_or_user: Scope | User, scenario: str, *, fields: dict[str, Any],
                 now: datetime, customer_id: int | None = None, lead_id: int | None = None,
                 opportunity_id: int | None = None, happened_at: datetime | None = None,
                 attachments: Sequence[files.Upload] = (), note: str = "",
                 request: tuple[str, str] | None = None) -> Logged:
    """Validate one scenario form completely, then write it in the caller's transaction: the
    activity (and, for a first visit, the visit beside it), its attachments, an optional request to
    another department (needs summaries), the lead's contact times, and the step effects.

    Raises InvalidActivity (every refused field) or ScopeError (a caller who may not log); nothing
    is written then."""
    user, scope = _caller(session, scope_or_user)
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

    team_id = (customer.team_id if customer is not None else lead.team_id) if scope.role == "lead" else user.team_id
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
            effects = _apply(session, a, settings)
            opened += effects.opened
            closed += effects.closed
    session.flush()
    return Logged(activity, companion, tuple(saved_files), tuple(opened), tuple(closed), request_row)


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


def log_activity(session: Session, scope_or_user: Scope | User, kind: str, customer_id: int | None = None,
                 lead_id: int | None = None, opportunity_id: int | None = None,
                 fields: dict[str, Any] | None = None, happened_at: datetime | None = None,
                 now: datetime | None = None, attachments: Sequence[files.Upload] = (),
                 note: str = "") -> Activity:
    """Log one scenario form (``kind``: a scenario code, or an activity kind with a form, e.g.
    ``visit`` → cold visit) in one transaction incl. attachments and step effects; the activity
    written (for a first visit: its needs summary). See ``log_scenario``."""
    if now is None:
        raise ValueError("log_activity needs now")
    return log_scenario(session, scope_or_user, kind, fields=fields or {}, now=now, customer_id=customer_id,
                        lead_id=lead_id, opportunity_id=opportunity_id, happened_at=happened_at,
                        attachments=attachments, note=note).activity


# ---- step rules ----------------------------------------------------------------------------------

STEP_FIELDS = ("name_en", "name_zh", "trigger", "action", "within_hours", "required_fields", "active")
_CODE = re.compile(r"^[a-z][a-z0-9_]{2,39}$")
WITHIN_HOURS_MAX = 720.0


def step_rules(session: Session) -> pd.DataFrame:
    """Every step rule (company-wide configuration, the same for everyone): id, code, name_en,
    name_zh, trigger, action, within_hours, required_fields (list), active."""
    rows = session.scalars(select(ProcessStep).order_by(ProcessStep.id)).all()
    return pd.DataFrame([{"id": s.id, "code": s.code, **_step_values(s)} for s in rows],
                        columns=["id", "code", *STEP_FIELDS])


def _step_values(step: ProcessStep) -> dict[str, Any]:
    return {"name_en": step.name_en, "name_zh": step.name_zh, "trigger": step.trigger, "action": step.action,
            "within_hours": float(step.within_hours), "required_fields": list(step.required_fields or []),
            "active": bool(step.active)}


def _clean_step(code, name_en, name_zh, trigger, action, within_hours, required_fields, active) -> dict:
    values: dict[str, Any] = {}
    for key, value in (("name_en", name_en), ("name_zh", name_zh)):
        text = " ".join(str(value or "").split())
        if not text:
            raise InvalidStep("process.err.required", key)
        if len(text) > 80:
            raise InvalidStep("process.err.too_long", key, n=80)
        values[key] = text
    if trigger not in TRIGGERS:
        raise InvalidStep("process.err.choice", "trigger")
    if action not in ACTIONS:
        raise InvalidStep("process.err.choice", "action")
    if action == trigger:
        raise InvalidStep("process.err.action_is_trigger", "action")
    try:
        hours = float(within_hours)
    except (TypeError, ValueError):
        raise InvalidStep("process.err.number", "within_hours") from None
    if isinstance(within_hours, bool) or not math.isfinite(hours) or not 1 <= hours <= WITHIN_HOURS_MAX:
        raise InvalidStep("process.err.range", "within_hours", min="1", max=f"{WITHIN_HOURS_MAX:g}")
    allowed = fields_of_kind(action)
    required = list(dict.fromkeys(required_fields or []))
    if not required:
        raise InvalidStep("process.err.required_fields", "required_fields")
    if any(f not in allowed for f in required):
        raise InvalidStep("process.err.field_of_action", "required_fields", fields=", ".join(allowed))
    if not isinstance(active, bool):
        raise InvalidStep("process.err.yes_no", "active")
    values.update(trigger=trigger, action=action, within_hours=hours, required_fields=required, active=active)
    return values


def save_step(session: Session, by_user: User | Scope, code: str, name_en: str, name_zh: str, trigger: str,
              action: str, within_hours: float, required_fields: Sequence[str], active: bool,
              expected: dict[str, Any] | None = None, now: datetime | None = None) -> ProcessStep:
    """Create or change the step rule ``code`` (admins only), with its audit row. ``expected``: the
    rule's values when the form was opened; if it changed since, StepConflict and nothing saved.
    A change applies to new triggers only (instances keep their deadlines)."""
    now = now or clock.now()
    role = by_user.role
    user_id = by_user.user_id if isinstance(by_user, Scope) else by_user.id
    if role != "admin":
        raise ScopeError("only an admin edits the key process steps")
    code = str(code or "").strip()
    if not _CODE.match(code):
        raise InvalidStep("process.err.code", "code")
    values = _clean_step(code, name_en, name_zh, trigger, action, within_hours, required_fields, active)
    step = session.scalars(select(ProcessStep).where(ProcessStep.code == code).with_for_update()).first()
    if step is None:
        if expected is not None:
            raise StepConflict("process.err.step_conflict", None)
        step = ProcessStep(code=code, **values)
        session.add(step)
        session.flush()
        session.add(AuditLog(at=now, user_id=user_id, action="create", entity="process_step",
                             entity_id=code, detail={"new": values}))
        return step
    old = _step_values(step)
    if expected is not None and {k: expected.get(k) for k in STEP_FIELDS} != old:
        raise StepConflict("process.err.step_conflict", None)
    for key, value in values.items():
        setattr(step, key, value)
    session.flush()
    changed = {k: {"old": old[k], "new": values[k]} for k in STEP_FIELDS if old[k] != values[k]}
    session.add(AuditLog(at=now, user_id=user_id, action="update", entity="process_step",
                         entity_id=code, detail=changed))
    return step


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


@scoped_read
def recent_activities(scope: Scope, session: Session, limit: int = 30) -> pd.DataFrame:
    """The newest logged activities in scope: id, logged_at, happened_at, kind, scenario, customer,
    owner, attachments (count), owner_id."""
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
    df = pd.DataFrame([{"id": r.id, "logged_at": r.logged_at, "happened_at": r.happened_at, "kind": r.kind,
                        "scenario": (r.fields or {}).get("scenario") or _default_scenario(r.kind),
                        "customer": r.customer, "owner": r.owner, "attachments": int(r.attachments or 0),
                        "owner_id": r.owner_id} for r in rows],
                      columns=["id", "logged_at", "happened_at", "kind", "scenario", "customer", "owner",
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
