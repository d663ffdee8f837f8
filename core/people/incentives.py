"""Incentives (激励与积分, SPEC §8): a points ledger, the month's payout per rep and team, the what-if
sandbox and the payroll export.

Points. Each key action grants points the moment the ``points_ledger`` job sees it (it runs with the
other jobs; one ledger line per action and source record, so a second run grants nothing):

    rule               part           source             points (setting, at the time of granting)
    step_on_time       process        step instance      points_step_on_time      (completed by its deadline)
    effective_visit    process        activity           points_effective_visit   (a visit marked effective)
    won_deal           result         opportunity        points_won_deal
    payment_collected  result         payment            points_payment_collected (money received)
    issue_closed       collaboration  customer issue     incentive_points_issue_closed
    request_answered   collaboration  cross-dept request incentive_points_request_answered

A result line carries a weight key: ``strategic`` when the customer's industry is one of the model's
strategic industries, else ``new_customer`` for a deal that is the customer's first won one, else
``standard`` (weight 1).

Payout of a rep for a month, under a model (weights, tiers, breaker, ¥ per point):

    result points  = Σ result lines · their weight (new customer 1.0, strategic 1.5, standard 1)
    process points = Σ process lines
    collab points  = Σ collaboration lines · collaboration weight (0.3)
    process share  = the team's PSI tier: ≥ tier_full 100 %, ≥ tier_partial tier_partial_payout (80 %), else 0
                     (no PSI for the team that month: 0)
    frozen share   = breaker_freeze_pct (30 %) when the team's complaint rate is ABOVE breaker_threshold_pct
    result pay     = result points · ¥ per point;   collab pay = collab points · ¥ per point
    process pay    = process points · ¥ per point · process share · (1 − frozen share)
    frozen         = process points · ¥ per point · process share · frozen share
    total          = result pay + process pay + collab pay

The team's PSI and complaint figures (customers with a complaint activity ÷ active customers, as the
scorecard counts them) are taken for each month by the ``incentive_standings`` job, so that what a
rep is paid and what the director sees rest on the same frozen figures.
"""
from __future__ import annotations

import io
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.base import access, rules
from core.base.errors import UserError
from core.base.models import (
    Activity, AuditLog, Contract, CrossDeptRequest, Customer, CustomerIssue, IncentiveModel, Opportunity, Payment,
    PointsEntry, ProcessStep, StepInstance, Team, TeamStanding, User,
)
from core.base.scope import COMPANY, Scope, company_read, scoped_read
from core.people import people, scorecard
from core.process import psi as psi_mod

PAGE = "incentives"
PARTS = ("result", "process", "collaboration")
RULES = ("step_on_time", "effective_visit", "won_deal", "payment_collected", "issue_closed", "request_answered")
WEIGHT_KEYS = ("standard", "new_customer", "strategic")
DEFAULT_STRATEGIC = ("医疗",)  # version 0's strategic industries (the demo's hospitals and clinics)


class InvalidIncentiveInput(UserError):
    """A model value, month or file the incentives cannot use; ``field`` names it."""


# ---- the model -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    weight_new_customer: float
    weight_strategic: float
    weight_collaboration: float
    yuan_per_point: float
    tier_full: float
    tier_partial: float
    tier_partial_payout: float
    breaker_threshold_pct: float
    breaker_freeze_pct: float
    strategic_industries: tuple[str, ...] = DEFAULT_STRATEGIC


# model parameter → the setting that gives its default and its allowed range
SETTING_OF = {
    "weight_new_customer": "incentive_weight_new_customer",
    "weight_strategic": "incentive_weight_strategic",
    "weight_collaboration": "incentive_weight_collaboration",
    "yuan_per_point": "incentive_yuan_per_point",
    "tier_full": "psi_tier_full",
    "tier_partial": "psi_tier_partial",
    "tier_partial_payout": "psi_tier_partial_payout",
    "breaker_threshold_pct": "incentive_breaker_complaint_pct",
    "breaker_freeze_pct": "incentive_breaker_freeze_pct",
}
NUMBERS = tuple(SETTING_OF)


