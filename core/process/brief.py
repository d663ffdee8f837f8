"""The morning meeting (晨会, SPEC §9): what moved since the previous working day, and the brief.

The brief is about 100 words made by rules and templates from the same data the cockpit shows —
no language model: which lights are red and why, which deals moved most since yesterday, which
collections are due today, who needs help today. Each sentence carries the link to its records
(a page and its query parameters). Everything is read through the reader's scope, so a lead's brief
is about their own teams and a rep's about their own records.

"Since yesterday" is since this time on the previous working day (Monday looks back to Friday).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.base import rules
from core.base.i18n import t
from core.base.models import Contract, Customer, Lead, Opportunity, Payment, StageHistory, Team, User
from core.base.query import Filters
from core.base.scope import Scope, scoped_read
from core.base.vocabulary import LOST, STAGES, WON
from core.cash.collections import money
from core.process import lights as cockpit

MAX_RED = 3      # red lights named in the brief
MAX_DEALS = 2    # deals named in the brief (the largest amounts)
MAX_HELP = 2     # groups named as needing help


def previous_working_day(day: date) -> date:
    """The working day before ``day``: Monday's is Friday, a weekend day's is Friday too."""
    prev = day - timedelta(days=1)
    while prev.weekday() >= 5:
        prev -= timedelta(days=1)
    return prev


def since_of(now: datetime) -> datetime:
    """This time of day on the previous working day."""
    return now - (now.date() - previous_working_day(now.date()))


# ---- what moved since yesterday ----------------------------------------------------------------

@dataclass(frozen=True)
class DealMove:
    id: int
    name: str
    customer: str
    team: str
    owner: str
    amount: float
    from_stage: str
    to_stage: str  # a stage, won or lost
    kind: str  # advanced / slipped / lost
    at: datetime

    @property
    def link(self) -> str:
        return f"funnel?opp={self.id}"


@dataclass(frozen=True)
class RedLight:
    code: str
    label: str
    rate: float | None

    @property
    def link(self) -> str:
        return f"cockpit?light={self.code}"


@dataclass(frozen=True)
class Moved:
    since: datetime
    now: datetime
    advanced: tuple[DealMove, ...] = ()
    slipped: tuple[DealMove, ...] = ()
    lost: tuple[DealMove, ...] = ()
    new_leads: int = 0
    new_red: tuple[RedLight, ...] = ()

    @property
    def deals(self) -> tuple[DealMove, ...]:
        """Every deal that moved, the largest amount first."""
        return tuple(sorted(self.advanced + self.slipped + self.lost, key=lambda m: (-m.amount, m.id)))


def _kind(from_stage: str, to_stage: str) -> str | None:
    if to_stage == LOST:
        return "lost"
    if to_stage == WON:
        return "advanced"
    if from_stage not in STAGES or to_stage not in STAGES or from_stage == to_stage:
        return None
    return "advanced" if STAGES.index(to_stage) > STAGES.index(from_stage) else "slipped"


def _deal_moves(scope: Scope, session: Session, since: datetime, now: datetime) -> list[DealMove]:
    """Each deal in scope whose stage changed in [since, now): from its stage at ``since`` to its
    last one (a deal moved forth and back again did not move)."""
    h, o = StageHistory, Opportunity
    moved = scope.apply(select(h.opportunity_id).join(o, o.id == h.opportunity_id)
                        .where(h.entered_at >= since, h.entered_at < now), o.owner_id, o.team_id)
    rows = session.execute(
        select(h.opportunity_id, h.stage, h.entered_at, o.name, o.amount, o.created_at,
               Customer.name.label("customer"), Team.name.label("team"), User.display_name.label("owner"))
        .join(o, o.id == h.opportunity_id).join(Customer, Customer.id == o.customer_id)
        .join(Team, Team.id == o.team_id).join(User, User.id == o.owner_id)
        .where(h.opportunity_id.in_(moved.scalar_subquery()), h.entered_at < now)
        .order_by(h.opportunity_id, h.entered_at, h.id)).all()
    by_deal: dict[int, list] = {}
    for r in rows:
        by_deal.setdefault(r.opportunity_id, []).append(r)
    out = []
    for deal_id, stays in by_deal.items():
        before = [s for s in stays if s.entered_at < since]
        after = [s for s in stays if s.entered_at >= since]
        if not before:  # created inside the window: it moved from where it started
            before, after = after[:1], after[1:]
        if not after:
            continue
        first, last = before[-1], after[-1]
        kind = _kind(first.stage, last.stage)
        if kind is None:
            continue
        out.append(DealMove(deal_id, last.name, last.customer, last.team, last.owner, float(last.amount or 0),
                            first.stage, last.stage, kind, last.entered_at))
    return out


def _red(scope: Scope, session: Session, day: date, now: datetime, lang: str, days: int) -> list[cockpit.Light]:
    return [light for light in cockpit.lights(scope, session, Filters.last_days(day, days), now, lang,
                                              with_series=False) if light.color == "red"]


@scoped_read
def moved_since_yesterday(scope: Scope, session: Session, now: datetime, lang: str = "en") -> Moved:
    """Deals advanced, slipped or lost since this time on the previous working day, the new leads,
    and the lights red now that were not red then (each computed at its own moment, over the
    cockpit's window ending that day)."""
    since = since_of(now)
    moves = _deal_moves(scope, session, since, now)
    new_leads = scope.apply(select(func.count(Lead.id)).where(Lead.created_at >= since, Lead.created_at < now),
                            Lead.owner_id, Lead.team_id)
    days = int(rules.get(session, "cockpit_window_days"))
    red_then = {light.code for light in _red(scope, session, since.date(), since, lang, days)}
    new_red = tuple(RedLight(light.code, light.label, light.rate)
                    for light in _red(scope, session, now.date(), now, lang, days) if light.code not in red_then)
    pick = lambda kind: tuple(sorted((m for m in moves if m.kind == kind), key=lambda m: (-m.amount, m.id)))  # noqa: E731
    return Moved(since, now, pick("advanced"), pick("slipped"), pick("lost"),
                 int(session.scalar(new_leads) or 0), new_red)


# ---- the brief ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    kind: str  # headline, red_light, all_clear, deal_moved, collections_due, needs_help
    text: str
    link: str  # a page and its query parameters, e.g. "cockpit?light=first_response"

    def markdown(self, base_url: str = "") -> str:
        return f"[{self.text}]({base_url}{self.link})"


@dataclass(frozen=True)
class Brief:
    day: date
    lang: str
    sentences: tuple[Sentence, ...] = field(default=())

    @property
    def text(self) -> str:
        return ("" if self.lang == "zh" else " ").join(s.text for s in self.sentences)

    @property
    def words(self) -> int:
        """Words in English; in Chinese, characters ÷ 2 (about a word each two characters)."""
        return len(self.text.split()) if self.lang != "zh" else len(self.text) // 2

    def markdown(self, base_url: str = "") -> str:
        base = base_url.rstrip("/") + "/" if base_url else ""
        return ("" if self.lang == "zh" else " ").join(s.markdown(base) for s in self.sentences)

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "lang": self.lang, "text": self.text, "words": self.words,
                "sentences": [{"kind": s.kind, "text": s.text, "link": s.link} for s in self.sentences]}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _stage(lang: str, stage: str) -> str:
    return t(lang, f"funnel.stage.{stage}")


