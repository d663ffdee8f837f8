"""Monthly targets and customer satisfaction surveys (SPEC §8): what the scorecard measures against.

Targets: per month, one row per rep (``owner_id``) with a signed amount, collections and a number of
effective visits; a kind left empty has no target. A team may have its own row (``owner_id`` NULL);
without one its target is the sum of its reps'. Leads set the targets of their own teams' reps,
directors and admins anyone's. Every save is validated as a whole first (a bad value anywhere:
nothing is written), checked against the version the editor saw (someone else's save in between is
a conflict, nothing is written), and audited row by row.

Satisfaction: a lead (for their teams' customers) or an admin enters a customer's 1–5 score from a
return-visit survey; it counts for the customer's owner.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.base import access
from core.base.access import guarded
from core.base.errors import UserError
from core.base import rules
from core.base.models import (
    AuditLog, Contract, Customer, Opportunity, Region, SatisfactionScore, Target, TargetConfirmation, TargetPlanRow,
    TargetPlanVersion, TargetWeight, Team, User,
)
from core.base.vocabulary import STAGES, TARGET_KINDS
from core.base.scope import Scope, company_read, scoped_read
from core.people import allocation
from core.people.scorecard import parse_month

PAGE = "targets"
MAX_AMOUNT = 1e11          # Numeric(14, 2)
MAX_VISITS = 10_000
NOTE_MAX = 300
SURVEY_BACKDATE_DAYS = 366


class InvalidTarget(UserError):
    """A target value is not acceptable; ``field`` names the column, ``params['who']`` the row."""


class TargetConflict(UserError):
    """Someone saved this rep's target after the editor was opened: nothing was saved."""


class InvalidSurvey(UserError):
    """A satisfaction value is not acceptable; ``field`` names the form field."""


# ---- reads -------------------------------------------------------------------------------------------

def _num(v):
    return None if v is None else float(v)


