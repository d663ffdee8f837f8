"""Process certainty index (PSI, 过程确定性指数, SPEC §6): monthly, per team and overall, 0–100.

    PSI = w_on_time · on_time + w_closure · closure + w_collaboration · collaboration
    on_time       = on-time rate (%) of all key-step instances, pooled over the steps
    closure       = 100 if the median days to close a customer issue ≤ target (3), else 100 · target / median
    collaboration = 100 if the mean hours to answer a cross-department request ≤ target (24), else 100 · target / mean

Weights, targets and tier edges are settings (``psi_*``). A part without data says so ("not enough
data") and the PSI is re-weighted over the parts that have data: PSI = Σ w·part / Σ w over them
(with the default weights, which add up to 1, that is the formula above when every part has data).
No part with data, or only parts of weight 0: no PSI. The PSI is rounded to 0.1 and its tier is read
off that rounded figure, so the number a person sees and what it pays always agree: ≥ psi_tier_full
(90) pays 100 % of the process incentive, ≥ psi_tier_partial (80) pays psi_tier_partial_payout
(80 %), below pays nothing.

Which rows count in month M (from its first day 00:00 to the next month's; "M's end" is the earlier
of that and ``now``):
- on_time: instances of the active key steps triggered in M and decided at ``now`` (completed, or
  past their deadline) — the cockpit lights' rule (core.process.lights), pooled over the steps;
- closure: the issues closed in M, with their days from raised to closed; and the issues that passed
  their target (raised + 3 days) in M and were still open at M's end, with their age at M's end (a
  lower bound of their time to close). So a month cannot look good by leaving its hard issues open,
  and an issue left open for long counts against the month it went over its target and, with its
  full time, the month it is finally closed — but not against every month in between, or a few
  forgotten issues would sink every later month whatever the team does now;
- collaboration: likewise, the requests answered in M, and those that passed their target (24 h)
  in M and were still unanswered at M's end.
Rows count for the team they are recorded with (``team_id``); the overall figure pools every row in
the caller's scope (it is not an average of the teams).

What pulled it down: the part with the biggest weighted gap — its re-weighted share × (100 − part),
the PSI points it cost; within on_time, the step and team with the most late or missing instances;
for closure and collaboration, the team with the lowest part (when the view holds several teams).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime, Integer

from core.base import rules
from core.base.query import count_cols, narrow, percentiles, step_parts
from core.base.errors import UserError
from core.base.models import CrossDeptRequest, CustomerIssue, ProcessStep, StepInstance, Team
from core.base.scope import Scope, scoped_read
from core.base.sqlfn import hours_between

PARTS = ("on_time", "closure", "collaboration")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
ALL = 0  # the group key of the pooled (overall) figures; team ids start at 1


class InvalidPsiInput(UserError):
    """A month or team the PSI cannot be computed for; ``field`` names it."""


# ---- months ----------------------------------------------------------------------------------

def parse_month(value, now: datetime) -> date:
    """The first day of the month 'YYYY-MM'; refused when malformed or after ``now``'s month."""
    m = MONTH_RE.match(value.strip()) if isinstance(value, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2999:
        raise InvalidPsiInput("psi.err.month", "month", value=str(value)[:20])
    first = date(int(m.group(1)), int(m.group(2)), 1)
    if first > now.date().replace(day=1):
        raise InvalidPsiInput("psi.err.month_future", "month", value=f"{first:%Y-%m}")
    return first


def shift(first: date, months: int) -> date:
    """The first day of the month ``months`` after (negative: before) ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_range(first: date) -> tuple[datetime, datetime]:
    """[start, end): midnight of the first day and of the next month's first day."""
    return datetime.combine(first, datetime.min.time()), datetime.combine(shift(first, 1), datetime.min.time())


def recent_months(now: datetime, count: int = 12) -> list[str]:
    """'YYYY-MM' of ``now``'s month and the ``count − 1`` before it, newest first."""
    first = now.date().replace(day=1)
    return [f"{shift(first, -k):%Y-%m}" for k in range(count)]


# ---- the pure part: parts, PSI, tier ------------------------------------------------------------

def shorter_is_better(measure: float | None, target: float) -> float | None:
    """100 when ``measure`` (median days, mean hours) is at or under ``target``, else 100 · target /
    measure; None without a measure."""
    if measure is None:
        return None
    if measure <= target:
        return 100.0
    return 100.0 * target / measure


def combine(values: dict[str, float | None], weights: dict[str, float]) -> tuple[float | None, dict[str, float]]:
    """(PSI rounded to 0.1 or None, each part's share 0–1 after re-weighting over the parts with data)."""
    present = {p: weights[p] for p in PARTS if values.get(p) is not None}
    total = sum(present.values())
    if total <= 0:
        return None, {p: 0.0 for p in PARTS}
    shares = {p: present.get(p, 0.0) / total for p in PARTS}
    return round(sum(shares[p] * values[p] for p in present), 1), shares


def tier(value: float | None, settings: dict) -> str | None:
    """'full', 'partial' or 'none' for a PSI (None without one)."""
    if value is None:
        return None
    if value >= settings["psi_tier_full"]:
        return "full"
    if value >= settings["psi_tier_partial"]:
        return "partial"
    return "none"


def payout(value: float | None, settings: dict) -> float | None:
    """The share of the process incentive a PSI pays, in %: 100, psi_tier_partial_payout (80) or 0."""
    return {"full": 100.0, "partial": float(settings["psi_tier_partial_payout"]), "none": 0.0,
            None: None}[tier(value, settings)]


# ---- figures, as SQL ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    code: str                  # on_time / closure / collaboration
    value: float | None        # 0–100; None: not enough data
    weight: float              # the setting
    share: float               # its weight after re-weighting over the parts with data, 0–1
    measure: float | None      # on_time: %; closure: median days; collaboration: mean hours
    target: float | None       # closure: days; collaboration: hours; on_time: None
    count: int                 # instances decided / issues / requests counted
    open_overdue: int = 0      # of those: still open at the month's end, past the target

    @property
    def hits(self) -> int | None:
        """on_time: the instances done on time (``measure`` % of ``count``); None for the other parts
        or without data."""
        if self.code != "on_time" or self.measure is None:
            return None
        return round(self.measure * self.count / 100)

    @property
    def points_lost(self) -> float:
        """PSI points this part cost: share × (100 − value)."""
        return 0.0 if self.value is None else self.share * (100.0 - self.value)


@dataclass(frozen=True)
class Psi:
    month: str                 # 'YYYY-MM'
    team_id: int | None        # None: every team in the view
    team: str | None
    value: float | None        # 0–100, rounded to 0.1; None: no part has data
    tier: str | None           # full / partial / none
    payout: float | None       # % of the process incentive
    parts: tuple[Part, ...]
    reweighted: bool           # a part had no data and the others carry its weight

    def part(self, code: str) -> Part:
        return next(p for p in self.parts if p.code == code)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.parts if p.value is None)


