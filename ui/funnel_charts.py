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


DROP = "#c53030"
LEVEL = "#4a5568"


def weekly_conversion_chart(weeks: pd.DataFrame, level: float, *, week_title: str, rate_title: str,
                            level_title: str, decided_title: str) -> alt.LayerChart:
    """One bar per week (columns week — a label —, rate in % or NA, decided, judged — True for the
    week judged against the level), and the 4-week level as a dashed rule."""
    data = weeks.assign(rate=weeks["rate"].astype(float).round(1))
    bars = alt.Chart(data).mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3, size=36).encode(
        x=alt.X("week:N", sort=list(weeks["week"]), title=week_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rate:Q", title=rate_title, scale=alt.Scale(domain=[0, 100])),
        color=alt.condition(alt.datum.judged, alt.value(DROP), alt.value(BAR)),
        tooltip=[alt.Tooltip("week:N", title=week_title), alt.Tooltip("rate:Q", title=rate_title, format=".1f"),
                 alt.Tooltip("decided:Q", title=decided_title)])
    rule = alt.Chart(pd.DataFrame({"level": [round(float(level), 1)], "label": [level_title]})).mark_rule(
        color=LEVEL, strokeDash=[6, 4], size=2).encode(
        y="level:Q", tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("level:Q", format=".1f")])
    return alt.layer(bars, rule).properties(height=220)