@scoped_read
def month_targets(scope: Scope, session: Session, month: str) -> pd.DataFrame:
    """Every active rep in scope with their targets of ``month``: owner_id, rep, team_id, team,
    target_id, version (NaN: none set yet), signed_amount, collections, effective_visits (NaN: no
    target), set_at."""
    access.require_page(scope, PAGE)
    parse_month(month)
    stmt = (select(User.id.label("owner_id"), User.display_name.label("rep"), User.team_id, Team.name.label("team"),
                   Target.id.label("target_id"), Target.version, Target.signed_amount, Target.collections,
                   Target.effective_visits, Target.set_at)
            .join(Team, Team.id == User.team_id)
            .outerjoin(Target, (Target.owner_id == User.id) & (Target.team_id == User.team_id)
                       & (Target.month == month))
            .where(User.role == "rep", User.active.is_(True))
            .order_by(Team.name, User.display_name, User.id))
    df = pd.read_sql(scope.apply(stmt, User.id, User.team_id), session.connection())
    for col in ("target_id", "version", "effective_visits"):
        df[col] = pd.to_numeric(df[col]).astype("Int64")
    for col in ("signed_amount", "collections"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["set_at"] = pd.to_datetime(df["set_at"])
    return df


@scoped_read
def team_targets(scope: Scope, session: Session, month: str) -> pd.DataFrame:
    """Per team in scope: team_id, team, source ('team': its own row; 'reps': the sum of its reps'
    rows; 'none'), signed_amount, collections, effective_visits. Not for reps: a team's sum would
    tell them their teammates' targets."""
    access.require_page(scope, PAGE)
    if scope.own_only:
        raise access.Forbidden(scope.role, "see team targets")
    parse_month(month)
    teams = select(Team.id.label("team_id"), Team.name.label("team")).order_by(Team.name)
    if scope.team_ids is not None:
        teams = teams.where(Team.id.in_(sorted(scope.team_ids)))
    df = pd.read_sql(teams, session.connection())
    own = {r.team_id: r for r in session.execute(
        select(Target.team_id, Target.signed_amount, Target.collections, Target.effective_visits)
        .where(Target.month == month, Target.owner_id.is_(None)))}
    summed = {r.team_id: r for r in session.execute(
        select(Target.team_id, func.sum(Target.signed_amount).label("signed_amount"),
               func.sum(Target.collections).label("collections"),
               func.sum(Target.effective_visits).label("effective_visits"))
        .join(User, (User.id == Target.owner_id) & (User.team_id == Target.team_id))
        .where(Target.month == month, User.role == "rep", User.active.is_(True))
        .group_by(Target.team_id))}
    sources, values = [], {k: [] for k in TARGET_KINDS}
    for tid in df["team_id"]:
        row = own.get(tid) or summed.get(tid)
        sources.append("team" if tid in own else "reps" if tid in summed else "none")
        for k in TARGET_KINDS:
            values[k].append(_num(getattr(row, k)) if row is not None else None)
    df["source"] = sources
    for k in TARGET_KINDS:
        df[k] = pd.Series(values[k], dtype="float64")
    return df


# ---- writes: targets ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetRow:
    """One row to save: a rep's targets (``rep_id``) or a team's own (``team_id`` without rep).
    ``version`` is the version the editor showed (None: it showed no target yet)."""
    signed_amount: Any = None
    collections: Any = None
    effective_visits: Any = None
    rep_id: int | None = None
    team_id: int | None = None
    version: int | None = None


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _version(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def changed_rows(current: pd.DataFrame, edited: pd.DataFrame) -> list[TargetRow]:
    """The rows to save from the month's target table as the editor changed it: ``current`` is what
    month_targets gave, ``edited`` the same rows (same index) with the TARGET_KINDS columns as the
    person left them. A row is sent when a value changed (empty to a number, a number to empty, or
    another number), with the version the editor showed; unchanged rows are not sent."""
    rows = []
    for i, row in current.iterrows():
        new = [edited.at[i, k] for k in TARGET_KINDS]
        old = [row[k] for k in TARGET_KINDS]
        if any(not (_missing(a) and _missing(b)) and (_missing(a) or _missing(b) or float(a) != float(b))
               for a, b in zip(new, old)):
            rows.append(TargetRow(*[None if _missing(v) else v for v in new], rep_id=int(row["owner_id"]),
                                  version=_version(row["version"])))
    return rows


def rep_row(current: pd.DataFrame, rep_id: int, signed_amount: Any, collections: Any,
            effective_visits: Any) -> TargetRow:
    """One rep's targets to save, on the version of the month's table (``current``) the form showed."""
    row = current.loc[current["owner_id"] == rep_id].iloc[0]
    return TargetRow(signed_amount, collections, effective_visits, rep_id=int(rep_id), version=_version(row["version"]))


def _amount(value: Any, field: str, who: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        raise InvalidTarget("targets.err.number", field, who=who)
    try:
        number = float(value.replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise InvalidTarget("targets.err.number", field, who=who) from None
    if not math.isfinite(number):
        raise InvalidTarget("targets.err.number", field, who=who)
    if number < 0:
        raise InvalidTarget("targets.err.negative", field, who=who)
    if number >= MAX_AMOUNT:
        raise InvalidTarget("targets.err.too_big", field, who=who)
    return round(number, 2)


def _visits(value: Any, who: str) -> int | None:
    number = _amount(value, "effective_visits", who)
    if number is None:
        return None
    if not float(number).is_integer():
        raise InvalidTarget("targets.err.whole", "effective_visits", who=who)
    if number > MAX_VISITS:
        raise InvalidTarget("targets.err.too_big", "effective_visits", who=who)
    return int(number)


def _row_owner(scope: Scope, session: Session, row: TargetRow) -> tuple[int | None, int, str]:
    """(owner id, team id, name for messages) of a row the caller may set, or InvalidTarget."""
    if row.rep_id is not None:
        rep = session.get(User, row.rep_id) if isinstance(row.rep_id, int) and not isinstance(row.rep_id, bool) else None
        if rep is None or rep.role != "rep" or not rep.active or rep.team_id is None or not scope.may_see_team(rep.team_id):
            raise InvalidTarget("targets.err.rep", "rep_id", who=str(row.rep_id))
        return rep.id, rep.team_id, rep.display_name
    team = session.get(Team, row.team_id) if isinstance(row.team_id, int) and not isinstance(row.team_id, bool) else None
    if team is None or not scope.may_see_team(team.id):
        raise InvalidTarget("targets.err.team", "team_id", who=str(row.team_id))
    return None, team.id, team.name


@guarded("target.save")
def save_targets(session: Session, scope: Scope, month: str, rows: list[TargetRow], now: datetime) -> int:
    """Save the targets of ``month`` for the given rows (all or nothing); returns how many rows
    changed. Raises InvalidTarget (bad value, naming the row and column) or TargetConflict."""
    parse_month(month)
    clean = []
    seen: set[tuple[int | None, int]] = set()
    for row in rows:
        owner_id, team_id, who = _row_owner(scope, session, row)
        if (owner_id, team_id) in seen:
            raise InvalidTarget("targets.err.twice", "rep_id", who=who)
        seen.add((owner_id, team_id))
        values = {"signed_amount": _amount(row.signed_amount, "signed_amount", who),
                  "collections": _amount(row.collections, "collections", who),
                  "effective_visits": _visits(row.effective_visits, who)}
        clean.append((owner_id, team_id, who, row.version, values))
    changed = 0
    for owner_id, team_id, who, version, values in clean:
        owner = Target.owner_id.is_(None) if owner_id is None else Target.owner_id == owner_id
        target = session.scalar(select(Target).where(Target.month == month, Target.team_id == team_id, owner))
        current = None if target is None else target.version
        if current != version:
            raise TargetConflict("targets.err.conflict", "version", who=who)
        old = None if target is None else {k: _num(getattr(target, k)) for k in TARGET_KINDS}
        if old == {k: _num(v) for k, v in values.items()}:
            continue
        if target is None:
            if all(v is None for v in values.values()):
                continue
            target = Target(month=month, owner_id=owner_id, team_id=team_id, set_by=scope.user_id or None,
                            set_at=now, **values)
            session.add(target)
        else:
            for k, v in values.items():
                setattr(target, k, v)
            target.set_by, target.set_at = scope.user_id or None, now
        session.flush()
        session.add(AuditLog(at=now, user_id=scope.user_id or None, action="set", entity="target",
                             entity_id=str(target.id),
                             detail={"month": month, "owner_id": owner_id, "team_id": team_id, "old": old,
                                     "new": {k: _num(v) for k, v in values.items()}}))
        changed += 1
    return changed


# ---- writes: satisfaction ------------------------------------------------------------------------------

@guarded("satisfaction.record")
def record_satisfaction(session: Session, scope: Scope, *, customer_id: Any, score: Any, surveyed_on: Any,
                        note: Any = "", now: datetime) -> int:
    """A customer's 1–5 satisfaction from a return-visit survey (leads: their teams' customers;
    admins: any customer with an owner); counts for the customer's owner. Returns its id."""
    customer = (session.get(Customer, customer_id)
                if isinstance(customer_id, int) and not isinstance(customer_id, bool) else None)
    if customer is None or customer.owner_id is None or not scope.may_see_team(customer.team_id):
        raise InvalidSurvey("targets.err.customer", "customer_id")
    if isinstance(score, bool) or not isinstance(score, (int, float)) or float(score) not in (1, 2, 3, 4, 5):
        raise InvalidSurvey("people.err.score", "score")
    if isinstance(surveyed_on, datetime):
        surveyed_on = surveyed_on.date()
    if not isinstance(surveyed_on, date):
        raise InvalidSurvey("people.err.date", "surveyed_on")
    today = now.date()
    if surveyed_on > today:
        raise InvalidSurvey("targets.err.survey_future", "surveyed_on")
    if surveyed_on < today - timedelta(days=SURVEY_BACKDATE_DAYS):
        raise InvalidSurvey("targets.err.survey_old", "surveyed_on", n=SURVEY_BACKDATE_DAYS)
    if note is not None and not isinstance(note, str):
        raise InvalidSurvey("people.err.text", "note")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidSurvey("people.err.too_long", "note", n=NOTE_MAX)
    at = now if surveyed_on == today else datetime.combine(surveyed_on, time(12, 0))
    row = SatisfactionScore(customer_id=customer.id, owner_id=customer.owner_id, team_id=customer.team_id,
                            score=int(score), surveyed_at=at, note=note, recorded_by=scope.user_id or None,
                            created_at=now)
    session.add(row)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="satisfaction_score",
                         entity_id=str(row.id),
                         detail={"customer_id": customer.id, "owner_id": customer.owner_id, "score": int(score)}))
    return row.id


# ==== year and quarter plans (SPEC §8) ===========================================
# A plan of a year ('2026') or a quarter ('2026-Q2'): the director gives each region its period target;
# it is split among the region's teams and each team's among its reps by their weighted basis (the
# last 12 months' signed contracts and the open pipeline, each amount × the weight of its customer type
# × product, the pipeline also × its stage's weight), then each rep's over the period's months equally,
# all in whole yuan and adding up exactly (core.people.allocation). Every proposal and every accepted
# plan is a version; accepting one writes its rep-months into ``targets`` (what the scorecard reads).

DEFAULT_WEIGHTS = {("三甲医院", "CT设备"): 1.8, ("诊所", "耗材"): 0.6}  # SPEC §8; every other pair 1.0
WEIGHT_MAX = 10.0
HISTORY_DAYS = 365
PLAN_STATUSES = ("proposed", "accepted", "superseded", "edited")
PLAN_KINDS = ("allocation", "reallocation", "edit")


class InvalidPlan(UserError):
    """A plan, weight or confirmation request that cannot be taken; ``field`` names the input."""


def period_months(period: Any) -> list[str]:
    """The months of 'YYYY' (twelve) or 'YYYY-Qn' (three), or InvalidPlan."""
    m = re.fullmatch(r"(\d{4})(?:-Q([1-4]))?", period) if isinstance(period, str) else None
    if m is None or not 2000 <= int(m.group(1)) <= 2100:
        raise InvalidPlan("plan.err.period", "period")
    year = int(m.group(1))
    first, count = (1, 12) if m.group(2) is None else ((int(m.group(2)) - 1) * 3 + 1, 3)
    return [f"{year:04d}-{mon:02d}" for mon in range(first, first + count)]


def periods_of(today: date) -> list[str]:
    """The periods a plan can be made for around ``today``: this year and next, and their quarters."""
    return [p for y in (today.year, today.year + 1) for p in (f"{y}", *(f"{y}-Q{q}" for q in range(1, 5)))]


def closed_months(period: str, now: datetime) -> list[str]:
    """The months of ``period`` that have closed by ``now`` and have a month after them in the
    period (the ones a re-allocation can start after), latest first."""
    months = period_months(period)
    return [m for m in reversed(months[:-1]) if parse_month(m)[1] <= now]


def default_period(periods: list[str], today: date) -> str:
    """The period shown first: this year."""
    return f"{today.year}" if f"{today.year}" in periods else periods[0]


def plan_edits(rows: pd.DataFrame, edited: pd.DataFrame) -> dict[tuple[int, str], Any]:
    """The rep-months the director changed in a version's table (plan_rows' month columns, same
    index): {(rep id, month): new value}; unchanged cells are not sent."""
    months = [c for c in rows.columns if re.fullmatch(r"\d{4}-\d{2}", str(c))]
    out = {}
    for i, row in rows.iterrows():
        for m in months:
            new, old = edited.at[i, m], row[m]
            if _missing(new) and _missing(old):
                continue
            if _missing(new) or _missing(old) or float(new) != float(old):
                out[(int(row["owner_id"]), m)] = None if _missing(new) else new
    return out


def _weights(session: Session) -> dict[tuple[str, str], float]:
    out = dict(DEFAULT_WEIGHTS)
    for r in session.execute(select(TargetWeight.customer_type, TargetWeight.product, TargetWeight.weight)):
        out[(r.customer_type, r.product)] = float(r.weight)
    return out


@company_read
def weight_matrix(scope: Scope, session: Session) -> pd.DataFrame:
    """The weight of every customer type × product (the company's, same for everyone): one row per
    customer type (column ``customer_type``), one column per product; 1.0 where none was set."""
    access.require_page(scope, PAGE)
    weights = _weights(session)
    types = set(session.scalars(select(Customer.customer_type).distinct())) | {t for t, _ in weights}
    products = set(session.scalars(select(Opportunity.product).distinct())) | {p for _, p in weights}
    types, products = sorted(t for t in types if t), sorted(p for p in products if p)
    rows = [{"customer_type": t, **{p: weights.get((t, p), 1.0) for p in products}} for t in types]
    return pd.DataFrame(rows, columns=["customer_type", *products])


@guarded("target.weights")
def save_weights(session: Session, scope: Scope, changes: dict[tuple[str, str], Any], now: datetime) -> int:
    """Set the weights of the given customer type × product pairs (all or nothing, each audited with
    the old and new value); returns how many changed. Raises InvalidPlan naming the pair."""
    clean = []
    for key, value in changes.items():
        ctype, product = key if isinstance(key, tuple) and len(key) == 2 else ("", "")
        who = f"{ctype} × {product}"
        if not (isinstance(ctype, str) and isinstance(product, str) and ctype.strip() and product.strip()
                and len(ctype) <= 40 and len(product) <= 60):
            raise InvalidPlan("plan.err.pair", "weights", who=who)
        if isinstance(value, bool) or value is None:
            raise InvalidPlan("plan.err.weight", "weights", who=who, max=WEIGHT_MAX)
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise InvalidPlan("plan.err.weight", "weights", who=who, max=WEIGHT_MAX) from None
        if not math.isfinite(number) or not 0 <= number <= WEIGHT_MAX:
            raise InvalidPlan("plan.err.weight", "weights", who=who, max=WEIGHT_MAX)
        clean.append((ctype.strip(), product.strip(), round(number, 2)))
    current = _weights(session)
    changed = 0
    for ctype, product, weight in clean:
        old = current.get((ctype, product), 1.0)
        if old == weight:
            continue
        row = session.scalar(select(TargetWeight).where(TargetWeight.customer_type == ctype,
                                                        TargetWeight.product == product))
        if row is None:
            row = TargetWeight(customer_type=ctype, product=product, weight=weight)
            session.add(row)
        row.weight, row.set_by, row.set_at = weight, scope.user_id or None, now
        session.flush()
        session.add(AuditLog(at=now, user_id=scope.user_id or None, action="set", entity="target_weight",
                             entity_id=str(row.id),
                             detail={"customer_type": ctype, "product": product, "old": old, "new": weight}))
        changed += 1
    return changed


def _reps(session: Session, scope: Scope | None = None) -> list[Any]:
    stmt = (select(User.id, User.display_name, User.team_id, Team.region_id)
            .join(Team, Team.id == User.team_id)
            .where(User.role == "rep", User.active.is_(True)).order_by(Team.region_id, Team.id, User.id))
    if scope is not None:
        stmt = scope.apply(stmt, User.id, User.team_id)
    return list(session.execute(stmt))


def _basis(session: Session, scope: Scope, start: datetime) -> dict[int, tuple[float, float]]:
    """Per rep in ``scope``: (weighted signed contracts of the 12 months before ``start``, weighted
    open pipeline), each amount × its customer type × product weight; the pipeline also × its stage's
    weight (settings target_pipeline_weight_<stage>)."""
    weights = _weights(session)
    stage_w = {s: float(rules.get(session, f"target_pipeline_weight_{s}")) for s in STAGES}
    history = (select(Contract.owner_id, Customer.customer_type, Opportunity.product,
                      func.sum(Contract.amount).label("amount"))
               .join(Customer, Customer.id == Contract.customer_id)
               .outerjoin(Opportunity, Opportunity.id == Contract.opportunity_id)
               .where(Contract.status != "cancelled", Contract.signed_at >= start - timedelta(days=HISTORY_DAYS),
                      Contract.signed_at < start)
               .group_by(Contract.owner_id, Customer.customer_type, Opportunity.product))
    pipeline = (select(Opportunity.owner_id, Customer.customer_type, Opportunity.product, Opportunity.stage,
                       func.sum(Opportunity.amount).label("amount"))
                .join(Customer, Customer.id == Opportunity.customer_id)
                .where(Opportunity.status == "open")
                .group_by(Opportunity.owner_id, Customer.customer_type, Opportunity.product, Opportunity.stage))
    out: dict[int, list[float]] = {}
    for r in session.execute(scope.apply(history, Contract.owner_id, Contract.team_id)):
        out.setdefault(r.owner_id, [0.0, 0.0])[0] += float(r.amount or 0) * weights.get(
            (r.customer_type or "", r.product or ""), 1.0)
    for r in session.execute(scope.apply(pipeline, Opportunity.owner_id, Opportunity.team_id)):
        out.setdefault(r.owner_id, [0.0, 0.0])[1] += float(r.amount or 0) * stage_w.get(r.stage, 0.0) * weights.get(
            (r.customer_type or "", r.product or ""), 1.0)
    return {k: (v[0], v[1]) for k, v in out.items()}


def _whole_yuan(value: Any, field: str, who: str) -> int:
    try:
        number = _amount(value, field, who)
    except InvalidTarget as exc:
        raise InvalidPlan(exc.msg_key, field, **exc.params) from None
    if number is None:
        raise InvalidPlan("plan.err.amount", field, who=who)
    if not float(number).is_integer():
        raise InvalidPlan("plan.err.whole", field, who=who)
    return int(number)


def _new_version(session: Session, scope: Scope, period: str, kind: str, status: str, now: datetime,
                 basis_month: str | None = None, based_on: int | None = None) -> TargetPlanVersion:
    number = (session.scalar(select(func.max(TargetPlanVersion.number)).where(TargetPlanVersion.period == period))
              or 0) + 1
    version = TargetPlanVersion(period=period, number=number, kind=kind, status=status, basis_month=basis_month,
                                based_on=based_on, created_by=scope.user_id or None, created_at=now,
                                decided_by=(scope.user_id or None) if status == "accepted" else None,
                                decided_at=now if status == "accepted" else None)
    session.add(version)
    session.flush()
    return version


@guarded("target.allocate")
def propose_allocation(session: Session, scope: Scope, period: str, region_amounts: dict[int, Any],
                       now: datetime) -> int:
    """A proposed plan of ``period`` from each region's period target (whole yuan): region → its
    teams → their reps by weighted basis, each rep's over the months equally. Returns the version id.
    Raises InvalidPlan (bad period, amount, region, or a region with a target but no reps)."""
    months = period_months(period)
    reps = _reps(session)
    names = dict(session.execute(select(Region.id, Region.name)).all())
    clean: dict[int, int] = {}
    for region_id, value in region_amounts.items():
        if region_id not in names:
            raise InvalidPlan("plan.err.region", "region_amounts", who=str(region_id))
        who = names[region_id]
        amount = _whole_yuan(value, "region_amounts", who)
        if amount and not any(r.region_id == region_id for r in reps):
            raise InvalidPlan("plan.err.no_reps", "region_amounts", who=who)
        clean[region_id] = amount
    if not any(clean.values()):
        raise InvalidPlan("plan.err.empty", "region_amounts")
    start = datetime.fromisoformat(months[0] + "-01")
    basis = _basis(session, scope, start)
    weight = {r.id: sum(basis.get(r.id, (0.0, 0.0))) for r in reps}
    version = _new_version(session, scope, period, "allocation", "proposed", now)
    rows = []
    for region_id, amount in clean.items():
        teams = sorted({r.team_id for r in reps if r.region_id == region_id})
        team_parts = allocation.split(amount, [sum(weight[r.id] for r in reps if r.team_id == t) for t in teams])
        for team_id, team_amount in zip(teams, team_parts):
            members = [r for r in reps if r.team_id == team_id]
            for rep, rep_amount in zip(members, allocation.split(team_amount, [weight[r.id] for r in members])):
                for month, part in zip(months, allocation.split(rep_amount, [1] * len(months))):
                    rows.append(TargetPlanRow(version_id=version.id, owner_id=rep.id, team_id=team_id,
                                              region_id=region_id, month=month, amount=part))
    session.add_all(rows)
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="propose", entity="target_plan",
                         entity_id=str(version.id),
                         detail={"period": period, "number": version.number, "kind": "allocation",
                                 "regions": {str(k): v for k, v in clean.items()}}))
    return version.id


