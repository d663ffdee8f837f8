"""python -m cli metrics funnel: the funnel page's figures on the command line (SPEC §10)."""
from __future__ import annotations

import json

import pytest

import cli
from core.base import config
from core.funnel import stages as funnel
from core.base.db import make_engine, read_session, write_tx
from core.base.scope import Scope
from tests.factories import NOW, make_org
from tests.integration.test_funnel import T, add_deal

AT_NOW = ["--now", NOW.isoformat()]


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    """Alpha: a1 won (ic T20 → pr T12 → won T4), a2 lost (ic T10 → lost T9), a2 stalled in ic (T7);
    Beta: b1 in ic for 2 days."""
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
            add_deal(s, org.a1, "won one", [("ic", T(20)), ("pr", T(12)), ("won", T(4))], 100)
            add_deal(s, org.a2, "lost one", [("ic", T(10)), ("lost", T(9))], 50, source="expo")
            add_deal(s, org.a2, "stuck one", [("ic", T(7))], 30)
            add_deal(s, org.b1, "fresh one", [("ic", T(2))], 20, product="consumables")
        yield org, engine
    finally:
        engine.dispose()


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_metrics_funnel_json_has_the_page_figures(filled, capsys):
    org, engine = filled
    code, out, err = run(capsys, "metrics", "funnel", "--json", *AT_NOW)
    assert code == 0, err
    data = json.loads(out)
    cur = data["current"]
    ic = cur["stages"][0]
    assert ic["stage"] == "initial_contact"
    assert (ic["entered"], ic["moved_on"], ic["lost"], ic["stalled"], ic["undecided"]) == (4, 1, 1, 1, 1)
    assert ic["conversion"] == pytest.approx(100 / 3)
    assert (cur["won"], cur["lost"], cur["win_rate"]) == (1, 1, 50.0)
    assert cur["days_to_win_median"] == pytest.approx(16.0)
    assert [d["name"] for d in data["stalled_deals"]] == ["stuck one"]
    assert data["previous"]["start"] == "2026-09-25" and data["previous"]["stages"][0]["entered"] == 0
    # the same figures as the page's read
    with read_session(engine) as s:
        page = funnel.funnel(Scope(0, "admin", None), s, funnel.FunnelFilters.last_days(NOW.date(), 30), NOW)
    assert ic["conversion"] == page.stage("initial_contact").conversion
    assert cur["stalled_now"] == page.stalled_now == 1


def test_metrics_funnel_filters_and_scope(filled, capsys):
    org, _ = filled
    code, out, _ = run(capsys, "metrics", "funnel", "--json", "--team", str(org.beta.id), *AT_NOW)
    assert json.loads(out)["current"]["stages"][0]["entered"] == 1
    code, out, _ = run(capsys, "metrics", "funnel", "--json", "--source", "expo", *AT_NOW)
    assert json.loads(out)["current"]["lost"] == 1 and json.loads(out)["current"]["won"] == 0
    code, out, _ = run(capsys, "metrics", "funnel", "--json", "--as-user", "a1", *AT_NOW)
    assert json.loads(out)["current"]["stages"][0]["entered"] == 1
    code, out, _ = run(capsys, "metrics", "funnel", "--json", "--as-user", "a1", "--rep", str(org.a2.id), *AT_NOW)
    assert json.loads(out)["current"]["stages"][0]["entered"] == 0  # a filter cannot widen a scope


def test_metrics_funnel_text_output(filled, capsys):
    code, out, err = run(capsys, "metrics", "funnel", "--days", "7", "--end", "2026-11-23", *AT_NOW)
    assert code == 0, err
    assert "funnel 2026-11-17 – 2026-11-23 (previous 2026-11-10 – 2026-11-16)" in out
    assert "initial_contact" in out and "win rate" in out


@pytest.mark.parametrize("argv, fragment", [
    (["--days", "0"], "The period ends before it starts"),
    (["--days", "400"], "at most 366 days"),
    (["--end", "yesterday"], "Invalid isoformat"),
    (["--as-user", "nobody"], "no active user"),
])
def test_metrics_funnel_bad_input_is_one_line(filled, capsys, argv, fragment):
    code, out, err = run(capsys, "metrics", "funnel", *argv, *AT_NOW)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.strip().count("\n") == 0 and fragment in err, err
