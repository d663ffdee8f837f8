"""Channels (推送渠道): where a person's or a team's alerts and morning brief are pushed, a test
message, and the delivery log. Secrets are named here, never typed in."""
import streamlit as st

from core.base import org, users
from core.notify import channels, delivery
from ui import context, page
from ui.read import read
from ui.write import field_error, flash, form_error, submit

ctx = page.open(__file__)
st.title(ctx.t("channels.title"))
st.caption(ctx.t("channels.caption"))
flash("channel")

rows = read(delivery.channel_list, ctx.scope)
people = read(users.list_users, ctx.scope)
teams = read(org.teams, ctx.scope)
person_names = {int(r.id): f"{r.display_name} ({r.username})" for r in people.itertuples() if r.active}
team_names = {int(r.id): str(r.name) for r in teams.itertuples()}
yes_no = {True: ctx.t("channels.yes"), False: ctx.t("channels.no")}

# ---- the channels ----
st.subheader(ctx.t("channels.list"))
if rows.empty:
    st.info(ctx.t("channels.none"))
else:
    shown = rows[["name", "kind", "person", "team", "address", "token_secret", "sign_secret", "send_alerts",
                  "send_brief", "active"]].assign(
        kind=rows["kind"].map(lambda k: ctx.t(f"channels.kind.{k}")),
        send_alerts=rows["send_alerts"].map(lambda v: yes_no[bool(v)]),
        send_brief=rows["send_brief"].map(lambda v: yes_no[bool(v)]),
        active=rows["active"].map(lambda v: yes_no[bool(v)]))
    st.dataframe(shown.rename(columns=lambda c: ctx.t(f"channels.col.{c}")), hide_index=True, width="stretch")

# ---- add or change ----
st.subheader(ctx.t("channels.edit"))
labels = {int(r.id): str(r.name) for r in rows.itertuples()}
picked = st.selectbox(ctx.t("channels.pick"), [None, *labels], key="channel_pick",
                      format_func=lambda i: ctx.t("channels.new") if i is None else labels[i])
