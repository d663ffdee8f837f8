"""The rep scorecard (SPEC §8): one 0–100 figure for a month, its parts beside the team average, a
weekly trend, the rank in the team, open to-dos and points.

    score   = w_results · results + w_process · process + w_quality · quality   (0.60 / 0.25 / 0.15)
    results = mean of signed-amount attainment and collection attainment
    process = mean of the step on-time rate and effective-visit attainment
    quality = mean of 100 · (1 − complaint rate) and satisfaction (1–5 scaled to 0–100)
    attainment = 100 · min(actual ÷ target, 1)

Where the figures come from (all of the rep's own records of their current team, in the window):
- signed amount: contracts signed in the window (not cancelled); collections: amounts received in
  it (payments.received_at); targets: the rep's row of ``targets`` for the month. A target that is
  missing or 0 gives no attainment ("no target"), never a division by zero.
- step on-time rate: the step instances triggered in the window, counted as on the cockpit (on time
  ÷ decided; a step still inside its deadline counts nowhere yet).
- effective visits: activities of kind ``visit`` marked effective, against the month's target.
- complaint rate: customers with an activity of kind ``complaint`` (what the complaint-handling
  form and the demo write) ÷ active customers, the distinct customers of the rep's activities in
  the window. A customer issue (``customer_issues``) is a service request, not a complaint: it
  feeds the PSI's closure time, not this rate.
- satisfaction: the mean of the customers' 1–5 survey scores in the window, (mean − 1) ÷ 4 · 100.

A component without data drops out of its part's mean; a part without any component says "not
enough data" and the score is re-weighted over the parts that have data (``weights_used``); with
no part at all there is no score. The month's score compares the month so far with the whole
month's targets; a week of the trend compares the week with the month's targets pro rata by its
length.

The team average score and the rank in the team take only the reps whose score rests on all three
parts: a new rep with one visit and nothing else would otherwise top the team. (Each part's team
average takes every rep with data in that part.)

Who sees what: a rep only their own scorecard (any other ``rep_id`` raises ScopeError, whether the
rep exists or not); a lead the reps of their teams; director and admin everyone. A rep sees the
team average and their rank only once ``scorecard_team_min_reps`` reps of the team have such a
score: in a smaller team one teammate's score could be worked out from them.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

import pandas as pd
from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from core.base import access, rules
from core.base.errors import UserError
from core.base.models import (
    Activity, Contract, Customer, Opportunity, Payment, SatisfactionScore, StepInstance, Target, Team, Todo, User,
)
from core.base.scope import Scope, ScopeError, scoped_read
from core.people import people

PARTS = ("results", "process", "quality")
COMPONENTS: dict[str, tuple[str, str]] = {
    "results": ("signed_attainment", "collection_attainment"),
    "process": ("step_on_time", "visit_attainment"),
    "quality": ("complaint_free", "satisfaction"),
}
PART_OF = {c: p for p, cs in COMPONENTS.items() for c in cs}
POINT_RULES = ("step_on_time", "effective_visit", "won_deal", "payment_collected")
VISIT_KINDS = ("visit",)
COMPLAINT_KIND = "complaint"
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS_SHOWN = 12  # the months a scorecard or the targets can be opened for: this one and the 11 before


class InvalidMonth(UserError):
    """A month that is not written 'YYYY-MM'."""


# ---- months and windows --------------------------------------------------------------------------

def parse_month(month: Any) -> tuple[datetime, datetime]:
    """[first day 00:00, first day of the next month 00:00) of a 'YYYY-MM' month."""
    m = MONTH_RE.match(month) if isinstance(month, str) else None
    if m is None:
        raise InvalidMonth("scorecard.err.month", "month")
    year, mon = int(m.group(1)), int(m.group(2))
    start = datetime(year, mon, 1)
    end = datetime(year + (mon == 12), 1 if mon == 12 else mon + 1, 1)
    return start, end


def month_of(day: date | datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def recent_months(today: date, count: int) -> list[str]:
    """This month and the ``count − 1`` before it, newest first."""
    year, mon, out = today.year, today.month, []
    for _ in range(count):
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
    return out


def counted(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The window records are counted in: the whole of [start, end) once it has begun (a record
    written at this very moment counts), nothing before."""
    return (start, end) if start <= now else (start, start)


