"""python -m cli metrics target-health: the target health page's figures on the command line
(SPEC §8, §10): the view's three lights, each rep's and team's, the year's deviation rate."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

import cli
from core.base import config
from core.base.db import make_engine, write_tx
from core.base.models import Contract, Target
from tests.factories import NOW, add_customer, make_org

AT_NOW = ["--now", NOW.isoformat()]


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    """a1: November target 300,000 (225,000 due at NOW), 90,000 signed on 10 November: 40.0 %, −70 %."""
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
            s.add(Target(month="2026-11", owner_id=org.a1.id, team_id=org.alpha.id, signed_amount=300_000, set_at=NOW))
            c = add_customer(s, org.a1)
            s.add(Contract(number="HT-1", customer_id=c.id, owner_id=org.a1.id, team_id=org.alpha.id, amount=90_000,
                           signed_at=datetime(2026, 11, 10), status="active", created_at=datetime(2026, 11, 10)))
        yield org
    finally:
        engine.dispose()


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_metrics_target_health_json(filled, capsys):
    code, out, err = run(capsys, "metrics", "target-health", "--month", "2026-11", "--json", *AT_NOW)
    assert code == 0, err
    result = json.loads(out)
    amy = next(r for r in result["rows"] if r["level"] == "rep" and r["name"] == "Amy A1")
    assert (amy["target_to_date"], amy["actual"], amy["achievement"], amy["achievement_light"]) == (
        pytest.approx(225_000), 90_000, 40.0, "red")
    assert [x["code"] for x in result["overall"]] == ["achievement", "process", "resource"]
    assert result["overall"][0]["color"] == "red" and "Alpha" in result["overall"][0]["sentence"]
    nov = next(d for d in result["deviation"] if d["level"] == "rep" and d["name"] == "Amy A1"
               and d["month"] == "2026-11")
    assert nov["deviation"] == pytest.approx(-70.0)


def test_metrics_target_health_as_a_rep_and_in_text(filled, capsys):
    code, out, _ = run(capsys, "metrics", "target-health", "--as-user", "a2", "--json", *AT_NOW)
    assert code == 0
    assert [r["name"] for r in json.loads(out)["rows"]] == ["Ann A2"]
    code, out, err = run(capsys, "metrics", "target-health", "--month", "2026-11", *AT_NOW)
    assert code == 0, err
    assert "Amy A1: achievement 40.0% red" in out


def test_metrics_target_health_refuses_a_bad_month(filled, capsys):
    code, _, err = run(capsys, "metrics", "target-health", "--month", "2026-13", *AT_NOW)
    assert code != 0 and "YYYY-MM" in err
    code, _, err = run(capsys, "metrics", "target-health", "--month", "2027-02", *AT_NOW)
    assert code != 0 and "has not begun" in err
