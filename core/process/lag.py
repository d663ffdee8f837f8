"""Logging lag (SPEC §5): the hours between when an activity happened and when it was recorded.

- An activity counts in the period it was *logged* in (cockpit Filters: [start, end] days, region,
  team), so a recent week does not look prompt just because its late entries are not in yet.
- Lag = logged_at − happened_at in hours, 0 when an entry is dated after it was logged.
- Per rep or per team: activities, median and 90th percentile (linear interpolation, as
  percentile_cont), mean, and how many / which share were logged more than ``logging_lag_flag_hours``
  (72 h) late — those are flagged and listed one by one.
- The distribution is a histogram whose buckets (lo, hi] are counted in SQL; the flag threshold is
  always one of the bucket edges, so the flagged buckets hold exactly the flagged activities.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.query import Filters, narrow_to, percentiles
from core.base.models import Activity, Customer, Lead, Team, User
from core.base.errors import UserError
from core.base.scope import Scope, scoped_read
from core.base.sqlfn import hours_between

BY = ("rep", "team")
BASE_EDGES = (1.0, 4.0, 24.0, 48.0, 72.0, 168.0)  # hours: an hour, a morning, 1, 2, 3 days, a week; + the flag


class InvalidLagInput(UserError):
    """A grouping the logging lag does not know; ``field`` names it."""


def _lag():
    raw = hours_between(Activity.logged_at, Activity.happened_at)
    return case((raw < 0, 0.0), else_=raw)


def _base(scope: Scope, filters: Filters, *columns):
    stmt = select(*columns).select_from(Activity).where(Activity.logged_at >= filters.start_dt,
                                                        Activity.logged_at < filters.end_dt)
    return narrow_to(stmt, scope, filters, Activity.owner_id, Activity.team_id)


@dataclass(frozen=True)
class LagSummary:
    activities: int
    median_hours: float | None
    p90_hours: float | None
    mean_hours: float | None
    flagged: int              # logged more than flag_hours late
    flag_hours: float

    @property
    def flagged_share(self) -> float | None:
        """0–1; None without activities."""
        return self.flagged / self.activities if self.activities else None


def _stats(scope: Scope, session: Session, filters: Filters, key, flag: float) -> pd.DataFrame:
    """grp, activities, mean_hours, flagged, median_hours, p90_hours per value of ``key``."""
    lag = _lag()
    rows = _base(scope, filters, key.label("grp"), lag.label("days")).subquery()  # "days": percentiles' column
    agg = session.execute(select(rows.c.grp, func.count().label("n"), func.avg(rows.c.days).label("mean"),
                                 func.sum(case((rows.c.days > flag, 1), else_=0)).label("flagged"))
                          .group_by(rows.c.grp)).all()
    pct = percentiles(session, rows, qs=(0.5, 0.9))
    return pd.DataFrame([(r.grp, int(r.n), float(r.mean), int(r.flagged or 0),
                          pct[r.grp][1][0.5] if r.grp in pct else None, pct[r.grp][1][0.9] if r.grp in pct else None)
                         for r in agg],
                        columns=["grp", "activities", "mean_hours", "flagged", "median_hours", "p90_hours"])


@scoped_read
def lag_summary(scope: Scope, session: Session, filters: Filters) -> LagSummary:
    """The logging lag of every activity logged in the period, in the caller's view."""
    flag = rules.get(session, "logging_lag_flag_hours")
    df = _stats(scope, session, filters, literal(0), flag)
    if df.empty:
        return LagSummary(0, None, None, None, 0, flag)
    r = df.iloc[0]
    return LagSummary(int(r.activities), _round(r.median_hours), _round(r.p90_hours), _round(r.mean_hours),
                      int(r.flagged), flag)


