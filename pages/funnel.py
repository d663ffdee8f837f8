"""Funnel (销售漏斗): where deals get stuck — stage conversion and time in stage against the standard,
the conversion drop diagnosis, a click on a stage → its deals → one deal's timeline and its stage
move; stalled deals; win rates. Every table downloads (CSV / Excel) as the user sees it."""
import pandas as pd
import streamlit as st

from core.base.vocabulary import STAGES
from core.funnel import stages
from ui import funnel_charts, funnel_diagnosis, funnel_filters, funnel_move, page, widgets
from ui.read import minute, read

ctx = page.open(__file__)
CHART_KEY = "funnel_chart"


def money(value: float) -> str:
    return f"¥{value:,.0f}"


def pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f}%"


def stage_name(code: str) -> str:
    return ctx.t(f"funnel.stage.{code}")


def columns(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=lambda c: ctx.t(f"funnel.col.{c}"))


st.title(ctx.t("funnel.title_rep" if ctx.scope.own_only else "funnel.title"))
st.caption(ctx.t("funnel.subtitle"))
flt = funnel_filters.funnel_filters(ctx)
if flt is None:
    st.stop()
prev_flt = flt.previous()
now = minute()
now_f = read(stages.funnel, ctx.scope, flt, now)
prev_f = read(stages.funnel, ctx.scope, prev_flt, now)
st.caption(ctx.t("funnel.period_caption", start=flt.start, end=flt.end, pstart=prev_flt.start, pend=prev_flt.end))

# ---- headline figures, against the previous period -------------------------------------------
first, first_prev = now_f.stages[0], prev_f.stages[0]
m1, m2, m3, m4 = st.columns(4)
m1.metric(ctx.t("funnel.metric.entered"), first.entered, delta=first.entered - first_prev.entered,
          help=ctx.t("funnel.vs_previous"), border=True)
win_delta = (None if now_f.win_rate is None or prev_f.win_rate is None
             else f"{now_f.win_rate - prev_f.win_rate:+.1f}")
m2.metric(ctx.t("funnel.metric.win_rate"), pct(now_f.win_rate), delta=win_delta,
          help=ctx.t("funnel.metric.win_rate_help"), border=True)
mean = "—" if now_f.days_to_win_mean is None else f"{now_f.days_to_win_mean:.1f}"
m3.metric(ctx.t("funnel.metric.days_to_win"),
          "—" if now_f.days_to_win_median is None else f"{now_f.days_to_win_median:.1f}",
          help=ctx.t("funnel.metric.days_to_win_help", mean=mean), border=True)
m4.metric(ctx.t("funnel.metric.stalled"), now_f.stalled_now, help=ctx.t("funnel.metric.stalled_help"), border=True)

# ---- conversion drop diagnosis: last complete week against its 4-week level -------------------
if not ctx.scope.own_only:
    funnel_diagnosis.section(ctx, flt)

# ---- the funnel chart: a click on a stage opens its deals -----------------------------------
chart_data = pd.DataFrame([{
    "stage": s.stage, "label": stage_name(s.stage), "entered": s.entered, "value": s.value,
    "conversion": s.conversion,
    "caption": f"{s.entered} · {money(s.value)} · → {pct(s.conversion)}",
} for s in now_f.stages])
chart = funnel_charts.funnel_chart(chart_data, stage_title=ctx.t("funnel.chart.stage"),
                                   entered_title=ctx.t("funnel.chart.entered"),
                                   conversion_title=ctx.t("funnel.chart.conversion"),
                                   value_title=ctx.t("funnel.chart.value"))
event = st.altair_chart(chart, on_select="rerun", key=CHART_KEY, width="stretch")
picked = (event or {}).get("selection", {}).get(funnel_charts.PICK) or []
if picked and picked[0].get("stage") in STAGES:
    if st.query_params.get("stage") != picked[0]["stage"]:
        st.query_params["stage"] = picked[0]["stage"]
        st.query_params.pop("opp", None)
stage = st.query_params.get("stage")
if stage is not None and stage not in STAGES:
    st.warning(ctx.t("funnel.bad_stage"))
    stage = None

# ---- drill-down: the deals behind the stage, then one deal's timeline -----------------------
if stage is None:
    st.info(ctx.t("funnel.pick_stage"))
else:
    deals = read(stages.stage_deals, ctx.scope, stage, flt, now)
    with st.container(border=True, key="funnel_drill"):
        total = now_f.stage(stage).entered
        st.subheader(ctx.t("funnel.deals_title", stage=stage_name(stage), n=total))
        if len(deals) < total:
            st.caption(ctx.t("common.showing", shown=len(deals), total=total))
        if deals.empty:
            st.write(ctx.t("common.no_rows"))
        else:
            shown = deals.drop(columns=["owner_id"]).assign(
                stage=deals["stage"].map(stage_name),
                status=deals["status"].map(lambda s: ctx.t(f"funnel.status.{s}")),
                outcome=deals["outcome"].map(lambda s: ctx.t(f"funnel.outcome.{s}")))
            st.dataframe(columns(shown), hide_index=True, width="stretch", key="funnel_deals",
                         column_config={ctx.t("funnel.col.amount"): st.column_config.NumberColumn(format="¥%,.0f"),
                                        ctx.t("funnel.col.days_in_stage"): st.column_config.NumberColumn(format="%.1f")})
            widgets.export_buttons(ctx, columns(shown), f"funnel-{stage}-deals", key="funnel_deals_export")
            labels = {int(r.id): f"#{r.id} {r.name} · {r.customer} · {r.owner}" for r in deals.itertuples()}
            chosen = st.selectbox(ctx.t("funnel.open_deal"), [None, *labels], key="funnel_open_deal",
                                  format_func=lambda i: ctx.t("funnel.open_deal_none") if i is None else labels[i])
            if chosen is not None and st.query_params.get("opp") != str(chosen):
                st.query_params["opp"] = str(chosen)