def default_params(settings: dict) -> Params:
    return Params(**{k: float(settings[s]) for k, s in SETTING_OF.items()})


def with_changes(base: Params, changes: dict[str, Any]) -> Params:
    """``base`` with ``changes`` applied, each checked; InvalidIncentiveInput at the first bad one."""
    if not isinstance(changes, dict):
        raise InvalidIncentiveInput("incentive.err.model_file", None)
    values = asdict(base)
    for key, value in changes.items():
        if key == "strategic_industries":
            if isinstance(value, str):
                value = [v for v in (x.strip() for x in value.replace("，", ",").split(",")) if v]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and 0 < len(v) <= 40 for v in value):
                raise InvalidIncentiveInput("incentive.err.industries", key)
            values[key] = tuple(value)
            continue
        if key not in SETTING_OF:
            raise InvalidIncentiveInput("incentive.err.unknown_key", key, key=str(key)[:40])
        d = rules.DEFINITIONS[SETTING_OF[key]]
        if isinstance(value, bool):
            raise InvalidIncentiveInput("incentive.err.number", key, key=key)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InvalidIncentiveInput("incentive.err.number", key, key=key) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise InvalidIncentiveInput("incentive.err.number", key, key=key)
        if d.minimum is not None and number < d.minimum or d.maximum is not None and number > d.maximum:
            raise InvalidIncentiveInput("incentive.err.range", key, key=key, min=f"{d.minimum:g}",
                                        max=f"{d.maximum:g}")
        values[key] = number
    out = Params(**values)
    if out.tier_partial > out.tier_full:
        raise InvalidIncentiveInput("incentive.err.tiers", "tier_partial")
    return out


def _latest(session: Session) -> IncentiveModel | None:
    return session.scalar(select(IncentiveModel).order_by(IncentiveModel.version.desc()).limit(1))


def _params_of(row: IncentiveModel | None, settings: dict) -> Params:
    base = default_params(settings)
    return base if row is None else with_changes(base, dict(row.params))


@dataclass(frozen=True)
class Model:
    version: int            # 0: the settings' defaults, no version applied yet
    params: Params
    created_at: datetime | None
    note: str


@company_read
def current_model(scope: Scope, session: Session) -> Model:
    """The incentive model payouts use now: the newest version (or the settings' defaults)."""
    row = _latest(session)
    params = _params_of(row, rules.all_settings(session))
    return Model(0, params, None, "") if row is None else Model(row.version, params, row.created_at, row.note)


@company_read
def model_versions(scope: Scope, session: Session) -> pd.DataFrame:
    """Every version, newest first: version, created_at, by (username), note, and each parameter."""
    rows = session.execute(select(IncentiveModel, User.username).outerjoin(User, User.id == IncentiveModel.created_by)
                           .order_by(IncentiveModel.version.desc())).all()
    settings = rules.all_settings(session)
    out = []
    for m, by in rows:
        p = _params_of(m, settings)
        out.append({"version": m.version, "created_at": m.created_at, "by": by or "", "note": m.note,
                    **{k: getattr(p, k) for k in NUMBERS},
                    "strategic_industries": ", ".join(p.strategic_industries)})
    return pd.DataFrame(out, columns=["version", "created_at", "by", "note", *NUMBERS, "strategic_industries"])


# ---- the pure part ---------------------------------------------------------------------------------

def tier(psi: float | None, p: Params) -> tuple[str | None, float]:
    """(tier, share of the process pay in %) for a team's PSI: full 100, partial, none 0; no PSI: (None, 0)."""
    if psi is None:
        return None, 0.0
    if psi >= p.tier_full:
        return "full", 100.0
    if psi >= p.tier_partial:
        return "partial", float(p.tier_partial_payout)
    return "none", 0.0


def complaint_rate(complaints: int, active: int) -> float | None:
    """Customers with a complaint ÷ active customers, in % (None without active customers)."""
    return 100.0 * complaints / active if active else None


