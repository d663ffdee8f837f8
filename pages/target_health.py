"""Target health (目标健康, SPEC §8): each rep's and team's three lights for a month —
achievement to date, process (PSI) and resource match (weighted pipeline against the target still to
sign) — with what each rests on, and the deviation rate (actual − target) ÷ target month by month.
Directors and admins see everyone, leads their teams, a rep only their own row."""
from __future__ import annotations

import streamlit as st

from core.base.vocabulary import TARGET_KINDS
from core.people import scorecard as sc
from core.people import target_health as th
from ui import health_charts, page, widgets
from ui.read import minute, read

ctx = page.open(__file__)
now = minute()


def month_label(m: str) -> str:
    year, mon = m.split("-")
    return ctx.t("scorecard.month_label", year=year, month=int(mon))


def shown_light(color: str) -> str:
    return ctx.t(f"light.color.{color}")


st.title(ctx.t("health.title"))
st.caption(ctx.t("health.caption"))
month = st.selectbox(ctx.t("health.month"), sc.recent_months(now.date(), sc.MONTHS_SHOWN), format_func=month_label,
                     key="health_month", width=240)
result = read(th.health, ctx.scope, month, now, ctx.lang)

# ---- the view's three lights ---------------------------------------------------------------------------
st.subheader(ctx.t("health.lights_title"))
if not result.overall:
    st.info(ctx.t("health.no_rows"))
    st.stop()
if ctx.scope.own_only:
    st.caption(ctx.t("health.own_caption"))
for col, light in zip(st.columns(3), result.overall):
    with col.container(border=True, key=f"health_light_{light.code}"):
        value = "—" if light.value is None else (f"{light.value:.1f}" if light.code == "process"
                                                 else f"{light.value:.1f}%")
        st.metric(ctx.t(f"health.light.{light.code}"), value)
        widgets.light_badge(ctx, light.color)
        st.caption(light.sentence)

# ---- every rep and team ------------------------------------------------------------------------------
st.subheader(ctx.t("health.table_title"))
rows = result.rows
table = rows.drop(columns=["id", "owner_id"]).assign(
    level=rows["level"].map(lambda v: ctx.t(f"health.level.{v}")),
    **{c: rows[c].map(shown_light) for c in ("achievement_light", "process_light", "resource_light")})
if ctx.scope.own_only:
    table = table.drop(columns=["level"])
labels = {c: ctx.t(f"health.col.{c}") for c in table.columns}
shown = table.rename(columns=labels)
money = {labels[c]: st.column_config.NumberColumn(format="¥%,.0f")
         for c in ("target", "target_to_date", "actual", "pipeline", "remaining")}
pcts = {labels[c]: st.column_config.NumberColumn(format="%.1f") for c in ("achievement", "psi", "coverage")}
st.dataframe(shown, hide_index=True, width="stretch", key="health_table", column_config=money | pcts)
widgets.export_buttons(ctx, shown, f"target-health-{month}", key="health_export")

# ---- the deviation rate, month by month ------------------------------------------------------------------
st.subheader(ctx.t("health.deviation_title"))
st.caption(ctx.t("health.deviation_caption"))
c1, c2, c3 = st.columns([1, 1, 2])
year = c1.selectbox(ctx.t("health.year"), [now.year, now.year - 1], key="health_year")
kind = c2.selectbox(ctx.t("health.kind"), list(TARGET_KINDS), format_func=lambda k: ctx.t(f"health.kind.{k}"),
                    key="health_kind")
level = "rep"
if not ctx.scope.own_only:
    level = c3.radio(ctx.t("health.chart.level"), ["team", "rep"], format_func=lambda v: ctx.t(f"health.level.{v}"),
                     horizontal=True, key="health_level")
dev = read(th.deviation, ctx.scope, int(year), now, kind)
dev = dev[dev["level"] == level]
if dev["deviation"].notna().sum() == 0:
    st.info(ctx.t("health.no_deviation"))
else:
    st.altair_chart(health_charts.deviation_trend(dev, month_title=ctx.t("health.col.month"),
                                                  value_title=ctx.t("health.col.deviation")),
                    width="stretch", key="health_deviation_chart")
    wide = dev.pivot_table(index="name", columns="month", values="deviation", aggfunc="first", sort=False)
    with_data = sorted(dev.dropna(subset=["deviation"])["month"].unique())  # months without any target left out
    wide = wide.reindex(columns=with_data).reset_index().rename(
        columns={"name": ctx.t("health.col.name")})
    st.dataframe(wide, hide_index=True, width="stretch", key="health_deviation_table",
                 column_config={m: st.column_config.NumberColumn(format="%+.1f%%") for m in dev["month"].unique()})
    long = dev.drop(columns=["id", "owner_id", "level"])
    widgets.export_buttons(ctx, long.rename(columns={c: ctx.t(f"health.col.{c}") for c in long.columns}),
                           f"target-deviation-{year}-{kind}", key="health_deviation_export")
