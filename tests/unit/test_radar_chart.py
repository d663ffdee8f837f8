"""The capability radar builder (ui.charts.capability_radar) on its Vega-Lite spec: rings, spokes,
a closed polygon per series with its drawing order, equal axes, labels in the user's language."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from core.base.vocabulary import DIMENSIONS
from ui import charts

LABELS = {"opportunity_discovery": "商机挖掘", "solution_presentation": "方案呈现",
          "negotiation_closing": "谈判成交", "relationship_care": "客情维护"}
NAN = float("nan")


def radar(scores, team):
    return pd.DataFrame({"dimension": list(DIMENSIONS), "score": scores, "team_average": team})


def spec(scores=(2.0, 4.0, 3.0, NAN), team=(3.0, 3.0, 3.0, 5.0)):
    chart = charts.capability_radar(radar(list(scores), list(team)), LABELS, rep_name="Amy A1", team_name="团队均值")
    return chart.to_dict()


def layer_data(d, layer) -> pd.DataFrame:
    return pd.DataFrame(d["datasets"][layer["data"]["name"]])


def layers_of(d, mark):
    return [layer for layer in d["layer"] if layer["mark"]["type"] == mark]


def test_rings_are_closed_polygons_at_each_score():
    d = spec()
    rings = layer_data(d, layers_of(d, "line")[0])
    assert sorted(rings["ring"].unique()) == [1, 2, 3, 4, 5]
    for ring, points in rings.groupby("ring"):
        assert len(points) == 5  # four corners and back to the first
        assert points.iloc[0][["x", "y"]].tolist() == pytest.approx(points.iloc[-1][["x", "y"]].tolist())
        assert (points["x"] ** 2 + points["y"] ** 2).map(math.sqrt).tolist() == pytest.approx([ring] * 5)
    assert layers_of(d, "line")[0]["encoding"]["order"] == {"field": "order", "type": "quantitative"}


def test_one_spoke_per_dimension_from_the_centre_to_five():
    d = spec()
    spokes = layer_data(d, layers_of(d, "line")[1])
    assert spokes.groupby("spoke").size().to_dict() == {d: 2 for d in DIMENSIONS}
    ends = spokes[spokes["order"] == 1].set_index("spoke")
    assert ends.loc["opportunity_discovery", ["x", "y"]].tolist() == pytest.approx([0, 5])  # up
    assert ends.loc["solution_presentation", ["x", "y"]].tolist() == pytest.approx([5, 0])  # then clockwise
    assert ends.loc["relationship_care", ["x", "y"]].tolist() == pytest.approx([-5, 0])


def test_each_series_is_a_filled_closed_polygon_in_drawing_order():
    d = spec()
    polygon = [layer for layer in layers_of(d, "line") if layer["mark"].get("filled")]
    assert len(polygon) == 1
    mark, enc = polygon[0]["mark"], polygon[0]["encoding"]
    assert mark["fillOpacity"] == 0.15 and enc["order"]["field"] == "order"
    assert enc["color"]["scale"] == {"domain": ["Amy A1", "团队均值"], "range": list(charts.RADAR_COLORS)}
    assert enc["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]  # the team average dashed
    assert enc["fillOpacity"]["scale"]["range"] == [0.25, 0.06]  # and lighter
    assert enc["stroke"]["scale"] == enc["color"]["scale"]  # outlined in the series' colour
    data = layer_data(d, polygon[0])
    rep = data[data["series"] == "Amy A1"].sort_values("order")
    # relationship care is not scored: three corners, closed again at the first
    assert rep["dimension"].tolist() == ["商机挖掘", "方案呈现", "谈判成交", "商机挖掘"]
    assert rep[["x", "y"]].round(9).values.tolist() == [[0, 2], [4, 0], [0, -3], [0, 2]]
    team = data[data["series"] == "团队均值"].sort_values("order")
    assert team["order"].tolist() == [0, 1, 2, 3, 4]
    assert team["score"].tolist() == [3.0, 3.0, 3.0, 5.0, 3.0]
    assert team[["x", "y"]].round(9).values.tolist()[3] == [-5, 0]


def test_points_carry_a_tooltip_with_series_dimension_and_score():
    d = spec()
    points = layer_data(d, layers_of(d, "circle")[0])
    assert len(points) == 3 + 4  # no closing point
    assert "Amy A1 · 商机挖掘: 2.0" in points["tip"].tolist()
    assert layers_of(d, "circle")[0]["encoding"]["tooltip"] == {"field": "tip", "type": "nominal"}


def test_axes_are_hidden_and_equal_per_point_so_the_radar_is_round():
    d = spec()
    enc = layers_of(d, "line")[0]["encoding"]
    (x_low, x_high), (y_low, y_high) = enc["x"]["scale"]["domain"], enc["y"]["scale"]["domain"]
    assert x_low == -x_high and y_low == -y_high and min(x_high, y_high) > 5  # centred, room for labels
    assert d["width"] / (2 * x_high) == pytest.approx(d["height"] / (2 * y_high), rel=0.01)
    assert d["height"] / (2 * y_high) * 5 == pytest.approx(150, rel=0.01)  # the outer ring: 150 px
    assert enc["x"]["axis"] is None and enc["y"]["axis"] is None


def test_long_names_widen_the_chart_instead_of_being_cut():
    english = {"opportunity_discovery": "Opportunity discovery", "solution_presentation": "Solution presentation",
               "negotiation_closing": "Negotiation and closing", "relationship_care": "Relationship care"}
    frame = radar([2.0, 4.0, 3.0, 5.0], [3.0] * 4)
    wide = charts.capability_radar(frame, english, rep_name="Amy", team_name="Team").to_dict()
    narrow = charts.capability_radar(frame, LABELS, rep_name="Amy", team_name="Team").to_dict()
    assert wide["width"] > narrow["width"] + 100 and wide["height"] == narrow["height"]
    x_high = wide["layer"][0]["encoding"]["x"]["scale"]["domain"][1]
    # "Solution presentation" starts at 5.45 on the right and is about 164 px (5.5 points) long
    assert x_high >= 5.45 + 5.4


def test_the_dimension_names_are_written_around_it_in_the_users_language():
    d = spec()
    names = [t for layer in layers_of(d, "text") for t in layer_data(d, layer).get("label", [])]
    assert sorted(names) == sorted(LABELS.values())
    ticks = layer_data(d, layers_of(d, "text")[0])
    assert ticks["text"].tolist() == ["1", "2", "3", "4", "5"]
    # halfway between the first two spokes, on each ring's edge
    assert ticks[["x", "y"]].iloc[4].round(9).tolist() == [2.5, 2.5]


def test_a_hidden_team_average_is_neither_drawn_nor_in_the_legend():
    d = spec(team=[NAN] * 4)
    polygon = [layer for layer in layers_of(d, "line") if layer["mark"].get("filled")][0]
    assert polygon["encoding"]["color"]["scale"] == {"domain": ["Amy A1"], "range": [charts.RADAR_COLORS[0]]}
    assert set(layer_data(d, polygon)["series"]) == {"Amy A1"}


def test_a_rep_without_scores_draws_only_the_grid():
    d = spec(scores=[NAN] * 4, team=[NAN] * 4)
    assert not layers_of(d, "circle")
    assert not [layer for layer in layers_of(d, "line") if layer["mark"].get("filled")]


def test_history_has_one_line_per_dimension_on_the_score_scale():
    history = pd.DataFrame({"assessed_at": pd.to_datetime(["2026-10-01", "2026-11-01", "2026-11-01"]),
                            "dimension": ["opportunity_discovery", "opportunity_discovery", "relationship_care"],
                            "score": [3, 4, 2]})
    d = charts.capability_history(history, LABELS, date_title="日期", score_title="得分").to_dict()
    assert d["encoding"]["y"]["scale"]["domain"] == [0.5, 5.5]
    assert d["encoding"]["color"]["sort"] == list(LABELS.values())
    assert d["encoding"]["x"]["title"] == "日期"
    assert sorted(pd.DataFrame(d["datasets"][d["data"]["name"]])["label"].unique()) == sorted(["商机挖掘", "客情维护"])
