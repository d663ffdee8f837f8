"""python -m cli metrics payouts: the month's payouts, and the what-if sandbox from a model file."""
from __future__ import annotations

import json

import pytest

import cli
from core.base import config
from core.base.db import make_engine, read_session, write_tx
from core.base.scope import COMPANY
from core.base.models import IncentiveModel, TeamStanding
from core.people import incentives
from tests.factories import NOW, add_rep_records, make_org

AT_NOW = ["--now", NOW.isoformat()]
MONTH = f"{NOW:%Y-%m}"


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "secrets.toml")
    monkeypatch.delenv("COCKPIT_ENV", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["init-db"]) == 0
    capsys.readouterr()
    engine = make_engine(url)
    try:
        with write_tx(engine) as s:
            org = make_org(s)
            for rep in (org.a1, org.b1):
                add_rep_records(s, rep, rep.username)
            incentives.points_ledger(s, NOW)
            s.add(TeamStanding(month=MONTH, team_id=org.alpha.id, psi=91.0, complaint_customers=2,
                               active_customers=10, computed_at=NOW))  # 20 % complaints: the breaker trips
        yield org, engine, tmp_path
    finally:
        engine.dispose()


def test_payouts_json_and_a_what_if_that_saves_nothing(filled, capsys):
    org, engine, tmp = filled
    assert cli.main(["metrics", "payouts", "--month", MONTH, "--json", *AT_NOW]) == 0
    got = json.loads(capsys.readouterr().out)
    with read_session(engine) as s:
        expected = incentives.payouts(COMPANY, s, MONTH)
    assert got["total"] == expected.total and len(got["reps"]) == 2
    amy = next(r for r in got["reps"] if r["owner_id"] == org.a1.id)
    assert amy["breaker"] is True and amy["process_share"] == 100.0 and amy["frozen"] > 0

    model = tmp / "model.json"
    model.write_text(json.dumps({"breaker_threshold_pct": 25}))
    assert cli.main(["metrics", "payouts", "--month", MONTH, "--model-file", str(model), "--json", *AT_NOW]) == 0
    cmp_ = json.loads(capsys.readouterr().out)
    assert cmp_["total_before"] == expected.total
    assert cmp_["total_change"] == pytest.approx(amy["frozen"])  # Alpha's frozen share is paid again
    with read_session(engine) as s:
        assert s.query(IncentiveModel).count() == 0


def test_a_bad_model_file_says_what_is_wrong(filled, capsys):
    _, _, tmp = filled
    model = tmp / "model.json"
    model.write_text(json.dumps({"weight_strategic": -1}))
    code = cli.main(["metrics", "payouts", "--month", MONTH, "--model-file", str(model), *AT_NOW])
    err = capsys.readouterr().err
    assert code != 0 and "weight_strategic must be between 0 and 10" in err
    model.write_text("not json")
    assert cli.main(["metrics", "payouts", "--model-file", str(model), *AT_NOW]) != 0
    assert "--model-file" in capsys.readouterr().err
