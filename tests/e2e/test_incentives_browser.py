"""In Chromium, in Chinese: the director opens 激励与积分, runs a what-if (a higher strategic weight, a
softer circuit breaker), sees every rep's payout before and after with the total cost change while
nothing is written; then applies it, and the new version and its audit row are there.

Besides the e2e database's records, each rep's key actions are in the points ledger and team Alpha's
month standing trips its circuit breaker (3 of 20 customers complained, above 10 %)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.base.db import make_engine, read_session, write_tx
from core.base.models import AuditLog, IncentiveModel, Team, TeamStanding
from core.people import incentives
from tests.e2e.conftest import log_in, shot
from tests.factories import NOW

pytestmark = pytest.mark.e2e
MONTH = f"{NOW:%Y-%m}"


@pytest.fixture(scope="module")
def incentive_data(e2e_db):
    engine = make_engine(e2e_db)
    try:
        with write_tx(engine) as s:
            incentives.points_ledger(s, NOW)
            for name, psi_value, complaints in (("Alpha", 92.0, 3), ("Beta", 85.0, 0)):
                team = s.scalar(select(Team.id).where(Team.name == name))
                if s.scalar(select(TeamStanding.id).where(TeamStanding.month == MONTH, TeamStanding.team_id == team)):
                    continue
                s.add(TeamStanding(month=MONTH, team_id=team, psi=psi_value, complaint_customers=complaints,
                                   active_customers=20, computed_at=NOW))
        yield engine
    finally:
        engine.dispose()


def _saved(engine) -> tuple[int, int]:
    with read_session(engine) as s:
        return (s.scalar(select(func.count()).select_from(IncentiveModel)),
                s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "incentive_model")))


def test_director_runs_a_what_if_that_saves_nothing_then_applies_it(page, server, incentive_data):
    engine = incentive_data
    assert _saved(engine) == (0, 0)
    log_in(page, server, "dora")
    page.goto(f"{server}/incentives")  # a new page load: the login cookie carries the session (the nav is long)
    page.get_by_role("heading", name="激励与积分").first.wait_for()
    page.get_by_text("熔断：Alpha 投诉率 15.0% 高于 10%").wait_for()
    shot(page, "director-incentives")

    form = page.get_by_test_id("stForm").first
    form.get_by_label("权重：战略行业").fill("3.00")
    form.get_by_label("熔断：投诉率高于（%）").fill("20.00")
    form.get_by_role("button", name="重新计算").click()
    page.get_by_text("这是预览：尚未保存任何内容。").wait_for()
    page.get_by_text("总成本：¥").wait_for()
    result = page.locator(".st-key-inc_whatif_result")
    assert result.get_by_test_id("stDataFrame").count() == 2  # reps and teams, before vs after
    page.wait_for_timeout(800)
    shot(page, "director-incentives-what-if")
    assert _saved(engine) == (0, 0)  # a preview writes nothing

    page.get_by_role("textbox", name="调整原因（记入审计日志）").fill("试行：放宽熔断阈值")
    page.get_by_role("button", name="应用为新版本模型").click()
    page.get_by_text("激励模型 v1 已应用。").wait_for()
    page.get_by_text("激励模型 v1", exact=True).wait_for()
    assert _saved(engine) == (1, 1)
    with read_session(engine) as s:
        row = s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.detail)
                        .where(AuditLog.entity == "incentive_model")).one()
    assert (row.action, row.entity_id) == ("apply", "1")
    assert row.detail["changes"]["breaker_threshold_pct"] == {"old": 10.0, "new": 20.0}
    assert row.detail["note"] == "试行：放宽熔断阈值"
    shot(page, "director-incentives-applied")