@dataclass(frozen=True)
class Drag:
    """What pulled the PSI down."""
    part: str | None           # the part that cost the most points; None when nothing was lost
    points: float              # PSI points it cost
    step: str | None = None    # on_time: the step with the most late or missing instances …
    step_en: str | None = None
    step_zh: str | None = None
    team_id: int | None = None  # … in this team; closure / collaboration: the team with the lowest part
    team: str | None = None
    misses: int = 0            # late or missing instances of that step in that team
    share: float = 0.0         # of all late or missing instances in the view, 0–1


@dataclass(frozen=True)
class PsiReport:
    month: str
    overall: Psi
    teams: tuple[Psi, ...]     # each team in the view (empty when the view is one team)
    trend: tuple[Psi, ...]     # psi_trend_months months up to ``month``, oldest first
    drag: Drag
    settings: dict = field(default_factory=dict)  # the weights, targets and tier edges used

    @property
    def change(self) -> float | None:
        """The overall PSI's change from the month before (PSI points), None without both figures."""
        previous = self.trend[-2].value if len(self.trend) > 1 else None
        if self.overall.value is None or previous is None:
            return None
        return self.overall.value - previous


@dataclass(frozen=True)
class _Figures:
    decided: int = 0
    on_time: int = 0
    closure_n: int = 0
    closure_median: float | None = None
    closure_open: int = 0
    collab_n: int = 0
    collab_mean: float | None = None
    collab_open: int = 0


