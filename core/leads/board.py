"""The lead board (SPEC §3), for team leads, directors and admins: lead counts by source channel ×
industry × status, the leads stuck without progress, and the lead health quick check.

Quick check: a few leads (``lead_check_sample``, 5) drawn at random from those created in the
``lead_check_days`` (7) full days before today, each checked for the four things every lead must
carry — source channel, grade, next action and its time. The draw is seeded on the date (and a
"draw again" number), so every rerun and every person in scope sees the same leads that day; the
window ends at midnight, so leads created today do not reshuffle the sample.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.base import access, rules
from core.base.models import Lead, Team, User
from core.base.vocabulary import GRADES, LEAD_STATUSES, OPEN_LEAD_STATUSES
from core.leads.pool import now_param
from core.base.scope import Scope, scoped_read
from core.base.sqlfn import hours_between

CHECK_FIELDS = ("source_channel", "grade", "next_action", "next_action_at")


def _board_scope(scope: Scope) -> None:
    """The board's reads serve the lead board page only (team leads, directors and admins)."""
    access.require_page(scope, "lead_board")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


# ---- counts --------------------------------------------------------------------------------------

@scoped_read
def lead_counts(scope: Scope, session: Session, start: date, end: date, team_id: int | None = None) -> pd.DataFrame:
    """Leads in scope created from ``start`` to ``end`` (days, inclusive), counted by source_channel,
    industry and status: one row per combination with its ``leads``."""
    _board_scope(scope)
    stmt = (select(Lead.source_channel, Lead.industry, Lead.status, func.count().label("leads"))
            .where(Lead.created_at >= _day_start(start), Lead.created_at < _day_start(end + timedelta(days=1)))
            .group_by(Lead.source_channel, Lead.industry, Lead.status)
            .order_by(Lead.source_channel, Lead.industry, Lead.status))
    stmt = scope.apply(stmt, Lead.owner_id, Lead.team_id)
    if team_id is not None:
        stmt = stmt.where(Lead.team_id == team_id)
    df = pd.read_sql(stmt, session.connection())
    df["leads"] = df["leads"].astype("int64")
    return df


@scoped_read
def count_table(scope: Scope, session: Session, start: date, end: date, team_id: int | None = None) -> pd.DataFrame:
    """``lead_counts`` as the board shows it (``pivot_counts``), with the leads of each status
    (``df.attrs["by_status"]``, in LEAD_STATUSES order) and of all (``df.attrs["total"]``)."""
    table = pivot_counts(lead_counts(scope, session, start, end, team_id))
    table.attrs["by_status"] = {status: int(table[status].sum()) for status in LEAD_STATUSES}
    table.attrs["total"] = int(table["total"].sum())
    return table


def pivot_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts as a table: one row per (source_channel, industry), a column per status (in
    LEAD_STATUSES order) and ``total``; biggest sources first, then biggest industries."""
    columns = [*LEAD_STATUSES, "total"]
    if counts.empty:
        return pd.DataFrame(columns=["source_channel", "industry", *columns])
    table = counts.pivot_table(index=["source_channel", "industry"], columns="status", values="leads",
                               aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(LEAD_STATUSES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.reset_index()
    by_source = table.groupby("source_channel")["total"].transform("sum")
    table = (table.assign(_s=by_source).sort_values(["_s", "source_channel", "total", "industry"],
                                                     ascending=[False, True, False, True])
             .drop(columns="_s").reset_index(drop=True))
    table.columns.name = None
    return table[["source_channel", "industry", *columns]].astype({c: "int64" for c in columns})


# ---- stuck leads -------------------------------------------------------------------------------

def _last_progress():
    """The later of a lead's creation, first contact and last activity (status changes come with them)."""
    first = case((Lead.first_contact_at > Lead.created_at, Lead.first_contact_at), else_=Lead.created_at)
    return case((Lead.last_activity_at > first, Lead.last_activity_at), else_=first)


