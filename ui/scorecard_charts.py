"""Chart builders of the scorecard page (SPEC §8): pure functions DataFrame → Altair chart."""
from __future__ import annotations

import altair as alt
import pandas as pd

SERIES_COLORS = ("#1f77b4", "#ff7f0e")  # the rep, the team average


def weekly_trend(trend: pd.DataFrame, *, rep_name: str, team_name: str, week_title: str,
                 score_title: str) -> alt.Chart:
    """The rep's weekly score (0–100) against the team's average, one point per week.

    ``trend`` has columns week (its Monday), score and team_average (NaN: no data, or not shown);
    a series without any value is not drawn, and a week without a value leaves a gap."""
    long = pd.concat([
        pd.DataFrame({"week": pd.to_datetime(trend["week"]), "series": rep_name, "value": trend["score"]}),
        pd.DataFrame({"week": pd.to_datetime(trend["week"]), "series": team_name, "value": trend["team_average"]}),
    ], ignore_index=True)
    drawn = [name for name in (rep_name, team_name) if long.loc[long["series"] == name, "value"].notna().any()]
    long = long[long["series"].isin(drawn)]
    colors = [c for name, c in zip((rep_name, team_name), SERIES_COLORS) if name in drawn]
    return alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("week:T", title=week_title, axis=alt.Axis(format="%m-%d", tickCount="week")),
        y=alt.Y("value:Q", title=score_title, scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("series:N", sort=drawn, scale=alt.Scale(domain=drawn, range=colors), title=None,
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("series:N", sort=drawn, legend=None,
                                  scale=alt.Scale(domain=drawn, range=[[1, 0], [5, 4]][:len(drawn)])),
        tooltip=[alt.Tooltip("week:T", format="%Y-%m-%d"), "series:N", alt.Tooltip("value:Q", format=".1f")],
    ).properties(height=260)


def parts_against_team(parts: pd.DataFrame, *, rep_name: str, team_name: str, value_title: str) -> alt.Chart:
    """Each part (0–100) of the rep beside the team average: grouped bars.

    ``parts`` has columns part (its label, in order), score and team_average (NaN: no bar)."""
    order = list(parts["part"])
    long = pd.concat([
        pd.DataFrame({"part": parts["part"], "series": rep_name, "value": parts["score"]}),
        pd.DataFrame({"part": parts["part"], "series": team_name, "value": parts["team_average"]}),
    ], ignore_index=True).dropna(subset=["value"])
    drawn = [name for name in (rep_name, team_name) if (long["series"] == name).any()]
    colors = [c for name, c in zip((rep_name, team_name), SERIES_COLORS) if name in drawn]
    base = alt.Chart(long).encode(
        x=alt.X("part:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N", sort=drawn),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("value:Q", title=value_title, scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("series:N", sort=drawn, scale=alt.Scale(domain=drawn, range=colors), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=["part:N", "series:N", alt.Tooltip("value:Q", format=".1f")],
    )
    labels = base.mark_text(dy=-7, fontSize=11).encode(y="value:Q", text=alt.Text("value:Q", format=".0f"))
    return alt.layer(bars, labels).properties(height=240)
