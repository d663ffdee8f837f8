"""The funnel page's conversion drop diagnosis (SPEC §4): for each stage whose conversion in the last
complete week fell more than the set points below its 4-week level — the sentence, the weekly bars
against the level, and the breakdown by customer type, product, team, rep and lead source."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.funnel import diagnosis
from core.funnel.stages import FunnelFilters
from ui import funnel_charts, widgets
from ui.context import Ctx
from ui.read import minute, read, settings as read_settings


def _segments(b: diagnosis.Breakdown) -> pd.DataFrame:
    rows = [{"segment": s.key, "decided_base": s.decided_base, "rate_base": s.rate_base,
             "decided_now": s.decided_now, "rate_now": s.rate_now, "rate_effect": s.rate_effect,
             "mix_effect": s.mix_effect, "contribution": s.contribution, "explains": s.explains}
            for s in b.segments]
    df = pd.DataFrame(rows, columns=["segment", "explains", "contribution", "rate_base", "rate_now", "decided_base",
                                     "decided_now", "rate_effect", "mix_effect"])
    for col in ("rate_effect", "mix_effect", "contribution", "explains"):
        df[col] = pd.to_numeric(df[col]).astype(float).round(1)
    for col in ("rate_base", "rate_now"):  # a segment with nothing decided on one side has no rate there
        df[col] = df[col].map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.1f}")
    return df


def _weeks(ctx: Ctx, c: diagnosis.StageCheck) -> pd.DataFrame:
    last = len(c.weeks) - 1
    return pd.DataFrame([{"week": w.start.strftime("%m-%d"), "rate": w.rate, "decided": w.decided,
                          "judged": i == last} for i, w in enumerate(c.weeks)])


def _drop(ctx: Ctx, c: diagnosis.StageCheck) -> None:
    with st.container(border=True, key=f"diag_{c.stage}"):
        st.subheader(ctx.t("diag.title_stage", stage=ctx.t(f"funnel.stage.{c.stage}"),
                           next=ctx.t(f"funnel.stage.{c.next_stage}")))
        st.error(diagnosis.headline(c, ctx.lang), icon=":material/trending_down:")
        left, right = st.columns([3, 2])
        with left:
            st.markdown(f"**{ctx.t('diag.explains_most')}**")
            for b in diagnosis.explaining(c):
                st.markdown(f"- {diagnosis.segments_sentence(b, ctx.lang)}")
        with right:
            st.markdown(f"**{ctx.t('diag.trend')}**")
            st.altair_chart(funnel_charts.weekly_conversion_chart(
                _weeks(ctx, c), c.rate_base or 0.0, week_title=ctx.t("diag.week"), rate_title=ctx.t("diag.rate"),
                level_title=ctx.t("diag.level"), decided_title=ctx.t("diag.col.decided_now")), width="stretch")
        with st.expander(ctx.t("diag.details"), icon=":material/table_chart:"):
            tabs = st.tabs([ctx.t("diag.by_tab", by=ctx.t(f"diag.by.{b.by}")) for b in c.breakdowns])
            for tab, b in zip(tabs, c.breakdowns):
                with tab:
                    shown = _segments(b).rename(columns=lambda col: ctx.t(f"diag.col.{col}"))
                    st.dataframe(shown, hide_index=True, width="stretch", key=f"diag_{c.stage}_{b.by}",
                                 height=min(38 + 35 * len(shown), 300))
                    widgets.export_buttons(ctx, shown, f"conversion-drop-{c.stage}-{c.week_start}-{b.by}",
                                           key=f"diag_export_{c.stage}_{b.by}")
            st.caption(ctx.t("diag.caption"))


def section(ctx: Ctx, filters: FunnelFilters) -> None:
    """The drops in the user's scope (narrowed by the page's filters; their period does not apply)."""
    checks = read(diagnosis.conversion_check, ctx.scope, minute(), filters)
    drops = [c for c in checks if c.is_drop]
    if not drops:
        st.caption(ctx.t("diag.none", points=f"{read_settings(ctx.scope)['conversion_drop_points']:g}"))
        return
    for c in drops:
        _drop(ctx, c)
