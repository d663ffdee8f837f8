"""Conversion drop diagnosis (SPEC §4): a stage whose weekly conversion falls more than
``conversion_drop_points`` below its trailing 4-week level, and which segments explain the drop.

Weeks run Monday to Sunday. ``now`` looks at the *last complete week* before it (now on Monday
23 Nov → 16–22 Nov) against its *trailing level*, the four weeks before (19 Oct – 15 Nov).

Conversion is the funnel's (core.funnel.stages): of the deals that entered stage k in a week, moved on ÷
(moved on + lost + stalled in k), each deal's outcome as of ``now``; a deal still inside the stage's
normal dwell time is undecided and counts nowhere, so a recent week does not look like a drop just
because it is recent. The trailing level pools the four weeks (moved on ÷ decided over all four),
so a thin week weighs less than a busy one. A week is judged only when it and the trailing level
each have at least ``conversion_drop_min_decided`` decided deals.

Breakdown — a shift-share decomposition. With D the decided deals, r = moved on ÷ D, and for a
segment s (one customer type, product, team, rep or lead source) its share w_s = D_s ÷ D and its
rate r_s, the overall rate is R = Σ w_s·r_s, and the change splits exactly into segment terms:

    R_now − R_base = Σ_s c_s,   c_s = w_s,now·(r_s,now − r_s,base)  +  (w_s,now − w_s,base)·(r_s,base − R_base)
                                      └ rate: the segment converts worse ┘  └ mix: more of a below-average segment ┘

A segment new this week takes R_base as its r_s,base (its rate term is then its distance from the
level); a segment absent this week keeps only its mix term. Unlike w_now·r_now − w_base·r_base,
a segment whose rate holds at the average contributes nothing however its volume moves. For a
drop (R_now < R_base) the share a segment *explains* is c_s ÷ (R_now − R_base): the shares of one
breakdown sum to exactly 100 %; a segment that improved has a negative share (it offset part of
the drop). The segments *named* are the fewest (at most ``explain_max_groups``) that together
explain at least ``explain_share`` of it; the breakdown whose fewest segments explain most comes
first. SQL does the counting (one GROUP BY per breakdown); Python only does the arithmetic above
over the per-segment counts.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from core.base import jobs, rules
from core.base.i18n import t
from core.base.models import Customer, Opportunity, Team, User
from core.base.query import holders
from core.base.scope import COMPANY, Scope, scoped_read
from core.base.vocabulary import STAGES
from core.funnel import stages
from core.funnel.stages import FunnelFilters

TRAILING_WEEKS = 4
BREAKDOWN_BY = ("product", "customer_type", "team", "rep", "source")
NAMED_BREAKDOWNS = 3  # the breakdowns whose segments a drop's summary names
NEXT = {s: (STAGES[i + 1] if i + 1 < len(STAGES) else stages.WON) for i, s in enumerate(STAGES)}


@dataclass(frozen=True)
class Segment:
    key: str                 # the segment's name ("—" when blank)
    ref_id: int | None       # team or rep id (those breakdowns), else None
    decided_base: int
    moved_base: int
    decided_now: int
    moved_now: int
    rate_base: float | None  # %
    rate_now: float | None   # %
    rate_effect: float       # points of the overall change
    mix_effect: float        # points
    explains: float | None   # % of the overall change (None when it is zero)

    @property
    def contribution(self) -> float:
        """Points of the overall change (negative: pulls the rate down)."""
        return self.rate_effect + self.mix_effect


@dataclass(frozen=True)
class Breakdown:
    by: str                         # one of BREAKDOWN_BY
    segments: tuple[Segment, ...]   # most-explaining first
    named: tuple[str, ...]          # the fewest segments that together explain at least explain_share
    named_share: float              # % of the drop they explain (0 when nothing dropped)
    reaches: bool                   # they reach explain_share within explain_max_groups

    def share_of(self, key: str) -> float | None:
        return next((s.explains for s in self.segments if s.key == key), None)


@dataclass(frozen=True)
class WeekFigures:
    start: date
    decided: int
    moved_on: int

    @property
    def rate(self) -> float | None:
        return 100.0 * self.moved_on / self.decided if self.decided else None


@dataclass(frozen=True)
class StageCheck:
    stage: str
    next_stage: str                 # the stage after it, or won
    week_start: date                # the last complete week, Monday …
    week_end: date                  # … to Sunday
    base_start: date                # the trailing level's first Monday
    weeks: tuple[WeekFigures, ...]  # the trailing weeks, oldest first, then the week itself
    decided_now: int
    moved_now: int
    decided_base: int
    moved_base: int
    min_decided: int
    threshold: float                # points
    breakdowns: tuple[Breakdown, ...] = ()  # best-explaining breakdown first; empty unless a drop (or asked)

    @property
    def rate_now(self) -> float | None:
        return 100.0 * self.moved_now / self.decided_now if self.decided_now else None

    @property
    def rate_base(self) -> float | None:
        return 100.0 * self.moved_base / self.decided_base if self.decided_base else None

    @property
    def enough(self) -> bool:
        return self.decided_now >= self.min_decided and self.decided_base >= self.min_decided

    @property
    def change(self) -> float | None:
        """Points: this week's rate minus the trailing level (None while either is undecided)."""
        if self.rate_now is None or self.rate_base is None:
            return None
        return self.rate_now - self.rate_base

    @property
    def is_drop(self) -> bool:
        return self.enough and self.change is not None and -self.change > self.threshold