def _grp(team_col, by_team: bool):
    return team_col if by_team else literal(ALL, Integer())


def _on_time(scope, session, start, end, now, team_id, by_team) -> dict:
    decided, on_time = step_parts(now)
    si = StepInstance
    grp = _grp(si.team_id, by_team)
    stmt = (select(grp.label("grp"), *count_cols(decided, on_time))
            .select_from(si).join(ProcessStep, ProcessStep.id == si.step_id)
            .where(ProcessStep.active.is_(True), si.triggered_at >= start, si.triggered_at < end))
    stmt = narrow(stmt, scope, si.owner_id, si.team_id, team_id=team_id)
    if by_team:
        stmt = stmt.group_by(si.team_id)
    return {(r.grp if by_team else ALL): (int(r.decided), int(r.on_time)) for r in session.execute(stmt)}


def _rows(model, opened, closed, unit_hours: float, scope, start, end, cut, target, team_id, by_team):
    """Subquery (grp, value, open) of the items closed in [start, end) — value: their time from
    ``opened`` to ``closed`` in units of ``unit_hours`` — and of those that passed ``target`` (in the
    same unit) in [start, cut) and were still open at ``cut`` (value: their age at ``cut``)."""
    grp = _grp(model.team_id, by_team)
    done = (select(grp.label("grp"), (hours_between(closed, opened) / unit_hours).label("value"),
                   literal(0, Integer()).label("open"))
            .where(closed >= start, closed < end))
    age = hours_between(literal(cut, DateTime()), opened) / unit_hours
    waiting = (select(grp.label("grp"), age.label("value"), literal(1, Integer()).label("open"))
               .where(opened < cut, opened >= start - timedelta(hours=target * unit_hours),
                      or_(closed.is_(None), closed >= cut), age > target))
    parts = [narrow(q.select_from(model), scope, model.owner_id, model.team_id, team_id=team_id) for q in (done, waiting)]
    return union_all(*parts).subquery()


def _closure(scope, session, start, end, cut, target, team_id, by_team) -> dict:
    i = CustomerIssue
    rows = _rows(i, i.raised_at, i.closed_at, 24.0, scope, start, end, cut, target, team_id, by_team)
    counts = {r.grp: (int(r.n), int(r.open or 0)) for r in session.execute(
        select(rows.c.grp, func.count().label("n"), func.sum(rows.c.open).label("open")).group_by(rows.c.grp))}
    medians = percentiles(session, select(rows.c.grp, rows.c.value.label("days")).subquery(), qs=(0.5,))
    return {g: (n, medians[g][1][0.5] if g in medians else None, o) for g, (n, o) in counts.items()}


def _collaboration(scope, session, start, end, cut, target, team_id, by_team) -> dict:
    r = CrossDeptRequest
    rows = _rows(r, r.requested_at, r.answered_at, 1.0, scope, start, end, cut, target, team_id, by_team)
    return {x.grp: (int(x.n), None if x.mean is None else float(x.mean), int(x.open or 0)) for x in session.execute(
        select(rows.c.grp, func.count().label("n"), func.avg(rows.c.value).label("mean"),
               func.sum(rows.c.open).label("open")).group_by(rows.c.grp))}


