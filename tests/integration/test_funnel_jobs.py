"""run-jobs for the funnel: "stalled_deals" alerts the team lead once per deal and stay;
"conversion_drop" alerts the directors (and the leads of the teams that explain most) once per stage
and week — both idempotent: a second run at the same moment creates nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

import cli
from core.funnel import deals
from core import schedule
from core.base.db import read_session, write_tx
from core.base.models import Alert, Team, User
from core.base.scope import scope_for
from tests.factories import NOW, add_user, make_org
from tests.funnel_samples import D, add_deal, drop_dataset


def alerts(engine, kind):
    with read_session(engine) as s:
        return s.execute(select(Alert.recipient_id, Alert.ref_id, Alert.message, Alert.dedupe_key, Alert.team_id)
                         .where(Alert.kind == kind).order_by(Alert.id)).all()


def run(engine, name, now=NOW) -> int:
    [result] = schedule.run(engine, now, [name])
    assert not result.error, result.error
    return result.count


@pytest.fixture
def stalls(engine):
    """a1: proposal for 9 days (bound 8) — stalled; a2: initial contact exactly 5 days (bound 5) — not;
    b1: negotiation for 16 days (bound 15) — stalled; b2: lost long ago — closed."""
    with write_tx(engine) as s:
        org = make_org(s)
        s.get(User, org.lead_alpha.id).language = "en"
        ids = {
            "a1": add_deal(s, org.a1, "Pump order", [("initial_contact", NOW - 20 * D), ("proposal", NOW - 9 * D)]).id,
            "a2": add_deal(s, org.a2, "At the bound", [("initial_contact", NOW - 5 * D)]).id,
            "b1": add_deal(s, org.b1, "扫描仪项目", [("negotiation", NOW - 16 * D)]).id,
            "b2": add_deal(s, org.b2, "Old loss", [("initial_contact", NOW - 60 * D), ("lost", NOW - 50 * D)]).id,
        }
    return engine, org, ids


def test_each_stalled_deal_alerts_its_team_lead_in_their_language(stalls):
    engine, org, ids = stalls
    assert run(engine, "stalled_deals") == 2
    got = alerts(engine, "stalled_deal")
    assert [(r.recipient_id, r.ref_id, r.team_id) for r in got] == [
        (org.lead_alpha.id, ids["a1"], org.alpha.id), (org.lead_beta.id, ids["b1"], org.beta.id)]
    assert got[0].message == ("Stalled deal: “Pump order” (Amy A1, Pump order Co) has been in “Proposal submitted” "
                              "for 9 days; the standard is at most 8 days.")
    assert got[1].message == "停滞商机：“扫描仪项目”（Bob B1，扫描仪项目 Co）已在“商务谈判”停留 16 天，标准最多 15 天。"


def test_running_twice_at_the_same_moment_creates_nothing_the_second_time(stalls):
    engine, org, ids = stalls
    assert run(engine, "stalled_deals") == 2
    assert run(engine, "stalled_deals") == 0
    # two days on: a1's and b1's stays are still the same (no repeat); a2's deal has passed its bound
    assert run(engine, "stalled_deals", NOW + 2 * D) == 1
    assert run(engine, "stalled_deals", NOW + 2 * D) == 0
    assert [r.ref_id for r in alerts(engine, "stalled_deal")] == [ids["a1"], ids["b1"], ids["a2"]]


def test_a_new_stall_after_a_move_alerts_again(stalls):
    engine, org, ids = stalls
    run(engine, "stalled_deals")
    with write_tx(engine) as s:
        scope = scope_for(s, s.get(User, org.a1.id))
        deals.move_stage(s, scope, ids["a1"], "negotiation", "报价单 Q-9", "", 1, NOW)
    def a1_alerts():
        return [r.dedupe_key for r in alerts(engine, "stalled_deal") if r.ref_id == ids["a1"]]

    run(engine, "stalled_deals", NOW + D)
    assert len(a1_alerts()) == 1  # moved on: not stalled any more
    run(engine, "stalled_deals", NOW + 16 * D)  # 16 days in negotiation: the new stay has stalled
    keys = a1_alerts()
    assert len(keys) == 2 and keys[0] != keys[1]


def test_a_team_without_a_lead_alerts_the_directors(stalls):
    engine, org, ids = stalls
    with write_tx(engine) as s:
        s.get(Team, org.beta.id).lead_user_id = None
        dan = add_user(s, "dan", "Dan Director", "director")
    run(engine, "stalled_deals")
    got = [(r.recipient_id, r.ref_id) for r in alerts(engine, "stalled_deal")]
    assert got == [(org.lead_alpha.id, ids["a1"]), (org.director.id, ids["b1"]), (dan.id, ids["b1"])]


def test_run_jobs_from_the_command_line_runs_both_funnel_jobs(stalls, monkeypatch, capsys):
    engine, *_ = stalls
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("COCKPIT_ENV", raising=False)
    assert cli.main(["run-jobs", "--now", NOW.isoformat(), "--only", "stalled_deals", "conversion_drop"]) == 0
    out = capsys.readouterr().out
    assert "stalled_deals: 2" in out and "conversion_drop: 0" in out


# ---- conversion drops ----------------------------------------------------------------------------

@pytest.fixture
def dropped(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        drop_dataset(s, org)
        s.get(User, org.lead_alpha.id).language = "en"
    return engine, org


def test_a_conversion_drop_alerts_the_directors_and_the_lead_of_the_team_that_explains_most(dropped):
    engine, org = dropped
    assert run(engine, "conversion_drop") == 2
    got = alerts(engine, "conversion_drop")
    # team Alpha explains 2/3 of the drop: its lead is told too; Beta's lead is not
    assert [r.recipient_id for r in got] == [org.director.id, org.lead_alpha.id]
    director, lena = got
    assert director.message.startswith("“方案提交→商务谈判”转化率在 11-16 至 11-22 这一周降至 38%，前4周水平为 75%，"
                                       "下降 38 个百分点")
    assert "按产品看，主要来自“ct”（解释 100%）" in director.message
    assert lena.message.startswith("“Proposal submitted → Negotiation” conversion fell to 38%")
    assert "By product, most of it comes from ct (100%)." in lena.message
    assert "Your team Alpha explains 67% of it." in lena.message
    assert director.dedupe_key == f"conv_drop:proposal:20261116:{org.director.id}"


def test_the_drop_alert_is_made_once_per_stage_and_week(dropped):
    engine, _ = dropped
    assert run(engine, "conversion_drop") == 2
    assert run(engine, "conversion_drop") == 0
    assert run(engine, "conversion_drop", NOW + 3 * D) == 0  # later in the same week: the same week judged
    assert len(alerts(engine, "conversion_drop")) == 2


def test_no_drop_no_alert(stalls):
    engine, *_ = stalls
    assert run(engine, "conversion_drop") == 0
    assert alerts(engine, "conversion_drop") == []