def week_windows(now: datetime, weeks: int) -> list[tuple[datetime, datetime]]:
    """The last ``weeks`` weeks (Monday 00:00 to Monday 00:00), oldest first; the last one is this
    week, up to ``now``."""
    monday = datetime.combine(now.date() - timedelta(days=now.weekday()), time())
    starts = [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    return [(s, min(s + timedelta(weeks=1), now)) for s in starts]


def _month_starts(start: datetime, end: datetime) -> list[datetime]:
    """The first days of the months that [start, end) touches."""
    out, cur = [], datetime(start.year, start.month, 1)
    while cur < end:
        out.append(cur)
        cur = datetime(cur.year + (cur.month == 12), 1 if cur.month == 12 else cur.month + 1, 1)
    return out


def prorated_target(monthly: dict[str, float | None], start: datetime, end: datetime) -> float | None:
    """A target for [start, end) from monthly targets, each month's pro rata by the window's share of
    it; None when a month the window touches has no target (or 0)."""
    if end <= start:
        return None
    total = 0.0
    for first in _month_starts(start, end):
        value = monthly.get(month_of(first))
        if value is None or value <= 0:
            return None
        days = calendar.monthrange(first.year, first.month)[1]
        last = first + timedelta(days=days)
        overlap = (min(end, last) - max(start, first)).total_seconds()
        total += value * overlap / (days * 86400)
    return total


# ---- the formula (pure) --------------------------------------------------------------------------

@dataclass(frozen=True)
class Raw:
    """What a rep did in a window, as counted in SQL."""
    signed: float = 0.0            # amount of contracts signed
    collected: float = 0.0         # amount received
    payments: int = 0              # payments received (count)
    steps_decided: int = 0
    steps_on_time: int = 0
    visits: int = 0                # effective visits
    active_customers: int = 0
    complaint_customers: int = 0
    surveys: int = 0
    satisfaction_mean: float | None = None  # 1–5


@dataclass(frozen=True)
class Targets:
    signed_amount: float | None = None
    collections: float | None = None
    effective_visits: float | None = None


@dataclass(frozen=True)
class Component:
    code: str
    part: str
    value: float | None      # 0–100; None: not enough data (see ``missing``)
    actual: float | None     # amount, count, rate % or mean score behind it
    target: float | None     # for attainments
    basis: int | None        # how many items it rests on (steps decided, active customers, surveys)
    missing: str | None      # 'no_target', 'no_steps', 'no_customers', 'no_surveys'
    count: int | None = None  # of the basis, how many it counts (steps on time, customers who complained)


@dataclass(frozen=True)
class Part:
    code: str
    weight: float            # the setting
    value: float | None      # 0–100, None: not enough data
    team_average: float | None
    components: tuple[Component, ...]

    @property
    def dropped(self) -> tuple[str, ...]:
        """Components without data, left out of this part's mean."""
        return tuple(c.code for c in self.components if c.value is None)


def attainment(actual: float, target: float | None) -> float | None:
    """100 · min(actual ÷ target, 1); None without a (positive) target."""
    if target is None or target <= 0:
        return None
    return 100.0 * min(max(actual, 0.0) / target, 1.0)


def components(raw: Raw, targets: Targets) -> tuple[Component, ...]:
    """The six components of the formula from a window's counts and targets."""
    def att(code, actual, target):
        value = attainment(actual, target)
        return Component(code, PART_OF[code], value, actual, target if target and target > 0 else None, None,
                         None if value is not None else "no_target")

    on_time = 100.0 * raw.steps_on_time / raw.steps_decided if raw.steps_decided else None
    complaint_free = (100.0 * (1 - raw.complaint_customers / raw.active_customers)
                      if raw.active_customers else None)
    satisfaction = (100.0 * (raw.satisfaction_mean - 1) / 4
                    if raw.surveys and raw.satisfaction_mean is not None else None)
    return (
        att("signed_attainment", raw.signed, targets.signed_amount),
        att("collection_attainment", raw.collected, targets.collections),
        Component("step_on_time", "process", on_time, on_time, None, raw.steps_decided,
                  None if on_time is not None else "no_steps", raw.steps_on_time),
        att("visit_attainment", float(raw.visits), targets.effective_visits),
        Component("complaint_free", "quality", complaint_free,
                  (100.0 * raw.complaint_customers / raw.active_customers) if raw.active_customers else None,
                  None, raw.active_customers, None if complaint_free is not None else "no_customers",
                  raw.complaint_customers),
        Component("satisfaction", "quality", satisfaction, raw.satisfaction_mean if raw.surveys else None, None,
                  raw.surveys, None if satisfaction is not None else "no_surveys"),
    )


def part_values(comps: Iterable[Component]) -> dict[str, float | None]:
    """Each part's mean over its components with data (None when none has data)."""
    out = {}
    for part in PARTS:
        values = [c.value for c in comps if c.part == part and c.value is not None]
        out[part] = sum(values) / len(values) if values else None
    return out


def combine(parts: dict[str, float | None], weights: dict[str, float]) -> tuple[float | None, dict[str, float]]:
    """(score, weights used): the weighted mean over the parts with data, the weights re-scaled to
    sum to 1 over them. No part with data (or only zero weights): (None, {})."""
    used = {p: weights[p] for p in PARTS if parts.get(p) is not None}
    total = sum(used.values())
    if not used or total <= 0:
        return None, {}
    return sum(weights[p] * parts[p] for p in used) / total, {p: w / total for p, w in used.items()}


def weights_of(settings: dict) -> dict[str, float]:
    return {p: float(settings[f"scorecard_weight_{p}"]) for p in PARTS}


def competition_rank(scores: dict[int, float | None]) -> dict[int, int]:
    """Rank 1 for the highest score, equal scores share a rank (1, 2, 2, 4); reps without a score
    are not ranked."""
    ranked = sorted(((round(s, 6), rid) for rid, s in scores.items() if s is not None), reverse=True)
    out: dict[int, int] = {}
    for i, (s, rid) in enumerate(ranked):
        out[rid] = out[ranked[i - 1][1]] if i and ranked[i - 1][0] == s else i + 1
    return out


def _mean(values: Iterable[float | None]) -> float | None:
    vs = [v for v in values if v is not None]
    return sum(vs) / len(vs) if vs else None


# ---- SQL: what each rep did, per window ------------------------------------------------------

def _bucket(col, windows: list[tuple[datetime, datetime]]):
    return case(*[(and_(col >= s, col < e), i) for i, (s, e) in enumerate(windows) if e > s], else_=None)


def _span(col, windows):
    return and_(col >= min(s for s, _ in windows), col < max(e for _, e in windows))


def _raw(session: Session, rep_ids: list[int], team_ids: list[int], windows: list[tuple[datetime, datetime]],
         now: datetime) -> dict[tuple[int, int], dict[str, Any]]:
    """(rep id, window index) → counts, aggregated in SQL over the reps' records of their teams."""
    out: dict[tuple[int, int], dict[str, Any]] = {}
    windows = [w for w in windows]
    if not rep_ids or not team_ids or not any(e > s for s, e in windows):
        return out

    def add(rows, *names):
        for row in rows:
            if row[1] is None:
                continue
            slot = out.setdefault((int(row[0]), int(row[1])), {})
            for name, value in zip(names, row[2:]):
                slot[name] = value

    def run(model, when, *cols, where=()):
        b = _bucket(when, windows).label("b")
        stmt = (select(model.owner_id, b, *cols)
                .where(model.owner_id.in_(rep_ids), model.team_id.in_(team_ids), _span(when, windows), *where)
                .group_by(model.owner_id, b))
        return session.execute(stmt).all()

    add(run(Contract, Contract.signed_at, func.sum(Contract.amount), where=(Contract.status != "cancelled",)),
        "signed")
    add(run(Payment, Payment.received_at, func.sum(Payment.amount_received), func.count(),
            where=(Payment.amount_received > 0,)), "collected", "payments")
    done = StepInstance.completed_at.is_not(None)
    decided = case((done | (StepInstance.due_at < now), 1), else_=0)
    on_time = case((and_(done, StepInstance.completed_at <= StepInstance.due_at), 1), else_=0)
    add(run(StepInstance, StepInstance.triggered_at, func.sum(decided), func.sum(on_time)),
        "steps_decided", "steps_on_time")
    visit = and_(Activity.kind.in_(VISIT_KINDS), Activity.effective.is_(True))
    add(run(Activity, Activity.happened_at, func.sum(case((visit, 1), else_=0)),
            func.count(distinct(Activity.customer_id)),
            func.count(distinct(case((Activity.kind == COMPLAINT_KIND, Activity.customer_id), else_=None)))),
        "visits", "active_customers", "complaint_customers")
    add(run(SatisfactionScore, SatisfactionScore.surveyed_at, func.count(), func.avg(SatisfactionScore.score)),
        "surveys", "satisfaction_mean")
    return out


def _points_raw(session: Session, rep_ids: list[int], team_ids: list[int], start: datetime,
                end: datetime) -> dict[int, dict[str, int]]:
    """rep id → how many steps were completed on time and deals won in [start, end)."""
    out: dict[int, dict[str, int]] = {}
    if not rep_ids or not team_ids or end <= start:
        return out
    rows = session.execute(
        select(StepInstance.owner_id, func.count())
        .where(StepInstance.owner_id.in_(rep_ids), StepInstance.team_id.in_(team_ids),
               StepInstance.completed_at >= start, StepInstance.completed_at < end,
               StepInstance.completed_at <= StepInstance.due_at)
        .group_by(StepInstance.owner_id)).all()
    for rid, n in rows:
        out.setdefault(int(rid), {})["step_on_time"] = int(n)
    rows = session.execute(
        select(Opportunity.owner_id, func.count())
        .where(Opportunity.owner_id.in_(rep_ids), Opportunity.team_id.in_(team_ids), Opportunity.status == "won",
               Opportunity.closed_at >= start, Opportunity.closed_at < end)
        .group_by(Opportunity.owner_id)).all()
    for rid, n in rows:
        out.setdefault(int(rid), {})["won_deal"] = int(n)
    return out


def _to_raw(slot: dict[str, Any] | None) -> Raw:
    s = slot or {}
    mean = s.get("satisfaction_mean")
    return Raw(signed=float(s.get("signed") or 0), collected=float(s.get("collected") or 0),
               payments=int(s.get("payments") or 0), steps_decided=int(s.get("steps_decided") or 0),
               steps_on_time=int(s.get("steps_on_time") or 0), visits=int(s.get("visits") or 0),
               active_customers=int(s.get("active_customers") or 0),
               complaint_customers=int(s.get("complaint_customers") or 0), surveys=int(s.get("surveys") or 0),
               satisfaction_mean=None if mean is None else float(mean))


def _targets(session: Session, rep_ids: list[int], months: list[str]) -> dict[tuple[int, str], Targets]:
    """(rep id, month) → the rep's targets."""
    if not rep_ids or not months:
        return {}
    rows = session.execute(select(Target.owner_id, Target.month, Target.signed_amount, Target.collections,
                                  Target.effective_visits)
                           .where(Target.owner_id.in_(rep_ids), Target.month.in_(months))).all()
    f = lambda v: None if v is None else float(v)  # noqa: E731
    return {(int(r.owner_id), r.month): Targets(f(r.signed_amount), f(r.collections), f(r.effective_visits))
            for r in rows}


def _window_targets(targets: dict[tuple[int, str], Targets], rep_id: int, start: datetime, end: datetime,
                    whole_month: bool) -> Targets:
    if whole_month:
        return targets.get((rep_id, month_of(start)), Targets())
    out = {}
    for kind in ("signed_amount", "collections", "effective_visits"):
        monthly = {m: getattr(t, kind) for (rid, m), t in targets.items() if rid == rep_id}
        out[kind] = prorated_target(monthly, start, end)
    return Targets(**out)


# ---- whose scorecard -------------------------------------------------------------------------------

PAGE = "scorecard"


def visible_rep(scope: Scope, session: Session, rep_id: Any) -> User:
    """The rep ``rep_id`` of a team, if the caller may open the scorecard page and see them; one and
    the same ScopeError for 'not there' and 'not yours', so the answer tells nothing about other teams."""
    access.require_page(scope, PAGE)
    return people.visible_rep(scope, session, rep_id, in_a_team=True)


def _team_reps(session: Session, team_ids: list[int], also: int | None = None) -> list[tuple[int, int, str]]:
    """(id, team id, name) of the active reps of the teams (and rep ``also``, active or not)."""
    who = (User.active.is_(True)) if also is None else (User.active.is_(True) | (User.id == also))
    return [(int(r.id), int(r.team_id), r.display_name) for r in session.execute(
        select(User.id, User.team_id, User.display_name)
        .where(User.role == "rep", User.team_id.in_(team_ids), who).order_by(User.id))]


@dataclass(frozen=True)
class _Card:
    parts: dict[str, float | None]
    comps: tuple[Component, ...]
    score: float | None
    weights_used: dict[str, float]


def _card(raw: Raw, targets: Targets, weights: dict[str, float]) -> _Card:
    comps = components(raw, targets)
    parts = part_values(comps)
    score, used = combine(parts, weights)
    return _Card(parts, comps, score, used)


def _complete(cards: dict[int, _Card]) -> dict[int, float]:
    """rep id → score, of the reps whose score rests on all three parts: the ones ranked and averaged."""
    return {rid: c.score for rid, c in cards.items() if c.score is not None and all(
        c.parts[p] is not None for p in PARTS)}


# ---- reads -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PointsLine:
    code: str       # a POINT_RULES value
    count: int
    each: float     # points per action (the setting)
    points: float


@dataclass(frozen=True)
class Scorecard:
    rep_id: int
    rep: str
    team_id: int
    team: str
    joined: date
    month: str
    start: datetime
    end: datetime                    # the window's end: the month's end, or now within the month
    score: float | None              # 0–100, None: not enough data in any part
    parts: tuple[Part, ...]
    weights_used: tuple[tuple[str, float], ...]  # re-scaled over the parts with data
    reweighted: bool                 # some part had no data
    team_visible: bool               # False: a rep's own view of a team with too few scored reps
    team_average: float | None       # of the scores that rest on all three parts
    rank: int | None                 # None: not shown, or this score does not rest on all three parts
    ranked: int | None               # reps of the team ranked
    points: tuple[PointsLine, ...]
    points_total: float

    def part(self, code: str) -> Part:
        return next(p for p in self.parts if p.code == code)

    def component(self, code: str) -> Component:
        return next(c for p in self.parts for c in p.components if c.code == code)


def _points(raw: Raw, extra: dict[str, int], settings: dict) -> tuple[tuple[PointsLine, ...], float]:
    counts = {"step_on_time": extra.get("step_on_time", 0), "effective_visit": raw.visits,
              "won_deal": extra.get("won_deal", 0), "payment_collected": raw.payments}
    lines = tuple(PointsLine(code, int(counts[code]), float(settings[f"points_{code}"]),
                             float(counts[code]) * float(settings[f"points_{code}"])) for code in POINT_RULES)
    return lines, sum(line.points for line in lines)


@scoped_read
def scorecard(scope: Scope, session: Session, rep_id: int, month: str, now: datetime) -> Scorecard:
    """The rep's scorecard of ``month`` ('YYYY-MM'), measured at ``now``: parts and components,
    the weights used, the team's average score and part averages, the rank in the team, points."""
    rep = visible_rep(scope, session, rep_id)
    start, month_end = parse_month(month)
    end = max(start, min(month_end, now))
    window = counted(start, month_end, now)
    settings = rules.all_settings(session)
    weights = weights_of(settings)
    team = _team_reps(session, [rep.team_id], also=rep.id)
    ids = [rid for rid, _, _ in team]
    raw = _raw(session, ids, [rep.team_id], [window], now)
    targets = _targets(session, ids, [month])
    cards = {rid: _card(_to_raw(raw.get((rid, 0))), targets.get((rid, month), Targets()), weights) for rid in ids}
    mine = cards[rep.id]
    scored = _complete(cards)
    visible = not scope.own_only or len(scored) >= settings["scorecard_team_min_reps"]
    ranks = competition_rank(scored)
    parts = tuple(Part(p, weights[p], mine.parts[p],
                       _mean(c.parts[p] for c in cards.values()) if visible else None,
                       tuple(c for c in mine.comps if c.part == p)) for p in PARTS)
    lines, total = _points(_to_raw(raw.get((rep.id, 0))), _points_raw(session, [rep.id], [rep.team_id], *window)
                           .get(rep.id, {}), settings)
    team_name = session.scalar(select(Team.name).where(Team.id == rep.team_id)) or ""
    return Scorecard(
        rep_id=rep.id, rep=rep.display_name, team_id=rep.team_id, team=team_name, joined=rep.created_at.date(),
        month=month, start=start, end=end, score=mine.score, parts=parts,
        weights_used=tuple(mine.weights_used.items()),
        reweighted=mine.score is not None and len(mine.weights_used) < len(PARTS),
        team_visible=visible, team_average=_mean(scored.values()) if visible else None,
        rank=ranks.get(rep.id) if visible else None, ranked=len(scored) if visible else None,
        points=lines, points_total=total)


@scoped_read
def weekly_trend(scope: Scope, session: Session, rep_id: int, now: datetime, weeks: int | None = None) -> pd.DataFrame:
    """One row per week, oldest first: week (its Monday), score, results, process, quality (0–100,
    NaN without data) and team_average (the mean score that week of the team's reps with all three
    parts; NaN where a rep may not see it). Targets pro rata by the week's share of its month(s)."""
    rep = visible_rep(scope, session, rep_id)
    settings = rules.all_settings(session)
    n = int(weeks or settings["scorecard_trend_weeks"])
    n = max(1, min(n, 52))
    windows = week_windows(now, n)  # up to now: what the targets are prorated over
    weights = weights_of(settings)
    team = _team_reps(session, [rep.team_id], also=rep.id)
    ids = [rid for rid, _, _ in team]
    raw = _raw(session, ids, [rep.team_id], [counted(s, s + timedelta(weeks=1), now) for s, _ in windows], now)
    months = sorted({month_of(m) for s, e in windows for m in _month_starts(s, max(e, s + timedelta(seconds=1)))})
    targets = _targets(session, ids, months)
    rows = []
    for i, (s, e) in enumerate(windows):
        cards = {rid: _card(_to_raw(raw.get((rid, i))), _window_targets(targets, rid, s, e, False), weights)
                 for rid in ids}
        scored = list(_complete(cards).values())
        visible = not scope.own_only or len(scored) >= settings["scorecard_team_min_reps"]
        mine = cards[rep.id]
        rows.append({"week": s.date(), "score": mine.score, **{p: mine.parts[p] for p in PARTS},
                     "team_average": _mean(scored) if visible else None})
    df = pd.DataFrame(rows, columns=["week", "score", *PARTS, "team_average"])
    for col in ["score", *PARTS, "team_average"]:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


TEAM_COLUMNS = ["owner_id", "rep", "team_id", "team", "joined", "score", *PARTS,
                *(c for p in PARTS for c in COMPONENTS[p]), "rank", "points"]


@scoped_read
def team_scorecards(scope: Scope, session: Session, month: str, now: datetime,
                    team_id: int | None = None) -> pd.DataFrame:
    """Every active rep of the teams in scope (or of one of them) for ``month``: score, parts and
    components (0–100, NaN without data), rank in their team (of the scores with all three parts)
    and points. For leads, directors and
    admins: a rep has their own scorecard."""
    access.require_page(scope, PAGE)
    if scope.own_only:
        raise ScopeError("team scorecards are for leads, directors and admins")
    start, month_end = parse_month(month)
    window = counted(start, month_end, now)
    stmt = select(Team.id, Team.name).order_by(Team.name)
    if scope.team_ids is not None:
        stmt = stmt.where(Team.id.in_(sorted(scope.team_ids)))
    if team_id is not None:
        stmt = stmt.where(Team.id == team_id)
    teams = dict(session.execute(stmt).all())
    settings = rules.all_settings(session)
    weights = weights_of(settings)
    reps = _team_reps(session, list(teams))
    ids = [rid for rid, _, _ in reps]
    raw = _raw(session, ids, list(teams), [window], now)
    targets = _targets(session, ids, [month])
    extra = _points_raw(session, ids, list(teams), *window)
    joined = dict(session.execute(select(User.id, User.created_at).where(User.id.in_(ids))).all()) if ids else {}
    rows, cards = [], {}
    for rid, tid, name in reps:
        r = _to_raw(raw.get((rid, 0)))
        card = cards[rid] = _card(r, targets.get((rid, month), Targets()), weights)
        _, points = _points(r, extra.get(rid, {}), settings)
        rows.append({"owner_id": rid, "rep": name, "team_id": tid, "team": teams[tid],
                     "joined": joined[rid].date(), "score": card.score, **card.parts,
                     **{c.code: c.value for c in card.comps}, "points": points})
    df = pd.DataFrame(rows, columns=[c for c in TEAM_COLUMNS if c != "rank"])
    ranks: dict[int, int] = {}
    complete = _complete(cards)
    for tid in teams:
        ranks.update(competition_rank({r["owner_id"]: complete[r["owner_id"]] for r in rows
                                       if r["team_id"] == tid and r["owner_id"] in complete}))
    df["rank"] = df["owner_id"].map(lambda rid: ranks.get(rid)).astype("Int64")
    for col in ["score", *PARTS, *(c for p in PARTS for c in COMPONENTS[p]), "points"]:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df = df.sort_values(["team", "rank", "rep"], na_position="last").reset_index(drop=True)
    return df[TEAM_COLUMNS]


@scoped_read
def open_todos(scope: Scope, session: Session, rep_id: int, now: datetime) -> pd.DataFrame:
    """The rep's open to-dos (coaching points included), the most urgent first: id, title, kind,
    due_at, created_at, overdue, owner_id."""
    rep = visible_rep(scope, session, rep_id)
    stmt = (select(Todo.id, Todo.title, Todo.kind, Todo.due_at, Todo.created_at, Todo.owner_id)
            .where(Todo.owner_id == rep.id, Todo.done_at.is_(None))
            .order_by(Todo.due_at.is_(None), Todo.due_at, Todo.id))
    df = pd.read_sql(scope.apply(stmt, Todo.owner_id, Todo.team_id), session.connection())
    df["due_at"] = pd.to_datetime(df["due_at"])
    df["created_at"] = pd.to_datetime(df["created_at"])
    df.insert(5, "overdue", (df["due_at"] < pd.Timestamp(now)).fillna(False).astype(bool))
    return df


@scoped_read
def result_records(scope: Scope, session: Session, rep_id: int, month: str, now: datetime) -> pd.DataFrame:
    """The records behind the results part: the rep's contracts signed and payments received in the
    month (nothing for a month not yet begun): kind ('contract' / 'payment'), number, customer, amount, at, owner_id."""
    rep = visible_rep(scope, session, rep_id)
    start, end = counted(*parse_month(month), now)
    contracts = scope.apply(
        select(Contract.number, Customer.name.label("customer"), Contract.amount, Contract.signed_at.label("at"),
               Contract.owner_id)
        .join(Customer, Customer.id == Contract.customer_id)
        .where(Contract.owner_id == rep.id, Contract.team_id == rep.team_id, Contract.status != "cancelled",
               Contract.signed_at >= start, Contract.signed_at < end), Contract.owner_id, Contract.team_id)
    payments = scope.apply(
        select(Contract.number, Customer.name.label("customer"), Payment.amount_received.label("amount"),
               Payment.received_at.label("at"), Payment.owner_id)
        .join(Contract, Contract.id == Payment.contract_id).join(Customer, Customer.id == Contract.customer_id)
        .where(Payment.owner_id == rep.id, Payment.team_id == rep.team_id, Payment.amount_received > 0,
               Payment.received_at >= start, Payment.received_at < end), Payment.owner_id, Payment.team_id)
    frames = []
    for kind, stmt in (("contract", contracts), ("payment", payments)):
        df = pd.read_sql(stmt.order_by("at"), session.connection())
        df.insert(0, "kind", kind)
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["amount"] = pd.to_numeric(df["amount"]).astype("float64")
    df["at"] = pd.to_datetime(df["at"])
    return df[["kind", "number", "customer", "amount", "at", "owner_id"]]


@scoped_read
def rep_customers(scope: Scope, session: Session, rep_id: int) -> pd.DataFrame:
    """The rep's customers (for a satisfaction survey): id, customer, last_score, last_surveyed,
    owner_id; by name."""
    rep = visible_rep(scope, session, rep_id)
    latest = (select(SatisfactionScore.customer_id, SatisfactionScore.score, SatisfactionScore.surveyed_at,
                     func.row_number().over(partition_by=SatisfactionScore.customer_id,
                                            order_by=(SatisfactionScore.surveyed_at.desc(),
                                                      SatisfactionScore.id.desc())).label("rn"))
              .where(SatisfactionScore.owner_id == rep.id).subquery())
    stmt = (select(Customer.id, Customer.name.label("customer"), latest.c.score.label("last_score"),
                   latest.c.surveyed_at.label("last_surveyed"), Customer.owner_id)
            .outerjoin(latest, (latest.c.customer_id == Customer.id) & (latest.c.rn == 1))
            .where(Customer.owner_id == rep.id).order_by(Customer.name, Customer.id))
    df = pd.read_sql(scope.apply(stmt, Customer.owner_id, Customer.team_id), session.connection())
    df["last_score"] = pd.to_numeric(df["last_score"]).astype("Int64")
    df["last_surveyed"] = pd.to_datetime(df["last_surveyed"])
    return df


# ---- for target health (core.people.target_health): the actuals and targets as the scorecard counts them

def actuals(session: Session, rep_ids: list[int], team_ids: list[int], windows: list[tuple[datetime, datetime]],
            now: datetime) -> dict[tuple[int, int], Raw]:
    """(rep id, window index) → what the rep did in each window, counted exactly as the scorecard
    counts it (the reps' records of ``team_ids``); a pair without any record is left out (Raw())."""
    return {key: _to_raw(slot) for key, slot in _raw(session, rep_ids, team_ids, windows, now).items()}


def rep_targets(session: Session, rep_ids: list[int], months: list[str]) -> dict[tuple[int, str], Targets]:
    """(rep id, month) → the rep's targets of the month, as the scorecard measures against them."""
    return _targets(session, rep_ids, months)
