"""Collections (回款, SPEC §7): the collection rate of three windows as lights, the drill-down
region → team → rep → contract, the ageing of what is overdue, and the collection to-do.

Definitions (README "Collections" says the same):

- An **instalment** is one Payment row of a contract that is not cancelled; it is due on its
  ``due_date``. What counts as **received** of it is ``min(amount_received, amount_due)``: an
  overpaid instalment counts as fully paid, and the overpayment does not lift the rate.
- **Collection rate** of a window = received ÷ due, over the instalments due in the window up to
  today: *to date* (every instalment due on or before today), *this month* (due from the 1st of this
  month to today), *this quarter* (from the quarter's first day to today). No instalment due → no
  rate (a grey light).
- **Outstanding** of an instalment = amount due − received. **Days overdue** = today − due date, for
  an instalment with something outstanding and a due date on or before today (an instalment due
  today and unpaid is 0 days overdue). A contract's days overdue are its oldest overdue instalment's.
- **Ageing buckets** (``vocabulary.AGEING_BUCKETS``): 0–30, 31–60, 61–90 and more than 90 days
  overdue, both ends included (30 → 0–30, 31 → 31–60, 90 → 61–90, 91 → > 90).

Every figure is aggregated in SQL over the caller's scope (``scope.apply`` through
``query.narrow``) and the page's path (region, team, rep); buckets are compared as dates (an
instalment is 31–60 days overdue when its due date lies between today − 60 and today − 31 days), so
SQLite and PostgreSQL agree without date arithmetic in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from core.base import jobs, rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import AuditLog, Contract, Customer, Payment, Region, Team, Todo, User
from core.base.query import holders, narrow
from core.base.scope import Scope, scoped_read
from core.base.vocabulary import AGEING_BUCKETS

WINDOWS = ("to_date", "month", "quarter")
LEVELS = ("region", "team", "rep")
TODO_KIND = "collection"


def bucket_code(lo: int, hi: int | None) -> str:
    return f"{lo}_{hi}" if hi is not None else f"{lo}_plus"


BUCKETS = tuple(bucket_code(lo, hi) for lo, hi in AGEING_BUCKETS)  # "0_30", "31_60", "61_90", "91_plus"


def bucket_of(days_overdue: int) -> str:
    """The ageing bucket of an instalment this many days overdue (0 and more)."""
    if days_overdue < 0:
        raise ValueError("an instalment not yet due is in no ageing bucket")
    for lo, hi in AGEING_BUCKETS:
        if days_overdue >= lo and (hi is None or days_overdue <= hi):
            return bucket_code(lo, hi)
    raise ValueError(days_overdue)  # AGEING_BUCKETS leaves a gap


def money(value: float) -> str:
    """¥ with thousands separators, no decimals: how amounts are shown and written in to-dos."""
    return f"¥{float(value):,.0f}"


@dataclass(frozen=True)
class CollectionFilters:
    """The path of the collections page: a region, a team, a rep (each None: all in scope).

    The page's drill-down needs a rep, which ``core.base.query.Filters`` has not, and none of these
    reads uses a period (the windows come from today). The reads take any object with ``region_id``
    and ``team_id`` (a ``Filters`` too); ``rep_id`` is read when it is there."""
    region_id: int | None = None
    team_id: int | None = None
    rep_id: int | None = None


def window_start(window: str, today: date) -> date | None:
    """The first due date a window counts (None: from the first instalment ever)."""
    if window == "to_date":
        return None
    if window == "month":
        return today.replace(day=1)
    if window == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    raise ValueError(f"unknown window {window!r}; known: {', '.join(WINDOWS)}")


# ---- the instalment as SQL -----------------------------------------------------------------------

def _received():
    """What counts as received of an instalment: never more than its amount due."""
    return case((Payment.amount_received < Payment.amount_due, Payment.amount_received), else_=Payment.amount_due)


def _outstanding():
    return Payment.amount_due - _received()


def _in_window(window: str, today: date):
    start = window_start(window, today)
    due_by = Payment.due_date <= today
    return due_by if start is None else and_(due_by, Payment.due_date >= start)


def _sum_if(cond, value):
    return func.coalesce(func.sum(case((cond, value), else_=literal(0))), literal(0))


def _rep_of(filters, rep_id: int | None = None) -> int | None:
    return rep_id if rep_id is not None else getattr(filters, "rep_id", None)


def _instalments(stmt, scope: Scope, filters, rep_id: int | None = None):
    """``stmt`` over the payments of contracts not cancelled, in the caller's scope and on the path."""
    stmt = stmt.join(Contract, Contract.id == Payment.contract_id).where(Contract.status != "cancelled")
    stmt = narrow(stmt, scope, Payment.owner_id, Payment.team_id, team_id=getattr(filters, "team_id", None),
                  region_id=getattr(filters, "region_id", None))
    rep = _rep_of(filters, rep_id)
    if rep is not None:
        stmt = stmt.where(Payment.owner_id == rep)
    return stmt