opp = st.query_params.get("opp")
if opp is not None:
    tl = read(stages.timeline, ctx.scope, int(opp), now) if opp.isdigit() and len(opp) < 12 else None
    if tl is None:
        st.warning(ctx.t("funnel.bad_deal"))
    else:
        deal = tl.deal.iloc[0]
        with st.container(border=True, key="funnel_timeline"):
            st.subheader(ctx.t("funnel.timeline_title", name=deal["name"]))
            if deal["status"] == "open":
                st.caption(ctx.t("funnel.deal_caption", customer=deal["customer"], owner=deal["owner"],
                                 team=deal["team"], stage=stage_name(deal["stage"]),
                                 days=f"{deal['days_in_stage']:.1f}", amount=money(deal["amount"])))
            else:
                st.caption(ctx.t("funnel.deal_caption_closed", customer=deal["customer"], owner=deal["owner"],
                                 team=deal["team"], status=ctx.t(f"funnel.status.{deal['status']}"),
                                 amount=money(deal["amount"])))
            if deal["stalled"]:
                st.error(ctx.t("funnel.deal_stalled", days=f"{deal['days_in_stage']:.1f}",
                               stage=stage_name(deal["stage"]),
                               max=deal["max_days"]))
            events = tl.events
            if events.empty:
                st.write(ctx.t("funnel.no_events"))
            else:
                shown = events.assign(
                    kind=events["kind"].map(lambda k: ctx.t(f"funnel.kind.{k}")),
                    stage=events["stage"].map(lambda s: stage_name(s) if s else ""),
                    days=events["days"].map(lambda d: "" if pd.isna(d) else f"{d:.1f}"))
                st.dataframe(columns(shown), hide_index=True, width="stretch", key="funnel_events",
                             column_config={ctx.t("funnel.col.at"): st.column_config.DatetimeColumn(
                                 format="YYYY-MM-DD HH:mm")})
                widgets.export_buttons(ctx, columns(shown), f"deal-{deal['id']}-timeline", key="funnel_events_export")
            funnel_move.move_form(ctx, deal)
            if st.button(ctx.t("funnel.close_deal"), key="funnel_close_deal"):
                st.query_params.pop("opp", None)
                st.session_state.pop("funnel_open_deal", None)
                st.rerun()

# ---- stage table: conversion and time in stage against the standard --------------------------
st.subheader(ctx.t("funnel.stage_table"), help=ctx.t("funnel.stage_table_help"))
def days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


table = pd.DataFrame([{
    "stage": stage_name(s.stage), "entered": s.entered, "value": money(s.value), "conversion": pct(s.conversion),
    "conversion_prev": pct(p.conversion), "moved_on": s.moved_on, "lost": s.lost, "stalled": s.stalled,
    "undecided": s.undecided, "median_days": days(s.median_days), "p90_days": days(s.p90_days),
    "standard": ctx.t("funnel.range", lo=s.min_days, hi=s.max_days), "stays": s.stays, "open_now": s.open_now,
    "open_stalled": s.open_stalled, "open_median_days": days(s.open_median_days),
} for s, p in zip(now_f.stages, prev_f.stages)])
styled = columns(table).style.apply(
    lambda col: ["color: #c53030; font-weight: 600" if s.slow else "" for s in now_f.stages],
    subset=[ctx.t("funnel.col.median_days")])
st.dataframe(styled, hide_index=True, width="stretch", key="funnel_stage_table")
widgets.export_buttons(ctx, columns(table), f"funnel-stages-{flt.start}-{flt.end}", key="funnel_stage_export")

# ---- stalled deals ------------------------------------------------------------------------
stalled = read(stages.stalled_deals, ctx.scope, flt, now)
stalled_total = stalled.attrs.get("total", len(stalled))
st.subheader(ctx.t("funnel.stalled_title", n=stalled_total), help=ctx.t("funnel.metric.stalled_help"))
if stalled.empty:
    st.write(ctx.t("funnel.no_stalled"))
else:
    shown = stalled.drop(columns=["owner_id", "status", "stalled"]).assign(stage=stalled["stage"].map(stage_name))
    st.dataframe(columns(shown), hide_index=True, width="stretch", key="funnel_stalled",
                 column_config={ctx.t("funnel.col.amount"): st.column_config.NumberColumn(format="¥%,.0f")})
    if len(stalled) < stalled_total:
        st.caption(ctx.t("common.showing", shown=len(stalled), total=stalled_total))
    widgets.export_buttons(ctx, columns(shown), "stalled-deals", key="funnel_stalled_export")

# ---- win rate by a grouping -----------------------------------------------------------------
groupings = list(stages.groupings(ctx.scope))
by = st.segmented_control(ctx.t("funnel.win_by"), groupings, default=groupings[0], key="funnel_win_by",
                          format_func=lambda g: ctx.t(f"funnel.by.{g}")) or groupings[0]
rates = read(stages.win_rates, ctx.scope, flt, by)
st.subheader(ctx.t("funnel.win_table", by=ctx.t(f"funnel.by.{by}")))
if rates.empty:
    st.write(ctx.t("common.no_rows"))
else:
    st.dataframe(columns(rates), hide_index=True, width="stretch", key="funnel_win_rates",
                 column_config={ctx.t("funnel.col.win_rate"): st.column_config.ProgressColumn(
                     format="%.0f%%", min_value=0, max_value=100),
                     ctx.t("funnel.col.won_value"): st.column_config.NumberColumn(format="¥%,.0f")})
    widgets.export_buttons(ctx, columns(rates), f"win-rates-by-{by}-{flt.start}-{flt.end}", key="funnel_win_export")
