"""Cockpit (驾驶舱): the morning meeting's first screen — which lights are red, why, and the records behind."""
import pandas as pd
import streamlit as st

from core.process import brief, lights
from ui import charts, filters, funnel_cockpit, page, widgets
from ui.read import minute, read, settings as read_settings

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
now = minute()

st.title(ctx.t("cockpit.title_rep" if ctx.scope.own_only else "cockpit.title"))
st.caption(ctx.t(f"cockpit.subtitle.{ctx.role}"))
flt = filters.cockpit_filters(ctx)
if flt is None:
    st.stop()

# ---- the morning brief (SPEC §9): about 100 words, each sentence a link to its records ----------
morning = read(brief.brief, ctx.scope, now, ctx.lang)
with st.container(border=True, key="morning_brief"):
    st.markdown(f"**{ctx.t('brief.title')}**")
    for sentence in morning.sentences:
        st.markdown(f"- {sentence.text} [{ctx.t('brief.open')}]({sentence.link})")
    with st.expander(ctx.t("brief.copy")):
        st.code(morning.markdown(), language="markdown", wrap_lines=True)

all_lights = read(lights.lights, ctx.scope, flt, now, ctx.lang)
codes = [light.code for light in all_lights]

# ---- the lights -------------------------------------------------------------------------------
for col, light in zip(st.columns(len(all_lights)), all_lights):
    with col.container(border=True, key=f"light_{light.code}"):
        widgets.light_badge(ctx, light.color)
        value = "—" if light.rate is None else f"{light.rate:.1f}%"
        trend = [r for _, r, _ in light.series if r is not None]
        st.metric(light.label, value, chart_data=trend if len(trend) > 1 else None, chart_type="line",
                  help=ctx.t("cockpit.rate_help"))
        st.caption(ctx.t("cockpit.counts", on_time=light.on_time, decided=light.decided, misses=light.misses))
        if light.explanation:
            st.write(light.explanation.sentence)
        if light.misses:
            if st.button(ctx.t("cockpit.open_records", n=light.misses), key=f"open_{light.code}",
                         type="primary" if light.color == "red" else "secondary", width="stretch"):
                st.query_params["light"] = light.code
                st.rerun()

# ---- the records behind one light --------------------------------------------------------------
chosen = st.query_params.get("light")
if chosen is not None and chosen not in codes:
    st.warning(ctx.t("cockpit.bad_light"))
    chosen = None
if chosen:
    light = next(item for item in all_lights if item.code == chosen)
    st.subheader(ctx.t("cockpit.records_title", label=light.label))
    if light.explanation:
        st.info(light.explanation.sentence)
    series = pd.DataFrame(list(light.series), columns=["day", "rate", "decided"])
    st.altair_chart(charts.light_trend(series, settings["light_red_below"], settings["light_green_above"],
                                       day_title=ctx.t("cockpit.day"), rate_title=ctx.t("cockpit.rate_pct")),
                    width="stretch")
    records = read(lights.missed_records, ctx.scope, chosen, flt, now)
    kind = "lead" if chosen == lights.FIRST_RESPONSE else "step"
    shown = records.drop(columns=["owner_id"]).rename(columns=lambda c: ctx.t(f"col.{c}"))
    if records.empty:
        st.write(ctx.t("common.no_rows"))
    else:
        st.dataframe(shown, hide_index=True, width="stretch", key="records_table")
        if len(records) < light.misses:
            st.caption(ctx.t("common.showing", shown=len(records), total=light.misses))
        widgets.export_buttons(ctx, shown, f"{kind}-misses-{chosen}", key="records_export")
    if st.button(ctx.t("cockpit.close_records"), key="close_records"):
        del st.query_params["light"]
        st.rerun()

# ---- moved since yesterday (SPEC §9): deals advanced, slipped or lost, new leads, new red lights ----
moved = read(brief.moved_since_yesterday, ctx.scope, now, ctx.lang)
st.subheader(ctx.t("moved.title"))
st.caption(ctx.t("moved.since", since=f"{moved.since:%Y-%m-%d %H:%M}"))
m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(ctx.t("moved.advanced"), len(moved.advanced))
m2.metric(ctx.t("moved.slipped"), len(moved.slipped))
m3.metric(ctx.t("moved.lost"), len(moved.lost))
m4.metric(ctx.t("moved.new_leads"), moved.new_leads)
m5.metric(ctx.t("moved.new_red"), len(moved.new_red))
if moved.new_red:
    st.markdown(" · ".join(f"[{r.label}]({r.link})" for r in moved.new_red))
if moved.deals:
    deals = pd.DataFrame([dict(name=m.name, customer=m.customer, team=m.team, owner=m.owner, amount=m.amount,
                               from_stage=ctx.t(f"funnel.stage.{m.from_stage}"),
                               to_stage=ctx.t(f"funnel.stage.{m.to_stage}"), at=m.at, link=m.link)
                          for m in moved.deals])
    st.dataframe(deals.rename(columns=lambda c: ctx.t(f"moved.col.{c}") if c != "link" else c), hide_index=True,
                 width="stretch", key="moved_table",
                 column_config={ctx.t("moved.col.amount"): st.column_config.NumberColumn(format="¥%,.0f"),
                                "link": st.column_config.LinkColumn(ctx.t("brief.open"), display_text=ctx.t("brief.open"))})
else:
    st.write(ctx.t("moved.none"))

# ---- stalled deals (SPEC §4): a count in one line, the longest over, the rest on the funnel page ----
funnel_cockpit.stalled_panel(ctx, flt)

# ---- who needs help: each team's (or rep's) rate per light -----------------------------------
if not ctx.scope.own_only:
    table = read(lights.rates_by_group, ctx.scope, flt, now, ctx.lang)
    if not table.empty:
        by_rep = table.attrs["by"] == "rep"
        st.subheader(ctx.t("cockpit.by_rep" if by_rep else "cockpit.by_team"))
        labels = {light.code: light.label for light in all_lights}
        table.index.name = ctx.t("col.owner" if by_rep else "col.team")
        st.dataframe(
            table.rename(columns=labels),
            width="stretch",
            column_config={labels[c]: st.column_config.ProgressColumn(labels[c], format="%.0f%%", min_value=0,
                                                                     max_value=100) for c in codes},
            key="breakdown_table",
        )
