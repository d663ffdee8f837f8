"""The sales funnel (SPEC §4): stage counts, conversion, time in stage, win rate, stalled deals,
and the opportunities and timeline behind a stage. Everything aggregates in SQL over
``opportunities`` and ``stage_history``; activities are read only for one opportunity's timeline.

Definitions (the same on the page, in the CLI and in the tests):

- **Entered stage k in the period**: an opportunity with a stay in k whose ``entered_at`` falls in
  the period (counted once, from its first such entry).
- **Conversion k → k+1** of those opportunities = moved on ÷ (moved on + lost + stalled in k):
  *moved on* — after that entry the deal entered any later stage or was won; a deal that skips a
  stage (proposal → contract signed) moved on from the stage it was in, and the skipped stage
  counts nothing because it was never entered; a deal that went back and forward again still
  moved on. *Lost* — it never got past k and is lost. *Stalled in k* — it never got past k, is
  open, sits in k now and has been there longer than k's upper bound. Anything else (open inside
  the normal dwell time, or open after going back to an earlier stage) is not decided and counts
  nowhere. The last stage's "next stage" is won.
- **Days in stage**: median and 90th percentile (linear interpolation, as percentile_cont) of the
  completed stays that *ended* in the period; open stays (deals in the stage now) are shown apart.
- **Win rate** = won ÷ (won + lost) over the deals closed in the period; **days to win** runs from
  a deal's first stage entry to its close.
- **Stalled deal**: open, and in its current stage for *more* than the stage's upper bound
  (exactly at the bound is not stalled). Stalled deals and open stays are as of ``now``: the period
  does not apply to them, every other filter does.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.access import require_page
from core.base.query import Filters, narrow_to, percentiles
from core.base.errors import UserError
from core.base.models import Activity, Customer, Opportunity, Region, StageHistory, Team, User
from core.base.vocabulary import LOST, STAGES, WON
from core.base.scope import Scope, scoped_read
from core.base.sqlfn import hours_between

RANK = {stage: i for i, stage in enumerate(STAGES)} | {WON: len(STAGES)}
GROUPINGS = ("region", "team", "rep", "product", "source", "customer_type")
PEOPLE_GROUPINGS = ("region", "team", "rep")  # groupings by the organisation: not for a rep's own funnel
MAX_PERIOD_DAYS = 366


class InvalidFunnelInput(UserError):
    """A filter, stage or grouping the funnel cannot use; ``field`` names it."""


# ---- filters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FunnelFilters(Filters):
    """[start, end] days inclusive, and optional narrowing: region, team, rep (owner), product,
    customer type and lead source (the opportunity's source channel)."""
    owner_id: int | None = None
    product: str | None = None
    customer_type: str | None = None
    source: str | None = None

    def __post_init__(self):
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise InvalidFunnelInput("funnel.err.period", "period")
        if self.end < self.start:
            raise InvalidFunnelInput("funnel.err.period_order", "period")
        if (self.end - self.start).days + 1 > MAX_PERIOD_DAYS:
            raise InvalidFunnelInput("funnel.err.period_long", "period", days=MAX_PERIOD_DAYS)

    @classmethod
    def last_days(cls, today: date, days: int, **narrow) -> "FunnelFilters":
        return cls(today - timedelta(days=days - 1), today, **narrow)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "FunnelFilters":
        """The period of equal length just before this one, with the same narrowing."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))


def narrow_deals(stmt, scope: Scope, f: FunnelFilters):
    """The caller's scope and the filters (which only narrow it), over Opportunity's columns."""
    o = Opportunity
    stmt = narrow_to(stmt, scope, f, o.owner_id, o.team_id)
    if f.owner_id is not None:
        stmt = stmt.where(o.owner_id == f.owner_id)
    if f.product:
        stmt = stmt.where(o.product == f.product)
    if f.source:
        stmt = stmt.where(o.source_channel == f.source)
    if f.customer_type:
        stmt = stmt.where(o.customer_id.in_(select(Customer.id).where(Customer.customer_type == f.customer_type)))
    return stmt


def check_stage(stage: str) -> str:
    if stage not in STAGES:
        raise InvalidFunnelInput("funnel.err.stage", "stage", stage=str(stage)[:40])
    return stage


def bounds(settings: dict) -> dict[str, tuple[int, int]]:
    """Each stage's standard dwell time (lower, upper) in days, from the settings."""
    return {s: (settings[f"stage_min_days_{s}"], settings[f"stage_max_days_{s}"]) for s in STAGES}


def _rank(col):
    return case(RANK, value=col, else_=None)


def past_bound(stage_col, entered_col, now: datetime, upper: dict[str, int]):
    """True where a stay in ``stage_col`` entered at ``entered_col`` has lasted *more* than its
    stage's upper bound at ``now`` (compared as timestamps: exact at the bound)."""
    return or_(*(and_(stage_col == s, entered_col < now - timedelta(days=upper[s])) for s in STAGES))


def _days(later, earlier):
    return hours_between(later, earlier) / 24.0


# ---- the funnel ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StageFigures:
    stage: str
    entered: int            # opportunities that entered the stage in the period
    value: float            # their amount
    moved_on: int
    lost: int
    stalled: int            # still in the stage, past its upper bound
    undecided: int          # inside the normal dwell time (or gone back): counted nowhere
    conversion: float | None  # % moved on of the decided; None while nothing is decided
    stays: int              # completed stays that ended in the period
    median_days: float | None
    p90_days: float | None
    min_days: int           # standard range
    max_days: int
    open_now: int           # open deals in the stage now
    open_stalled: int       # … of which past the upper bound
    open_median_days: float | None

    @property
    def decided(self) -> int:
        return self.moved_on + self.lost + self.stalled

    @property
    def slow(self) -> bool:
        """The median completed stay is longer than the standard's upper bound."""
        return self.median_days is not None and self.median_days > self.max_days


@dataclass(frozen=True)
class Funnel:
    start: date
    end: date
    stages: tuple[StageFigures, ...]
    won: int
    lost: int
    win_rate: float | None      # %, over deals closed in the period
    won_value: float
    days_to_win_median: float | None
    days_to_win_mean: float | None
    stalled_now: int

    def stage(self, stage: str) -> StageFigures:
        return next(s for s in self.stages if s.stage == stage)


def _entries(scope: Scope, f: FunnelFilters, stage: str | None = None):
    """(opp_id, stage, entered_at): each opportunity's first entry into each stage in the period."""
    h = StageHistory
    stmt = (select(h.opportunity_id.label("opp_id"), h.stage.label("stage"), func.min(h.entered_at).label("entered_at"))
            .join(Opportunity, Opportunity.id == h.opportunity_id)
            .where(h.stage.in_([stage] if stage else STAGES), h.entered_at >= f.start_dt, h.entered_at < f.end_dt)
            .group_by(h.opportunity_id, h.stage))
    return narrow_deals(stmt, scope, f).subquery("entries")


def outcomes(scope: Scope, f: FunnelFilters, now: datetime, upper: dict[str, int], stage: str | None = None):
    """Per entry: opp_id, stage, entered_at, and one of 'moved_on', 'lost', 'stalled', 'undecided'
    (the outcome as of ``now``)."""
    e = _entries(scope, f, stage)
    later = aliased(StageHistory)
    progressed = (select(e.c.opp_id, e.c.stage, e.c.entered_at,
                         func.max(case((_rank(later.stage) > _rank(e.c.stage), 1), else_=0)).label("moved"),
                         func.max(case((later.stage == LOST, 1), else_=0)).label("lost"))
                  .select_from(e)
                  .outerjoin(later, and_(later.opportunity_id == e.c.opp_id, later.entered_at >= e.c.entered_at))
                  .group_by(e.c.opp_id, e.c.stage, e.c.entered_at)).subquery("progressed")
    o = Opportunity
    moved = or_(progressed.c.moved == 1, o.status == WON)
    outcome = case(
        (moved, "moved_on"),
        (or_(progressed.c.lost == 1, o.status == LOST), "lost"),
        (and_(o.status == "open", o.stage == progressed.c.stage,
              past_bound(o.stage, o.stage_entered_at, now, upper)), "stalled"),
        else_="undecided")
    return progressed, outcome


@scoped_read
def funnel(scope: Scope, session: Session, filters: FunnelFilters, now: datetime) -> Funnel:
    """Every figure of the funnel page for the period (see the module's definitions)."""
    settings = rules.all_settings(session)
    rng = bounds(settings)
    upper = {s: hi for s, (_, hi) in rng.items()}
    o = Opportunity

    progressed, outcome = outcomes(scope, filters, now, upper)
    counted = (select(progressed.c.stage.label("stage"), outcome.label("outcome"), o.amount.label("amount"))
               .join(o, o.id == progressed.c.opp_id)).subquery()
    rows = session.execute(select(counted.c.stage, counted.c.outcome, func.count().label("n"),
                                  func.coalesce(func.sum(counted.c.amount), 0).label("value"))
                           .group_by(counted.c.stage, counted.c.outcome)).all()
    counts = {(r.stage, r.outcome): (int(r.n), float(r.value)) for r in rows}

    h = StageHistory
    done = (select(h.stage.label("grp"), _days(h.left_at, h.entered_at).label("days"))
            .join(o, o.id == h.opportunity_id)
            .where(h.stage.in_(STAGES), h.left_at.is_not(None), h.left_at >= filters.start_dt,
                   h.left_at < filters.end_dt))
    done_pct = percentiles(session, narrow_deals(done, scope, filters).subquery())

    open_q = (select(o.stage.label("grp"), _days(literal(now), o.stage_entered_at).label("days"))
              .where(o.status == "open"))
    open_pct = percentiles(session, narrow_deals(open_q, scope, filters).subquery(), qs=(0.5,))
    stalled_rows = session.execute(narrow_deals(
        select(o.stage, func.count()).where(o.status == "open", past_bound(o.stage, o.stage_entered_at, now, upper))
        .group_by(o.stage), scope, filters)).all()
    stalled_now = {s: int(n) for s, n in stalled_rows}

    stages = []
    for s in STAGES:
        n = {k: counts.get((s, k), (0, 0.0))[0] for k in ("moved_on", "lost", "stalled", "undecided")}
        value = sum(counts.get((s, k), (0, 0.0))[1] for k in ("moved_on", "lost", "stalled", "undecided"))
        decided = n["moved_on"] + n["lost"] + n["stalled"]
        stays, pct = done_pct.get(s, (0, {}))
        open_n, open_q_ = open_pct.get(s, (0, {}))
        stages.append(StageFigures(
            s, sum(n.values()), value, n["moved_on"], n["lost"], n["stalled"], n["undecided"],
            100.0 * n["moved_on"] / decided if decided else None,
            stays, pct.get(0.5), pct.get(0.9), rng[s][0], rng[s][1],
            open_n, stalled_now.get(s, 0), open_q_.get(0.5)))

    won, lost, won_value = _closed(scope, session, filters)
    median, mean = _days_to_win(scope, session, filters)
    return Funnel(filters.start, filters.end, tuple(stages), won, lost,
                  100.0 * won / (won + lost) if won + lost else None, won_value, median, mean,
                  sum(stalled_now.values()))


def _closed(scope: Scope, session: Session, f: FunnelFilters) -> tuple[int, int, float]:
    o = Opportunity
    stmt = select(func.coalesce(func.sum(case((o.status == WON, 1), else_=0)), 0),
                  func.coalesce(func.sum(case((o.status == LOST, 1), else_=0)), 0),
                  func.coalesce(func.sum(case((o.status == WON, o.amount), else_=0)), 0)
                  ).where(o.status.in_((WON, LOST)), o.closed_at >= f.start_dt, o.closed_at < f.end_dt)
    won, lost, value = session.execute(narrow_deals(stmt, scope, f)).one()
    return int(won), int(lost), float(value)


def _days_to_win(scope: Scope, session: Session, f: FunnelFilters) -> tuple[float | None, float | None]:
    """(median, mean) days from the first stage entry to the close, of deals won in the period."""
    o, h = Opportunity, StageHistory
    first = (select(h.opportunity_id.label("opp_id"), func.min(h.entered_at).label("first_at"))
             .where(h.stage.in_(STAGES)).group_by(h.opportunity_id).subquery())
    stmt = (select(literal(WON).label("grp"), _days(o.closed_at, first.c.first_at).label("days"))
            .join(first, first.c.opp_id == o.id)
            .where(o.status == WON, o.closed_at >= f.start_dt, o.closed_at < f.end_dt))
    wins = narrow_deals(stmt, scope, f).subquery()
    mean = session.scalar(select(func.avg(wins.c.days)))
    _, pct = percentiles(session, wins, qs=(0.5,)).get(WON, (0, {}))
    return pct.get(0.5), (None if mean is None else float(mean))


def groupings(scope: Scope) -> tuple[str, ...]:
    """The groupings the caller may see win rates by: a rep, whose funnel is their own, not by the
    organisation's regions, teams or reps."""
    return tuple(g for g in GROUPINGS if not (scope.own_only and g in PEOPLE_GROUPINGS))


@scoped_read
def win_rates(scope: Scope, session: Session, filters: FunnelFilters, by: str) -> pd.DataFrame:
    """Win rate per group of the deals closed in the period: group, won, lost, win_rate (% or NA),
    won_value; ``by`` is one of GROUPINGS."""
    require_page(scope, "funnel")
    if by not in GROUPINGS:
        raise InvalidFunnelInput("funnel.err.grouping", "by", by=str(by)[:40])
    o = Opportunity
    key = {"region": Region.name, "team": Team.name, "rep": User.display_name, "product": o.product,
           "source": o.source_channel, "customer_type": Customer.customer_type}[by]
    stmt = (select(key.label("group"),
                   func.sum(case((o.status == WON, 1), else_=0)).label("won"),
                   func.sum(case((o.status == LOST, 1), else_=0)).label("lost"),
                   func.coalesce(func.sum(case((o.status == WON, o.amount), else_=0)), 0).label("won_value"))
            .join(Team, Team.id == o.team_id).join(Region, Region.id == Team.region_id)
            .join(User, User.id == o.owner_id).join(Customer, Customer.id == o.customer_id)
            .where(o.status.in_((WON, LOST)), o.closed_at >= filters.start_dt, o.closed_at < filters.end_dt)
            .group_by(key).order_by(key))
    rows = session.execute(narrow_deals(stmt, scope, filters)).all()
    df = pd.DataFrame([(r.group or "—", int(r.won), int(r.lost), float(r.won_value)) for r in rows],
                      columns=["group", "won", "lost", "won_value"])
    df["win_rate"] = (100.0 * df["won"] / (df["won"] + df["lost"])).where(df["won"] + df["lost"] > 0)
    return df


# ---- the records behind the figures ----------------------------------------------------------

_DEAL_COLUMNS = ["id", "name", "customer", "owner", "team", "amount", "stage", "status", "days_in_stage",
                 "stalled", "owner_id"]


def _deal_select(now: datetime, upper: dict[str, int]):
    o = Opportunity
    is_open = o.status == "open"
    return (select(o.id.label("id"), o.name.label("name"), Customer.name.label("customer"),
                   User.display_name.label("owner"), Team.name.label("team"), o.amount.label("amount"),
                   o.stage.label("stage"), o.status.label("status"),
                   case((is_open, _days(literal(now), o.stage_entered_at)), else_=None).label("days_in_stage"),
                   case((and_(is_open, past_bound(o.stage, o.stage_entered_at, now, upper)), True),
                        else_=False).label("stalled"),
                   o.owner_id.label("owner_id"))
            .join(Customer, Customer.id == o.customer_id).join(User, User.id == o.owner_id)
            .join(Team, Team.id == o.team_id))


def _frame(session: Session, stmt) -> pd.DataFrame:
    df = pd.read_sql(stmt, session.connection())
    df["amount"] = df["amount"].astype(float)
    df["days_in_stage"] = pd.to_numeric(df["days_in_stage"]).astype(float).round(1)
    df["stalled"] = df["stalled"].astype(bool)
    return df


@scoped_read
def stage_deals(scope: Scope, session: Session, stage: str, filters: FunnelFilters, now: datetime,
                limit: int = 1000) -> pd.DataFrame:
    """The opportunities behind a stage's figures: those that entered ``stage`` in the period, with
    their outcome for it (moved_on / lost / stalled / undecided), owner, current stage, days in it
    and the stalled flag; stalled first, then longest in stage."""
    require_page(scope, "funnel")
    check_stage(stage)
    upper = {s: hi for s, (_, hi) in bounds(rules.all_settings(session)).items()}
    progressed, outcome = outcomes(scope, filters, now, upper, stage)
    stmt = (_deal_select(now, upper).add_columns(outcome.label("outcome"))
            .join(progressed, progressed.c.opp_id == Opportunity.id)
            .order_by(case((outcome == "stalled", 0), else_=1), Opportunity.stage_entered_at, Opportunity.id)
            .limit(limit))
    return _frame(session, stmt)[[*_DEAL_COLUMNS[:-1], "outcome", "owner_id"]]


@scoped_read
def stalled_deals(scope: Scope, session: Session, filters: FunnelFilters, now: datetime,
                  limit: int = 1000) -> pd.DataFrame:
    """Open deals in their current stage for longer than its upper bound, as of ``now`` (the period
    does not apply): the deal, owner, stage, days in stage, the bound and days over; longest over
    first (at most ``limit``; ``attrs["total"]`` says how many there are)."""
    upper = {s: hi for s, (_, hi) in bounds(rules.all_settings(session)).items()}
    o = Opportunity
    stalled = and_(o.status == "open", past_bound(o.stage, o.stage_entered_at, now, upper))
    total = session.scalar(narrow_deals(select(func.count()).select_from(o).where(stalled), scope, filters))
    stmt = narrow_deals(_deal_select(now, upper).where(stalled), scope, filters)
    # longest over first: the bound differs per stage, so order by how far the stay ends past it
    over = _days(literal(now), o.stage_entered_at) - case(upper, value=o.stage, else_=0)
    df = _frame(session, stmt.order_by(over.desc(), o.id).limit(limit))
    df["max_days"] = df["stage"].map(upper).astype("Int64")
    df["days_over"] = (df["days_in_stage"] - df["max_days"].astype(float)).round(1)
    df = df.sort_values(["days_over", "id"], ascending=[False, True], ignore_index=True)
    df = df[[c for c in _DEAL_COLUMNS if c != "owner_id"] + ["max_days", "days_over", "owner_id"]]
    df.attrs["total"] = int(total or 0)
    return df


@dataclass(frozen=True)
class Timeline:
    """One opportunity: its header (a one-row DataFrame of the deal columns, with product, source,
    stage_entered_at, team_id, ``version`` — to send back with a stage move — and max_days, its current
    stage's upper bound), and its events, oldest first: at, kind ('stage' or an activity kind), stage,
    days (a stay's length), by, detail."""
    deal: pd.DataFrame
    events: pd.DataFrame


@scoped_read
def timeline(scope: Scope, session: Session, opportunity_id: int, now: datetime) -> Timeline | None:
    """One opportunity with its stage moves and activities; None when there is no such opportunity
    in the caller's scope (a rep asking for another rep's deal gets None, as for a missing one)."""
    require_page(scope, "funnel")
    try:
        opp_id = int(opportunity_id)
    except (TypeError, ValueError):
        return None
    upper = {s: hi for s, (_, hi) in bounds(rules.all_settings(session)).items()}
    o = Opportunity
    deal = _frame(session, scope.apply(_deal_select(now, upper).where(o.id == opp_id), o.owner_id, o.team_id)
                  .add_columns(o.product.label("product"), o.source_channel.label("source"),
                               o.stage_entered_at.label("stage_entered_at"), o.customer_id.label("customer_id"),
                               o.team_id.label("team_id"), o.version.label("version")))
    if deal.empty:
        return None
    deal["max_days"] = deal["stage"].map(upper).astype("Int64")
    h, by = StageHistory, aliased(User)
    moves = session.execute(
        select(h.entered_at, h.left_at, h.stage, by.display_name, h.evidence, h.note)
        .outerjoin(by, by.id == h.by_user_id).where(h.opportunity_id == opp_id)
        .order_by(h.entered_at, h.id)).all()
    a, who = Activity, aliased(User)
    # customer_id is indexed: it narrows the activity table before the opportunity test
    acts = session.execute(
        select(a.happened_at, a.kind, who.display_name, a.note)
        .outerjoin(who, who.id == a.owner_id)
        .where(a.customer_id == int(deal["customer_id"].iloc[0]), a.opportunity_id == opp_id)
        .order_by(a.happened_at, a.id)).all()
    # a stay's days: to its end, or so far for the open one; none for the closing won / lost
    events = [(m.entered_at, "stage", m.stage,
               None if m.stage in (WON, LOST) else round(hours_to_days((m.left_at or now) - m.entered_at), 1),
               m.display_name or "", "; ".join(x for x in (m.evidence, m.note) if x)) for m in moves]
    events += [(x.happened_at, x.kind, "", None, x.display_name or "", x.note or "") for x in acts]
    df = pd.DataFrame(events, columns=["at", "kind", "stage", "days", "by", "detail"])
    df["at"] = pd.to_datetime(df["at"])
    df["days"] = df["days"].astype(float)
    df = df.sort_values(["at", "kind"], key=lambda c: c if c.name == "at" else c.ne("stage"),
                        ignore_index=True, kind="stable")
    return Timeline(deal.drop(columns=["customer_id"]), df)


def hours_to_days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400.0


@scoped_read
def filter_options(scope: Scope, session: Session) -> dict[str, list]:
    """What the funnel's filters can offer in the caller's scope: products, customer types,
    sources (sorted) and reps as (id, name) pairs."""
    require_page(scope, "funnel")
    o = Opportunity

    def distinct(col, *joins):
        stmt = select(col).select_from(o)
        for table, on in joins:
            stmt = stmt.join(table, on)
        stmt = scope.apply(stmt.where(col.is_not(None), col != "").distinct(), o.owner_id, o.team_id)
        return sorted(session.scalars(stmt).all())

    reps = session.execute(scope.apply(
        select(User.id, User.display_name).join(o, o.owner_id == User.id).distinct(), o.owner_id, o.team_id)
        .order_by(User.display_name)).all()
    return {"products": distinct(o.product), "sources": distinct(o.source_channel),
            "customer_types": distinct(Customer.customer_type, (Customer, Customer.id == o.customer_id)),
            "reps": [(int(i), n) for i, n in reps]}
