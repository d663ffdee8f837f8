"""The scheduled jobs, in the order ``run-jobs`` runs them (cron calls `python -m cli run-jobs`).

Adding a job: write ``fn(session, now) -> int`` in its capability package (idempotent: a second run
at the same ``now`` changes nothing) and list it here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.base.models import AuditLog
from core.base.scope import Scope

from core.base.jobs import Job, JobResult
from core.cash import quality
from core.funnel import deals, diagnosis
from core.leads import pool, routing
from core.people import incentives
from core.process import alerts
from core.people import target_health
# ---- pushing alerts to channels; runs under a lock, each run recorded ----
from core.base import runs
from core.base.access import guarded
from core.base.runs import JobsBusy
from core.notify import briefing, delivery

JOBS: tuple[Job, ...] = (
    Job("lead_escalation", routing.escalate_uncontacted_leads),
    Job("lead_recycle", pool.recycle_leads),
    Job("stalled_deals", deals.stalled_deals_job),
    Job("conversion_drop", diagnosis.conversion_drop_job),
    Job("team_low_rate", alerts.team_low_rate),
    Job("quality_scan", quality.scan),
    Job("target_interventions", target_health.target_interventions),
    # grant the points of key actions, then take the teams' month standings
    Job("points_ledger", incentives.points_ledger),
    Job("incentive_standings", incentives.incentive_standings),
    # last, so the alerts the jobs above found go out in the same run
    Job("push_brief", briefing.push_brief),  # the morning brief, once a working day, to the channels taking it
    Job("deliver_alerts", delivery.deliver_alerts),
)


def run(engine: Engine, now: datetime, only: list[str] | None = None, *, trigger: str = "cron",
        user_id: int | None = None) -> list[JobResult]:
    """Run every job (or those named in ``only``), each in its own transaction, under the jobs' lock
    (core.base.runs: raises runs.Busy while another run holds it), each run recorded."""
    return runs.run_locked(engine, now, JOBS, only, trigger=trigger, user_id=user_id)


# ---- the admin page's "run a job now" ----
@guarded("job.run")
def run_job_now(session: Session, scope: Scope, name: str, now: datetime) -> JobResult:
    """Run one job now, from the admin page, under the same lock cron takes; refused while another
    run holds it. The page calls it job by job to move its progress bar."""
    if name not in {j.name for j in JOBS}:
        raise LookupError(f"unknown job {name!r}")
    try:
        result = runs.run_locked(session.get_bind(), now, JOBS, [name], trigger="page", user_id=scope.user_id)[0]
    except runs.Busy as exc:
        raise JobsBusy("jobs.err.busy", None, holder=exc.holder,
                       since=f"{exc.since:%H:%M:%S}" if exc.since else "?") from None
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="run", entity="job", entity_id=name,
                         detail={"count": result.count, "error": result.error}))
    return result


def job_names() -> list[str]:
    return [j.name for j in JOBS]