def last_complete_week(now: datetime) -> tuple[date, date]:
    """(Monday, Sunday) of the last week that ended before ``now``."""
    monday = now.date() - timedelta(days=now.weekday())
    start = monday - timedelta(days=7)
    return start, start + timedelta(days=6)


def _window(now: datetime, filters: FunnelFilters | None) -> tuple[FunnelFilters, date, date]:
    """The funnel filters over the trailing weeks and the week (the page's period does not apply)."""
    week_start, week_end = last_complete_week(now)
    base_start = week_start - timedelta(weeks=TRAILING_WEEKS)
    f = (FunnelFilters(base_start, week_end) if filters is None
         else replace(filters, start=base_start, end=week_end))
    return f, week_start, base_start


def _week_index(entered_at, base_start: date):
    """0 … TRAILING_WEEKS-1 for the trailing weeks, TRAILING_WEEKS for the week itself (SQL)."""
    starts = [datetime.combine(base_start + timedelta(weeks=i), datetime.min.time())
              for i in range(TRAILING_WEEKS + 1)]
    return case(*((entered_at >= starts[i], i) for i in range(TRAILING_WEEKS, 0, -1)), else_=0)


def _decided_moved(outcome):
    decided = func.sum(case((outcome.in_(("moved_on", "lost", "stalled")), 1), else_=0))
    moved = func.sum(case((outcome == "moved_on", 1), else_=0))
    return decided, moved


def _segment_counts(scope, session, f, now, upper, week_start, stage) -> dict[str, list[tuple]]:
    """{by: [(key, ref_id, decided_base, moved_base, decided_now, moved_now)]} per segment, for
    the deals that entered ``stage``: one statement, the outcomes computed once (a CTE) and counted
    per breakdown with GROUP BY … UNION ALL."""
    progressed, outcome = stages.outcomes(scope, f, now, upper, stage)
    o = Opportunity
    is_now = progressed.c.entered_at >= datetime.combine(week_start, datetime.min.time())
    decided = case((outcome.in_(("moved_on", "lost", "stalled")), 1), else_=0)
    moved = case((outcome == "moved_on", 1), else_=0)
    base = (select(case((is_now, 1), else_=0).label("is_now"), decided.label("decided"), moved.label("moved"),
                   o.product.label("product"), o.source_channel.label("source"),
                   Customer.customer_type.label("customer_type"), o.team_id.label("team_id"),
                   Team.name.label("team"), o.owner_id.label("owner_id"), User.display_name.label("rep"))
            .select_from(progressed).join(o, o.id == progressed.c.opp_id)
            .join(Customer, Customer.id == o.customer_id).join(Team, Team.id == o.team_id)
            .join(User, User.id == o.owner_id)).cte("base")
    no_id = cast(null(), Integer)
    refs = {"team": base.c.team_id, "rep": base.c.owner_id}
    parts = []
    for d in BREAKDOWN_BY:
        ref = refs.get(d, no_id)
        group = [base.c[d]] + ([ref] if d in refs else [])
        parts.append(select(literal(d).label("dim"), base.c[d].label("key"), ref.label("ref"),
                            func.sum(case((base.c.is_now == 1, 0), else_=base.c.decided)).label("decided_base"),
                            func.sum(case((base.c.is_now == 1, 0), else_=base.c.moved)).label("moved_base"),
                            func.sum(case((base.c.is_now == 1, base.c.decided), else_=0)).label("decided_now"),
                            func.sum(case((base.c.is_now == 1, base.c.moved), else_=0)).label("moved_now"))
                     .group_by(*group))
    out: dict[str, list] = {d: [] for d in BREAKDOWN_BY}
    for row in session.execute(union_all(*parts)):
        out[row.dim].append(((row.key or "").strip() or "—", None if row.ref is None else int(row.ref),
                             int(row.decided_base or 0), int(row.moved_base or 0), int(row.decided_now or 0),
                             int(row.moved_now or 0)))
    return out