def _deal_sentence(m: DealMove, lang: str) -> Sentence:
    params = dict(name=m.name, customer=m.customer, amount=money(m.amount), owner=m.owner,
                  src=_stage(lang, m.from_stage), dst=_stage(lang, m.to_stage))
    key = {"advanced": "brief.deal.advanced", "slipped": "brief.deal.slipped", "lost": "brief.deal.lost"}[m.kind]
    if m.to_stage == WON:
        key = "brief.deal.won"
    return Sentence("deal_moved", t(lang, key, **params), m.link)


@dataclass(frozen=True)
class _Due:
    count: int
    amount: float
    contract_id: int | None
    number: str
    customer: str
    top: float


def _due_today(scope: Scope, session: Session, today: date) -> _Due:
    p = Payment
    left = p.amount_due - p.amount_received
    base = scope.apply(select(func.count(p.id), func.coalesce(func.sum(left), 0))
                       .where(p.due_date == today, left > 0), p.owner_id, p.team_id)
    count, amount = session.execute(base).one()
    if not count:
        return _Due(0, 0.0, None, "", "", 0.0)
    top = session.execute(scope.apply(
        select(Contract.id, Contract.number, Customer.name, left.label("left"))
        .join(Contract, Contract.id == p.contract_id).join(Customer, Customer.id == Contract.customer_id)
        .where(p.due_date == today, left > 0).order_by(left.desc(), p.id).limit(1), p.owner_id, p.team_id)).one()
    return _Due(int(count), float(amount), int(top.id), top.number, top.name, float(top.left))