def tripped(rate: float | None, p: Params) -> bool:
    """The circuit breaker trips when the complaint rate is ABOVE the threshold (at it: not)."""
    return rate is not None and rate > p.breaker_threshold_pct


def weight(part: str, key: str, p: Params) -> float:
    if part == "collaboration":
        return p.weight_collaboration
    if part == "result":
        return {"strategic": p.weight_strategic, "new_customer": p.weight_new_customer}.get(key, 1.0)
    return 1.0


@dataclass(frozen=True)
class Pay:
    result_points: float
    process_points: float
    collaboration_points: float
    process_share: float       # %
    frozen_share: float        # %
    result_pay: float
    process_pay: float
    collaboration_pay: float
    frozen: float
    total: float
    collaboration_raw: float = 0.0  # collaboration points before their weight


def pay(points: dict[tuple[str, str], float], process_share: float, breaker: bool, p: Params) -> Pay:
    """A rep's month: ``points`` (part, weight key) → raw points."""
    w = {part: sum(v * weight(part, key, p) for (pt, key), v in points.items() if pt == part) for part in PARTS}
    frozen_share = p.breaker_freeze_pct if breaker else 0.0
    ypp = p.yuan_per_point
    pool = w["process"] * ypp * process_share / 100.0
    frozen = round(pool * frozen_share / 100.0, 2)
    result_pay, collab_pay = round(w["result"] * ypp, 2), round(w["collaboration"] * ypp, 2)
    process_pay = round(pool, 2) - frozen
    return Pay(round(w["result"], 2), round(w["process"], 2), round(w["collaboration"], 2), process_share,
               frozen_share, result_pay, round(process_pay, 2), collab_pay, frozen,
               round(result_pay + process_pay + collab_pay, 2),
               round(sum(v for (pt, _), v in points.items() if pt == "collaboration"), 2))


# ---- months ---------------------------------------------------------------------------------------

def check_month(month: Any) -> str:
    try:
        scorecard.parse_month(month)
    except UserError:
        raise InvalidIncentiveInput("incentive.err.month", "month", value=str(month)[:20]) from None
    return month


# ---- the payouts (scoped) ---------------------------------------------------------------------------

REP_COLUMNS = ["team_id", "team", "owner_id", "rep", "result_points", "process_points", "collaboration_raw",
               "collaboration_points",
               "psi", "tier", "process_share", "complaint_rate", "breaker", "frozen_share", "result_pay",
               "process_pay", "collaboration_pay", "frozen", "total"]
TEAM_COLUMNS = ["team_id", "team", "reps", "psi", "tier", "process_share", "complaint_customers",
                "active_customers", "complaint_rate", "breaker", "process_pool", "frozen", "total"]


@dataclass(frozen=True)
class Payouts:
    month: str
    params: Params
    reps: pd.DataFrame
    teams: pd.DataFrame
    total: float
    frozen: float


def _standings(session: Session, month: str, team_ids: list[int]) -> dict[int, TeamStanding]:
    if not team_ids:
        return {}
    rows = session.scalars(select(TeamStanding).where(TeamStanding.month == month, TeamStanding.team_id.in_(team_ids)))
    return {r.team_id: r for r in rows}


def _points_by_rep(scope: Scope, session: Session, month: str, rep_id: int | None = None):
    stmt = (select(PointsEntry.owner_id, PointsEntry.team_id, PointsEntry.part, PointsEntry.weight_key,
                   func.sum(PointsEntry.points).label("points"))
            .where(PointsEntry.month == month)
            .group_by(PointsEntry.owner_id, PointsEntry.team_id, PointsEntry.part, PointsEntry.weight_key))
    if rep_id is not None:
        stmt = stmt.where(PointsEntry.owner_id == rep_id)
    out: dict[tuple[int, int | None], dict[tuple[str, str], float]] = {}
    for r in session.execute(scope.apply(stmt, PointsEntry.owner_id, PointsEntry.team_id)):
        out.setdefault((int(r.owner_id), r.team_id), {})[(r.part, r.weight_key)] = float(r.points or 0)
    return out