def decompose(rows: list[tuple], share: float, max_groups: int, by: str) -> Breakdown:
    """The shift-share breakdown (module docstring) of per-segment counts
    ``(key, ref_id, decided_base, moved_base, decided_now, moved_now)``; segments with nothing
    decided on either side are left out (they change nothing)."""
    rows = [r for r in rows if r[2] or r[4]]
    db, mb = sum(r[2] for r in rows), sum(r[3] for r in rows)
    dn, mn = sum(r[4] for r in rows), sum(r[5] for r in rows)
    if not db or not dn:
        return Breakdown(by, (), (), 0.0, False)
    base_level = mb / db
    change = mn / dn - base_level
    segments = []
    for key, ref, d_b, m_b, d_n, m_n in rows:
        w_b, w_n = d_b / db, d_n / dn
        r_b = m_b / d_b if d_b else base_level
        r_n = m_n / d_n if d_n else 0.0
        rate_effect = w_n * (r_n - r_b)
        mix_effect = (w_n - w_b) * (r_b - base_level)
        c = rate_effect + mix_effect
        segments.append(Segment(key, ref, d_b, m_b, d_n, m_n, 100.0 * m_b / d_b if d_b else None,
                                100.0 * m_n / d_n if d_n else None, 100.0 * rate_effect, 100.0 * mix_effect,
                                100.0 * c / change if abs(change) > 1e-12 else None))
    # most-explaining first: for a drop the most negative contribution, for a rise the most positive
    sign = -1.0 if change < 0 else 1.0
    segments.sort(key=lambda s: (-sign * s.contribution, s.key))
    names, held = holders([(s.key, -s.contribution) for s in segments], share, max_groups) if change < 0 else ((), 0.0)
    return Breakdown(by, tuple(segments), names, 100.0 * held, bool(names) and held >= share - 1e-9)


def _order(breakdowns: list[Breakdown]) -> tuple[Breakdown, ...]:
    """The breakdown whose fewest segments explain the drop first: those that reach the share
    within the limit, by fewer named segments, then by the share of their first segment."""
    def rank(b: Breakdown):
        top = b.segments[0].explains if b.segments and b.segments[0].explains is not None else 0.0
        return (not b.reaches, len(b.named) if b.reaches else 99, -top, BREAKDOWN_BY.index(b.by))
    return tuple(sorted(breakdowns, key=rank))


@scoped_read
def conversion_check(scope: Scope, session: Session, now: datetime, filters: FunnelFilters | None = None,
                     explain_all: bool = False) -> tuple[StageCheck, ...]:
    """Every stage's conversion in the last complete week against its trailing 4-week level, in the
    caller's scope (narrowed by ``filters``, whose period does not apply); with the breakdown by
    segment for each drop (for every stage with ``explain_all``)."""
    settings = rules.all_settings(session)
    upper = {s: hi for s, (_, hi) in stages.bounds(settings).items()}
    f, week_start, base_start = _window(now, filters)
    progressed, outcome = stages.outcomes(scope, f, now, upper)
    decided, moved = _decided_moved(outcome)
    week = _week_index(progressed.c.entered_at, base_start).label("week")
    counts = {(r.stage, int(r.week)): (int(r.decided or 0), int(r.moved or 0)) for r in session.execute(
        select(progressed.c.stage, week, decided.label("decided"), moved.label("moved"))
        .select_from(progressed).join(Opportunity, Opportunity.id == progressed.c.opp_id)
        .group_by(progressed.c.stage, week))}
    checks = []
    for s in STAGES:
        weeks = tuple(WeekFigures(base_start + timedelta(weeks=i), *counts.get((s, i), (0, 0)))
                      for i in range(TRAILING_WEEKS + 1))
        base = weeks[:TRAILING_WEEKS]
        checks.append(StageCheck(
            s, NEXT[s], week_start, week_start + timedelta(days=6), base_start, weeks,
            weeks[-1].decided, weeks[-1].moved_on, sum(w.decided for w in base), sum(w.moved_on for w in base),
            settings["conversion_drop_min_decided"], settings["conversion_drop_points"]))
    share, most = settings["explain_share"], settings["explain_max_groups"]
    out = []
    for c in checks:
        if c.is_drop or (explain_all and c.change is not None):
            counts = _segment_counts(scope, session, f, now, upper, week_start, c.stage)
            c = replace(c, breakdowns=_order([decompose(counts[d], share, most, d) for d in BREAKDOWN_BY]))
        out.append(c)
    return tuple(out)


