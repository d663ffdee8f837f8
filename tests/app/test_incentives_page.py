"""AppTest of the incentives page (激励与积分) per role: the payouts as core computes them, the circuit
breaker with its reason, a rep's own lines only, the sandbox (director only) that saves nothing, applying
it (a version and its audit row) and the audited payroll export."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.base.db import read_session, write_tx
from core.base.models import AuditLog, IncentiveModel, TeamStanding
from core.base.scope import COMPANY
from core.people import incentives as inc
from tests.app.conftest import app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_rep_records, add_user, make_org

pytestmark = pytest.mark.app
PAGE = "pages/incentives.py"
MONTH = f"{NOW:%Y-%m}"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        add_user(s, "ada", "Ada Admin", "admin")
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        inc.points_ledger(s, NOW)
        # Alpha: PSI 85 (partial), 3 of 20 customers complained (15 % > 10 %): its breaker trips
        s.add(TeamStanding(month=MONTH, team_id=org.alpha.id, psi=85.0, complaint_customers=3, active_customers=20,
                           computed_at=NOW))
        s.add(TeamStanding(month=MONTH, team_id=org.beta.id, psi=95.0, complaint_customers=0, active_customers=20,
                           computed_at=NOW))
    with read_session(engine) as s:
        expected = inc.payouts(COMPANY, s, MONTH)
    engine.dispose()
    with app_pointed_at(url, monkeypatch):
        yield url, expected


def _counts(url):
    from core.base.db import make_engine
    engine = make_engine(url)
    try:
        with read_session(engine) as s:
            return (s.scalar(select(func.count()).select_from(IncentiveModel)),
                    s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "incentive_model")))
    finally:
        engine.dispose()


def test_director_sees_every_payout_the_breaker_and_runs_a_what_if_then_applies_it(open_page, page_db):
    url, expected = page_db
    at = open_page("dora")
    reps = frame(at, "Rep", "Payout ¥")
    assert sorted(reps["Rep"]) == sorted(expected.reps["rep"])
    assert reps["Payout ¥"].sum() == pytest.approx(expected.total)
    assert "Circuit breaker: Alpha's complaint rate 15.0 % is above 10 %" in texts(at)
    teams = frame(at, "Team", "Process pool ¥")
    assert set(teams["Team"]) == {"Alpha", "Beta"}

    at.number_input(key="inc_p_weight_strategic").set_value(3.0)
    at.number_input(key="inc_p_breaker_threshold_pct").set_value(20.0)
    at.button(key="FormSubmitter:inc_whatif-Recompute").click().run()
    assert not at.exception
    assert "This is a preview: nothing has been saved." in texts(at)
    cmp_ = frame(at, "Rep", "Before ¥", "After ¥", "Change ¥")
    assert cmp_["Before ¥"].sum() == pytest.approx(expected.total)
    assert cmp_["After ¥"].sum() > cmp_["Before ¥"].sum()  # no breaker at 20 %: Alpha's frozen 30 % comes back
    assert _counts(url) == (0, 0)

    at.text_input(key="inc_note_text").set_value("trial of a softer breaker")
    at.button(key="inc_apply").click().run()
    assert not at.exception
    assert _counts(url) == (1, 1)
    assert "Incentive model v1 applied." in texts(at)


def test_a_rep_sees_only_their_own_line_and_how_it_is_made(open_page, page_db):
    _, expected = page_db
    at = open_page("a1")
    reps = frame(at, "Rep", "Payout ¥")
    assert list(reps["Rep"]) == ["Amy A1"]
    mine = expected.reps.set_index("rep").loc["Amy A1"]
    assert reps["Payout ¥"].iloc[0] == pytest.approx(mine.total)
    assert not any("Process pool ¥" in map(str, d.value.columns) for d in at.dataframe)
    lines = frame(at, "Action", "Weighted points")
    assert len(lines) > 0
    assert f"Total: ¥{mine.total:,.2f}" in texts(at)
    assert "What-if sandbox" not in texts(at)
    assert not [b for b in at.button if b.key == "inc_export_btn"]


def test_a_lead_sees_their_team_and_exports_it_audited(open_page, page_db):
    url, _ = page_db
    at = open_page("lena")
    assert set(frame(at, "Rep", "Payout ¥")["Team"]) == {"Alpha"}
    assert "What-if sandbox" not in texts(at)
    at.button(key="inc_export_btn").click().run()
    assert not at.exception
    assert [b for b in at.get("download_button") if b.proto.label == "Download the payroll file"]
    from core.base.db import make_engine
    engine = make_engine(url)
    with read_session(engine) as s:
        assert s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id)
                         .where(AuditLog.entity == "payout")).all() == [("export", "payout", MONTH)]
    engine.dispose()


@pytest.mark.parametrize("who", ["fay", "ada"])
def test_finance_and_admin_open_the_payout_table(open_page, page_db, who):
    _, expected = page_db
    at = open_page(who)
    assert len(frame(at, "Rep", "Payout ¥")) == len(expected.reps)
    assert ("What-if sandbox" in texts(at)) is (who == "ada")


def test_the_sandbox_refuses_a_bad_value_with_its_field(open_page, page_db):
    at = open_page("dora")
    at.number_input(key="inc_p_tier_partial").set_value(95.0)
    at.button(key="FormSubmitter:inc_whatif-Recompute").click().run()
    assert not at.exception
    assert "PSI for the partial process bonus: The partial tier's PSI may not be above the full tier's." in texts(at)
