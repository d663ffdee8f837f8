"""Target health (目标健康, SPEC §8): how far each rep and team is from their monthly targets, and
whether the target is still within reach.

Figures (the targets of core.people.targets; the actuals exactly as the scorecard counts them,
core.people.scorecard.actuals — contracts signed, amounts received, effective visits of the rep's
records of their team):

- Deviation rate of a month = (actual − target) ÷ target, in %, per rep and per team, for each month
  of a year that has begun (a month not yet begun has no row; no target or a target of 0: no rate).
  A team's target is its own row or, without one, the sum of its reps' (targets.team_targets); its
  actual is the sum of its active reps'.
- Three health lights per rep and team for a month (the signed amount, the results target):
  * achievement = signed to date ÷ the month's target pro rata to date (scorecard.prorated_target),
    in %; light red below ``health_achievement_red_below`` (70), green above
    ``health_achievement_green_above`` (90);
  * process = the month's PSI of the rep's own rows or the team's (core.process.psi.month_psi); light
    red below ``health_process_red_below`` (80), green above ``health_process_green_above`` (90);
  * resource match = open weighted pipeline ÷ the target still to sign this month (target − signed),
    in %; each open deal counts its amount × its stage's weight (``target_pipeline_weight_<stage>``, as the targets' basis weighs it);
    light red below ``health_coverage_red_below`` (100), green above ``health_coverage_green_above``
    (150). A target already met is green; a month that is over has no resource light (grey).
  Every light of a row has a sentence saying what it rests on; the view's lights (all its teams
  together) say who holds most of the shortfall, the uncovered target or the PSI points missing
  (core.base.query.holders with ``explain_share`` and ``explain_max_groups``, like the cockpit).
- The intervention job: a rep (or team) whose week's achievement (the week's signed amount ÷ the
  week's pro rata share of the month's target, as the scorecard's weekly trend counts it) was below
  ``health_intervention_below`` (70 %) in each of the last ``health_intervention_weeks`` (2) complete
  weeks (Monday to Monday) gets the team lead an alert with the weeks' figures. A week without a
  target breaks the run. One alert per rep (or team) and week: running again changes nothing.

Who sees what: directors and admins every rep and team, a lead their teams' reps and the teams, a
rep only their own row (no team rows: a team's figures would tell them their teammates').
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.base import access, rules
from core.base.errors import UserError
from core.base.i18n import t
from core.base.jobs import ensure_alert, language_of
from core.base.models import Opportunity, Team, User
from core.base.query import holders
from core.base.scope import COMPANY, Scope, scoped_read
from core.base.vocabulary import STAGES, TARGET_KINDS
from core.people import scorecard as sc
from core.people import targets as tg
from core.process import psi as psi_mod

PAGE = "target_health"
LIGHTS = ("achievement", "process", "resource")
HEALTH_KIND = "signed_amount"  # the lights and the job measure the signed amount (the results target)
ACTUAL_OF = {"signed_amount": "signed", "collections": "collected", "effective_visits": "visits"}
ALERT_KIND = "target_intervention"


class InvalidHealthInput(UserError):
    """A year, month or target kind target health cannot be computed for; ``field`` names it."""


# ---- the pure part ----------------------------------------------------------------------------------

def deviation_rate(actual: float | None, target: float | None) -> float | None:
    """(actual − target) ÷ target in %; None without a positive target."""
    if target is None or pd.isna(target) or target <= 0:
        return None
    return 100.0 * (float(actual or 0.0) - target) / target


def achievement(actual: float | None, target: float | None) -> float | None:
    """actual ÷ target in % (not capped), rounded to 0.1 so that the figure a person sees and its
    light agree; None without a positive target."""
    if target is None or pd.isna(target) or target <= 0:
        return None
    return round(100.0 * float(actual or 0.0) / target, 1)


def coverage(pipeline: float, remaining: float | None) -> float | None:
    """Weighted pipeline ÷ the target still to reach, in %, rounded to 0.1; None when nothing remains
    (or no target)."""
    if remaining is None or remaining <= 0:
        return None
    return round(100.0 * pipeline / remaining, 1)


def below_for(rates: list[float | None], below: float) -> bool:
    """True when every rate is known and below ``below`` (exactly at it is not below)."""
    return bool(rates) and all(r is not None and r < below for r in rates)


def stage_weights(settings: dict) -> dict[str, float]:
    return {s: float(settings[f"target_pipeline_weight_{s}"]) for s in STAGES}


# ---- inputs --------------------------------------------------------------------------------------------

def _month(month: Any, now: datetime) -> tuple[datetime, datetime]:
    try:
        start, end = sc.parse_month(month)
    except UserError:
        raise InvalidHealthInput("health.err.month", "month") from None
    if start > now:
        raise InvalidHealthInput("health.err.month_future", "month", month=month)
    return start, end


def _kind(kind: Any) -> str:
    if kind not in TARGET_KINDS:
        raise InvalidHealthInput("health.err.kind", "kind")
    return kind


def _reps(scope: Scope, session: Session) -> list[tuple[int, int, str, str]]:
    """(id, team id, name, team name) of the active reps of a team in scope, by team and name."""
    stmt = (select(User.id, User.team_id, User.display_name, Team.name)
            .join(Team, Team.id == User.team_id)
            .where(User.role == "rep", User.active.is_(True)).order_by(Team.name, User.display_name, User.id))
    return [(int(r[0]), int(r[1]), r[2], r[3]) for r in session.execute(scope.apply(stmt, User.id, User.team_id))]


def _teams(scope: Scope, session: Session) -> dict[int, str]:
    """The teams a caller sees as teams (none for a rep)."""
    if scope.own_only:
        return {}
    stmt = select(Team.id, Team.name).order_by(Team.name)
    if scope.team_ids is not None:
        stmt = stmt.where(Team.id.in_(sorted(scope.team_ids)) if scope.team_ids else Team.id.is_(None))
    return {int(i): n for i, n in session.execute(stmt)}


def _team_month_targets(scope: Scope, session: Session, months: list[str], kind: str) -> dict[tuple[int, str], float]:
    """(team id, month) → the team's target (its own row, else the sum of its reps')."""
    out = {}
    if scope.own_only:
        return out
    for m in months:
        df = tg.team_targets(COMPANY if scope.sees_all else scope, session, m)
        for r in df.itertuples():
            value = getattr(r, kind)
            if not pd.isna(value):
                out[(int(r.team_id), m)] = float(value)
    return out


def _rep_scope(rep_id: int, team_id: int) -> Scope:
    return Scope(rep_id, "rep", frozenset([team_id]), own_only=True)


def _months_of(year: int, now: datetime) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13) if datetime(year, m, 1) <= now]


# ---- deviation rate --------------------------------------------------------------------------------

DEVIATION_COLUMNS = ["level", "id", "name", "team", "month", "target", "actual", "deviation", "owner_id"]


@scoped_read
def deviation(scope: Scope, session: Session, year: int, now: datetime, kind: str = HEALTH_KIND) -> pd.DataFrame:
    """Per rep (level 'rep') and team (level 'team', not for reps) and month of ``year`` begun by
    ``now``: target, actual (as the scorecard counts it), deviation = (actual − target) ÷ target in %
    (NaN without a target). owner_id: the rep (NaN for a team)."""
    access.require_page(scope, PAGE)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2999:
        raise InvalidHealthInput("health.err.year", "year")
    kind = _kind(kind)
    months = _months_of(year, now)
    reps = _reps(scope, session)
    teams = _teams(scope, session)
    ids = [r[0] for r in reps]
    team_ids = sorted({r[1] for r in reps})
    windows = [sc.counted(*sc.parse_month(m), now) for m in months]
    acts = sc.actuals(session, ids, team_ids, windows, now)
    rep_t = sc.rep_targets(session, ids, months)
    team_t = _team_month_targets(scope, session, months, kind)
    field = ACTUAL_OF[kind]
    rows = []
    for i, m in enumerate(months):
        team_actual: dict[int, float] = {}
        for rid, tid, name, team in reps:
            actual = float(getattr(acts.get((rid, i), sc.Raw()), field))
            team_actual[tid] = team_actual.get(tid, 0.0) + actual
            target = getattr(rep_t.get((rid, m), sc.Targets()), kind)
            rows.append(("rep", rid, name, team, m, target, actual, deviation_rate(actual, target), rid))
        for tid, team in teams.items():
            target = team_t.get((tid, m))
            actual = team_actual.get(tid, 0.0)
            rows.append(("team", tid, team, team, m, target, actual, deviation_rate(actual, target), None))
    df = pd.DataFrame(rows, columns=DEVIATION_COLUMNS)
    for col in ("target", "actual", "deviation"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df["owner_id"] = pd.to_numeric(df["owner_id"], errors="coerce").astype("Int64")
    df["id"] = df["id"].astype("int64")
    return df


# ---- the health lights ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HealthLight:
    code: str               # achievement / process / resource
    value: float | None     # %, or the PSI
    color: str              # red / yellow / green / grey
    sentence: str


@dataclass(frozen=True)
class Health:
    month: str
    rows: pd.DataFrame               # HEALTH_COLUMNS, one row per rep and team
    overall: tuple[HealthLight, ...]  # the whole view's three lights (a rep: their own)


HEALTH_COLUMNS = ["level", "id", "name", "team", "target", "target_to_date", "actual", "achievement",
                  "achievement_light", "psi", "process_light", "pipeline", "remaining", "coverage", "resource_light",
                  "reason", "owner_id"]


def _pipeline(session: Session, rep_ids: list[int], team_ids: list[int], weights: dict[str, float]) -> dict[int, float]:
    """rep id → the open deals' amount × their stage's weight, summed in SQL."""
    if not rep_ids or not team_ids:
        return {}
    weight = case(*[(Opportunity.stage == s, w) for s, w in weights.items()], else_=0.0)
    rows = session.execute(
        select(Opportunity.owner_id, func.sum(Opportunity.amount * weight))
        .where(Opportunity.owner_id.in_(rep_ids), Opportunity.team_id.in_(team_ids), Opportunity.status == "open")
        .group_by(Opportunity.owner_id)).all()
    return {int(r[0]): float(r[1] or 0) for r in rows}


def _money(x: float | None) -> str:
    return "—" if x is None else f"¥{x:,.0f}"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


@dataclass(frozen=True)
class _Fig:
    target: float | None
    to_date: float | None
    actual: float
    psi: float | None
    pipeline: float
    over: bool  # the month has ended


def _lights(f: _Fig, settings: dict, lang: str) -> tuple[HealthLight, ...]:
    ach = achievement(f.actual, f.to_date)
    a_color = rules.light(ach, settings["health_achievement_red_below"], settings["health_achievement_green_above"])
    a_text = (t(lang, "health.s.no_target") if ach is None else
              t(lang, "health.s.achievement", actual=_money(f.actual), target=_money(f.to_date), pct=_pct(ach)))
    p_color = rules.light(f.psi, settings["health_process_red_below"], settings["health_process_green_above"])
    p_text = t(lang, "health.s.no_psi") if f.psi is None else t(lang, "health.s.psi", psi=_pct(f.psi))
    remaining = None if f.target is None or f.target <= 0 else f.target - f.actual
    cov = coverage(f.pipeline, remaining)
    if remaining is None:
        r_color, r_text = "grey", t(lang, "health.s.no_target")
    elif remaining <= 0:
        r_color, r_text = "green", t(lang, "health.s.met")
    elif f.over:
        r_color, r_text = "grey", t(lang, "health.s.over", remaining=_money(remaining))
    else:
        r_color = rules.light(cov, settings["health_coverage_red_below"], settings["health_coverage_green_above"])
        r_text = t(lang, "health.s.coverage", pipeline=_money(f.pipeline), remaining=_money(remaining), pct=_pct(cov))
    return (HealthLight("achievement", ach, a_color, a_text), HealthLight("process", f.psi, p_color, p_text),
            HealthLight("resource", cov if not f.over else None, r_color, r_text))


def _row(level, id_, name, team, f: _Fig, lights, lang, owner_id) -> dict:
    a, p, r = lights
    reasons = [x.sentence for x in lights if x.color in ("red", "yellow")]
    remaining = None if f.target is None or f.target <= 0 else f.target - f.actual
    return {"level": level, "id": id_, "name": name, "team": team, "target": f.target, "target_to_date": f.to_date,
            "actual": f.actual, "achievement": a.value, "achievement_light": a.color, "psi": f.psi,
            "process_light": p.color, "pipeline": f.pipeline, "remaining": remaining, "coverage": r.value,
            "resource_light": r.color, "reason": " ".join(reasons) or t(lang, "health.s.on_track"),
            "owner_id": owner_id}


def _explain(lang: str, settings: dict, groups: list[tuple[str, float]], misses: str, what: str) -> str | None:
    names, share = holders(groups, settings["explain_share"], settings["explain_max_groups"])
    if not names:
        return None
    key = "explain.one" if len(names) == 1 else "explain.many"
    return t(lang, key, names=t(lang, "list.sep").join(names), share=f"{share * 100:.0f}", misses=misses, what=what)


@scoped_read
def health(scope: Scope, session: Session, month: str, now: datetime, lang: str = "en") -> Health:
    """The three health lights of ``month`` (measured at ``now``) per rep and team in the caller's
    view, each with its sentence, and the view's own three lights, a red or yellow one saying who
    holds most of what is missing."""
    access.require_page(scope, PAGE)
    start, end = _month(month, now)
    settings = rules.all_settings(session)
    reps = _reps(scope, session)
    teams = _teams(scope, session)
    ids = [r[0] for r in reps]
    team_ids = sorted({r[1] for r in reps})
    window = sc.counted(start, end, now)
    acts = sc.actuals(session, ids, team_ids, [window], now)
    rep_t = sc.rep_targets(session, ids, [month])
    team_t = _team_month_targets(scope, session, [month], HEALTH_KIND)
    pipe = _pipeline(session, ids, team_ids, stage_weights(settings))
    over = end <= now
    cut = min(end, now)

    def to_date(target):
        return None if target is None else sc.prorated_target({month: target}, start, cut)

    rows, figs = [], {}
    sums: dict[int, list[float]] = {}
    for rid, tid, name, team in reps:
        actual = float(acts.get((rid, 0), sc.Raw()).signed)
        target = getattr(rep_t.get((rid, month), sc.Targets()), HEALTH_KIND)
        p = psi_mod.month_psi(_rep_scope(rid, tid), session, month, now).value
        f = figs[("rep", rid)] = _Fig(target, to_date(target), actual, p, pipe.get(rid, 0.0), over)
        rows.append(_row("rep", rid, name, team, f, _lights(f, settings, lang), lang, rid))
        s = sums.setdefault(tid, [0.0, 0.0])
        s[0] += actual
        s[1] += pipe.get(rid, 0.0)
    team_rows = []  # the teams first, then their reps
    for tid, team in teams.items():
        actual, pipeline = sums.get(tid, [0.0, 0.0])
        target = team_t.get((tid, month))
        p = psi_mod.month_psi(scope, session, month, now, team_id=tid).value
        f = figs[("team", tid)] = _Fig(target, to_date(target), actual, p, pipeline, over)
        team_rows.append(_row("team", tid, team, team, f, _lights(f, settings, lang), lang, None))
    rows = team_rows + rows
    df = pd.DataFrame(rows, columns=HEALTH_COLUMNS)
    for col in ("target", "target_to_date", "actual", "achievement", "psi", "pipeline", "remaining", "coverage"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df["owner_id"] = pd.to_numeric(df["owner_id"], errors="coerce").astype("Int64")
    return Health(month, df, _overall(scope, session, month, now, lang, settings, figs, reps, teams, over))


def _overall(scope, session, month, now, lang, settings, figs, reps, teams, over) -> tuple[HealthLight, ...]:
    """The view's lights: a rep's own; else every team together, explained by its teams (or, for a
    view of one team, its reps)."""
    if scope.own_only:
        return _lights(figs[("rep", reps[0][0])], settings, lang) if reps else ()
    parts = [figs[("team", tid)] for tid in teams]
    known = [f.target for f in parts if f.target is not None]
    target = sum(known) if known else None
    to_dates = [f.to_date for f in parts if f.to_date is not None]
    total = _Fig(target, sum(to_dates) if to_dates else None, sum(f.actual for f in parts),
                 psi_mod.month_psi(scope, session, month, now).value, sum(f.pipeline for f in parts), over)
    lights = _lights(total, settings, lang)
    groups = ([(teams[tid], figs[("team", tid)]) for tid in teams] if len(teams) > 1
              else [(name, figs[("rep", rid)]) for rid, _, name, _ in reps])
    short = [(n, max((f.to_date or 0.0) - f.actual, 0.0) if f.to_date else 0.0) for n, f in groups]
    uncovered = [(n, max((f.target or 0.0) - f.actual - f.pipeline, 0.0) if f.target else 0.0) for n, f in groups]
    green = settings["health_process_green_above"]
    gap = [(n, max(green - f.psi, 0.0) if f.psi is not None else 0.0) for n, f in groups]
    out = []
    for light, misses, fmt, what in (
            (lights[0], short, _money, t(lang, "health.what.short")),
            (lights[1], gap, lambda x: f"{x:.1f}", t(lang, "health.what.psi", green=f"{green:g}")),
            (lights[2], uncovered, _money, t(lang, "health.what.uncovered"))):
        sentence = light.sentence
        if light.color in ("red", "yellow"):
            why = _explain(lang, settings, misses, fmt(sum(m for _, m in misses)), what)
            sentence = f"{sentence} {why}" if why else sentence
        out.append(HealthLight(light.code, light.value, light.color, sentence))
    return tuple(out)


def health_dict(result: Health) -> dict:
    """The health figures as plain data (for JSON)."""
    rows = result.rows.drop(columns=["owner_id"])
    rows = rows.astype(object).where(rows.notna(), None)
    return {"month": result.month,
            "overall": [{"code": x.code, "value": x.value, "color": x.color, "sentence": x.sentence}
                        for x in result.overall],
            "rows": rows.to_dict(orient="records")}


# ---- the intervention job ------------------------------------------------------------------------------

def _complete_weeks(now: datetime, weeks: int) -> list[tuple[datetime, datetime]]:
    """The last ``weeks`` complete weeks (Monday 00:00 to Monday 00:00) before ``now``, oldest first."""
    return [(s, s + timedelta(weeks=1)) for s, _ in sc.week_windows(now, weeks + 1)[:-1]]


def _week_rates(actual: list[float], monthly: dict[str, float | None], weeks) -> list[tuple[float | None, float, float | None]]:
    out = []
    for a, (s, e) in zip(actual, weeks):
        target = sc.prorated_target(monthly, s, e)
        out.append((achievement(a, target), a, target))
    return out


def target_interventions(session: Session, now: datetime) -> int:
    """Alert the team lead for each rep and team whose week's achievement was below
    health_intervention_below in each of the last health_intervention_weeks complete weeks; returns
    how many alerts it raised (0 on a second run)."""
    settings = rules.all_settings(session)
    below = float(settings["health_intervention_below"])
    n = int(settings["health_intervention_weeks"])
    weeks = _complete_weeks(now, n)
    months = sorted({sc.month_of(m) for s, e in weeks for m in (s, e - timedelta(seconds=1))})
    leads = {int(tid): int(lid) for tid, lid in session.execute(
        select(Team.id, Team.lead_user_id).join(User, User.id == Team.lead_user_id)
        .where(User.active.is_(True)))}
    if not leads:
        return 0
    reps = [r for r in _reps(COMPANY, session) if r[1] in leads]
    ids = [r[0] for r in reps]
    acts = sc.actuals(session, ids, sorted(leads), weeks, now)
    rep_t = sc.rep_targets(session, ids, months)
    team_t = _team_month_targets(COMPANY, session, months, HEALTH_KIND)
    names = dict(session.execute(select(Team.id, Team.name)).all())
    week_key = f"{weeks[-1][0]:%Y-%m-%d}"
    created = 0

    def alert(level: str, id_: int, tid: int, who: str, rates) -> int:
        if not below_for([r for r, _, _ in rates], below):
            return 0
        lead = leads[tid]
        lang = language_of(session, lead)
        detail = t(lang, "list.sep").join(
            t(lang, "health.alert.week", week=f"{s:%Y-%m-%d}", pct=_pct(r), actual=_money(a), target=_money(tg_))
            for (r, a, tg_), (s, _) in zip(rates, weeks))
        message = t(lang, f"health.alert.{level}", who=who, team=names.get(tid, ""), n=n, below=f"{below:g}",
                    detail=detail)
        return int(ensure_alert(session, dedupe_key=f"{ALERT_KIND}:{level}:{id_}:{week_key}", recipient_id=lead,
                                team_id=tid, kind=ALERT_KIND, message=message, now=now,
                                ref_type="user" if level == "rep" else "team", ref_id=id_))

    team_actual: dict[int, list[float]] = {}
    for rid, tid, name, _team in reps:
        actual = [float(acts.get((rid, i), sc.Raw()).signed) for i in range(len(weeks))]
        ta = team_actual.setdefault(tid, [0.0] * len(weeks))
        for i, a in enumerate(actual):
            ta[i] += a
        monthly = {m: getattr(rep_t.get((rid, m), sc.Targets()), HEALTH_KIND) for m in months}
        created += alert("rep", rid, tid, name, _week_rates(actual, monthly, weeks))
    for tid in sorted(leads):
        monthly = {m: team_t.get((tid, m)) for m in months}
        created += alert("team", tid, tid, names.get(tid, ""),
                         _week_rates(team_actual.get(tid, [0.0] * len(weeks)), monthly, weeks))
    return created
