"""The scorecard's chart builders (ui.scorecard_charts), through their Vega-Lite specs, and the
formula's pure pieces (core.people.scorecard) on hand-made numbers."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from core.people import scorecard as sc
from ui import scorecard_charts


def _values(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_the_weekly_trend_draws_the_rep_against_the_team_and_leaves_out_an_empty_series():
    trend = pd.DataFrame({"week": [date(2026, 11, 9), date(2026, 11, 16)], "score": [55.0, float("nan")],
                          "team_average": [60.0, 62.5]})
    spec = scorecard_charts.weekly_trend(trend, rep_name="我", team_name="团队均值", week_title="周",
                                         score_title="得分").to_dict()
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["我", "团队均值"]
    assert sorted((v["series"], v["value"]) for v in _values(spec) if v["value"] is not None) == [
        ("团队均值", 60.0), ("团队均值", 62.5), ("我", 55.0)]
    hidden = trend.assign(team_average=float("nan"))
    spec = scorecard_charts.weekly_trend(hidden, rep_name="我", team_name="团队均值", week_title="周",
                                         score_title="得分").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["我"]
    assert {v["series"] for v in _values(spec)} == {"我"}


def test_the_parts_chart_puts_each_part_beside_the_team_average():
    parts = pd.DataFrame({"part": ["业绩结果", "过程执行", "服务质量"], "score": [40.0, float("nan"), 87.5],
                          "team_average": [66.8, 81.0, float("nan")]})
    spec = scorecard_charts.parts_against_team(parts, rep_name="我", team_name="团队均值", value_title="得分").to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["sort"] == ["业绩结果", "过程执行", "服务质量"]
    assert bars["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert sorted((v["part"], v["series"], v["value"]) for v in _values(spec)) == [
        ("业绩结果", "团队均值", 66.8), ("业绩结果", "我", 40.0), ("服务质量", "我", 87.5), ("过程执行", "团队均值", 81.0)]


def test_attainment_caps_at_100_and_needs_a_positive_target():
    assert sc.attainment(50, 100) == 50 and sc.attainment(150, 100) == 100
    assert sc.attainment(50, None) is None and sc.attainment(50, 0) is None and sc.attainment(-5, 10) == 0


def test_components_parts_and_the_reweighted_score_from_counts():
    raw = sc.Raw(signed=30000, collected=0, steps_decided=4, steps_on_time=3, visits=2, active_customers=5,
                 complaint_customers=1, surveys=2, satisfaction_mean=4.5)
    comps = {c.code: c for c in sc.components(raw, sc.Targets(signed_amount=60000, collections=None,
                                                                effective_visits=8))}
    assert comps["signed_attainment"].value == 50 and comps["collection_attainment"].missing == "no_target"
    assert comps["step_on_time"].value == 75 and comps["visit_attainment"].value == 25
    assert comps["complaint_free"].value == pytest.approx(80) and comps["satisfaction"].value == pytest.approx(87.5)
    # what the page says: "3 of 4 due steps done on time", "1 of 5 active customers complained"
    assert (comps["step_on_time"].count, comps["step_on_time"].basis) == (3, 4)
    assert (comps["complaint_free"].count, comps["complaint_free"].basis) == (1, 5)
    parts = sc.part_values(comps.values())
    assert parts == pytest.approx({"results": 50, "process": 50, "quality": 83.75})
    score, used = sc.combine(parts, {"results": 0.6, "process": 0.25, "quality": 0.15})
    assert score == pytest.approx(0.6 * 50 + 0.25 * 50 + 0.15 * 83.75) and used == pytest.approx(
        {"results": 0.6, "process": 0.25, "quality": 0.15})
    assert sc.combine({"results": None, "process": None, "quality": None}, {"results": 1, "process": 1,
                                                                             "quality": 1}) == (None, {})
    assert sc.combine({"results": 80.0, "process": None, "quality": None},
                      {"results": 0.0, "process": 0.5, "quality": 0.5}) == (None, {})  # only a zero weight


def test_an_empty_window_has_no_data_and_no_division_by_zero():
    comps = sc.components(sc.Raw(), sc.Targets())
    assert all(c.value is None for c in comps)
    assert not any(math.isnan(c.actual) for c in comps if isinstance(c.actual, float))


def test_competition_rank_shares_ranks_on_ties():
    assert sc.competition_rank({1: 80.0, 2: 90.0, 3: 80.0, 4: None, 5: 70.0}) == {2: 1, 1: 2, 3: 2, 5: 4}


def test_months_and_weeks():
    assert sc.recent_months(date(2026, 2, 10), 4) == ["2026-02", "2026-01", "2025-12", "2025-11"]
    assert sc.parse_month("2026-12") == (pd.Timestamp(2026, 12, 1).to_pydatetime(),
                                         pd.Timestamp(2027, 1, 1).to_pydatetime())
    weeks = sc.week_windows(pd.Timestamp(2026, 11, 25, 9).to_pydatetime(), 2)
    assert [(s.date().isoformat(), e.isoformat()) for s, e in weeks] == [
        ("2026-11-16", "2026-11-23T00:00:00"), ("2026-11-23", "2026-11-25T09:00:00")]
