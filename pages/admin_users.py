"""Users & teams (用户与团队): set up the company — regions, teams and people — without the demo;
initial passwords shown once; move a rep between teams (their past figures stay with the old team);
reset a password; deactivate (logs them out everywhere, out of lead rotation). A whole company at
once comes from the users import (Import & export)."""
import streamlit as st

from core.base import org, users
from core.base.vocabulary import DEPARTMENTS, LEAD, REP, ROLES
from ui import context, page
from ui.read import read
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
st.title(ctx.t("users.title"))
st.caption(ctx.t("company.users.caption"))
for form in ("add_user", "add_region", "add_team", "move_user", "reset_password", "toggle_user"):
    flash(form)
df = read(users.list_users, ctx.scope)
teams = read(org.teams, ctx.scope)
regions = read(org.all_regions, ctx.scope)
team_names = dict(zip(teams["id"].astype(int), teams["name"]))
region_names = dict(zip(regions["id"].astype(int), regions["name"]))

shown = df.drop(columns=["owner_id", "team_id"]).assign(
    role=df["role"].map(lambda r: ctx.t("role." + r)),
    department=df["department"].map(lambda d: ctx.t(f"requests.dept.{d}") if d in DEPARTMENTS else ""))
st.dataframe(shown.rename(columns=lambda c: ctx.t(f"col.{c}")), hide_index=True, width="stretch", key="users_table")

tab_user, tab_org, tab_move, tab_access = st.tabs([ctx.t("users.add"), ctx.t("company.tab.org"),
                                                   ctx.t("company.tab.move"), ctx.t("company.tab.access")])
with tab_user:
    with st.form("add_user", clear_on_submit=False):
        c1, c2 = st.columns(2)
        username = c1.text_input(ctx.t("col.username"), key="new_username")
        display_name = c2.text_input(ctx.t("col.display_name"), key="new_display_name")
        role = c1.selectbox(ctx.t("col.role"), ROLES, format_func=lambda r: ctx.t("role." + r), key="new_role")
        team_id = c2.selectbox(ctx.t("col.team"), [None, *team_names], key="new_team",
                               format_func=lambda i: ctx.t("common.none") if i is None else team_names[i])
        email = c1.text_input(ctx.t("col.email"), key="new_email")
        department = c2.selectbox(ctx.t("col.department"), [None, *DEPARTMENTS], key="new_department",
                                  format_func=lambda d: ctx.t("common.none") if d is None else ctx.t(f"requests.dept.{d}"))
        st.caption(ctx.t("company.users.initial"))
        add = st.form_submit_button(ctx.t("users.create"), type="primary")
    if add and submit(ctx, "add_user", users.invite_user, username=username, display_name=display_name, role=role,
                      team_id=team_id, now=context.now(), department=department, email=email,
                      done=lambda r: ctx.t("company.users.invited", username=username.strip().lower(), password=r[1])):
        st.rerun()
    form_error("add_user", label=lambda field: ctx.t("col." + field))

with tab_org:
    c1, c2 = st.columns(2)
    with c1.form("add_region"):
        st.markdown(f"**{ctx.t('company.region.add')}**")
        region_name = st.text_input(ctx.t("col.region"), key="new_region_name")
        add_region = st.form_submit_button(ctx.t("company.region.create"))
    if add_region and submit(ctx, "add_region", org.create_region, region_name, context.now(),
                             done=lambda _: ctx.t("company.region.created", name=region_name.strip())):
        st.rerun()
    with c1:
        form_error("add_region")
    leads = {int(r.id): f"{r.display_name} ({r.username})" for r in df[df["role"] == LEAD].itertuples()}
    with c2.form("add_team"):
        st.markdown(f"**{ctx.t('company.team.add')}**")
        team_name = st.text_input(ctx.t("col.team"), key="new_team_name")
        team_region = st.selectbox(ctx.t("col.region"), [None, *region_names], key="new_team_region",
                                   format_func=lambda i: "—" if i is None else region_names[i])
        team_lead = st.selectbox(ctx.t("company.team.lead"), [None, *leads], key="new_team_lead",
                                 format_func=lambda i: ctx.t("common.none") if i is None else leads[i])
        add_team = st.form_submit_button(ctx.t("company.team.create"))
    if add_team and submit(ctx, "add_team", org.create_team, team_name, team_region, context.now(), team_lead,
                           done=lambda _: ctx.t("company.team.created", name=team_name.strip())):
        st.rerun()
    with c2:
        form_error("add_team")

with tab_move:
    st.caption(ctx.t("company.move.caption"))
    movable = df[df["role"].isin([REP, LEAD]) & df["active"].astype(bool)]
    people = {int(r.id): f"{r.display_name} ({r.username}) · {r.team or '—'}" for r in movable.itertuples()}
    with st.form("move_user"):
        who = st.selectbox(ctx.t("users.pick"), [None, *people], key="move_who",
                           format_func=lambda i: "—" if i is None else people[i])
        to_team = st.selectbox(ctx.t("company.move.to"), [None, *team_names], key="move_to",
                               format_func=lambda i: "—" if i is None else team_names[i])
        move = st.form_submit_button(ctx.t("company.move.submit"))
    if move:
        if who is None or to_team is None:
            st.error(ctx.t("company.move.pick"))
        elif submit(ctx, "move_user", users.move_user, who, to_team, context.now(),
                    done=lambda _: ctx.t("company.move.done", name=people[who], team=team_names[to_team])):
            st.rerun()
    form_error("move_user", label=lambda field: ctx.t("col." + field))

with tab_access:
    others = df[df["id"] != ctx.account.id]
    labels = {int(r.id): f"{r.display_name} ({r.username})" for r in others.itertuples()}
    pick = st.selectbox(ctx.t("users.pick"), [None, *labels], key="toggle_user",
                        format_func=lambda i: "—" if i is None else labels[i])
    if pick is not None:
        active = bool(df.loc[df["id"] == pick, "active"].iloc[0])
        c1, c2 = st.columns(2)
        if c1.button(ctx.t("users.disable" if active else "users.enable"), key="toggle_active"):
            if submit(ctx, "toggle_user", users.set_active, pick, not active, context.now(),
                      done=lambda _: ctx.t("company.access.done", name=labels[pick])):
                st.rerun()
        if active and c2.button(ctx.t("company.reset.submit"), key="reset_password"):
            if submit(ctx, "reset_password", users.reset_password, pick, context.now(),
                      done=lambda pw: ctx.t("company.reset.done", name=labels[pick], password=pw)):
                st.rerun()
        form_error("toggle_user")
        form_error("reset_password")
