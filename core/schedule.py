"""The scheduled jobs, in the order ``run-jobs`` runs them (cron calls `python -m cli run-jobs`).

Adding a job: write ``fn(session, now) -> int`` in its capability package (idempotent: a second run
at the same ``now`` changes nothing) and list it here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from core.base.jobs import Job, JobResult, run as run_jobs
from core.cash import quality
from core.funnel import deals, diagnosis
from core.leads import pool, routing
from core.people import incentives  # incentives part (issue 13)
from core.process import alerts
from core.people import target_health  # issue 13, target health

JOBS: tuple[Job, ...] = (
    Job("lead_escalation", routing.escalate_uncontacted_leads),
    Job("lead_recycle", pool.recycle_leads),
    Job("stalled_deals", deals.stalled_deals_job),
    Job("conversion_drop", diagnosis.conversion_drop_job),
    Job("team_low_rate", alerts.team_low_rate),
    Job("quality_scan", quality.scan),
    Job("target_interventions", target_health.target_interventions),  # issue 13, target health
    # incentives part (issue 13): grant the points of key actions, then take the teams' month standings
    Job("points_ledger", incentives.points_ledger),
    Job("incentive_standings", incentives.incentive_standings),
)


def run(engine: Engine, now: datetime, only: list[str] | None = None) -> list[JobResult]:
    """Run every job (or those named in ``only``), each in its own transaction."""
    return run_jobs(engine, now, JOBS, only)