def _accepted(session: Session, period: str) -> TargetPlanVersion | None:
    return session.scalar(select(TargetPlanVersion).where(TargetPlanVersion.period == period,
                                                          TargetPlanVersion.status == "accepted")
                          .order_by(TargetPlanVersion.number.desc()))


def _signed(session: Session, scope: Scope, start: datetime, end: datetime) -> dict[int, float]:
    stmt = (select(Contract.owner_id, func.sum(Contract.amount))
            .where(Contract.status != "cancelled", Contract.signed_at >= start, Contract.signed_at < end)
            .group_by(Contract.owner_id))
    return {k: float(v or 0) for k, v in session.execute(scope.apply(stmt, Contract.owner_id, Contract.team_id))}


def _month_start(month: str) -> datetime:
    return parse_month(month)[0]


@guarded("target.reallocate")
def propose_reallocation(session: Session, scope: Scope, period: str, closed_month: str, now: datetime) -> int:
    """After ``closed_month`` closed: a proposal keeping the accepted plan's months up to it and
    re-allocating, per team, what is left (the team's period target − what its reps signed so far,
    never below 0) over the remaining months, among its reps by their own gap + weighted pipeline.
    Returns the version id. Raises InvalidPlan (no accepted plan, month not in the period, not yet
    closed, or the period's last month)."""
    months = period_months(period)
    if closed_month not in months:
        raise InvalidPlan("plan.err.month_not_in_period", "closed_month", period=period)
    if _month_start(closed_month) > now or parse_month(closed_month)[1] > now:
        raise InvalidPlan("plan.err.month_open", "closed_month")
    rest = months[months.index(closed_month) + 1:]
    if not rest:
        raise InvalidPlan("plan.err.nothing_left", "closed_month")
    current = _accepted(session, period)
    if current is None:
        raise InvalidPlan("plan.err.no_plan", "period", period=period)
    rows = list(session.scalars(select(TargetPlanRow).where(TargetPlanRow.version_id == current.id)
                                .order_by(TargetPlanRow.team_id, TargetPlanRow.owner_id, TargetPlanRow.month)))
    signed = _signed(session, scope, _month_start(months[0]), parse_month(closed_month)[1])
    basis = _basis(session, scope, _month_start(rest[0]))
    version = _new_version(session, scope, period, "reallocation", "proposed", now, basis_month=closed_month,
                           based_on=current.id)
    new_rows = [TargetPlanRow(version_id=version.id, owner_id=r.owner_id, team_id=r.team_id, region_id=r.region_id,
                              month=r.month, amount=float(r.amount)) for r in rows if r.month <= closed_month]
    teams: dict[int, list[int]] = {}
    where: dict[int, tuple[int, int]] = {}
    planned: dict[int, int] = {}
    for r in rows:
        if r.owner_id not in where:
            teams.setdefault(r.team_id, []).append(r.owner_id)
            where[r.owner_id] = (r.team_id, r.region_id)
        planned[r.owner_id] = planned.get(r.owner_id, 0) + int(round(float(r.amount)))
    for team_id, owners in teams.items():
        gaps = [max(0.0, planned[o] - signed.get(o, 0.0)) for o in owners]
        weights = [g + basis.get(o, (0.0, 0.0))[1] for o, g in zip(owners, gaps)]
        parts = allocation.reallocate([planned[o] for o in owners], [signed.get(o, 0.0) for o in owners],
                                      weights, len(rest))
        for owner_id, monthly in zip(owners, parts):
            for month, amount in zip(rest, monthly):
                new_rows.append(TargetPlanRow(version_id=version.id, owner_id=owner_id, team_id=team_id,
                                              region_id=where[owner_id][1], month=month, amount=amount))
    session.add_all(new_rows)
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="propose", entity="target_plan",
                         entity_id=str(version.id),
                         detail={"period": period, "number": version.number, "kind": "reallocation",
                                 "closed_month": closed_month, "based_on": current.id}))
    return version.id