def _num(value) -> float:
    return round(float(value or 0), 2)


def _rate(due: float, received: float) -> float | None:
    return 100.0 * received / due if due > 0 else None


# ---- the lights ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Explanation:
    names: tuple[str, ...]
    share: float  # of the outstanding amount, 0–1
    outstanding: float
    by: str  # "team" or "rep"
    sentence: str


@dataclass(frozen=True)
class CollectionLight:
    window: str  # a WINDOWS value
    label: str
    start: date | None  # the first due date counted (None: from the beginning)
    end: date  # today
    rate: float | None  # %, None while nothing is due
    due: float
    received: float
    color: str
    explanation: Explanation | None = None

    @property
    def outstanding(self) -> float:
        return round(self.due - self.received, 2)


def _explain_by(scope: Scope, filters) -> str | None:
    """Who a light's sentence names: the teams, inside one team its reps, nobody in one rep's view."""
    if scope.own_only or _rep_of(filters) is not None:
        return None
    if getattr(filters, "team_id", None) is not None or (scope.team_ids is not None and len(scope.team_ids) == 1):
        return "rep"
    return "team"


def _outstanding_by_group(scope: Scope, session: Session, filters, today: date, by: str) -> dict[str, pd.DataFrame]:
    """{window: DataFrame(group_id, name, outstanding)} per team or rep with an instalment due by
    today, largest outstanding first."""
    key = Payment.owner_id if by == "rep" else Payment.team_id
    cols = [_sum_if(_in_window(w, today), _outstanding()).label(w) for w in WINDOWS]
    stmt = _instalments(select(key.label("group_id"), *cols).select_from(Payment), scope, filters).group_by(key)
    rows = session.execute(stmt).all()
    ids = [r.group_id for r in rows if r.group_id is not None]
    if by == "rep":
        names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    else:
        names = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(ids))).all()) if ids else {}
    out = {}
    for w in WINDOWS:
        df = pd.DataFrame([(r.group_id, names.get(r.group_id), _num(getattr(r, w))) for r in rows],
                          columns=["group_id", "name", "outstanding"])
        out[w] = df.sort_values(["outstanding", "name"], ascending=[False, True], ignore_index=True)
    return out


def _join_names(names: tuple[str, ...], lang: str) -> str:
    if len(names) == 1:
        return names[0]
    return t(lang, "coll.names_and", first=t(lang, "list.sep").join(names[:-1]), last=names[-1])


def _where(session: Session, scope: Scope, filters, by: str, lang: str, team_id: int | None = None) -> str:
    """The place a sentence speaks of: the team whose reps it names, the region whose teams it names."""
    if by == "rep":
        team_id = getattr(filters, "team_id", None) or team_id
        if team_id is None and scope.team_ids is not None and len(scope.team_ids) == 1:
            team_id = next(iter(scope.team_ids))
        name = session.scalar(select(Team.name).where(Team.id == team_id)) if team_id is not None else None
    else:
        region_id = getattr(filters, "region_id", None)
        name = session.scalar(select(Region.name).where(Region.id == region_id)) if region_id is not None else None
    return t(lang, "coll.explain.where", place=name) if name else ""


def _explanation(df: pd.DataFrame, settings: dict, lang: str, by: str, where: str) -> Explanation | None:
    df = df[df["outstanding"] > 0]
    total = round(float(df["outstanding"].sum()), 2) if len(df) else 0.0
    if total <= 0:
        return None
    named = df["name"].where(df["group_id"].notna() & df["name"].notna(),
                             t(lang, "coll.no_owner" if by == "rep" else "coll.no_team"))
    names, share = holders(list(zip(named, df["outstanding"])), settings["explain_share"],
                           settings["explain_max_groups"])
    key = "coll.explain.one" if len(names) == 1 else "coll.explain.many"
    sentence = t(lang, key, where=where, names=_join_names(names, lang), share=f"{share * 100:.0f}",
                 amount=money(total))
    return Explanation(names, share, total, by, sentence)


