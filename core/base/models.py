"""The single source of truth (SPEC §2): typed SQLAlchemy 2 models.

Times are naive datetimes in the company's local time. Every row that belongs to a rep carries
``owner_id`` and ``team_id`` so that scope (core.base.scope) can filter it in SQL.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    Integer,
    Numeric,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Region(Base):
    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    teams: Mapped[list["Team"]] = relationship(back_populates="region")


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    lead_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", use_alter=True), nullable=True)
    auto_reassign: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[Region] = relationship(back_populates="teams")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True, index=True)
    department: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # a DEPARTMENTS value, for role service
    password_hash: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[Optional[str]] = mapped_column(String(5), nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    # Cookies issued before this moment are refused (logout, password change).
    revoked_before: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # company set-up (SPEC §10): an initial password given by an admin must be changed at first login
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    tax_id: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)
    industry: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[str] = mapped_column(String(20), default="")  # small / medium / large
    customer_type: Mapped[str] = mapped_column(String(40), default="")
    heat: Mapped[str] = mapped_column(String(20), default="")  # hot / warm / cold
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("regions.id"), nullable=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_team_created", "team_id", "created_at"),
        Index("ix_leads_owner_created", "owner_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), nullable=True, index=True)
    company: Mapped[str] = mapped_column(String(160))
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    source_channel: Mapped[str] = mapped_column(String(40))
    industry: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[str] = mapped_column(String(20), default="")
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("regions.id"), nullable=True)
    grade: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(20), default="new")
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    assigned_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    first_contact_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    last_activity_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    next_action: Mapped[str] = mapped_column(String(200), default="")
    next_action_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    converted_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    # lead desk: in the pool (公海) since when and why (core.leads.pool.POOL_REASONS); both NULL while owned
    pooled_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    pool_reason: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class LeadAssignment(Base):
    """Every assignment, reassignment, return to the pool and claim, with its reason."""
    __tablename__ = "lead_assignments"
    __table_args__ = (Index("ix_lead_assignments_to_user_at", "to_user_id", "at"),)  # lead desk: caps, round-robin
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    from_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    to_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(40))  # routed / reassigned / returned / claimed / manual
    at: Mapped[datetime] = mapped_column(DateTime)
    by_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)


class Opportunity(Base):
    __tablename__ = "opportunities"
    __table_args__ = (Index("ix_opps_team_status", "team_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leads.id"), nullable=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    product: Mapped[str] = mapped_column(String(60), default="")
    source_channel: Mapped[str] = mapped_column(String(40), default="")
    amount: Mapped[float] = mapped_column(Numeric(14, 2), default=0)
    stage: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default="open")
    stage_entered_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    lost_reason: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class StageHistory(Base):
    """One row per stay of an opportunity in a stage (or its closing as won / lost)."""
    __tablename__ = "stage_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), index=True)
    stage: Mapped[str] = mapped_column(String(30))  # a STAGES value, or won / lost
    entered_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    left_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    by_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    evidence: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(String(300), default="")


class Activity(Base):
    """A visit, call, demo, proposal, promotion, objection … with the fields of its scenario."""
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_owner_happened", "owner_id", "happened_at"),
        Index("ix_activities_team_happened", "team_id", "happened_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), nullable=True, index=True)
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leads.id"), nullable=True, index=True)
    opportunity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("opportunities.id"), nullable=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    happened_at: Mapped[datetime] = mapped_column(DateTime)
    logged_at: Mapped[datetime] = mapped_column(DateTime)
    effective: Mapped[bool] = mapped_column(Boolean, default=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")


class ProcessStep(Base):
    """A key process step as data: after ``trigger`` comes ``action`` with ``required_fields``
    within ``within_hours`` (SPEC §5)."""
    __tablename__ = "process_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    trigger: Mapped[str] = mapped_column(String(40))   # first_contact / promotion / objection …
    action: Mapped[str] = mapped_column(String(40))    # the activity kind that completes it
    within_hours: Mapped[float] = mapped_column(Float)
    required_fields: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StepInstance(Base):
    """One triggered step with its deadline; completed on time, late, or still open."""
    __tablename__ = "step_instances"
    __table_args__ = (
        Index("ix_steps_team_triggered", "team_id", "triggered_at"),
        Index("ix_steps_owner_triggered", "owner_id", "triggered_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("process_steps.id"), index=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), nullable=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    trigger_activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activities.id"), nullable=True)
    triggered_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    completing_activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activities.id"), nullable=True)


class CustomerIssue(Base):
    __tablename__ = "customer_issues"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    resolution: Mapped[str] = mapped_column(Text, default="")


class CrossDeptRequest(Base):
    """A request from sales to marketing, support or delivery: requested → answered."""
    __tablename__ = "cross_dept_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), nullable=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True, index=True)
    department: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")


class Todo(Base):
    __tablename__ = "todos"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="manual")
    ref_type: Mapped[str] = mapped_column(String(30), default="")
    ref_id: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    due_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    done_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    # Jobs create to-dos idempotently: one per (kind, ref) and key.
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(120), nullable=True, unique=True)


class Alert(Base):
    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    ref_type: Mapped[str] = mapped_column(String(30), default="")
    ref_id: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(120), nullable=True, unique=True)
    # ---- the alert store: how grave, and where its handling stands ----
    severity: Mapped[str] = mapped_column(String(10), default="warning", server_default="warning")  # ALERT_SEVERITIES
    status: Mapped[str] = mapped_column(String(12), default="open", server_default="open")  # ALERT_STATUSES
    acknowledged_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    acknowledged_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    resolved_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)


class Setting(Base):
    """An admin's value for a threshold, window or weight; defaults live in core.base.rules."""
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DataVersion(Base):
    """One row whose counter grows with every committed write (see core.base.db.write_tx)."""
    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


