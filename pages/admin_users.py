"""Users & teams (用户与团队): who may log in, with which role and team."""
import streamlit as st

from core.base import users
from core.base.vocabulary import DEPARTMENTS, ROLES
from core.base import org
from ui import context, page
from ui.read import read
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
st.title(ctx.t("users.title"))
flash("add_user")
df = read(users.list_users, ctx.scope)
teams = read(org.teams, ctx.scope)
team_names = dict(zip(teams["id"], teams["name"]))

shown = df.drop(columns=["owner_id", "team_id"]).assign(
    role=df["role"].map(lambda r: ctx.t("role." + r)),
    department=df["department"].map(lambda d: ctx.t(f"requests.dept.{d}") if d in DEPARTMENTS else ""))
st.dataframe(shown.rename(columns=lambda c: ctx.t(f"col.{c}")), hide_index=True, width="stretch", key="users_table")

st.subheader(ctx.t("users.add"))
with st.form("add_user", clear_on_submit=False):
    c1, c2 = st.columns(2)
    username = c1.text_input(ctx.t("col.username"), key="new_username")
    display_name = c2.text_input(ctx.t("col.display_name"), key="new_display_name")
    role = c1.selectbox(ctx.t("col.role"), ROLES, format_func=lambda r: ctx.t("role." + r), key="new_role")
    team_id = c2.selectbox(ctx.t("col.team"), [None, *team_names], key="new_team",
                           format_func=lambda i: ctx.t("common.none") if i is None else team_names[i])
    password = c1.text_input(ctx.t("login.password"), type="password", key="new_password")
    department = c2.selectbox(ctx.t("col.department"), [None, *DEPARTMENTS], key="new_department",
                              format_func=lambda d: ctx.t("common.none") if d is None else ctx.t(f"requests.dept.{d}"))
    add = st.form_submit_button(ctx.t("users.create"), type="primary")
if add and submit(ctx, "add_user", users.create_user, username=username, display_name=display_name, role=role,
                  team_id=team_id, password=password, now=context.now(), department=department,
                  done=lambda _: ctx.t("users.created", username=username.strip().lower())):
    st.rerun()
form_error("add_user", label=lambda field: ctx.t("col." + field))

st.subheader(ctx.t("users.deactivate"))
others = df[df["id"] != ctx.account.id]
labels = {int(r.id): f"{r.display_name} ({r.username})" for r in others.itertuples()}
pick = st.selectbox(ctx.t("users.pick"), [None, *labels], key="toggle_user",
                    format_func=lambda i: "—" if i is None else labels[i])
if pick is not None:
    active = bool(df.loc[df["id"] == pick, "active"].iloc[0])
    if st.button(ctx.t("users.disable" if active else "users.enable"), key="toggle_active"):
        if submit(ctx, "toggle_user", users.set_active, pick, not active, context.now()):
            st.rerun()
    form_error("toggle_user")