@scoped_read
def collection_lights(scope: Scope, session: Session, filters, now: datetime, lang: str = "en") -> list[CollectionLight]:
    """One light per window (to date, this month, this quarter): rate, due, received, colour and,
    when not green and not one rep's view, the sentence naming the fewest teams (inside one team,
    reps) that hold at least ``explain_share`` of the outstanding amount."""
    settings = rules.all_settings(session)
    today = now.date()
    cols = []
    for w in WINDOWS:
        cond = _in_window(w, today)
        cols += [_sum_if(cond, Payment.amount_due).label(f"{w}_due"), _sum_if(cond, _received()).label(f"{w}_received")]
    row = session.execute(_instalments(select(*cols).select_from(Payment), scope, filters)).one()
    by = _explain_by(scope, filters)
    groups, one_team = None, None
    out = []
    for w in WINDOWS:
        due, received = _num(getattr(row, f"{w}_due")), _num(getattr(row, f"{w}_received"))
        rate = _rate(due, received)
        color = rules.light(rate, settings["light_red_below"], settings["light_green_above"])
        explanation = None
        if by is not None and color not in ("green", "grey") and received < due:
            if groups is None:
                groups = _outstanding_by_group(scope, session, filters, today, by)
                teams = groups["to_date"]["group_id"]
                if by == "team" and len(teams) == 1 and teams.notna().all():
                    # the view holds one team only (a region of one team): name its reps
                    by, one_team = "rep", int(teams.iloc[0])
                    groups = _outstanding_by_group(scope, session, filters, today, by)
            where = _where(session, scope, filters, by, lang, one_team)
            explanation = _explanation(groups[w], settings, lang, by, where)
        out.append(CollectionLight(w, t(lang, f"coll.window.{w}"), window_start(w, today), today, rate, due,
                                   received, color, explanation))
    return out


# ---- the drill-down ------------------------------------------------------------------------------

