"""The cockpit's filter bar: period, region and team — limited to what the user's scope holds."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from core.base import org
from core.base.query import Filters
from ui import context
from ui.context import Ctx
from ui.read import read, settings as read_settings

MAX_DAYS = 366


def cockpit_filters(ctx: Ctx, key: str = "cockpit") -> Filters | None:
    """Render the filter bar; None (with a message shown) while the chosen period is incomplete."""
    settings = read_settings(ctx.scope)
    today = context.now().date()
    default = (today - timedelta(days=settings["cockpit_window_days"] - 1), today)
    teams = read(org.teams, ctx.scope)
    c1, c2, c3 = st.columns([2, 1, 1])
    period = c1.date_input(ctx.t("filter.period"), value=default, max_value=today, key=f"{key}_period",
                           format="YYYY-MM-DD")
    region_id = team_id = None
    if ctx.scope.sees_all:
        regions = teams[["region_id", "region"]].drop_duplicates()
        names = dict(zip(regions["region_id"], regions["region"]))
        region_id = c2.selectbox(ctx.t("filter.region"), [None, *names], key=f"{key}_region",
                                 format_func=lambda i: ctx.t("common.all") if i is None else names[i])
    if not ctx.scope.own_only and len(teams) > 1:
        shown = teams if region_id is None else teams[teams["region_id"] == region_id]
        tnames = dict(zip(shown["id"], shown["name"]))
        team_id = c3.selectbox(ctx.t("filter.team"), [None, *tnames], key=f"{key}_team",
                               format_func=lambda i: ctx.t("common.all") if i is None else tnames[i])
    if not isinstance(period, (tuple, list)) or len(period) != 2:
        st.info(ctx.t("filter.pick_end"))
        return None
    start, end = period
    if (end - start).days + 1 > MAX_DAYS:
        st.warning(ctx.t("filter.too_long", days=MAX_DAYS))
        return None
    return Filters(start, end, region_id, team_id)