def _write_month_targets(session: Session, scope: Scope, rows: list[TargetPlanRow], now: datetime) -> int:
    """The accepted plan's rep-months as the reps' monthly signed-amount targets (collections and
    visits as they were); returns how many changed."""
    changed = 0
    for r in rows:
        target = session.scalar(select(Target).where(Target.month == r.month, Target.team_id == r.team_id,
                                                     Target.owner_id == r.owner_id))
        amount = float(r.amount)
        if target is None:
            session.add(Target(month=r.month, owner_id=r.owner_id, team_id=r.team_id, signed_amount=amount,
                               set_by=scope.user_id or None, set_at=now))
        elif _num(target.signed_amount) != amount:
            target.signed_amount, target.set_by, target.set_at = amount, scope.user_id or None, now
        else:
            continue
        changed += 1
    session.flush()
    return changed


@guarded("target.allocate")
def accept_version(session: Session, scope: Scope, version_id: Any, edits: dict[tuple[int, str], Any],
                   now: datetime) -> int:
    """Accept a proposed version, as it is or with the director's ``edits`` ({(rep id, month): whole
    yuan}; then a new 'edit' version holds the edited plan and the proposal is kept as 'edited').
    The earlier accepted version of the period is superseded; the plan's rep-months become the
    reps' monthly targets. Returns the id of the accepted version."""
    proposal = (session.get(TargetPlanVersion, version_id)
                if isinstance(version_id, int) and not isinstance(version_id, bool) else None)
    if proposal is None or proposal.status != "proposed":
        raise InvalidPlan("plan.err.not_proposed", "version_id")
    rows = list(session.scalars(select(TargetPlanRow).where(TargetPlanRow.version_id == proposal.id)))
    by_key = {(r.owner_id, r.month): r for r in rows}
    names = dict(session.execute(select(User.id, User.display_name)
                                 .where(User.id.in_({r.owner_id for r in rows} or {0}))).all())
    clean = {}
    for key, value in (edits or {}).items():
        if key not in by_key:
            raise InvalidPlan("plan.err.edit_row", "edits", who=str(key))
        clean[key] = _whole_yuan(value, "edits", f"{names.get(key[0], key[0])} {key[1]}")
    clean = {k: v for k, v in clean.items() if v != int(round(float(by_key[k].amount)))}
    previous = _accepted(session, proposal.period)
    if previous is not None:
        previous.status = "superseded"
    if clean:
        proposal.status, proposal.decided_by, proposal.decided_at = "edited", scope.user_id or None, now
        accepted = _new_version(session, scope, proposal.period, "edit", "accepted", now,
                                basis_month=proposal.basis_month, based_on=proposal.id)
        rows = [TargetPlanRow(version_id=accepted.id, owner_id=r.owner_id, team_id=r.team_id, region_id=r.region_id,
                              month=r.month, amount=clean.get((r.owner_id, r.month), float(r.amount))) for r in rows]
        session.add_all(rows)
    else:
        proposal.status, proposal.decided_by, proposal.decided_at = "accepted", scope.user_id or None, now
        accepted = proposal
    session.flush()
    changed = _write_month_targets(session, scope, rows, now)
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="accept", entity="target_plan",
                         entity_id=str(accepted.id),
                         detail={"period": proposal.period, "proposal": proposal.id, "accepted": accepted.id,
                                 "superseded": None if previous is None else previous.id,
                                 "edits": [[k[0], k[1], v] for k, v in clean.items()],
                                 "months_changed": changed}))
    return accepted.id