# ---- in words (the page and the alerts) ----------------------------------------------------------

def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def stage_pair(check: StageCheck, lang: str) -> str:
    return t(lang, "diag.pair", stage=t(lang, f"funnel.stage.{check.stage}"),
             next=t(lang, f"funnel.stage.{check.next_stage}"))


def headline(check: StageCheck, lang: str) -> str:
    """One sentence: which conversion fell, from what to what, in which week."""
    return t(lang, "diag.headline", pair=stage_pair(check, lang), start=check.week_start.strftime("%m-%d"),
             end=check.week_end.strftime("%m-%d"), now=_pct(check.rate_now), base=_pct(check.rate_base),
             points=f"{abs(check.change or 0):.0f}", decided=check.decided_now)


def segments_sentence(b: Breakdown, lang: str) -> str:
    """'By product, most of it comes from 耗材 (92%).' — the named segments of one breakdown and their shares."""
    parts = t(lang, "list.sep").join(t(lang, "diag.segment", name=name, share=f"{b.share_of(name) or 0:.0f}")
                                     for name in b.named)
    return t(lang, "diag.by_segments", by=t(lang, f"diag.by.{b.by}"), segments=parts)


def explaining(check: StageCheck, breakdowns: int = NAMED_BREAKDOWNS) -> list[Breakdown]:
    """The best ``breakdowns`` breakdowns that name segments: what a drop's summary says explains it."""
    return [b for b in check.breakdowns if b.named][:breakdowns]


def describe(check: StageCheck, lang: str, breakdowns: int = NAMED_BREAKDOWNS) -> str:
    """The headline and what explains most of the drop (the best ``breakdowns`` breakdowns)."""
    parts = [headline(check, lang)] + [segments_sentence(b, lang) for b in explaining(check, breakdowns)]
    return ("" if lang == "zh" else " ").join(parts)


# ---- run-jobs: alert the directors (and the leads of the teams that explain most) ----------------

def conversion_drop_job(session: Session, now: datetime) -> int:
    """Alert the directors of every stage whose conversion in the last complete week fell more than
    the set points below its trailing 4-week level, naming the segments that explain most; the
    leads of the teams named get it too. Once per stage, week and recipient."""
    checks = [c for c in conversion_check(COMPANY, session, now) if c.is_drop]
    if not checks:
        return 0
    directors = session.scalars(select(User.id).where(User.role == "director", User.active.is_(True))
                                .order_by(User.id)).all()
    created = 0
    for check in checks:
        # the leads of the teams named in the team breakdown, with the share their team explains
        team = next((b for b in check.breakdowns if b.by == "team"), None)
        named = [s for s in team.segments if s.key in team.named and s.ref_id] if team and team.reaches else []
        led: dict[int, list] = {}
        for seg in named:
            lead_id = session.scalar(select(Team.lead_user_id).where(Team.id == seg.ref_id))
            if lead_id:
                led.setdefault(lead_id, []).append(seg)
        for recipient in dict.fromkeys([*directors, *led]):
            lang = jobs.language_of(session, recipient)
            parts = [describe(check, lang)] + [t(lang, "diag.your_team", team=seg.key, share=f"{seg.explains:.0f}")
                                              for seg in led.get(recipient, [])]
            key = f"conv_drop:{check.stage}:{check.week_start:%Y%m%d}:{recipient}"
            created += jobs.ensure_alert(session, dedupe_key=key, recipient_id=recipient, team_id=None,
                                         kind="conversion_drop", message=("" if lang == "zh" else " ").join(parts),
                                         now=now, ref_type="stage", ref_id=STAGES.index(check.stage))
    return created
