"""The cockpit lights (SPEC §5, §9): 48 h first-response rate and each key step's on-time rate.

A rate counts only what is decided: a lead whose 48 h have passed or that was contacted, a step
instance whose deadline has passed or that is completed. Everything aggregates in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.i18n import t
from core.base.models import Activity, Customer, Lead, ProcessStep, Region, StepInstance, Team, User
from core.base.query import Filters, count_cols, holders, narrow_to, step_parts
from core.base.scope import Scope, scoped_read
from core.base.sqlfn import day_of, hours_between

FIRST_RESPONSE = "first_response"


@dataclass(frozen=True)
class Explanation:
    names: tuple[str, ...]
    share: float  # of all misses, 0–1
    misses: int
    by: str  # "team" or "rep"
    sentence: str


@dataclass(frozen=True)
class Light:
    code: str
    label: str
    rate: float | None  # %, None while nothing is decided
    on_time: int
    decided: int
    color: str
    explanation: Explanation | None = None
    series: tuple[tuple[date, float | None, int], ...] = field(default=())

    @property
    def misses(self) -> int:
        return self.decided - self.on_time


# ---- the two kinds of measured item, as SQL --------------------------------------------------

def _first_response_parts(now: datetime, hours: float):
    """(decided, on_time) boolean expressions for a lead."""
    contacted = Lead.first_contact_at.is_not(None)
    # Decided once the deadline has passed: contact at exactly ``hours`` is still on time.
    decided = or_(contacted, Lead.created_at < now - timedelta(hours=hours))
    on_time = and_(contacted, hours_between(Lead.first_contact_at, Lead.created_at) <= hours)
    return decided, on_time


def _item(code: str, now: datetime, settings: dict):
    """The table, its time column, owner/team columns and (decided, on_time) for one light."""
    if code == FIRST_RESPONSE:
        decided, on_time = _first_response_parts(now, settings["first_response_hours"])
        return Lead, Lead.created_at, Lead.owner_id, Lead.team_id, decided, on_time, None
    decided, on_time = step_parts(now)
    step_filter = StepInstance.step_id == select(ProcessStep.id).where(ProcessStep.code == code).scalar_subquery()
    return (StepInstance, StepInstance.triggered_at, StepInstance.owner_id, StepInstance.team_id,
            decided, on_time, step_filter)


def _base(code, scope, filters, now, settings, columns):
    table, when, owner, team, decided, on_time, extra = _item(code, now, settings)
    stmt = select(*columns(decided, on_time, when, owner, team)).select_from(table)
    stmt = stmt.where(when >= filters.start_dt, when < filters.end_dt)
    if extra is not None:
        stmt = stmt.where(extra)
    return narrow_to(stmt, scope, filters, owner, team), (table, when, owner, team, decided, on_time)


# ---- reads -----------------------------------------------------------------------------------

def light_codes(session: Session) -> list[tuple[str, str, str]]:
    """(code, English name, Chinese name) of every light: first response, then each active step."""
    steps = session.execute(
        select(ProcessStep.code, ProcessStep.name_en, ProcessStep.name_zh)
        .where(ProcessStep.active.is_(True)).order_by(ProcessStep.id)
    ).all()
    hours = f"{rules.get(session, 'first_response_hours'):g}"
    first = (FIRST_RESPONSE, t("en", "light.first_response", hours=hours), t("zh", "light.first_response", hours=hours))
    return [first] + [tuple(r) for r in steps]


def light_label(code: str, session: Session, lang: str, settings: dict | None = None) -> str:
    if code == FIRST_RESPONSE:
        hours = (settings or rules.all_settings(session))["first_response_hours"]
        return t(lang, "light.first_response", hours=f"{hours:g}")
    for c, en, zh in light_codes(session):
        if c == code:
            return zh if lang == "zh" else en
    raise KeyError(code)


@scoped_read
def rate(scope: Scope, session: Session, code: str, filters: Filters, now: datetime) -> tuple[int, int]:
    """(on_time, decided) for one light over the period."""
    settings = rules.all_settings(session)
    stmt, _ = _base(code, scope, filters, now, settings, lambda d, o, *_: count_cols(d, o))
    decided, on_time = session.execute(stmt).one()
    return int(on_time), int(decided)


@scoped_read
def daily_series(scope: Scope, session: Session, code: str, filters: Filters, now: datetime) -> pd.DataFrame:
    """One row per day of the period: day, decided, on_time, rate (% or NA)."""
    settings = rules.all_settings(session)
    stmt, parts = _base(code, scope, filters, now, settings,
                        lambda d, o, when, *_: (day_of(when).label("day"), *count_cols(d, o)))
    when = parts[1]
    rows = session.execute(stmt.group_by(day_of(when))).all()
    got = {pd.Timestamp(r.day).date(): (int(r.decided), int(r.on_time)) for r in rows}
    days = pd.date_range(filters.start, filters.end, freq="D").date
    data = [(d, *got.get(d, (0, 0))) for d in days]
    df = pd.DataFrame(data, columns=["day", "decided", "on_time"])
    df["rate"] = (100.0 * df["on_time"] / df["decided"]).where(df["decided"] > 0)
    return df


def _group_by_rep(scope: Scope, filters: Filters) -> bool:
    """Explain by rep when the view is one team (or one rep), by team otherwise."""
    return scope.own_only or filters.team_id is not None or (
        scope.team_ids is not None and len(scope.team_ids) == 1)


@scoped_read
def misses_by_group(scope: Scope, session: Session, code: str, filters: Filters, now: datetime) -> pd.DataFrame:
    """Misses (decided but not on time) per team or, inside one team, per rep:
    group_id, name, misses, decided (attrs["by"] says which)."""
    settings = rules.all_settings(session)
    by_rep = _group_by_rep(scope, filters)
    df = _misses_grouped(scope, session, code, filters, now, settings, by_rep)
    if not by_rep and len(df) == 1 and df["group_id"].notna().all():
        # the view holds one team only (e.g. a region with one team): name its reps instead
        df = _misses_grouped(scope, session, code, filters, now, settings, True)
    return df


def _misses_grouped(scope, session, code, filters, now, settings, by_rep: bool) -> pd.DataFrame:
    def cols(decided, on_time, when, owner, team):
        key = owner if by_rep else team
        return (key.label("group_id"),
                func.sum(case((and_(decided, ~on_time), 1), else_=0)).label("misses"),
                func.sum(case((decided, 1), else_=0)).label("decided"))

    stmt, parts = _base(code, scope, filters, now, settings, cols)
    owner, team = parts[2], parts[3]
    stmt = stmt.group_by(owner if by_rep else team)
    rows = session.execute(stmt).all()
    names = _names(session, [r.group_id for r in rows], by_rep)
    df = pd.DataFrame(
        [(r.group_id, names.get(r.group_id, "—"), int(r.misses or 0), int(r.decided or 0)) for r in rows],
        columns=["group_id", "name", "misses", "decided"],
    )
    df = df.sort_values(["misses", "name"], ascending=[False, True], ignore_index=True)
    df.attrs["by"] = "rep" if by_rep else "team"
    return df


def _names(session: Session, ids: list, by_rep: bool) -> dict:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    if by_rep:
        rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    else:
        rows = session.execute(select(Team.id, Team.name).where(Team.id.in_(ids)))
    return dict(rows.all())


def group_names(df: pd.DataFrame, lang: str) -> pd.Series:
    """The names of misses_by_group's groups, the group without a team (or owner) named for what it
    is: leads waiting in the company pool, or in their team's pool."""
    key = "cockpit.no_owner" if df.attrs.get("by") == "rep" else "cockpit.no_team"
    return df["name"].where(df["group_id"].notna(), t(lang, key))