@guarded("target.confirm")
def confirm_target(session: Session, scope: Scope, month: str, now: datetime) -> int:
    """The rep confirms their signed-amount target of ``month`` as it stands (who and when kept;
    confirming again after a change replaces it). Returns the confirmation's id."""
    parse_month(month)
    rep = session.get(User, scope.user_id)
    if rep is None or rep.team_id is None:
        raise InvalidPlan("plan.err.no_target", "month")
    target = session.scalar(select(Target).where(Target.month == month, Target.owner_id == rep.id,
                                                 Target.team_id == rep.team_id))
    if target is None or target.signed_amount is None:
        raise InvalidPlan("plan.err.no_target", "month")
    row = session.scalar(select(TargetConfirmation).where(TargetConfirmation.month == month,
                                                          TargetConfirmation.owner_id == rep.id))
    if row is None:
        row = TargetConfirmation(month=month, owner_id=rep.id, team_id=rep.team_id)
        session.add(row)
    row.amount, row.team_id, row.confirmed_at = float(target.signed_amount), rep.team_id, now
    session.flush()
    session.add(AuditLog(at=now, user_id=rep.id, action="confirm", entity="target", entity_id=str(target.id),
                         detail={"month": month, "amount": float(target.signed_amount)}))
    return row.id


# ---- plan reads -------------------------------------------------------------------------------------------