# ==== People (SPEC §8): capability scores, coaching records, knowledge articles ===================


class CapabilityScore(Base):
    """One lead's 1–5 score of one rep in one capability dimension; the newest per dimension counts."""
    __tablename__ = "capability_scores"
    __table_args__ = (
        Index("ix_capability_scores_owner_assessed", "owner_id", "assessed_at"),
        Index("ix_capability_scores_team_assessed", "team_id", "assessed_at"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the rep assessed
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    dimension: Mapped[str] = mapped_column(String(30))  # a DIMENSIONS value
    score: Mapped[int] = mapped_column(Integer)
    assessed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the lead
    assessed_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(String(300), default="")


class CoachingRecord(Base):
    """A lead's coaching of a rep; its next points became the rep's to-do ``todo_id``."""
    __tablename__ = "coaching_records"
    __table_args__ = (
        Index("ix_coaching_records_owner_coached", "owner_id", "coached_on"),
        Index("ix_coaching_records_team_coached", "team_id", "coached_on"),
        CheckConstraint("rep_rating IS NULL OR rep_rating BETWEEN 1 AND 5", name="rating_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the rep coached
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    coached_on: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(30))
    scenario_practiced: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(String(500))
    next_points: Mapped[str] = mapped_column(String(500))
    rep_rating: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    rated_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    todo_id: Mapped[Optional[int]] = mapped_column(ForeignKey("todos.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class KnowledgeArticle(Base):
    """A knowledge-base article of four parts (question, scenario, script, evidence), company-wide.

    ``version`` guards edits: a save made on an older version than the stored one is a conflict.
    """
    __tablename__ = "knowledge_articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    scenario: Mapped[str] = mapped_column(Text)
    script: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    customer_type: Mapped[str] = mapped_column(String(40), default="")
    scenario_tag: Mapped[str] = mapped_column(String(30), default="")
    dimension: Mapped[str] = mapped_column(String(30), index=True)
    language: Mapped[str] = mapped_column(String(5))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


# ---- lead desk (SPEC §3) ----

class RoutingRule(Base):
    """Leads of this region, industry and customer size go to ``team_id``. An empty criterion (NULL
    region, '' industry or size) matches anything; active rules are tried by ``position`` (then id)
    and the first match wins."""
    __tablename__ = "routing_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("regions.id"), nullable=True)
    industry: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[str] = mapped_column(String(20), default="")
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class TeamPoolRule(Base):
    """A team's own lead-pool rules; a NULL value means the company default (settings ``pool_*``),
    and 0 days switches a recycle rule off for the team."""
    __tablename__ = "team_pool_rules"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    no_follow_up_days: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    not_converted_days: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    claim_cap_per_day: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    claim_cooldown_days: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)


# ---- process capture (SPEC §5, §6) ----


class Attachment(Base):
    """A photo, voice note or document uploaded with an activity (core.process.attachments). The file lives
    in the upload directory under its random ``stored_name``, never under the name the user gave;
    owner and team are the activity's, so scope filters attachments like any other row."""
    __tablename__ = "attachments"
    __table_args__ = (
        Index("ix_attachments_owner_created", "owner_id", "created_at"),
        Index("ix_attachments_team_created", "team_id", "created_at"),
        CheckConstraint("size_bytes >= 0", name="size_nonnegative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    category: Mapped[str] = mapped_column(String(10))  # an ATTACHMENT_CATEGORIES value
    content_type: Mapped[str] = mapped_column(String(40))  # as sniffed from the bytes, e.g. image/jpeg
    original_name: Mapped[str] = mapped_column(String(120))  # sanitised, for display only
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random hex + extension
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


# One step instance per (step, triggering activity) and per (step, completing activity): applying
# an activity's triggers twice cannot count it twice. Open instances are looked up by customer.
Index("uq_step_instances_step_trigger", StepInstance.step_id, StepInstance.trigger_activity_id, unique=True)
Index("uq_step_instances_step_completing", StepInstance.step_id, StepInstance.completing_activity_id, unique=True)
Index("ix_step_instances_customer", StepInstance.customer_id, StepInstance.step_id)


# ---- people: targets, contracts, scorecard (SPEC §8) ----

from sqlalchemy import UniqueConstraint  # noqa: E402  (kept in this section: the imports above are shared)


class Target(Base):
    """A month's targets of one rep (``owner_id``) or of a team as a whole (``owner_id`` NULL; without
    such a row the team's target is the sum of its reps'). A kind left NULL has no target."""
    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("month", "team_id", "owner_id", name="uq_targets_month_team_owner"),
        Index("ix_targets_owner_month", "owner_id", "month"),
        CheckConstraint("signed_amount IS NULL OR signed_amount >= 0", name="signed_amount_positive"),
        CheckConstraint("collections IS NULL OR collections >= 0", name="collections_positive"),
        CheckConstraint("effective_visits IS NULL OR effective_visits >= 0", name="effective_visits_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # 'YYYY-MM'
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    signed_amount: Mapped[Optional[float]] = mapped_column(Numeric(14, 2), nullable=True)
    collections: Mapped[Optional[float]] = mapped_column(Numeric(14, 2), nullable=True)
    effective_visits: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    set_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    set_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Contract(Base):
    """A signed contract; its signed amount counts in the month of ``signed_at`` (unless cancelled)."""
    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_owner_signed", "owner_id", "signed_at"),
        Index("ix_contracts_team_signed", "team_id", "signed_at"),
        CheckConstraint("amount >= 0", name="amount_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    opportunity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("opportunities.id"), nullable=True, index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    amount: Mapped[float] = mapped_column(Numeric(14, 2))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="active")  # a CONTRACT_STATUSES value
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Payment(Base):
    """One instalment of a contract's payment schedule (a receivable): due on ``due_date``, with what
    was received and when. Owner and team are copied from the contract, so scope filters without a
    join; collections of a month are the amounts received in it."""
    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_owner_received", "owner_id", "received_at"),
        Index("ix_payments_team_received", "team_id", "received_at"),
        Index("ix_payments_team_due", "team_id", "due_date"),
        CheckConstraint("amount_due >= 0 AND amount_received >= 0", name="amounts_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    due_date: Mapped[date] = mapped_column(Date)
    amount_due: Mapped[float] = mapped_column(Numeric(14, 2))
    amount_received: Mapped[float] = mapped_column(Numeric(14, 2), default=0)
    received_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class SatisfactionScore(Base):
    """A customer's 1–5 satisfaction with their rep (a return-visit survey), counted for ``owner_id``."""
    __tablename__ = "satisfaction_scores"
    __table_args__ = (
        Index("ix_satisfaction_scores_owner_surveyed", "owner_id", "surveyed_at"),
        Index("ix_satisfaction_scores_team_surveyed", "team_id", "surveyed_at"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    score: Mapped[int] = mapped_column(Integer)
    surveyed_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OnboardingTask(Base):
    """One task of a new rep's first week, due on day ``day_due`` (1–7) after the account was opened."""
    __tablename__ = "onboarding_tasks"
    __table_args__ = (CheckConstraint("day_due BETWEEN 1 AND 7", name="day_due_range"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title_en: Mapped[str] = mapped_column(String(120))
    title_zh: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    day_due: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OnboardingProgress(Base):
    """A new rep's completion of an onboarding task, with their note; ``checked_by`` the lead who
    confirmed it."""
    __tablename__ = "onboarding_progress"
    __table_args__ = (
        UniqueConstraint("owner_id", "task_id", name="uq_onboarding_progress_owner_task"),
        Index("ix_onboarding_progress_team", "team_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("onboarding_tasks.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the new rep
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    completed_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(String(500), default="")
    checked_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    checked_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)


# ---- funnel (SPEC §4) ----


# ---- cash (SPEC §7): what finance receives, invoices and the warehouse ships -----------------------

class ContractRecord:
    """The columns every record against a contract carries: the contract, its owner and team (copied
    from the contract, so scope filters without a join), who entered it and when."""
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    entered_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Receipt(ContractRecord, Base):
    """Money finance received for a contract (a bank transfer, a cheque): the ledger behind the
    payments' ``amount_received``, which each receipt fills in due-date order. ``reference`` (the
    bank's or the cheque's number) is unique per contract, so a file imported twice is refused."""
    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("contract_id", "reference", name="uq_receipts_contract_reference"),
        Index("ix_receipts_owner_received", "owner_id", "received_at"),
        Index("ix_receipts_team_received", "team_id", "received_at"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
    amount: Mapped[float] = mapped_column(Numeric(14, 2))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    reference: Mapped[Optional[str]] = mapped_column(String(60), nullable=True)


class Invoice(ContractRecord, Base):
    """An invoice (发票) finance issued against a contract; allowed once the contract's receipts exceed
    ``invoice_min_paid_share`` of its amount."""
    __tablename__ = "invoices"
    __table_args__ = (
        Index("ix_invoices_owner_issued", "owner_id", "issued_at"),
        Index("ix_invoices_team_issued", "team_id", "issued_at"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
    number: Mapped[str] = mapped_column(String(40), unique=True)
    amount: Mapped[float] = mapped_column(Numeric(14, 2))
    issued_at: Mapped[datetime] = mapped_column(DateTime)


class Shipment(ContractRecord, Base):
    """Goods the warehouse shipped for a contract (a delivery note, 出库单), at their value."""
    __tablename__ = "shipments"
    __table_args__ = (
        Index("ix_shipments_owner_shipped", "owner_id", "shipped_at"),
        Index("ix_shipments_team_shipped", "team_id", "shipped_at"),
        CheckConstraint("value >= 0", name="value_nonnegative"),
    )
    number: Mapped[str] = mapped_column(String(40), unique=True)
    value: Mapped[float] = mapped_column(Numeric(14, 2))
    shipped_at: Mapped[datetime] = mapped_column(DateTime)


class QualityFinding(Base):
    """One finding of the data-quality scan: a rule broken by one record. Found again at the next
    scan it stays one row (``last_found_at`` moves on); no longer found, it closes itself as fixed;
    ignored, it stays closed with its reason."""
    __tablename__ = "quality_findings"
    __table_args__ = (
        UniqueConstraint("rule", "record_type", "record_id", name="uq_quality_findings_rule_record"),
        Index("ix_quality_findings_owner_status", "owner_id", "status"),
        Index("ix_quality_findings_team_status", "team_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))  # a QUALITY_RULES value
    record_type: Mapped[str] = mapped_column(String(30))  # customer, contract, activity …
    record_id: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open")  # a FINDING_STATUSES value
    reason: Mapped[str] = mapped_column(String(300), default="")
    first_found_at: Mapped[datetime] = mapped_column(DateTime)
    last_found_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    closed_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)


# ---- targets: weights, plan versions and confirmations (SPEC §8) ----

class TargetWeight(Base):
    """The director's weight of a customer type × product (default 1.0 where no row): a won or
    open deal of that pair counts this many times its amount in the basis targets are allocated by."""
    __tablename__ = "target_weights"
    __table_args__ = (
        UniqueConstraint("customer_type", "product", name="uq_target_weights_type_product"),
        CheckConstraint("weight >= 0", name="weight_nonnegative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_type: Mapped[str] = mapped_column(String(40))
    product: Mapped[str] = mapped_column(String(60))
    weight: Mapped[float] = mapped_column(Numeric(6, 2))
    set_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    set_at: Mapped[datetime] = mapped_column(DateTime)


class TargetPlanVersion(Base):
    """One version of a year's or quarter's plan (``period`` 'YYYY' or 'YYYY-Qn'): an allocation,
    a re-allocation after ``basis_month`` closed, or the director's edit of one; proposed, then
    accepted (its months become the reps' targets), superseded by a later accepted one, or edited."""
    __tablename__ = "target_plan_versions"
    __table_args__ = (UniqueConstraint("period", "number", name="uq_target_plan_versions_period_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))  # allocation / reallocation / edit
    status: Mapped[str] = mapped_column(String(12))  # proposed / accepted / superseded / edited
    basis_month: Mapped[Optional[str]] = mapped_column(String(7), nullable=True)
    based_on: Mapped[Optional[int]] = mapped_column(ForeignKey("target_plan_versions.id"), nullable=True)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)


class TargetPlanRow(Base):
    """A rep's signed-amount target of one month in one plan version (whole yuan); a team's and a
    region's figures are the sums of their reps' rows."""
    __tablename__ = "target_plan_rows"
    __table_args__ = (
        UniqueConstraint("version_id", "owner_id", "month", name="uq_target_plan_rows_version_owner_month"),
        CheckConstraint("amount >= 0", name="amount_nonnegative"),
        Index("ix_target_plan_rows_owner_month", "owner_id", "month"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("target_plan_versions.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    month: Mapped[str] = mapped_column(String(7))
    amount: Mapped[float] = mapped_column(Numeric(14, 2))


class TargetConfirmation(Base):
    """A rep confirmed their signed-amount target of ``month`` as it was then (``amount``); a target
    changed afterwards counts as unconfirmed again."""
    __tablename__ = "target_confirmations"
    __table_args__ = (UniqueConstraint("month", "owner_id", name="uq_target_confirmations_month_owner"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    amount: Mapped[float] = mapped_column(Numeric(14, 2))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime)
# ---- incentives (SPEC §8) ------------------------------------------

class IncentiveModel(Base):
    """One version of the incentive model (weights, tier edges, circuit breaker, ¥ per point). The
    newest version is the one payouts use; every version is kept. Without any row the settings'
    defaults (core.base.rules, ``incentive_*`` and ``psi_tier_*``) are version 0."""
    __tablename__ = "incentive_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PointsEntry(Base):
    """A line of the points ledger: ``points`` granted to ``owner_id`` for one key action (``rule``)
    done at ``happened_at`` on a source record; one line per (rule, source), so granting is idempotent.
    ``part`` is result / process / collaboration; ``weight_key`` which model weight applies."""
    __tablename__ = "points_ledger"
    __table_args__ = (
        UniqueConstraint("rule", "source_type", "source_id", name="uq_points_ledger_rule_source"),
        Index("ix_points_ledger_owner_month", "owner_id", "month"),
        Index("ix_points_ledger_team_month", "team_id", "month"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    month: Mapped[str] = mapped_column(String(7))
    rule: Mapped[str] = mapped_column(String(30))
    part: Mapped[str] = mapped_column(String(20))
    weight_key: Mapped[str] = mapped_column(String(20), default="standard")
    points: Mapped[float] = mapped_column(Numeric(10, 2))
    source_type: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    happened_at: Mapped[datetime] = mapped_column(DateTime)
    granted_at: Mapped[datetime] = mapped_column(DateTime)


class TeamStanding(Base):
    """A team's month as the payouts use it, taken by the ``incentive_standings`` job: its PSI (the
    process tier) and its complaint figures (the circuit breaker)."""
    __tablename__ = "incentive_team_months"
    __table_args__ = (UniqueConstraint("month", "team_id", name="uq_incentive_team_months_month_team"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    psi: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    complaint_customers: Mapped[int] = mapped_column(Integer, default=0)
    active_customers: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
# ==== Delivery (SPEC §10): channels, deliveries, the jobs' lock and runs ================


class Channel(Base):
    """Where a person's or a team's alerts and briefs are pushed: a DingTalk or WeCom robot, a
    Slack-compatible or generic JSON webhook, or SMTP e-mail. Tokens, signing secrets and passwords
    are never kept here: ``token_secret`` / ``sign_secret`` name an environment variable or a
    ``.streamlit/secrets.toml`` entry that holds them (core.notify.channels.secret)."""
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # a core.notify.channels.KINDS value
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True, index=True)
    # the webhook URL ("{token}" in it is replaced by the token secret's value) or, for e-mail, the
    # recipients (comma-separated)
    address: Mapped[str] = mapped_column(String(500))
    token_secret: Mapped[str] = mapped_column(String(80), default="")  # name of the secret (token / SMTP password)
    sign_secret: Mapped[str] = mapped_column(String(80), default="")  # DingTalk: name of the signing secret
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # e-mail: smtp_host, smtp_port, smtp_user, sender, starttls
    send_alerts: Mapped[bool] = mapped_column(Boolean, default=True)
    send_brief: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)


class Delivery(Base):
    """One message to one channel, with its attempts: pending → sent, or failed once the attempts
    are used up; ``next_attempt_at`` spaces the retries out (back-off)."""
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_next", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[Optional[int]] = mapped_column(ForeignKey("alerts.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # alert, text, test
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    # one delivery per (alert, channel): the job never sends an alert twice to a channel
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(120), nullable=True, unique=True)


class JobLock(Base):
    """A lease on a named lock (``run-jobs``): held by ``holder`` until ``expires_at``; a crashed
    run's lease expires, and the next run takes it over."""
    __tablename__ = "job_locks"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[Optional[str]] = mapped_column(String(80), nullable=True)
    acquired_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)


class JobRun(Base):
    """One job's run: when, how many things it did, its error, and who started it."""
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job", "started_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    run_at: Mapped[datetime] = mapped_column(DateTime)  # the moment the job measured at (--now)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime, nullable=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    trigger: Mapped[str] = mapped_column(String(20), default="cron")  # cron (the CLI) or page
    started_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
