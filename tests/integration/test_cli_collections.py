"""python -m cli metrics collections: the collections page's lights on the command line (SPEC §7, §10),
on the contracts of tests.collections_samples (figures in tests/integration/test_collections.py)."""
from __future__ import annotations

import json

import pytest

import cli
from core.base import config
from core.base.db import make_engine, write_tx
from tests.collections_samples import build_cash
from tests.factories import NOW

AT_NOW = ["--now", NOW.isoformat()]


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
            org, ids = build_cash(s)
        yield org
    finally:
        engine.dispose()


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_metrics_collections_prints_the_three_lights(filled, capsys):
    code, out, err = run(capsys, "metrics", "collections", *AT_NOW)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Collection rate to date: 45.2% (¥140,000 of ¥310,000 due, ¥170,000 outstanding) red",
        "  Beta holds 53% of the ¥170,000 not yet collected.",
        "This month: 46.7% (¥70,000 of ¥150,000 due, ¥80,000 outstanding) red",
        "  Alpha holds 100% of the ¥80,000 not yet collected.",
        "This quarter: 52.9% (¥90,000 of ¥170,000 due, ¥80,000 outstanding) red",
        "  Alpha holds 100% of the ¥80,000 not yet collected.",
    ]


def test_metrics_collections_json_has_the_figures_explanation_and_teams(filled, capsys):
    code, out, err = run(capsys, "metrics", "collections", "--json", "--lang", "zh", *AT_NOW)
    assert code == 0, err
    result = json.loads(out)
    to_date, month, quarter = result["lights"]
    assert (to_date["window"], to_date["due"], to_date["received"], to_date["outstanding"], to_date["rate"],
            to_date["color"]) == ("to_date", 310000, 140000, 170000, 45.16, "red")
    assert to_date["explanation"] == {"names": ["Beta"], "share": 0.5294, "outstanding": 170000, "by": "team",
                                      "sentence": "Beta占未回款 ¥170,000 中的 53%。"}
    assert (month["start"], month["end"], month["rate"]) == ("2026-11-01", "2026-11-23", 46.67)
    assert (quarter["start"], quarter["label"]) == ("2026-10-01", "本季度回款率")
    teams = result["by_team"]["to_date"]
    assert [(t["name"], t["due"], t["received"], t["outstanding"], round(t["rate"], 1), t["color"]) for t in teams] == [
        ("Beta", 130000, 40000, 90000, 30.8, "red"), ("Alpha", 180000, 100000, 80000, 55.6, "red")]
    assert [t["name"] for t in result["by_team"]["month"]] == ["Alpha", "Beta"]  # Alpha 27.3 %, Beta 100 %
    assert result["today"] == "2026-11-23"


def test_metrics_collections_narrowed_and_as_a_user(filled, capsys):
    org = filled
    code, out, _ = run(capsys, "metrics", "collections", "--team", str(org.alpha.id), *AT_NOW)
    assert code == 0
    assert out.splitlines()[:2] == [
        "Collection rate to date: 55.6% (¥100,000 of ¥180,000 due, ¥80,000 outstanding) red",
        "  In Alpha, Amy A1 holds 62% of the ¥80,000 not yet collected."]
    code, out, _ = run(capsys, "metrics", "collections", "--as-user", "a1", "--json", *AT_NOW)
    result = json.loads(out)
    assert [(x["due"], x["received"], x["explanation"]) for x in result["lights"]] == [
        (120000, 70000, None), (50000, 0, None), (70000, 20000, None)]
    assert [t["name"] for t in result["by_team"]["to_date"]] == ["Alpha"]
    code, out, _ = run(capsys, "metrics", "collections", "--region", str(org.south.id), *AT_NOW)
    assert "In Beta, Bob B1 holds 100% of the ¥90,000 not yet collected." in out
    assert "This month: 100.0% (¥40,000 of ¥40,000 due, ¥0 outstanding) green" in out


def test_metrics_collections_for_an_unknown_user_fails_plainly(filled, capsys):
    code, _, err = run(capsys, "metrics", "collections", "--as-user", "nobody", *AT_NOW)
    assert code == 2 and "nobody" in err
