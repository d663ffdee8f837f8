"""The funnel chart builder, through its Vega-Lite spec."""
from __future__ import annotations

import pandas as pd

from ui.funnel_charts import PICK, funnel_chart


def stages() -> pd.DataFrame:
    return pd.DataFrame({
        "stage": ["initial_contact", "needs_confirmed", "proposal"], "label": ["Initial", "Needs", "Proposal"],
        "entered": [10, 6, 0], "value": [1000.0, 600.0, 0.0], "conversion": [62.5, None, None],
        "caption": ["10 · a", "6 · b", "0 · c"]})


def spec() -> dict:
    return funnel_chart(stages(), stage_title="Stage", entered_title="Entered", conversion_title="Conv",
                        value_title="Value").to_dict()


def test_bars_are_centred_and_ordered_as_the_funnel():
    s = spec()
    bars, text = s["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["y"]["sort"] == ["Initial", "Needs", "Proposal"]
    assert bars["encoding"]["x"]["field"] == "lo" and bars["encoding"]["x2"]["field"] == "hi"
    data = s["datasets"][s["data"]["name"]] if "data" in s else next(iter(s["datasets"].values()))
    first = data[0]
    assert (first["lo"], first["hi"], first["conversion"]) == (-5.0, 5.0, 62.5)
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "caption"


def test_a_click_selects_a_stage_by_its_code():
    s = spec()
    params = s.get("params") or s["layer"][0].get("params")
    pick = next(p for p in params if p["name"] == PICK)
    assert pick["select"]["type"] == "point" and pick["select"]["fields"] == ["stage"]
    assert pick["select"]["on"] == "click"
    opacity = s["layer"][0]["encoding"]["opacity"]
    assert opacity["condition"]["param"] == PICK and opacity["value"] == 0.35


def test_an_empty_funnel_still_draws():
    empty = stages().assign(entered=0, value=0.0)
    s = funnel_chart(empty, stage_title="S", entered_title="E", conversion_title="C", value_title="V").to_dict()
    assert s["layer"][0]["encoding"]["x"]["scale"]["domain"] == [-1.0, 2.2]
