"""Chart builders of the target health page (SPEC §8): pure functions DataFrame → Altair chart."""
from __future__ import annotations

import altair as alt
import pandas as pd


def deviation_trend(df: pd.DataFrame, *, month_title: str, value_title: str) -> alt.Chart:
    """One line per rep or team: the deviation rate (%) of each month, with the zero line (on target).

    ``df`` has columns month ('YYYY-MM'), name and deviation (NaN: no target that month, left out)."""
    rows = df.dropna(subset=["deviation"]).assign(month=lambda d: pd.to_datetime(d["month"] + "-01"))
    lines = alt.Chart(rows).mark_line(point=True).encode(
        x=alt.X("month:T", title=month_title, axis=alt.Axis(format="%Y-%m", tickCount="month")),
        y=alt.Y("deviation:Q", title=value_title),
        color=alt.Color("name:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["name:N", alt.Tooltip("month:T", format="%Y-%m"), alt.Tooltip("deviation:Q", format="+.1f")],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(strokeDash=[4, 4], color="#718096").encode(y="y:Q")
    return (zero + lines).properties(height=280)