def _needs_help(scope: Scope, session: Session, filters: Filters, now: datetime, lang: str,
                settings: dict, labels: dict[str, str]) -> list[Sentence]:
    """The teams (or, inside one team, reps) whose worst light is red, the worst first."""
    if scope.own_only:
        return []
    table = cockpit.rates_by_group(scope, session, filters, now, lang)
    if table.empty:
        return []
    by = table.attrs.get("by", "team")
    out = []
    for name, row in table.iterrows():
        rates = row.dropna()
        if rates.empty:
            continue
        code = rates.idxmin()
        worst = float(rates[code])
        if rules.light(worst, settings["light_red_below"], settings["light_green_above"]) != "red":
            continue
        out.append(Sentence("needs_help", t(lang, f"brief.help.{by}", name=name, light=labels[code],
                                            rate=_pct(worst)), f"cockpit?light={code}"))
        if len(out) == MAX_HELP:
            break
    return out


@scoped_read
def brief(scope: Scope, session: Session, now: datetime, lang: str = "en") -> Brief:
    """The morning brief for the reader of ``scope`` at ``now``, in ``lang``."""
    settings = rules.all_settings(session)
    today = now.date()
    filters = Filters.last_days(today, int(settings["cockpit_window_days"]))
    all_lights = cockpit.lights(scope, session, filters, now, lang, with_series=False)
    labels = {light.code: light.label for light in all_lights}
    red = [light for light in all_lights if light.color == "red"]
    moved = moved_since_yesterday(scope, session, now, lang)
    due = _due_today(scope, session, today)

    out = [Sentence("headline", t(lang, "brief.headline", day=f"{today:%Y-%m-%d}", red=len(red),
                                  lights=len(all_lights)), "cockpit")]
    if red:
        for light in red[:MAX_RED]:
            text = t(lang, "brief.red", label=light.label, rate=_pct(light.rate),
                     bound=f"{settings['light_red_below']:g}%")
            if light.explanation:
                text += ("" if lang == "zh" else " ") + light.explanation.sentence
            out.append(Sentence("red_light", text, f"cockpit?light={light.code}"))
    elif any(light.rate is not None for light in all_lights):
        out.append(Sentence("all_clear", t(lang, "brief.all_clear"), "cockpit"))
    deals = moved.deals
    for m in deals[:MAX_DEALS]:
        out.append(_deal_sentence(m, lang))
    if len(deals) > MAX_DEALS:
        out.append(Sentence("deal_moved", t(lang, "brief.deal.more", n=len(deals) - MAX_DEALS), "cockpit?moved=1"))
    if due.count:
        key = "brief.due.one" if due.count == 1 else "brief.due.many"
        out.append(Sentence("collections_due", t(lang, key, n=due.count, amount=money(due.amount),
                                                 number=due.number, customer=due.customer, top=money(due.top)),
                            f"contracts?contract={due.contract_id}"))
    out.extend(_needs_help(scope, session, filters, now, lang, settings, labels))
    return Brief(today, lang, tuple(out))
