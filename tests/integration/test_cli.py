"""The command line (SPEC §10): python -m cli init-db | metrics lights …"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

import cli
from core.base import config
from core.base.db import make_engine, write_tx
from tests.factories import NOW, add_lead, add_step_instance, make_org
from tests.pg import free_port

H = timedelta(hours=1)
AT_NOW = ["--now", NOW.isoformat()]


@pytest.fixture
def env(tmp_path, monkeypatch):
    """DATABASE_URL at a fresh SQLite file; no secrets file, development mode."""
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "secrets.toml")
    for name in ("COCKPIT_ENV", "COCKPIT_COOKIE_KEY"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def filled(env, capsys):
    """init-db, then: Alpha holds 3 of the 4 late leads; needs summary 1 of 2 on time."""
    assert cli.main(["init-db"]) == 0
    capsys.readouterr()
    engine = make_engine(env)
    try:
        with write_tx(engine) as s:
            org = make_org(s)
            for hours in (60, 70, 80):
                add_lead(s, org.a1, NOW - hours * H, None)
            add_lead(s, org.a2, NOW - 30 * H, NOW - 29 * H)
            add_lead(s, org.b1, NOW - 90 * H, None)
            add_lead(s, org.b1, NOW - 90 * H, NOW - 50 * H)
            add_step_instance(s, "needs_summary", org.b2, NOW - 50 * H, NOW - 26 * H, NOW - 30 * H)
            add_step_instance(s, "needs_summary", org.b2, NOW - 50 * H, NOW - 26 * H, None)
    finally:
        engine.dispose()
    return org


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *fragments: str) -> None:
    assert err.startswith("error: ")
    assert err.strip().count("\n") == 0, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_init_db_brings_an_empty_database_to_the_newest_schema(env, capsys):
    code, out, err = run(capsys, "init-db")
    assert code == 0 and err == ""
    assert "is at the newest schema" in out
    assert run(capsys, "init-db")[0] == 0  # again: nothing to do


def test_metrics_lights_json_has_the_known_figures(filled, capsys):
    code, out, err = run(capsys, "metrics", "lights", "--json", *AT_NOW)
    assert code == 0, err
    lights = {item["code"]: item for item in json.loads(out)}
    assert list(lights) == ["first_response", "needs_summary", "promotion_evidence", "solution_update"]

    fr = lights["first_response"]
    assert (fr["on_time"], fr["decided"], fr["misses"]) == (2, 6, 4)
    assert fr["rate"] == pytest.approx(100 / 3)
    assert fr["color"] == "red"
    assert fr["label"] == "48 h first response"
    assert fr["explanation"]["names"] == ["Alpha"]
    assert fr["explanation"]["share"] == 0.75
    assert fr["explanation"]["sentence"] == "Alpha holds 75% of the 4 late leads."
    assert [day for day, _, _ in fr["series"]] == [f"2026-11-{d}" for d in range(17, 24)]
    assert sum(decided for _, _, decided in fr["series"]) == 6

    ns = lights["needs_summary"]
    assert (ns["on_time"], ns["decided"], ns["rate"], ns["color"]) == (1, 2, 50.0, "red")
    assert lights["solution_update"]["rate"] is None
    assert lights["solution_update"]["color"] == "grey"


def test_metrics_in_a_leads_scope_and_in_chinese(filled, capsys):
    code, out, _ = run(capsys, "metrics", "lights", "--json", "--as-user", "lena", "--lang", "zh", *AT_NOW)
    assert code == 0
    fr = json.loads(out)[0]
    assert (fr["on_time"], fr["decided"]) == (1, 4)
    assert fr["label"] == "48小时首次响应"
    assert fr["explanation"]["sentence"] == "Amy A1占了3条超时未响应线索中的100%。"


def test_metrics_filters_by_team_and_window(filled, capsys):
    code, out, _ = run(capsys, "metrics", "lights", "--json", "--team", str(filled.beta.id), *AT_NOW)
    assert code == 0
    assert (json.loads(out)[0]["on_time"], json.loads(out)[0]["decided"]) == (1, 2)
    code, out, _ = run(capsys, "metrics", "lights", "--json", "--days", "1", "--end", "2026-11-22", *AT_NOW)
    assert code == 0
    assert json.loads(out)[0]["decided"] == 1  # the 30 h old lead, created on the 22nd


def test_metrics_as_text(filled, capsys):
    code, out, _ = run(capsys, "metrics", "lights", *AT_NOW)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "48 h first response: 33.3% (2/6) red"
    assert lines[1] == "  Alpha holds 75% of the 4 late leads."
    assert "Solution update: — (0/0) grey" in lines


@pytest.mark.parametrize("argv, fragment", [
    (["metrics", "lights", "--as-user", "nobody"], "no active user named 'nobody'"),
    (["metrics", "lights", "--now", "yesterday-ish"], "not a date or time"),
    (["metrics", "lights", "--end", "2026-13-45"], "error: "),
])
def test_bad_arguments_give_a_one_line_error(filled, capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert_one_line_error(err, fragment)


def test_an_unknown_metric_is_refused(filled, capsys):
    code, _, err = run(capsys, "metrics", "no_such_metric")
    assert code == 2
    assert "unknown metric 'no_such_metric'" in err and "known: lights, funnel" in err


def test_metrics_before_init_db_says_what_to_do(env, capsys):
    code, out, err = run(capsys, "metrics", "lights", *AT_NOW)
    assert code == 2 and out == ""
    assert_one_line_error(err, "init-db")


@pytest.mark.parametrize("command", [["init-db"], ["metrics", "lights", "--json"]])
def test_a_malformed_database_url_gives_exit_2_and_one_line(env, capsys, monkeypatch, command):
    monkeypatch.setenv("DATABASE_URL", "bogus")
    code, out, err = run(capsys, *command)
    assert code == 2 and out == ""
    assert_one_line_error(err, "DATABASE_URL", "bogus")


@pytest.mark.parametrize("command", [["init-db"], ["metrics", "lights", "--json"]])
def test_an_unreachable_postgresql_gives_exit_2_and_one_line(env, capsys, monkeypatch, command):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("DATABASE_URL", f"postgresql://cockpit@127.0.0.1:{port}/cockpit")
    started = datetime.now()
    code, out, err = run(capsys, *command)
    assert code == 2 and out == ""
    assert_one_line_error(err, "cannot be reached", f"127.0.0.1:{port}")
    assert datetime.now() - started < timedelta(seconds=10)


def test_production_with_a_weak_cookie_key_refuses_to_run(env, capsys, monkeypatch):
    monkeypatch.setenv("COCKPIT_ENV", "production")
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", "some_key")
    code, _, err = run(capsys, "init-db")
    assert code == 2
    assert_one_line_error(err, "COCKPIT_COOKIE_KEY")