def _explanation(df: pd.DataFrame, settings: dict, lang: str, what: str) -> Explanation | None:
    total = int(df["misses"].sum()) if len(df) else 0
    if total == 0:
        return None
    by = df.attrs.get("by", "team")
    names, share = holders(list(zip(group_names(df, lang), df["misses"])), settings["explain_share"],
                           settings["explain_max_groups"])
    key = "explain.one" if len(names) == 1 else "explain.many"
    sentence = t(lang, key, names=t(lang, "list.sep").join(names), share=f"{share * 100:.0f}", misses=total,
                 what=what)
    return Explanation(names, share, total, by, sentence)


@scoped_read
def lights(scope: Scope, session: Session, filters: Filters, now: datetime, lang: str = "en",
           with_series: bool = True) -> list[Light]:
    """Every cockpit light for the period: rate, colour, its one-sentence explanation, daily series."""
    settings = rules.all_settings(session)
    out = []
    for code, en, zh in light_codes(session):
        on_time, decided = rate(scope, session, code, filters, now)
        pct = 100.0 * on_time / decided if decided else None
        color = rules.light(pct, settings["light_red_below"], settings["light_green_above"])
        label = light_label(code, session, lang, settings)
        explanation = None
        # a red or yellow light says who holds the misses; a rep's own view needs no "who"
        if decided - on_time > 0 and color != "green" and not scope.own_only:
            what = t(lang, "what.late_leads") if code == FIRST_RESPONSE else t(lang, "what.late_steps", step=label)
            explanation = _explanation(misses_by_group(scope, session, code, filters, now), settings, lang, what)
        series = ()
        if with_series:
            s = daily_series(scope, session, code, filters, now)
            series = tuple((r.day, None if pd.isna(r.rate) else float(r.rate), int(r.decided))
                           for r in s.itertuples())
        out.append(Light(code, label, pct, on_time, decided, color, explanation, series))
    return out


