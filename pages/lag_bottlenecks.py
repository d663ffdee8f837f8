"""Logging lag & bottlenecks (录入延迟与瓶颈, SPEC §5): how late activities are logged — per rep or team, with the
distribution and the flagged activities — and the weekly bottleneck heatmap (stage × team)."""
import pandas as pd
import streamlit as st

from core.process import heatmap, lag
from ui import context, filters, page, psi_charts, widgets
from ui.read import minute, read, settings as read_settings

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
today = context.now().date()


def fit(rows: int) -> int:
    """A table's height that shows up to 15 rows without an inner scroll bar."""
    return 36 * (min(rows, 15) + 1) + 4


def hours(value) -> str:
    return "—" if value is None or pd.isna(value) else ctx.t("lag.hours", h=f"{value:.1f}")


def bucket_label(lo: float, hi: float) -> str:
    if lo == 0:
        return ctx.t("lag.bucket.first", hi=f"{hi:g}")
    if pd.isna(hi):
        return ctx.t("lag.bucket.last", lo=f"{lo:g}")
    return ctx.t("lag.bucket.mid", lo=f"{lo:g}", hi=f"{hi:g}")


def lag_tab() -> None:
    flt = filters.cockpit_filters(ctx, key="lag")
    if flt is None:
        return
    flag = f"{settings['logging_lag_flag_hours']:g}"
    summary = read(lag.lag_summary, ctx.scope, flt)
    st.caption(ctx.t("lag.help", flag=flag))
    if summary.activities == 0:
        st.info(ctx.t("lag.none"))
        return
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(ctx.t("lag.median"), hours(summary.median_hours), border=True,
              help=ctx.t("lag.count", n=summary.activities))
    m2.metric(ctx.t("lag.p90"), hours(summary.p90_hours), border=True)
    m3.metric(ctx.t("lag.mean"), hours(summary.mean_hours), border=True,
              help=ctx.t("lag.days", d=f"{summary.mean_hours / 24:.1f}"))
    m4.metric(ctx.t("lag.flagged", flag=flag), f"{summary.flagged} · {100 * summary.flagged_share:.1f}%",
              border=True, help=ctx.t("lag.flagged_help"))

    hist = read(lag.lag_histogram, ctx.scope, flt)
    hist = hist.assign(label=[bucket_label(lo, hi) for lo, hi in zip(hist["lo_hours"], hist["hi_hours"])])
    st.subheader(ctx.t("lag.distribution"))
    st.altair_chart(psi_charts.lag_histogram(hist, bucket_title=ctx.t("lag.axis.bucket"),
                                             count_title=ctx.t("lag.axis.count"),
                                             flagged_label=ctx.t("lag.legend.flagged"),
                                             ok_label=ctx.t("lag.legend.ok", flag=flag)),
                    width="stretch", key="lag_histogram_chart")

    by = st.segmented_control(ctx.t("lag.by"), list(lag.BY), default=lag.default_by(ctx.scope),
                              key="lag_by", format_func=lambda b: ctx.t(f"lag.by.{b}")) or "team"
    table = read(lag.lag_by_group, ctx.scope, flt, by)
    st.subheader(ctx.t("lag.table"))
    shown = table.drop(columns=["owner_id"], errors="ignore").assign(flagged_share=100 * table["flagged_share"])
    shown = shown.rename(columns=lambda c: ctx.t(f"lag.col.{c}"))
    share = ctx.t("lag.col.flagged_share")
    st.dataframe(shown, hide_index=True, width="stretch", key="lag_table", height=fit(len(shown)),
                 column_config={share: st.column_config.ProgressColumn(share, format="%.0f%%", min_value=0,
                                                                       max_value=100)})
    widgets.export_buttons(ctx, shown, f"logging-lag-by-{by}", key="lag_export")

    flagged = read(lag.flagged_activities, ctx.scope, flt)
    st.subheader(ctx.t("lag.flagged_title", n=summary.flagged))
    if flagged.empty:
        st.write(ctx.t("lag.no_flagged", flag=flag))
    else:
        rows = flagged.drop(columns=["owner_id"]).assign(kind=flagged["kind"].map(lambda k: ctx.t(f"lag.kind.{k}")))
        rows = rows.rename(columns=lambda c: ctx.t(f"lag.col.{c}"))
        st.dataframe(rows, hide_index=True, width="stretch", key="flagged_table", height=fit(len(rows)),
                     column_config={ctx.t(f"lag.col.{c}"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
                                    for c in ("happened_at", "logged_at")})
        if len(flagged) < summary.flagged:
            st.caption(ctx.t("common.showing", shown=len(flagged), total=summary.flagged))
        widgets.export_buttons(ctx, rows, "flagged-activities", key="flagged_export")


def column_label(row) -> str:
    if row.kind == "stage":
        return ctx.t(f"funnel.stage.{row.code}")
    return ctx.t("heat.step_prefix", name=row.name_zh if ctx.lang == "zh" else row.name_en)


def heatmap_tab() -> None:
    end = st.date_input(ctx.t("heat.week_end"), value=today, max_value=today, key="heat_week_end",
                        format="YYYY-MM-DD", width=200)
    cells = read(heatmap.bottlenecks, ctx.scope, end, minute())
    st.subheader(ctx.t("heat.title", end=f"{end:%Y-%m-%d}"))
    st.caption(ctx.t("heat.help"))
    if cells.empty:
        st.write(ctx.t("common.no_rows"))
        return
    cells = cells.assign(column=[column_label(r) for r in cells.itertuples()])
    st.altair_chart(psi_charts.bottleneck_heatmap(cells, team_title=ctx.t("heat.axis.team"),
                                                  column_title=ctx.t("heat.axis.column"),
                                                  rate_title=ctx.t("heat.axis.rate"),
                                                  count_title=ctx.t("heat.tip.count"),
                                                  base_title=ctx.t("heat.tip.base")),
                    width="content", key="heatmap_chart")
    worst = heatmap.worst(cells)
    st.subheader(ctx.t("heat.top"))
    if worst.empty:
        st.success(ctx.t("heat.none"))
    else:
        for r in worst.itertuples():
            st.markdown("- " + ctx.t("heat.top_line", team=r.team, column=r.column, stalled=r.stalled, base=r.base,
                                     rate=f"{r.rate:.0f}"))
    table = cells[["team", "column", "stalled", "base", "rate"]].assign(rate=cells["rate"].round(1))
    shown = table.rename(columns=lambda c: ctx.t(f"heat.col.{c}"))
    with st.expander(ctx.t("heat.table_title")):
        st.dataframe(shown, hide_index=True, width="stretch", key="heat_table")
    widgets.export_buttons(ctx, shown, f"bottlenecks-{end:%Y-%m-%d}", key="heat_export")


st.title(ctx.t("analysis.title"))
st.caption(ctx.t("analysis.caption"))
lag_pane, heat_pane = st.tabs([ctx.t("analysis.tab.lag"), ctx.t("analysis.tab.heatmap")])
with lag_pane:
    lag_tab()
with heat_pane:
    heatmap_tab()