cur = rows[rows["id"] == picked].iloc[0].to_dict() if picked is not None else {}
opts = dict(cur.get("options") or {})
k = f"_{picked or 'new'}"  # fresh widgets (with the channel's values) for each channel picked
if ctx.may("channel.save"):
    with st.form("channel", clear_on_submit=False):
        c1, c2 = st.columns(2)
        name = c1.text_input(ctx.t("channels.col.name"), value=cur.get("name", ""), key="ch_name" + k)
        kind = c2.selectbox(ctx.t("channels.col.kind"), channels.KINDS, key="ch_kind" + k,
                            index=channels.KINDS.index(cur["kind"]) if cur else 0,
                            format_func=lambda v: ctx.t(f"channels.kind.{v}"))
        whom = c1.radio(ctx.t("channels.for"), ["team", "user"], horizontal=True, key="ch_for" + k,
                        index=1 if cur.get("user_id") in person_names else 0,
                        format_func=lambda v: ctx.t(f"channels.for.{v}"))
        team_default = [None, *team_names].index(int(cur["team_id"])) if cur.get("team_id") in team_names else 0
        person_default = [None, *person_names].index(int(cur["user_id"])) if cur.get("user_id") in person_names else 0
        team_id = c2.selectbox(ctx.t("channels.col.team"), [None, *team_names], index=team_default, key="ch_team" + k,
                               format_func=lambda i: "—" if i is None else team_names[i])
        user_id = c2.selectbox(ctx.t("channels.col.person"), [None, *person_names], index=person_default,
                               key="ch_user" + k, format_func=lambda i: "—" if i is None else person_names[i])
        address = st.text_input(ctx.t("channels.col.address"), value=cur.get("address", ""), key="ch_address" + k,
                                help=ctx.t("channels.address_help"))
        field_error("channel", "address")
        c1, c2 = st.columns(2)
        token_secret = c1.text_input(ctx.t("channels.col.token_secret"), value=cur.get("token_secret", ""),
                                     key="ch_token" + k)
        sign_secret = c2.text_input(ctx.t("channels.col.sign_secret"), value=cur.get("sign_secret", ""),
                                    key="ch_sign" + k, help=ctx.t("channels.sign_help"))
        smtp_host = c1.text_input(ctx.t("channels.smtp_host_label"), value=str(opts.get("smtp_host", "")),
                                  key="ch_smtp_host" + k)
        smtp_port = c2.text_input(ctx.t("channels.smtp_port_label"), value=str(opts.get("smtp_port", "")),
                                  key="ch_smtp_port" + k)
        smtp_user = c1.text_input(ctx.t("channels.smtp_user"), value=str(opts.get("smtp_user", "")),
                                  key="ch_smtp_user" + k)
        sender = c2.text_input(ctx.t("channels.sender"), value=str(opts.get("sender", "")), key="ch_sender" + k)
        starttls = st.checkbox(ctx.t("channels.starttls"), value=bool(opts.get("starttls", False)), key="ch_tls" + k)
        c1, c2, c3 = st.columns(3)
        send_alerts = c1.checkbox(ctx.t("channels.col.send_alerts"), value=bool(cur.get("send_alerts", True)),
                                  key="ch_alerts" + k)
        send_brief = c2.checkbox(ctx.t("channels.col.send_brief"), value=bool(cur.get("send_brief", True)),
                                 key="ch_brief" + k)
        active = c3.checkbox(ctx.t("channels.col.active"), value=bool(cur.get("active", True)), key="ch_active" + k)
        save = st.form_submit_button(ctx.t("channels.save"), type="primary")
    if save and submit(ctx, "channel", delivery.save_channel, now=context.now(), channel_id=picked, name=name,
                       kind=kind, address=address, user_id=user_id if whom == "user" else None,
                       team_id=team_id if whom == "team" else None, token_secret=token_secret,
                       sign_secret=sign_secret, send_alerts=send_alerts, send_brief=send_brief, active=active,
                       options={"smtp_host": smtp_host.strip(), "smtp_port": smtp_port.strip(),
                                "smtp_user": smtp_user.strip(), "sender": sender.strip(), "starttls": starttls},
                       done=lambda _: ctx.t("channels.saved", name=name.strip())):
        st.rerun()
    form_error("channel", label=lambda f: ctx.t(f"channels.col.{f}"))

# ---- a test message ----
if picked is not None and ctx.may("channel.test"):
    st.subheader(ctx.t("channels.test"))
    if st.button(ctx.t("channels.test_button"), key="channel_test", icon=":material/send:"):
        got = submit(ctx, "channel_test", delivery.send_test, picked, context.now(), ctx.lang)
        if got and got.result["ok"]:
            st.success(ctx.t("channels.test_ok", name=labels[picked]), icon=":material/check_circle:")
        elif got:
            st.error(ctx.t("channels.test_failed", name=labels[picked], error=got.result["error"]),
                     icon=":material/error:")
    form_error("channel_test")

# ---- the delivery log ----
st.subheader(ctx.t("channels.log"))
log = read(delivery.delivery_log, ctx.scope)
if log.empty:
    st.info(ctx.t("channels.log_empty"))
else:
    shown = log.drop(columns=["id"]).assign(
        kind=log["kind"].map(lambda v: ctx.t(f"channels.dkind.{v}")),
        status=log["status"].map(lambda v: ctx.t(f"channels.status.{v}")))
    st.dataframe(shown.rename(columns=lambda c: ctx.t(f"channels.col.{c}")), hide_index=True, width="stretch",
                 column_config={c: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
                                for c in (ctx.t("channels.col.created_at"), ctx.t("channels.col.next_attempt_at"),
                                          ctx.t("channels.col.sent_at"))})
