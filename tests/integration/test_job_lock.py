"""run-jobs under cron: the lease lock keeps two runs from overlapping (two runs started together,
on SQLite and PostgreSQL), a crashed run's lock expires, every run is recorded, and running again
changes nothing."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

import cli
from core import schedule
from core.base import jobs, runs
from core.base.db import read_session, write_tx
from core.base.models import Alert, AuditLog, JobRun
from core.base.scope import COMPANY, Scope
from tests.factories import NOW


def _slow_jobs(calls: list, seconds: float = 1.5):
    def slow(session, now):
        calls.append(threading.get_ident())
        time.sleep(seconds)
        return 1
    return [jobs.Job("slow", slow)]


def test_two_runs_started_together_never_overlap(engine):
    calls: list = []
    outcomes: dict = {}
    barrier = threading.Barrier(2)

    def start(i):
        barrier.wait()
        try:
            outcomes[i] = runs.run_locked(engine, NOW, _slow_jobs(calls))
        except runs.Busy as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert len(calls) == 1  # the job ran once
    kinds = sorted(type(o).__name__ for o in outcomes.values())
    assert kinds == ["Busy", "list"]
    busy = next(o for o in outcomes.values() if isinstance(o, runs.Busy))
    assert "holds" in str(busy) or "held" in str(busy)
    # released afterwards: the next run goes ahead
    assert runs.run_locked(engine, NOW, _slow_jobs(calls, 0))[0].count == 1
    assert len(calls) == 2


def test_a_crashed_runs_lock_expires_and_is_taken_over(engine):
    t0 = datetime(2026, 11, 23, 8, 0)
    assert runs.acquire(engine, "crashed", lease=timedelta(minutes=10), at=t0)
    assert not runs.acquire(engine, "next", lease=timedelta(minutes=10), at=t0 + timedelta(minutes=5))
    assert runs.acquire(engine, "next", lease=timedelta(minutes=10), at=t0 + timedelta(minutes=11))
    runs.release(engine, "crashed")  # a late release of the old holder does not free the new one's lock
    assert not runs.acquire(engine, "third", lease=timedelta(minutes=10), at=t0 + timedelta(minutes=12))
    runs.release(engine, "next")
    assert runs.acquire(engine, "third", at=t0 + timedelta(minutes=12))


def test_every_run_is_recorded_with_its_count_and_error(engine, org):
    def fails(session, now):
        raise RuntimeError("broken rule")
    listed = [jobs.Job("fine", lambda s, n: 3), jobs.Job("broken", fails)]
    seen = []
    runs.run_locked(engine, NOW, listed, trigger="page", user_id=org.director.id,
                    progress=lambda i, n, r: seen.append((i, n, r.name)))
    assert seen == [(1, 2, "fine"), (2, 2, "broken")]
    with read_session(engine) as s:
        rows = s.execute(select(JobRun.job, JobRun.count, JobRun.error, JobRun.trigger, JobRun.run_at,
                                JobRun.started_by).order_by(JobRun.id)).all()
    assert rows[0] == ("fine", 3, "", "page", NOW, org.director.id)
    assert rows[1][0] == "broken" and rows[1][2] == "RuntimeError: broken rule"
    with read_session(engine) as s:
        df = runs.last_runs(COMPANY, s)
    assert list(df["job"]) == ["broken", "fine"] and list(df["count"]) == [0, 3]


def test_run_jobs_twice_is_idempotent_and_recorded(engine, org):
    first = {r.name: r for r in schedule.run(engine, NOW)}
    assert "deliver_alerts" in first and not any(r.error for r in first.values())
    with read_session(engine) as s:
        alerts_after_first = len(s.scalars(select(Alert.id)).all())
    second = schedule.run(engine, NOW)
    assert all(r.count == 0 for r in second), [(r.name, r.count) for r in second]
    with read_session(engine) as s:
        assert len(s.scalars(select(Alert.id)).all()) == alerts_after_first
        assert len(s.scalars(select(JobRun.id)).all()) == 2 * len(schedule.JOBS)


def test_the_cli_says_it_skipped_while_another_run_holds_the_lock(engine, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert runs.acquire(engine, "someone-else")
    assert cli.main(["run-jobs", "--now", "2026-11-23T12:00"]) == 0
    assert "skipped" in capsys.readouterr().out
    with read_session(engine) as s:
        assert s.scalars(select(JobRun.id)).all() == []
    runs.release(engine, "someone-else")
    assert cli.main(["run-jobs", "--now", "2026-11-23T12:00", "--only", "deliver_alerts"]) == 0
    assert "deliver_alerts: 0" in capsys.readouterr().out


def test_the_pages_run_now_takes_the_lock_and_is_refused_while_busy(engine, org):
    admin = Scope(0, "admin", None)
    with write_tx(engine) as s:
        result = schedule.run_job_now(s, admin, "deliver_alerts", NOW)
    assert (result.name, result.count, result.error) == ("deliver_alerts", 0, "")
    with read_session(engine) as s:
        assert s.scalar(select(AuditLog.entity_id).where(AuditLog.entity == "job")) == "deliver_alerts"
        assert s.scalar(select(JobRun.trigger)) == "page"
    assert runs.acquire(engine, "cron-run")
    with pytest.raises(runs.JobsBusy) as err:
        with write_tx(engine) as s:
            schedule.run_job_now(s, admin, "deliver_alerts", NOW)
    assert err.value.msg_key == "jobs.err.busy" and err.value.params["holder"] == "cron-run"
    from core.base.access import Forbidden
    with pytest.raises(Forbidden):
        with write_tx(engine) as s:
            schedule.run_job_now(s, Scope(org.director.id, "director", None), "deliver_alerts", NOW)
