"""The funnel's filter bar: period, region, team, rep, product, customer type and lead source —
offering only what the user's scope holds."""
from __future__ import annotations

import streamlit as st

from core.base import org
from core.funnel import stages
from core.funnel.stages import FunnelFilters, InvalidFunnelInput
from ui import context
from ui.context import Ctx
from ui.read import read, settings as read_settings


def _pick(col, ctx: Ctx, label_key: str, options: list, key: str, names: dict | None = None):
    names = names or {}
    return col.selectbox(ctx.t(label_key), [None, *options], key=key,
                         format_func=lambda v: ctx.t("common.all") if v is None else names.get(v, v))


def funnel_filters(ctx: Ctx, key: str = "funnel") -> FunnelFilters | None:
    """Render the filter bar; None (with a message shown) while the period is incomplete or wrong."""
    today = context.now().date()
    window = FunnelFilters.last_days(today, read_settings(ctx.scope)["funnel_window_days"])
    teams = read(org.teams, ctx.scope)
    opts = read(stages.filter_options, ctx.scope)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    period = c1.date_input(ctx.t("filter.period"), value=(window.start, window.end), max_value=today,
                           key=f"{key}_period", format="YYYY-MM-DD")
    region_id = team_id = owner_id = None
    if ctx.scope.sees_all:
        regions = teams[["region_id", "region"]].drop_duplicates()
        region_id = _pick(c2, ctx, "filter.region", list(regions["region_id"]), f"{key}_region",
                          dict(zip(regions["region_id"], regions["region"])))
    if not ctx.scope.own_only and len(teams) > 1:
        shown = teams if region_id is None else teams[teams["region_id"] == region_id]
        team_id = _pick(c3, ctx, "filter.team", list(shown["id"]), f"{key}_team", dict(zip(shown["id"], shown["name"])))
    if not ctx.scope.own_only:
        reps = dict(opts["reps"])
        owner_id = _pick(c4, ctx, "funnel.filter.rep", list(reps), f"{key}_rep", reps)
    d1, d2, d3, _ = st.columns([1, 1, 1, 2])
    product = _pick(d1, ctx, "funnel.filter.product", opts["products"], f"{key}_product")
    customer_type = _pick(d2, ctx, "funnel.filter.customer_type", opts["customer_types"], f"{key}_customer_type")
    source = _pick(d3, ctx, "funnel.filter.source", opts["sources"], f"{key}_source")
    if not isinstance(period, (tuple, list)) or len(period) != 2:
        st.info(ctx.t("filter.pick_end"))
        return None
    try:
        return FunnelFilters(period[0], period[1], region_id, team_id, owner_id, product, customer_type, source)
    except InvalidFunnelInput as exc:
        st.warning(exc.message(ctx.lang))
        return None
