"""Hand-made data with known answers, built through the ORM inside ``core.base.db.write_tx``.

    with write_tx(engine) as s:
        org = make_org(s)
        add_lead(s, org.a1, created_at=NOW - timedelta(hours=49))   # a 48 h miss

The organisation: region North → team Alpha (lead Lena, reps a1 and a2), region South → team Beta
(lead Leo, reps b1 and b2), and the director Dora. Every helper flushes, so ids are set on return.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.base.models import (
    Activity,
    Alert,
    Attachment,
    AuditLog,
    CapabilityScore,
    CoachingRecord,
    Contract,
    CrossDeptRequest,
    Customer,
    CustomerIssue,
    Lead,
    LeadAssignment,
    Invoice,
    Opportunity,
    Payment,
    ProcessStep,
    Receipt,
    Region,
    StageHistory,
    Shipment,
    StepInstance,
    Team,
    Todo,
    User,
)
from core.base.db import read_session
from core.base.scope import Scope, scope_for
from core.base.vocabulary import DIMENSIONS

# The fixed moment tests measure at: Monday 23 November 2026, noon. The cockpit's default window
# (7 days) is then 17–23 November.
NOW = datetime(2026, 11, 23, 12, 0, 0)
# Not a real bcrypt hash: hashing is slow and no test here logs in.
FAKE_HASH = "$2b$04$" + "x" * 53

_seq = itertools.count(1)


@dataclass
class Org:
    north: Region
    south: Region
    alpha: Team
    beta: Team
    director: User
    lead_alpha: User
    lead_beta: User
    a1: User
    a2: User
    b1: User
    b2: User

    @property
    def reps(self) -> list[User]:
        return [self.a1, self.a2, self.b1, self.b2]


def add_user(session: Session, username: str, display_name: str, role: str, team: Team | None = None) -> User:
    user = User(username=username, display_name=display_name, email=f"{username}@example.com", role=role,
                team_id=team.id if team else None, password_hash=FAKE_HASH, active=True,
                failed_logins=0, created_at=NOW - timedelta(days=365))
    session.add(user)
    session.flush()
    return user


def make_org(session: Session) -> Org:
    """Two regions with one team each; a lead and two reps per team; a director."""
    north, south = Region(name="North"), Region(name="South")
    session.add_all([north, south])
    session.flush()
    alpha = Team(name="Alpha", region_id=north.id, auto_reassign=False)
    beta = Team(name="Beta", region_id=south.id, auto_reassign=False)
    session.add_all([alpha, beta])
    session.flush()
    director = add_user(session, "dora", "Dora Director", "director")
    lead_alpha = add_user(session, "lena", "Lena Lead", "lead", alpha)
    lead_beta = add_user(session, "leo", "Leo Lead", "lead", beta)
    alpha.lead_user_id, beta.lead_user_id = lead_alpha.id, lead_beta.id
    a1 = add_user(session, "a1", "Amy A1", "rep", alpha)
    a2 = add_user(session, "a2", "Ann A2", "rep", alpha)
    b1 = add_user(session, "b1", "Bob B1", "rep", beta)
    b2 = add_user(session, "b2", "Ben B2", "rep", beta)
    session.flush()
    return Org(north, south, alpha, beta, director, lead_alpha, lead_beta, a1, a2, b1, b2)


def make_office(session: Session, reps=None) -> Org:
    """make_org, with finance fay and admin ada, and every rep of ``reps`` (default: all) holding the
    same records (add_rep_records): the organisation most page tests start from."""
    org = make_org(session)
    add_user(session, "fay", "Fay Finance", "finance")
    add_user(session, "ada", "Ada Admin", "admin")
    for rep in org.reps if reps is None else reps(org):
        add_rep_records(session, rep, rep.username)
    return org


def add_customer(session: Session, owner: User, name: str | None = None, created_at: datetime = NOW,
                 **extra) -> Customer:
    team_id = extra.pop("team_id", owner.team_id)
    customer = Customer(name=name or f"Customer {next(_seq)}", phone="", industry="manufacturing",
                        size="medium", customer_type="end user", heat="warm", owner_id=owner.id,
                        team_id=team_id, created_at=created_at, updated_at=created_at, **extra)
    session.add(customer)
    session.flush()
    return customer


def add_lead(session: Session, owner: User | None, created_at: datetime,
             first_contact_at: datetime | None = None, *, company: str | None = None, grade: str = "A",
             source_channel: str = "website", team_id: int | None = None, **extra) -> Lead:
    """A lead owned by ``owner`` (in the owner's team unless ``team_id`` is given)."""
    lead = Lead(company=company or f"Lead Co {next(_seq)}", source_channel=source_channel, grade=grade,
                status="contacted" if first_contact_at else "new",
                owner_id=owner.id if owner else None,
                team_id=team_id if team_id is not None else (owner.team_id if owner else None),
                created_at=created_at, assigned_at=created_at if owner else None,
                first_contact_at=first_contact_at, last_activity_at=first_contact_at, **extra)
    session.add(lead)
    session.flush()
    return lead


def step_id(session: Session, step_code: str) -> int:
    found = session.scalar(select(ProcessStep.id).where(ProcessStep.code == step_code))
    if found is None:
        raise LookupError(f"no process step {step_code!r} (is the database migrated?)")
    return found


def add_step_instance(session: Session, step_code: str, owner: User, triggered_at: datetime,
                      due_at: datetime, completed_at: datetime | None = None, *,
                      customer: Customer | None = None, team_id: int | None = None) -> StepInstance:
    """A triggered key step (``step_code`` as in process_steps) with its deadline."""
    instance = StepInstance(step_id=step_id(session, step_code), owner_id=owner.id,
                            team_id=team_id if team_id is not None else owner.team_id,
                            customer_id=customer.id if customer else None,
                            triggered_at=triggered_at, due_at=due_at, completed_at=completed_at)
    session.add(instance)
    session.flush()
    return instance


def add_rep_records(session: Session, rep: User, tag: str, now: datetime = NOW) -> None:
    """One of every kind of record a rep owns, with the same times for every rep: a customer,
    on-time, late and missed leads, an opportunity with its stage history, activities, step
    instances of every step (on time, late, missed, open), an issue, a cross-department request,
    a to-do, an alert and an audit row; and a deal won three days ago; capability scores of two
    assessments by the team's lead (the newer: 2, 4, 3, 5 in DIMENSIONS order) and a coaching record
    rated 4 (without a to-do). The scope tests build it for several reps."""
    day = timedelta(days=1)
    hour = timedelta(hours=1)
    customer = add_customer(session, rep, name=f"{tag} Customer", created_at=now - 30 * day)
    add_lead(session, rep, now - 5 * day, now - 5 * day + 3 * hour, company=f"{tag} on time", customer_id=customer.id)
    add_lead(session, rep, now - 4 * day, now - 4 * day + 60 * hour, company=f"{tag} late", grade="B")
    add_lead(session, rep, now - 3 * day, None, company=f"{tag} missed", grade="C")
    lead = add_lead(session, rep, now - 2 * hour, None, company=f"{tag} fresh")
    session.add(LeadAssignment(lead_id=lead.id, from_user_id=None, to_user_id=rep.id, team_id=rep.team_id,
                               reason="routed", at=now - 2 * hour))
    opp = Opportunity(name=f"{tag} deal", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id,
                      product="widgets", source_channel="website", amount=125000, stage="proposal",
                      status="open", stage_entered_at=now - 6 * day, created_at=now - 20 * day, lost_reason="")
    session.add(opp)
    session.flush()
    session.add_all([
        StageHistory(opportunity_id=opp.id, stage="initial_contact", entered_at=now - 20 * day,
                     left_at=now - 12 * day, by_user_id=rep.id, evidence="", note=""),
        StageHistory(opportunity_id=opp.id, stage="proposal", entered_at=now - 6 * day, left_at=None,
                     by_user_id=rep.id, evidence="quote sent", note=""),
    ])
    # and a deal won three days ago (initial contact → contract signed → won), for win rates
    won = Opportunity(name=f"{tag} won deal", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id,
                      product="gadgets", source_channel="expo", amount=80000, stage="contract_signed",
                      status="won", stage_entered_at=now - 5 * day, created_at=now - 15 * day,
                      closed_at=now - 3 * day, lost_reason="")
    session.add(won)
    session.flush()
    session.add_all([
        StageHistory(opportunity_id=won.id, stage="initial_contact", entered_at=now - 15 * day,
                     left_at=now - 5 * day, by_user_id=rep.id, evidence="", note=""),
        StageHistory(opportunity_id=won.id, stage="contract_signed", entered_at=now - 5 * day,
                     left_at=now - 3 * day, by_user_id=rep.id, evidence="signed contract", note=""),
        StageHistory(opportunity_id=won.id, stage="won", entered_at=now - 3 * day, left_at=None,
                     by_user_id=rep.id, evidence="", note=""),
    ])
    visit = Activity(kind="visit", customer_id=customer.id, opportunity_id=opp.id, owner_id=rep.id,
                     team_id=rep.team_id, happened_at=now - 3 * day, logged_at=now - 2 * day,
                     effective=True, fields={"purpose": "demo"}, note=f"{tag} visit")
    promo = Activity(kind="promotion", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id,
                     happened_at=now - 4 * day, logged_at=now - 4 * day, effective=True, fields={}, note="")
    session.add_all([visit, promo])
    session.flush()
    for code, hours in (("needs_summary", 24), ("promotion_evidence", 48), ("solution_update", 72)):
        within = timedelta(hours=hours)
        start = now - 6 * day
        add_step_instance(session, code, rep, start, start + within, start + within / 2, customer=customer)
        add_step_instance(session, code, rep, start, start + within, start + within + 5 * hour, customer=customer)
        add_step_instance(session, code, rep, now - 5 * day, now - 5 * day + within, None, customer=customer)
        add_step_instance(session, code, rep, now - hour, now - hour + within, None, customer=customer)
    session.add_all([
        CustomerIssue(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, title=f"{tag} price",
                      raised_at=now - 8 * day, closed_at=None, resolution=""),
        CrossDeptRequest(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, department="support",
                         subject=f"{tag} install", requested_at=now - 3 * day, answered_at=None, answer=""),
        Todo(owner_id=rep.id, team_id=rep.team_id, title=f"{tag} call back", kind="manual", ref_type="",
             due_at=now + day, created_at=now - day),
        Alert(recipient_id=rep.id, team_id=rep.team_id, kind="lead_overdue", message=f"{tag} overdue",
              ref_type="lead", ref_id=lead.id, created_at=now - hour),
        AuditLog(at=now - day, user_id=rep.id, action="create", entity="customer", entity_id=str(customer.id),
                 detail={"tag": tag}),
    ])
    # People (SPEC §8): two assessments by the team's lead, and a rated coaching
    lead_id = session.get(Team, rep.team_id).lead_user_id
    for when, scores in ((now - 40 * day, (3, 3, 3, 3)), (now - 10 * day, (2, 4, 3, 5))):
        session.add_all([CapabilityScore(owner_id=rep.id, team_id=rep.team_id, dimension=dim, score=score,
                                         assessed_by=lead_id, assessed_at=when, note="")
                         for dim, score in zip(DIMENSIONS, scores)])
    session.add(CoachingRecord(lead_id=lead_id, owner_id=rep.id, team_id=rep.team_id, coached_on=(now - 3 * day).date(),
                               dimension="negotiation_closing", scenario_practiced=True,
                               summary=f"{tag} coaching summary", next_points=f"{tag} next points", rep_rating=4,
                               rated_at=now - 2 * day, todo_id=None, created_at=now - 3 * day))
    session.flush()
    # ---- lead desk records ----
    add_pool_records(session, rep, tag, now)  # routing and pool (core.leads.routing, core.leads.pool)
    # ---- process capture records ----
    # a photo of the visit (its row only: no file is written here; the same name in every database)
    import hashlib

    session.add(Attachment(activity_id=visit.id, owner_id=rep.id, team_id=rep.team_id, category="photo",
                           content_type="image/jpeg", original_name=f"{tag} shelf.jpg",
                           stored_name=hashlib.sha256(f"{tag}:{rep.id}".encode()).hexdigest()[:32] + ".jpg",
                           size_bytes=1234, sha256="0" * 64,
                           uploaded_by=rep.id, created_at=now - 2 * day))
    session.flush()
    # issues & requests, logging lag (core.process.requests, core.process.psi, core.process.lag): an issue closed after 2 days, a
    # request answered after 30 h, and a call logged 96 h after it happened (flagged as late logging)
    session.add_all([
        CustomerIssue(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, title=f"{tag} delivery",
                      raised_at=now - 6 * day, closed_at=now - 4 * day, resolution=f"{tag} resolved"),
        CrossDeptRequest(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, department="delivery",
                         subject=f"{tag} schedule", requested_at=now - 5 * day, answered_at=now - 5 * day + 30 * hour,
                         answer=f"{tag} scheduled"),
        Activity(kind="call", customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id,
                 happened_at=now - 5 * day, logged_at=now - day, effective=True, fields={}, note=f"{tag} late call"),
    ])
    session.flush()
    # ---- people: scorecard records ----
    # this month's targets (200,000 signed, 100,000 collected, 4 effective visits); the won deal's
    # contract (80,000, signed three days ago) with two instalments, the first received two days ago;
    # a satisfaction score of 4; the first onboarding task done the day after the account was opened
    from core.base.models import Contract, OnboardingProgress, OnboardingTask, Payment, SatisfactionScore, Target

    session.add(Target(month=f"{now:%Y-%m}", owner_id=rep.id, team_id=rep.team_id, signed_amount=200000,
                       collections=100000, effective_visits=4, set_by=lead_id, set_at=now - 30 * day))
    contract = Contract(number=f"HT-{tag}-{won.id}", customer_id=customer.id, opportunity_id=won.id, owner_id=rep.id,
                        team_id=rep.team_id, amount=80000, signed_at=now - 3 * day, status="active",
                        created_at=now - 3 * day)
    session.add(contract)
    session.flush()
    session.add_all([
        Payment(contract_id=contract.id, owner_id=rep.id, team_id=rep.team_id, due_date=(now - 2 * day).date(),
                amount_due=40000, amount_received=40000, received_at=now - 2 * day, note="", created_at=now - 3 * day),
        Payment(contract_id=contract.id, owner_id=rep.id, team_id=rep.team_id, due_date=(now + 30 * day).date(),
                amount_due=40000, amount_received=0, received_at=None, note="", created_at=now - 3 * day),
        SatisfactionScore(customer_id=customer.id, owner_id=rep.id, team_id=rep.team_id, score=4,
                          surveyed_at=now - 5 * day, note=f"{tag} survey", recorded_by=lead_id, created_at=now - 5 * day),
    ])
    first_task = session.scalar(select(OnboardingTask.id).order_by(OnboardingTask.day_due, OnboardingTask.id))
    session.add(OnboardingProgress(task_id=first_task, owner_id=rep.id, team_id=rep.team_id,
                                   completed_at=rep.created_at + day, note=f"{tag} pitch note"))
    session.flush()
    # ---- the year's accepted plan (one version for every rep: made by the
    # first rep's call) with 120,000 a month for the rep from January to this month, and the rep's
    # confirmation of this month's target
    from core.base.models import TargetConfirmation, TargetPlanRow, TargetPlanVersion

    plan = session.scalar(select(TargetPlanVersion).where(TargetPlanVersion.period == f"{now:%Y}"))
    if plan is None:
        plan = TargetPlanVersion(period=f"{now:%Y}", number=1, kind="allocation", status="accepted",
                                 created_at=now - 60 * day, decided_at=now - 60 * day)
        session.add(plan)
        session.flush()
    region_id = session.get(Team, rep.team_id).region_id
    session.add_all([TargetPlanRow(version_id=plan.id, owner_id=rep.id, team_id=rep.team_id, region_id=region_id,
                                   month=f"{now.year:04d}-{m:02d}", amount=120000) for m in range(1, now.month + 1)])
    session.add(TargetConfirmation(month=f"{now:%Y-%m}", owner_id=rep.id, team_id=rep.team_id, amount=200000,
                                   confirmed_at=now - 2 * day))
    session.flush()
    # ---- funnel records ----


def add_pool_records(session: Session, rep: User, tag: str, now: datetime = NOW) -> Lead:
    """Lead desk: a lead the rep lost to their team's pool three days ago — created 40 days ago,
    routed to the rep, contacted, last followed up 30 days ago, returned for no follow-up."""
    day = timedelta(days=1)
    lead = Lead(company=f"{tag} pooled", source_channel="expo", grade="B", status="contacted", owner_id=None,
                team_id=rep.team_id, industry="manufacturing", size="medium", created_at=now - 40 * day,
                assigned_at=None, first_contact_at=now - 39 * day, last_activity_at=now - 30 * day,
                next_action="call again", next_action_at=now - 25 * day, pooled_at=now - 3 * day,
                pool_reason="no_follow_up")
    session.add(lead)
    session.flush()
    session.add_all([
        LeadAssignment(lead_id=lead.id, from_user_id=None, to_user_id=rep.id, team_id=rep.team_id, reason="routed",
                       at=now - 40 * day),
        LeadAssignment(lead_id=lead.id, from_user_id=rep.id, to_user_id=None, team_id=rep.team_id, reason="returned",
                       at=now - 3 * day),
    ])
    session.flush()
    return lead


# ---- cash (SPEC §7) -------------------------------------------------------------------------------

def add_contract(session: Session, owner: User, customer: Customer, amount: float, signed_at: datetime = NOW,
                 *, instalments: list[tuple[datetime, float]] | None = None, number: str | None = None,
                 status: str = "active") -> Contract:
    """A contract of ``owner`` for ``customer``, with its payment schedule: ``instalments`` as (due,
    amount) — by default the whole amount due 30 days after signing. Nothing received yet."""
    contract = Contract(number=number or f"HT-{next(_seq):05d}", customer_id=customer.id, owner_id=owner.id,
                        team_id=owner.team_id, amount=amount, signed_at=signed_at, status=status, created_at=signed_at)
    session.add(contract)
    session.flush()
    for due, due_amount in instalments or [(signed_at + timedelta(days=30), amount)]:
        session.add(Payment(contract_id=contract.id, owner_id=owner.id, team_id=owner.team_id, due_date=due.date(),
                            amount_due=due_amount, amount_received=0, received_at=None, created_at=signed_at))
    session.flush()
    return contract


def add_receipt(session: Session, contract: Contract, amount: float, received_at: datetime,
                reference: str | None = None) -> Receipt:
    """Money received for ``contract``, filling its instalments in due-date order (the last one takes
    any overpayment), as finance's payment entry does."""
    receipt = Receipt(contract_id=contract.id, owner_id=contract.owner_id, team_id=contract.team_id, amount=amount,
                      received_at=received_at, reference=reference or f"BK-{next(_seq):06d}", created_at=received_at)
    session.add(receipt)
    rows = session.scalars(select(Payment).where(Payment.contract_id == contract.id)
                           .order_by(Payment.due_date, Payment.id)).all()
    left = float(amount)
    for i, row in enumerate(rows):
        room = float(row.amount_due) - float(row.amount_received)
        take = left if i == len(rows) - 1 else min(max(room, 0.0), left)
        if take > 0:
            row.amount_received = float(row.amount_received) + take
            row.received_at = received_at
            left -= take
    session.flush()
    return receipt


def add_invoice(session: Session, contract: Contract, amount: float, issued_at: datetime = NOW,
                number: str | None = None) -> Invoice:
    invoice = Invoice(number=number or f"FP-{next(_seq):06d}", contract_id=contract.id, owner_id=contract.owner_id,
                      team_id=contract.team_id, amount=amount, issued_at=issued_at, created_at=issued_at)
    session.add(invoice)
    session.flush()
    return invoice


def add_shipment(session: Session, contract: Contract, value: float, shipped_at: datetime = NOW,
                 number: str | None = None) -> Shipment:
    shipment = Shipment(number=number or f"CK-{next(_seq):06d}", contract_id=contract.id, owner_id=contract.owner_id,
                        team_id=contract.team_id, value=value, shipped_at=shipped_at, created_at=shipped_at)
    session.add(shipment)
    session.flush()
    return shipment


# ---- who is asking ------------------------------------------------------------------------------

def scope_of(where: Session | Engine, user: User | str) -> Scope:
    """The scope of ``user`` (a User or a username), read in ``where`` (a session, or an engine to
    open a read session on)."""
    if isinstance(where, Engine):
        with read_session(where) as session:
            return scope_of(session, user)
    row = (where.get(User, user.id) if isinstance(user, User)
           else where.scalar(select(User).where(User.username == user)))
    return scope_for(where, row)


def user_id(engine: Engine, username: str) -> int:
    """The id of the user ``username``."""
    with read_session(engine) as session:
        return session.scalar(select(User.id).where(User.username == username))
