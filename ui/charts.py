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


# ---- People (SPEC §8): the capability radar and its history ------------------------------------

RADAR_COLORS = ("#1f77b4", "#ff7f0e")  # the rep, the team average


def _radar_xy(index: float, count: int, radius: float) -> tuple[float, float]:
    """Where ``radius`` on spoke ``index`` of ``count`` lies: the first spoke points up, then clockwise."""
    import math

    angle = math.pi / 2 - 2 * math.pi * index / count
    return radius * math.cos(angle), radius * math.sin(angle)


def _text_px(text: str, font_size: int) -> float:
    """About how wide ``text`` is drawn: a CJK character is square, a Latin one about 0.6 of it."""
    return sum(font_size if ord(ch) >= 0x2E80 else 0.6 * font_size for ch in text)


def capability_radar(radar: pd.DataFrame, labels: dict[str, str], *, rep_name: str, team_name: str,
                     max_score: int = 5, radius_px: int = 150) -> alt.LayerChart:
    """A real radar: the rep's scores (1–``max_score``) as a filled polygon against the team average
    (dashed), over rings for each score and a spoke per dimension, the dimension names around it.

    ``radar`` has columns dimension, score and team_average (NaN: not scored, or not shown); a
    series without any value is not drawn. ``labels`` names each dimension in the user's language.
    x and y have the same length per score point, so the radar stays round; the chart is as wide as
    its labels need (``radius_px``: the outer ring's radius in pixels).
    """
    import math

    dims = list(radar["dimension"])
    n = len(dims)
    unit = radius_px / max_score  # pixels per score point
    font = 13
    rings = pd.DataFrame([
        {"ring": r, "order": i, "x": x, "y": y}
        for r in range(1, max_score + 1) for i in range(n + 1) for x, y in [_radar_xy(i % n, n, r)]])
    spokes = pd.DataFrame([
        {"spoke": d, "order": k, "x": x, "y": y}
        for i, d in enumerate(dims) for k, radius in enumerate((0, max_score)) for x, y in [_radar_xy(i, n, radius)]])
    # the score of each ring, written halfway between the first two spokes, on the ring's edge
    ticks = pd.DataFrame([{"x": x, "y": y, "text": str(r)} for r in range(1, max_score + 1)
                          for x, y in [_radar_xy(0.5, n, r * math.cos(math.pi / n))]])

    # dimension names just outside the outer ring; the chart is made wide and tall enough for them
    x_extent, y_extent = max_score + 0.5, max_score + 0.5
    names: dict[str, list[dict]] = {"center": [], "left": [], "right": []}
    for i, d in enumerate(dims):
        text = labels.get(d, d)
        px, py = _radar_xy(i, n, max_score + 0.45)
        width = _text_px(text, font) / unit
        if abs(px) < 0.01:
            align, reach = "center", width / 2
            py += 0.3 if py > 0 else -0.3
        else:
            align, reach = ("left" if px > 0 else "right"), abs(px) + width
        names[align].append({"x": px, "y": py, "label": text})
        x_extent = max(x_extent, reach + 0.3)
        y_extent = max(y_extent, abs(py) + 0.5)

    points, outline = [], []
    for series, column in ((rep_name, "score"), (team_name, "team_average")):
        rows = [(i, d, float(v)) for i, (d, v) in enumerate(zip(dims, radar[column])) if pd.notna(v)]
        for k, (i, d, v) in enumerate(rows + rows[:1]):
            x, y = _radar_xy(i, n, v)
            item = {"series": series, "dimension": labels.get(d, d), "score": v, "x": x, "y": y, "order": k,
                    "tip": f"{series} · {labels.get(d, d)}: {v:.1f}"}
            outline.append(item)
            if k < len(rows):
                points.append(item)

    x = alt.X("x:Q", scale=alt.Scale(domain=[-x_extent, x_extent], nice=False, zero=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-y_extent, y_extent], nice=False, zero=False), axis=None)
    grid = "#d0d0d0"
    layers = [
        alt.Chart(rings).mark_line(color=grid, strokeWidth=1).encode(x=x, y=y, order="order:Q", detail="ring:N"),
        alt.Chart(spokes).mark_line(color=grid, strokeWidth=1).encode(x=x, y=y, order="order:Q", detail="spoke:N"),
        alt.Chart(ticks).mark_text(color="#9a9a9a", fontSize=10, align="left", baseline="bottom", dx=2).encode(
            x=x, y=y, text="text:N"),
    ]
    for align, rows in names.items():
        if rows:
            layers.append(alt.Chart(pd.DataFrame(rows)).mark_text(
                align=align, baseline="middle", fontSize=font, fontWeight="bold", color="#333333").encode(
                x=x, y=y, text="label:N"))
    if outline:
        # only the series drawn (a rep may not be shown the team's average), each with its own look
        drawn = [k for k, name in enumerate((rep_name, team_name)) if any(o["series"] == name for o in outline)]
        domain = [(rep_name, team_name)[k] for k in drawn]

        def scale(*values):
            return alt.Scale(domain=domain, range=[values[k] for k in drawn])

        color = alt.Color("series:N", scale=scale(*RADAR_COLORS),
                          legend=alt.Legend(title=None, orient="bottom", labelFontSize=12))
        dash = alt.StrokeDash("series:N", scale=scale([1, 0], [6, 4]), legend=None)
        # the rep's area stands out; the team's stays a light backdrop behind it
        fill = alt.FillOpacity("series:N", scale=scale(0.25, 0.06), legend=None)
        # a filled line colours only its area: the outline needs its own colour
        stroke = alt.Stroke("series:N", scale=scale(*RADAR_COLORS), legend=None)
        layers.append(alt.Chart(pd.DataFrame(outline)).mark_line(filled=True, fillOpacity=0.15, strokeWidth=2.5).encode(
            x=x, y=y, order="order:Q", color=color, stroke=stroke, strokeDash=dash, fillOpacity=fill,
            detail="series:N"))
        layers.append(alt.Chart(pd.DataFrame(points)).mark_circle(size=60, opacity=1).encode(
            x=x, y=y, color=color, tooltip=alt.Tooltip("tip:N")))
    return (alt.layer(*layers)
            .properties(width=round(2 * x_extent * unit), height=round(2 * y_extent * unit))
            .configure_view(stroke=None))


def capability_history(history: pd.DataFrame, labels: dict[str, str], *, date_title: str, score_title: str,
                       max_score: int = 5) -> alt.Chart:
    """Every score over time, one line per dimension (``history``: assessed_at, dimension, score)."""
    data = history.assign(label=history["dimension"].map(lambda d: labels.get(d, d)))
    order = [labels.get(d, d) for d in labels]
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("assessed_at:T", title=date_title, axis=alt.Axis(format="%Y-%m-%d")),
        y=alt.Y("score:Q", title=score_title, scale=alt.Scale(domain=[0.5, max_score + 0.5], nice=False),
                axis=alt.Axis(values=list(range(1, max_score + 1)))),
        color=alt.Color("label:N", sort=order, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("assessed_at:T", format="%Y-%m-%d"), "label:N", "score:Q"],
    ).properties(height=240)