def _compute(scope: Scope, session: Session, month: str, p: Params) -> Payouts:
    points = _points_by_rep(scope, session, month)
    team_ids = sorted({t for _, t in points if t is not None})
    standings = _standings(session, month, team_ids)
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_([o for o, _ in points]))).all())
    teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
    reps = []
    for (owner, team), pts in sorted(points.items(), key=lambda kv: (teams.get(kv[0][1]) or "", names.get(kv[0][0], ""))):
        st = standings.get(team)
        value = None if st is None else st.psi
        t, share = tier(value, p)
        rate = None if st is None else complaint_rate(st.complaint_customers, st.active_customers)
        brk = tripped(rate, p)
        got = pay(pts, share, brk, p)
        reps.append({"team_id": team, "team": teams.get(team, ""), "owner_id": owner, "rep": names.get(owner, ""),
                     "result_points": got.result_points, "process_points": got.process_points,
                     "collaboration_raw": got.collaboration_raw,
                     "collaboration_points": got.collaboration_points, "psi": value, "tier": t,
                     "process_share": share, "complaint_rate": rate, "breaker": brk,
                     "frozen_share": got.frozen_share, "result_pay": got.result_pay, "process_pay": got.process_pay,
                     "collaboration_pay": got.collaboration_pay, "frozen": got.frozen, "total": got.total})
    rep_df = pd.DataFrame(reps, columns=REP_COLUMNS)
    team_rows = []
    for tid in sorted(team_ids, key=lambda i: teams.get(i, "")):
        mine = [r for r in reps if r["team_id"] == tid]
        st = standings.get(tid)
        value = None if st is None else st.psi
        t, share = tier(value, p)
        rate = None if st is None else complaint_rate(st.complaint_customers, st.active_customers)
        team_rows.append({"team_id": tid, "team": teams.get(tid, ""), "reps": len(mine), "psi": value, "tier": t,
                          "process_share": share,
                          "complaint_customers": None if st is None else st.complaint_customers,
                          "active_customers": None if st is None else st.active_customers,
                          "complaint_rate": rate, "breaker": tripped(rate, p),
                          "process_pool": round(sum(r["process_pay"] + r["frozen"] for r in mine), 2),
                          "frozen": round(sum(r["frozen"] for r in mine), 2),
                          "total": round(sum(r["total"] for r in mine), 2)})
    team_df = pd.DataFrame(team_rows, columns=TEAM_COLUMNS)
    return Payouts(month, p, rep_df, team_df, round(float(rep_df["total"].sum()) if len(rep_df) else 0.0, 2),
                   round(float(rep_df["frozen"].sum()) if len(rep_df) else 0.0, 2))


@scoped_read
def payouts(scope: Scope, session: Session, month: str) -> Payouts:
    """The month's payout per rep and team in the caller's scope under the current model (a rep: their
    own line and their team's standing; a lead: their teams)."""
    access.require_page(scope, PAGE)
    check_month(month)
    return _compute(scope, session, month, _params_of(_latest(session), rules.all_settings(session)))


@dataclass(frozen=True)
class Comparison:
    month: str
    before: Params
    after: Params
    reps: pd.DataFrame      # team, rep, before, after, change (¥), frozen_before, frozen_after
    teams: pd.DataFrame     # team, before, after, change, breaker_before, breaker_after
    total_before: float
    total_after: float

    @property
    def total_change(self) -> float:
        return round(self.total_after - self.total_before, 2)


