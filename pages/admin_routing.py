"""Lead routing (线索分配规则), for admins: the ordered rules (region, industry, size → team) with add,
edit, delete and reorder; the fallback team; and each team's auto-reassign flag and pool rules."""
import pandas as pd
import streamlit as st

from core.base import org
from core.base.vocabulary import SIZES
from core.leads import pool
from core.leads import routing
from ui import context, page, widgets
from ui.read import read
from ui.read import settings as read_settings
from ui.write import field_error, flash, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
s = st.session_state

rules_df = read(routing.routing_rules, ctx.scope)
teams = read(org.teams, ctx.scope)
team_names = {int(i): n for i, n in zip(teams["id"], teams["name"])}
regions = read(org.regions, ctx.scope)
region_names = {int(i): n for i, n in zip(regions["id"], regions["name"])}
industries = read(routing.known_industries, ctx.scope)
any_text = ctx.t("routing.any")


def size_label(size: str) -> str:
    return ctx.t(f"routing.size.{size}") if size else any_text


st.title(ctx.t("routing.title"))
st.caption(ctx.t("routing.caption", cap=settings["rep_daily_lead_cap"], hours=f"{settings['escalation_hours']:g}"))
flash()  # the last save of any form of this page

# ---- the rules, in the order they are tried ------------------------------------------------------
st.subheader(ctx.t("routing.rules", n=len(rules_df)))
if rules_df.empty:
    st.info(ctx.t("routing.no_rules"))
