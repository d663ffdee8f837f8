"""`python -m cli brief`: the morning brief as JSON or Markdown, in the reader's scope and language."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

import cli
from core.base import config
from core.base.db import make_engine, write_tx
from tests.factories import NOW, add_lead, make_org

H = timedelta(hours=1)
AT_NOW = ["--now", NOW.isoformat()]


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    """Alpha's three leads never contacted; Beta's on time."""
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "secrets.toml")
    for name in ("COCKPIT_ENV", "COCKPIT_COOKIE_KEY"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["init-db"]) == 0
    capsys.readouterr()
    engine = make_engine(url)
    try:
        with write_tx(engine) as s:
            org = make_org(s)
            for hours in (60, 70, 80):
                add_lead(s, org.a1, NOW - hours * H)
                add_lead(s, org.b1, NOW - hours * H, NOW - hours * H + H)
            org.lead_beta.language = "zh"
    finally:
        engine.dispose()


def test_brief_json_for_the_company(filled, capsys):
    assert cli.main(["brief", "--json", *AT_NOW]) == 0
    assert json.loads(capsys.readouterr().out)["lang"] == "zh"  # the company's default language
    assert cli.main(["brief", "--json", "--lang", "en", *AT_NOW]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["day"] == "2026-11-23" and got["lang"] == "en"
    assert [s["kind"] for s in got["sentences"]] == ["headline", "red_light", "needs_help"]
    assert got["sentences"][1]["link"] == "cockpit?light=first_response"
    assert got["text"].startswith("Morning brief for 2026-11-23: 1 of 4 lights are red.")


def test_brief_markdown_for_a_lead_in_their_language(filled, capsys):
    assert cli.main(["brief", "--as-user", "leo", "--markdown", "--base-url", "https://cockpit.example/", *AT_NOW]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "[2026-11-23晨会简报：4个指标灯中有0个红灯。](https://cockpit.example/cockpit)[没有红灯。](https://cockpit.example/cockpit)"
    assert cli.main(["brief", "--as-user", "lena", "--lang", "en", *AT_NOW]) == 0
    text = capsys.readouterr().out
    assert "Amy A1 needs help today" in text and "Beta" not in text


def test_brief_refuses_an_unknown_user(filled, capsys):
    assert cli.main(["brief", "--as-user", "nobody", *AT_NOW]) == 2
    assert "nobody" in capsys.readouterr().err