def _round(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


@scoped_read
def lag_by_group(scope: Scope, session: Session, filters: Filters, by: str = "rep") -> pd.DataFrame:
    """Per rep (with their team) or per team: name, team, activities, median_hours, p90_hours,
    mean_hours, flagged, flagged_share (0–1), owner_id (reps only); the latest loggers first (the
    largest flagged share, then the slowest 90th percentile and median)."""
    if by not in BY:
        raise InvalidLagInput("lag.err.by", "by")
    flag = rules.get(session, "logging_lag_flag_hours")
    key = Activity.owner_id if by == "rep" else Activity.team_id
    df = _stats(scope, session, filters, key, flag)
    ids = [int(g) for g in df["grp"].dropna()]
    if by == "rep":
        names = {r.id: (r.display_name, r.team) for r in session.execute(
            select(User.id, User.display_name, Team.name.label("team")).outerjoin(Team, Team.id == User.team_id)
            .where(User.id.in_(ids)))} if ids else {}
    else:
        names = {r.id: (r.name, r.name) for r in session.execute(select(Team.id, Team.name).where(Team.id.in_(ids)))} \
            if ids else {}
    df["name"] = df["grp"].map(lambda g: names.get(g, ("—", "—"))[0])
    df["team"] = df["grp"].map(lambda g: names.get(g, ("—", "—"))[1])
    df["flagged_share"] = df["flagged"] / df["activities"]
    for col in ("median_hours", "p90_hours", "mean_hours"):
        df[col] = df[col].astype(float).round(1)
    df = df.sort_values(["flagged_share", "p90_hours", "median_hours", "name"], ascending=[False, False, False, True],
                        ignore_index=True)
    cols = ["name", "team", "activities", "median_hours", "p90_hours", "mean_hours", "flagged", "flagged_share"]
    if by == "rep":
        df["owner_id"] = df["grp"].astype("Int64")
        cols.append("owner_id")
    else:
        df = df.drop(columns=["team"])
        cols.remove("team")
    out = df[cols].reset_index(drop=True)
    out.attrs["by"] = by
    return out


def default_by(scope: Scope) -> str:
    """How the lag table groups at first: by rep when the caller's view is one team of several reps
    (a lead of one team), else by team."""
    one_team = not scope.own_only and scope.team_ids is not None and len(scope.team_ids) == 1
    return "rep" if one_team else "team"


def bucket_edges(flag_hours: float) -> tuple[float, ...]:
    """The histogram's inner edges in hours, the flag threshold among them."""
    return tuple(sorted(set(BASE_EDGES) | {float(flag_hours)}))


@scoped_read
def lag_histogram(scope: Scope, session: Session, filters: Filters) -> pd.DataFrame:
    """The distribution: one row per bucket (lo_hours, hi_hours] — the first from 0 inclusive, the
    last open-ended (hi NaN) — with its activities and whether it lies beyond the flag threshold."""
    flag = rules.get(session, "logging_lag_flag_hours")
    edges = bucket_edges(flag)
    lag = _lag()
    bucket = case(*((lag <= edge, i) for i, edge in enumerate(edges)), else_=len(edges))
    rows = _base(scope, filters, bucket.label("bucket")).subquery()
    counts = dict(session.execute(select(rows.c.bucket, func.count()).group_by(rows.c.bucket)).all())
    lows = (0.0, *edges)
    highs = (*edges, float("nan"))
    return pd.DataFrame({
        "bucket": range(len(lows)),
        "lo_hours": lows,
        "hi_hours": highs,
        "activities": [int(counts.get(i, 0)) for i in range(len(lows))],
        "flagged": [lo >= flag for lo in lows],
    })


@scoped_read
def flagged_activities(scope: Scope, session: Session, filters: Filters, limit: int = 500) -> pd.DataFrame:
    """Activities logged in the period more than logging_lag_flag_hours after they happened, the
    latest-logged first: id, kind, customer, owner, team, happened_at, logged_at, lag_hours, owner_id."""
    flag = rules.get(session, "logging_lag_flag_hours")
    owner = aliased(User)
    lag = _lag()
    stmt = (_base(scope, filters, Activity.id.label("id"), Activity.kind.label("kind"),
                  func.coalesce(Customer.name, Lead.company).label("customer"), owner.display_name.label("owner"),
                  Team.name.label("team"), Activity.happened_at.label("happened_at"),
                  Activity.logged_at.label("logged_at"), lag.label("lag_hours"), Activity.owner_id.label("owner_id"))
            .outerjoin(Customer, Customer.id == Activity.customer_id)
            .outerjoin(Lead, Lead.id == Activity.lead_id)
            .outerjoin(owner, owner.id == Activity.owner_id)
            .outerjoin(Team, Team.id == Activity.team_id)
            .where(lag > flag)
            .order_by(Activity.logged_at.desc(), Activity.id.desc())
            .limit(max(1, min(int(limit), 5000))))
    df = pd.read_sql(stmt, session.connection())
    for col in ("happened_at", "logged_at"):
        df[col] = pd.to_datetime(df[col])
    df["lag_hours"] = df["lag_hours"].astype(float).round(1)
    return df
