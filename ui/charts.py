"""Chart builders: pure functions from a DataFrame to an Altair chart, tested through to_dict()."""
from __future__ import annotations

import altair as alt
import pandas as pd

LIGHT_COLORS = {"red": "#d62728", "yellow": "#f0b400", "green": "#2ca02c", "grey": "#9e9e9e"}


def light_trend(series: pd.DataFrame, red_below: float, green_above: float, *, day_title: str,
                rate_title: str) -> alt.Chart:
    """Daily rate (%) of one light with its red and green thresholds as dashed rules.

    ``series`` has columns day, rate (% or NA) and decided (count).
    """
    data = series.assign(day=pd.to_datetime(series["day"]))
    base = alt.Chart(data).encode(x=alt.X("yearmonthdate(day):T", title=day_title,
                                                    axis=alt.Axis(format="%m-%d", tickCount="day")))
    line = base.mark_line(point=True, color="#1f77b4").encode(
        y=alt.Y("rate:Q", title=rate_title, scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("day:T", format="%Y-%m-%d"), alt.Tooltip("rate:Q", format=".1f"),
                 alt.Tooltip("decided:Q")],
    )
    rules = alt.Chart(pd.DataFrame({"y": [red_below, green_above], "kind": ["red", "green"]})).mark_rule(
        strokeDash=[4, 4]).encode(
        y="y:Q", color=alt.Color("kind:N", scale=alt.Scale(domain=["red", "green"],
                                                           range=[LIGHT_COLORS["red"], LIGHT_COLORS["green"]]),
                                 legend=None))
    return alt.layer(line, rules).properties(height=220)
