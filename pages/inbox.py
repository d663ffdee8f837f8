"""To-dos and alerts (待办与提醒): the person's own inbox."""
import streamlit as st

from core.base import inbox
from ui import context, page
from ui.read import read
from ui.write import form_error, submit

ctx = page.open(__file__)
st.title(ctx.t("inbox.title"))
todos = read(inbox.todos, ctx.scope)
alerts = read(inbox.alerts, ctx.scope)

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

unread = int(alerts["read_at"].isna().sum()) if not alerts.empty else 0
st.subheader(ctx.t("inbox.alerts", n=unread))
if alerts.empty:
    st.write(ctx.t("inbox.no_alerts"))
else:
    st.dataframe(alerts[["created_at", "message", "read_at"]].rename(columns=lambda c: ctx.t(f"col.{c}")),
                 hide_index=True, width="stretch", key="alerts_table")
    if unread and st.button(ctx.t("inbox.mark_read"), key="mark_read"):
        if submit(ctx, "alerts", inbox.mark_alerts_read, context.now()):
            st.rerun()
    form_error("alerts")