@scoped_read
def collection_by(scope: Scope, session: Session, filters, now: datetime, level: str,
                  window: str = "to_date") -> pd.DataFrame:
    """The bars of one level of the drill-down: per region, team or rep with an instalment due in
    ``window``: id, name, due, received, outstanding, rate (%), color — lowest rate first. At the
    rep level also owner_id (= id). A group without a team (or owner) has id and name None."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; known: {', '.join(LEVELS)}")
    settings = rules.all_settings(session)
    today = now.date()
    cond = _in_window(window, today)
    if level == "region":
        key, name = Team.region_id, Region.name
    elif level == "team":
        key, name = Payment.team_id, Team.name
    else:
        key, name = Payment.owner_id, User.display_name
    stmt = select(key.label("id"), name.label("name"), func.sum(Payment.amount_due).label("due"),
                  func.sum(_received()).label("received")).select_from(Payment)
    if level == "region":
        stmt = stmt.outerjoin(Team, Team.id == Payment.team_id).outerjoin(Region, Region.id == Team.region_id)
    elif level == "team":
        stmt = stmt.outerjoin(Team, Team.id == Payment.team_id)
    else:
        stmt = stmt.outerjoin(User, User.id == Payment.owner_id)
    stmt = _instalments(stmt, scope, filters).where(cond).group_by(key, name)
    rows = session.execute(stmt).all()
    data = []
    for r in rows:
        due, received = _num(r.due), _num(r.received)
        rate = _rate(due, received)
        data.append((r.id, r.name, due, received, round(due - received, 2), rate,
                     rules.light(rate, settings["light_red_below"], settings["light_green_above"])))
    df = pd.DataFrame(data, columns=["id", "name", "due", "received", "outstanding", "rate", "color"])
    df["id"] = pd.array(df["id"], dtype="Int64")
    df["rate"] = df["rate"].astype("float64")
    df = df.sort_values(["rate", "outstanding", "name"], ascending=[True, False, True], na_position="last",
                        ignore_index=True)
    if level == "rep":
        df["owner_id"] = df["id"]
    df.attrs.update(level=level, window=window)
    return df


@scoped_read
def overdue_contracts(scope: Scope, session: Session, filters, now: datetime, rep_id: int | None = None) -> pd.DataFrame:
    """Per contract with an instalment due by today: id, customer, number, amount, due (to date),
    received, outstanding, days_overdue (its oldest overdue instalment's; NA when nothing is
    outstanding), team, owner, owner_id — most overdue first, then the largest outstanding."""
    today = now.date()
    overdue_since = func.min(case((_received() < Payment.amount_due, Payment.due_date)))
    owner = select(User.display_name).where(User.id == Contract.owner_id).scalar_subquery()
    team = select(Team.name).where(Team.id == Contract.team_id).scalar_subquery()
    stmt = (select(Contract.id.label("id"), Customer.name.label("customer"), Contract.number.label("number"),
                   Contract.amount.label("amount"), func.sum(Payment.amount_due).label("due"),
                   func.sum(_received()).label("received"), overdue_since.label("since"),
                   team.label("team"), owner.label("owner"), Contract.owner_id.label("owner_id"))
            .select_from(Payment))
    stmt = (_instalments(stmt, scope, filters, rep_id).join(Customer, Customer.id == Contract.customer_id)
            .where(Payment.due_date <= today))
    stmt = stmt.group_by(Contract.id, Customer.name, Contract.number, Contract.amount, Contract.owner_id,
                         Contract.team_id)
    rows = session.execute(stmt).all()
    data = []
    for r in rows:
        due, received = _num(r.due), _num(r.received)
        since = r.since if r.since is None or isinstance(r.since, date) else date.fromisoformat(str(r.since)[:10])
        data.append((r.id, r.customer, r.number, _num(r.amount), due, received, round(due - received, 2),
                     None if since is None else (today - since).days, r.team, r.owner, r.owner_id))
    df = pd.DataFrame(data, columns=["id", "customer", "number", "amount", "due", "received", "outstanding",
                                     "days_overdue", "team", "owner", "owner_id"])
    df["days_overdue"] = pd.array(df["days_overdue"], dtype="Int64")
    return df.sort_values(["days_overdue", "outstanding", "number"], ascending=[False, False, True],
                          na_position="last", ignore_index=True)


@scoped_read
def ageing(scope: Scope, session: Session, filters, now: datetime) -> pd.DataFrame:
    """What is overdue, per team × ageing bucket: team_id, team, bucket (a BUCKETS code), outstanding.
    Every bucket of each team with something overdue (0 where nothing); the team with most overdue
    first."""
    today = now.date()
    whens = []
    for (lo, hi), code in zip(AGEING_BUCKETS, BUCKETS):
        cond = Payment.due_date <= today - timedelta(days=lo)
        if hi is not None:
            cond = and_(cond, Payment.due_date >= today - timedelta(days=hi))
        whens.append((cond, literal(code)))
    bucket = case(*whens)
    stmt = (select(Payment.team_id.label("team_id"), bucket.label("bucket"),
                   func.sum(_outstanding()).label("outstanding")).select_from(Payment))
    stmt = _instalments(stmt, scope, filters).where(Payment.due_date <= today, _received() < Payment.amount_due)
    rows = session.execute(stmt.group_by(Payment.team_id, bucket)).all()
    got = {(r.team_id, r.bucket): _num(r.outstanding) for r in rows}
    team_ids = sorted({r.team_id for r in rows}, key=lambda i: (i is None, i or 0))
    known = [i for i in team_ids if i is not None]
    names = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(known))).all()) if known else {}
    data = [(tid, names.get(tid), code, got.get((tid, code), 0.0)) for tid in team_ids for code in BUCKETS]
    df = pd.DataFrame(data, columns=["team_id", "team", "bucket", "outstanding"])
    df["team_id"] = pd.array(df["team_id"], dtype="Int64")
    if not df.empty:
        totals = df.groupby("team_id", dropna=False)["outstanding"].transform("sum")
        order = {code: i for i, code in enumerate(BUCKETS)}
        df = (df.assign(_total=totals, _b=df["bucket"].map(order), _name=df["team"].fillna(""))
              .sort_values(["_total", "_name", "_b"], ascending=[False, True, True])
              .drop(columns=["_total", "_b", "_name"]).reset_index(drop=True))
    return df


@dataclass(frozen=True)
class DrillPath:
    """The page's path as the caller may see it: (id, name) of its region, team and rep. ``ok`` is
    false when a part names nothing the caller may see (then every part is None)."""
    region: tuple[int, str] | None = None
    team: tuple[int, str] | None = None
    rep: tuple[int, str] | None = None
    ok: bool = True


@scoped_read
def drill_path(scope: Scope, session: Session, region_id: int | None = None, team_id: int | None = None,
               rep_id: int | None = None) -> DrillPath:
    """Check a path from the URL against the caller's scope and give its names."""
    bad = DrillPath(ok=False)
    region = team = rep = None
    if region_id is not None:
        row = session.get(Region, region_id)
        if row is None:
            return bad
        if scope.team_ids is not None:
            teams = select(Team.id).where(Team.region_id == region_id, Team.id.in_(sorted(scope.team_ids)))
            if not scope.team_ids or session.scalar(teams.limit(1)) is None:
                return bad
        region = (row.id, row.name)
    if team_id is not None:
        row = session.get(Team, team_id)
        if row is None or not scope.may_see_team(row.id) or (region_id is not None and row.region_id != region_id):
            return bad
        team = (row.id, row.name)
    if rep_id is not None:
        row = session.get(User, rep_id)
        if row is None or (scope.own_only and row.id != scope.user_id):
            return bad
        if not scope.sees_all and not scope.own_only:
            owns_here = exists().where(Payment.owner_id == row.id, Payment.team_id.in_(sorted(scope.team_ids or ())))
            if row.team_id not in (scope.team_ids or ()) and not session.scalar(select(owns_here)):
                return bad
        if team_id is not None and row.team_id != team_id and not session.scalar(
                select(exists().where(Payment.owner_id == row.id, Payment.team_id == team_id))):
            return bad
        if region_id is not None and team_id is None:
            in_region = select(Team.id).where(Team.region_id == region_id)
            if row.team_id not in set(session.scalars(in_region)) and not session.scalar(
                    select(exists().where(Payment.owner_id == row.id, Payment.team_id.in_(in_region)))):
                return bad
        rep = (row.id, row.display_name)
    return DrillPath(region, team, rep, True)


