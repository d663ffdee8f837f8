"""To-dos and alerts (待办与提醒): the person's own inbox."""
import streamlit as st

from core.base import inbox
from core.base.vocabulary import ALERT_STATUSES
from ui import context, page
from ui.read import read
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
st.title(ctx.t("inbox.title"))
todos = read(inbox.todos, ctx.scope)

st.subheader(ctx.t("inbox.todos", n=len(todos)))
if todos.empty:
    st.write(ctx.t("inbox.no_todos"))
else:
    def kind_name(kind: str) -> str:
        name = ctx.t(f"todo.kind.{kind}")
        return kind if name == f"todo.kind.{kind}" else name

    table = todos[["id", "kind", "title", "due_at"]].assign(kind=todos["kind"].map(kind_name), done=False)
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key="todo_editor", disabled=["id", "kind", "title", "due_at"],
        column_config={"id": None, "kind": ctx.t("col.kind"), "title": ctx.t("col.title"),
                       "due_at": ctx.t("col.due_at"),
                       "done": st.column_config.CheckboxColumn(ctx.t("col.done"))})
    ticked = edited.loc[edited["done"], "id"].astype(int).tolist()
    if ticked and st.button(ctx.t("inbox.complete", n=len(ticked)), type="primary", key="complete_todos"):
        if submit(ctx, "todos", inbox.complete_todos, ticked, context.now()):
            st.rerun()
    form_error("todos")

# ---- the alert store: filter by kind and status; the owner acknowledges or resolves -------------
kinds = read(inbox.alert_kinds, ctx.scope)
unread = read(inbox.unread_count, ctx.scope)
st.subheader(ctx.t("inbox.alerts", n=unread))
flash("alerts")


def kind_label(kind: str) -> str:
    name = ctx.t(f"alert.kind.{kind}")
    return kind if name == f"alert.kind.{kind}" else name


c1, c2 = st.columns(2)
chosen_kinds = c1.multiselect(ctx.t("inbox.filter_kind"), kinds, format_func=kind_label, key="alert_kinds")
chosen_status = c2.multiselect(ctx.t("inbox.filter_status"), list(ALERT_STATUSES), default=["open", "acknowledged"],
                               format_func=lambda s: ctx.t(f"alert.status.{s}"), key="alert_statuses")
alerts = read(inbox.alerts, ctx.scope, kinds=tuple(chosen_kinds), statuses=tuple(chosen_status))
if alerts.empty:
    st.write(ctx.t("inbox.no_alerts") if not kinds else ctx.t("inbox.no_match"))
else:
    table = alerts[["created_at", "severity", "kind", "message", "status"]].assign(
        severity=alerts["severity"].map(lambda s: ctx.t(f"alert.severity.{s}")),
        kind=alerts["kind"].map(kind_label), status=alerts["status"].map(lambda s: ctx.t(f"alert.status.{s}")))
    st.dataframe(table.rename(columns={"created_at": ctx.t("col.created_at"), "severity": ctx.t("col.alert_severity"),
                                       "kind": ctx.t("col.kind"), "message": ctx.t("col.message"),
                                       "status": ctx.t("col.alert_status")}),
                 hide_index=True, width="stretch", key="alerts_table")
    names = {int(r.id): f"{r.created_at:%m-%d %H:%M} · {kind_label(r.kind)} · {str(r.message)[:60]}"
             for r in alerts.itertuples()}
    picked = st.multiselect(ctx.t("inbox.pick"), list(names), format_func=names.get, key="alert_pick")
    b1, b2, b3 = st.columns(3)
    if b1.button(ctx.t("inbox.acknowledge", n=len(picked)), key="ack_alerts", disabled=not picked,
                 width="stretch") and ctx.may("alert.acknowledge"):
        if submit(ctx, "alerts", inbox.acknowledge_alerts, picked, context.now(),
                  done=lambda n: ctx.t("inbox.acknowledged", n=n)):
            st.rerun()
    if b2.button(ctx.t("inbox.resolve", n=len(picked)), key="resolve_alerts", type="primary", disabled=not picked,
                 width="stretch") and ctx.may("alert.resolve"):
        if submit(ctx, "alerts", inbox.resolve_alerts, picked, context.now(),
                  done=lambda n: ctx.t("inbox.resolved", n=n)):
            st.rerun()
    if unread and b3.button(ctx.t("inbox.mark_read"), key="mark_read", width="stretch"):
        if submit(ctx, "alerts", inbox.mark_alerts_read, context.now()):
            st.rerun()
form_error("alerts")
