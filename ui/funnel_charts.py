"""The funnel chart: a pure builder from the stage figures to a clickable Altair chart."""
from __future__ import annotations

import altair as alt
import pandas as pd

PICK = "pick"  # the point selection's name: st.altair_chart's event["selection"]["pick"]
BAR = "#2b6cb0"


def funnel_chart(stages: pd.DataFrame, *, stage_title: str, entered_title: str, conversion_title: str,
                 value_title: str) -> alt.LayerChart:
    """Centred bars, widest at the top, one per stage; a click selects the stage (field ``stage``).

    ``stages`` has columns stage (code), label, entered, value, conversion (% or NA) and caption
    (the text drawn beside each bar).
    """
    half = stages["entered"].astype(float) / 2
    data = stages.assign(lo=-half, hi=half, conversion=stages["conversion"].astype(float).round(1))
    pick = alt.selection_point(name=PICK, fields=["stage"], on="click")
    y = alt.Y("label:N", sort=list(stages["label"]), title=None,
              axis=alt.Axis(labelFontSize=13, labelLimit=200, ticks=False, domain=False))
    width = max(float(half.max()), 1.0)
    x = alt.X("lo:Q", title=None, axis=None, scale=alt.Scale(domain=[-width, width * 2.2]))
    tooltip = [alt.Tooltip("label:N", title=stage_title), alt.Tooltip("entered:Q", title=entered_title),
               alt.Tooltip("value:Q", title=value_title, format=",.0f"),
               alt.Tooltip("conversion:Q", title=conversion_title, format=".1f")]
    bars = alt.Chart(data).mark_bar(cornerRadius=3, color=BAR, cursor="pointer").encode(
        y=y, x=x, x2="hi:Q", tooltip=tooltip,
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
    ).add_params(pick)
    text = alt.Chart(data).mark_text(align="left", dx=8, fontSize=13).encode(
        y=y, x=alt.X("hi:Q", axis=None), text="caption:N")
    return alt.layer(bars, text).properties(height=60 * len(stages) + 20)