@scoped_read
def what_if(scope: Scope, session: Session, month: str, changes: dict[str, Any]) -> Comparison:
    """Every rep's and team's payout under the current model and under it with ``changes``, side by
    side, and the total cost change. Nothing is saved. Directors and admins only."""
    access.require(scope, "incentive.what_if")
    access.require_page(scope, PAGE)
    check_month(month)
    before_p = _params_of(_latest(session), rules.all_settings(session))
    after_p = with_changes(before_p, changes)
    before, after = _compute(scope, session, month, before_p), _compute(scope, session, month, after_p)
    reps = before.reps[["team", "owner_id", "rep", "total", "frozen"]].rename(
        columns={"total": "before", "frozen": "frozen_before"})
    reps["after"] = after.reps["total"].to_numpy()
    reps["frozen_after"] = after.reps["frozen"].to_numpy()
    reps["change"] = (reps["after"] - reps["before"]).round(2)
    teams = before.teams[["team_id", "team", "total", "breaker"]].rename(
        columns={"total": "before", "breaker": "breaker_before"})
    teams["after"] = after.teams["total"].to_numpy()
    teams["breaker_after"] = after.teams["breaker"].to_numpy()
    teams["change"] = (teams["after"] - teams["before"]).round(2)
    return Comparison(month, before_p, after_p,
                      reps[["team", "owner_id", "rep", "before", "after", "change", "frozen_before", "frozen_after"]],
                      teams[["team_id", "team", "before", "after", "change", "breaker_before", "breaker_after"]],
                      before.total, after.total)


@dataclass(frozen=True)
class Statement:
    rep_id: int
    rep: str
    month: str
    params: Params
    lines: pd.DataFrame     # happened_at, rule, part, weight_key, points, weight, weighted, reason, source_type, source_id
    row: dict | None        # the rep's payout row (REP_COLUMNS), None without any points


@scoped_read
def statement(scope: Scope, session: Session, rep_id: int, month: str) -> Statement:
    """How a rep's points and payout are made: every ledger line of the month with its weight, and the
    payout row the formula gives (a rep: their own only)."""
    access.require_page(scope, PAGE)
    rep = people.visible_rep(scope, session, rep_id)
    check_month(month)
    p = _params_of(_latest(session), rules.all_settings(session))
    stmt = (select(PointsEntry.happened_at, PointsEntry.rule, PointsEntry.part, PointsEntry.weight_key,
                   PointsEntry.points, PointsEntry.reason, PointsEntry.source_type, PointsEntry.source_id)
            .where(PointsEntry.month == month, PointsEntry.owner_id == rep.id)
            .order_by(PointsEntry.happened_at, PointsEntry.id))
    rows = [dict(r._mapping) for r in session.execute(scope.apply(stmt, PointsEntry.owner_id, PointsEntry.team_id))]
    for r in rows:
        r["points"] = float(r["points"])
        r["weight"] = weight(r["part"], r["weight_key"], p)
        r["weighted"] = round(r["points"] * r["weight"], 2)
    lines = pd.DataFrame(rows, columns=["happened_at", "rule", "part", "weight_key", "points", "weight", "weighted",
                                        "reason", "source_type", "source_id"])
    all_rows = _compute(scope, session, month, p).reps
    mine = all_rows[all_rows["owner_id"] == rep.id]
    row = None if mine.empty else {k: (None if pd.isna(v) else v) if not isinstance(v, (bool, str)) else v
                                  for k, v in mine.iloc[0].to_dict().items()}
    return Statement(rep.id, rep.display_name, month, p, lines, row)


# ---- writes ------------------------------------------------------------------------------------------

@access.guarded("incentive.apply")
def apply_model(session: Session, scope: Scope, changes: dict[str, Any], note: str, now: datetime) -> int:
    """Write the current model with ``changes`` as a new version (the old ones are kept); its number."""
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidIncentiveInput("incentive.err.note", "note")
    row = _latest(session)
    before = _params_of(row, rules.all_settings(session))
    after = with_changes(before, changes)
    if after == before:
        raise InvalidIncentiveInput("incentive.err.no_change", None)
    version = (row.version if row else 0) + 1
    params = {k: getattr(after, k) for k in NUMBERS} | {"strategic_industries": list(after.strategic_industries)}
    by = scope.user_id or None
    session.add(IncentiveModel(version=version, params=params, note=note, created_by=by, created_at=now))
    changed = {k: {"old": _plain(getattr(before, k)), "new": _plain(getattr(after, k))}
               for k in (f.name for f in fields(Params)) if getattr(before, k) != getattr(after, k)}
    session.add(AuditLog(at=now, user_id=by, action="apply", entity="incentive_model", entity_id=str(version),
                         detail={"changes": changed, "note": note}))
    session.flush()
    return version