@scoped_read
def plan_versions(scope: Scope, session: Session, period: str) -> pd.DataFrame:
    """Every version of ``period``, newest first: version_id, number, kind, status, basis_month,
    based_on, created_by, created_at, decided_by, decided_at, total (of the rows in scope, ¥)."""
    access.require_page(scope, PAGE)
    period_months(period)
    total = (select(TargetPlanRow.version_id, func.sum(TargetPlanRow.amount).label("total"))
             .group_by(TargetPlanRow.version_id))
    total = scope.apply(total, TargetPlanRow.owner_id, TargetPlanRow.team_id).subquery()
    creator, decider = User.__table__.alias("creator"), User.__table__.alias("decider")
    stmt = (select(TargetPlanVersion.id.label("version_id"), TargetPlanVersion.number, TargetPlanVersion.kind,
                   TargetPlanVersion.status, TargetPlanVersion.basis_month, TargetPlanVersion.based_on,
                   creator.c.display_name.label("created_by"), TargetPlanVersion.created_at,
                   decider.c.display_name.label("decided_by"), TargetPlanVersion.decided_at,
                   func.coalesce(total.c.total, 0).label("total"))
            .outerjoin(total, total.c.version_id == TargetPlanVersion.id)
            .outerjoin(creator, creator.c.id == TargetPlanVersion.created_by)
            .outerjoin(decider, decider.c.id == TargetPlanVersion.decided_by)
            .where(TargetPlanVersion.period == period).order_by(TargetPlanVersion.number.desc()))
    df = pd.read_sql(stmt, session.connection())
    df["total"] = pd.to_numeric(df["total"]).astype("float64")
    df["based_on"] = pd.to_numeric(df["based_on"]).astype("Int64")
    df["basis_month"] = df["basis_month"].astype(object).where(df["basis_month"].notna(), None)
    for col in ("created_at", "decided_at"):
        df[col] = pd.to_datetime(df[col])
    return df