# ---- the collection to-do --------------------------------------------------------------------------

class CollectionTodoRefused(UserError):
    """The collection to-do cannot be created: ``field`` is "contract"."""


@dataclass(frozen=True)
class CollectionTodo:
    todo_id: int
    owner_id: int
    owner: str
    title: str
    outstanding: float


def _dedupe_key(contract_id: int, now: datetime) -> str:
    return f"collection:{contract_id}:{now:%Y-%m-%d}"


@guarded("collection_todo.create")
def create_collection_todo(session: Session, scope: Scope, contract_id: int, now: datetime) -> CollectionTodo:
    """Ask the contract's owner to collect what is outstanding: a to-do in their inbox, in their
    language, due the next day; once per contract per day. The contract must be in the caller's view
    and have something outstanding by today."""
    contract = session.get(Contract, contract_id) if isinstance(contract_id, int) and 0 < contract_id < 2**63 else None
    visible = contract is not None and scope.may_see_team(contract.team_id) and (
        not scope.own_only or contract.owner_id == scope.user_id)
    if not visible:
        raise CollectionTodoRefused("coll.err.no_contract", "contract")
    if contract.status == "cancelled":
        raise CollectionTodoRefused("coll.err.cancelled", "contract", number=contract.number)
    today = now.date()
    outstanding = _num(session.scalar(select(func.sum(_outstanding())).where(
        Payment.contract_id == contract.id, Payment.due_date <= today)))
    if outstanding <= 0:
        raise CollectionTodoRefused("coll.err.nothing_outstanding", "contract", number=contract.number)
    key = _dedupe_key(contract.id, now)
    earlier = session.scalar(select(Todo).where(Todo.dedupe_key == key))
    if earlier is not None:
        by = session.execute(select(User.display_name).join(AuditLog, AuditLog.user_id == User.id).where(
            AuditLog.entity == "todo", AuditLog.entity_id == str(earlier.id))).scalar()
        at = f"{earlier.created_at:%H:%M}"
        if by:
            raise CollectionTodoRefused("coll.err.asked_today", "contract", number=contract.number, who=by, at=at)
        raise CollectionTodoRefused("coll.err.asked_today_company", "contract", number=contract.number, at=at)
    owner = session.get(User, contract.owner_id)
    customer = session.scalar(select(Customer.name).where(Customer.id == contract.customer_id))
    lang = jobs.language_of(session, owner.id)
    title = t(lang, "coll.todo.title", customer=customer, number=contract.number, amount=money(outstanding))
    jobs.ensure_todo(session, dedupe_key=key, owner_id=owner.id, team_id=contract.team_id, title=title,
                     kind=TODO_KIND, now=now, ref_type="contract", ref_id=contract.id, due_at=now + timedelta(days=1))
    todo_id = session.scalar(select(Todo.id).where(Todo.dedupe_key == key))
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="todo", entity_id=str(todo_id),
                         detail={"kind": TODO_KIND, "contract_id": contract.id, "number": contract.number,
                                 "owner_id": owner.id, "outstanding": outstanding}))
    session.flush()
    return CollectionTodo(todo_id, owner.id, owner.display_name, title, outstanding)


def as_dict(light: CollectionLight) -> dict:
    """A light as plain data (the CLI's --json)."""
    return {"window": light.window, "label": light.label, "start": light.start, "end": light.end,
            "rate": None if light.rate is None else round(light.rate, 2), "due": light.due,
            "received": light.received, "outstanding": light.outstanding, "color": light.color,
            "explanation": None if light.explanation is None else {
                "names": list(light.explanation.names), "share": round(light.explanation.share, 4),
                "outstanding": light.explanation.outstanding, "by": light.explanation.by,
                "sentence": light.explanation.sentence}}

