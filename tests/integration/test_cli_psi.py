"""python -m cli metrics psi: the PSI page's figures on the command line (SPEC §6, §10)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

import cli
from core.base import config
from core.process import psi
from core.base.db import make_engine, read_session, write_tx
from core.base.models import CrossDeptRequest, CustomerIssue
from core.base.scope import Scope
from tests.factories import NOW, add_customer, add_step_instance, make_org

AT_NOW = ["--now", NOW.isoformat()]
H = timedelta(hours=1)
NOV = datetime(2026, 11, 1)


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    """November: Alpha — a1's needs summaries 3 on time of 4, an issue closed in 6 days, a request
    answered in 12 h; Beta — b1's one late instance. October: a1's one on-time instance."""
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
            start = NOV + 2 * timedelta(days=1)
            for late in (False, False, False, True):
                add_step_instance(s, "needs_summary", org.a1, start, start + 24 * H, start + (30 if late else 2) * H)
            add_step_instance(s, "needs_summary", org.b1, start, start + 24 * H, None)
            october = datetime(2026, 10, 5)
            add_step_instance(s, "needs_summary", org.a1, october, october + 24 * H, october + H)
            c = add_customer(s, org.a1)
            s.add(CustomerIssue(customer_id=c.id, owner_id=org.a1.id, team_id=org.alpha.id, title="price",
                                raised_at=start, closed_at=start + 144 * H, resolution="done"))
            s.add(CrossDeptRequest(customer_id=c.id, owner_id=org.a1.id, team_id=org.alpha.id, department="support",
                                   subject="install", requested_at=start, answered_at=start + 12 * H, answer="ok"))
        yield org, engine
    finally:
        engine.dispose()


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_metrics_psi_json_has_the_page_figures(filled, capsys):
    org, engine = filled
    code, out, err = run(capsys, "metrics", "psi", "--month", "2026-11", "--json", *AT_NOW)
    assert code == 0, err
    data = json.loads(out)
    overall = data["overall"]
    parts = {p["code"]: p for p in overall["parts"]}
    # on time 3 of 5 = 60; closure 100 · 3 / 6 = 50; collaboration 100 → 0.4·60 + 0.35·50 + 0.25·100
    assert (parts["on_time"]["value"], parts["closure"]["value"], parts["collaboration"]["value"]) == (60.0, 50.0, 100.0)
    assert (overall["value"], overall["tier"], overall["payout"]) == (66.5, "none", 0.0)
    assert [(t["team"], t["value"]) for t in data["teams"]] == [
        ("Alpha", round(0.4 * 75 + 0.35 * 50 + 0.25 * 100, 1)), ("Beta", 0.0)]
    assert [t["month"] for t in data["trend"]] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert data["trend"][-2]["psi"] == 100.0
    assert data["drag"]["part"] == "closure"
    # the same figures as the page's read
    with read_session(engine) as s:
        page = psi.psi_report(Scope(0, "admin", None), s, "2026-11", NOW)
    assert json.loads(json.dumps(psi.report_dict(page), default=str)) == data


def test_metrics_psi_for_one_team_as_a_user_and_the_default_month(filled, capsys):
    org, _ = filled
    code, out, err = run(capsys, "metrics", "psi", "--team", str(org.beta.id), "--json", *AT_NOW)
    assert code == 0, err
    data = json.loads(out)
    assert data["month"] == "2026-11" and data["overall"]["team"] == "Beta" and data["teams"] == []
    assert data["overall"]["value"] == 0.0 and data["overall"]["missing"] == ["closure", "collaboration"]
    code, out, _ = run(capsys, "metrics", "psi", "--as-user", "lena", "--json", *AT_NOW)
    assert [t["team"] for t in json.loads(out)["teams"]] == ["Alpha"]


def test_metrics_psi_text_and_bad_months(filled, capsys):
    code, out, err = run(capsys, "metrics", "psi", "--month", "2026-11", *AT_NOW)
    assert code == 0, err
    assert out.splitlines()[0].startswith("overall 2026-11: PSI 66.5 tier none payout 0.0%")
    assert "pulled down by closure" in out
    code, out, err = run(capsys, "metrics", "psi", "--month", "2026-13", *AT_NOW)
    assert code == 2 and "2026-13" in err and "YYYY-MM" in err
    code, _, err = run(capsys, "metrics", "psi", "--month", "2027-01", *AT_NOW)
    assert code == 2 and "not started" in err
    code, _, err = run(capsys, "metrics", "psi", "--month", "2026-11", "--lang", "zh", "--now", "2026-10-15T09:00")
    assert code == 2 and "尚未开始" in err
