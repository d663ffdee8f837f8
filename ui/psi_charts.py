"""Chart builders of the PSI and process-analysis pages: pure functions DataFrame → Altair chart."""
from __future__ import annotations

import altair as alt
import pandas as pd

PSI_COLOR = "#1f4e79"
PART_COLORS = ("#7fb3d5", "#f5b041", "#82e0aa")
TIER_COLORS = {"full": "#2ca02c", "partial": "#f0b400"}
FLAG_COLORS = ("#5b8def", "#d62728")  # within the flag threshold, beyond it


def psi_trend(trend: pd.DataFrame, series_order: list[str], full: float, partial: float, *, month_title: str,
              value_title: str) -> alt.LayerChart:
    """The PSI and its parts month by month, with the two tier edges as dashed rules.

    ``trend`` has columns month ('YYYY-MM'), series (a label), value (0–100 or NaN: not drawn);
    ``series_order`` lists the labels, the PSI first (drawn thick).
    """
    data = trend.dropna(subset=["value"]).assign(value=lambda d: d["value"].astype(float).round(1))
    colors = [PSI_COLOR, *PART_COLORS][:len(series_order)]
    x = alt.X("month:O", title=month_title, sort=sorted(trend["month"].unique()), axis=alt.Axis(labelAngle=0))
    color = alt.Color("series:N", sort=series_order, scale=alt.Scale(domain=series_order, range=colors),
                      legend=alt.Legend(title=None, orient="bottom"))
    size = alt.Size("series:N", sort=series_order, legend=None,
                    scale=alt.Scale(domain=series_order, range=[3.5] + [1.5] * (len(series_order) - 1)))
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=x, y=alt.Y("value:Q", title=value_title, scale=alt.Scale(domain=[0, 100])), color=color, size=size,
        tooltip=[alt.Tooltip("month:O", title=month_title), alt.Tooltip("series:N", title=None),
                 alt.Tooltip("value:Q", title=value_title, format=".1f")])
    edges = pd.DataFrame({"y": [full, partial], "tier": ["full", "partial"]})
    rules = alt.Chart(edges).mark_rule(strokeDash=[5, 4]).encode(
        y="y:Q", color=alt.Color("tier:N", scale=alt.Scale(domain=list(TIER_COLORS), range=list(TIER_COLORS.values())),
                                 legend=None))
    return alt.layer(rules, lines).resolve_scale(color="independent").properties(height=280)


def lag_histogram(hist: pd.DataFrame, *, bucket_title: str, count_title: str, flagged_label: str,
                  ok_label: str) -> alt.Chart:
    """Activities per logging-lag bucket, each bar with its count, the flagged buckets in red.

    ``hist`` has columns bucket (order), label, activities, flagged (bool)."""
    data = hist.assign(state=hist["flagged"].map({True: flagged_label, False: ok_label}))
    base = alt.Chart(data).encode(
        x=alt.X("label:N", sort=list(hist["label"]), title=bucket_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("activities:Q", title=count_title))
    bars = base.mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3).encode(
        color=alt.Color("state:N", scale=alt.Scale(domain=[ok_label, flagged_label], range=list(FLAG_COLORS)),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("label:N", title=bucket_title), alt.Tooltip("activities:Q", title=count_title)])
    counts = base.mark_text(dy=-7, fontSize=12, color="#333333").encode(text=alt.Text("activities:Q", format=","))
    return alt.layer(bars, counts).properties(height=260)


def bottleneck_heatmap(cells: pd.DataFrame, *, team_title: str, column_title: str, rate_title: str,
                       count_title: str, base_title: str) -> alt.LayerChart:
    """Teams × stages and steps: each cell coloured by its stalled (late) share, its count written in it;
    cells with nothing to count stay grey.

    ``cells`` has columns team, column (label), order, stalled, base, rate (% or NaN)."""
    data = cells.assign(rate=cells["rate"].astype(float).round(1),
                        shown=cells["stalled"].where(cells["base"] > 0).map(lambda v: "" if pd.isna(v) else f"{int(v)}"))
    columns = list(cells.sort_values("order")["column"].drop_duplicates())
    teams = list(cells["team"].drop_duplicates())
    # a word per line ("Step / Needs / summary", "步骤 / 需求纪要"), so every column keeps its label
    x = alt.X("column:N", sort=columns, title=column_title,
              axis=alt.Axis(labelAngle=0, labelLimit=94, labelOverlap=False, orient="bottom", labelFontSize=12,
                            labelExpr="split(replace(replace(datum.label, '：', ' '), ': ', ' '), ' ')"))
    y = alt.Y("team:N", sort=teams, title=team_title)
    tooltip = [alt.Tooltip("team:N", title=team_title), alt.Tooltip("column:N", title=column_title),
               alt.Tooltip("stalled:Q", title=count_title), alt.Tooltip("base:Q", title=base_title),
               alt.Tooltip("rate:Q", title=rate_title, format=".1f")]
    empty = alt.Chart(data).transform_filter("!isValid(datum.rate)").mark_rect(color="#eeeeee").encode(
        x=x, y=y, tooltip=tooltip)
    rect = alt.Chart(data).transform_filter("isValid(datum.rate)").mark_rect(stroke="white", strokeWidth=1).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("rate:Q", title=rate_title, scale=alt.Scale(scheme="orangered", domain=[0, 100]),
                        legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=240)))
    text = alt.Chart(data).mark_text(fontSize=12).encode(
        x=x, y=y, text="shown:N",
        color=alt.condition("datum.rate >= 50", alt.value("white"), alt.value("#333333")))
    return alt.layer(empty, rect, text).properties(width=alt.Step(96), height=alt.Step(30))