@scoped_read
def plan_rows(scope: Scope, session: Session, version_id: int) -> pd.DataFrame:
    """One row per rep in scope of a version, with a column per month (``YYYY-MM``) and ``total``:
    owner_id, rep, team_id, team, region, <months…>, total."""
    access.require_page(scope, PAGE)
    stmt = (select(TargetPlanRow.owner_id, User.display_name.label("rep"), TargetPlanRow.team_id,
                   Team.name.label("team"), Region.name.label("region"), TargetPlanRow.month, TargetPlanRow.amount)
            .join(User, User.id == TargetPlanRow.owner_id).join(Team, Team.id == TargetPlanRow.team_id)
            .join(Region, Region.id == TargetPlanRow.region_id)
            .where(TargetPlanRow.version_id == version_id))
    long = pd.read_sql(scope.apply(stmt, TargetPlanRow.owner_id, TargetPlanRow.team_id), session.connection())
    keys = ["owner_id", "rep", "team_id", "team", "region"]
    if long.empty:
        return pd.DataFrame(columns=[*keys, "total"])
    long["amount"] = pd.to_numeric(long["amount"]).astype("float64")
    wide = long.pivot_table(index=keys, columns="month", values="amount", aggfunc="sum").reset_index()
    wide.columns.name = None
    months = sorted(c for c in wide.columns if c not in keys)
    wide["total"] = wide[months].sum(axis=1)
    return wide.sort_values(["region", "team", "rep", "owner_id"]).reset_index(drop=True)[[*keys, *months, "total"]]


