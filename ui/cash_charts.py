"""The collections page's charts: pure builders from core.cash.collections' figures to Altair charts."""
from __future__ import annotations

import altair as alt
import pandas as pd

PICK = "pick"  # the point selection's name: st.altair_chart's event["selection"]["pick"]
LIGHT_COLORS = {"red": "#fc8181", "yellow": "#f6e05e", "green": "#68d391", "grey": "#cbd5e0"}  # light: text reads on them
TRACK = "#edf2f7"
ROW = 44  # px per bar: a browser test clicks the k-th bar at (k + ½) · ROW from the top
AGEING_COLORS = ("#fbd38d", "#f6ad55", "#dd6b20", "#9b2c2c")  # 0–30 … > 90 days: warmer as it ages


def yuan(value) -> str:
    """¥ with thousands separators, as the tables show amounts."""
    return "—" if value is None or pd.isna(value) else f"¥{float(value):,.0f}"


YUAN_AXIS = "'¥' + format(datum.value, ',.0f')"  # an amount axis's labels: ¥1,200,000


def collection_bars(rows: pd.DataFrame, *, name_title: str, rate_title: str, due_title: str, received_title: str,
                    outstanding_title: str) -> alt.LayerChart:
    """One horizontal bar per group (its collection rate, 0–100 %, coloured by its light) on a
    full-width track; a click anywhere on a row selects it (field ``id``).

    ``rows`` has columns id, name, rate (% or NA), color (a light colour), due, received,
    outstanding and caption (the text drawn on the bar), in the order to draw them (top first).
    """
    data = rows.assign(rate=rows["rate"].astype(float).round(1).fillna(0.0), full=100.0,
                       fill=rows["color"].map(LIGHT_COLORS).fillna(LIGHT_COLORS["grey"]),
                       **{f"{c}_yuan": rows[c].map(yuan) for c in ("due", "received", "outstanding")})
    pick = alt.selection_point(name=PICK, fields=["id"], on="click")
    y = alt.Y("name:N", sort=list(data["name"]), title=None,
              axis=alt.Axis(labelFontSize=13, labelLimit=220, ticks=False, domain=False))
    scale = alt.Scale(domain=[0, 100])
    tooltip = [alt.Tooltip("name:N", title=name_title), alt.Tooltip("rate:Q", title=rate_title, format=".1f"),
               alt.Tooltip("due_yuan:N", title=due_title), alt.Tooltip("received_yuan:N", title=received_title),
               alt.Tooltip("outstanding_yuan:N", title=outstanding_title)]
    base = alt.Chart(data)
    track = base.mark_bar(color=TRACK, cornerRadius=3).encode(y=y, x=alt.X("full:Q", scale=scale, title=rate_title))
    bars = base.mark_bar(cornerRadius=3).encode(y=y, x=alt.X("rate:Q", scale=scale),
                                                color=alt.Color("fill:N", scale=None, legend=None))
    text = base.mark_text(align="left", dx=6, fontSize=13, color="#1a202c").encode(
        y=y, x=alt.datum(0), text="caption:N")
    # on top, invisible but clickable: the whole row is the target, whatever the rate
    hit = base.mark_bar(fill="transparent", cursor="pointer").encode(
        y=y, x=alt.X("full:Q", scale=scale), tooltip=tooltip).add_params(pick)
    return alt.layer(track, bars, text, hit).properties(height=alt.Step(ROW))


def ageing_chart(rows: pd.DataFrame, bucket_labels: list[str], *, team_title: str, bucket_title: str,
                 amount_title: str) -> alt.Chart:
    """A stacked horizontal bar per team: the outstanding amount of each ageing bucket.

    ``rows`` has columns team (its name), bucket (its label, one of ``bucket_labels``, youngest
    first), order (0 = youngest) and outstanding."""
    teams = list(dict.fromkeys(rows["team"]))
    data = rows.assign(outstanding_yuan=rows["outstanding"].map(yuan))
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("team:N", sort=teams, title=None, axis=alt.Axis(labelFontSize=13, labelLimit=220)),
        x=alt.X("outstanding:Q", title=amount_title, stack="zero", axis=alt.Axis(labelExpr=YUAN_AXIS)),
        color=alt.Color("bucket:N", title=bucket_title,
                        scale=alt.Scale(domain=list(bucket_labels), range=list(AGEING_COLORS[:len(bucket_labels)])),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("order:Q", sort="ascending"),
        tooltip=[alt.Tooltip("team:N", title=team_title), alt.Tooltip("bucket:N", title=bucket_title),
                 alt.Tooltip("outstanding_yuan:N", title=amount_title)],
    ).properties(height=alt.Step(36))