def _plain(v):
    return list(v) if isinstance(v, tuple) else v


EXPORT_COLUMNS = ["team", "rep", "owner_id", "result_points", "process_points", "collaboration_points", "psi",
                  "process_share", "complaint_rate", "breaker", "result_pay", "process_pay", "collaboration_pay",
                  "frozen", "total"]


@access.guarded("payout.export")
def export_payouts(session: Session, scope: Scope, month: str, now: datetime) -> bytes:
    """The month's payout table in the caller's scope as an XLSX file for payroll, audited."""
    access.require_page(scope, PAGE)
    check_month(month)
    got = _compute(scope, session, month, _params_of(_latest(session), rules.all_settings(session)))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        got.reps[EXPORT_COLUMNS].to_excel(xw, sheet_name="reps", index=False)
        got.teams.to_excel(xw, sheet_name="teams", index=False)
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="export", entity="payout", entity_id=month,
                         detail={"rows": int(len(got.reps)), "total": got.total}))
    session.flush()
    return buf.getvalue()



# ---- jobs --------------------------------------------------------------------------------------------

def _existing(session: Session, rule: str, source_type: str, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    found: set[int] = set()
    for k in range(0, len(ids), 500):
        found |= set(session.scalars(select(PointsEntry.source_id).where(
            PointsEntry.rule == rule, PointsEntry.source_type == source_type,
            PointsEntry.source_id.in_(ids[k:k + 500]))))
    return found


def _grant(session: Session, now: datetime, rule: str, part: str, source_type: str, points: float,
           rows: list[tuple[int, int, int | None, datetime, str, str]]) -> int:
    """rows: (source id, owner, team, happened_at, weight key, reason); the lines not yet granted."""
    have = _existing(session, rule, source_type, [r[0] for r in rows])
    n = 0
    for sid, owner, team, at, key, reason in rows:
        if sid in have:
            continue
        session.add(PointsEntry(owner_id=owner, team_id=team, month=scorecard.month_of(at), rule=rule, part=part,
                                weight_key=key, points=points, source_type=source_type, source_id=sid,
                                reason=(reason or "")[:200], happened_at=at, granted_at=now))
        n += 1
    return n


def points_ledger(session: Session, now: datetime) -> int:
    """Grant the points of every key action of the last incentive_ledger_days days not yet in the
    ledger (idempotent); the number of lines written."""
    settings = rules.all_settings(session)
    since = now - timedelta(days=int(settings["incentive_ledger_days"]))
    strategic = set(_params_of(_latest(session), settings).strategic_industries)
    n = 0
    si = StepInstance
    rows = session.execute(select(si.id, si.owner_id, si.team_id, si.completed_at, ProcessStep.name_zh)
                           .join(ProcessStep, ProcessStep.id == si.step_id)
                           .where(si.completed_at.is_not(None), si.completed_at <= si.due_at,
                                  si.completed_at >= since, si.completed_at <= now)).all()
    n += _grant(session, now, "step_on_time", "process", "step_instance", settings["points_step_on_time"],
                [(r.id, r.owner_id, r.team_id, r.completed_at, "standard", r.name_zh) for r in rows])
    a = Activity
    rows = session.execute(select(a.id, a.owner_id, a.team_id, a.happened_at, a.kind)
                           .where(a.kind.in_(scorecard.VISIT_KINDS), a.effective.is_(True),
                                  a.happened_at >= since, a.happened_at <= now)).all()
    n += _grant(session, now, "effective_visit", "process", "activity", settings["points_effective_visit"],
                [(r.id, r.owner_id, r.team_id, r.happened_at, "standard", r.kind) for r in rows])
    o = Opportunity
    first_win = (select(o.customer_id, func.min(o.closed_at).label("first"))
                 .where(o.status == "won", o.closed_at.is_not(None)).group_by(o.customer_id).subquery())
    rows = session.execute(select(o.id, o.owner_id, o.team_id, o.closed_at, o.name, Customer.industry,
                                  first_win.c.first)
                           .join(Customer, Customer.id == o.customer_id)
                           .join(first_win, first_win.c.customer_id == o.customer_id)
                           .where(o.status == "won", o.closed_at >= since, o.closed_at <= now)).all()
    n += _grant(session, now, "won_deal", "result", "opportunity", settings["points_won_deal"],
                [(r.id, r.owner_id, r.team_id, r.closed_at,
                  "strategic" if r.industry in strategic else ("new_customer" if r.closed_at == r.first else "standard"),
                  r.name) for r in rows])
    rows = session.execute(select(Payment.id, Payment.owner_id, Payment.team_id, Payment.received_at, Contract.number,
                                  Customer.industry)
                           .join(Contract, Contract.id == Payment.contract_id)
                           .join(Customer, Customer.id == Contract.customer_id)
                           .where(Payment.amount_received > 0, Payment.received_at.is_not(None),
                                  Payment.received_at >= since, Payment.received_at <= now)).all()
    n += _grant(session, now, "payment_collected", "result", "payment", settings["points_payment_collected"],
                [(r.id, r.owner_id, r.team_id, r.received_at, "strategic" if r.industry in strategic else "standard",
                  r.number) for r in rows])
    ci = CustomerIssue
    rows = session.execute(select(ci.id, ci.owner_id, ci.team_id, ci.closed_at, ci.title)
                           .where(ci.closed_at.is_not(None), ci.closed_at >= since, ci.closed_at <= now)).all()
    n += _grant(session, now, "issue_closed", "collaboration", "customer_issue",
                settings["incentive_points_issue_closed"],
                [(r.id, r.owner_id, r.team_id, r.closed_at, "standard", r.title) for r in rows])
    cr = CrossDeptRequest
    rows = session.execute(select(cr.id, cr.owner_id, cr.team_id, cr.answered_at, cr.subject)
                           .where(cr.answered_at.is_not(None), cr.answered_at >= since, cr.answered_at <= now)).all()
    n += _grant(session, now, "request_answered", "collaboration", "cross_dept_request",
                settings["incentive_points_request_answered"],
                [(r.id, r.owner_id, r.team_id, r.answered_at, "standard", r.subject) for r in rows])
    session.flush()
    return n


def team_complaints(session: Session, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """team id → (customers with a complaint activity, active customers) in [start, end)."""
    a = Activity
    rows = session.execute(
        select(a.team_id, func.count(func.distinct(a.customer_id)),
               func.count(func.distinct(case((a.kind == scorecard.COMPLAINT_KIND, a.customer_id), else_=None))))
        .where(a.team_id.is_not(None), a.happened_at >= start, a.happened_at < end).group_by(a.team_id)).all()
    return {int(t): (int(c or 0), int(n or 0)) for t, n, c in rows}


def incentive_standings(session: Session, now: datetime) -> int:
    """Take each team's PSI and complaint figures of this month and the last (what payouts use);
    rows changed or written."""
    first = now.date().replace(day=1)
    n = 0
    for m in (psi_mod.shift(first, -1), first):
        month = f"{m:%Y-%m}"
        start, end = psi_mod.month_range(m)
        report = psi_mod.psi_report(COMPANY, session, month, now)
        values = {t.team_id: t.value for t in report.teams}
        complaints = team_complaints(session, start, min(end, now + timedelta(microseconds=1)))
        have = {r.team_id: r for r in session.scalars(select(TeamStanding).where(TeamStanding.month == month))}
        for tid in sorted(set(values) | set(complaints)):
            c, a = complaints.get(tid, (0, 0))
            value = values.get(tid)
            row = have.get(tid)
            if row is None:
                session.add(TeamStanding(month=month, team_id=tid, psi=value, complaint_customers=c,
                                         active_customers=a, computed_at=now))
                n += 1
            elif (row.psi, row.complaint_customers, row.active_customers) != (value, c, a):
                row.psi, row.complaint_customers, row.active_customers, row.computed_at = value, c, a, now
                n += 1
    session.flush()
    return n