@scoped_read
def plan_summary(scope: Scope, session: Session, version_id: int, level: str) -> pd.DataFrame:
    """A version's period targets summed by ``level`` ('region' or 'team') over the rows in scope:
    id, name, total, and one column per month."""
    access.require_page(scope, PAGE)
    if level not in ("region", "team"):
        raise InvalidPlan("plan.err.level", "level")
    col, model = (TargetPlanRow.region_id, Region) if level == "region" else (TargetPlanRow.team_id, Team)
    stmt = (select(col.label("id"), model.name.label("name"), TargetPlanRow.month,
                   func.sum(TargetPlanRow.amount).label("amount"))
            .join(model, model.id == col).where(TargetPlanRow.version_id == version_id)
            .group_by(col, model.name, TargetPlanRow.month))
    long = pd.read_sql(scope.apply(stmt, TargetPlanRow.owner_id, TargetPlanRow.team_id), session.connection())
    if long.empty:
        return pd.DataFrame(columns=["id", "name", "total"])
    long["amount"] = pd.to_numeric(long["amount"]).astype("float64")
    wide = long.pivot_table(index=["id", "name"], columns="month", values="amount", aggfunc="sum").reset_index()
    wide.columns.name = None
    months = sorted(c for c in wide.columns if c not in ("id", "name"))
    wide["total"] = wide[months].sum(axis=1)
    return wide.sort_values("name").reset_index(drop=True)[["id", "name", "total", *months]]


@scoped_read
def target_sources(scope: Scope, session: Session, period: str) -> pd.DataFrame:
    """Where each rep's period target (the accepted plan's) comes from: owner_id, rep, team, target,
    existing (the weighted signed history of the 12 months before, pro rata to the period's length,
    up to the target), pipeline (the weighted open pipeline, up to what is left), new (the rest: new
    business to find), and their shares in % of the target."""
    access.require_page(scope, PAGE)
    months = period_months(period)
    current = _accepted(session, period)
    cols = ["owner_id", "rep", "team", "target", "existing", "pipeline", "new",
            "existing_pct", "pipeline_pct", "new_pct"]
    if current is None:
        return pd.DataFrame(columns=cols)
    stmt = (select(TargetPlanRow.owner_id, User.display_name.label("rep"), Team.name.label("team"),
                   func.sum(TargetPlanRow.amount).label("target"))
            .join(User, User.id == TargetPlanRow.owner_id).join(Team, Team.id == TargetPlanRow.team_id)
            .where(TargetPlanRow.version_id == current.id)
            .group_by(TargetPlanRow.owner_id, User.display_name, Team.name))
    rows = session.execute(scope.apply(stmt, TargetPlanRow.owner_id, TargetPlanRow.team_id)
                           .order_by(Team.name, User.display_name)).all()
    basis = _basis(session, scope, _month_start(months[0]))
    out = []
    for r in rows:
        target = float(r.target or 0)
        history, pipe = basis.get(r.owner_id, (0.0, 0.0))
        existing = min(round(history * len(months) / 12), target)
        pipeline = min(round(pipe), target - existing)
        new = target - existing - pipeline
        pct = (lambda x: round(100 * x / target, 1) if target else None)
        out.append(dict(owner_id=r.owner_id, rep=r.rep, team=r.team, target=target, existing=float(existing),
                        pipeline=float(pipeline), new=float(new), existing_pct=pct(existing),
                        pipeline_pct=pct(pipeline), new_pct=pct(new)))
    return pd.DataFrame(out, columns=cols)


@scoped_read
def confirmations(scope: Scope, session: Session, month: str) -> pd.DataFrame:
    """Every active rep in scope with a signed-amount target in ``month``: owner_id, rep, team_id,
    team, target, status ('confirmed'; 'changed': confirmed, then the target changed; 'unconfirmed'),
    confirmed_at, confirmed_amount."""
    access.require_page(scope, PAGE)
    parse_month(month)
    stmt = (select(User.id.label("owner_id"), User.display_name.label("rep"), User.team_id, Team.name.label("team"),
                   Target.signed_amount.label("target"), TargetConfirmation.confirmed_at,
                   TargetConfirmation.amount.label("confirmed_amount"))
            .join(Team, Team.id == User.team_id)
            .join(Target, (Target.owner_id == User.id) & (Target.team_id == User.team_id) & (Target.month == month))
            .outerjoin(TargetConfirmation, (TargetConfirmation.owner_id == User.id)
                       & (TargetConfirmation.month == month))
            .where(User.role == "rep", User.active.is_(True), Target.signed_amount.is_not(None))
            .order_by(Team.name, User.display_name, User.id))
    df = pd.read_sql(scope.apply(stmt, User.id, User.team_id), session.connection())
    for col in ("target", "confirmed_amount"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["confirmed_at"] = pd.to_datetime(df["confirmed_at"])
    df["status"] = [("unconfirmed" if pd.isna(c) else "confirmed" if abs(c - t) < 0.005 else "changed")
                    for t, c in zip(df["target"], df["confirmed_amount"])]
    return df
