"""The key process steps (SPEC §5): the rules an admin edits — after a trigger, an action with its
required content within N hours — and the engine that opens and closes their instances.

A rule's action is an activity kind with a form, and the fields it requires are fields of that form
(core.process.scenarios). The logging of a form (core.process.capture) and the lead desk
(core.leads.desk, a contact logged there) run the engine on what they write.

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
- Rule edits (``save_step``, admins) apply to new triggers only: an instance keeps the deadline it
  was given; completion checks the step's current required fields.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.base import clock
from core.base import rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import Activity, AuditLog, Lead, ProcessStep, StepInstance
from core.base.scope import Scope, company_read
from core.base.vocabulary import CONTACT_KINDS
from core.process.scenarios import SCENARIOS, FieldError, blank, fields_of_kind

FIRST_CONTACT = "first_contact"
# What a step may be triggered by, and which activity kinds may complete one (those with a form).
TRIGGERS: tuple[str, ...] = (FIRST_CONTACT, "visit", "demo", "proposal", "promotion", "objection", "renewal",
                             "complaint")
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.kind for s in SCENARIOS))
# Every field a step may require: the fields of every action's form (a rule takes those of its action's).
ACTION_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(k for a in ACTIONS for k in fields_of_kind(a)))
STEP_FIELDS = ("name_en", "name_zh", "trigger", "action", "within_hours", "required_fields", "active")
_CODE = re.compile(r"^[a-z][a-z0-9_]{2,39}$")
WITHIN_HOURS_MAX = 720.0
NEW_STEP_HOURS = 24.0  # what the form offers for a new rule


class InvalidStep(FieldError):
    """A step rule that cannot be saved; ``field`` names the form field."""


class StepConflict(UserError):
    """The step rule was changed by someone else since the form was opened: nothing was saved."""


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
        if blank(value) and not (f is not None and f.alternative and fields.get(f.alternative)):
            return False
    return True


# ---- step rules ----------------------------------------------------------------------------------

@company_read
def step_rules(scope: Scope, session: Session) -> pd.DataFrame:
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


@guarded("step.save")
def save_step(session: Session, scope: Scope, code: str, name_en: str, name_zh: str, trigger: str,
              action: str, within_hours: float, required_fields: Sequence[str], active: bool,
              expected: dict[str, Any] | None = None, now: datetime | None = None) -> ProcessStep:
    """Create or change the step rule ``code``, with its audit row. ``expected``: the rule's values
    when the form was opened; if it changed since, StepConflict and nothing saved. A change applies
    to new triggers only (instances keep their deadlines)."""
    now = now or clock.now()
    user_id = scope.user_id or None  # None: the company (the command line)
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


def apply_activity(session: Session, activity: Activity, settings: dict) -> StepEffects:
    """The step effects of ``activity`` (see the module's docstring), with the settings already
    read; the instances it opened and the ones it completed."""
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
    apply_activity(session, activity, rules.all_settings(session))
