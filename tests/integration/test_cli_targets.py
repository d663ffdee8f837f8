"""python -m cli metrics targets: a month's targets, confirmations and the year's plan (SPEC §8, §10)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

import cli
from core.base import config
from core.base.db import make_engine, write_tx
from core.base.models import TargetConfirmation
from tests.factories import NOW, add_rep_records, make_org

AT_NOW = ["--now", NOW.isoformat()]


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    """Every rep: 200,000 signed-amount target in November, confirmed (add_rep_records) — but b1
    not; the year's accepted plan at 120,000 a month per rep up to November."""
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
            for rep in org.reps:
                add_rep_records(s, rep, rep.username)
            s.execute(delete(TargetConfirmation).where(TargetConfirmation.owner_id == org.b1.id))
    finally:
        engine.dispose()
    return org


def run(capsys, *argv):
    assert cli.main(["metrics", "targets", *argv, *AT_NOW]) == 0
    return capsys.readouterr().out


def test_metrics_targets_json(filled, capsys):
    out = json.loads(run(capsys, "--month", "2026-11", "--json"))
    assert out["month"] == "2026-11" and out["signed_amount"] == 800_000
    assert out["confirmed"] == 3 and out["unconfirmed"] == ["Bob B1"]
    assert out["plan"] == {"period": "2026", "version": 1, "total": 4 * 11 * 120_000}
    b1 = next(r for r in out["reps"] if r["rep"] == "Bob B1")
    assert (b1["signed_amount"], b1["collections"], b1["effective_visits"], b1["confirmation"]) == (
        200_000, 100_000, 4, "unconfirmed")


def test_metrics_targets_for_a_team_as_a_user_and_text(filled, capsys):
    out = json.loads(run(capsys, "--month", "2026-11", "--team", str(filled.beta.id), "--json"))
    assert [r["rep"] for r in out["reps"]] == ["Ben B2", "Bob B1"]
    mine = json.loads(run(capsys, "--month", "2026-11", "--as-user", "a1", "--json"))
    assert [r["rep"] for r in mine["reps"]] == ["Amy A1"] and mine["plan"]["total"] == 11 * 120_000
    text = run(capsys, "--month", "2026-11")
    assert "targets 2026-11: signed amount ¥800,000, 3 of 4 reps confirmed" in text
    assert "Beta · Bob B1: ¥200,000 unconfirmed" in text


def test_metrics_targets_refuses_a_bad_month(filled, capsys):
    assert cli.main(["metrics", "targets", "--month", "2026-13", *AT_NOW]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