def _figures(scope: Scope, session: Session, first: date, now: datetime, settings: dict,
             team_id: int | None, by_team: bool) -> dict[int | None, _Figures]:
    """The month's figures per team (``by_team``) or pooled (key ALL)."""
    start, end = month_range(first)
    cut = min(end, now)
    on_time = _on_time(scope, session, start, end, now, team_id, by_team)
    closure = _closure(scope, session, start, end, cut, settings["psi_closure_target_days"], team_id, by_team)
    collab = _collaboration(scope, session, start, end, cut, settings["psi_collaboration_target_hours"], team_id,
                            by_team)
    out = {}
    for g in set(on_time) | set(closure) | set(collab):
        d, o = on_time.get(g, (0, 0))
        cn, cm, co = closure.get(g, (0, None, 0))
        rn, rm, ro = collab.get(g, (0, None, 0))
        out[g] = _Figures(d, o, cn, cm, co, rn, rm, ro)
    return out


def _psi(month: str, team_id: int | None, team: str | None, f: _Figures, settings: dict) -> Psi:
    weights = {p: float(settings[f"psi_weight_{p}"]) for p in PARTS}
    rate = 100.0 * f.on_time / f.decided if f.decided else None
    closure_target, collab_target = settings["psi_closure_target_days"], settings["psi_collaboration_target_hours"]
    values = {"on_time": rate, "closure": shorter_is_better(f.closure_median, closure_target),
              "collaboration": shorter_is_better(f.collab_mean, collab_target)}
    value, shares = combine(values, weights)
    parts = (
        Part("on_time", values["on_time"], weights["on_time"], shares["on_time"], rate, None, f.decided),
        Part("closure", values["closure"], weights["closure"], shares["closure"], f.closure_median, closure_target,
             f.closure_n, f.closure_open),
        Part("collaboration", values["collaboration"], weights["collaboration"], shares["collaboration"],
             f.collab_mean, collab_target, f.collab_n, f.collab_open),
    )
    reweighted = value is not None and any(v is None for v in values.values())
    return Psi(month, team_id, team, value, tier(value, settings), payout(value, settings), parts, reweighted)


def _teams(scope: Scope, session: Session, team_id: int | None) -> dict[int, str]:
    """The teams of the view: every team in scope, or the one asked for (if in scope)."""
    stmt = select(Team.id, Team.name).order_by(Team.name)
    if scope.team_ids is not None:
        stmt = stmt.where(Team.id.in_(sorted(scope.team_ids)) if scope.team_ids else Team.id.is_(None))
    if team_id is not None:
        stmt = stmt.where(Team.id == team_id)
    return dict(session.execute(stmt).all())


def _late_step(scope, session, first, now, team_id) -> tuple[str, str, str, int, int, int] | None:
    """(code, name_en, name_zh, team_id, its misses, all misses) of the step and team with the most
    late or missing instances in the month; None without misses."""
    decided, on_time = step_parts(now)
    si = StepInstance
    start, end = month_range(first)
    misses = func.sum(case((and_(decided, ~on_time), 1), else_=0))
    stmt = (select(ProcessStep.code, ProcessStep.name_en, ProcessStep.name_zh, si.team_id, misses.label("misses"))
            .select_from(si).join(ProcessStep, ProcessStep.id == si.step_id)
            .where(ProcessStep.active.is_(True), si.triggered_at >= start, si.triggered_at < end)
            .group_by(ProcessStep.code, ProcessStep.name_en, ProcessStep.name_zh, si.team_id))
    rows = [r for r in session.execute(narrow(stmt, scope, si.owner_id, si.team_id, team_id=team_id)) if r.misses]
    if not rows:
        return None
    top = min(rows, key=lambda r: (-int(r.misses), r.team_id or 0, r.code))
    return top.code, top.name_en, top.name_zh, top.team_id, int(top.misses), sum(int(r.misses) for r in rows)


