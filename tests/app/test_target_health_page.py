"""AppTest of the target health page (SPEC §8) per role, on the shared app database: every
rep has a November target of 200,000 signed and a contract of 80,000 (tests.factories.add_rep_records);
at NOW (23 Nov, noon) 150,000 of it is due, so each rep's achievement is 53.3 % (red) and the
November deviation rate is (80,000 − 200,000) ÷ 200,000 = −60 %. Pat (Alpha) has no target."""
from __future__ import annotations

import pytest

from tests.app.conftest import frame, texts

pytestmark = pytest.mark.app
PAGE = "pages/target_health.py"
NAME, ACH, LIGHT = "Rep / team", "Achievement %", "Achievement"


def rows(at):
    df = frame(at, NAME, ACH, LIGHT)
    return {r[NAME]: r for _, r in df.iterrows()}


def test_the_director_sees_every_rep_and_team(open_page):
    at = open_page("dora")
    shown = rows(at)
    assert {"Amy A1", "Ann A2", "Bob B1", "Ben B2", "Alpha", "Beta"} <= set(shown)
    assert shown["Amy A1"][ACH] == pytest.approx(53.3)
    assert shown["Amy A1"][LIGHT] == "Red"
    assert shown["Alpha"][ACH] == pytest.approx(53.3)  # 160,000 of 300,000 due
    page = texts(at)
    assert "¥80,000 signed of ¥150,000 due by now (53.3%)." in shown["Amy A1"]["Why"]
    assert "short of the target to date" in page  # the view's red light says who holds the shortfall
    deviation = frame(at, NAME, "2026-11")
    assert set(deviation[NAME]) == {"Alpha", "Beta"}  # teams first
    assert deviation.set_index(NAME).loc["Alpha", "2026-11"] == pytest.approx(-60.0)


def test_a_lead_sees_their_team_only(open_page):
    at = open_page("lena")
    shown = rows(at)
    assert "Alpha" in shown and "Amy A1" in shown
    assert not {"Beta", "Bob B1", "Ben B2"} & set(shown)


def test_a_rep_sees_only_their_own_row(open_page):
    at = open_page("a1")
    shown = rows(at)
    assert list(shown) == ["Amy A1"]
    assert "Your own figures." in texts(at)
    deviation = frame(at, NAME, "2026-11")
    assert list(deviation[NAME]) == ["Amy A1"]
    assert deviation[NAME].size == 1 and deviation["2026-11"].iloc[0] == pytest.approx(-60.0)
    assert not at.radio  # no choice of teams for a rep


def test_the_page_in_chinese(open_page):
    at = open_page("dora", lang="zh")
    assert "目标健康" in texts(at)
    assert frame(at, "销售 / 团队", "达成率 %") is not None
