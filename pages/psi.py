"""Process certainty index (过程确定性指数, SPEC §6): the month's PSI overall and per team, its three
parts with their weights, the bonus tier it sets, its trend and what pulled it down. ?month=YYYY-MM."""
import pandas as pd
import streamlit as st

from core.base import org
from core.process import psi
from ui import context, page, psi_charts, widgets
from ui.read import minute, read

ctx = page.open(__file__)
now = context.now()


def num(value, digits: int = 1) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def pct(share: float) -> str:
    return f"{100 * share:.0f}"


def part_name(code: str) -> str:
    return ctx.t(f"psi.part.{code}")


# ---- month and team -----------------------------------------------------------------------------
months = psi.recent_months(now)
asked = st.query_params.get("month")
if asked in months and "psi_month" not in st.session_state:
    st.session_state["psi_month"] = asked
teams = read(org.teams, ctx.scope)
names = dict(zip(teams["id"].astype(int), teams["name"]))

st.title(ctx.t("psi.title"))
st.caption(ctx.t("psi.caption"))
c1, c2, _ = st.columns([1, 1, 2])
month = c1.selectbox(ctx.t("psi.month"), months, key="psi_month")
team_id = None
if len(names) > 1:  # 0: all teams (a None option would show as an empty choice)
    team_id = c2.selectbox(ctx.t("psi.team"), [0, *names], key="psi_team",
                           format_func=lambda i: names.get(i, ctx.t("psi.all_teams"))) or None
st.query_params["month"] = month

report = read(psi.psi_report, ctx.scope, month, minute(), team_id)
s = report.settings
overall = report.overall
full, partial, pay = f"{s['psi_tier_full']:g}", f"{s['psi_tier_partial']:g}", f"{s['psi_tier_partial_payout']:g}"

# ---- the headline: PSI, tier, payout ------------------------------------------------------------
with st.container(border=True, key="psi_headline"):
    h1, h2, h3 = st.columns([1, 1, 2])
    delta = None if report.change is None else f"{report.change:+.1f}"
    headline = ctx.t("psi.headline", month=month) + (f" · {overall.team}" if overall.team else "")
    h1.metric(headline, ctx.t("psi.no_value") if overall.value is None else f"{overall.value:.1f}", delta=delta)
    h2.metric(ctx.t("psi.payout"), "—" if overall.payout is None else f"{overall.payout:g}%",
              help=ctx.t("psi.tier_help", full=full, partial=partial, pay=pay))
    with h3:
        if overall.tier is not None:
            color = {"full": "green", "partial": "orange", "none": "red"}[overall.tier]
            st.badge(ctx.t(f"psi.tier.{overall.tier}", full=full, partial=partial), color=color,
                     icon=":material/workspace_premium:")
        st.caption(ctx.t("psi.formula", **{f"w_{p}": f"{s[f'psi_weight_{p}']:g}" for p in psi.PARTS}))
    if overall.value is None:
        st.info(ctx.t("psi.no_data"))
    elif overall.reweighted:
        st.warning(ctx.t("psi.reweighted", parts=ctx.t("list.sep").join(part_name(p) for p in overall.missing)),
                   icon=":material/balance:")

# ---- the three parts ------------------------------------------------------------------------------
for col, part in zip(st.columns(3), overall.parts):
    with col.container(border=True, key=f"psi_part_{part.code}"):
        weight = f"{100 * part.weight:g}"
        shown = ctx.t("psi.weight_reweighted", weight=weight, share=pct(part.share)) \
            if overall.reweighted and part.value is not None else ctx.t("psi.weight", weight=weight)
        st.metric(part_name(part.code), ctx.t("psi.no_value") if part.value is None else f"{part.value:.1f}")
        st.caption(shown)
        if part.value is None:
            st.caption(ctx.t("psi.part_no_data"))
        elif part.code == "on_time":
            st.caption(ctx.t("psi.measure.on_time", on_time=part.hits, count=part.count))
        else:
            st.caption(ctx.t(f"psi.measure.{part.code}", measure=num(part.measure), target=f"{part.target:g}",
                             count=part.count, open=part.open_overdue))

# ---- what pulled it down -----------------------------------------------------------------------------
drag = report.drag
st.subheader(ctx.t("psi.drag_title"))
if overall.value is None:
    st.write(ctx.t("psi.no_data"))
elif drag.part is None:
    st.success(ctx.t("psi.drag.none"))
else:
    lines = [ctx.t("psi.drag.part", part=part_name(drag.part), points=f"{drag.points:.1f}")]
    if drag.step:
        step = drag.step_zh if ctx.lang == "zh" else drag.step_en
        key = "psi.drag.step" if drag.team and team_id is None and len(names) > 1 else "psi.drag.step_one_team"
        lines.append(ctx.t(key, step=step, team=drag.team or "—", misses=drag.misses, share=pct(drag.share)))
    elif drag.team:
        lines.append(ctx.t("psi.drag.team", team=drag.team))
    st.error(" ".join(lines), icon=":material/trending_down:")

# ---- trend ---------------------------------------------------------------------------------------
st.subheader(ctx.t("psi.trend", n=len(report.trend)))
series = [ctx.t("psi.series.psi")] + [part_name(p) for p in psi.PARTS]
trend = pd.DataFrame([(t.month, series[0], t.value) for t in report.trend]
                     + [(t.month, part_name(p.code), p.value) for t in report.trend for p in t.parts],
                     columns=["month", "series", "value"])
st.altair_chart(psi_charts.psi_trend(trend, series, s["psi_tier_full"], s["psi_tier_partial"],
                                     month_title=ctx.t("psi.axis.month"), value_title=ctx.t("psi.axis.psi")),
                width="stretch", key="psi_trend_chart")

# ---- teams ---------------------------------------------------------------------------------------
if report.teams:
    st.subheader(ctx.t("psi.by_team"))
    table = pd.DataFrame([{
        "team": t.team, "psi": t.value, "tier": ctx.t(f"psi.tier_short.{t.tier}") if t.tier else "—",
        "payout": t.payout, **{p.code: None if p.value is None else round(p.value, 1) for p in t.parts},
        "steps": t.part("on_time").count, "issues": t.part("closure").count, "requests": t.part("collaboration").count,
    } for t in report.teams])
    table = table.sort_values("psi", na_position="last", ignore_index=True)
    shown = table.rename(columns=lambda c: ctx.t(f"psi.col.{c}"))
    bar = {ctx.t(f"psi.col.{c}"): st.column_config.ProgressColumn(ctx.t(f"psi.col.{c}"), format="%.1f", min_value=0,
                                                                    max_value=100)
           for c in ("psi", "on_time", "closure", "collaboration")}
    st.dataframe(shown, hide_index=True, width="stretch", key="psi_teams_table", column_config=bar,
                 height=min(36 * (len(shown) + 1) + 4, 900))
    widgets.export_buttons(ctx, shown, f"psi-{month}", key="psi_export")

with st.expander(ctx.t("psi.rules_title"), icon=":material/info:"):
    st.caption(ctx.t("psi.rules_help"))
    st.caption(ctx.t("psi.tier_help", full=full, partial=partial, pay=pay))