else:
    shown = pd.DataFrame({
        ctx.t("routing.col.position"): rules_df["position"],
        ctx.t("routing.col.region"): rules_df["region"].fillna(any_text),
        ctx.t("routing.col.industry"): rules_df["industry"].replace("", any_text),
        ctx.t("routing.col.size"): rules_df["size"].map(size_label),
        ctx.t("routing.col.team"): rules_df["team"],
        ctx.t("routing.col.active"): rules_df["active"].map(lambda a: ctx.t("routing.yes" if a else "routing.no")),
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="rules_table")
    widgets.export_buttons(ctx, shown, "routing-rules", key="rules_export")


def rule_fields(form: str, prefix: str, current: dict | None = None) -> None:
    """Region, industry, size and team inputs (keys ``{prefix}_region`` …), with their messages."""
    current = current or {}
    c1, c2 = st.columns(2)
    with c1:
        options = [None, *region_names]
        st.selectbox(ctx.t("routing.col.region"), options, key=f"{prefix}_region",
                     index=options.index(current.get("region_id")) if current.get("region_id") in options else 0,
                     format_func=lambda i: any_text if i is None else region_names[i])
        field_error(form, "region_id")
        sizes = ["", *SIZES]
        st.selectbox(ctx.t("routing.col.size"), sizes, key=f"{prefix}_size", format_func=size_label,
                     index=sizes.index(current.get("size", "")) if current.get("size", "") in sizes else 0)
        field_error(form, "size")
    with c2:
        inds = ["", *industries]
        st.selectbox(ctx.t("routing.col.industry"), inds, key=f"{prefix}_industry", accept_new_options=True,
                     format_func=lambda i: i or any_text, help=ctx.t("routing.industry_help"),
                     index=inds.index(current.get("industry", "")) if current.get("industry", "") in inds else 0)
        field_error(form, "industry")
        team_ids = list(team_names)
        st.selectbox(ctx.t("routing.col.team"), team_ids, key=f"{prefix}_team", format_func=team_names.get,
                     index=team_ids.index(current["team_id"]) if current.get("team_id") in team_ids else None,
                     placeholder="—")
        field_error(form, "team_id")


# ---- add a rule ---------------------------------------------------------------------------------
with st.expander(ctx.t("routing.add"), expanded=rules_df.empty, icon=":material/add:"):
    with st.form("add_rule_form", border=False):
        rule_fields("add", "new_rule")
        added = st.form_submit_button(ctx.t("routing.add_submit"), type="primary")
    if added:
        submit(ctx, "add", routing.add_rule, region_id=s.get("new_rule_region"), industry=s.get("new_rule_industry"),
               size=s.get("new_rule_size"), team_id=s.get("new_rule_team"), now=context.now(), done="routing.added")
        st.rerun()

# ---- edit, move or delete one rule -------------------------------------------------------------------
if not rules_df.empty:
    st.subheader(ctx.t("routing.edit"))
    labels = {int(r.id): ctx.t("routing.rule_label", position=int(r.position), team=r.team,
                               region=r.region if isinstance(r.region, str) else any_text,
                               industry=r.industry or any_text, size=size_label(r.size))
              for r in rules_df.itertuples()}
    if s.get("edit_rule") not in labels:
        s["edit_rule"] = next(iter(labels))
    picked = st.selectbox(ctx.t("routing.pick"), list(labels), format_func=labels.get, key="edit_rule")
    rule = rules_df.loc[rules_df["id"] == picked].iloc[0]
    b1, b2, b3, _ = st.columns([1, 1, 1, 3])
    if b1.button(ctx.t("routing.up"), key="rule_up", icon=":material/arrow_upward:", disabled=int(rule["position"]) == 1):
        submit(ctx, "move", routing.move_rule, picked, -1, context.now(), done="routing.moved")
        st.rerun()
    if b2.button(ctx.t("routing.down"), key="rule_down", icon=":material/arrow_downward:",
                 disabled=int(rule["position"]) == len(rules_df)):
        submit(ctx, "move", routing.move_rule, picked, 1, context.now(), done="routing.moved")
        st.rerun()
    with b3.popover(ctx.t("routing.delete"), icon=":material/delete:"):
        st.write(ctx.t("routing.delete_confirm", rule=labels[picked]))
        if st.button(ctx.t("routing.delete_yes"), key="rule_delete", type="primary"):
            submit(ctx, "delete", routing.delete_rule, picked, context.now(), done="routing.deleted")
            st.rerun()
    field_error("move", None)
    with st.form(f"edit_rule_form_{picked}_{int(rule['version'])}"):
        current = {"region_id": None if pd.isna(rule["region_id"]) else int(rule["region_id"]),
                   "industry": rule["industry"], "size": rule["size"], "team_id": int(rule["team_id"])}
        prefix = f"edit_{picked}_{int(rule['version'])}"
        rule_fields("edit", prefix, current)
        st.checkbox(ctx.t("routing.col.active"), value=bool(rule["active"]), key=f"{prefix}_active")
        field_error("edit", None)
        saved = st.form_submit_button(ctx.t("common.save"), type="primary")
    if saved:
        submit(ctx, "edit", routing.update_rule, picked, int(rule["version"]), region_id=s.get(f"{prefix}_region"),
               industry=s.get(f"{prefix}_industry"), size=s.get(f"{prefix}_size"), team_id=s.get(f"{prefix}_team"),
               active=bool(s.get(f"{prefix}_active")), now=context.now(), done="routing.saved")
        st.rerun()

# ---- the fallback team ------------------------------------------------------------------------------
st.subheader(ctx.t("routing.fallback"))
st.caption(ctx.t("routing.fallback_help"))
fallback_options = [0, *team_names]
current_fallback = settings["routing_fallback_team"]
with st.form("fallback_form"):
    st.selectbox(ctx.t("routing.fallback_team"), fallback_options, key="fallback_team",
                 index=fallback_options.index(current_fallback) if current_fallback in fallback_options else 0,
                 format_func=lambda i: ctx.t("routing.no_fallback") if i == 0 else team_names[i])
    field_error("fallback", "fallback_team")
    fallback_saved = st.form_submit_button(ctx.t("common.save"))
if fallback_saved:
    submit(ctx, "fallback", routing.set_fallback_team, s.get("fallback_team"), context.now(), done="routing.saved")
    st.rerun()

# ---- each team: auto-reassign and pool rules ----------------------------------------------------------
st.subheader(ctx.t("routing.teams"))
st.caption(ctx.t("routing.teams_help", no_follow_up=settings["pool_no_follow_up_days"],
                 not_converted=settings["pool_not_converted_days"], cap=settings["pool_claim_cap_per_day"],
                 cooldown=settings["pool_claim_cooldown_days"]))
team_df = read(pool.team_settings, ctx.scope)
shown = pd.DataFrame({
    ctx.t("routing.col.team"): team_df["team"],
    ctx.t("routing.col.region"): team_df["region"],
    ctx.t("routing.col.auto_reassign"): team_df["auto_reassign"].map(lambda a: ctx.t("routing.yes" if a else "routing.no")),
    **{ctx.t(f"routing.col.{f}"): [f"{v}" if pd.isna(own) else f"{v} ★" for v, own in zip(team_df[f"{f}_in_force"], team_df[f])]
       for f in pool.RULE_FIELDS},
})
st.dataframe(shown, hide_index=True, width="stretch", key="team_settings_table")
st.caption(ctx.t("routing.own_value"))
widgets.export_buttons(ctx, shown, "team-pool-rules", key="team_settings_export")

if not team_df.empty:
    tid = st.selectbox(ctx.t("routing.pick_team"), [int(i) for i in team_df["team_id"]], format_func=team_names.get,
                       key="settings_team")
    row = team_df.loc[team_df["team_id"] == tid].iloc[0]
    with st.form(f"team_settings_form_{tid}"):
        st.checkbox(ctx.t("routing.col.auto_reassign"), value=bool(row["auto_reassign"]), key=f"ts_{tid}_auto",
                    help=ctx.t("routing.auto_help", hours=f"{settings['escalation_hours']:g}"))
        cols = st.columns(len(pool.RULE_FIELDS))
        for col, f in zip(cols, pool.RULE_FIELDS):
            with col:
                low, high = pool.LIMITS[f]
                st.number_input(ctx.t(f"routing.col.{f}"), min_value=low, max_value=high, step=1,
                                value=None if pd.isna(row[f]) else int(row[f]), key=f"ts_{tid}_{f}",
                                placeholder=ctx.t("routing.default_value", value=settings[pool.DEFAULT_KEYS[f]]))
                field_error("team", f)
        field_error("team", None)
        team_saved = st.form_submit_button(ctx.t("common.save"), type="primary")
    if team_saved:
        submit(ctx, "team", pool.save_team_settings, tid, auto_reassign=bool(s.get(f"ts_{tid}_auto")),
               now=context.now(), done="routing.saved", **{f: s.get(f"ts_{tid}_{f}") for f in pool.RULE_FIELDS})
        st.rerun()
