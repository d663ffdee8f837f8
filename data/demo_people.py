"""The scorecard's part of the demo (SPEC §8): targets, contracts and their payment schedules,
satisfaction surveys, and two new reps in their first weeks.

- Targets for this month and the last, per rep, from the rep's own pace (a signed amount about
  their monthly average of won deals over six months × 0.85–1.35, collections 80 % of it,
  effective visits a little above their pace since the start of last month); a few reps have none
  this month, so their scorecards show "no target".
- A contract for every won deal (signed when the deal was won) with a payment schedule: one
  instalment under ¥100,000, else 30 % / 40 % / 30 % due 7, 60 and 120 days after signing. Past
  instalments are mostly received around their due date, some partly, some not at all: overdue.
- Satisfaction surveys (1–5) of about two in five customers visited since the start of last
  month, each rep with their own typical level.
- Two new reps of team 1 (杭州一组, lead ``lead1``): the last two reps of the team joined 5 and 12
  days ago. Their demo history goes to the team's rep before them (as if that rep had held those
  accounts); each takes over four of that rep's customers, with a few calls and visits of their
  first days, and has done part of the first-week tasks (some confirmed by lead1, some overdue).
  They log in as the other demo accounts do (``rep007`` and ``rep008`` in small, password demo1234).

Called from data/demo.py (the "people: scorecard demo" marker) inside the seed's last transaction;
aggregates and bulk inserts only, so the small demo takes well under two seconds.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import UniqueConstraint, case, func, insert, select, text, update
from sqlalchemy.orm import Session

from core.base import models as m

CHUNK = 5_000
TARGET_MISSING_SHARE = 0.05
NEW_REP_DAYS = (5, 12)  # the two new reps joined this many days ago
SURVEY_SHARE = 0.4
SURVEY_NOTES = ("", "", "", "对售后响应很满意", "希望交货再快一些", "销售跟进及时，专业", "价格偏高但服务好",
                "培训安排得很周到", "发票开具有延误")
PAYMENT_NOTES = ("", "", "对公转账", "银行承兑汇票", "分两笔到账")
FIRST_DAY_NOTES = {
    "product_pitch": "写好了超声设备三分钟讲解：科室排队痛点、图像清晰度、同类医院案例，已发团队群请经理指点。",
    "price_objection_practice": "和经理模拟了“比竞品贵15%”的异议：先确认关注点，再讲五年总拥有成本，最后提分期方案。",
    "competitor_comparison": "整理了与主要竞品在价格、交期、售后三方面的对比表，存于团队共享盘“竞品对比”文件夹。",
    "shadow_visit": "跟随老同事拜访了区人民医院设备科，学到先问使用情况再谈升级，约定下周演示。",
    "first_calls": "已完成 5 通客户电话并逐条登记，其中 2 家同意安排上门拜访。",
}


def _month_start(day: date, back: int = 0) -> datetime:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 1)


def _chunks(session: Session, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[i:i + CHUNK])


def seed_scorecard(session: Session, now: datetime, seed: int = 17) -> dict[str, int]:
    """Write the scorecard demo; returns the rows written per kind."""
    rng = random.Random(seed)
    counts = {"new_reps": _new_reps(session, now, rng)}
    visits = _visits(session, now)  # one pass over the activities serves the targets and the surveys
    counts["targets"] = _targets(session, now, rng, visits)
    counts["contracts"], counts["payments"] = _contracts(session, now, rng)
    surveys = _surveys(now, rng, visits)
    _chunks(session, m.SatisfactionScore.__table__, surveys)
    counts["satisfaction_scores"] = len(surveys)
    # the new reps' first calls and visits are activities too: the demo's count includes them
    counts["activities"] = session.scalar(select(func.count()).select_from(m.Activity))
    return counts


def _visits(session: Session, now: datetime) -> list:
    """(customer, owner, team, effective visits, last visit) of every customer visited since the
    start of last month."""
    a = m.Activity
    return session.execute(
        select(a.customer_id, a.owner_id, a.team_id, func.sum(case((a.effective.is_(True), 1), else_=0)),
               func.max(a.happened_at))
        .where(a.kind == "visit", a.happened_at >= _month_start(now.date(), 1), a.happened_at <= now,
               a.customer_id.is_not(None))
        .group_by(a.customer_id, a.owner_id, a.team_id).order_by(a.customer_id, a.owner_id)).all()


# ---- targets --------------------------------------------------------------------------------------

def _round(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def _targets(session: Session, now: datetime, rng: random.Random, visited: list) -> int:
    since = now - timedelta(days=180)
    reps = session.execute(select(m.User.id, m.User.team_id, m.User.created_at, m.Team.lead_user_id)
                           .join(m.Team, m.Team.id == m.User.team_id)
                           .where(m.User.role == "rep", m.User.active.is_(True)).order_by(m.User.id)).all()
    won = dict(session.execute(select(m.Opportunity.owner_id, func.sum(m.Opportunity.amount))
                               .where(m.Opportunity.status == "won", m.Opportunity.closed_at >= since)
                               .group_by(m.Opportunity.owner_id)).all())
    days = max(1.0, (now - _month_start(now.date(), 1)).total_seconds() / 86400)
    visits: dict[int, float] = {}
    for _, owner_id, _, effective, _ in visited:  # effective visits per 30 days, of late
        visits[owner_id] = visits.get(owner_id, 0.0) + float(effective or 0) * 30 / days
    months = [_month_start(now.date(), 1), _month_start(now.date())]
    rows = []
    for rep_id, team_id, created, lead_id in reps:
        new = created > now - timedelta(days=30)
        for k, first in enumerate(months):
            if new:
                if k == 1 and created < now - timedelta(days=7):  # a ramp-up target: visits only
                    rows.append(dict(month=f"{first:%Y-%m}", owner_id=rep_id, team_id=team_id, signed_amount=None,
                                     collections=None, effective_visits=6, set_by=lead_id,
                                     set_at=max(created, first) + timedelta(hours=2), version=1))
                continue
            if k == 1 and rng.random() < TARGET_MISSING_SHARE:
                continue
            monthly = float(won.get(rep_id) or 0) / 6
            signed = _round(monthly * rng.uniform(0.85, 1.35), 10_000) if monthly else 100_000.0
            rows.append(dict(month=f"{first:%Y-%m}", owner_id=rep_id, team_id=team_id, signed_amount=signed,
                             collections=_round(signed * 0.8, 10_000),
                             effective_visits=max(4, round(visits.get(rep_id, 0.0) * rng.uniform(1.0, 1.3))),
                             set_by=lead_id, set_at=first - timedelta(days=3) + timedelta(hours=10), version=1))
    _chunks(session, m.Target.__table__, rows)
    return len(rows)


# ---- contracts and payment schedules ------------------------------------------------------------------

def _schedule(amount: float) -> list[tuple[int, float]]:
    """(days after signing, amount due) of each instalment."""
    if amount < 100_000:
        return [(30, amount)]
    first, second = round(amount * 0.3, 2), round(amount * 0.4, 2)
    return [(7, first), (60, second), (120, round(amount - first - second, 2))]


def _contracts(session: Session, now: datetime, rng: random.Random) -> tuple[int, int]:
    opps = session.execute(select(m.Opportunity.id, m.Opportunity.customer_id, m.Opportunity.owner_id,
                                  m.Opportunity.team_id, m.Opportunity.amount, m.Opportunity.closed_at)
                           .where(m.Opportunity.status == "won", m.Opportunity.closed_at <= now)
                           .order_by(m.Opportunity.id)).all()
    reliability: dict[int, float] = {}
    next_id = (session.scalar(select(func.max(m.Contract.id))) or 0) + 1
    contracts, payments, receipts = [], [], []
    today = now.date()
    for oid, customer_id, owner_id, team_id, amount, closed_at in opps:
        amount = float(amount)
        p_paid = reliability.setdefault(owner_id, rng.uniform(0.70, 0.95))
        cid, next_id = next_id, next_id + 1
        fully_paid = True
        for days, due_amount in _schedule(amount):
            due = (closed_at + timedelta(days=days)).date()
            received, received_at = 0.0, None
            if due <= today and rng.random() < p_paid:
                at = datetime.combine(due + timedelta(days=rng.randint(-5, 15)), time(rng.randint(9, 17),
                                                                                          rng.randint(0, 59)))
                at = max(at, closed_at + timedelta(hours=2))
                if at < now:
                    received, received_at = due_amount, at
                    if rng.random() < 0.08:  # paid only in part
                        received = round(due_amount * rng.choice((0.3, 0.5, 0.6)), 2)
            elif due > today and rng.random() < 0.08:  # paid early
                at = closed_at + timedelta(days=rng.uniform(1, max(1.5, (now - closed_at).days)))
                if at < now:
                    received, received_at = due_amount, at.replace(microsecond=0)
            fully_paid = fully_paid and received >= due_amount
            if received_at is not None:  # finance's receipt behind the instalment's amount received
                receipts.append(dict(contract_id=cid, owner_id=owner_id, team_id=team_id, amount=received,
                                     received_at=received_at, reference=f"BK{received_at:%Y%m%d}-{len(receipts) + 1:06d}",
                                     entered_by=None, created_at=received_at))
            payments.append(dict(contract_id=cid, owner_id=owner_id, team_id=team_id, due_date=due,
                                 amount_due=due_amount, amount_received=received, received_at=received_at,
                                 note=rng.choice(PAYMENT_NOTES) if received_at else "", created_at=closed_at,
                                 version=1))
        contracts.append(dict(id=cid, number=f"HT{closed_at:%Y%m%d}-{oid:06d}", customer_id=customer_id,
                              opportunity_id=oid, owner_id=owner_id, team_id=team_id, amount=amount,
                              signed_at=closed_at, status="completed" if fully_paid else "active",
                              created_at=closed_at, version=1))
    _chunks(session, m.Contract.__table__, contracts)
    _chunks(session, m.Payment.__table__, payments)
    _chunks(session, m.Receipt.__table__, receipts)
    if contracts and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval(pg_get_serial_sequence('contracts', 'id'), (SELECT max(id) FROM contracts))"))
    return len(contracts), len(payments)


# ---- satisfaction surveys ----------------------------------------------------------------------------

def _surveys(now: datetime, rng: random.Random, visited: list) -> list[dict]:
    level: dict[int, float] = {}
    rows = []
    for customer_id, owner_id, team_id, _, last in visited:
        if rng.random() >= SURVEY_SHARE:
            continue
        mean = level.setdefault(owner_id, rng.uniform(3.4, 4.6))
        score = min(5, max(1, round(rng.gauss(mean, 0.8))))
        at = min(last + timedelta(days=rng.uniform(1, 4)), now - timedelta(hours=1)).replace(microsecond=0)
        rows.append(dict(customer_id=customer_id, owner_id=owner_id, team_id=team_id, score=score, surveyed_at=at,
                         note=rng.choice(SURVEY_NOTES), recorded_by=None, created_at=at))
    return rows


# ---- two new reps ------------------------------------------------------------------------------------------

def _unique_columns(table) -> set[str]:
    """Columns that take part in a unique constraint or index of ``table``."""
    cols = {c.name for c in table.columns if c.unique}
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            cols |= {c.name for c in constraint.columns}
    for index in table.indexes:
        if index.unique:
            cols |= {c.name for c in index.columns}
    return cols


def _hand_over(session: Session, new_id: int, successor: int) -> None:
    """Every row of the demo's past that names the new rep now names ``successor`` (same team); a
    column that is part of a unique key (a row that may exist once per person) is left alone."""
    session.execute(m.CapabilityScore.__table__.delete().where(m.CapabilityScore.owner_id == new_id))
    session.execute(m.CoachingRecord.__table__.delete().where(m.CoachingRecord.owner_id == new_id))
    for table in m.Base.metadata.sorted_tables:
        if table.name == "users":
            continue
        unique = _unique_columns(table)
        for col in table.columns:
            if col.name not in unique and any(fk.column.table.name == "users" for fk in col.foreign_keys):
                session.execute(update(table).where(col == new_id).values({col.name: successor}))


def _new_reps(session: Session, now: datetime, rng: random.Random) -> int:
    team = session.scalar(select(m.Team).order_by(m.Team.id).limit(1))
    if team is None:
        return 0
    reps = session.execute(select(m.User.id, m.User.username).where(m.User.team_id == team.id, m.User.role == "rep")
                           .order_by(m.User.id)).all()
    if len(reps) < 5:
        return 0
    successor = reps[-3].id
    tasks = session.execute(select(m.OnboardingTask.id, m.OnboardingTask.code, m.OnboardingTask.day_due)
                            .where(m.OnboardingTask.active.is_(True))
                            .order_by(m.OnboardingTask.day_due, m.OnboardingTask.id)).all()
    handed = session.scalars(select(m.Customer.id).where(m.Customer.owner_id == successor)
                             .order_by(m.Customer.created_at, m.Customer.id).limit(8)).all()
    progress, activities = [], []
    for k, ((rep_id, _), days_ago) in enumerate(zip(reps[-2:], NEW_REP_DAYS)):
        joined = datetime.combine(now.date() - timedelta(days=days_ago - 1), time(9, 0))
        _hand_over(session, rep_id, successor)
        session.execute(update(m.User.__table__).where(m.User.id == rep_id).values(created_at=joined))
        mine = handed[4 * k:4 * k + 4]
        if mine:
            session.execute(update(m.Customer.__table__).where(m.Customer.id.in_(mine))
                            .values(owner_id=rep_id, updated_at=joined))
        # first days: calls, then visits (the customers' first contacts with their new rep)
        for i in range(3 + 3 * k):
            at = joined + timedelta(days=1 + i * (days_ago - 2) / (3 + 3 * k), hours=rng.uniform(0.5, 7))
            if at >= now or not mine:
                break
            kind = "call" if i < 3 else "visit"
            activities.append(dict(kind=kind, customer_id=mine[i % len(mine)], lead_id=None, opportunity_id=None,
                                   owner_id=rep_id, team_id=team.id, happened_at=at.replace(microsecond=0),
                                   logged_at=(at + timedelta(hours=rng.uniform(0.2, 3))).replace(microsecond=0),
                                   effective=kind == "call" or i % 3 != 2,
                                   fields={"duration_min": rng.randint(3, 15), "summary": "新任销售首次联系，介绍自己并确认采购计划"}
                                   if kind == "call" else {"purpose": "新任销售拜访，交接客户关系", "attendees": 2,
                                                           "outcome": "客户认可交接，约定下月回访"},
                                   note=""))
        # the first week: the older joiner has done four tasks (three confirmed), the newer two
        done = 4 if days_ago >= 7 else 2
        for j, (task_id, code, day_due) in enumerate(tasks[:done]):
            completed = joined + timedelta(days=day_due - 1, hours=rng.uniform(2, 8))
            completed = min(completed, now - timedelta(hours=1)).replace(microsecond=0)
            checked = j < done - 1
            progress.append(dict(task_id=task_id, owner_id=rep_id, team_id=team.id, completed_at=completed,
                                 note=FIRST_DAY_NOTES.get(code, "已完成"),
                                 checked_by=team.lead_user_id if checked else None,
                                 checked_at=min(completed + timedelta(hours=18), now).replace(microsecond=0)
                                 if checked else None))
    if activities:
        _chunks(session, m.Activity.__table__, activities)
    if progress:
        _chunks(session, m.OnboardingProgress.__table__, progress)
    return 2
