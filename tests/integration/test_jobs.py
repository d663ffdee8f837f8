"""run-jobs: the registry, once-only to-dos and alerts, one job's failure isolated from the others."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import cli
from core import schedule
from core.base import jobs
from core.base.db import read_session, write_tx
from core.base.models import Alert, Todo
from tests.factories import NOW


def test_ensure_todo_and_alert_create_once_per_key(engine, org):
    for _ in range(2):
        with write_tx(engine) as session:
            jobs.ensure_todo(session, dedupe_key="t:1", owner_id=org.a1.id, team_id=org.alpha.id,
                             title="call back", kind="escalation", now=NOW, due_at=NOW + timedelta(hours=1))
            jobs.ensure_alert(session, dedupe_key="a:1", recipient_id=org.lead_alpha.id, team_id=org.alpha.id,
                              kind="escalation", message="late", now=NOW)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Todo).where(Todo.dedupe_key == "t:1")) == 1
        assert session.scalar(select(func.count()).select_from(Alert).where(Alert.dedupe_key == "a:1")) == 1
        # a different key is a different to-do
        created = jobs.ensure_todo(session, dedupe_key="t:2", owner_id=org.a1.id, team_id=None, title="x",
                                   kind="escalation", now=NOW)
        assert created


def test_a_failing_job_is_rolled_back_and_reported_while_the_others_run(engine, org, monkeypatch):
    def writes_then_fails(session, now):
        jobs.ensure_alert(session, dedupe_key="doomed", recipient_id=org.director.id, team_id=None, kind="x",
                          message="never kept", now=now)
        raise RuntimeError("broken rule")

    def writes(session, now):
        return int(jobs.ensure_alert(session, dedupe_key="kept", recipient_id=org.director.id, team_id=None,
                                     kind="x", message="kept", now=now))

    listed = [jobs.Job("a_fails", writes_then_fails), jobs.Job("b_writes", writes)]
    results = {r.name: r for r in jobs.run(engine, NOW, listed)}
    assert "RuntimeError: broken rule" in results["a_fails"].error
    assert results["b_writes"].count == 1 and not results["b_writes"].error
    with read_session(engine) as session:
        keys = set(session.scalars(select(Alert.dedupe_key)))
    assert "kept" in keys and "doomed" not in keys
    # the second run at the same moment does nothing more
    assert {r.name: r.count for r in jobs.run(engine, NOW, listed, only=["b_writes"])} == {"b_writes": 0}


def test_an_unknown_job_name_is_refused(engine):
    with pytest.raises(LookupError, match="unknown job"):
        schedule.run(engine, NOW, only=["no_such_job"])


def test_two_jobs_with_one_name_are_refused(engine):
    same = [jobs.Job("same", lambda s, n: 0), jobs.Job("same", lambda s, n: 1)]
    with pytest.raises(ValueError, match="two jobs"):
        jobs.run(engine, NOW, same)


def test_the_schedule_lists_every_job_once_in_the_order_they_run():
    assert [j.name for j in schedule.JOBS] == [
        "lead_escalation", "lead_recycle", "stalled_deals", "conversion_drop", "team_low_rate",
        "quality_scan", "target_interventions", "points_ledger", "incentive_standings",
        "push_brief", "deliver_alerts"]  # alerts go out once every job has filed its own
    assert all(j.doc for j in schedule.JOBS)


def test_every_registered_job_runs_twice_at_one_moment_without_change(engine, org, capsys, monkeypatch):
    """The real registry through the command line: the second run creates nothing."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert cli.main(["run-jobs", "--now", NOW.isoformat()]) == 0
    capsys.readouterr()
    with read_session(engine) as session:
        before = (session.scalar(select(func.count()).select_from(Todo)),
                  session.scalar(select(func.count()).select_from(Alert)))
    assert cli.main(["run-jobs", "--now", NOW.isoformat()]) == 0
    out = capsys.readouterr().out
    with read_session(engine) as session:
        after = (session.scalar(select(func.count()).select_from(Todo)),
                 session.scalar(select(func.count()).select_from(Alert)))
    assert after == before
    for line in out.strip().splitlines():
        name, count = line.rsplit(": ", 1)
        assert count == "0", line


def test_run_jobs_rejects_a_bad_time(capsys):
    assert cli.main(["run-jobs", "--now", "yesterday-ish"]) == 2
    assert "not a date or time" in capsys.readouterr().err