@scoped_read
def rates_by_group(scope: Scope, session: Session, filters: Filters, now: datetime, lang: str = "en") -> pd.DataFrame:
    """Who needs help: each team's (or, inside one team, each rep's) on-time rate in % per light.

    One row per group, indexed by its name; one column per light code; worst group first (its
    lowest rate). ``attrs["by"]`` says "team" or "rep"."""
    frames, by = [], "team"
    for code, _en, _zh in light_codes(session):
        df = misses_by_group(scope, session, code, filters, now)
        by = df.attrs.get("by", by)
        rate = (100.0 * (df["decided"] - df["misses"]) / df["decided"]).where(df["decided"] > 0)
        frames.append(pd.Series(rate.to_numpy(dtype="float64"), index=group_names(df, lang), name=code))
    table = pd.concat(frames, axis=1) if frames else pd.DataFrame()
    if not table.empty:
        table = table.sort_index()
        table = table.loc[table.min(axis=1, skipna=True).sort_values(na_position="last").index]
    table.attrs["by"] = by
    return table


@scoped_read
def missed_records(scope: Scope, session: Session, code: str, filters: Filters, now: datetime,
                   limit: int = 1000) -> pd.DataFrame:
    """The records behind a light's misses, newest first, with their owners.

    For first response: the late or never-contacted leads. For a step: the late or missing actions.
    """
    settings = rules.all_settings(session)
    owner_user = aliased(User)
    if code == FIRST_RESPONSE:
        hours = settings["first_response_hours"]
        decided, on_time = _first_response_parts(now, hours)
        waited = hours_between(func.coalesce(Lead.first_contact_at, literal(now)), Lead.created_at)
        stmt = (
            select(Lead.id.label("id"), Lead.company.label("customer"), Lead.grade.label("grade"),
                   Lead.source_channel.label("source"), owner_user.display_name.label("owner"),
                   Team.name.label("team"), Region.name.label("region"),
                   Lead.created_at.label("created_at"), Lead.first_contact_at.label("contacted_at"),
                   waited.label("hours_to_contact"), Lead.owner_id.label("owner_id"))
            .select_from(Lead)
            .outerjoin(owner_user, owner_user.id == Lead.owner_id)
            .outerjoin(Team, Team.id == Lead.team_id).outerjoin(Region, Region.id == Team.region_id)
            .where(Lead.created_at >= filters.start_dt, Lead.created_at < filters.end_dt, decided, ~on_time)
            .order_by(Lead.created_at.desc(), Lead.id.desc())
        )
        stmt = narrow_to(stmt, scope, filters, Lead.owner_id, Lead.team_id)
    else:
        decided, on_time = step_parts(now)
        trigger = aliased(Activity)
        late = hours_between(func.coalesce(StepInstance.completed_at, literal(now)), StepInstance.due_at)
        stmt = (
            select(StepInstance.id.label("id"), func.coalesce(Customer.name, Lead.company).label("customer"),
                   owner_user.display_name.label("owner"), Team.name.label("team"),
                   Region.name.label("region"), StepInstance.triggered_at.label("triggered_at"),
                   StepInstance.due_at.label("due_at"), StepInstance.completed_at.label("completed_at"),
                   late.label("hours_late"), StepInstance.owner_id.label("owner_id"))
            .select_from(StepInstance)
            .join(ProcessStep, ProcessStep.id == StepInstance.step_id)
            .outerjoin(Customer, Customer.id == StepInstance.customer_id)
            # a step triggered on a lead not yet a customer is named by the lead's company
            .outerjoin(trigger, trigger.id == StepInstance.trigger_activity_id)
            .outerjoin(Lead, Lead.id == trigger.lead_id)
            .outerjoin(owner_user, owner_user.id == StepInstance.owner_id)
            .outerjoin(Team, Team.id == StepInstance.team_id).outerjoin(Region, Region.id == Team.region_id)
            .where(ProcessStep.code == code, StepInstance.triggered_at >= filters.start_dt,
                   StepInstance.triggered_at < filters.end_dt, decided, ~on_time)
            .order_by(StepInstance.triggered_at.desc(), StepInstance.id.desc())
        )
        stmt = narrow_to(stmt, scope, filters, StepInstance.owner_id, StepInstance.team_id)
    df = pd.read_sql(stmt.limit(limit), session.connection())
    for col in ("created_at", "contacted_at", "triggered_at", "due_at", "completed_at"):
        if col in df:
            df[col] = pd.to_datetime(df[col])
    for col in ("hours_to_contact", "hours_late"):
        if col in df:
            df[col] = df[col].astype(float).round(1)
    return df