def _drag(scope, session, first, now, team_id, overall: Psi, teams: tuple[Psi, ...], names: dict) -> Drag:
    worst = max(overall.parts, key=lambda p: p.points_lost)
    if overall.value is None or worst.points_lost <= 0:
        return Drag(None, 0.0)
    points = round(worst.points_lost, 1)
    if worst.code == "on_time":
        late = _late_step(scope, session, first, now, team_id)
        if late is None:
            return Drag(worst.code, points)
        code, en, zh, tid, misses, total = late
        return Drag(worst.code, points, code, en, zh, tid, names.get(tid), misses, misses / total)
    scored = [t for t in teams if t.part(worst.code).value is not None]
    if len(scored) < 2:  # one team in the view: it is the view itself
        return Drag(worst.code, points)
    low = min(scored, key=lambda t: (t.part(worst.code).value, t.team or ""))
    return Drag(worst.code, points, team_id=low.team_id, team=low.team)


# ---- the read ------------------------------------------------------------------------------------

@scoped_read
def psi_report(scope: Scope, session: Session, month: str, now: datetime, team_id: int | None = None) -> PsiReport:
    """The month's PSI for the caller's view (every team in scope, or ``team_id``): the overall figure
    with its parts and tier, each team's, the trend of the last psi_trend_months months, and what
    pulled it down. Figures as of ``now``."""
    settings = rules.all_settings(session)
    first = parse_month(month, now)
    if team_id is not None and (isinstance(team_id, bool) or not isinstance(team_id, int)):
        raise InvalidPsiInput("psi.err.team", "team_id")
    names = _teams(scope, session, None)
    label = f"{first:%Y-%m}"
    view_team = names.get(team_id) if team_id is not None else None

    def overall_of(m: date) -> Psi:
        f = _figures(scope, session, m, now, settings, team_id, by_team=False).get(ALL, _Figures())
        return _psi(f"{m:%Y-%m}", team_id, view_team, f, settings)

    overall = overall_of(first)
    teams: tuple[Psi, ...] = ()
    if team_id is None:
        per = _figures(scope, session, first, now, settings, None, by_team=True)
        teams = tuple(_psi(label, tid, name, per.get(tid, _Figures()), settings) for tid, name in names.items())
    months = settings["psi_trend_months"]
    trend = tuple(overall_of(shift(first, -k)) for k in range(months - 1, 0, -1)) + (overall,)
    used = {k: v for k, v in settings.items() if k.startswith("psi_")}
    return PsiReport(label, overall, teams, trend, _drag(scope, session, first, now, team_id, overall, teams, names),
                     used)


@scoped_read
def month_psi(scope: Scope, session: Session, month: str, now: datetime, team_id: int | None = None) -> Psi:
    """The month's PSI of the caller's view alone (every row in scope, or of ``team_id``), without the
    teams, trend or drag of psi_report: what target health's process light shows per rep and team."""
    settings = rules.all_settings(session)
    first = parse_month(month, now)
    if team_id is not None and (isinstance(team_id, bool) or not isinstance(team_id, int)):
        raise InvalidPsiInput("psi.err.team", "team_id")
    f = _figures(scope, session, first, now, settings, team_id, by_team=False).get(ALL, _Figures())
    return _psi(f"{first:%Y-%m}", team_id, None, f, settings)


def report_dict(report: PsiReport) -> dict:
    """The report as plain data (for JSON), with each PSI's missing parts named."""
    from dataclasses import asdict

    def psi(p: Psi) -> dict:
        return asdict(p) | {"missing": list(p.missing)}

    return {"month": report.month, "overall": psi(report.overall), "teams": [psi(t) for t in report.teams],
            "trend": [{"month": t.month, "psi": t.value, "tier": t.tier, "payout": t.payout,
                       **{p.code: p.value for p in t.parts}} for t in report.trend],
            "drag": asdict(report.drag), "settings": report.settings}