@scoped_read
def stuck_leads(scope: Scope, session: Session, now: datetime, team_id: int | None = None,
                limit: int = 500) -> pd.DataFrame:
    """Owned open leads in scope without progress (no activity, no status change) for more than
    ``lead_stuck_days`` days, longest stuck first: id, company, grade, status, source_channel, owner,
    team, last_progress_at, days_without_progress, next_action, next_action_at, owner_id. The
    total before the limit is in ``df.attrs["total"]``."""
    _board_scope(scope)
    days = rules.get(session, "lead_stuck_days")
    progress = _last_progress()
    idle = hours_between(now_param(now), progress) / 24.0
    where = (Lead.owner_id.is_not(None), Lead.status.in_(OPEN_LEAD_STATUSES), progress < now - timedelta(days=days))
    stmt = (select(Lead.id, Lead.company, Lead.grade, Lead.status, Lead.source_channel,
                   User.display_name.label("owner"), Team.name.label("team"), progress.label("last_progress_at"),
                   idle.label("days_without_progress"), Lead.next_action, Lead.next_action_at, Lead.owner_id)
            .join(User, User.id == Lead.owner_id).outerjoin(Team, Team.id == Lead.team_id).where(*where))
    count = select(func.count()).select_from(Lead).where(*where)
    stmt, count = (scope.apply(s, Lead.owner_id, Lead.team_id) for s in (stmt, count))
    if team_id is not None:
        stmt, count = stmt.where(Lead.team_id == team_id), count.where(Lead.team_id == team_id)
    stmt = stmt.order_by(progress, Lead.id).limit(max(1, min(int(limit), 5000)))
    df = pd.read_sql(stmt, session.connection())
    df["last_progress_at"] = pd.to_datetime(df["last_progress_at"])
    df["next_action_at"] = pd.to_datetime(df["next_action_at"])
    df["days_without_progress"] = pd.to_numeric(df["days_without_progress"]).astype("float64").round(1)
    df.attrs["total"] = int(session.scalar(count) or 0)
    return df


# ---- the lead health quick check -------------------------------------------------------------------

@dataclass(frozen=True)
class QuickCheck:
    start: date            # first day of the window
    end: date              # last day of the window (yesterday)
    draw: int
    in_window: int         # leads created in the window, in scope
    sample: pd.DataFrame   # the drawn leads: see quick_check

    @property
    def checked(self) -> int:
        return len(self.sample)

    @property
    def complete(self) -> int:
        return int(self.sample["complete"].sum()) if len(self.sample) else 0

    @property
    def share(self) -> float | None:
        """Share (0–1) of the drawn leads that carry all four; None when none was drawn."""
        return self.complete / self.checked if self.checked else None


def draw_seed(day: date, draw: int) -> int:
    """The same number for the same day and draw, in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.sha256(f"{day.isoformat()}#{draw}".encode()).digest()[:8], "big")


def missing_fields(row) -> list[str]:
    """Which of CHECK_FIELDS a lead lacks (a grade outside A/B/C counts as missing)."""
    missing = []
    if not str(row["source_channel"] or "").strip():
        missing.append("source_channel")
    if row["grade"] not in GRADES:
        missing.append("grade")
    if not str(row["next_action"] or "").strip():
        missing.append("next_action")
    if row["next_action_at"] is None or pd.isna(row["next_action_at"]):
        missing.append("next_action_at")
    return missing


@scoped_read
def quick_check(scope: Scope, session: Session, now: datetime, draw: int = 0,
                team_id: int | None = None) -> QuickCheck:
    """The quick check of ``now``'s day: ``lead_check_sample`` leads in scope drawn from those created
    in the ``lead_check_days`` days before today (seeded on the date and ``draw``). The sample: id,
    company, owner (empty: in the pool), team, source_channel, grade, next_action, next_action_at,
    missing (comma-separated CHECK_FIELDS it lacks), complete, owner_id — faulty ones first."""
    _board_scope(scope)
    settings = rules.all_settings(session)
    end = now.date() - timedelta(days=1)
    start = now.date() - timedelta(days=settings["lead_check_days"])
    window = (Lead.created_at >= _day_start(start), Lead.created_at < _day_start(now.date()))
    ids_stmt = scope.apply(select(Lead.id).where(*window), Lead.owner_id, Lead.team_id)
    if team_id is not None:
        ids_stmt = ids_stmt.where(Lead.team_id == team_id)
    ids = sorted(session.scalars(ids_stmt))
    rng = random.Random(draw_seed(now.date(), int(draw)))
    chosen = sorted(rng.sample(ids, min(int(settings["lead_check_sample"]), len(ids))))
    stmt = (select(Lead.id, Lead.company, User.display_name.label("owner"), Team.name.label("team"),
                   Lead.source_channel, Lead.grade, Lead.next_action, Lead.next_action_at, Lead.owner_id)
            .outerjoin(User, User.id == Lead.owner_id).outerjoin(Team, Team.id == Lead.team_id)
            .where(Lead.id.in_(chosen)).order_by(Lead.id))
    sample = pd.read_sql(stmt, session.connection())
    sample["next_action_at"] = pd.to_datetime(sample["next_action_at"])
    missing = [missing_fields(row) for _, row in sample.iterrows()]
    sample.insert(len(sample.columns) - 1, "missing", [",".join(m) for m in missing])
    sample.insert(len(sample.columns) - 1, "complete", [not m for m in missing])
    sample["complete"] = sample["complete"].astype(bool)
    sample = sample.sort_values(["complete", "id"], kind="stable").reset_index(drop=True)
    return QuickCheck(start, end, int(draw), len(ids), sample)
