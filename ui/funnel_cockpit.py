"""The cockpit's compact view of stalled deals (SPEC §4, §9): a count in one collapsed line, the
longest over behind it, and a link to the funnel page for the rest."""
from __future__ import annotations

import streamlit as st

from core.base.query import Filters
from core.funnel import stages
from core.funnel.stages import FunnelFilters
from ui import widgets
from ui.context import Ctx
from ui.read import minute, read

SHOWN = 5


def stalled_panel(ctx: Ctx, flt: Filters) -> None:
    """Stalled deals in the user's scope, narrowed by the cockpit's region / team (as of now)."""
    narrowed = FunnelFilters(flt.start, flt.end, flt.region_id, flt.team_id)
    stalled = read(stages.stalled_deals, ctx.scope, narrowed, minute())
    total = stalled.attrs.get("total", len(stalled))
    with st.expander(ctx.t("funnel.cockpit_stalled", n=total), icon=":material/hourglass_bottom:"):
        st.caption(ctx.t("funnel.cockpit_stalled_help"))
        if stalled.empty:
            st.write(ctx.t("funnel.no_stalled"))
        else:
            top = stalled.head(SHOWN)[["name", "customer", "owner", "stage", "days_in_stage", "max_days", "days_over"]]
            shown = top.assign(stage=top["stage"].map(lambda s: ctx.t(f"funnel.stage.{s}"))).rename(
                columns=lambda c: ctx.t(f"funnel.col.{c}"))
            st.dataframe(shown, hide_index=True, width="stretch", key="cockpit_stalled")
            if total > len(top):
                st.caption(ctx.t("funnel.cockpit_more", n=total - len(top)))
            widgets.export_buttons(ctx, shown, "stalled-deals-top", key="cockpit_stalled_export")
        st.page_link("pages/funnel.py", label=ctx.t("funnel.cockpit_open_funnel"), icon=":material/filter_alt:")
