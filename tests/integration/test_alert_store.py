"""The alert store: every job's finding is one row with severity and status, never filed
twice when a job runs again; the recipient acknowledges and resolves their own alerts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core import schedule
from core.base import inbox, jobs
from core.base.db import read_session, write_tx
from core.base.errors import UserError
from core.base.models import Alert, AuditLog
from core.base.vocabulary import ALERT_SEVERITIES
from tests.factories import NOW, add_lead, add_rep_records, scope_of
from tests.funnel_samples import add_deal

H, D = timedelta(hours=1), timedelta(days=1)


def alert_rows(engine) -> list[tuple]:
    """The alerts the jobs filed (add_rep_records makes one by hand, of kind lead_overdue)."""
    with read_session(engine) as s:
        return [tuple(r) for r in s.execute(select(Alert.kind, Alert.recipient_id, Alert.dedupe_key, Alert.severity,
                                                   Alert.status).where(Alert.kind != "lead_overdue")
                                            .order_by(Alert.id)).all()]


@pytest.fixture
def findings(engine, org):
    with write_tx(engine) as s:
        for rep in (org.a1, org.b1):
            add_rep_records(s, rep, rep.username)
        add_deal(s, org.a2, "Stuck", [("proposal", NOW - 40 * D)], amount=5000)  # far past its stage's bound
        add_lead(s, org.b2, NOW - 30 * H)  # not contacted in time: escalated
    return org


def test_two_job_runs_file_each_finding_once(engine, findings):
    first = schedule.run(engine, NOW)
    assert all(not r.error for r in first), first
    rows = alert_rows(engine)
    kinds = {r[0] for r in rows}
    assert {"stalled_deal", "quality_finding", "lead_escalation"} <= kinds, kinds
    assert len({r[2] for r in rows}) == len(rows)  # every row has its own dedupe key
    assert all(r[2] for r in rows) and all(r[3] in ALERT_SEVERITIES and r[4] == "open" for r in rows)
    severity = {r[0]: r[3] for r in rows}
    assert severity["stalled_deal"] == "warning" and severity["lead_escalation"] == "critical"

    again = schedule.run(engine, NOW)
    assert [r.count for r in again] == [0] * len(again)
    assert alert_rows(engine) == rows
    # an hour later the same deals are still stalled, the same findings still open: no new rows
    later = schedule.run(engine, NOW + H, only=["stalled_deals", "quality_scan"])
    assert [r.count for r in later] == [0, 0]
    assert alert_rows(engine) == rows


def test_a_resolved_finding_is_not_filed_again(engine, findings):
    schedule.run(engine, NOW, only=["stalled_deals"])
    with write_tx(engine) as s:
        lena = scope_of(s, "lena")
        ids = inbox.alerts(lena, s)["id"].tolist()
        assert ids and inbox.resolve_alerts(s, lena, ids, NOW) == len(ids)
    assert schedule.run(engine, NOW + H, only=["stalled_deals"])[0].count == 0
    with read_session(engine) as s:
        assert inbox.alerts(scope_of(s, "lena"), s)["status"].tolist() == ["resolved"] * len(ids)


def test_ensure_alert_takes_the_kinds_severity_or_the_one_given(engine, org):
    with write_tx(engine) as s:
        assert jobs.ensure_alert(s, dedupe_key="k1", recipient_id=org.a1.id, team_id=None, kind="conversion_drop",
                                 message="x", now=NOW)
        assert jobs.ensure_alert(s, dedupe_key="k2", recipient_id=org.a1.id, team_id=None, kind="something_new",
                                 message="x", now=NOW, severity="info")
        with pytest.raises(ValueError):
            jobs.ensure_alert(s, dedupe_key="k3", recipient_id=org.a1.id, team_id=None, kind="x", message="x",
                              now=NOW, severity="urgent")
    assert [r[3] for r in alert_rows(engine)] == ["critical", "info"]


def test_the_owner_acknowledges_then_resolves_with_who_and_when(engine, org):
    with write_tx(engine) as s:
        for i, kind in enumerate(("stalled_deal", "quality_finding", "stalled_deal")):
            jobs.ensure_alert(s, dedupe_key=f"a{i}", recipient_id=org.a1.id, team_id=org.alpha.id, kind=kind,
                              message=f"m{i}", now=NOW - i * H)
        jobs.ensure_alert(s, dedupe_key="b", recipient_id=org.b1.id, team_id=org.beta.id, kind="stalled_deal",
                          message="not a1's", now=NOW)
    with read_session(engine) as s:
        a1 = scope_of(s, "a1")
        assert inbox.unread_count(a1, s) == 3
        assert inbox.alert_kinds(a1, s) == ["quality_finding", "stalled_deal"]
        stalled = inbox.alerts(a1, s, kinds=("stalled_deal",))
        assert stalled["message"].tolist() == ["m0", "m2"]
        other = int(s.scalar(select(Alert.id).where(Alert.dedupe_key == "b")))
    first = int(stalled["id"].iloc[0])
    with write_tx(engine) as s:
        assert inbox.acknowledge_alerts(s, scope_of(s, "a1"), [first], NOW) == 1
    with write_tx(engine) as s:
        a1 = scope_of(s, "a1")
        assert inbox.acknowledge_alerts(s, a1, [first], NOW) == 0  # already acknowledged
        assert inbox.resolve_alerts(s, a1, [first], NOW + H) == 1
    with read_session(engine) as s:
        a1 = scope_of(s, "a1")
        row = s.get(Alert, first)
        assert (row.status, row.acknowledged_at, row.acknowledged_by, row.resolved_at, row.resolved_by) == (
            "resolved", NOW, a1.user_id, NOW + H, a1.user_id)
        assert inbox.unread_count(a1, s) == 2
        assert inbox.alerts(a1, s, statuses=("open",))["message"].tolist() == ["m1", "m2"]
        audit = s.execute(select(AuditLog.action, AuditLog.detail).where(AuditLog.entity == "alert")
                          .order_by(AuditLog.id)).all()
        assert [(a, d["after"]["status"]) for a, d in audit] == [("acknowledged", "acknowledged"),
                                                                  ("resolved", "resolved")]
    # someone else's alert, or nothing chosen, is refused and nothing changes
    for ids, key in (([first, other], "inbox.err.not_yours"), ([], "inbox.err.none_chosen"),
                     (["x"], "inbox.err.not_yours")):
        with pytest.raises(UserError) as err, write_tx(engine) as s:
            inbox.resolve_alerts(s, scope_of(s, "a1"), ids, NOW)
        assert err.value.msg_key == key and err.value.field == "alerts"
    with read_session(engine) as s:
        assert s.get(Alert, other).status == "open"
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "alert")) == 2
