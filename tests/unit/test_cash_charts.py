"""The collections page's chart builders (ui.cash_charts), through their Vega-Lite specs."""
from __future__ import annotations

import pandas as pd

from ui.cash_charts import AGEING_COLORS, LIGHT_COLORS, PICK, ROW, ageing_chart, collection_bars


def bars_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "id": pd.array([2, 1, None], dtype="Int64"), "name": ["South", "North", "No team"],
        "rate": [30.76923, 55.5555, None], "color": ["red", "yellow", "grey"],
        "due": [130000.0, 180000.0, 0.0], "received": [40000.0, 100000.0, 0.0],
        "outstanding": [90000.0, 80000.0, 0.0], "caption": ["30.8% · ¥90,000", "55.6% · ¥80,000", "—"]})


def spec() -> dict:
    return collection_bars(bars_rows(), name_title="Region", rate_title="Rate", due_title="Due",
                           received_title="Received", outstanding_title="Outstanding").to_dict()


def data_of(s: dict) -> list[dict]:
    return next(iter(s["datasets"].values()))


def test_one_bar_per_group_in_the_given_order_coloured_by_its_light():
    s = spec()
    track, bars, text, hit = s["layer"]
    assert [layer["mark"]["type"] for layer in (track, bars, text, hit)] == ["bar", "bar", "text", "bar"]
    assert bars["encoding"]["y"]["sort"] == ["South", "North", "No team"]
    assert bars["encoding"]["x"]["field"] == "rate" and bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["color"] == {"field": "fill", "type": "nominal", "scale": None, "legend": None}
    rows = data_of(s)
    assert [(r["rate"], r["fill"]) for r in rows] == [(30.8, LIGHT_COLORS["red"]), (55.6, LIGHT_COLORS["yellow"]),
                                                     (0.0, LIGHT_COLORS["grey"])]
    assert text["encoding"]["text"]["field"] == "caption"
    assert s["height"] == {"step": ROW}


def test_a_click_anywhere_on_a_row_selects_its_id():
    s = spec()
    params = s.get("params") or s["layer"][3].get("params")
    pick = next(p for p in params if p["name"] == PICK)
    assert pick["select"] == {"type": "point", "fields": ["id"], "on": "click"}
    hit = s["layer"][3]
    assert hit["mark"]["fill"] == "transparent" and hit["mark"]["cursor"] == "pointer"
    assert hit["encoding"]["x"]["field"] == "full" and {r["full"] for r in data_of(s)} == {100.0}
    tips = [t["field"] for t in hit["encoding"]["tooltip"]]
    assert tips == ["name", "rate", "due_yuan", "received_yuan", "outstanding_yuan"]
    assert [(r["due_yuan"], r["outstanding_yuan"]) for r in data_of(s)] == [
        ("¥130,000", "¥90,000"), ("¥180,000", "¥80,000"), ("¥0", "¥0")]
    assert [r["id"] for r in data_of(s)] == [2, 1, None]


def test_the_ageing_bar_stacks_the_buckets_youngest_first():
    rows = pd.DataFrame({"team": ["Beta"] * 2 + ["Alpha"] * 2, "bucket": ["0–30", "> 90"] * 2,
                         "order": [0, 3, 0, 3], "outstanding": [0.0, 90000.0, 80000.0, 0.0]})
    s = ageing_chart(rows, ["0–30", "31–60", "61–90", "> 90"], team_title="Team", bucket_title="Days",
                     amount_title="¥").to_dict()
    enc = s["encoding"]
    assert s["mark"]["type"] == "bar" and enc["x"]["stack"] == "zero" and enc["x"]["field"] == "outstanding"
    assert enc["y"]["sort"] == ["Beta", "Alpha"]
    assert enc["color"]["scale"] == {"domain": ["0–30", "31–60", "61–90", "> 90"], "range": list(AGEING_COLORS)}
    assert enc["order"] == {"field": "order", "type": "quantitative", "sort": "ascending"}
    assert enc["x"]["axis"]["labelExpr"] == "'¥' + format(datum.value, ',.0f')"
    assert [t["field"] for t in enc["tooltip"]] == ["team", "bucket", "outstanding_yuan"]
    assert next(iter(s["datasets"].values()))[1]["outstanding_yuan"] == "¥90,000"
